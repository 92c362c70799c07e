/* bus/rows.c writes GVariant's serialization by hand: every table must equal, byte for
 * byte, what GLib serializes for the same values, in each offset width. */
#include <string.h>

#include "bus/rows.h"

static GVariant *
rows_by_glib (const char *const *cells, gsize n_rows, gsize n_columns)
{
  g_autoptr (GPtrArray) rows = g_ptr_array_new ();
  g_autofree char *type = g_strnfill (n_columns + 2, 's');

  type[0] = '(';
  type[n_columns + 1] = ')';
  for (gsize r = 0; r < n_rows; r++)
    {
      g_autofree GVariant **fields = g_new (GVariant *, n_columns);

      for (gsize c = 0; c < n_columns; c++)
        fields[c] = g_variant_new_string (cells[r * n_columns + c]);
      g_ptr_array_add (rows, g_variant_new_tuple (fields, n_columns));
    }
  return g_variant_new_array (G_VARIANT_TYPE (type), (GVariant **) rows->pdata, rows->len);
}

/* A table of @n_rows rows of @n_columns cells, cell lengths cycling through @lengths. */
static void
check_table (gsize n_rows, gsize n_columns, const gsize *lengths, gsize n_lengths)
{
  g_autoptr (GPtrArray) cells = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GVariant) ours = NULL;
  g_autoptr (GVariant) glibs = NULL;

  for (gsize i = 0; i < n_rows * n_columns; i++)
    g_ptr_array_add (cells, g_strnfill (lengths[i % n_lengths], (char) ('a' + i % 26)));
  ours = g_variant_ref_sink (vt_bus_string_rows ((const char *const *) cells->pdata, n_rows,
                                                 n_columns));
  glibs = g_variant_ref_sink (rows_by_glib ((const char *const *) cells->pdata, n_rows,
                                            n_columns));
  g_assert_true (g_variant_is_normal_form (ours));
  g_assert_cmpstr (g_variant_get_type_string (ours), ==, g_variant_get_type_string (glibs));
  g_assert_cmpuint (g_variant_get_size (ours), ==, g_variant_get_size (glibs));
  g_assert_cmpmem (g_variant_get_data (ours), g_variant_get_size (ours),
                   g_variant_get_data (glibs), g_variant_get_size (glibs));
  g_assert_true (g_variant_equal (ours, glibs));
}

static void
test_small_tables (void)
{
  static const gsize lengths[] = { 0, 1, 5, 17 };

  for (gsize columns = 1; columns <= 4; columns++)
    for (gsize rows = 0; rows <= 6; rows++)
      check_table (rows, columns, lengths, G_N_ELEMENTS (lengths));
}

/* Rows and tables across 255 and 65,535 bytes, where offsets widen to 2 and 4 bytes;
 * sizes near each edge, where an off-by-one would show. */
static void
test_offset_widths (void)
{
  static const gsize edges[] = { 80, 81, 82, 83, 84, 85, 250, 251, 252, 253, 254, 255 };

  for (gsize i = 0; i < G_N_ELEMENTS (edges); i++)
    {
      check_table (1, 3, &edges[i], 1);
      check_table (3, 3, &edges[i], 1);
      check_table (260, 2, &edges[i], 1);
    }
  check_table (40, 3, (const gsize[]) { 20000 }, 1);
  check_table (1, 1, (const gsize[]) { 65534 }, 1);
  check_table (1, 2, (const gsize[]) { 32766 }, 1);
}

/* A provenance table as Render sends it, read back. */
static void
test_read_back (void)
{
  const char *cells[] = { "guest.memory", "4GiB", "user", "disk.bus", "virtio", "desktop" };
  g_autoptr (GVariant) rows = g_variant_ref_sink (vt_bus_string_rows (cells, 2, 3));
  const char *key, *value, *layer;
  GVariantIter iter;
  guint n = 0;

  g_variant_iter_init (&iter, rows);
  while (g_variant_iter_next (&iter, "(&s&s&s)", &key, &value, &layer))
    {
      g_assert_cmpstr (key, ==, cells[3 * n]);
      g_assert_cmpstr (value, ==, cells[3 * n + 1]);
      g_assert_cmpstr (layer, ==, cells[3 * n + 2]);
      n++;
    }
  g_assert_cmpuint (n, ==, 2);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/bus/rows/small", test_small_tables);
  g_test_add_func ("/bus/rows/offset-widths", test_offset_widths);
  g_test_add_func ("/bus/rows/read-back", test_read_back);
  return g_test_run ();
}
