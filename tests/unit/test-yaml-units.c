/* Unit tests: size units, the bounded YAML reader and the settings catalog. */
#include <glib.h>
#include <string.h>

#include "model/catalog.h"
#include "model/settings.h"
#include "util/echo.h"
#include "util/error.h"
#include "util/units.h"
#include "util/yaml-tree.h"

#define KiB (G_GUINT64_CONSTANT (1) << 10)
#define MiB (G_GUINT64_CONSTANT (1) << 20)
#define GiB (G_GUINT64_CONSTANT (1) << 30)
#define TiB (G_GUINT64_CONSTANT (1) << 40)

static const VtYamlLimits test_limits = {
  .max_bytes = 1024,
  .max_depth = 4,
  .max_nodes = 32,
  .max_scalar = 64,
};

/* Asserts that @error is set and its message contains @needle (and says which). */
#define assert_message_contains(error, needle)                                        \
  G_STMT_START {                                                                      \
    g_assert_nonnull (error);                                                         \
    if (!strstr ((error)->message, (needle)))                                         \
      g_error ("message '%s' lacks '%s'", (error)->message, (needle));                \
  } G_STMT_END

/* ---- sizes ---------------------------------------------------------------------- */

static void
test_size_units (void)
{
  static const struct {
    const char *text;
    guint64 bytes;
  } cases[] = {
    { "1KiB", KiB },       { "3K", 3 * KiB },     { "512MiB", 512 * MiB },
    { "512M", 512 * MiB }, { "4GiB", 4 * GiB },   { "20G", 20 * GiB },
    { "2TiB", 2 * TiB },   { "1T", TiB },         { "512 M", 512 * MiB },
    { "4096", 4096 * MiB }, { "0", 0 },           { "16777215TiB", 16777215 * TiB },
    { "512B", 512 },       { "1 B", 1 },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      guint64 bytes = 1;

      g_assert_true (vt_parse_size (cases[i].text, MiB, &bytes, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (bytes, ==, cases[i].bytes);
    }
}

static void
test_size_bare_unit (void)
{
  guint64 bytes = 0;

  g_assert_true (vt_parse_size ("8", KiB, &bytes, NULL));
  g_assert_cmpuint (bytes, ==, 8 * KiB);
  g_assert_true (vt_parse_size ("8", MiB, &bytes, NULL));
  g_assert_cmpuint (bytes, ==, 8 * MiB);
}

static void
test_size_overflow (void)
{
  static const char *const too_big[] = {
    "16777216TiB",                 /* 2^24 * 2^40 = 2^64 */
    "18446744073709551615K",
    "99999999999999999999999",     /* does not even fit in 64 bits as a number */
  };

  for (gsize i = 0; i < G_N_ELEMENTS (too_big); i++)
    {
      g_autoptr (GError) error = NULL;
      guint64 bytes = 0;

      g_assert_false (vt_parse_size (too_big[i], MiB, &bytes, &error));
      g_assert_error (error, VT_ERROR, VT_ERROR_INVALID_DESCRIPTION);
      assert_message_contains (error, "too large");
    }
}

static void
test_size_garbage (void)
{
  static const char *const bad[] = {
    "", "GiB", "4 parsecs", "4gib", "4.5GiB", "0x10", " 4GiB", "4GiB ", "4 GiB x", "4KB",
    "-1", "-4GiB", "+4GiB",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (GError) error = NULL;
      guint64 bytes = 7;

      g_assert_false (vt_parse_size (bad[i], MiB, &bytes, &error));
      g_assert_error (error, VT_ERROR, VT_ERROR_INVALID_DESCRIPTION);
      assert_message_contains (error, "is not a size");
      g_assert_cmpuint (bytes, ==, 7);
    }
}

/* Leading zeros mean octal to YAML 1.1 readers: one number reader refuses them. */
static void
test_size_leading_zeros (void)
{
  static const char *const bad[] = { "010", "00", "0512B", "08GiB", "00 M" };
  guint64 value = 7;
  const char *end = NULL;

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (GError) error = NULL;
      guint64 bytes = 7;

      g_assert_false (vt_parse_size (bad[i], MiB, &bytes, &error));
      assert_message_contains (error, "is not a size");
      g_assert_cmpuint (bytes, ==, 7);
    }
  g_assert_true (vt_parse_decimal ("0", 10, &value, NULL));
  g_assert_cmpuint (value, ==, 0);
  g_assert_true (vt_parse_decimal ("4096", 4096, &value, NULL));
  g_assert_cmpuint (value, ==, 4096);
  g_assert_false (vt_parse_decimal ("4097", 4096, &value, NULL));
  g_assert_false (vt_parse_decimal ("010", 4096, &value, NULL));
  g_assert_false (vt_parse_decimal ("+1", 4096, &value, NULL));
  g_assert_false (vt_parse_decimal ("1 ", 4096, &value, NULL));
  g_assert_false (vt_parse_decimal ("", 4096, &value, NULL));
  g_assert_false (vt_parse_decimal ("18446744073709551616", G_MAXUINT64, &value, NULL));
  g_assert_true (vt_parse_decimal ("18446744073709551615", G_MAXUINT64, &value, NULL));
  g_assert_cmpuint (value, ==, G_MAXUINT64);
  g_assert_true (vt_parse_decimal ("12.5", 99, &value, &end));
  g_assert_cmpuint (value, ==, 12);
  g_assert_cmpstr (end, ==, ".5");
}

/* Size errors quote the caller's text bounded and escaped (issue 8, defect 5). */
static void
test_size_error_echo (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *huge = g_strnfill (1024 * 1024, '9');
  guint64 bytes;

  g_assert_false (vt_parse_size ("\x1b]0;PWNED\a\x1b[2J1GiB", MiB, &bytes, &error));
  g_assert_cmpstr (error->message, ==,
                   "'\\x1b]0;PWNED\\x07\\x1b[2J1GiB' is not a size (use a whole number "
                   "without leading zeros, with B, KiB, MiB, GiB or TiB)");
  g_clear_error (&error);
  g_assert_false (vt_parse_size (huge, MiB, &bytes, &error));
  assert_message_contains (error, "is too large");
  g_assert_cmpuint (strlen (error->message), <, 100);
}

static void
test_echo (void)
{
  static const struct {
    const char *text;
    const char *shown;
  } cases[] = {
    { "plain", "plain" },
    { "", "" },
    { "tab\there\nnl", "tab\\x09here\\x0anl" },
    { "\x1b[2J\x7f", "\\x1b[2J\\x7f" },
    { "caf\xc3\xa9 \xe2\x82\xac", "caf\xc3\xa9 \xe2\x82\xac" },  /* printable UTF-8 kept */
    { "c1:\xc2\x9b" "2J", "c1:\\xc2\\x9b2J" },                      /* C1 CSI escaped */
    { "bad:\xff\xfe", "bad:\\xff\\xfe" },                        /* invalid UTF-8 */
    { "cut:\xe2\x82", "cut:\\xe2\\x82" },                        /* truncated sequence */
    { "over:\xc0\xaf", "over:\\xc0\\xaf" },                      /* overlong '/' */
  };
  g_autofree char *long_text = g_strnfill (65, 'a');
  g_autofree char *long_shown = vt_echo (long_text);
  g_autofree char *exact = g_strnfill (64, 'b');
  g_autofree char *exact_shown = vt_echo (exact);
  g_autoptr (GString) kept = g_string_new (NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *shown = vt_echo (cases[i].text);

      g_assert_cmpstr (shown, ==, cases[i].shown);
    }
  g_assert_cmpuint (strlen (long_shown), ==, 64 + 3);
  g_assert_true (g_str_has_suffix (long_shown, "a..."));
  g_assert_cmpstr (exact_shown, ==, exact);
  g_assert_true (vt_echo_is_control (0x9b));
  g_assert_false (vt_echo_is_control (0xa0));
  /* vscenctl keeps the layout of multi-line text and shows all of it. */
  vt_echo_append (kept, "a\nb\tc\x1b", -1, "\n\t");
  g_assert_cmpstr (kept->str, ==, "a\nb\tc\\x1b");
}

/* A size libvirt takes in KiB is refused when it is not a whole number of KiB, never
 * truncated (issue 8); sizes given to libvirt in bytes keep byte precision. */
static void
test_catalog_size_granularity (void)
{
  const VtCatalogEntry *memory = vt_catalog_lookup ("guest.memory");
  const VtCatalogEntry *cluster = vt_catalog_lookup ("storage.cluster_size");
  g_autoptr (GError) error = NULL;
  g_autofree char *canonical = NULL;

  g_assert_false (vt_catalog_normalize (memory, "67108865B", &canonical, &error));
  g_assert_null (canonical);
  g_assert_error (error, VT_ERROR, VT_ERROR_INVALID_DESCRIPTION);
  g_assert_cmpstr (error->message, ==,
                   "'67108865B' is not a multiple of 1KiB: guest.memory reaches libvirt in "
                   "whole 1KiB units and is not rounded");
  g_clear_error (&error);
  g_assert_true (vt_catalog_normalize (memory, "67109888B", &canonical, &error));
  g_assert_cmpstr (canonical, ==, "65537KiB");
  g_clear_pointer (&canonical, g_free);
  g_assert_true (vt_catalog_normalize (cluster, "512B", &canonical, &error));
  g_assert_cmpstr (canonical, ==, "512B");
  g_assert_true (vt_catalog_check_granularity (cluster, "512B", 512, NULL));
}

static void
test_format_size (void)
{
  static const struct {
    guint64 bytes;
    const char *text;
  } cases[] = {
    { 0, "0B" },
    { 512, "512B" },
    { 1000, "1000B" },
    { KiB, "1KiB" },
    { 1536 * KiB, "1536KiB" },
    { 8 * MiB, "8MiB" },
    { 1536 * MiB, "1536MiB" },
    { 8 * GiB, "8GiB" },
    { 16 * TiB, "16TiB" },
    { G_MAXUINT64, "18446744073709551615B" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = vt_format_size (cases[i].bytes);
      guint64 back = 0;

      g_assert_cmpstr (text, ==, cases[i].text);
      /* What we print, we read back, whatever a bare number means to the reader. */
      g_assert_true (vt_parse_size (text, MiB, &back, NULL));
      g_assert_cmpuint (back, ==, cases[i].bytes);
    }
}

/* ---- YAML reader ---------------------------------------------------------------- */

static VtYamlNode *
parse_text (const char *text, const VtYamlLimits *limits, GError **error)
{
  return vt_yaml_parse (text, strlen (text), limits, "input", error);
}

/* Parses @text expecting failure; the message must contain @needle. */
static void
assert_yaml_refused (const char *text, const VtYamlLimits *limits, const char *needle)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (VtYamlNode) root = parse_text (text, limits, &error);

  g_assert_null (root);
  g_assert_error (error, VT_ERROR, VT_ERROR_INVALID_DESCRIPTION);
  assert_message_contains (error, needle);
}

static void
test_yaml_tree_shape (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (VtYamlNode) root =
    parse_text ("a: 1\nb:\n  - x\n  - \"on\"\nc: {d: e}\n", &test_limits, &error);
  const VtYamlNode *b, *item, *c;

  g_assert_no_error (error);
  g_assert_cmpint (root->kind, ==, VT_YAML_MAPPING);
  g_assert_cmpuint (root->keys->len, ==, 3);
  g_assert_cmpstr (vt_yaml_mapping_get (root, "a")->value, ==, "1");
  g_assert_null (vt_yaml_mapping_get (root, "zz"));
  g_assert_null (vt_yaml_mapping_get (NULL, "a"));

  b = vt_yaml_mapping_get (root, "b");
  g_assert_cmpint (b->kind, ==, VT_YAML_SEQUENCE);
  g_assert_cmpuint (b->items->len, ==, 2);
  item = g_ptr_array_index (b->items, 1);
  g_assert_cmpstr (item->value, ==, "on");
  g_assert_true (item->quoted);
  g_assert_false (((VtYamlNode *) g_ptr_array_index (b->items, 0))->quoted);
  g_assert_cmpuint (item->line, ==, 4);
  g_assert_cmpuint (item->column, ==, 5);

  c = vt_yaml_mapping_get (root, "c");
  g_assert_cmpint (c->kind, ==, VT_YAML_MAPPING);
  g_assert_cmpuint (c->line, ==, 5);
  g_assert_cmpuint (c->column, ==, 4);
  g_assert_cmpstr (vt_yaml_kind_name (c->kind), ==, "a mapping");
  g_assert_cmpstr (vt_yaml_kind_name (b->kind), ==, "a list");
  g_assert_cmpstr (vt_yaml_kind_name (item->kind), ==, "a scalar");
}

static void
test_yaml_aliases_refused (void)
{
  assert_yaml_refused ("a: [x]\nb: *a\n", &test_limits, "line 2, column 4): YAML aliases");
  assert_yaml_refused ("a: &a [x]\n", &test_limits, "line 1, column 4): YAML anchors");
  assert_yaml_refused ("a: &s x\n", &test_limits, "YAML anchors are not accepted");
  assert_yaml_refused ("a: &m {x: y}\n", &test_limits, "YAML anchors are not accepted");
}

static void
test_yaml_duplicate_keys (void)
{
  assert_yaml_refused ("a: 1\nb: 2\na: 3\n", &test_limits,
                       "input (line 3, column 1): duplicate key 'a'");
  assert_yaml_refused ("m: {k: 1, k: 2}\n", &test_limits, "duplicate key 'k'");
  assert_yaml_refused ("? [x]\n: 1\n", &test_limits, "mapping keys must be plain scalars");
}

static void
test_yaml_depth_limit (void)
{
  g_autoptr (VtYamlNode) ok = parse_text ("[[[[x]]]]", &test_limits, NULL);

  g_assert_nonnull (ok);
  assert_yaml_refused ("[[[[[x]]]]]", &test_limits, "line 1, column 5): nesting is too deep");
}

static void
test_yaml_node_limit (void)
{
  g_autoptr (GString) list = g_string_new ("[x");
  g_autofree char *at_limit = NULL;
  g_autofree char *over_limit = NULL;
  g_autoptr (VtYamlNode) ok = NULL;

  /* 1 sequence + 31 scalars = 32 nodes: at the limit. One more is refused. */
  for (guint i = 1; i < 31; i++)
    g_string_append (list, ",x");
  at_limit = g_strconcat (list->str, "]", NULL);
  over_limit = g_strconcat (list->str, ",x]", NULL);
  ok = parse_text (at_limit, &test_limits, NULL);
  g_assert_nonnull (ok);
  assert_yaml_refused (over_limit, &test_limits, "line 1, column 64): too many YAML nodes (limit 32)");
}

static void
test_yaml_size_limits (void)
{
  g_autofree char *big = g_strnfill (1025, '#');
  g_autofree char *long_scalar = g_strdup_printf ("a: %s\n", big + 1025 - 65);

  /* Comments only: any content counts towards the document size. */
  assert_yaml_refused (big, &test_limits, "input is too large: 1025 bytes (limit 1024)");
  memset (long_scalar + 3, 'x', 65);
  assert_yaml_refused (long_scalar, &test_limits, "line 1, column 4): value is too long");
}

static void
test_yaml_documents (void)
{
  assert_yaml_refused ("a: 1\n---\nb: 2\n", &test_limits,
                       "line 2, column 1): only one YAML document is accepted");
  assert_yaml_refused ("", &test_limits, "input is empty");
  assert_yaml_refused ("# nothing but a comment\n", &test_limits, "input is empty");
  assert_yaml_refused ("a: \"x\\0y\"\n", &test_limits, "value contains a NUL character");
}

static void
test_yaml_syntax_positions (void)
{
  assert_yaml_refused ("a: 1\nb: [1, 2\nc: 3\n", &test_limits,
                       "input (line 3, column 2): invalid YAML");
  assert_yaml_refused ("a: 1\n  b: 2\n", &test_limits, "input (line 2, column 4): invalid YAML");
  assert_yaml_refused ("a: \"unterminated\n", &test_limits, "(line 2, column 1): invalid YAML");
  assert_yaml_refused ("a: \xff\n", &test_limits, "invalid YAML");
}

static void
test_yaml_set_error (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GError) no_path = NULL;
  g_autoptr (VtYamlNode) root = parse_text ("x:\n  y: 12\n", &test_limits, NULL);
  const VtYamlNode *y = vt_yaml_mapping_get (vt_yaml_mapping_get (root, "x"), "y");

  vt_yaml_set_error (&error, VT_ERROR_INVALID_DESCRIPTION, "x.y", y, "%s is odd", y->value);
  g_assert_error (error, VT_ERROR, VT_ERROR_INVALID_DESCRIPTION);
  g_assert_cmpstr (error->message, ==, "x.y (line 2, column 6): 12 is odd");
  vt_yaml_set_error (&no_path, VT_ERROR_CONFLICT, "", root, "whole");
  g_assert_error (no_path, VT_ERROR, VT_ERROR_CONFLICT);
  g_assert_cmpstr (no_path->message, ==, "document (line 1, column 1): whole");
}

