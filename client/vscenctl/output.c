/* vscenctl — output shared by every command: JSON built from the daemon's GVariant
 * replies and aligned text tables. Nothing prints GVariant text. */
#include "vscenctl.h"

#include <math.h>

#include "util/echo.h"

void
vt_ctl_json_string (GString *out, const char *text)
{
  g_string_append_c (out, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      if (c == '"' || c == '\\')
        g_string_append_printf (out, "\\%c", c);
      else if (c == '\n')
        g_string_append (out, "\\n");
      else if (c == '\t')
        g_string_append (out, "\\t");
      else if (c < 0x20 || c == 0x7f)
        g_string_append_printf (out, "\\u%04x", c);
      else if (c >= 0x80 && vt_echo_is_control (g_utf8_get_char_validated (p, -1)))
        {
          /* A C1 control (two bytes in UTF-8): valid JSON as is, but not for a terminal. */
          g_string_append_printf (out, "\\u%04x", g_utf8_get_char (p));
          p = g_utf8_next_char (p) - 1;
        }
      else
        g_string_append_c (out, (char) c);
    }
  g_string_append_c (out, '"');
}

/* Integers and doubles; FALSE for any other class. */
static gboolean
json_append_number (GString *out, GVariant *value)
{
  switch (g_variant_classify (value))
    {
    case G_VARIANT_CLASS_BYTE:
      g_string_append_printf (out, "%u", g_variant_get_byte (value));
      return TRUE;
    case G_VARIANT_CLASS_INT16:
      g_string_append_printf (out, "%d", g_variant_get_int16 (value));
      return TRUE;
    case G_VARIANT_CLASS_UINT16:
      g_string_append_printf (out, "%u", g_variant_get_uint16 (value));
      return TRUE;
    case G_VARIANT_CLASS_INT32:
      g_string_append_printf (out, "%d", g_variant_get_int32 (value));
      return TRUE;
    case G_VARIANT_CLASS_UINT32:
      g_string_append_printf (out, "%u", g_variant_get_uint32 (value));
      return TRUE;
    case G_VARIANT_CLASS_INT64:
      g_string_append_printf (out, "%" G_GINT64_FORMAT, g_variant_get_int64 (value));
      return TRUE;
    case G_VARIANT_CLASS_UINT64:
      g_string_append_printf (out, "%" G_GUINT64_FORMAT, g_variant_get_uint64 (value));
      return TRUE;
    case G_VARIANT_CLASS_DOUBLE:
      /* JSON has no NaN or infinity. */
      if (isfinite (g_variant_get_double (value)))
        g_string_append_printf (out, "%.17g", g_variant_get_double (value));
      else
        g_string_append (out, "null");
      return TRUE;
    default:
      return FALSE;
    }
}

/* A dictionary entry's key as a JSON object key: strings as they are, numbers as text. */
static void
json_append_key (GString *out, GVariant *key)
{
  g_autoptr (GString) text = NULL;

  if (g_variant_is_of_type (key, G_VARIANT_TYPE_STRING))
    {
      vt_ctl_json_string (out, g_variant_get_string (key, NULL));
      return;
    }
  text = g_string_new (NULL);
  vt_ctl_json_append_value (text, key);
  vt_ctl_json_string (out, text->str);
}

/* Arrays of dictionary entries become objects, other arrays and tuples JSON arrays. */
static void
json_append_container (GString *out, GVariant *value)
{
  gboolean dict = g_variant_is_of_type (value, G_VARIANT_TYPE_DICTIONARY);
  gsize n = g_variant_n_children (value);

  g_string_append_c (out, dict ? '{' : '[');
  for (gsize i = 0; i < n; i++)
    {
      g_autoptr (GVariant) child = g_variant_get_child_value (value, i);

      g_string_append (out, i == 0 ? "" : ", ");
      if (dict)
        {
          g_autoptr (GVariant) key = g_variant_get_child_value (child, 0);
          g_autoptr (GVariant) entry_value = g_variant_get_child_value (child, 1);

          json_append_key (out, key);
          g_string_append (out, ": ");
          vt_ctl_json_append_value (out, entry_value);
        }
      else
        vt_ctl_json_append_value (out, child);
    }
  g_string_append_c (out, dict ? '}' : ']');
}

