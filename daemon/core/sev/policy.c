#include "sev/policy.h"

char *
vt_sev_policy_text (const VtSettings *settings)
{
  const char *policy = vt_settings_get (settings, "guest.sev.policy");
  guint bits = VT_SEV_POLICY_NODBG | VT_SEV_POLICY_NOKS;

  if (policy && !g_str_equal (policy, "auto"))
    return g_strdup (policy);
  if (vt_settings_is (settings, "guest.sev", "sev-es"))
    bits |= VT_SEV_POLICY_ES;
  return g_strdup_printf ("0x%04x", bits);
}
