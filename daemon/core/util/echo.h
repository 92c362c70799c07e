/* virtuned — the one way text from a caller (or from the bus, in vscenctl) is shown back:
 * bounded and printable.
 *
 * Header-only on purpose: vscenctl cannot link the core but must print what it receives
 * from the bus the same way, so both compile this one definition. */
#pragma once

#include <glib.h>
#include <string.h>

G_BEGIN_DECLS

/* Characters of caller text an error message quotes; longer text ends in "...". */
#define VT_ECHO_MAX_CHARS 64

/* A code point a terminal acts on: C0 controls, DEL, and C1 controls (U+0080..U+009F;
 * U+009B is a one-character CSI for terminals that take 8-bit controls). */
static inline gboolean
vt_echo_is_control (gunichar c)
{
  return c < 0x20 || (c >= 0x7f && c <= 0x9f);
}

static inline void
vt_echo_append_bytes (GString *out, const char *bytes, gsize len)
{
  for (gsize i = 0; i < len; i++)
    g_string_append_printf (out, "\\x%02x", (guchar) bytes[i]);
}

/* Appends @text to @out with every control character and every byte that is not part of
 * valid UTF-8 written as \xNN (one per byte), except the ASCII characters in @keep (e.g.
 * "\n" for multi-line text; NULL keeps none). At most @max_chars characters of @text
 * (an invalid byte counts as one) are shown, then "..."; a negative @max_chars shows
 * all. */
static inline void
vt_echo_append (GString *out, const char *text, gssize max_chars, const char *keep)
{
  const char *p = text ? text : "";
  const char *end = p + strlen (p);
  gssize n_chars = 0;

  for (; *p && (max_chars < 0 || n_chars < max_chars); n_chars++)
    {
      gunichar c = g_utf8_get_char_validated (p, end - p);
      gsize len;

      if (c == (gunichar) -1 || c == (gunichar) -2)
        {
          vt_echo_append_bytes (out, p, 1);
          p++;
          continue;
        }
      len = g_utf8_next_char (p) - p;
      if (vt_echo_is_control (c) && !(c < 0x80 && keep && strchr (keep, (int) c)))
        vt_echo_append_bytes (out, p, len);
      else
        g_string_append_len (out, p, len);
      p += len;
    }
  if (*p)
    g_string_append (out, "...");
}

/* A copy of caller text to quote in a message: at most VT_ECHO_MAX_CHARS characters,
 * control characters and invalid UTF-8 as \xNN. Every error that quotes caller text
 * goes through this, so no message grows with the input or carries terminal escapes. */
static inline char *
vt_echo (const char *text)
{
  GString *out = g_string_new (NULL);

  vt_echo_append (out, text, VT_ECHO_MAX_CHARS, NULL);
  return g_string_free (out, FALSE);
}

G_END_DECLS
