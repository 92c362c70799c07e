/* vscenctl diff DOMAIN, upgrade DOMAIN [--backend-only]: upgrade on request (issue
 * #12). diff shows what re-rendering the domain's recorded description today would
 * change, guest-visible first; upgrade applies it with a redefine. */
#include "vscenctl.h"

static const char *const fields[] = { "class", "key", "current", "rendered", NULL };
static const char *const header[] = { "CLASS", "KEY", "CURRENT", "RENDERED", NULL };

static int
print_changes (VtCtl *ctl, GVariant *reply)
{
  g_autoptr (GVariant) rows = NULL;

  g_variant_get (reply, "(@a(ssss))", &rows);
  vt_ctl_print_rows (ctl, rows, fields, header);
  return VT_EXIT_OK;
}

int
vt_cmd_diff (VtCtl *ctl, int argc, char **argv)
{
  g_autoptr (GVariant) reply = NULL;
  g_autoptr (GError) error = NULL;

  if (argc != 2 || argv[1][0] == '-')
    return vt_ctl_usage ("'diff' takes exactly one DOMAIN");
  reply = vt_ctl_call (ctl, "RenderUpdate",
                       g_variant_new ("(s@a{sv})", argv[1], vt_ctl_connection_options (ctl)),
                       G_DBUS_CALL_FLAGS_NONE, &error);
  if (reply == NULL)
    return vt_ctl_fail (error);
  return print_changes (ctl, reply);
}

int
vt_cmd_upgrade (VtCtl *ctl, int argc, char **argv)
{
  g_auto (GVariantBuilder) options = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE_VARDICT);
  g_autoptr (GVariant) reply = NULL;
  g_autoptr (GError) error = NULL;
  const char *domain = NULL;

  for (int i = 1; i < argc; i++)
    {
      if (g_str_equal (argv[i], "--backend-only"))
        g_variant_builder_add (&options, "{sv}", "backend-only", g_variant_new_boolean (TRUE));
      else if (argv[i][0] != '-' && domain == NULL)
        domain = argv[i];
      else
        return vt_ctl_usage ("'upgrade' takes one DOMAIN and --backend-only");
    }
  if (domain == NULL)
    return vt_ctl_usage ("'upgrade' takes one DOMAIN and --backend-only");
  vt_ctl_build_connection (ctl, &options);
  reply = vt_ctl_call_mutating (ctl, "UpgradeDomain",
                                g_variant_new ("(s@a{sv})", domain,
                                               g_variant_builder_end (&options)),
                                &error);
  if (reply == NULL)
    return vt_ctl_fail (error);
  return print_changes (ctl, reply);
}
