/* virtuned — strict base64 checking, shared by the description reader (guest-owner launch
 * data) and core/sev (keys and measurements), so both accept exactly the same text. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The length of the base64 text of @bytes bytes (with padding). */
#define VT_BASE64_LEN(bytes) (((bytes) + 2) / 3 * 4)

/* TRUE when the @len bytes at @text are strict base64: the RFC 4648 alphabet, a length
 * that is a multiple of 4, and '=' only as the final one or two characters (no line
 * breaks, no spaces, no URL-safe alphabet). Then *@decoded_len (nullable) is the number
 * of bytes the text stands for, found without decoding it. */
gboolean vt_base64_check (const char *text, gsize len, gsize *decoded_len);

G_END_DECLS
