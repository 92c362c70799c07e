/* virtuned — the SEV launch measurement. */
#include "sev/measurement.h"

#include <string.h>

#include <nettle/hmac.h>
#include <nettle/memops.h>

#include "util/error.h"

/* LAUNCH_MEASURE's context byte: separates this HMAC from the secret header's (0x01). */
#define MEASURE_CONTEXT 0x04

gboolean
vt_sev_measurement_parse (const char *base64, VtSevMeasurement *measurement, GError **error)
{
  g_autoptr (VtSevBytes) raw = vt_sev_base64_decode (base64, VT_SEV_MEASUREMENT_BLOB_SIZE,
                                                     "measurement", error);

  if (raw == NULL)
    return FALSE;
  memcpy (measurement->mac, raw->data, VT_SEV_MEASUREMENT_SIZE);
  memcpy (measurement->nonce, raw->data + VT_SEV_MEASUREMENT_SIZE, VT_SEV_NONCE_SIZE);
  return TRUE;
}

char *
vt_sev_measurement_to_base64 (const VtSevMeasurement *measurement)
{
  guint8 blob[VT_SEV_MEASUREMENT_BLOB_SIZE];

  memcpy (blob, measurement->mac, VT_SEV_MEASUREMENT_SIZE);
  memcpy (blob + VT_SEV_MEASUREMENT_SIZE, measurement->nonce, VT_SEV_NONCE_SIZE);
  return g_base64_encode (blob, sizeof blob);
}

void
vt_sev_measurement_compute (const VtSevKeys *keys, const VtSevPlatform *platform,
                            const guint8 digest[VT_SEV_SHA256_SIZE],
                            const guint8 nonce[VT_SEV_NONCE_SIZE],
                            VtSevMeasurement *expected)
{
  guint8 head[8] = {
    MEASURE_CONTEXT, platform->api_major, platform->api_minor, platform->build_id,
    (guint8) platform->policy, (guint8) (platform->policy >> 8),
    (guint8) (platform->policy >> 16), (guint8) (platform->policy >> 24),
  };
  struct hmac_sha256_ctx hmac;

  hmac_sha256_set_key (&hmac, VT_SEV_KEY_SIZE, keys->tik);
  hmac_sha256_update (&hmac, sizeof head, head);
  hmac_sha256_update (&hmac, VT_SEV_SHA256_SIZE, digest);
  hmac_sha256_update (&hmac, VT_SEV_NONCE_SIZE, nonce);
  hmac_sha256_digest (&hmac, VT_SEV_MEASUREMENT_SIZE, expected->mac);
  memcpy (expected->nonce, nonce, VT_SEV_NONCE_SIZE);
  /* The context holds the key's inner and outer hash states. */
  vt_sev_wipe (&hmac, sizeof hmac);
}

gboolean
vt_sev_equal_secure (const guint8 *a, const guint8 *b, gsize len)
{
  return memeql_sec (a, b, len) != 0;
}

gboolean
vt_sev_measurement_verify (const VtSevKeys *keys, const VtSevPlatform *platform,
                           const guint8 digest[VT_SEV_SHA256_SIZE],
                           const VtSevMeasurement *reported, VtSevMeasurement *expected)
{
  VtSevMeasurement computed;

  vt_sev_measurement_compute (keys, platform, digest, reported->nonce, &computed);
  if (expected != NULL)
    *expected = computed;
  return vt_sev_equal_secure (computed.mac, reported->mac, VT_SEV_MEASUREMENT_SIZE);
}
