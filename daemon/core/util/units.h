/* virtuned — size units (KiB/MiB/GiB/TiB, K/M/G/T) used by descriptions and policies. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Parses "4GiB", "512 M", "20G", "512B", or a bare number interpreted in @bare_unit_bytes
 * (e.g. 1024*1024 for MiB). Rejects negatives, fractions, unknown units and overflow.
 * On error sets a short message (no position: the caller adds it). */
gboolean vt_parse_size (const char *text, guint64 bare_unit_bytes, guint64 *bytes,
                        GError **error);

/* Formats bytes with the largest binary unit that divides it exactly ("8GiB", "1536MiB"),
 * else in bytes with a unit ("512B"), so the text always reads back as the same size. */
char *vt_format_size (guint64 bytes);

G_END_DECLS
