/* virtuned — AMD SEV methods (SPEC §8). Not built in this version: both methods say so
 * with .Unsupported instead of pretending to work. */
#include "daemon.h"

#include "util/error.h"

static void
return_not_implemented (GDBusMethodInvocation *invocation)
{
  g_autoptr (GError) error = g_error_new_literal (VT_ERROR, VT_ERROR_UNSUPPORTED,
                                                  "SEV attestation is not implemented in this version");

  vt_daemon_return_error (invocation, error);
}

static gboolean
handle_get_sev_info (VtDbusManager *skeleton, GDBusMethodInvocation *invocation,
                     gpointer user_data)
{
  return_not_implemented (invocation);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_attest_domain (VtDbusManager *skeleton, GDBusMethodInvocation *invocation,
                      const char *domain, GVariant *params, gpointer user_data)
{
  return_not_implemented (invocation);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

void
vt_front_sev_register (VtDaemon *daemon)
{
  g_signal_connect (daemon->skeleton, "handle-get-sev-info",
                    G_CALLBACK (handle_get_sev_info), daemon);
  g_signal_connect (daemon->skeleton, "handle-attest-domain",
                    G_CALLBACK (handle_attest_domain), daemon);
}
