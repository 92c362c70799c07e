/* virtuned — the merge engine (SPEC §4.1): default -> os -> scenarios -> user -> host,
 * then the requirements one setting imposes on others. */
#pragma once

#include <glib.h>

#include "model/description.h"
#include "model/domcaps.h"
#include "model/os-table.h"
#include "model/policy.h"
#include "model/settings.h"

G_BEGIN_DECLS

typedef struct {
  VtSettings *settings;
  GPtrArray *warnings;    /* char*: later-wins between scenarios, host fallbacks */
  GPtrArray *applied;     /* char*: policy names in the order they were applied */
  char *os_id;            /* libosinfo's URI of the description's os:, or NULL */
} VtMergeResult;

/* Resolves the settings for @scenarios (NULL-terminated; when NULL or empty, the
 * description's own scenario list) on top of the "default" policy and the OS layer of
 * the description's os: from @oses (nullable: no OS is known), then the user layer
 * from @desc (nullable: host tuning merges policies only), the host layer from @caps
 * (nullable: no host check) and the requirements step. Word-list settings
 * (guest.features) of several scenario policies add up in application order; a scenario
 * replaces the default's list and the user's list replaces all. Errors:
 * VT_ERROR_UNKNOWN_SCENARIO, VT_ERROR_CONFLICT (conflicting policies, a locked key
 * changed, a user value a requirement contradicts, a CPU topology that does not match
 * the resolved guest.vcpus), VT_ERROR_UNSUPPORTED (host cannot do a value the user asked
 * for or a policy locked), VT_ERROR_INVALID_DESCRIPTION (an os: @oses lacks). */
VtMergeResult *vt_merge (const VtPolicySet *policies, const VtOsTable *oses,
                         const char *const *scenarios, const VtDescription *desc,
                         const VtDomcaps *caps, GError **error);
void vt_merge_result_free (VtMergeResult *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VtMergeResult, vt_merge_result_free)

/* The host layer alone (used by vt_merge): adapts @settings to @caps, falling back
 * with a warning, or failing when the value is the user's or locked. */
gboolean vt_caps_layer_apply (VtSettings *settings, const VtDescription *desc,
                              const VtDomcaps *caps, GPtrArray *warnings, GError **error);

/* guest.firmware: auto becomes efi or bios (firmware-auto.c; used by vt_merge before the
 * host layer): UEFI when @caps offer it and @os (nullable: not known) supports it, unless
 * the guest may suspend to disk; UEFI for an OS that requires it; else BIOS. Provenance
 * "host". Any other value is left alone. */
void vt_firmware_auto_resolve (VtSettings *settings, const VtOsInfo *os, const VtDomcaps *caps);

/* The OS layer (used by vt_merge; os-layer.c). vt_os_layer_lookup finds desc->os in
 * @table (nullable), else fails with VT_ERROR_INVALID_DESCRIPTION naming `os`, its
 * position and close matches. vt_os_layer_apply sets, with provenance "os:SHORT_ID", the
 * devices the OS has drivers for (virtio, else SATA, its NIC and video; @caps nullable
 * picks among those the host offers), UEFI, secure boot and a TPM 2.0 when it requires
 * them, a local-time clock for Windows and its recommended (else minimum) vCPUs, memory
 * and new-volume capacity; a key the default policy locked is left alone.
 * vt_os_layer_check, on the final values, warns of a memory, vCPU count or system-disk
 * size below the OS's minimum, of BIOS, no secure boot or no TPM for an OS that requires
 * them, and of a virtio device the OS has no driver for, each naming the minimum or the
 * need. */
const VtOsInfo *vt_os_layer_lookup (const VtOsTable *table, const VtDescription *desc,
                                    GError **error);
void vt_os_layer_apply (VtSettings *settings, const VtOsInfo *os, const char *short_id,
                        const VtDomcaps *caps);
void vt_os_layer_check (const VtSettings *settings, const VtDescription *desc,
                        const VtOsInfo *os, GPtrArray *warnings);

/* The requirements step (used by vt_merge after the host layer): what one setting needs
 * of others — SEV needs UEFI, a q35 machine, locked memory and no balloon, SEV-ES also
 * guest.on_reboot destroy; secure boot needs UEFI and SMM. A value from the default or a
 * policy that does not meet a need is replaced, with provenance "requires:KEY" naming the
 * setting that needs it; a value the user gave (other than auto) or a policy locked is
 * VT_ERROR_CONFLICT instead. Values that exclude each other (SEV-ES with secure boot or
 * the smm feature) are VT_ERROR_CONFLICT from whatever layer. Guest-owner launch data in
 * @desc (nullable) fixes the policy word: guest.sev.policy becomes its sev.policy, and a
 * setting that needs another word is VT_ERROR_CONFLICT naming the key. @caps (nullable)
 * supplies the host's versioned q35 machine. */
gboolean vt_requirements_apply (VtSettings *settings, const VtDescription *desc,
                                const VtDomcaps *caps, GError **error);

/* TRUE when @key is @value in @settings or will be once the requirements step has run
 * (e.g. guest.firmware efi for an SEV guest); for host checks that run before it. */
gboolean vt_requirements_need (const VtSettings *settings, const char *key, const char *value);

/* The realtime pinning, part of the host layer (cpu-pinning.c): when guest.cpu.pinning
 * is on, guest.cpu.pinning.emulator becomes the housekeeping CPUs (the admin's list;
 * else the host CPUs outside the admin's guest.cpu.pinning.vcpus list; else CPU 0's
 * core) and guest.cpu.pinning.vcpus exactly guest.vcpus host CPUs outside them (from the
 * admin's list or all online CPUs; whole free cores first, siblings of housekeeping
 * CPUs last), provenance "host". Errors: VT_ERROR_UNSUPPORTED (too few CPUs, saying how
 * many are needed and how many the host has; a list naming CPUs the host lacks; no
 * topology in @caps when the user asked for pinning or a policy locked it; without
 * topology a policy's pinning turns off with a warning), VT_ERROR_CONFLICT (the two
 * lists share CPUs). */
gboolean vt_cpu_pinning_apply (VtSettings *settings, const VtDomcaps *caps,
                               GPtrArray *warnings, GError **error);

G_END_DECLS
