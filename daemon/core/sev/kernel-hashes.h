/* virtuned — the SEV hash table of a direct kernel boot with kernel hashes on: QEMU
 * (kernel-hashes=on, libvirt's <launchSecurity kernelHashes='yes'>) writes the SHA-256
 * of kernel, initrd and command line into the firmware's hashes area, which the PSP
 * measures, so the firmware can check what it boots. */
#pragma once

#include <glib.h>

#include "sev/bytes.h"

G_BEGIN_DECLS

/* The padded table QEMU measures: 168 bytes of table, 8 of zero padding. */
#define VT_SEV_KERNEL_TABLE_SIZE 176

typedef struct {
  guint8 cmdline[VT_SEV_SHA256_SIZE];
  guint8 initrd[VT_SEV_SHA256_SIZE];
  guint8 kernel[VT_SEV_SHA256_SIZE];
} VtSevKernelHashes;

/* The hashes of a direct boot: the kernel file; the initrd file, or no initrd (NULL,
 * hashed as empty content); the command line, or none (NULL, hashed as ""). The command
 * line is hashed with its terminating NUL, as QEMU passes it to the guest; its bytes are
 * taken as they are, leading and trailing spaces included. Errors: G_FILE_ERROR naming a
 * file, VT_ERROR_FAILED for an input over its bound (model/limits.h). */
gboolean vt_sev_kernel_hashes_load (VtSevKernelHashes *hashes, const char *kernel_path,
                                    const char *initrd_path, const char *cmdline,
                                    GError **error);

/* Sets the command line's hash. Errors: VT_ERROR_FAILED when it is too long. */
gboolean vt_sev_kernel_hashes_set_cmdline (VtSevKernelHashes *hashes, const char *cmdline,
                                           GError **error);

/* The padded table: header GUID and length, then the cmdline, initrd and kernel
 * entries (GUID, length, hash), in that order. */
void vt_sev_kernel_table (const VtSevKernelHashes *hashes,
                          guint8 table[VT_SEV_KERNEL_TABLE_SIZE]);

G_END_DECLS
