/* vscenctl connections, vscenctl plan FILE|- [CONNECTION...]: the libvirt hosts virtuned
 * plans and defines for, and where a described VM would fit. */
#include "vscenctl.h"

int
vt_cmd_connections (VtCtl *ctl, int argc, char **argv)
{
  static const char *const fields[] = { "name", "uri", "reachable", "hypervisor", "libvirt",
                                        "cpu_model", "memory_kib", "sev", NULL };
  static const char *const header[] = { "NAME", "URI", "REACHABLE", "HYPERVISOR", "LIBVIRT",
                                        "CPU", "MEMORY-KIB", "SEV", NULL };
  g_autoptr (GVariant) reply = NULL;
  g_autoptr (GVariant) rows = NULL;
  g_autoptr (GError) error = NULL;

  if (argc != 1)
    return vt_ctl_usage ("'connections' takes no arguments");
  reply = vt_ctl_call (ctl, "ListConnections", NULL, G_DBUS_CALL_FLAGS_NONE, &error);
  if (reply == NULL)
    return vt_ctl_fail (error);
  g_variant_get (reply, "(@a(ssbssstb))", &rows);
  vt_ctl_print_rows (ctl, rows, fields, header);
  return VT_EXIT_OK;
}

/* The options of Plan: the hosts named on the command line and by --connection. */
static GVariant *
plan_options (const VtCtl *ctl, int argc, char **argv)
{
  g_autoptr (GStrvBuilder) names = g_strv_builder_new ();
  g_auto (GStrv) list = NULL;
  g_auto (GVariantDict) options = G_VARIANT_DICT_INIT (NULL);

  for (int i = 2; i < argc; i++)
    g_strv_builder_add (names, argv[i]);
  if (ctl->connection != NULL)
    g_strv_builder_add (names, ctl->connection);
  list = g_strv_builder_end (names);
  if (list[0] != NULL)
    g_variant_dict_insert (&options, "connections", "^as", list);
  return g_variant_dict_end (&options);
}

/* One row per host: name, fits, the reasons in one cell; the warnings on stderr after
 * the table, each naming its host. */
static void
print_plan_text (GVariant *hosts)
{
  static const char *const header[] = { "HOST", "FITS", "WHY NOT", NULL };
  g_auto (GVariantBuilder) rows = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE ("a(sss)"));
  g_autoptr (GVariant) table = NULL;
  g_autoptr (GString) warnings = g_string_new (NULL);
  GVariantIter iter;
  const char *name;
  gboolean fits;
  g_autofree const char **reasons = NULL;
  g_autofree const char **notes = NULL;

  g_variant_iter_init (&iter, hosts);
  while (g_variant_iter_next (&iter, "(&sb^a&s^a&s)", &name, &fits, &reasons, &notes))
    {
      g_autofree char *why = g_strjoinv ("; ", (char **) reasons);

      g_variant_builder_add (&rows, "(sss)", name, fits ? "yes" : "no", why);
      for (guint i = 0; notes[i] != NULL; i++)
        {
          g_autofree char *shown = vt_ctl_printable (notes[i], NULL);

          g_string_append_printf (warnings, "warning: %s: %s\n", name, shown);
        }
      g_clear_pointer (&reasons, g_free);
      g_clear_pointer (&notes, g_free);
    }
  table = g_variant_ref_sink (g_variant_builder_end (&rows));
  vt_ctl_print_tuples (table, header);
  fflush (stdout);
  g_printerr ("%s", warnings->str);
}

int
vt_cmd_plan (VtCtl *ctl, int argc, char **argv)
{
  static const char *const fields[] = { "name", "fits", "reasons", "warnings", NULL };
  g_autofree char *text = NULL;
  g_autoptr (GVariant) reply = NULL;
  g_autoptr (GVariant) hosts = NULL;
  g_autoptr (GError) error = NULL;

  if (argc < 2 || (argv[1][0] == '-' && argv[1][1] != '\0'))
    return vt_ctl_usage ("'plan' takes one FILE (or - for standard input) and connection "
                         "names");
  for (int i = 2; i < argc; i++)
    if (argv[i][0] == '-')
      return vt_ctl_usage ("'plan' takes one FILE and connection names, no options");
  text = vt_ctl_read_description (argv[1], &error);
  if (text == NULL)
    return vt_ctl_fail (error);
  reply = vt_ctl_call (ctl, "Plan", g_variant_new ("(s@a{sv})", text,
                                                   plan_options (ctl, argc, argv)),
                       G_DBUS_CALL_FLAGS_NONE, &error);
  if (reply == NULL)
    return vt_ctl_fail (error);
  g_variant_get (reply, "(@a(sbasas))", &hosts);
  if (ctl->json)
    {
      g_autoptr (GString) json = g_string_new (NULL);

      vt_ctl_json_append_tuples (json, hosts, fields);
      vt_ctl_print_json (json);
    }
  else
    print_plan_text (hosts);
  return VT_EXIT_OK;
}