/* ---- catalog -------------------------------------------------------------------- */

typedef struct {
  const char *key;
  const char *raw;
  const char *canonical;   /* NULL: must be refused */
} NormalizeCase;

static const NormalizeCase normalize_cases[] = {
  /* BOOL */
  { "guest.memballoon", "on", "on" },
  { "guest.memballoon", "True", "on" },
  { "guest.memballoon", "yes", "on" },
  { "guest.memballoon", "off", "off" },
  { "guest.memballoon", "false", "off" },
  { "guest.memballoon", "NO", "off" },
  { "guest.memballoon", "1", NULL },
  { "guest.memballoon", "", NULL },
  /* ENUM */
  { "storage.cache", "writeback", "writeback" },
  { "storage.cache", "WriteBack", NULL },
  { "storage.cache", "fast", NULL },
  /* INT */
  { "host.swappiness", "0", "0" },
  { "host.swappiness", "200", "200" },
  { "host.swappiness", "201", NULL },
  { "host.swappiness", "-1", NULL },
  { "host.swappiness", "ten", NULL },
  /* No leading zeros (YAML 1.1 reads 010 as octal 8) and no sign. */
  { "host.swappiness", "010", NULL },
  { "host.swappiness", "00", NULL },
  { "host.swappiness", "+4", NULL },
  { "guest.vcpus", "0x10", NULL },
  /* SIZE (bare number = MiB) */
  { "storage.cluster_size", "8M", "8MiB" },
  { "storage.cluster_size", "64KiB", "64KiB" },
  { "storage.cluster_size", "default", "default" },
  { "storage.cluster_size", "3KiB", NULL },      /* not a power of two */
  { "storage.cluster_size", "256", "256MiB" },   /* bare number = MiB */
  { "storage.cluster_size", "2GiB", NULL },      /* above 1GiB */
  { "storage.capacity", "20480", "20GiB" },
  { "storage.capacity", "20 parsecs", NULL },
  { "storage.capacity", "020GiB", NULL },        /* leading zero */
  /* WORDS */
  { "guest.features", "acpi apic", "acpi apic" },
  { "guest.features", "acpi,apic acpi", "acpi apic" },
  { "guest.features", "acpi warp", NULL },
  /* MACHINE */
  { "guest.machine", "q35", "q35" },
  { "guest.machine", "pc-q35-8.2", "pc-q35-8.2" },
  { "guest.machine", "virt", NULL },
  { "guest.machine", "pc-q35-<x>", NULL },
  { "guest.machine", "pc", "pc" },
  { "guest.machine", "pc-i440fx-7.2", "pc-i440fx-7.2" },
  { "guest.machine", "pc-q35-10.0", "pc-q35-10.0" },
  /* The grammar is exact (issue 8): none of these is a machine QEMU has. */
  { "guest.machine", "pc-q35-8.0.1", NULL },
  { "guest.machine", "pc-q35-abc", NULL },
  { "guest.machine", "pc-q35-", NULL },
  { "guest.machine", "pc-q35-99999999999999999999.9", NULL },
  { "guest.machine", "pc-q35-7.2_x", NULL },
  { "guest.machine", "pc-i440fx-", NULL },
  { "guest.machine", "pc-q35-07.2", NULL },
  { "guest.machine", "pc-q35-7.", NULL },
  { "guest.machine", "pc-q35-.2", NULL },
  { "guest.machine", "pc-q35-7", NULL },
  { "guest.machine", "q35 ", NULL },
  /* HEX */
  { "guest.sev.policy", "0x33", "0x0033" },
  { "guest.sev.policy", "0X0007", "0x0007" },
  { "guest.sev.policy", "auto", "auto" },
  { "guest.sev.policy", "51", NULL },
  { "guest.sev.policy", "0x100000000", NULL },
  { "guest.sev.policy", "0x-1", NULL },
};

