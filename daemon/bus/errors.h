/* virtuned — VtErrorCode <-> named D-Bus errors (SPEC §5). */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Replies to @invocation with @error under its D-Bus name: VT_ERROR codes as
 * org.virtscenario.Error.*, GDBus's own errors under their standard names. */
void vt_bus_return_error (GDBusMethodInvocation *invocation, const GError *error);

G_END_DECLS
