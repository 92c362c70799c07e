/* Policies: parsing and validation, set loading (override, problems, references),
 * describe, and the built-in policies against the seed tables. */
#include <glib.h>
#include <glib/gstdio.h>
#include <stdarg.h>
#include <string.h>

#include "merge/merge.h"
#include "model/policy.h"
#include "util/error.h"
#include "util/yaml-tree.h"

/* ---- parsing ------------------------------------------------------------------------ */

static VtPolicy *
parse (const char *text, GError **error)
{
  return vt_policy_parse (text, strlen (text), "t", "t.yaml", error);
}

static const char *
setting_value (const VtPolicy *policy, const char *key)
{
  for (guint i = 0; i < policy->settings->len; i++)
    {
      const VtPolicySetting *s = g_ptr_array_index (policy->settings, i);
      if (g_str_equal (s->entry->key, key))
        return s->value;
    }
  return NULL;
}

static void
test_parse_good (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (VtPolicy) policy = parse ("# comment\n"
                                       "summary: A test policy\n"
                                       "include: [base, extra]\n"
                                       "conflicts: [other]\n"
                                       "locks: [guest.cpu.migratable]\n"
                                       "settings:\n"
                                       "  guest.cpu.migratable: no\n"
                                       "  storage.cluster_size: 8M\n"
                                       "  guest.features: [acpi, apic, acpi, pae]\n"
                                       "  guest.iothreads: 4\n"
                                       "  guest.video: qxl\n",
                                       &error);
  const char *const include[] = { "base", "extra", NULL };
  const VtPolicySetting *first;

  g_assert_no_error (error);
  g_assert_cmpstr (policy->name, ==, "t");
  g_assert_cmpstr (policy->origin, ==, "t.yaml");
  g_assert_cmpstr (policy->summary, ==, "A test policy");
  g_assert_true (g_strv_equal ((const char *const *) policy->include, include));
  g_assert_cmpuint (g_strv_length (policy->conflicts), ==, 1);
  g_assert_cmpstr (policy->conflicts[0], ==, "other");
  g_assert_cmpstr (policy->locks[0], ==, "guest.cpu.migratable");
  g_assert_null (policy->locks[1]);
  /* File order kept, values canonical. */
  g_assert_cmpuint (policy->settings->len, ==, 5);
  first = g_ptr_array_index (policy->settings, 0);
  g_assert_cmpstr (first->entry->key, ==, "guest.cpu.migratable");
  g_assert_cmpstr (setting_value (policy, "guest.cpu.migratable"), ==, "off");
  g_assert_cmpstr (setting_value (policy, "storage.cluster_size"), ==, "8MiB");
  g_assert_cmpstr (setting_value (policy, "guest.features"), ==, "acpi apic pae");
  g_assert_cmpstr (setting_value (policy, "guest.iothreads"), ==, "4");
  g_assert_cmpstr (setting_value (policy, "guest.video"), ==, "qxl");
}

static void
test_parse_minimal (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (VtPolicy) policy = parse ("summary: only a summary\n", &error);

  g_assert_no_error (error);
  g_assert_nonnull (policy->include);
  g_assert_null (policy->include[0]);
  g_assert_null (policy->conflicts[0]);
  g_assert_null (policy->locks[0]);
  g_assert_cmpuint (policy->settings->len, ==, 0);
}

typedef struct {
  const char *text;
  const char *message;   /* the whole message, origin first */
} BadPolicy;