static void
test_catalog_normalize (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (normalize_cases); i++)
    {
      const NormalizeCase *c = &normalize_cases[i];
      const VtCatalogEntry *entry = vt_catalog_lookup (c->key);
      g_autoptr (GError) error = NULL;
      g_autofree char *canonical = NULL;
      gboolean ok;

      g_assert_nonnull (entry);
      ok = vt_catalog_normalize (entry, c->raw, &canonical, &error);
      if (c->canonical)
        {
          g_assert_no_error (error);
          g_assert_true (ok);
          g_assert_cmpstr (canonical, ==, c->canonical);
          continue;
        }
      if (ok)
        g_error ("%s: '%s' accepted as '%s'", c->key, c->raw, canonical);
      g_assert_null (canonical);
      g_assert_error (error, VT_ERROR, VT_ERROR_INVALID_DESCRIPTION);
      assert_message_contains (error, c->key);
      assert_message_contains (error, "allowed:");
    }
}

/* Every SIZE entry's bounds survive format -> normalize -> read back: the canonical
 * spelling of a value must mean the same value (a bare "512" would be 512 MiB). */
static void
test_catalog_size_round_trip (void)
{
  guint n_entries;
  const VtCatalogEntry *entries = vt_catalog_entries (&n_entries);

  for (guint i = 0; i < n_entries; i++)
    {
      const gint64 bounds[] = { entries[i].min, entries[i].max };

      if (entries[i].type != VT_TYPE_SIZE)
        continue;
      for (gsize j = 0; j < G_N_ELEMENTS (bounds); j++)
        {
          g_autofree char *text = vt_format_size ((guint64) bounds[j]);
          g_autofree char *canonical = NULL;
          g_autoptr (GError) error = NULL;
          g_autoptr (VtSettings) settings = vt_settings_new ();

          g_test_message ("%s: %s", entries[i].key, text);
          g_assert_true (vt_catalog_normalize (&entries[i], text, &canonical, &error));
          g_assert_no_error (error);
          g_assert_cmpstr (canonical, ==, text);
          vt_settings_set (settings, entries[i].key, canonical, "default");
          g_assert_cmpuint (vt_settings_get_size (settings, entries[i].key), ==,
                            (guint64) bounds[j]);
        }
    }
}

