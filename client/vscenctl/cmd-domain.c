/* vscenctl domain describe DOMAIN: the description a domain was defined from, as Define
 * recorded it (issue #12). */
#include "vscenctl.h"

/* The text form is the description itself, so `domain describe vm > vm.yaml` gives a
 * file define and render take; what else was recorded goes in comments above it. */
static void
print_description_text (const char *description, const char *const *scenarios,
                        const char *version)
{
  g_autofree char *list = g_strjoinv (", ", (char **) scenarios);
  g_autofree char *shown_list = vt_ctl_printable (list, NULL);
  g_autofree char *shown_version = vt_ctl_printable (version, NULL);
  g_autofree char *shown = vt_ctl_printable (description, "\n");

  g_print ("# defined by virtuned %s with the scenarios %s\n", shown_version, shown_list);
  g_print ("%s%s", shown, g_str_has_suffix (shown, "\n") ? "" : "\n");
}

static void
print_description_json (const char *domain, GVariant *reply)
{
  static const char *const fields[] = { "description", "scenarios", "version" };
  g_autoptr (GString) json = g_string_new ("{\"domain\": ");

  vt_ctl_json_string (json, domain);
  for (gsize i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      g_autoptr (GVariant) value = g_variant_get_child_value (reply, i);

      g_string_append (json, ", ");
      vt_ctl_json_string (json, fields[i]);
      g_string_append (json, ": ");
      vt_ctl_json_append_value (json, value);
    }
  g_string_append_c (json, '}');
  vt_ctl_print_json (json);
}

static int
domain_describe (VtCtl *ctl, int argc, char **argv)
{
  g_autoptr (GVariant) reply = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *description = NULL;
  g_autofree char *version = NULL;
  g_autofree const char **scenarios = NULL;

  if (argc != 1 || argv[0][0] == '-')
    return vt_ctl_usage ("'domain describe' takes exactly one DOMAIN");
  reply = vt_ctl_call (ctl, "DescribeDomain",
                       g_variant_new ("(s@a{sv})", argv[0], vt_ctl_connection_options (ctl)),
                       G_DBUS_CALL_FLAGS_NONE, &error);
  if (reply == NULL)
    return vt_ctl_fail (error);
  if (ctl->json)
    {
      print_description_json (argv[0], reply);
      return VT_EXIT_OK;
    }
  g_variant_get (reply, "(s^a&ss)", &description, &scenarios, &version);
  print_description_text (description, scenarios, version);
  return VT_EXIT_OK;
}

int
vt_cmd_domain (VtCtl *ctl, int argc, char **argv)
{
  if (argc >= 2 && g_str_equal (argv[1], "describe"))
    return domain_describe (ctl, argc - 2, argv + 2);
  return vt_ctl_usage ("'domain' needs describe");
}