void
vt_ctl_json_append_value (GString *out, GVariant *value)
{
  if (json_append_number (out, value))
    return;
  switch (g_variant_classify (value))
    {
    case G_VARIANT_CLASS_BOOLEAN:
      g_string_append (out, g_variant_get_boolean (value) ? "true" : "false");
      break;
    case G_VARIANT_CLASS_STRING:
    case G_VARIANT_CLASS_OBJECT_PATH:
    case G_VARIANT_CLASS_SIGNATURE:
      vt_ctl_json_string (out, g_variant_get_string (value, NULL));
      break;
    case G_VARIANT_CLASS_VARIANT:
    case G_VARIANT_CLASS_MAYBE:
      {
        g_autoptr (GVariant) inner = g_variant_n_children (value) > 0
                                     ? g_variant_get_child_value (value, 0) : NULL;

        if (inner != NULL)
          vt_ctl_json_append_value (out, inner);
        else
          g_string_append (out, "null");
      }
      break;
    case G_VARIANT_CLASS_ARRAY:
    case G_VARIANT_CLASS_TUPLE:
    case G_VARIANT_CLASS_DICT_ENTRY:
      json_append_container (out, value);
      break;
    default:
      /* A file descriptor handle: meaningless outside this process. */
      g_string_append (out, "null");
      break;
    }
}

void
vt_ctl_json_append_tuples (GString *out, GVariant *array, const char *const *fields)
{
  gsize n = g_variant_n_children (array);

  g_string_append_c (out, '[');
  for (gsize i = 0; i < n; i++)
    {
      g_autoptr (GVariant) tuple = g_variant_get_child_value (array, i);

      g_string_append (out, i == 0 ? "{" : ", {");
      for (guint f = 0; fields[f] != NULL; f++)
        {
          g_autoptr (GVariant) cell = g_variant_get_child_value (tuple, f);

          g_string_append (out, f == 0 ? "" : ", ");
          vt_ctl_json_string (out, fields[f]);
          g_string_append (out, ": ");
          vt_ctl_json_append_value (out, cell);
        }
      g_string_append_c (out, '}');
    }
  g_string_append_c (out, ']');
}

void
vt_ctl_print_json (GString *json)
{
  g_print ("%s\n", json->str);
}

char *
vt_ctl_text (GVariant *value)
{
  g_autoptr (GVariant) inner = NULL;
  GString *json;

  if (g_variant_is_of_type (value, G_VARIANT_TYPE_VARIANT))
    value = inner = g_variant_get_variant (value);
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_BOOLEAN))
    return g_strdup (g_variant_get_boolean (value) ? "yes" : "no");
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_STRING))
    {
      const char *text = g_variant_get_string (value, NULL);

      return *text == '\0' ? g_strdup ("-") : vt_ctl_printable (text, NULL);
    }
  json = g_string_new (NULL);
  vt_ctl_json_append_value (json, value);
  return g_string_free (json, FALSE);
}

char *
vt_ctl_printable (const char *text, const char *keep)
{
  GString *out = g_string_new (NULL);

  vt_echo_append (out, text, -1, keep);
  return g_string_free (out, FALSE);
}

/* Left-aligned columns separated by two spaces, header first; cells are UTF-8. */
static void
print_table (const char *const *header, GPtrArray *rows)
{
  guint n_columns = g_strv_length ((char **) header);
  g_autofree gsize *widths = g_new0 (gsize, n_columns);

  for (guint c = 0; c < n_columns; c++)
    widths[c] = g_utf8_strlen (header[c], -1);
  for (guint r = 0; r < rows->len; r++)
    {
      char **row = g_ptr_array_index (rows, r);

      for (guint c = 0; c < n_columns; c++)
        widths[c] = MAX (widths[c], (gsize) g_utf8_strlen (row[c], -1));
    }
  for (guint r = 0; r <= rows->len; r++)
    {
      const char *const *row = r == 0 ? header : g_ptr_array_index (rows, r - 1);

      for (guint c = 0; c < n_columns; c++)
        {
          gsize pad = widths[c] - g_utf8_strlen (row[c], -1);

          if (c + 1 == n_columns)
            g_print ("%s\n", row[c]);
          else
            g_print ("%s%*s  ", row[c], (int) pad, "");
        }
    }
}

void
vt_ctl_print_tuples (GVariant *array, const char *const *header)
{
  g_autoptr (GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  guint n_columns = g_strv_length ((char **) header);
  gsize n = g_variant_n_children (array);

  for (gsize i = 0; i < n; i++)
    {
      g_autoptr (GVariant) tuple = g_variant_get_child_value (array, i);
      char **row = g_new0 (char *, n_columns + 1);

      for (guint c = 0; c < n_columns; c++)
        {
          g_autoptr (GVariant) cell = g_variant_get_child_value (tuple, c);

          row[c] = vt_ctl_text (cell);
        }
      g_ptr_array_add (rows, row);
    }
  print_table (header, rows);
}

void
vt_ctl_print_rows (VtCtl *ctl, GVariant *rows, const char *const *fields,
                   const char *const *header)
{
  g_autoptr (GString) json = NULL;

  if (!ctl->json)
    {
      vt_ctl_print_tuples (rows, header);
      return;
    }
  json = g_string_new (NULL);
  vt_ctl_json_append_tuples (json, rows, fields);
  vt_ctl_print_json (json);
}
