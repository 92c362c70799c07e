/* virtuned — the launch digest (GCTX.LD): SHA-256 over everything the PSP measured as
 * QEMU launched the guest, in launch order: the firmware image, the kernel hash table
 * when kernel hashes are on, and for SEV-ES one VMSA per vCPU. */
#pragma once

#include <glib.h>

#include "sev/bytes.h"
#include "sev/kernel-hashes.h"
#include "sev/vmsa.h"

G_BEGIN_DECLS

typedef struct {
  const guint8 *firmware;               /* the whole image QEMU maps (stateless OVMF) */
  gsize firmware_len;
  const VtSevKernelHashes *kernel;      /* direct boot with kernel hashes, else NULL */
  /* SEV-ES only (policy bit 2); ignored otherwise, as by virt-qemu-sev-validate. */
  gboolean sev_es;
  guint n_cpus;
  const guint8 *vmsa_cpu0;              /* VT_SEV_VMSA_SIZE bytes, or NULL: built from cpu */
  const guint8 *vmsa_cpu1;              /* the APs' VMSA; needed when n_cpus > 1 */
  const VtSevCpuSignature *cpu;         /* to build the VMSAs, or NULL: given */
} VtSevLaunch;

/* The launch digest of @launch. Errors: VT_ERROR_FAILED naming the missing or invalid
 * input (no firmware, a firmware over its bound, vCPU count out of range, VMSAs both
 * given and to be built or neither, a firmware without the SEV-ES reset block). */
gboolean vt_sev_launch_digest (const VtSevLaunch *launch, guint8 digest[VT_SEV_SHA256_SIZE],
                               GError **error);

G_END_DECLS
