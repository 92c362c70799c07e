/* virtuned — a host's storage pools and virtual networks, for clients' pickers: each
 * with whether it runs and whether callers without define-unrestricted may use it. */
#pragma once

#include <glib.h>

#include "libvirt/hypervisor.h"

G_BEGIN_DECLS

typedef struct {
  char *name;
  gboolean active;
  gboolean allowed;         /* virtuned.conf lists it for this connection (access.c) */
} VtInventoryItem;

void vt_inventory_item_free (VtInventoryItem *item);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VtInventoryItem, vt_inventory_item_free)

typedef enum {
  VT_INVENTORY_POOLS,
  VT_INVENTORY_NETWORKS,
} VtInventoryKind;

/* The pools or networks of @hv (VtInventoryItem*), the allowed ones first, each part
 * sorted by name, at most @max of them: a host with more loses its last (never an
 * allowed one before an unlisted one). Blocking (libvirt). Errors: VT_ERROR_LIBVIRT,
 * prefixed "connection 'NAME': ". */
GPtrArray *vt_inventory_list (VtHypervisor *hv, VtInventoryKind kind, guint max,
                              GError **error);

G_END_DECLS