static const BadPolicy bad_policies[] = {
  { "- a\n", "t.yaml: policy (line 1, column 1): must be a mapping, not a list" },
  { "settings: {}\n", "t.yaml: summary (line 1, column 1): a policy needs a summary" },
  { "summary: [a]\n", "t.yaml: summary (line 1, column 10): must be text, not a list" },
  { "summary: \"  \"\n",
    "t.yaml: summary (line 1, column 10): must be one non-empty line of text" },
  { "summary: x\nfoo: 1\n",
    "t.yaml: foo (line 2, column 1): unknown key 'foo' (a policy has summary, include, "
    "conflicts, locks and settings)" },
  { "summary: x\ninclude: desktop\n",
    "t.yaml: include (line 2, column 10): must be a list, not a scalar" },
  { "summary: x\ninclude: [Desk]\n",
    "t.yaml: include[0] (line 2, column 11): 'Desk' is not a valid policy name" },
  { "summary: x\ninclude: [a, [b]]\n",
    "t.yaml: include[1] (line 2, column 14): must be a name, not a list" },
  { "summary: x\ninclude:\n  - a\n  - a\n",
    "t.yaml: include[1] (line 4, column 5): 'a' is listed twice" },
  { "summary: x\ninclude: [t]\n",
    "t.yaml: include[0] (line 2, column 11): policy 't' cannot include 't'" },
  { "summary: x\ninclude: [a]\nconflicts: [a]\n",
    "t.yaml: include[0] (line 2, column 11): policy 't' cannot include 'a'" },
  { "summary: x\nconflicts: [b, t]\n",
    "t.yaml: conflicts[1] (line 2, column 16): a policy cannot conflict with itself" },
  { "summary: x\nlocks: [guest.nope]\n",
    "t.yaml: locks[0] (line 2, column 9): unknown setting 'guest.nope'" },
  { "summary: x\nsettings: [a]\n",
    "t.yaml: settings (line 2, column 11): expected a mapping of setting keys to values, "
    "got a list" },
  { "summary: x\nsettings:\n  guest.nope: 1\n",
    "t.yaml: settings.guest.nope (line 3, column 3): unknown setting 'guest.nope' (see the "
    "settings catalog in the README)" },
  { "summary: x\nsettings:\n  guest.video: cirrus\n",
    "t.yaml: settings.guest.video (line 3, column 16): 'cirrus' is not a valid value for "
    "guest.video (allowed: none|virtio|qxl|vga|bochs|ramfb)" },
  { "summary: x\nsettings:\n  guest.vcpus: 0\n",
    "t.yaml: settings.guest.vcpus (line 3, column 16): '0' is not a valid value for "
    "guest.vcpus (allowed: 1..4096)" },
  { "summary: x\nsettings:\n  guest.video: [qxl]\n",
    "t.yaml: settings.guest.video (line 3, column 16): expected a scalar, got a list" },
  { "summary: x\nsettings:\n  guest.features: [acpi, bogus]\n",
    "t.yaml: settings.guest.features[1] (line 3, column 26): 'bogus' is not a valid value "
    "for guest.features (allowed: any of: acpi apic pae smm vmcoreinfo hyperv "
    "kvm-hidden)" },
  /* The PMU is a key of its own now (it must be able to say off): the old word says so. */
  { "summary: x\nsettings:\n  guest.features: [acpi, pmu]\n",
    "t.yaml: settings.guest.features[1] (line 3, column 26): 'pmu' is no longer a "
    "guest.features word: set guest.pmu: on (or off) instead" },
  { "summary: x\nsettings:\n  guest.features: acpi pmu\n",
    "t.yaml: settings.guest.features (line 3, column 19): 'pmu' is no longer a "
    "guest.features word: set guest.pmu: on (or off) instead" },
  /* CPU lists: the strict grammar, each way to get it wrong. */
  { "summary: x\nsettings:\n  guest.cpu.pinning.vcpus: 3-1\n",
    "t.yaml: settings.guest.cpu.pinning.vcpus (line 3, column 28): '3-1' is not a CPU list "
    "(a range N-M needs N <= M; e.g. 2-7,10)" },
  { "summary: x\nsettings:\n  guest.cpu.pinning.emulator: 0, 1\n",
    "t.yaml: settings.guest.cpu.pinning.emulator (line 3, column 31): '0, 1' is not a CPU "
    "list (each item is a CPU id 0..8191 or a range N-M; e.g. 2-7,10)" },
  { "summary: x\nsettings:\n  guest.features: [acpi, {a: b}]\n",
    "t.yaml: settings.guest.features[1] (line 3, column 26): expected a scalar, got a "
    "mapping" },
  /* Leading zeros are octal to YAML 1.1 readers: refused, never read as decimal. */
  { "summary: x\nsettings:\n  guest.iothreads: 004\n",
    "t.yaml: settings.guest.iothreads (line 3, column 20): '004' is not a valid value for "
    "guest.iothreads (allowed: 0..64)" },
  /* Junk machine types are refused by the grammar, not by a prefix. */
  { "summary: x\nsettings:\n  guest.machine: pc-q35-7.2_x\n",
    "t.yaml: settings.guest.machine (line 3, column 18): 'pc-q35-7.2_x' is not a valid value "
    "for guest.machine (allowed: q35|pc|pc-q35-X.Y|pc-i440fx-X.Y)" },
  /* Keys are echoed bounded and escaped, in the policy reader's own messages too. */
  { "summary: x\nlocks: [\"guest.\\e[2J\"]\n",
    "t.yaml: locks[0] (line 2, column 9): unknown setting 'guest.\\x1b[2J'" },
  { "summary: x\nsummary: y\n", "t.yaml: policy (line 2, column 1): duplicate key 'summary'" },
  { "summary: &a x\n",
    "t.yaml: policy (line 1, column 10): YAML anchors are not accepted" },
};

