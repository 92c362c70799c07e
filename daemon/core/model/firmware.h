/* virtuned — the host's QEMU firmware descriptors (QEMU's docs/interop/firmware.json):
 * the UEFI builds libvirt's firmware autoselection chooses from, and what they offer.
 * Domain capabilities say whether the host has SEV-ES; only these files say whether
 * libvirt can find a firmware to boot an SEV-ES guest with (Debian 12's OVMF descriptors
 * offer amd-sev, not amd-sev-es). Only meaningful when read on the hypervisor host. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  char *dirs;           /* the directories searched, for messages */
  GPtrArray *names;     /* char*: descriptor file names in effect, sorted */
  GPtrArray *sev_es;    /* char*: those offering amd-sev-es for x86_64 */
} VtFirmwareDescriptors;

/* Reads the descriptors libvirt's system instance reads, under @root ("/" on a host; a
 * directory for tests): ROOT/usr/share/qemu/firmware, then ROOT/etc/qemu/firmware, where
 * a file of the same name replaces the distribution's and an empty one hides it (QEMU's
 * search order; the per-user directory is a session instance's only). Missing
 * directories mean no descriptors. A file that cannot be read or parsed is skipped and
 * described in @problems (char*). Never NULL. */
VtFirmwareDescriptors *vt_firmware_descriptors_load (const char *root, GPtrArray *problems);
void vt_firmware_descriptors_free (VtFirmwareDescriptors *firmware);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VtFirmwareDescriptors, vt_firmware_descriptors_free)

G_END_DECLS
