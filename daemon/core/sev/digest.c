/* virtuned — the launch digest. The PSP hashes each LAUNCH_UPDATE_DATA and
 * LAUNCH_UPDATE_VMSA plaintext as it goes, so one SHA-256 over their concatenation, in
 * launch order, is what it measured; nothing is concatenated here, only streamed. */
#include "sev/digest.h"

#include <nettle/sha2.h>

#include "model/limits.h"
#include "sev/ovmf.h"
#include "util/error.h"

static gboolean
fail (GError **error, const char *message)
{
  g_set_error_literal (error, VT_ERROR, VT_ERROR_FAILED, message);
  return FALSE;
}

static gboolean
check_firmware (const VtSevLaunch *launch, GError **error)
{
  if (launch->firmware == NULL || launch->firmware_len == 0)
    return fail (error, "the firmware image is missing or empty");
  if (launch->firmware_len > VT_SEV_FIRMWARE_MAX_BYTES)
    return fail (error, "the firmware image is larger than 16 MiB");
  return TRUE;
}

static gboolean
check_vcpus (const VtSevLaunch *launch, GError **error)
{
  if (launch->n_cpus < 1 || launch->n_cpus > VT_SEV_MAX_VCPUS)
    {
      g_set_error (error, VT_ERROR, VT_ERROR_FAILED,
                   "an SEV-ES guest needs its vCPU count (1-%d)", VT_SEV_MAX_VCPUS);
      return FALSE;
    }
  if (launch->cpu != NULL && launch->vmsa_cpu0 != NULL)
    return fail (error, "give either the VMSA files or the CPU signature, not both");
  if (launch->cpu == NULL && launch->vmsa_cpu0 == NULL)
    return fail (error, "an SEV-ES guest needs the CPU signature or the VMSA files");
  if (launch->cpu == NULL && launch->n_cpus > 1 && launch->vmsa_cpu1 == NULL)
    return fail (error, "an SEV-ES guest with more than one vCPU needs the VMSA of vCPU 1");
  if (launch->cpu != NULL)
    return vt_sev_cpu_signature_check (launch->cpu, error);
  return TRUE;
}

/* The two VMSA pages to hash: given, or built into @bsp and @ap. */
static gboolean
vmsa_pages (const VtSevLaunch *launch, guint8 *bsp, guint8 *ap, const guint8 **cpu0,
            const guint8 **cpu1, GError **error)
{
  guint32 reset;

  *cpu0 = launch->vmsa_cpu0;
  *cpu1 = launch->vmsa_cpu1;
  if (launch->cpu == NULL)
    return TRUE;
  vt_sev_vmsa_build (launch->cpu, VT_SEV_BSP_RESET_ADDRESS, bsp);
  *cpu0 = bsp;
  if (launch->n_cpus == 1)
    return TRUE;
  if (!vt_sev_ovmf_reset_address (launch->firmware, launch->firmware_len, &reset, error))
    return FALSE;
  vt_sev_vmsa_build (launch->cpu, reset, ap);
  *cpu1 = ap;
  return TRUE;
}

static gboolean
hash_vmsas (struct sha256_ctx *sha, const VtSevLaunch *launch, GError **error)
{
  g_autofree guint8 *bsp = NULL;
  g_autofree guint8 *ap = NULL;
  const guint8 *cpu0, *cpu1;

  if (!check_vcpus (launch, error))
    return FALSE;
  bsp = g_malloc (VT_SEV_VMSA_SIZE);
  ap = g_malloc (VT_SEV_VMSA_SIZE);
  if (!vmsa_pages (launch, bsp, ap, &cpu0, &cpu1, error))
    return FALSE;
  sha256_update (sha, VT_SEV_VMSA_SIZE, cpu0);
  /* Every AP starts alike, so all share one VMSA image. */
  for (guint i = 1; i < launch->n_cpus; i++)
    sha256_update (sha, VT_SEV_VMSA_SIZE, cpu1);
  return TRUE;
}

gboolean
vt_sev_launch_digest (const VtSevLaunch *launch, guint8 digest[VT_SEV_SHA256_SIZE],
                      GError **error)
{
  struct sha256_ctx sha;

  if (!check_firmware (launch, error))
    return FALSE;
  sha256_init (&sha);
  sha256_update (&sha, launch->firmware_len, launch->firmware);
  if (launch->kernel != NULL)
    {
      guint8 table[VT_SEV_KERNEL_TABLE_SIZE];

      vt_sev_kernel_table (launch->kernel, table);
      sha256_update (&sha, sizeof table, table);
    }
  if (launch->sev_es && !hash_vmsas (&sha, launch, error))
    return FALSE;
  sha256_digest (&sha, VT_SEV_SHA256_SIZE, digest);
  return TRUE;
}
