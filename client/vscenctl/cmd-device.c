/* vscenctl device list|render|attach|detach: a domain's devices after Define (issue
 * #12), found and changed by their aliases. A DEVICE is one disks: or networks: entry of
 * a description, as YAML text ('{pool: default, size: 10GiB}'), or - to read it from
 * standard input. */
#include "vscenctl.h"


/* The scope flags attach and detach share (and detach's --delete-storage, @extra when
 * not NULL), and the positional arguments left over. */
typedef struct {
  GVariantBuilder options;
  const char *args[2];
  int n_args;
} DeviceArgs;

static gboolean
is_flag (const char *arg, const char *extra)
{
  return g_str_equal (arg, "--live") || g_str_equal (arg, "--config")
         || g_strcmp0 (arg, extra) == 0;
}

static gboolean
parse_args (int argc, char **argv, int want, const char *extra, DeviceArgs *parsed)
{
  g_variant_builder_init (&parsed->options, G_VARIANT_TYPE_VARDICT);
  parsed->n_args = 0;
  for (int i = 0; i < argc; i++)
    {
      if (is_flag (argv[i], extra))
        g_variant_builder_add (&parsed->options, "{sv}", argv[i] + 2,
                               g_variant_new_boolean (TRUE));
      else if ((argv[i][0] != '-' || g_str_equal (argv[i], "-")) && parsed->n_args < want)
        parsed->args[parsed->n_args++] = argv[i];
      else
        parsed->n_args = want + 1;
    }
  if (parsed->n_args == want)
    return TRUE;
  g_variant_builder_clear (&parsed->options);
  return FALSE;
}

/* The fragment: the argument itself, or standard input for "-" (read as a description
 * is; the daemon refuses one over VT_DEVICE_MAX_BYTES). */
static char *
read_fragment (const char *arg, GError **error)
{
  if (g_str_equal (arg, "-"))
    return vt_ctl_read_description (arg, error);
  return g_strdup (arg);
}

static int
device_list (VtCtl *ctl, int argc, char **argv)
{
  static const char *const fields[] = { "alias", "kind", "summary", "guest_identity", NULL };
  static const char *const header[] = { "ALIAS", "KIND", "SUMMARY", "GUEST-ID", NULL };
  g_autoptr (GVariant) reply = NULL;
  g_autoptr (GVariant) rows = NULL;
  g_autoptr (GError) error = NULL;
  const char *domain = NULL;
  g_auto (GVariantBuilder) options = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE_VARDICT);

  for (int i = 0; i < argc; i++)
    {
      if (g_str_equal (argv[i], "--live") || g_str_equal (argv[i], "--config"))
        g_variant_builder_add (&options, "{sv}", "live",
                               g_variant_new_boolean (g_str_equal (argv[i], "--live")));
      else if (argv[i][0] != '-' && domain == NULL)
        domain = argv[i];
      else
        return vt_ctl_usage ("'device list' takes one DOMAIN and --live or --config");
    }
  if (domain == NULL)
    return vt_ctl_usage ("'device list' takes one DOMAIN and --live or --config");
  vt_ctl_build_connection (ctl, &options);
  reply = vt_ctl_call (ctl, "ListDevices",
                       g_variant_new ("(s@a{sv})", domain, g_variant_builder_end (&options)),
                       G_DBUS_CALL_FLAGS_NONE, &error);
  if (reply == NULL)
    return vt_ctl_fail (error);
  g_variant_get (reply, "(@a(ssss))", &rows);
  vt_ctl_print_rows (ctl, rows, fields, header);
  return VT_EXIT_OK;
}

/* Prints the reply's strings: JSON members named @fields, else one per line. */
static void
print_strings (VtCtl *ctl, GVariant *reply, const char *const *fields)
{
  g_autoptr (GString) json = g_string_new ("{");

  for (gsize i = 0; fields[i] != NULL; i++)
    {
      const char *value = NULL;

      g_variant_get_child (reply, i, "&s", &value);
      if (!ctl->json)
        {
          g_autofree char *shown = vt_ctl_printable (value, "\n\t");

          g_print ("%s%s", shown, g_str_has_suffix (shown, "\n") ? "" : "\n");
          continue;
        }
      g_string_append (json, i == 0 ? "" : ", ");
      vt_ctl_json_string (json, fields[i]);
      g_string_append (json, ": ");
      vt_ctl_json_string (json, value);
    }
  g_string_append_c (json, '}');
  if (ctl->json)
    vt_ctl_print_json (json);
}

/* render, attach: DOMAIN DEVICE; detach: DOMAIN ALIAS; @method's reply is printed as
 * @fields. */
static int
device_call (VtCtl *ctl, int argc, char **argv, const char *method, gboolean mutating,
             const char *usage, const char *const *fields)
{
  DeviceArgs args;
  g_autofree char *device = NULL;
  g_autoptr (GVariant) reply = NULL;
  g_autoptr (GError) error = NULL;
  GVariant *parameters;
  gboolean detach = g_str_equal (method, "DetachDevice");

  if (!parse_args (argc, argv, 2, detach ? "--delete-storage" : NULL, &args))
    return vt_ctl_usage (usage);
  device = detach ? g_strdup (args.args[1]) : read_fragment (args.args[1], &error);
  if (device == NULL)
    {
      g_variant_builder_clear (&args.options);
      return vt_ctl_fail (error);
    }
  vt_ctl_build_connection (ctl, &args.options);
  parameters = g_variant_new ("(ssa{sv})", args.args[0], device, &args.options);
  reply = mutating ? vt_ctl_call_mutating (ctl, method, parameters, &error)
                   : vt_ctl_call (ctl, method, parameters, G_DBUS_CALL_FLAGS_NONE, &error);
  if (reply == NULL)
    return vt_ctl_fail (error);
  print_strings (ctl, reply, fields);
  return VT_EXIT_OK;
}

int
vt_cmd_device (VtCtl *ctl, int argc, char **argv)
{
  static const char *const render_fields[] = { "xml", "alias", NULL };
  static const char *const attach_fields[] = { "alias", NULL };
  static const char *const detach_fields[] = { "state", NULL };
  const char *what = argc >= 2 ? argv[1] : "";

  if (g_str_equal (what, "list"))
    return device_list (ctl, argc - 2, argv + 2);
  if (g_str_equal (what, "render"))
    return device_call (ctl, argc - 2, argv + 2, "RenderDevice", FALSE,
                        "'device render' takes DOMAIN and DEVICE (YAML, or - for standard "
                        "input)", render_fields);
  if (g_str_equal (what, "attach"))
    return device_call (ctl, argc - 2, argv + 2, "AttachDevice", TRUE,
                        "'device attach' takes DOMAIN, DEVICE (YAML, or -) and --live, "
                        "--config", attach_fields);
  if (g_str_equal (what, "detach"))
    return device_call (ctl, argc - 2, argv + 2, "DetachDevice", TRUE,
                        "'device detach' takes DOMAIN, ALIAS and --live, --config, "
                        "--delete-storage",
                        detach_fields);
  return vt_ctl_usage ("'device' needs list, render, attach or detach");
}
