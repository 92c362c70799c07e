/* virtuned — the size of every method call, bounded before GDBus copies its arguments:
 * one maximum per method, derived from model/limits.h. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Once at start: large blocks go back to the system when freed. */
void vt_bus_bounds_init (void);

/* Any thread (the connection's filter runs in GDBus's worker thread); never blocks.
 * NULL when @call may be dispatched, else the error reply to send instead of
 * dispatching it: InvalidDescription for a description over VT_DESCRIPTION_MAX_BYTES
 * (the parser's own sentence), InvalidArgs for any other call over its method's
 * maximum. A refused @call gives its memory back to the system once it is freed. */
GDBusMessage *vt_bus_bounds_screen (GDBusMessage *call);

/* Each AttestDomain parameter within its own bound (the call's bound is their sum, so
 * one parameter could otherwise take the room of all). G_DBUS_ERROR_INVALID_ARGS naming
 * the parameter. */
gboolean vt_bus_bounds_check_attest_params (GVariant *params, GError **error);

G_END_DECLS
