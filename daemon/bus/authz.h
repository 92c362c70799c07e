/* virtuned — authorization of mutating calls (SPEC §9). */
#pragma once

#include <gio/gio.h>

#include "daemon.h"
#include "libvirt/access.h"   /* the VT_ACTION_* ids, defined with the security model */

G_BEGIN_DECLS

/* Blocking check; call it from a worker thread, never the main loop. On the system bus
 * asks polkit about the caller's bus name (system-bus-name subject), allowing interaction
 * when the call's message carries G_DBUS_MESSAGE_FLAGS_ALLOW_INTERACTIVE_AUTHORIZATION or
 * @interactive (the "interactive" option older clients send) is set. On the session bus
 * allows only callers with the daemon's uid. Refusal: VT_ERROR_ACCESS_DENIED with a
 * sentence naming the action and, for an unanswered challenge, saying authentication is
 * required. */
gboolean vt_authz_check (VtDaemon *daemon, GDBusMethodInvocation *invocation,
                         const char *action_id, gboolean interactive, GError **error);

G_END_DECLS
