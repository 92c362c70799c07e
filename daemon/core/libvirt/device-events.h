/* virtuned — libvirt's device-removed events of virtuned's devices (issue #12): a
 * running guest released a device, e.g. after a detach that was still pending. */
#pragma once

#include <glib.h>

#include "libvirt/connection.h"

G_BEGIN_DECLS

/* Domain @domain released its device @alias (a ua- alias: virtuned's devices only). Runs
 * where libvirt's events run: the daemon's main loop. */
typedef void (*VtDeviceRemovedFunc) (const char *domain, const char *alias, gpointer data);

typedef struct _VtDeviceEvents VtDeviceEvents;

/* Calls @func for every device-removed event on each connection @conn opens, until
 * freed. @conn is borrowed and must outlive the result. */
VtDeviceEvents *vt_device_events_new (VtConnection *conn, VtDeviceRemovedFunc func,
                                      gpointer data);
void vt_device_events_free (VtDeviceEvents *events);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VtDeviceEvents, vt_device_events_free)

G_END_DECLS
