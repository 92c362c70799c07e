#include "util/units.h"

#include <errno.h>
#include <stdlib.h>

#include "util/echo.h"
#include "util/error.h"

static const struct {
  const char *suffix;
  guint64 factor;
} units[] = {
  { "B", 1 },
  { "KiB", G_GUINT64_CONSTANT (1) << 10 }, { "K", G_GUINT64_CONSTANT (1) << 10 },
  { "MiB", G_GUINT64_CONSTANT (1) << 20 }, { "M", G_GUINT64_CONSTANT (1) << 20 },
  { "GiB", G_GUINT64_CONSTANT (1) << 30 }, { "G", G_GUINT64_CONSTANT (1) << 30 },
  { "TiB", G_GUINT64_CONSTANT (1) << 40 }, { "T", G_GUINT64_CONSTANT (1) << 40 },
};

gboolean
vt_parse_decimal (const char *text, guint64 max, guint64 *value, const char **end)
{
  const char *p = text;
  guint64 number = 0;

  errno = 0;
  if (!text || !g_ascii_isdigit (*p))
    return FALSE;
  /* "010" is 8 to a YAML 1.1 reader and 10 to strtoull: refuse rather than guess. */
  if (p[0] == '0' && g_ascii_isdigit (p[1]))
    return FALSE;
  for (; g_ascii_isdigit (*p); p++)
    {
      guint digit = (guint) (*p - '0');

      if (digit > max || number > (max - digit) / 10)
        {
          errno = ERANGE;
          return FALSE;
        }
      number = number * 10 + digit;
    }
  if (end)
    *end = p;
  else if (*p)
    return FALSE;
  *value = number;
  return TRUE;
}

gboolean
vt_parse_size (const char *text, guint64 bare_unit_bytes, guint64 *bytes, GError **error)
{
  const char *end = NULL;
  guint64 number, factor = bare_unit_bytes;
  g_autofree char *shown = NULL;

  if (!vt_parse_decimal (text, G_MAXUINT64, &number, &end))
    {
      if (errno == ERANGE)
        goto too_large;
      goto bad;
    }
  while (*end == ' ')
    end++;
  if (*end)
    {
      gboolean found = FALSE;
      for (gsize i = 0; i < G_N_ELEMENTS (units); i++)
        if (g_strcmp0 (end, units[i].suffix) == 0)
          {
            factor = units[i].factor;
            found = TRUE;
            break;
          }
      if (!found)
        goto bad;
    }
  if (number > G_MAXUINT64 / factor)
    goto too_large;
  *bytes = number * factor;
  return TRUE;

  /* The text is the caller's: quoted bounded and escaped, never as it came. */
too_large:
  shown = vt_echo (text);
  g_set_error (error, VT_ERROR, VT_ERROR_INVALID_DESCRIPTION, "size '%s' is too large", shown);
  return FALSE;

bad:
  shown = vt_echo (text);
  g_set_error (error, VT_ERROR, VT_ERROR_INVALID_DESCRIPTION,
               "'%s' is not a size (use a whole number without leading zeros, with B, KiB, "
               "MiB, GiB or TiB)", shown);
  return FALSE;
}

char *
vt_format_size (guint64 bytes)
{
  static const char *names[] = { "TiB", "GiB", "MiB", "KiB" };
  static const guint shifts[] = { 40, 30, 20, 10 };

  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    {
      guint64 f = G_GUINT64_CONSTANT (1) << shifts[i];
      if (bytes >= f && bytes % f == 0)
        return g_strdup_printf ("%" G_GUINT64_FORMAT "%s", bytes / f, names[i]);
    }
  /* Never bare: readers take a bare number as MiB. */
  return g_strdup_printf ("%" G_GUINT64_FORMAT "B", bytes);
}
