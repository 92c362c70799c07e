/* virtuned — the launch secret: the table layout of OVMF's SecretDxe / the guest
 * kernel's efi_secret (a GUIDed table with u32 lengths), as virt-qemu-sev-validate and
 * sevctl build it. */
#include "sev/secret.h"

#include <string.h>

#include <nettle/aes.h>
#include <nettle/ctr.h>
#include <nettle/hmac.h>

#include "model/limits.h"
#include "sev/guid.h"
#include "util/echo.h"
#include "util/error.h"
#include "util/random.h"

#define HEADER_BYTES (VT_SEV_GUID_SIZE + 4)  /* GUID and u32 length, table or entry */
/* LAUNCH_SECRET's context byte: separates this HMAC from the measurement's (0x04). */
#define SECRET_CONTEXT 0x01

static const VtSevGuid table_guid =
  VT_SEV_GUID_INIT (0x1e74f542, 0x71dd, 0x4d66, 0x96, 0x3e, 0xef, 0x42, 0x87, 0xff, 0x17, 0x3b);

static const struct {
  const char *alias;
  VtSevGuid guid;
} aliases[] = {
  { "luks-key", VT_SEV_GUID_INIT (0x736869e5, 0x84f0, 0x4973, 0x92, 0xec, 0x06, 0x87, 0x9c,
                                  0xe3, 0xda, 0x0b) },
};

struct _VtSevSecrets {
  GPtrArray *entries;   /* VtSevBytes: GUID ‖ u32 length ‖ secret, as in the table */
  gsize table_len;      /* header and entries, without padding */
};

VtSevSecrets *
vt_sev_secrets_new (void)
{
  VtSevSecrets *secrets = g_new0 (VtSevSecrets, 1);

  secrets->entries = g_ptr_array_new_with_free_func ((GDestroyNotify) vt_sev_bytes_free);
  secrets->table_len = HEADER_BYTES;
  return secrets;
}

void
vt_sev_secrets_free (VtSevSecrets *secrets)
{
  if (secrets == NULL)
    return;
  g_ptr_array_unref (secrets->entries);
  g_free (secrets);
}

guint
vt_sev_secrets_count (const VtSevSecrets *secrets)
{
  return secrets->entries->len;
}

static void
put_u32 (guint8 *p, guint32 value)
{
  for (guint i = 0; i < 4; i++)
    p[i] = (guint8) (value >> (8 * i));
}

