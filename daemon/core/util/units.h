/* virtuned — size units (KiB/MiB/GiB/TiB, K/M/G/T) used by descriptions and policies. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Reads a decimal whole number of at most @max: digits only, no sign, no space, and no
 * leading zero ("010" is octal 8 to YAML 1.1 readers, so it is refused rather than read
 * as 10; "0" itself is fine). With @end, stops at the first non-digit and stores it
 * there; without, the whole text must be the number. FALSE (errno ERANGE when the
 * digits exceed @max) on anything else. Every integer the daemon reads from a caller
 * goes through here. */
gboolean vt_parse_decimal (const char *text, guint64 max, guint64 *value, const char **end);

/* Parses "4GiB", "512 M", "20G", "512B", or a bare number interpreted in @bare_unit_bytes
 * (e.g. 1024*1024 for MiB). Rejects negatives, fractions, leading zeros, unknown units and overflow
 * (the number is read by vt_parse_decimal()).
 * On error sets a short message (no position: the caller adds it) quoting @text through
 * vt_echo(). */
gboolean vt_parse_size (const char *text, guint64 bare_unit_bytes, guint64 *bytes,
                        GError **error);

/* Formats bytes with the largest binary unit that divides it exactly ("8GiB", "1536MiB"),
 * else in bytes with a unit ("512B"), so the text always reads back as the same size. */
char *vt_format_size (guint64 bytes);

G_END_DECLS
