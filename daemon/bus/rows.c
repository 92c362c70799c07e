/* virtuned — a table of strings as one serialized a(s…s) (rows.h says why).
 *
 * GVariant's serialization (GLib's "GVariant Serialisation" format; all alignments here
 * are 1): a string is its bytes and a NUL; a tuple of strings is its members one after
 * the other, then the end offset of every member but the last, last member's first
 * (reverse order); an array of such tuples is its elements one after the other, then
 * the end offset of every element, in order. Each container writes its offsets with the
 * smallest width (1, 2, 4 or 8 bytes, little endian) in which its whole size fits. */
#include "bus/rows.h"

#include <string.h>

/* The size of a container of @body bytes with @offsets framing offsets, and the width
 * of those offsets. */
static gsize
framed_size (gsize body, gsize offsets, guint *width)
{
  static const guint widths[] = { 1, 2, 4 };

  for (guint i = 0; i < G_N_ELEMENTS (widths); i++)
    {
      gsize total = body + widths[i] * offsets;

      if (total < ((gsize) 1 << (8 * widths[i])))
        {
          *width = widths[i];
          return total;
        }
    }
  *width = 8;
  return body + 8 * offsets;
}

static void
put_offset (guint8 *at, gsize value, guint width)
{
  for (guint i = 0; i < width; i++)
    at[i] = (guint8) (value >> (8 * i));
}

/* Writes one row (a tuple) at @out; returns its size. @lengths are strlen()s. */
static gsize
put_row (guint8 *out, const char *const *cells, const gsize *lengths, gsize n_columns)
{
  gsize body = 0, size;
  guint width;

  for (gsize c = 0; c < n_columns; c++)
    body += lengths[c] + 1;
  size = framed_size (body, n_columns - 1, &width);
  if (out == NULL)
    return size;
  body = 0;
  for (gsize c = 0; c < n_columns; c++)
    {
      memcpy (out + body, cells[c], lengths[c] + 1);
      body += lengths[c] + 1;
      /* Member c's end offset goes at position (n_columns - 2 - c) among the offsets. */
      if (c + 1 < n_columns)
        put_offset (out + size - (c + 1) * width, body, width);
    }
  return size;
}

GVariant *
vt_bus_string_rows (const char *const *cells, gsize n_rows, gsize n_columns)
{
  g_autofree gsize *lengths = g_new (gsize, n_rows * n_columns);
  g_autofree gsize *row_ends = g_new (gsize, n_rows);
  g_autofree char *type = g_strnfill (n_columns + 3, 's');
  gsize body = 0, size;
  guint width;
  guint8 *data;

  type[0] = 'a';
  type[1] = '(';
  type[n_columns + 2] = ')';
  for (gsize i = 0; i < n_rows * n_columns; i++)
    lengths[i] = strlen (cells[i]);
  for (gsize r = 0; r < n_rows; r++)
    {
      body += put_row (NULL, cells + r * n_columns, lengths + r * n_columns, n_columns);
      row_ends[r] = body;
    }
  size = framed_size (body, n_rows, &width);
  data = g_malloc (MAX (size, 1));
  body = 0;
  for (gsize r = 0; r < n_rows; r++)
    body += put_row (data + body, cells + r * n_columns, lengths + r * n_columns, n_columns);
  for (gsize r = 0; r < n_rows; r++)
    put_offset (data + body + r * width, row_ends[r], width);
  /* Trusted: normal form by construction, and the strings are the daemon's own. */
  return g_variant_new_from_data (G_VARIANT_TYPE (type), data, size, TRUE, g_free, data);
}
