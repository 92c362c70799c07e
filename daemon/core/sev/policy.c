#include "sev/policy.h"

char *
vt_sev_policy_text (const VtSettings *settings)
{
  const char *policy = vt_settings_get (settings, "guest.sev.policy");

  /* With guest-owner launch data the merge has set the owner's word here. */
  if (policy && !g_str_equal (policy, "auto"))
    return g_strdup (policy);
  return g_strdup_printf ("0x%04x",
                          vt_sev_policy_auto (vt_settings_is (settings, "guest.sev", "sev-es")));
}
