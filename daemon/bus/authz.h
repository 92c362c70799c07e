/* virtuned — authorization of mutating calls (SPEC §9). */
#pragma once

#include <gio/gio.h>

#include "daemon.h"
#include "libvirt/access.h"

G_BEGIN_DECLS

/* virtuned's polkit actions (policy/org.virtscenario.policy). */
#define VT_ACTION_DEFINE "org.virtscenario.define"
#define VT_ACTION_DEFINE_UNRESTRICTED "org.virtscenario.define-unrestricted"
#define VT_ACTION_TUNE_HOST "org.virtscenario.tune-host"
#define VT_ACTION_ATTEST "org.virtscenario.attest"

/* The polkit action that grants @level. */
const char *vt_authz_define_action (VtAccessLevel level);

/* Blocking check; call it from a worker thread, never the main loop. On the system bus
 * asks polkit about the caller's bus name (system-bus-name subject), allowing interaction
 * when the call's message carries G_DBUS_MESSAGE_FLAGS_ALLOW_INTERACTIVE_AUTHORIZATION or
 * @interactive (the "interactive" option older clients send) is set. On the session bus
 * allows only callers with the daemon's uid. Refusal: VT_ERROR_ACCESS_DENIED with a
 * sentence naming the action and, for an unanswered challenge, saying authentication is
 * required. */
gboolean vt_authz_check (VtDaemon *daemon, GDBusMethodInvocation *invocation,
                         const char *action_id, gboolean interactive, GError **error);

/* vt_authz_check for the action granting @level; a refusal of the unrestricted action
 * says why it was needed (@reason, nullable: access.c's sentence). */
gboolean vt_authz_check_level (VtDaemon *daemon, GDBusMethodInvocation *invocation,
                               VtAccessLevel level, const char *reason, gboolean interactive,
                               GError **error);

G_END_DECLS
