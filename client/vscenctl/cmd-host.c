/* vscenctl host check|tune|revert (SPEC §6, §7): what scenarios want from the host,
 * applying it, and putting the host back. */
#include "vscenctl.h"

#include <string.h>

/* Field names of the JSON objects, one per tuple member (strings, or booleans). */
static const char *const check_fields[] = { "setting", "current", "wanted", "ok", NULL };
static const char *const change_fields[] = { "setting", "old", "new", NULL };

static void
print_json_objects (GVariant *array, const char *const *fields)
{
  g_autoptr (GString) json = g_string_new ("[");
  GVariantIter iter;
  GVariant *tuple;

  g_variant_iter_init (&iter, array);
  while ((tuple = g_variant_iter_next_value (&iter)) != NULL)
    {
      g_string_append (json, json->len > 1 ? ", {" : "{");
      for (guint f = 0; fields[f] != NULL; f++)
        {
          g_autoptr (GVariant) cell = g_variant_get_child_value (tuple, f);

          g_string_append (json, f == 0 ? "" : ", ");
          vt_ctl_json_string (json, fields[f]);
          g_string_append (json, ": ");
          if (g_variant_is_of_type (cell, G_VARIANT_TYPE_BOOLEAN))
            g_string_append (json, g_variant_get_boolean (cell) ? "true" : "false");
          else
            vt_ctl_json_string (json, g_variant_get_string (cell, NULL));
        }
      g_string_append_c (json, '}');
      g_variant_unref (tuple);
    }
  g_string_append (json, "]\n");
  fputs (json->str, stdout);
}

/* A table row from a tuple; empty strings print as "-" and booleans as yes/no so
 * every column stays readable. */
static char **
table_row (GVariant *tuple)
{
  gsize n = g_variant_n_children (tuple);
  char **row = g_new0 (char *, n + 1);

  for (gsize i = 0; i < n; i++)
    {
      g_autoptr (GVariant) cell = g_variant_get_child_value (tuple, i);

      if (g_variant_is_of_type (cell, G_VARIANT_TYPE_BOOLEAN))
        row[i] = g_strdup (g_variant_get_boolean (cell) ? "yes" : "no");
      else if (*g_variant_get_string (cell, NULL) == '\0')
        row[i] = g_strdup ("-");
      else
        row[i] = g_variant_dup_string (cell, NULL);
    }
  return row;
}

static void
print_table (GVariant *array, const char *const *header)
{
  g_autoptr (GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  GVariantIter iter;
  GVariant *tuple;

  g_variant_iter_init (&iter, array);
  while ((tuple = g_variant_iter_next_value (&iter)) != NULL)
    {
      g_ptr_array_add (rows, table_row (tuple));
      g_variant_unref (tuple);
    }
  vt_ctl_print_table (stdout, header, rows);
}

static void
print_changes (VtCtl *ctl, GVariant *changes, const char *nothing, const char *footer)
{
  static const char *const header[] = { "SETTING", "OLD", "NEW", NULL };

  if (ctl->json)
    print_json_objects (changes, change_fields);
  else if (g_variant_n_children (changes) == 0)
    g_print ("%s\n", nothing);
  else
    {
      print_table (changes, header);
      if (footer)
        g_print ("%s\n", footer);
    }
}

static int
host_check (VtCtl *ctl, int argc, char **argv)
{
  static const char *const header[] = { "SETTING", "CURRENT", "WANTED", "OK", NULL };
  g_autoptr (GVariant) rows = NULL;
  g_autoptr (GError) error = NULL;

  for (int i = 0; i < argc; i++)
    if (argv[i][0] == '-')
      return vt_ctl_usage ("'host check' takes scenario names only");
  if (!vt_dbus_manager_call_check_host_sync (ctl->proxy, (const char *const *) argv, &rows,
                                             NULL, &error))
    return vt_ctl_fail (error);
  if (ctl->json)
    print_json_objects (rows, check_fields);
  else
    print_table (rows, header);
  return VT_EXIT_OK;
}

static int
host_tune (VtCtl *ctl, int argc, char **argv)
{
  g_autoptr (GPtrArray) scenarios = g_ptr_array_new ();
  g_autoptr (GVariant) changes = NULL;
  g_autoptr (GError) error = NULL;
  gboolean dry_run = FALSE, persistent = FALSE;
  GVariantDict options;

  for (int i = 0; i < argc; i++)
    {
      if (g_str_equal (argv[i], "--dry-run"))
        dry_run = TRUE;
      else if (g_str_equal (argv[i], "--persistent"))
        persistent = TRUE;
      else if (argv[i][0] == '-')
        return vt_ctl_usage ("'host tune' takes SCENARIO... [--dry-run] [--persistent]");
      else
        g_ptr_array_add (scenarios, argv[i]);
    }
  if (scenarios->len == 0)
    return vt_ctl_usage ("'host tune' needs at least one scenario");
  g_ptr_array_add (scenarios, NULL);
  g_variant_dict_init (&options, NULL);
  g_variant_dict_insert (&options, "dry-run", "b", dry_run);
  g_variant_dict_insert (&options, "persistent", "b", persistent);
  g_variant_dict_insert (&options, "interactive", "b", ctl->interactive);
  if (!vt_dbus_manager_call_tune_host_sync (ctl->proxy, (const char *const *) scenarios->pdata,
                                            g_variant_dict_end (&options), &changes, NULL,
                                            &error))
    return vt_ctl_fail (error);
  print_changes (ctl, changes, "the host already has what the scenarios want",
                 dry_run ? "dry run: nothing was changed" : NULL);
  return VT_EXIT_OK;
}

static int
host_revert (VtCtl *ctl, int argc, char **argv)
{
  g_autoptr (GVariant) changes = NULL;
  g_autoptr (GError) error = NULL;

  if (argc != 0)
    return vt_ctl_usage ("'host revert' takes no arguments");
  if (!vt_dbus_manager_call_revert_host_sync (ctl->proxy, &changes, NULL, &error))
    return vt_ctl_fail (error);
  print_changes (ctl, changes, "nothing to revert", NULL);
  return VT_EXIT_OK;
}

int
vt_cmd_host (VtCtl *ctl, int argc, char **argv)
{
  if (argc < 2)
    return vt_ctl_usage ("'host' needs check, tune or revert");
  if (g_str_equal (argv[1], "check"))
    return host_check (ctl, argc - 2, argv + 2);
  if (g_str_equal (argv[1], "tune"))
    return host_tune (ctl, argc - 2, argv + 2);
  if (g_str_equal (argv[1], "revert"))
    return host_revert (ctl, argc - 2, argv + 2);
  return vt_ctl_usage ("'host' needs check, tune or revert");
}