/* Every catalog type appears in normalize_cases, so a new type cannot go untested. */
static void
test_catalog_types_covered (void)
{
  guint n_entries, covered = 0;
  const VtCatalogEntry *entries = vt_catalog_entries (&n_entries);

  for (VtSettingType type = VT_TYPE_BOOL; type <= VT_TYPE_HEX; type++)
    for (gsize i = 0; i < G_N_ELEMENTS (normalize_cases); i++)
      if (vt_catalog_lookup (normalize_cases[i].key)->type == type)
        {
          covered++;
          break;
        }
  g_assert_cmpuint (covered, ==, VT_TYPE_HEX - VT_TYPE_BOOL + 1);
  for (guint i = 0; i < n_entries; i++)
    {
      g_autofree char *allowed = vt_catalog_describe_values (&entries[i]);

      g_assert_true (vt_catalog_lookup (entries[i].key) == &entries[i]);
      g_assert_cmpuint (vt_catalog_index (&entries[i]), ==, i);
      g_assert_true (allowed && *allowed);
    }
  g_assert_null (vt_catalog_lookup ("guest.nonsense"));
}

static void
test_catalog_parse_bool (void)
{
  gboolean value = FALSE;

  g_assert_true (vt_catalog_parse_bool ("On", &value));
  g_assert_true (value);
  g_assert_true (vt_catalog_parse_bool ("no", &value));
  g_assert_false (value);
  value = TRUE;
  g_assert_false (vt_catalog_parse_bool ("nope", &value));
  g_assert_false (vt_catalog_parse_bool ("", &value));
  g_assert_true (value);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/units/parse", test_size_units);
  g_test_add_func ("/units/bare-unit", test_size_bare_unit);
  g_test_add_func ("/units/overflow", test_size_overflow);
  g_test_add_func ("/units/garbage", test_size_garbage);
  g_test_add_func ("/units/leading-zeros", test_size_leading_zeros);
  g_test_add_func ("/units/error-echo", test_size_error_echo);
  g_test_add_func ("/units/echo", test_echo);
  g_test_add_func ("/units/format", test_format_size);
  g_test_add_func ("/catalog/size-granularity", test_catalog_size_granularity);
  g_test_add_func ("/yaml/tree-shape", test_yaml_tree_shape);
  g_test_add_func ("/yaml/aliases-refused", test_yaml_aliases_refused);
  g_test_add_func ("/yaml/duplicate-keys", test_yaml_duplicate_keys);
  g_test_add_func ("/yaml/depth-limit", test_yaml_depth_limit);
  g_test_add_func ("/yaml/node-limit", test_yaml_node_limit);
  g_test_add_func ("/yaml/size-limits", test_yaml_size_limits);
  g_test_add_func ("/yaml/documents", test_yaml_documents);
  g_test_add_func ("/yaml/syntax-positions", test_yaml_syntax_positions);
  g_test_add_func ("/yaml/set-error", test_yaml_set_error);
  g_test_add_func ("/catalog/normalize", test_catalog_normalize);
  g_test_add_func ("/catalog/types-covered", test_catalog_types_covered);
  g_test_add_func ("/catalog/size-round-trip", test_catalog_size_round_trip);
  g_test_add_func ("/catalog/parse-bool", test_catalog_parse_bool);
  return g_test_run ();
}
