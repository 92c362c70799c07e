/* virtuned — the security model of Define (SPEC §9): which polkit action a
 * description needs, and why. */
#pragma once

#include <glib.h>

#include "libvirt/storage.h"
#include "model/connection-config.h"
#include "model/description.h"

G_BEGIN_DECLS

/* What defining a description gives its caller: the bus layer maps each level to a
 * polkit action (bus/authz.h). */
typedef enum {
  VT_ACCESS_RESTRICTED,     /* frontend choices, allowed pools and networks only */
  VT_ACCESS_UNRESTRICTED,   /* host paths, bridges, other pools, encrypted volumes */
} VtAccessLevel;

/* Returns VT_ACCESS_RESTRICTED when @desc only uses frontend choices and the pools and
 * networks @config allows, else VT_ACCESS_UNRESTRICTED with @reason (nullable
 * out) set to one sentence naming every backend it reaches ("disks[1] uses the host path
 * /etc/shadow; networks[0] uses the host bridge br0."). @reason is NULL for the
 * restricted level. @disks (nullable: nothing resolved): what the existing disks are;
 * an encrypted volume from an allowed pool needs the unrestricted action, since the
 * new domain would open it with that volume's own secret. */
VtAccessLevel vt_access_define_level (const VtDescription *desc, const VtConnectionConfig *config,
                                      const VtDiskResolution *disks, char **reason);

G_END_DECLS
