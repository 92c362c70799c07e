/* vscenctl define FILE|- [--start paused|running]: asks virtuned to define the described
 * domain in libvirt (and start it) and prints its name and UUID (SPEC §6). */
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

/* define FILE|- [--start paused|running]: the options a{sv} for Define, or NULL after
 * a usage error. */
static gboolean
parse_define_args (const VtCtl *ctl, int argc, char **argv, const char **path,
                   GVariant **options)
{
  g_auto (GVariantDict) dict = G_VARIANT_DICT_INIT (NULL);

  *path = NULL;
  for (int i = 1; i < argc; i++)
    {
      if (g_str_equal (argv[i], "--start") && i + 1 < argc)
        {
          const char *start = argv[++i];

          if (!g_str_equal (start, "paused") && !g_str_equal (start, "running"))
            return FALSE;
          g_variant_dict_insert (&dict, "start", "s", start);
        }
      else if (*path == NULL && (argv[i][0] != '-' || argv[i][1] == '\0'))
        *path = argv[i];
      else
        return FALSE;
    }
  if (*path == NULL)
    return FALSE;
  vt_ctl_add_connection (ctl, &dict);
  *options = g_variant_dict_end (&dict);
  return TRUE;
}

int
vt_cmd_define (VtCtl *ctl, int argc, char **argv)
{
  g_autofree char *text = NULL;
  g_autofree char *name = NULL;
  g_autofree char *uuid = NULL;
  g_autofree char *xml = NULL;
  const char *path;
  GVariant *options = NULL;
  g_autoptr (GVariant) reply = NULL;
  g_autoptr (GError) error = NULL;

  if (!parse_define_args (ctl, argc, argv, &path, &options))
    return vt_ctl_usage ("'define' takes one FILE (or - for standard input) and "
                         "--start paused|running");
  text = vt_ctl_read_description (path, &error);
  if (text == NULL)
    {
      g_variant_unref (g_variant_ref_sink (options));
      return vt_ctl_fail (error);
    }
  reply = vt_ctl_call_mutating (ctl, "Define", g_variant_new ("(s@a{sv})", text, options),
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
