/* virtuned — the initial VMSA of an SEV-ES vCPU: the register state KVM and QEMU give a
 * vCPU at reset, which LAUNCH_UPDATE_VMSA encrypts and the PSP measures. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define VT_SEV_VMSA_SIZE 4096

/* Where the boot vCPU starts: the x86 reset vector. */
#define VT_SEV_BSP_RESET_ADDRESS 0xfffffff0u

/* The host CPU's signature (family, model and stepping as /proc/cpuinfo and libvirt's
 * <signature> give them): it is in the reset state, in RDX. */
typedef struct {
  guint family;
  guint model;
  guint stepping;
} VtSevCpuSignature;

/* Whether CPUID can express @cpu: family up to 0x10e (0xf plus the 8-bit extended
 * family), model up to 0xff, stepping up to 0xf. Errors: VT_ERROR_FAILED naming the
 * field. */
gboolean vt_sev_cpu_signature_check (const VtSevCpuSignature *cpu, GError **error);

/* Writes the VMSA of a vCPU of @cpu (checked) that starts at @reset_address:
 * VT_SEV_BSP_RESET_ADDRESS for vCPU 0, the firmware's SEV-ES reset block address
 * (ovmf.h) for the others. */
void vt_sev_vmsa_build (const VtSevCpuSignature *cpu, guint32 reset_address,
                        guint8 page[VT_SEV_VMSA_SIZE]);

G_END_DECLS
