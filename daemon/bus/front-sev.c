/* virtuned — AMD SEV methods (SPEC §8). Not built in this version: both methods say so
 * with .Unsupported instead of pretending to work. */
#include "bus/manager.h"

#include "bus/dispatch.h"
#include "util/error.h"

static gboolean
not_implemented (VtCall *call, GError **error)
{
  g_set_error_literal (error, VT_ERROR, VT_ERROR_UNSUPPORTED,
                       "SEV attestation is not implemented in this version");
  return FALSE;
}

static const VtMethod unsupported_method = { .work = not_implemented };

static gboolean
handle_get_sev_info (VtDbusManager *skeleton, GDBusMethodInvocation *invocation,
                     VtManager *manager)
{
  vt_dispatch (manager, invocation, &unsupported_method, NULL);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_attest_domain (VtDbusManager *skeleton, GDBusMethodInvocation *invocation,
                      const char *domain, GVariant *params, VtManager *manager)
{
  vt_dispatch (manager, invocation, &unsupported_method, NULL);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

void
vt_front_sev_register (VtManager *manager)
{
  g_signal_connect (manager->skeleton, "handle-get-sev-info",
                    G_CALLBACK (handle_get_sev_info), manager);
  g_signal_connect (manager->skeleton, "handle-attest-domain",
                    G_CALLBACK (handle_attest_domain), manager);
}
