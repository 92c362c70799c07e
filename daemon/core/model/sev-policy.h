/* virtuned — the AMD SEV guest policy word (SEV API §3, "Guest Policy"): its named bits
 * and what guest.sev.policy: auto stands for, defined once. It sits in model because two
 * parts need it: the merge, which checks a guest owner's word against the settings, and
 * core/sev, which derives the word the renderer writes. Header only. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define VT_SEV_POLICY_NODBG 0x0001u   /* debugging of the guest is disallowed */
#define VT_SEV_POLICY_NOKS  0x0002u   /* sharing keys with other guests is disallowed */
#define VT_SEV_POLICY_ES    0x0004u   /* SEV-ES is required */

/* The word guest.sev.policy: auto stands for (the catalog's "no-debug, no-key-sharing,
 * +ES for sev-es"). */
static inline guint32
vt_sev_policy_auto (gboolean sev_es)
{
  return VT_SEV_POLICY_NODBG | VT_SEV_POLICY_NOKS | (sev_es ? VT_SEV_POLICY_ES : 0);
}

G_END_DECLS
