/* guest.firmware: auto (the seed's "boot UEFI: auto"), decided before the host layer
 * judges what depends on the firmware (suspend-to-disk, secure boot, SEV).
 *
 * auto means UEFI when the host has UEFI firmware and the guest OS is known to boot from
 * it (its osinfo entry lists x86_64 UEFI support), as current virt-install does; BIOS
 * otherwise: for an OS virtuned does not know (no os:), since not every OS boots UEFI,
 * and for a guest that may suspend to disk, which OVMF cannot do. An OS that boots only
 * from UEFI (Windows 11) gets UEFI whatever a scenario said. The choice is recorded with
 * provenance "host", so `vscenctl render --explain` shows what auto became. Secure boot
 * and SEV, which need UEFI, still get it from the requirements step. */
#include "merge/merge.h"

#define HOST_LAYER "host"

static const char *
firmware_for (const VtSettings *settings, const VtOsInfo *os, const VtDomcaps *caps)
{
  if (!vt_domcaps_supports (caps, "os.firmware", "efi"))
    return "bios";
  if (os && (os->flags & VT_OS_EFI_REQUIRED))
    return "efi";
  if (!os || !(os->flags & VT_OS_EFI_SUPPORTED))
    return "bios";
  if (vt_settings_get_bool (settings, "guest.suspend_to_disk"))
    return "bios";
  return "efi";
}

void
vt_firmware_auto_resolve (VtSettings *settings, const VtOsInfo *os, const VtDomcaps *caps)
{
  g_return_if_fail (settings != NULL && caps != NULL);

  if (!vt_settings_is (settings, "guest.firmware", "auto"))
    return;
  vt_settings_set (settings, "guest.firmware", firmware_for (settings, os, caps), HOST_LAYER);
}
