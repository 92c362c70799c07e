/* virtuned — the guest owner's transport keys: TIK (integrity: the measurement and the
 * secret header are HMACs under it) and TEK (encryption of the secret), made with the
 * launch session (sevctl session) and known only to the owner and the PSP. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define VT_SEV_KEY_SIZE 16

/* Wiped when freed. */
typedef struct {
  guint8 tik[VT_SEV_KEY_SIZE];
  guint8 tek[VT_SEV_KEY_SIZE];
} VtSevKeys;

/* The keys from their raw bytes. Errors: VT_ERROR_FAILED when a length is not 16 (the
 * message names the key and its length, never its bytes). */
VtSevKeys *vt_sev_keys_new (const guint8 *tik, gsize tik_len, const guint8 *tek,
                            gsize tek_len, GError **error);

/* The keys from one 32-byte blob, TEK first then TIK (virt-qemu-sev-validate --tk).
 * Errors as vt_sev_keys_new. */
VtSevKeys *vt_sev_keys_new_tk (const guint8 *tk, gsize tk_len, GError **error);

/* The keys from files of raw bytes (sevctl session's NAME_tik.bin, NAME_tek.bin), or
 * from one --tk file when @tek_path is NULL. Errors: G_FILE_ERROR naming a file, else
 * as vt_sev_keys_new. */
VtSevKeys *vt_sev_keys_load (const char *tik_path, const char *tek_path, GError **error);

void vt_sev_keys_free (VtSevKeys *keys);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VtSevKeys, vt_sev_keys_free)

G_END_DECLS