static gboolean
resolve_name (const char *name, VtSevGuid *guid, GError **error)
{
  for (gsize i = 0; i < G_N_ELEMENTS (aliases); i++)
    if (g_str_equal (name, aliases[i].alias))
      {
        *guid = aliases[i].guid;
        return TRUE;
      }
  if (!vt_sev_guid_parse (name, guid, NULL))
    {
      g_autofree char *shown = vt_echo (name);

      g_set_error (error, VT_ERROR, VT_ERROR_FAILED,
                   "the secret name '%s' is neither the alias luks-key nor a GUID", shown);
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_new_entry (const VtSevSecrets *secrets, const VtSevGuid *guid, gsize len,
                 GError **error)
{
  for (guint i = 0; i < secrets->entries->len; i++)
    if (vt_sev_guid_is (guid, ((VtSevBytes *) secrets->entries->pdata[i])->data))
      {
        g_autofree char *name = vt_sev_guid_to_string (guid);

        g_set_error (error, VT_ERROR, VT_ERROR_FAILED, "the secret %s is given twice", name);
        return FALSE;
      }
  if (len > VT_SEV_SECRET_TABLE_MAX_BYTES
      || secrets->table_len + HEADER_BYTES + len > VT_SEV_SECRET_TABLE_MAX_BYTES)
    {
      g_set_error (error, VT_ERROR, VT_ERROR_FAILED,
                   "the secrets do not fit in the %d bytes of a secret table",
                   VT_SEV_SECRET_TABLE_MAX_BYTES);
      return FALSE;
    }
  return TRUE;
}

gboolean
vt_sev_secrets_add (VtSevSecrets *secrets, const char *name, const guint8 *data, gsize len,
                    GError **error)
{
  VtSevGuid guid;
  VtSevBytes *entry;

  if (!resolve_name (name, &guid, error) || !check_new_entry (secrets, &guid, len, error))
    return FALSE;
  entry = vt_sev_bytes_new (HEADER_BYTES + len);
  memcpy (entry->data, guid.bytes, VT_SEV_GUID_SIZE);
  put_u32 (entry->data + VT_SEV_GUID_SIZE, (guint32) entry->len);
  if (len > 0)
    memcpy (entry->data + HEADER_BYTES, data, len);
  g_ptr_array_add (secrets->entries, entry);
  secrets->table_len += entry->len;
  return TRUE;
}

/* The plaintext table, zero-padded to a multiple of 16 bytes (the PSP's unit). Like
 * sevctl, an aligned table gets no padding; virt-qemu-sev-validate adds 16 bytes then,
 * which the table's own length makes the guest ignore. */
static VtSevBytes *
table_plaintext (const VtSevSecrets *secrets)
{
  VtSevBytes *table = vt_sev_bytes_new ((secrets->table_len + 15) / 16 * 16);
  guint8 *p = table->data + HEADER_BYTES;

  memcpy (table->data, table_guid.bytes, VT_SEV_GUID_SIZE);
  put_u32 (table->data + VT_SEV_GUID_SIZE, (guint32) secrets->table_len);
  for (guint i = 0; i < secrets->entries->len; i++)
    {
      const VtSevBytes *entry = secrets->entries->pdata[i];

      memcpy (p, entry->data, entry->len);
      p += entry->len;
    }
  return table;
}

/* Encrypts @data in place: AES-128-CTR under @tek, the counter starting at @iv. */
static void
encrypt (const guint8 tek[VT_SEV_KEY_SIZE], const guint8 iv[VT_SEV_IV_SIZE], guint8 *data,
         gsize len)
{
  struct aes128_ctx aes;
  guint8 counter[VT_SEV_IV_SIZE];

  memcpy (counter, iv, sizeof counter);
  aes128_set_encrypt_key (&aes, tek);
  ctr_crypt (&aes, (nettle_cipher_func *) aes128_encrypt, AES_BLOCK_SIZE, counter, len,
             data, data);
  vt_sev_wipe (&aes, sizeof aes);
  vt_sev_wipe (counter, sizeof counter);
}

/* HMAC-SHA256(TIK, 0x01 ‖ FLAGS ‖ IV ‖ GUEST_LENGTH ‖ TRANS_LENGTH ‖ payload ‖ MEASURE);
 * both lengths are the payload's (CTR keeps the length). */
static void
header_mac (const guint8 tik[VT_SEV_KEY_SIZE], const guint8 *prefix, const guint8 *payload,
            gsize len, const guint8 measurement[VT_SEV_MEASUREMENT_SIZE], guint8 *mac)
{
  struct hmac_sha256_ctx hmac;
  guint8 context = SECRET_CONTEXT;
  guint8 lengths[8];

  put_u32 (lengths, (guint32) len);
  put_u32 (lengths + 4, (guint32) len);
  hmac_sha256_set_key (&hmac, VT_SEV_KEY_SIZE, tik);
  hmac_sha256_update (&hmac, 1, &context);
  hmac_sha256_update (&hmac, 4 + VT_SEV_IV_SIZE, prefix);
  hmac_sha256_update (&hmac, sizeof lengths, lengths);
  hmac_sha256_update (&hmac, len, payload);
  hmac_sha256_update (&hmac, VT_SEV_MEASUREMENT_SIZE, measurement);
  hmac_sha256_digest (&hmac, VT_SEV_SHA256_SIZE, mac);
  vt_sev_wipe (&hmac, sizeof hmac);
}

gboolean
vt_sev_secrets_build (const VtSevSecrets *secrets, const VtSevKeys *keys,
                      const guint8 measurement[VT_SEV_MEASUREMENT_SIZE], const guint8 *iv,
                      GBytes **header, GBytes **payload, GError **error)
{
  guint8 head[VT_SEV_SECRET_HEADER_SIZE] = { 0 };   /* FLAGS = 0: not compressed */
  g_autoptr (VtSevBytes) table = NULL;

  if (secrets->entries->len == 0)
    {
      g_set_error_literal (error, VT_ERROR, VT_ERROR_FAILED, "there is no secret to inject");
      return FALSE;
    }
  if (iv != NULL)
    memcpy (head + 4, iv, VT_SEV_IV_SIZE);
  else if (!vt_random_fill (head + 4, VT_SEV_IV_SIZE, error))
    return FALSE;
  table = table_plaintext (secrets);
  encrypt (keys->tek, head + 4, table->data, table->len);
  header_mac (keys->tik, head, table->data, table->len, measurement, head + 4 + VT_SEV_IV_SIZE);
  *header = g_bytes_new (head, sizeof head);
  *payload = g_bytes_new (table->data, table->len);
  return TRUE;
}
