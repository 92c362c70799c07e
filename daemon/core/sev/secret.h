/* virtuned — the launch secret (SEV API §6.6, LAUNCH_SECRET): a GUIDed table of secrets
 * that OVMF hands to the guest (e.g. a LUKS key, alias luks-key), encrypted under the
 * TEK and authenticated under the TIK, bound to the launch measurement. */
#pragma once

#include <glib.h>

#include "sev/keys.h"
#include "sev/measurement.h"

G_BEGIN_DECLS

#define VT_SEV_IV_SIZE 16
/* FLAGS (u32) ‖ IV ‖ HMAC: LAUNCH_SECRET's packet header. */
#define VT_SEV_SECRET_HEADER_SIZE (4 + VT_SEV_IV_SIZE + 32)

/* The secrets to inject; their bytes are wiped when freed. */
typedef struct _VtSevSecrets VtSevSecrets;

VtSevSecrets *vt_sev_secrets_new (void);
void vt_sev_secrets_free (VtSevSecrets *secrets);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VtSevSecrets, vt_sev_secrets_free)

/* Adds the secret @data under @name: a GUID in text form, or the alias "luks-key"
 * (736869e5-84f0-4973-92ec-06879ce3da0b, the key the guest's initrd opens its LUKS
 * volume with). The bytes are taken as they are (a trailing newline is part of the
 * secret). Errors: VT_ERROR_FAILED for an unknown alias or bad GUID (quoted, escaped),
 * a GUID given twice, or a table over VT_SEV_SECRET_TABLE_MAX_BYTES. */
gboolean vt_sev_secrets_add (VtSevSecrets *secrets, const char *name, const guint8 *data,
                             gsize len, GError **error);

/* The number of secrets added. */
guint vt_sev_secrets_count (const VtSevSecrets *secrets);

/* Builds the LAUNCH_SECRET packet for the guest whose measurement HMAC is
 * @measurement: @payload = the padded table encrypted with AES-128-CTR under the TEK,
 * @header = FLAGS (0) ‖ IV ‖ HMAC-SHA256(TIK, 0x01 ‖ FLAGS ‖ IV ‖ length ‖ length ‖
 * payload ‖ measurement). @iv (16 bytes) is for reproducible tests only; NULL draws a
 * fresh random IV, which real use needs (a CTR key stream must never repeat). Errors:
 * VT_ERROR_FAILED when there is no secret, or the random source fails. */
gboolean vt_sev_secrets_build (const VtSevSecrets *secrets, const VtSevKeys *keys,
                               const guint8 measurement[VT_SEV_MEASUREMENT_SIZE],
                               const guint8 *iv, GBytes **header, GBytes **payload,
                               GError **error);

G_END_DECLS
