/* The network interface builder. */
#include "domain/devices.h"

#include "domain/identity.h"
#include "domain/xml-tree.h"

gboolean
vt_device_add_nic (xmlNodePtr devices, const VtDeviceContext *ctx, const VtNetDesc *net,
                   guint index, GError **error)
{
  const char *model;
  gboolean bridge;
  g_autofree char *alias = NULL;
  g_autofree char *mac = NULL;
  xmlNodePtr iface;

  g_return_val_if_fail (devices != NULL && ctx != NULL && net != NULL, FALSE);

  model = vt_device_setting (ctx, "guest.nic", "virtio");
  bridge = net->kind == VT_NET_BRIDGE;
  if (!vt_tree_check_text ("networks source", net->source, error) ||
      !vt_tree_check_text ("networks mac", net->mac, error))
    return FALSE;
  iface = vt_tree_add_with (devices, "interface", "type", bridge ? "bridge" : "network");
  alias = vt_device_nic_alias (net, index);
  mac = vt_device_nic_mac (ctx, net, alias);
  vt_tree_add_with (iface, "mac", "address", mac);
  vt_tree_add_with (iface, "source", bridge ? "bridge" : "network", net->source);
  vt_tree_add_with (iface, "model", "type", model);
  if (g_str_equal (model, "virtio") && ctx->sev)
    {
      vt_device_add_iommu_driver (ctx, iface);
      /* iPXE's option ROM is not SEV-aware. */
      vt_tree_add_with (iface, "rom", "enabled", "no");
    }
  vt_tree_add_with (iface, "alias", "name", alias);
  return TRUE;
}
