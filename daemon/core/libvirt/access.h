/* virtuned — the security model of Define (SPEC §9): which polkit action a
 * description needs, and why. */
#pragma once

#include <glib.h>

#include "libvirt/define.h"
#include "model/config.h"
#include "model/description.h"

G_BEGIN_DECLS

#define VT_ACTION_DEFINE "org.virtscenario.define"
#define VT_ACTION_DEFINE_UNRESTRICTED "org.virtscenario.define-unrestricted"
#define VT_ACTION_TUNE_HOST "org.virtscenario.tune-host"
#define VT_ACTION_ATTEST "org.virtscenario.attest"

/* Returns VT_ACTION_DEFINE when @desc only uses frontend choices and the pools and
 * networks @config allows, else VT_ACTION_DEFINE_UNRESTRICTED with @reason (nullable
 * out) set to one sentence naming every backend it reaches ("disks[1] uses the host path
 * /etc/shadow; networks[0] uses the host bridge br0."). @reason is NULL for the
 * restricted action. @disks (nullable: nothing resolved): what the existing disks are;
 * an encrypted volume from an allowed pool needs the unrestricted action, since the
 * new domain would open it with that volume's own secret. */
const char *vt_access_define_action (const VtDescription *desc, const VtConfig *config,
                                     const VtDiskResolution *disks, char **reason);

G_END_DECLS
