/* virtuned — a host's storage pools and virtual networks, for clients' pickers.
 * "allowed" is what access.c treats as allowed for Define without define-unrestricted:
 * the connection's allowed_pools and allowed_networks of virtuned.conf. */
#include "libvirt/inventory.h"

#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "libvirt/virt-error.h"

void
vt_inventory_item_free (VtInventoryItem *item)
{
  if (item == NULL)
    return;
  g_free (item->name);
  g_free (item);
}

static VtInventoryItem *
item_new (const char *name, int active, const GStrv allowed)
{
  VtInventoryItem *item = g_new0 (VtInventoryItem, 1);

  item->name = g_strdup (name);
  item->active = active == 1;
  item->allowed = allowed != NULL && g_strv_contains ((const char *const *) allowed, name);
  return item;
}

static gboolean
list_pools (virConnectPtr conn, const VtConnectionConfig *config, GPtrArray *items,
            GError **error)
{
  virStoragePoolPtr *pools = NULL;
  int n = virConnectListAllStoragePools (conn, &pools, 0);

  if (n < 0)
    return vt_set_libvirt_error (error, "cannot list storage pools");
  for (int i = 0; i < n; i++)
    {
      g_ptr_array_add (items, item_new (virStoragePoolGetName (pools[i]),
                                        virStoragePoolIsActive (pools[i]),
                                        config->allowed_pools));
      virStoragePoolFree (pools[i]);
    }
  free (pools);
  return TRUE;
}

static gboolean
list_networks (virConnectPtr conn, const VtConnectionConfig *config, GPtrArray *items,
               GError **error)
{
  virNetworkPtr *networks = NULL;
  int n = virConnectListAllNetworks (conn, &networks, 0);

  if (n < 0)
    return vt_set_libvirt_error (error, "cannot list networks");
  for (int i = 0; i < n; i++)
    {
      g_ptr_array_add (items, item_new (virNetworkGetName (networks[i]),
                                        virNetworkIsActive (networks[i]),
                                        config->allowed_networks));
      virNetworkFree (networks[i]);
    }
  free (networks);
  return TRUE;
}

/* Allowed first: a picker offers them first, and a cap keeps them. */
static gint
compare_items (gconstpointer a, gconstpointer b)
{
  const VtInventoryItem *x = *(VtInventoryItem *const *) a;
  const VtInventoryItem *y = *(VtInventoryItem *const *) b;

  if (x->allowed != y->allowed)
    return x->allowed ? -1 : 1;
  return g_strcmp0 (x->name, y->name);
}

GPtrArray *
vt_inventory_list (VtHypervisor *hv, VtInventoryKind kind, guint max, GError **error)
{
  const VtConnectionConfig *config = vt_hypervisor_config (hv);
  g_autoptr (GPtrArray) items = g_ptr_array_new_with_free_func (
    (GDestroyNotify) vt_inventory_item_free);
  virConnectPtr conn = vt_connection_get (vt_hypervisor_connection (hv), error);
  gboolean listed;

  if (conn == NULL)
    {
      vt_hypervisor_prefix_error (hv, error);
      return NULL;
    }
  listed = kind == VT_INVENTORY_POOLS ? list_pools (conn, config, items, error)
                                      : list_networks (conn, config, items, error);
  virConnectClose (conn);
  if (!listed)
    {
      vt_hypervisor_prefix_error (hv, error);
      return NULL;
    }
  g_ptr_array_sort (items, compare_items);
  if (items->len > max)
    g_ptr_array_set_size (items, max);
  return g_steal_pointer (&items);
}
