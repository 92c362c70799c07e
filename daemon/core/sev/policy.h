/* virtuned — the AMD SEV guest policy word (SEV API §3, "Guest Policy"). */
#pragma once

#include <glib.h>

#include "model/settings.h"
#include "model/sev-policy.h"   /* the bits, for the users of this header (vscenctl too) */

G_BEGIN_DECLS

/* The policy word the settings ask for, as libvirt's <policy> text ("0x0003"):
 * guest.sev.policy when it is not "auto", else no debugging and no key sharing, plus
 * the SEV-ES bit when guest.sev is sev-es. */
char *vt_sev_policy_text (const VtSettings *settings);

G_END_DECLS
