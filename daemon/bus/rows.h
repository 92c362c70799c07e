/* virtuned — a table of strings as one GVariant of type a(s…s), serialized directly.
 *
 * Built value by value (g_variant_builder_add, or g_variant_new_string and
 * g_variant_new_tuple) a Render's provenance table of ~40 rows cost more instructions than
 * building the domain itself: every string and every row is a GVariant of its own. This
 * writes GLib's serialization format (normal form) into one buffer instead. */
#pragma once

#include <glib.h>

/* @cells holds @n_rows × @n_columns strings, row after row (valid UTF-8, as GVariant
 * strings must be; the caller's strings are its own, never a D-Bus caller's bytes
 * unchecked). @n_columns ≥ 1. Returns a floating a(s…s) in normal form. */
GVariant *vt_bus_string_rows (const char *const *cells, gsize n_rows, gsize n_columns);
