/* Helpers shared by the SEV unit tests: hex and base64 fixtures, error checks. */
#pragma once

#include <glib.h>
#include <string.h>

/* Asserts that @error is set and its message contains @needle (and says which). */
#define assert_message_contains(error, needle)                                        \
  G_STMT_START {                                                                      \
    g_assert_nonnull (error);                                                         \
    if (!strstr ((error)->message, (needle)))                                         \
      g_error ("message '%s' lacks '%s'", (error)->message, (needle));                \
  } G_STMT_END

/* The bytes of a hex string (spaces allowed between bytes); @len receives the count. */
static inline guint8 *
hex_bytes (const char *hex, gsize *len)
{
  GByteArray *out = g_byte_array_new ();

  for (const char *p = hex; *p; )
    {
      guint8 byte;

      if (*p == ' ')
        {
          p++;
          continue;
        }
      g_assert_true (g_ascii_isxdigit (p[0]) && g_ascii_isxdigit (p[1]));
      byte = (guint8) (g_ascii_xdigit_value (p[0]) << 4 | g_ascii_xdigit_value (p[1]));
      g_byte_array_append (out, &byte, 1);
      p += 2;
    }
  *len = out->len;
  return g_byte_array_free (out, FALSE);
}

/* @data as lower-case hex. */
static inline char *
to_hex (const guint8 *data, gsize len)
{
  GString *out = g_string_new (NULL);

  for (gsize i = 0; i < len; i++)
    g_string_append_printf (out, "%02x", data[i]);
  return g_string_free (out, FALSE);
}

/* SHA-256 by GLib (not nettle, which the code under test uses) as hex. */
static inline char *
glib_sha256 (const guint8 *data, gsize len)
{
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, data, len);
}

/* Writes @len bytes to a new file in @dir; returns its path. */
static inline char *
write_temp (const char *dir, const char *name, const void *data, gsize len)
{
  char *path = g_build_filename (dir, name, NULL);

  g_assert_true (g_file_set_contents (path, data, (gssize) len, NULL));
  return path;
}
