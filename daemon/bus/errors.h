/* virtuned — VtErrorCode <-> named D-Bus errors (SPEC §5). */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Replies to @invocation with @error under its D-Bus name: VT_ERROR codes as
 * org.virtscenario.Error.*, GDBus's own errors under their standard names. */
void vt_bus_return_error (GDBusMethodInvocation *invocation, const GError *error);

/* The same answer as a message, for a call refused before it became an invocation
 * (the connection's filter, bus/bounds.c). */
GDBusMessage *vt_bus_error_reply (GDBusMessage *call, const GError *error);

G_END_DECLS
