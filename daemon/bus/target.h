/* virtuned — which libvirt host a call is for: its "connection" option, looked up. */
#pragma once

#include <gio/gio.h>

#include "daemon.h"

G_BEGIN_DECLS

/* The host @name names, the default one when @name is NULL (no option). A name that is
 * not one of virtuned.conf's is G_DBUS_ERROR_INVALID_ARGS naming @method, the name
 * (escaped) and the connections that exist. */
VtHypervisor *vt_bus_hypervisor (VtDaemon *daemon, const char *method, const char *name,
                                 GError **error);

G_END_DECLS
