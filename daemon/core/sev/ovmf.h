/* virtuned — the GUIDed table at the end of an OVMF image (QEMU
 * docs/specs/sev-guest-firmware.rst), where the firmware tells QEMU where the SEV-ES
 * application processors start and where the kernel hashes and secrets go. */
#pragma once

#include <glib.h>

#include "sev/guid.h"

G_BEGIN_DECLS

/* The SEV-ES reset block: 4 bytes, the reset address of the APs (IP in bits 15:0, CS
 * base in bits 31:16). */
#define VT_SEV_OVMF_RESET_BLOCK_GUID                                                  \
  VT_SEV_GUID_INIT (0x00f771de, 0x1a7e, 0x4fcb, 0x89, 0x0e, 0x68, 0xc7, 0x7e, 0x2f, 0xb4, 0x4e)

/* The data of entry @guid of @image's table, pointing into @image. Errors:
 * VT_ERROR_FAILED when @image has no table, the table is malformed or the entry is
 * missing (@what names it then, "SEV-ES reset block"). */
gboolean vt_sev_ovmf_find (const guint8 *image, gsize len, const VtSevGuid *guid,
                           const char *what, const guint8 **data, gsize *data_len,
                           GError **error);

/* The AP reset address of the SEV-ES reset block. Errors as vt_sev_ovmf_find. */
gboolean vt_sev_ovmf_reset_address (const guint8 *image, gsize len, guint32 *address,
                                    GError **error);

G_END_DECLS
