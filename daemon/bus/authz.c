/* virtuned — authorization of mutating calls (SPEC §9).
 *
 * System bus: polkit decides, asked about the caller's unique bus name (never a PID,
 * which could be recycled). Session bus: polkit cannot judge a session-bus name, so
 * only callers running as the daemon's own uid are served. Anything that prevents a
 * decision (polkitd missing, bus errors) is a refusal. */
#include "bus/authz.h"

#include <unistd.h>

#include <polkit/polkit.h>

#include "util/error.h"

static gboolean
deny (GError **error, const char *action_id, const char *why)
{
  g_set_error (error, VT_ERROR, VT_ERROR_ACCESS_DENIED, "not authorized for %s: %s",
               action_id, why);
  return FALSE;
}

static gboolean
check_same_uid (GDBusConnection *bus, const char *sender, const char *action_id,
                GError **error)
{
  g_autoptr (GError) local_error = NULL;
  g_autoptr (GVariant) reply = NULL;
  guint32 uid;

  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus",
                                       "/org/freedesktop/DBus", "org.freedesktop.DBus",
                                       "GetConnectionUnixUser", g_variant_new ("(s)", sender),
                                       G_VARIANT_TYPE ("(u)"), G_DBUS_CALL_FLAGS_NONE, -1,
                                       NULL, &local_error);
  if (reply == NULL)
    return deny (error, action_id, local_error->message);
  g_variant_get (reply, "(u)", &uid);
  if (uid != getuid ())
    return deny (error, action_id, "on the session bus only the daemon's own user may "
                 "change anything");
  return TRUE;
}

static gboolean
check_polkit (const char *sender, const char *action_id, gboolean interactive,
              GError **error)
{
  g_autoptr (GError) local_error = NULL;
  g_autoptr (PolkitAuthority) authority = NULL;
  g_autoptr (PolkitSubject) subject = NULL;
  g_autoptr (PolkitAuthorizationResult) result = NULL;
  PolkitCheckAuthorizationFlags flags = interactive
    ? POLKIT_CHECK_AUTHORIZATION_FLAGS_ALLOW_USER_INTERACTION
    : POLKIT_CHECK_AUTHORIZATION_FLAGS_NONE;

  authority = polkit_authority_get_sync (NULL, &local_error);
  if (authority == NULL)
    return deny (error, action_id, local_error->message);
  subject = polkit_system_bus_name_new (sender);
  result = polkit_authority_check_authorization_sync (authority, subject, action_id, NULL,
                                                      flags, NULL, &local_error);
  if (result == NULL)
    return deny (error, action_id, local_error->message);
  if (polkit_authorization_result_get_is_authorized (result))
    return TRUE;
  if (polkit_authorization_result_get_dismissed (result))
    return deny (error, action_id, "authentication was dismissed");
  /* A challenge left after an interactive check: no agent could ask the caller. */
  if (polkit_authorization_result_get_is_challenge (result) && interactive)
    return deny (error, action_id, "authentication is required but no polkit agent could "
                 "ask for it; run vscenctl from a terminal (with pkttyagent, package polkitd) "
                 "or ask an administrator for a polkit rule");
  if (polkit_authorization_result_get_is_challenge (result))
    return deny (error, action_id, "authentication is required; call again allowing "
                 "interactive authorization (vscenctl does from a terminal) or ask an "
                 "administrator for a polkit rule");
  return deny (error, action_id, "polkit refused the request");
}

/* The caller may be asked to authenticate when its message allows it (D-Bus's
 * ALLOW_INTERACTIVE_AUTHORIZATION flag: vscenctl on a terminal, busctl, gdbus) or, for
 * older clients, when it passed the "interactive" option. */
static gboolean
allows_interaction (GDBusMethodInvocation *invocation, gboolean interactive_option)
{
  GDBusMessage *message = g_dbus_method_invocation_get_message (invocation);

  return interactive_option
         || (g_dbus_message_get_flags (message)
             & G_DBUS_MESSAGE_FLAGS_ALLOW_INTERACTIVE_AUTHORIZATION) != 0;
}

gboolean
vt_authz_check (VtDaemon *daemon, GDBusMethodInvocation *invocation,
                const char *action_id, gboolean interactive, GError **error)
{
  const char *sender = g_dbus_method_invocation_get_sender (invocation);

  /* A peer-to-peer connection has no sender and no bus to ask about it. */
  if (sender == NULL)
    return deny (error, action_id, "the caller has no bus name");
  if (daemon->session_bus)
    return check_same_uid (g_dbus_method_invocation_get_connection (invocation), sender,
                           action_id, error);
  return check_polkit (sender, action_id, allows_interaction (invocation, interactive), error);
}

const char *
vt_authz_define_action (VtAccessLevel level)
{
  return level == VT_ACCESS_RESTRICTED ? VT_ACTION_DEFINE : VT_ACTION_DEFINE_UNRESTRICTED;
}

gboolean
vt_authz_check_level (VtDaemon *daemon, GDBusMethodInvocation *invocation, VtAccessLevel level,
                      const char *reason, gboolean interactive, GError **error)
{
  g_autoptr (GError) local_error = NULL;

  if (vt_authz_check (daemon, invocation, vt_authz_define_action (level), interactive,
                      &local_error))
    return TRUE;
  if (reason != NULL)
    g_set_error (error, local_error->domain, local_error->code, "%s (needed because %s)",
                 local_error->message, reason);
  else
    g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}
