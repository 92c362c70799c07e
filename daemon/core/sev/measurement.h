/* virtuned — the SEV launch measurement (SEV API §6.5, LAUNCH_MEASURE):
 * HMAC-SHA256(TIK, 0x04 ‖ API major ‖ API minor ‖ build ‖ policy (LE32) ‖ launch digest ‖
 * nonce). Only the owner and the PSP know the TIK, so a match proves the PSP measured
 * what the owner expects, with the policy the owner's session was made for. */
#pragma once

#include <glib.h>

#include "sev/bytes.h"
#include "sev/keys.h"

G_BEGIN_DECLS

#define VT_SEV_MEASUREMENT_SIZE 32
#define VT_SEV_NONCE_SIZE 16
/* libvirt's sev-measurement: base64 of the HMAC followed by the nonce. */
#define VT_SEV_MEASUREMENT_BLOB_SIZE (VT_SEV_MEASUREMENT_SIZE + VT_SEV_NONCE_SIZE)

/* What the platform reports with the measurement (libvirt's sev-api-major,
 * sev-api-minor, sev-build-id, sev-policy). The policy is bound into the session blob
 * the PSP checked; the versions do not weaken the measurement (virt-qemu-sev-validate's
 * header comment), so taking them from the host is safe. */
typedef struct {
  guint8 api_major;
  guint8 api_minor;
  guint8 build_id;
  guint32 policy;
} VtSevPlatform;

typedef struct {
  guint8 mac[VT_SEV_MEASUREMENT_SIZE];
  guint8 nonce[VT_SEV_NONCE_SIZE];
} VtSevMeasurement;

/* Parses libvirt's base64 measurement (48 bytes: HMAC then nonce), strictly. Errors:
 * VT_ERROR_FAILED. */
gboolean vt_sev_measurement_parse (const char *base64, VtSevMeasurement *measurement,
                                   GError **error);

/* The base64 form libvirt shows (HMAC then nonce). */
char *vt_sev_measurement_to_base64 (const VtSevMeasurement *measurement);

/* The measurement the PSP computes for @digest, with the nonce of @nonce. */
void vt_sev_measurement_compute (const VtSevKeys *keys, const VtSevPlatform *platform,
                                 const guint8 digest[VT_SEV_SHA256_SIZE],
                                 const guint8 nonce[VT_SEV_NONCE_SIZE],
                                 VtSevMeasurement *expected);

/* Whether @reported is what the PSP computes for @digest (compared in constant time, so
 * timing tells an attacker nothing about how much of a forged MAC was right). The
 * expected value is stored in @expected (nullable) either way. */
gboolean vt_sev_measurement_verify (const VtSevKeys *keys, const VtSevPlatform *platform,
                                    const guint8 digest[VT_SEV_SHA256_SIZE],
                                    const VtSevMeasurement *reported,
                                    VtSevMeasurement *expected);

/* Whether @a and @b are equal, in time independent of their content. */
gboolean vt_sev_equal_secure (const guint8 *a, const guint8 *b, gsize len);

G_END_DECLS
