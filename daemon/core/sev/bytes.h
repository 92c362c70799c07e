/* virtuned — the guest owner's inputs in memory: bounded reads of files, buffers that are
 * wiped when freed (keys and secrets pass through them). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define VT_SEV_SHA256_SIZE 32

/* Bytes wiped before they are freed. */
typedef struct {
  gsize len;
  guint8 data[];
} VtSevBytes;

/* @len zero bytes. */
VtSevBytes *vt_sev_bytes_new (gsize len);
/* A copy of @data. */
VtSevBytes *vt_sev_bytes_new_from (const guint8 *data, gsize len);
/* Wipes and frees @bytes (nullable). */
void vt_sev_bytes_free (VtSevBytes *bytes);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VtSevBytes, vt_sev_bytes_free)

/* Overwrites @len bytes at @data with zeros in a way the compiler cannot drop. */
void vt_sev_wipe (void *data, gsize len);

/* All of @path (a file, a pipe: anything read(2) reads), at most @max bytes. No copy of
 * the content is left behind in freed memory, so keys and secrets may be read with it.
 * @what names the input in errors ("firmware", "TIK"). Errors: G_FILE_ERROR naming the
 * path, VT_ERROR_FAILED when it is larger than @max. */
VtSevBytes *vt_sev_bytes_read_file (const char *path, gsize max, const char *what,
                                    GError **error);

/* SHA-256 of @path's content, read in chunks (a kernel or an initrd may be large), at
 * most @max bytes. Errors as vt_sev_bytes_read_file. */
gboolean vt_sev_hash_file (const char *path, guint64 max, const char *what,
                           guint8 digest[VT_SEV_SHA256_SIZE], GError **error);

/* Strict base64 (RFC 4648 alphabet, '=' only as final padding, nothing else) decoding
 * to exactly @expected bytes; @what names the input in errors. Errors: VT_ERROR_FAILED
 * saying what is wrong, never quoting the text (it may be key material). */
VtSevBytes *vt_sev_base64_decode (const char *text, gsize expected, const char *what,
                                  GError **error);

G_END_DECLS
