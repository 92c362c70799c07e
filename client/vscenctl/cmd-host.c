/* vscenctl host check|tune|revert (SPEC §6, §7): what scenarios want from the host,
 * applying it, and putting the host back. */
#include "vscenctl.h"

/* Field names of the JSON objects, one per tuple member (strings, or booleans). */
static const char *const check_fields[] = { "setting", "current", "wanted", "ok", NULL };
static const char *const change_fields[] = { "setting", "old", "new", NULL };

static void
print_changes (VtCtl *ctl, GVariant *changes, const char *nothing, const char *footer)
{
  static const char *const header[] = { "SETTING", "OLD", "NEW", NULL };

  if (!ctl->json && g_variant_n_children (changes) == 0)
    {
      g_print ("%s\n", nothing);
      return;
    }
  vt_ctl_print_rows (ctl, changes, change_fields, header);
  if (!ctl->json && footer)
    g_print ("%s\n", footer);
}

static int
host_check (VtCtl *ctl, int argc, char **argv)
{
  static const char *const header[] = { "SETTING", "CURRENT", "WANTED", "OK", NULL };
  g_autoptr (GVariant) reply = NULL;
  g_autoptr (GVariant) rows = NULL;
  g_autoptr (GError) error = NULL;

  for (int i = 0; i < argc; i++)
    if (argv[i][0] == '-')
      return vt_ctl_usage ("'host check' takes scenario names only");
  reply = vt_ctl_call (ctl, "CheckHost",
                       g_variant_new ("(^as@a{sv})", argv, vt_ctl_connection_options (ctl)),
                       G_DBUS_CALL_FLAGS_NONE, &error);
  if (reply == NULL)
    return vt_ctl_fail (error);
  g_variant_get (reply, "(@a(sssb))", &rows);
  vt_ctl_print_rows (ctl, rows, check_fields, header);
  return VT_EXIT_OK;
}

static int
host_tune (VtCtl *ctl, int argc, char **argv)
{
  g_autoptr (GPtrArray) scenarios = g_ptr_array_new ();
  g_autoptr (GVariant) reply = NULL;
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
  vt_ctl_add_connection (ctl, &options);
  reply = vt_ctl_call_mutating (ctl, "TuneHost",
                                g_variant_new ("(^as@a{sv})", scenarios->pdata,
                                               g_variant_dict_end (&options)),
                                &error);
  if (reply == NULL)
    return vt_ctl_fail (error);
  g_variant_get (reply, "(@a(sss))", &changes);
  print_changes (ctl, changes, "the host already has what the scenarios want",
                 dry_run ? "dry run: nothing was changed" : NULL);
  return VT_EXIT_OK;
}

static int
host_revert (VtCtl *ctl, int argc, char **argv)
{
  g_autoptr (GVariant) reply = NULL;
  g_autoptr (GVariant) changes = NULL;
  g_autoptr (GError) error = NULL;

  if (argc != 0)
    return vt_ctl_usage ("'host revert' takes no arguments");
  reply = vt_ctl_call_mutating (ctl, "RevertHost",
                                g_variant_new ("(@a{sv})", vt_ctl_connection_options (ctl)),
                                &error);
  if (reply == NULL)
    return vt_ctl_fail (error);
  g_variant_get (reply, "(@a(sss))", &changes);
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