static void
test_parse_errors (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (bad_policies); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (VtPolicy) policy = parse (bad_policies[i].text, &error);

      g_test_message ("case %zu: %s", i, bad_policies[i].text);
      g_assert_null (policy);
      g_assert_error (error, VT_ERROR, VT_ERROR_INVALID_DESCRIPTION);
      g_assert_cmpstr (error->message, ==, bad_policies[i].message);
    }
}

static void
test_parse_syntax_error (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (VtPolicy) policy = parse ("summary: [x\n", &error);

  g_assert_null (policy);
  g_assert_error (error, VT_ERROR, VT_ERROR_INVALID_DESCRIPTION);
  g_assert_true (g_str_has_prefix (error->message, "t.yaml: policy (line 2, column 1): "
                                                   "invalid YAML: "));
}

static void
test_parse_bad_name (void)
{
  const char *const names[] = { "", "Upper", "has space", "dot.ted",
                                "a2345678901234567890123456789012345678901234567890123456789012345" };

  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (VtPolicy) policy = vt_policy_parse ("summary: x\n", 11, names[i], "f", &error);

      g_assert_null (policy);
      g_assert_error (error, VT_ERROR, VT_ERROR_INVALID_DESCRIPTION);
      g_assert_true (g_str_has_prefix (error->message, "f: '"));
    }
}

static void
test_parse_too_large (void)
{
  g_autoptr (GString) text = g_string_new ("summary: x\n");
  g_autoptr (GError) error = NULL;
  g_autoptr (VtPolicy) policy = NULL;

  while (text->len <= 256 * 1024)
    g_string_append (text, "# padding padding padding padding padding padding padding\n");
  policy = vt_policy_parse (text->str, text->len, "t", "t.yaml", &error);
  g_assert_null (policy);
  g_assert_error (error, VT_ERROR, VT_ERROR_INVALID_DESCRIPTION);
  g_assert_true (g_str_has_prefix (error->message, "t.yaml: policy is too large"));
}

/* ---- set loading --------------------------------------------------------------------- */

typedef struct {
  char *dirs[3];
} TmpDirs;

static void
write_policy (const char *dir, const char *file, const char *text)
{
  g_autofree char *path = g_build_filename (dir, file, NULL);
  g_autoptr (GError) error = NULL;

  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
}

static void
remove_tree (const char *dir)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d && (name = g_dir_read_name (d)))
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_assert_cmpint (g_remove (path), ==, 0);
    }
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

