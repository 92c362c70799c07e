/* virtuned — the exported org.virtscenario.Manager object: the generated skeleton, its
 * properties, and one front file per area connected to its methods. */
#pragma once

#include <gio/gio.h>

#include "daemon.h"
#include "vt-manager-generated.h"

G_BEGIN_DECLS

typedef struct {
  VtDaemon *daemon;
  VtDbusManager *skeleton;
  GPtrArray *device_watches;   /* DeviceRemoved's sources, one per host (front-device.c) */
} VtManager;

/* Creates the skeleton with its properties and every front's handlers. */
VtManager *vt_manager_new (VtDaemon *daemon);
void vt_manager_free (VtManager *manager);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VtManager, vt_manager_free)

/* Front files: each connects its handlers to the skeleton's handle-* signals. */
void vt_front_render_register (VtManager *manager);
void vt_front_define_register (VtManager *manager);
void vt_front_host_register (VtManager *manager);
void vt_front_sev_register (VtManager *manager);
void vt_front_os_register (VtManager *manager);
void vt_front_connections_register (VtManager *manager);
void vt_front_domain_register (VtManager *manager);
void vt_front_device_register (VtManager *manager);
void vt_front_update_register (VtManager *manager);
void vt_front_inventory_register (VtManager *manager);

/* GDBus's worker thread: the reply to @call when it is a Render the daemon can answer
 * without blocking (for the default host), else NULL (front-render.c). */
GDBusMessage *vt_front_render_answer (VtManager *manager, GDBusMessage *call);

G_END_DECLS
