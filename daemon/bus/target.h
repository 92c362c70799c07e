/* virtuned — which libvirt host a call is for: its "connection" option, looked up. */
#pragma once

#include <gio/gio.h>

#include "bus/options.h"
#include "daemon.h"

G_BEGIN_DECLS

/* The host @name names, the default one when @name is NULL (no option). A name that is
 * not one of virtuned.conf's is G_DBUS_ERROR_INVALID_ARGS naming @method, the name
 * (escaped) and the connections that exist. */
VtHypervisor *vt_bus_hypervisor (VtDaemon *daemon, const char *method, const char *name,
                                 GError **error);

/* The host @options name: they are parsed strictly (vt_options_parse_connection, with
 * @bools the method's booleans, which may be NULL), then the name is looked up as
 * vt_bus_hypervisor does. */
VtHypervisor *vt_bus_options_hypervisor (VtDaemon *daemon, GVariant *options,
                                         const char *method, const VtBoolOption *bools,
                                         GError **error);

G_END_DECLS