static char *
make_tmp_dir (void)
{
  g_autoptr (GError) error = NULL;
  char *dir = g_dir_make_tmp ("vt-policy-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

static void expect (GPtrArray *want, const char *format, ...) G_GNUC_PRINTF (2, 3);

static void
expect (GPtrArray *want, const char *format, ...)
{
  va_list ap;

  va_start (ap, format);
  g_ptr_array_add (want, g_strdup_vprintf (format, ap));
  va_end (ap);
}

static void
assert_problems (GPtrArray *problems, const char *const *expected)
{
  for (guint i = 0; i < problems->len; i++)
    g_test_message ("problem %u: %s", i, (const char *) g_ptr_array_index (problems, i));
  g_assert_cmpuint (problems->len, ==, g_strv_length ((char **) expected));
  for (guint i = 0; expected[i]; i++)
    g_assert_cmpstr (g_ptr_array_index (problems, i), ==, expected[i]);
}

static void
assert_names (const VtPolicySet *set, const char *const *expected)
{
  g_autoptr (GPtrArray) list = vt_policy_set_list (set);

  g_assert_cmpuint (list->len, ==, g_strv_length ((char **) expected));
  for (guint i = 0; expected[i]; i++)
    g_assert_cmpstr (((const VtPolicy *) g_ptr_array_index (list, i))->name, ==, expected[i]);
}

static void
test_set_load (void)
{
  g_autofree char *base = make_tmp_dir ();
  g_autofree char *local = make_tmp_dir ();
  g_autofree char *missing = g_build_filename (base, "does-not-exist", NULL);
  const char *const dirs[] = { base, missing, local, NULL };
  g_autoptr (GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (VtPolicySet) set = NULL;
  g_autofree char *p_bad = g_build_filename (base, "Bad.yaml", NULL);
  g_autofree char *p_broken = g_build_filename (base, "broken.yaml", NULL);
  g_autofree char *p_local_default = g_build_filename (local, "default.yaml", NULL);
  g_autofree char *p_b = g_build_filename (base, "b.yaml", NULL);
  g_autofree char *p_c = g_build_filename (base, "c.yaml", NULL);
  g_autofree char *p_d = g_build_filename (base, "d.yaml", NULL);
  g_autofree char *p_e = g_build_filename (base, "e.yaml", NULL);
  g_autofree char *p_f = g_build_filename (base, "f.yaml", NULL);
  g_autofree char *p_g = g_build_filename (base, "g.yaml", NULL);
  g_autoptr (GPtrArray) want = g_ptr_array_new_with_free_func (g_free);
  const char *const names[] = { "a", "default", "h", NULL };
  const VtPolicy *a;

  write_policy (base, "default.yaml", "summary: base default\nsettings: {guest.video: vga}\n");
  write_policy (base, "a.yaml", "summary: base a\nsettings: {guest.video: qxl}\n");
  write_policy (base, "Bad.yaml", "summary: bad name\n");
  write_policy (base, "broken.yaml", "summary: broken\nsettings:\n  guest.video: cirrus\n");
  write_policy (base, "b.yaml", "summary: b\ninclude: [zzz]\n");
  write_policy (base, "c.yaml", "summary: c\ninclude: [d]\n");
  write_policy (base, "d.yaml", "summary: d\ninclude: [c]\n");
  write_policy (base, "e.yaml", "summary: e\ninclude: [c]\n");
  write_policy (base, "f.yaml", "summary: f\nconflicts: [nothere]\n");
  write_policy (base, "g.yaml", "summary: g\nlocks: [guest.video]\n");
  /* h locks a key only its include sets: fine. */
  write_policy (base, "h.yaml", "summary: h\ninclude: [a]\nlocks: [guest.video]\n");
  write_policy (base, "notes.txt", "not a policy\n");
  write_policy (local, "a.yaml", "summary: local a\nsettings: {guest.video: bochs}\n");
  /* A broken override leaves the earlier policy in place. */
  write_policy (local, "default.yaml", "summary: local default\nextra: 1\n");

  set = vt_policy_set_load (dirs, problems);

  expect (want, "%s: 'Bad' is not a valid policy name (1 to 64 of a-z, 0-9, '_' and '-')",
          p_bad);
  expect (want, "%s: settings.guest.video (line 3, column 16): 'cirrus' is not a valid value "
          "for guest.video (allowed: none|virtio|qxl|vga|bochs|ramfb)", p_broken);
  expect (want, "%s: extra (line 2, column 1): unknown key 'extra' (a policy has summary, "
          "include, conflicts, locks and settings)", p_local_default);
  expect (want, "%s: policy 'b' includes unknown policy 'zzz'; it is not loaded", p_b);
  expect (want, "%s: policy 'c' is in the include cycle c -> d -> c; it is not loaded", p_c);
  expect (want, "%s: policy 'd' is in the include cycle d -> c -> d; it is not loaded", p_d);
  expect (want, "%s: policy 'f' conflicts with unknown policy 'nothere'; it is not loaded", p_f);
  expect (want, "%s: policy 'g' locks guest.video, which neither it nor its includes set; "
          "it is not loaded", p_g);
  expect (want, "%s: policy 'e' includes 'c', which was dropped; it is not loaded", p_e);
  g_ptr_array_add (want, NULL);
  assert_problems (problems, (const char *const *) want->pdata);
  assert_names (set, names);

  a = vt_policy_set_lookup (set, "a");
  g_assert_cmpstr (a->summary, ==, "local a");
  g_assert_cmpstr (setting_value (a, "guest.video"), ==, "bochs");
  g_assert_cmpstr (vt_policy_set_lookup (set, "default")->summary, ==, "base default");
  g_assert_null (vt_policy_set_lookup (set, "c"));

  remove_tree (base);
  remove_tree (local);
}

static void
test_set_load_unreadable_dir (void)
{
  g_autofree char *base = make_tmp_dir ();
  g_autofree char *file = g_build_filename (base, "plain", NULL);
  const char *const dirs[] = { file, NULL };
  g_autoptr (GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (VtPolicySet) set = NULL;

  /* A path that exists but is no directory is a problem; a missing one is not. */
  write_policy (base, "plain", "x");
  set = vt_policy_set_load (dirs, problems);
  g_assert_cmpuint (problems->len, ==, 1);
  g_assert_true (g_str_has_prefix (g_ptr_array_index (problems, 0), file));
  g_assert_nonnull (strstr (g_ptr_array_index (problems, 0), "cannot read the directory"));
  remove_tree (base);
}

static void
test_expand_order (void)
{
  g_autofree char *dir = make_tmp_dir ();
  const char *const dirs[] = { dir, NULL };
  g_autoptr (GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (VtPolicySet) set = NULL;
  g_autoptr (GPtrArray) order = g_ptr_array_new ();
  const char *const expected[] = { "base", "mid", "other", "top" };

  write_policy (dir, "base.yaml", "summary: base\n");
  write_policy (dir, "mid.yaml", "summary: mid\ninclude: [base]\n");
  write_policy (dir, "other.yaml", "summary: other\ninclude: [base]\n");
  write_policy (dir, "top.yaml", "summary: top\ninclude: [mid, other, base]\n");
  set = vt_policy_set_load (dirs, problems);
  g_assert_cmpuint (problems->len, ==, 0);

  vt_policy_set_expand (set, vt_policy_set_lookup (set, "top"), order);
  g_assert_cmpuint (order->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < order->len; i++)
    g_assert_cmpstr (((const VtPolicy *) g_ptr_array_index (order, i))->name, ==, expected[i]);
  /* Already present: nothing added twice. */
  vt_policy_set_expand (set, vt_policy_set_lookup (set, "mid"), order);
  g_assert_cmpuint (order->len, ==, G_N_ELEMENTS (expected));
  remove_tree (dir);
}

/* ---- describe ------------------------------------------------------------------------ */

static const VtYamlLimits read_back_limits = { 1 << 20, 16, 100000, 100000 };

static const char *
scalar_at (const VtYamlNode *map, const char *key)
{
  const VtYamlNode *node = vt_yaml_mapping_get (map, key);

  g_assert_nonnull (node);
  g_assert_cmpint (node->kind, ==, VT_YAML_SCALAR);
  return node->value;
}

static void
assert_list (const VtYamlNode *map, const char *key, const char *const *expected)
{
  const VtYamlNode *node = vt_yaml_mapping_get (map, key);

  g_assert_nonnull (node);
  g_assert_cmpint (node->kind, ==, VT_YAML_SEQUENCE);
  g_assert_cmpuint (node->items->len, ==, g_strv_length ((char **) expected));
  for (guint i = 0; expected[i]; i++)
    g_assert_cmpstr (((VtYamlNode *) g_ptr_array_index (node->items, i))->value, ==,
                     expected[i]);
}

static void
test_describe (void)
{
  g_autofree char *dir = make_tmp_dir ();
  const char *const dirs[] = { dir, NULL };
  g_autoptr (GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (VtPolicySet) set = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *text = NULL;
  g_autoptr (VtYamlNode) root = NULL;
  const VtYamlNode *settings;
  const char *const include[] = { "inner", NULL };
  const char *const conflicts[] = { "rival", NULL };
  const char *const locks[] = { "storage.cache", NULL };
  const char *const none[] = { NULL };
  const char *const keys[] = { "guest.memory", "guest.features", "guest.video",
                               "storage.cache", NULL };

  write_policy (dir, "inner.yaml", "summary: inner\nsettings:\n  storage.cache: none\n"
                                   "  guest.video: qxl\n  guest.memory: 4096\n");
  write_policy (dir, "rival.yaml", "summary: rival\n");
  write_policy (dir, "outer.yaml",
                "summary: 'Quotes \" and '': colons # not a comment, on'\n"
                "include: [inner]\nconflicts: [rival]\nlocks: [storage.cache]\n"
                "settings:\n  guest.video: vga\n  guest.features: acpi smm\n");
  set = vt_policy_set_load (dirs, problems);
  g_assert_cmpuint (problems->len, ==, 0);

  text = vt_policy_set_describe (set, "outer", &error);
  g_assert_no_error (error);
  g_test_message ("%s", text);
  root = vt_yaml_parse (text, strlen (text), &read_back_limits, "describe", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (root->keys->len, ==, 6);
  g_assert_cmpstr (scalar_at (root, "name"), ==, "outer");
  g_assert_cmpstr (scalar_at (root, "summary"), ==,
                   "Quotes \" and ': colons # not a comment, on");
  assert_list (root, "include", include);
  assert_list (root, "conflicts", conflicts);
  assert_list (root, "locks", locks);

  settings = vt_yaml_mapping_get (root, "settings");
  g_assert_nonnull (settings);
  /* Catalog order, includes applied first, own settings last. */
  g_assert_cmpuint (settings->keys->len, ==, g_strv_length ((char **) keys));
  for (guint i = 0; keys[i]; i++)
    g_assert_cmpstr (((VtYamlNode *) g_ptr_array_index (settings->keys, i))->value, ==,
                     keys[i]);
  g_assert_cmpstr (scalar_at (settings, "guest.memory"), ==, "4GiB");
  g_assert_cmpstr (scalar_at (settings, "guest.features"), ==, "acpi smm");
  g_assert_cmpstr (scalar_at (settings, "guest.video"), ==, "vga");
  g_assert_cmpstr (scalar_at (settings, "storage.cache"), ==, "none");
  /* Values are quoted so no YAML 1.1 reader turns `none` or `on` into null or true. */
  g_assert_true (vt_yaml_mapping_get (settings, "storage.cache")->quoted);

  g_clear_pointer (&text, g_free);
  g_clear_pointer (&root, vt_yaml_node_free);
  text = vt_policy_set_describe (set, "rival", &error);
  g_assert_no_error (error);
  root = vt_yaml_parse (text, strlen (text), &read_back_limits, "describe", &error);
  g_assert_no_error (error);
  assert_list (root, "include", none);
  g_assert_cmpuint (vt_yaml_mapping_get (root, "settings")->kind, ==, VT_YAML_MAPPING);
  g_assert_cmpuint (vt_yaml_mapping_get (root, "settings")->keys->len, ==, 0);

  g_clear_pointer (&text, g_free);
  text = vt_policy_set_describe (set, "nope", &error);
  g_assert_null (text);
  g_assert_error (error, VT_ERROR, VT_ERROR_UNKNOWN_SCENARIO);
  g_assert_cmpstr (error->message, ==, "unknown scenario 'nope'");
  g_clear_error (&error);
  /* A caller's name is echoed bounded and escaped: DescribeScenario returns this text. */
  {
    g_autofree char *huge = g_strnfill (100 * 1024, 'x');

    g_assert_null (vt_policy_set_describe (set, huge, &error));
    g_assert_error (error, VT_ERROR, VT_ERROR_UNKNOWN_SCENARIO);
    g_assert_cmpuint (strlen (error->message), <, 100);
    g_assert_true (g_str_has_suffix (error->message, "...'"));
    g_clear_error (&error);
    g_assert_null (vt_policy_set_describe (set, "\x1b]0;PWNED\a\xc2\x9b" "2J\xff", &error));
    g_assert_cmpstr (error->message, ==,
                     "unknown scenario '\\x1b]0;PWNED\\x07\\xc2\\x9b2J\\xff'");
  }
  remove_tree (dir);
}

/* ---- the built-in policies ----------------------------------------------------------- */

static VtPolicySet *
load_builtin (void)
{
  const char *root = g_getenv ("VT_SOURCE_ROOT");
  g_autofree char *dir = NULL;
  g_autoptr (GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  const char *dirs[] = { NULL, NULL };
  VtPolicySet *set;

  g_assert_nonnull (root);
  dir = g_build_filename (root, "data", "policies", NULL);
  dirs[0] = dir;
  set = vt_policy_set_load (dirs, problems);
  for (guint i = 0; i < problems->len; i++)
    g_test_message ("problem: %s", (const char *) g_ptr_array_index (problems, i));
  g_assert_cmpuint (problems->len, ==, 0);
  return set;
}

typedef struct {
  const char *scenario;
  const char *key;
  const char *value;
} SeedValue;

/* Every row of the seed's "Default Settings Comparison" tables
 * (seeds/000_e94e7625fa10d504.txt), columns in the seed's order. */
#define SEED_ROW(key, secure, computation, desktop)                                     \
  { "securevm", key, secure }, { "computation", key, computation }, { "desktop", key, desktop }

static const SeedValue seed_values[] = {
  /* Storage Settings */
  SEED_ROW ("storage.preallocation", "metadata", "off", "metadata"),
  SEED_ROW ("storage.encryption", "on", "off", "off"),
  SEED_ROW ("storage.cache", "writethrough", "unsafe", "none"),
  SEED_ROW ("storage.lazy_refcounts", "on", "on", "off"),
  SEED_ROW ("storage.format", "qcow2", "raw", "qcow2"),
  SEED_ROW ("storage.bus", "virtio", "virtio", "virtio"),
  SEED_ROW ("storage.capacity", "20GiB", "20GiB", "20GiB"),
  /* cluster_size NA for computation: the default policy's value stays. */
  SEED_ROW ("storage.cluster_size", "8MiB", "default", "8MiB"),
  /* Host Settings */
  SEED_ROW ("host.thp", "always", "always", "always"),
  SEED_ROW ("host.ksm", "off", "on", "on"),
  SEED_ROW ("host.ksm_merge_across_nodes", "off", "on", "on"),
  SEED_ROW ("host.swappiness", "0", "0", "35"),
  SEED_ROW ("host.io_scheduler", "bfq", "mq-deadline", "mq-deadline"),
  /* Guest Settings */
  SEED_ROW ("guest.cpu.migratable", "off", "off", "on"),
  SEED_ROW ("guest.machine", "q35", "q35", "q35"),
  SEED_ROW ("guest.watchdog", "none", "i6300esb", "none"),
  { "computation", "guest.watchdog.action", "poweroff" },
  SEED_ROW ("guest.firmware", "auto", "auto", "auto"),
  SEED_ROW ("guest.tpm", "tpm-crb", "none", "none"),
  SEED_ROW ("guest.iothreads", "0", "4", "4"),
  SEED_ROW ("guest.video", "qxl", "qxl", "virtio"),
  SEED_ROW ("guest.nic", "e1000", "virtio", "e1000"),
  SEED_ROW ("guest.keyboard", "ps2", "virtio", "virtio"),
  SEED_ROW ("guest.mouse", "none", "virtio", "virtio"),
  SEED_ROW ("guest.on_poweroff", "destroy", "restart", "destroy"),
  SEED_ROW ("guest.on_reboot", "destroy", "restart", "restart"),
  SEED_ROW ("guest.on_crash", "destroy", "restart", "destroy"),
  SEED_ROW ("guest.suspend_to_mem", "off", "off", "on"),
  SEED_ROW ("guest.suspend_to_disk", "off", "off", "on"),
  SEED_ROW ("guest.features", "acpi apic pae", "acpi apic pae", "acpi apic pae"),
  /* kvm SEV and sec policy rows: NA outside securevm. */
  SEED_ROW ("guest.sev", "auto", "off", "off"),
  SEED_ROW ("guest.sev.policy", "auto", "auto", "auto"),
  /* What SEV needs besides the seed rows. */
  { "securevm", "guest.memory.locked", "on" },
  { "securevm", "guest.memballoon", "off" },
};

static void
test_builtin_seed_values (void)
{
  g_autoptr (VtPolicySet) set = load_builtin ();

  for (gsize i = 0; i < G_N_ELEMENTS (seed_values); i++)
    {
      const SeedValue *row = &seed_values[i];
      const char *const scenarios[] = { row->scenario, NULL };
      g_autoptr (GError) error = NULL;
      g_autoptr (VtMergeResult) result = vt_merge (set, NULL, scenarios, NULL, NULL, &error);

      g_test_message ("%s %s", row->scenario, row->key);
      g_assert_no_error (error);
      g_assert_cmpstr (vt_settings_get (result->settings, row->key), ==, row->value);
      g_assert_cmpuint (result->warnings->len, ==, 0);
    }
}

static void
test_builtin_all_describe_and_merge (void)
{
  g_autoptr (VtPolicySet) set = load_builtin ();
  g_autoptr (GPtrArray) list = vt_policy_set_list (set);
  const char *const expected[] = { "computation", "default", "desktop", "hugepages",
                                   "migratable", "os-testing", "realtime", "securevm", "sev",
                                   "uefi-secureboot", "windows", NULL };

  assert_names (set, expected);
  for (guint i = 0; i < list->len; i++)
    {
      const VtPolicy *policy = g_ptr_array_index (list, i);
      const char *const scenarios[] = { policy->name, NULL };
      g_autoptr (GError) error = NULL;
      g_autofree char *text = vt_policy_set_describe (set, policy->name, &error);
      g_autoptr (VtYamlNode) root = NULL;
      g_autoptr (VtMergeResult) result = NULL;

      g_assert_no_error (error);
      root = vt_yaml_parse (text, strlen (text), &read_back_limits, "describe", &error);
      g_assert_no_error (error);
      g_assert_cmpstr (scalar_at (root, "summary"), ==, policy->summary);
      result = vt_merge (set, NULL, scenarios, NULL, NULL, &error);
      g_assert_no_error (error);
      g_assert_nonnull (result);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/policy/parse/good", test_parse_good);
  g_test_add_func ("/policy/parse/minimal", test_parse_minimal);
  g_test_add_func ("/policy/parse/errors", test_parse_errors);
  g_test_add_func ("/policy/parse/syntax-error", test_parse_syntax_error);
  g_test_add_func ("/policy/parse/bad-name", test_parse_bad_name);
  g_test_add_func ("/policy/parse/too-large", test_parse_too_large);
  g_test_add_func ("/policy/set/load", test_set_load);
  g_test_add_func ("/policy/set/unreadable-dir", test_set_load_unreadable_dir);
  g_test_add_func ("/policy/set/expand-order", test_expand_order);
  g_test_add_func ("/policy/describe", test_describe);
  g_test_add_func ("/policy/builtin/seed-values", test_builtin_seed_values);
  g_test_add_func ("/policy/builtin/describe-and-merge", test_builtin_all_describe_and_merge);
  return g_test_run ();
}
