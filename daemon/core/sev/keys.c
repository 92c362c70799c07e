/* virtuned — the guest owner's transport keys, wiped when freed. */
#include "sev/keys.h"

#include <string.h>

#include "sev/bytes.h"
#include "util/error.h"

/* Key files are 16 or 32 bytes; anything much larger is the wrong file, said so without
 * reading it all. */
#define KEY_FILE_MAX_BYTES 4096

static gboolean
check_length (const char *name, gsize len, gsize expected, GError **error)
{
  if (len == expected)
    return TRUE;
  g_set_error (error, VT_ERROR, VT_ERROR_FAILED,
               "the %s must be %" G_GSIZE_FORMAT " bytes, not %" G_GSIZE_FORMAT,
               name, expected, len);
  return FALSE;
}

VtSevKeys *
vt_sev_keys_new (const guint8 *tik, gsize tik_len, const guint8 *tek, gsize tek_len,
                 GError **error)
{
  VtSevKeys *keys;

  if (!check_length ("TIK", tik_len, VT_SEV_KEY_SIZE, error)
      || !check_length ("TEK", tek_len, VT_SEV_KEY_SIZE, error))
    return NULL;
  keys = g_new0 (VtSevKeys, 1);
  memcpy (keys->tik, tik, VT_SEV_KEY_SIZE);
  memcpy (keys->tek, tek, VT_SEV_KEY_SIZE);
  return keys;
}

VtSevKeys *
vt_sev_keys_new_tk (const guint8 *tk, gsize tk_len, GError **error)
{
  if (!check_length ("TEK/TIK pair (TK)", tk_len, 2 * VT_SEV_KEY_SIZE, error))
    return NULL;
  return vt_sev_keys_new (tk + VT_SEV_KEY_SIZE, VT_SEV_KEY_SIZE, tk, VT_SEV_KEY_SIZE,
                          error);
}

VtSevKeys *
vt_sev_keys_load (const char *tik_path, const char *tek_path, GError **error)
{
  g_autoptr (VtSevBytes) tik = NULL;
  g_autoptr (VtSevBytes) tek = NULL;

  if (tek_path == NULL)
    {
      g_autoptr (VtSevBytes) tk = vt_sev_bytes_read_file (tik_path, KEY_FILE_MAX_BYTES,
                                                          "TK file", error);

      return tk ? vt_sev_keys_new_tk (tk->data, tk->len, error) : NULL;
    }
  tik = vt_sev_bytes_read_file (tik_path, KEY_FILE_MAX_BYTES, "TIK file", error);
  if (tik == NULL)
    return NULL;
  tek = vt_sev_bytes_read_file (tek_path, KEY_FILE_MAX_BYTES, "TEK file", error);
  if (tek == NULL)
    return NULL;
  return vt_sev_keys_new (tik->data, tik->len, tek->data, tek->len, error);
}

void
vt_sev_keys_free (VtSevKeys *keys)
{
  if (keys == NULL)
    return;
  vt_sev_wipe (keys, sizeof *keys);
  g_free (keys);
}
