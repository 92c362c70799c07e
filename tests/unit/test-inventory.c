/* ListPools' and ListNetworks' core (libvirt/inventory.c) against libvirt's in-process
 * test driver: the allowed flag follows the connection's configuration, the allowed come
 * first, inactive ones are listed as such, the cap drops the last unlisted ones, and an
 * unreachable host is an error naming it. The bus side is
 * tests/integration/test-bus-inventory.sh. */
#include <libvirt/libvirt.h>

#include "libvirt/hypervisor.h"
#include "libvirt/inventory.h"
#include "util/error.h"

static VtHypervisor *
hypervisor (const char *uri, const char *const *pools, const char *const *networks)
{
  g_autoptr (VtConnectionConfig) config = vt_connection_config_new ("t", uri);

  g_strfreev (config->allowed_pools);
  g_strfreev (config->allowed_networks);
  config->allowed_pools = g_strdupv ((char **) pools);
  config->allowed_networks = g_strdupv ((char **) networks);
  return vt_hypervisor_new (config, "/", NULL);
}

/* test:///default has the active pool default-pool and network default; two more of
 * each, defined and not started, over the hypervisor's own connection (the test
 * driver's default instance is shared within the process). */
static void
add_inactive (VtHypervisor *hv)
{
  g_autoptr (GError) error = NULL;
  virConnectPtr conn = vt_connection_get (vt_hypervisor_connection (hv), &error);
  const char *const pools[] = { "b-other", "zz-allowed" };
  const char *const nets[] = { "b-net", "zz-net" };

  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (pools); i++)
    {
      g_autofree char *xml = g_strdup_printf ("<pool type='dir'><name>%s</name><target>"
                                              "<path>/var/lib/%s</path></target></pool>",
                                              pools[i], pools[i]);
      g_autofree char *net = g_strdup_printf ("<network><name>%s</name><bridge name='vt%u'/>"
                                              "</network>", nets[i], i);
      virStoragePoolPtr pool = virStoragePoolDefineXML (conn, xml, 0);
      virNetworkPtr network = virNetworkDefineXML (conn, net);

      g_assert_nonnull (pool);
      g_assert_nonnull (network);
      virStoragePoolFree (pool);
      virNetworkFree (network);
    }
  virConnectClose (conn);
}

static void
assert_item (GPtrArray *items, guint i, const char *name, gboolean active, gboolean allowed)
{
  const VtInventoryItem *item = g_ptr_array_index (items, i);

  g_assert_cmpstr (item->name, ==, name);
  g_assert_cmpint (item->active, ==, active);
  g_assert_cmpint (item->allowed, ==, allowed);
}

static void
test_order_and_flags (void)
{
  const char *const allowed_pools[] = { "zz-allowed", "missing", NULL };
  const char *const allowed_nets[] = { "zz-net", NULL };
  g_autoptr (VtHypervisor) hv = hypervisor ("test:///default", allowed_pools, allowed_nets);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) pools = NULL;
  g_autoptr (GPtrArray) nets = NULL;

  add_inactive (hv);
  pools = vt_inventory_list (hv, VT_INVENTORY_POOLS, 100, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pools->len, ==, 3);     /* an allowed name the host lacks is not listed */
  assert_item (pools, 0, "zz-allowed", FALSE, TRUE);
  assert_item (pools, 1, "b-other", FALSE, FALSE);
  assert_item (pools, 2, "default-pool", TRUE, FALSE);
  nets = vt_inventory_list (hv, VT_INVENTORY_NETWORKS, 100, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (nets->len, ==, 3);
  assert_item (nets, 0, "zz-net", FALSE, TRUE);
  assert_item (nets, 1, "b-net", FALSE, FALSE);
  assert_item (nets, 2, "default", TRUE, FALSE);
}

/* The cap keeps the allowed ones and drops the last unlisted ones. */
static void
test_cap (void)
{
  const char *const allowed_pools[] = { "zz-allowed", NULL };
  g_autoptr (VtHypervisor) hv = hypervisor ("test:///default", allowed_pools, NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) pools = NULL;

  add_inactive (hv);
  pools = vt_inventory_list (hv, VT_INVENTORY_POOLS, 2, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pools->len, ==, 2);
  assert_item (pools, 0, "zz-allowed", FALSE, TRUE);
  assert_item (pools, 1, "b-other", FALSE, FALSE);
}

static void
test_unreachable (void)
{
  g_autoptr (VtHypervisor) hv = hypervisor ("qemu+tcp://127.0.0.1:1/system", NULL, NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) nets = vt_inventory_list (hv, VT_INVENTORY_NETWORKS, 100, &error);

  g_assert_null (nets);
  g_assert_error (error, VT_ERROR, VT_ERROR_LIBVIRT);
  g_assert_true (g_str_has_prefix (error->message, "connection 't': "));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/inventory/order-and-flags", test_order_and_flags);
  g_test_add_func ("/inventory/cap", test_cap);
  g_test_add_func ("/inventory/unreachable", test_unreachable);
  return g_test_run ();
}
