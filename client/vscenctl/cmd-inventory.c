/* vscenctl pools, vscenctl networks: a host's storage pools and networks (--connection
 * NAME for another than the default), and which ones ordinary Define may use. */
#include "vscenctl.h"

/* One command for both: they differ only in the method and the words. */
static int
list_inventory (VtCtl *ctl, int argc, const char *method, const char *usage)
{
  static const char *const fields[] = { "name", "active", "allowed", NULL };
  static const char *const header[] = { "NAME", "ACTIVE", "ALLOWED", NULL };
  g_auto (GVariantDict) options = G_VARIANT_DICT_INIT (NULL);
  g_autoptr (GVariant) reply = NULL;
  g_autoptr (GVariant) rows = NULL;
  g_autoptr (GError) error = NULL;

  if (argc != 1)
    return vt_ctl_usage (usage);
  vt_ctl_add_connection (ctl, &options);
  reply = vt_ctl_call (ctl, method, g_variant_new ("(@a{sv})", g_variant_dict_end (&options)),
                       G_DBUS_CALL_FLAGS_NONE, &error);
  if (reply == NULL)
    return vt_ctl_fail (error);
  g_variant_get (reply, "(@a(sbb))", &rows);
  vt_ctl_print_rows (ctl, rows, fields, header);
  return VT_EXIT_OK;
}

int
vt_cmd_pools (VtCtl *ctl, int argc, char **argv)
{
  return list_inventory (ctl, argc, "ListPools", "'pools' takes no arguments");
}

int
vt_cmd_networks (VtCtl *ctl, int argc, char **argv)
{
  return list_inventory (ctl, argc, "ListNetworks", "'networks' takes no arguments");
}
