/* virtuned — ListPools and ListNetworks: a host's storage pools and networks for
 * clients' pickers, each with whether Define may use it without define-unrestricted.
 * No authorization: names and states only, what the pickers need to say "allowed"
 * before Define asks polkit. They ask libvirt, so they run in a worker. */
#include "bus/manager.h"

#include "bus/dispatch.h"
#include "bus/options.h"
#include "bus/target.h"
#include "libvirt/inventory.h"
#include "model/limits.h"

typedef struct {
  VtInventoryKind kind;
  const char *method;       /* "ListPools" or "ListNetworks", for errors */
  GVariant *options;
  GPtrArray *items;         /* VtInventoryItem* */
} InventoryJob;

static void
inventory_job_free (InventoryJob *job)
{
  g_clear_pointer (&job->options, g_variant_unref);
  g_clear_pointer (&job->items, g_ptr_array_unref);
  g_free (job);
}

static gboolean
list_inventory (VtCall *call, GError **error)
{
  InventoryJob *job = call->job;
  const char *connection = NULL;
  const VtChoiceOption choices[] = { VT_CONNECTION_OPTION (&connection), { NULL, NULL, NULL } };
  VtHypervisor *hv;

  if (!vt_options_parse (job->options, job->method, NULL, choices, error))
    return FALSE;
  hv = vt_bus_hypervisor (call->manager->daemon, job->method, connection, error);
  if (hv == NULL)
    return FALSE;
  job->items = vt_inventory_list (hv, job->kind, VT_INVENTORY_MAX_ITEMS, error);
  return job->items != NULL;
}

static void
reply_inventory (VtCall *call)
{
  InventoryJob *job = call->job;
  GVariantBuilder rows;

  g_variant_builder_init (&rows, G_VARIANT_TYPE ("a(sbb)"));
  for (guint i = 0; i < job->items->len; i++)
    {
      const VtInventoryItem *item = g_ptr_array_index (job->items, i);
      /* libvirt's names are the host's text: valid UTF-8 before they are strings. */
      g_autofree char *name = g_utf8_make_valid (item->name, -1);

      g_variant_builder_add (&rows, "(sbb)", name, item->active, item->allowed);
    }
  g_dbus_method_invocation_return_value (call->invocation,
                                         g_variant_new ("(a(sbb))", &rows));
}

static const VtMethod inventory_method = {
  .work = list_inventory, .reply = reply_inventory,
  .free_job = (GDestroyNotify) inventory_job_free, .blocking = TRUE,
};

static void
dispatch_inventory (VtManager *manager, GDBusMethodInvocation *invocation,
                    VtInventoryKind kind, const char *method, GVariant *options)
{
  InventoryJob *job = g_new0 (InventoryJob, 1);

  job->kind = kind;
  job->method = method;
  job->options = g_variant_ref (options);
  vt_dispatch (manager, invocation, &inventory_method, job);
}

static gboolean
handle_list_pools (VtDbusManager *skeleton, GDBusMethodInvocation *invocation,
                   GVariant *options, VtManager *manager)
{
  dispatch_inventory (manager, invocation, VT_INVENTORY_POOLS, "ListPools", options);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_list_networks (VtDbusManager *skeleton, GDBusMethodInvocation *invocation,
                      GVariant *options, VtManager *manager)
{
  dispatch_inventory (manager, invocation, VT_INVENTORY_NETWORKS, "ListNetworks", options);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

void
vt_front_inventory_register (VtManager *manager)
{
  g_signal_connect (manager->skeleton, "handle-list-pools", G_CALLBACK (handle_list_pools),
                    manager);
  g_signal_connect (manager->skeleton, "handle-list-networks",
                    G_CALLBACK (handle_list_networks), manager);
}
