/* virtuned — the AMD SEV guest policy word (SEV API §3, "Guest Policy"). */
#pragma once

#include <glib.h>

#include "model/settings.h"

G_BEGIN_DECLS

/* SEV guest policy bits this part knows by name. */
#define VT_SEV_POLICY_NODBG 0x0001u   /* debugging of the guest is disallowed */
#define VT_SEV_POLICY_NOKS  0x0002u   /* sharing keys with other guests is disallowed */
#define VT_SEV_POLICY_ES    0x0004u   /* SEV-ES is required */

/* The policy word the settings ask for, as libvirt's <policy> text ("0x0003"):
 * guest.sev.policy when it is not "auto", else no debugging and no key sharing, plus
 * the SEV-ES bit when guest.sev is sev-es. */
char *vt_sev_policy_text (const VtSettings *settings);

G_END_DECLS
