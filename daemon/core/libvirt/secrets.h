/* virtuned — the LUKS secret of a new encrypted volume (README "Define", step 5): a
 * private, persistent libvirt secret holding a random passphrase. */
#pragma once

#include <glib.h>
#include <libvirt/libvirt.h>

G_BEGIN_DECLS

/* A heap string holding a passphrase: wiped before it is freed. */
typedef char VtPassphrase;

/* Wipes and frees @passphrase (nullable). */
void vt_secrets_passphrase_free (VtPassphrase *passphrase);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VtPassphrase, vt_secrets_passphrase_free)

/* A fresh passphrase: 256 random bits (getrandom), base64-encoded (44 characters)
 * because qemu-img reads a LUKS passphrase as UTF-8 text. Free it with
 * vt_secrets_passphrase_free. Errors: VT_ERROR_FAILED. */
VtPassphrase *vt_secrets_new_passphrase (GError **error);

/* The <secret> document for the passphrase of the volume at @volume_path (exposed for
 * unit tests). */
char *vt_secrets_xml (const char *volume_path);

/* Defines a new secret tied to @volume_path and stores a fresh passphrase in it; sets
 * @uuid (out) to its UUID. @secret (out) is set the moment libvirt holds the secret,
 * even when a later step fails: the caller owns it and undefines it on failure.
 * Knows nothing of any transaction. Errors: VT_ERROR_LIBVIRT, VT_ERROR_FAILED. */
gboolean vt_secrets_create_luks (virConnectPtr conn, const char *volume_path,
                                 virSecretPtr *secret, char **uuid, GError **error);

G_END_DECLS
