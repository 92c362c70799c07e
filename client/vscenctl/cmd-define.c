/* vscenctl define FILE|- : asks virtuned to define the described domain in libvirt and
 * prints its name and UUID (SPEC §6). */
#include "vscenctl.h"

static void
print_define_json (const char *name, const char *uuid, const char *xml)
{
  g_autoptr (GString) json = g_string_new ("{\"name\": ");

  vt_ctl_json_string (json, name);
  g_string_append (json, ", \"uuid\": ");
  vt_ctl_json_string (json, uuid);
  g_string_append (json, ", \"domain_xml\": ");
  vt_ctl_json_string (json, xml);
  g_string_append (json, "}\n");
  fputs (json->str, stdout);
}

int
vt_cmd_define (VtCtl *ctl, int argc, char **argv)
{
  g_autofree char *text = NULL;
  g_autofree char *name = NULL;
  g_autofree char *uuid = NULL;
  g_autofree char *xml = NULL;
  g_autoptr (GVariant) reply = NULL;
  g_autoptr (GError) error = NULL;

  if (argc != 2 || (argv[1][0] == '-' && argv[1][1] != '\0'))
    return vt_ctl_usage ("'define' takes one FILE (or - for standard input)");
  text = vt_ctl_read_description (argv[1], &error);
  if (text == NULL)
    return vt_ctl_fail (error);
  reply = vt_ctl_call_mutating (ctl, "Define", g_variant_new ("(sa{sv})", text, NULL),
                                &error);
  if (reply == NULL)
    return vt_ctl_fail (error);
  g_variant_get (reply, "(sss)", &name, &uuid, &xml);
  if (ctl->json)
    print_define_json (name, uuid, xml);
  else
    {
      g_autofree char *name_shown = vt_ctl_printable (name, NULL);
      g_autofree char *uuid_shown = vt_ctl_printable (uuid, NULL);

      g_print ("name: %s\nuuid: %s\n", name_shown, uuid_shown);
    }
  return VT_EXIT_OK;
}
