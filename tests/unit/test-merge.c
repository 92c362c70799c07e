/* The merge engine (SPEC §4.1): layer order and provenance, includes, later-wins
 * warnings, conflicts, locks, the user layer, unknown scenarios and determinism. */
#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "merge/merge.h"
#include "model/description.h"
#include "model/policy.h"
#include "util/error.h"

typedef struct {
  char *dir;
  VtPolicySet *set;
} Fixture;

static const struct {
  const char *file;
  const char *text;
} fixture_policies[] = {
  { "default.yaml",
    "summary: test defaults\n"
    "settings:\n"
    "  guest.vcpus: 2\n"
    "  guest.memory: 2GiB\n"
    "  guest.video: virtio\n"
    "  guest.graphics: spice\n"
    "  guest.firmware: auto\n"
    "  guest.secure_boot: off\n"
    "  guest.tpm: none\n"
    "  guest.cpu.migratable: on\n"
    "  storage.cache: none\n" },
  { "base.yaml", "summary: base\nsettings:\n  guest.nic: e1000\n  guest.iothreads: 2\n" },
  /* alpha overrides what its include sets: that is the point of including, no warning. */
  { "alpha.yaml",
    "summary: alpha\ninclude: [base]\nconflicts: [hater]\n"
    "settings:\n  guest.nic: virtio\n  guest.video: qxl\n" },
  { "beta.yaml", "summary: beta\nsettings:\n  guest.video: vga\n  storage.cache: writeback\n" },
  { "foe.yaml", "summary: foe\nconflicts: [alpha]\n" },
  { "hater.yaml", "summary: hater\n" },
  { "wrapper.yaml", "summary: wrapper\ninclude: [foe]\n" },
  { "locker.yaml",
    "summary: locker\nlocks: [guest.cpu.migratable]\n"
    "settings:\n  guest.cpu.migratable: off\n  guest.tpm: tpm-tis\n" },
  { "unlocker.yaml", "summary: unlocker\nsettings:\n  guest.cpu.migratable: on\n" },
  { "sameval.yaml", "summary: sameval\nsettings:\n  guest.cpu.migratable: off\n" },
};

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  const char *dirs[] = { NULL, NULL };

  f->dir = g_dir_make_tmp ("vt-merge-XXXXXX", &error);
  g_assert_no_error (error);
  for (gsize i = 0; i < G_N_ELEMENTS (fixture_policies); i++)
    {
      g_autofree char *path = g_build_filename (f->dir, fixture_policies[i].file, NULL);
      g_file_set_contents (path, fixture_policies[i].text, -1, &error);
      g_assert_no_error (error);
    }
  dirs[0] = f->dir;
  f->set = vt_policy_set_load (dirs, problems);
  g_assert_cmpuint (problems->len, ==, 0);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  for (gsize i = 0; i < G_N_ELEMENTS (fixture_policies); i++)
    {
      g_autofree char *path = g_build_filename (f->dir, fixture_policies[i].file, NULL);
      g_assert_cmpint (g_remove (path), ==, 0);
    }
  g_assert_cmpint (g_rmdir (f->dir), ==, 0);
  g_free (f->dir);
  vt_policy_set_free (f->set);
}

static VtDescription *
description (const char *text)
{
  g_autoptr (GError) error = NULL;
  VtDescription *desc = vt_description_parse (text, strlen (text), &error);

  g_assert_no_error (error);
  return desc;
}

static void
assert_setting (const VtMergeResult *result, const char *key, const char *value,
                const char *layer)
{
  const VtSetting *s = vt_settings_lookup (result->settings, key);

  g_test_message ("checking %s", key);
  g_assert_nonnull (s);
  g_assert_cmpstr (s->value, ==, value);
  g_assert_cmpstr (s->layer, ==, layer);
}

static void
assert_strings (GPtrArray *got, const char *const *expected)
{
  for (guint i = 0; i < got->len; i++)
    g_test_message ("got %u: %s", i, (const char *) g_ptr_array_index (got, i));
  g_assert_cmpuint (got->len, ==, g_strv_length ((char **) expected));
  for (guint i = 0; expected[i]; i++)
    g_assert_cmpstr (g_ptr_array_index (got, i), ==, expected[i]);
}

static VtMergeResult *
merge_ok (const VtPolicySet *set, const char *const *scenarios, const VtDescription *desc)
{
  g_autoptr (GError) error = NULL;
  VtMergeResult *result = vt_merge (set, NULL, scenarios, desc, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (result);
  return result;
}

static void
assert_merge_error (const VtPolicySet *set, const char *const *scenarios,
                    const VtDescription *desc, gint code, const char *message)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (VtMergeResult) result = vt_merge (set, NULL, scenarios, desc, NULL, &error);

  g_assert_null (result);
  g_assert_error (error, VT_ERROR, code);
  g_assert_cmpstr (error->message, ==, message);
}

#define NAMES(...) ((const char *const[]) { __VA_ARGS__, NULL })

static void
test_layers_and_includes (Fixture *f, gconstpointer data)
{
  g_autoptr (VtMergeResult) r = merge_ok (f->set, NAMES ("alpha"), NULL);

  assert_strings (r->applied, NAMES ("default", "base", "alpha"));
  assert_setting (r, "guest.vcpus", "2", "default");
  assert_setting (r, "storage.cache", "none", "default");
  assert_setting (r, "guest.iothreads", "2", "scenario:base");
  assert_setting (r, "guest.nic", "virtio", "scenario:alpha");
  assert_setting (r, "guest.video", "qxl", "scenario:alpha");
  g_assert_null (vt_settings_lookup (r->settings, "host.thp"));
  g_assert_cmpuint (r->warnings->len, ==, 0);
}

static void
test_policy_applied_once (Fixture *f, gconstpointer data)
{
  /* base was applied as alpha's include: listing it again changes nothing. */
  g_autoptr (VtMergeResult) r = merge_ok (f->set, NAMES ("alpha", "base", "alpha"), NULL);

  assert_strings (r->applied, NAMES ("default", "base", "alpha"));
  assert_setting (r, "guest.nic", "virtio", "scenario:alpha");
}

static void
test_later_wins_warning (Fixture *f, gconstpointer data)
{
  g_autoptr (VtMergeResult) ab = merge_ok (f->set, NAMES ("alpha", "beta"), NULL);
  g_autoptr (VtMergeResult) ba = merge_ok (f->set, NAMES ("beta", "alpha"), NULL);

  assert_setting (ab, "guest.video", "vga", "scenario:beta");
  assert_setting (ab, "storage.cache", "writeback", "scenario:beta");
  /* Overriding the default layer is no news; overriding another scenario is. */
  assert_strings (ab->warnings,
                  NAMES ("guest.video: scenario 'beta' (vga) overrides scenario 'alpha' (qxl)"));
  assert_setting (ba, "guest.video", "qxl", "scenario:alpha");
  assert_strings (ba->warnings,
                  NAMES ("guest.video: scenario 'alpha' (qxl) overrides scenario 'beta' (vga)"));
  assert_strings (ba->applied, NAMES ("default", "beta", "base", "alpha"));
}

static void
test_conflicts (Fixture *f, gconstpointer data)
{
  assert_merge_error (f->set, NAMES ("alpha", "foe"), NULL, VT_ERROR_CONFLICT,
                      "policies 'alpha' and 'foe' cannot be combined ('foe' declares the "
                      "conflict)");
  assert_merge_error (f->set, NAMES ("foe", "alpha"), NULL, VT_ERROR_CONFLICT,
                      "policies 'foe' and 'alpha' cannot be combined ('foe' declares the "
                      "conflict)");
  /* The other direction: alpha declares it. */
  assert_merge_error (f->set, NAMES ("hater", "alpha"), NULL, VT_ERROR_CONFLICT,
                      "policies 'hater' and 'alpha' cannot be combined ('alpha' declares the "
                      "conflict)");
  /* Through an include. */
  assert_merge_error (f->set, NAMES ("alpha", "wrapper"), NULL, VT_ERROR_CONFLICT,
                      "policies 'alpha' and 'foe' cannot be combined ('foe' declares the "
                      "conflict)");
}

static void
test_lock_by_later_scenario (Fixture *f, gconstpointer data)
{
  g_autoptr (VtMergeResult) same = merge_ok (f->set, NAMES ("locker", "sameval"), NULL);
  const VtSetting *s = vt_settings_lookup (same->settings, "guest.cpu.migratable");

  assert_merge_error (f->set, NAMES ("locker", "unlocker"), NULL, VT_ERROR_CONFLICT,
                      "guest.cpu.migratable is locked to off by policy locker; policy unlocker "
                      "asked for on");
  /* The same value is no change: allowed, and the lock stays. */
  g_assert_cmpstr (s->value, ==, "off");
  g_assert_cmpstr (s->locked_by, ==, "locker");
  g_assert_cmpstr (s->layer, ==, "scenario:sameval");
  /* A lock binds only later layers: an earlier policy's value is simply replaced. */
  {
    g_autoptr (VtMergeResult) r = merge_ok (f->set, NAMES ("unlocker", "locker"), NULL);
    assert_setting (r, "guest.cpu.migratable", "off", "scenario:locker");
  }
}

static void
test_lock_by_user (Fixture *f, gconstpointer data)
{
  g_autoptr (VtDescription) changes = description ("name: t\nscenario: locker\n"
                                                   "settings:\n  guest.cpu.migratable: on\n");
  g_autoptr (VtDescription) keeps = description ("name: t\nscenario: locker\n"
                                                 "settings:\n  guest.cpu.migratable: off\n");
  g_autoptr (VtMergeResult) r = NULL;

  assert_merge_error (f->set, NULL, changes, VT_ERROR_CONFLICT,
                      "guest.cpu.migratable is locked to off by policy locker; the user layer "
                      "asked for on");
  r = merge_ok (f->set, NULL, keeps);
  assert_setting (r, "guest.cpu.migratable", "off", "user");
}

static void
test_user_wins (Fixture *f, gconstpointer data)
{
  g_autoptr (VtDescription) desc = description ("name: t\n"
                                                "scenario: [alpha, beta]\n"
                                                "vcpus: 4\n"
                                                "memory: 4096\n"
                                                "graphics: vnc\n"
                                                "firmware: efi\n"
                                                "secure_boot: true\n"
                                                "tpm: true\n"
                                                "settings:\n"
                                                "  guest.video: bochs\n"
                                                "  storage.cache: directsync\n");
  g_autoptr (VtMergeResult) r = merge_ok (f->set, NULL, desc);

  assert_strings (r->applied, NAMES ("default", "base", "alpha", "beta"));
  assert_setting (r, "guest.vcpus", "4", "user");
  assert_setting (r, "guest.memory", "4GiB", "user");
  assert_setting (r, "guest.graphics", "vnc", "user");
  assert_setting (r, "guest.firmware", "efi", "user");
  assert_setting (r, "guest.secure_boot", "on", "user");
  assert_setting (r, "guest.tpm", "tpm-crb", "user");
  assert_setting (r, "guest.video", "bochs", "user");
  assert_setting (r, "storage.cache", "directsync", "user");
  assert_setting (r, "guest.nic", "virtio", "scenario:alpha");
  /* The warning between the two scenarios stays: the user overriding both is separate. */
  g_assert_cmpuint (r->warnings->len, ==, 1);
}

static void
test_user_tpm (Fixture *f, gconstpointer data)
{
  g_autoptr (VtDescription) on = description ("name: t\nscenario: locker\ntpm: true\n");
  g_autoptr (VtDescription) off = description ("name: t\nscenario: locker\ntpm: false\n");
  g_autoptr (VtMergeResult) keeps_tis = merge_ok (f->set, NULL, on);
  g_autoptr (VtMergeResult) none = merge_ok (f->set, NULL, off);

  /* The policy chose TIS; `tpm: true` keeps the model. */
  assert_setting (keeps_tis, "guest.tpm", "tpm-tis", "user");
  assert_setting (none, "guest.tpm", "none", "user");
}

static void
test_explicit_scenarios_win (Fixture *f, gconstpointer data)
{
  g_autoptr (VtDescription) desc = description ("name: t\nscenario: beta\n");
  g_autoptr (VtMergeResult) explicit = merge_ok (f->set, NAMES ("alpha"), desc);
  g_autoptr (VtMergeResult) from_desc = merge_ok (f->set, (const char *const[]) { NULL }, desc);

  assert_strings (explicit->applied, NAMES ("default", "base", "alpha"));
  assert_strings (from_desc->applied, NAMES ("default", "beta"));
}

static void
test_unknown_scenario (Fixture *f, gconstpointer data)
{
  g_autoptr (VtDescription) desc = description ("name: t\nscenario: [alpha, ghost]\n");

  assert_merge_error (f->set, NAMES ("alpha", "nope"), NULL, VT_ERROR_UNKNOWN_SCENARIO,
                      "unknown scenario 'nope'");
  assert_merge_error (f->set, NULL, desc, VT_ERROR_UNKNOWN_SCENARIO,
                      "unknown scenario 'ghost'");
  /* CheckHost and TuneHost pass the caller's names here: echoed bounded and escaped. */
  assert_merge_error (f->set, NAMES ("\x1b[2J\x1b]0;PWNED\a"), NULL, VT_ERROR_UNKNOWN_SCENARIO,
                      "unknown scenario '\\x1b[2J\\x1b]0;PWNED\\x07'");
  {
    g_autofree char *huge = g_strnfill (100 * 1024, 'y');
    g_autofree char *expected = g_strdup_printf ("unknown scenario '%.64s...'", huge);

    assert_merge_error (f->set, NAMES (huge), NULL, VT_ERROR_UNKNOWN_SCENARIO, expected);
  }
}

static void
test_no_description_no_caps (Fixture *f, gconstpointer data)
{
  /* Host tuning merges policies only. */
  g_autoptr (VtMergeResult) r = merge_ok (f->set, NULL, NULL);
  g_autoptr (GPtrArray) list = vt_settings_list (r->settings);

  assert_strings (r->applied, NAMES ("default"));
  g_assert_cmpuint (list->len, ==, 9);
  for (guint i = 0; i < list->len; i++)
    g_assert_cmpstr (((const VtSetting *) g_ptr_array_index (list, i))->layer, ==, "default");
}

static void
test_missing_default (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("vt-merge-XXXXXX", &error);
  const char *const dirs[] = { dir, NULL };
  g_autoptr (VtPolicySet) set = vt_policy_set_load (dirs, NULL);

  g_assert_no_error (error);
  assert_merge_error (set, NULL, NULL, VT_ERROR_FAILED,
                      "the 'default' policy is not loaded (see the daemon's start-up problems)");
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

/* ---- with the built-in policies ------------------------------------------------------ */

static VtPolicySet *
load_builtin (void)
{
  g_autofree char *dir = g_build_filename (g_getenv ("VT_SOURCE_ROOT"), "data", "policies",
                                           NULL);
  const char *const dirs[] = { dir, NULL };
  g_autoptr (GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  VtPolicySet *set = vt_policy_set_load (dirs, problems);

  g_assert_cmpuint (problems->len, ==, 0);
  return set;
}

static void
assert_same_result (const VtMergeResult *a, const VtMergeResult *b)
{
  g_autoptr (GPtrArray) la = vt_settings_list (a->settings);
  g_autoptr (GPtrArray) lb = vt_settings_list (b->settings);

  g_assert_cmpuint (la->len, ==, lb->len);
  for (guint i = 0; i < la->len; i++)
    {
      const VtSetting *sa = g_ptr_array_index (la, i);
      const VtSetting *sb = g_ptr_array_index (lb, i);

      g_assert_true (sa->entry == sb->entry);
      g_assert_cmpstr (sa->value, ==, sb->value);
      g_assert_cmpstr (sa->layer, ==, sb->layer);
      g_assert_cmpstr (sa->locked_by, ==, sb->locked_by);
    }
  g_assert_cmpuint (a->warnings->len, ==, b->warnings->len);
  for (guint i = 0; i < a->warnings->len; i++)
    g_assert_cmpstr (g_ptr_array_index (a->warnings, i), ==, g_ptr_array_index (b->warnings, i));
  g_assert_cmpuint (a->applied->len, ==, b->applied->len);
  for (guint i = 0; i < a->applied->len; i++)
    g_assert_cmpstr (g_ptr_array_index (a->applied, i), ==, g_ptr_array_index (b->applied, i));
}

static void
test_deterministic (void)
{
  g_autoptr (VtPolicySet) first = load_builtin ();
  g_autoptr (VtPolicySet) second = load_builtin ();
  g_autoptr (VtDescription) desc = description ("name: t\nscenario: [desktop, windows, "
                                                "uefi-secureboot, hugepages]\nvcpus: 3\n"
                                                "settings:\n  guest.iothreads: 2\n");
  g_autoptr (VtMergeResult) a = merge_ok (first, NULL, desc);
  g_autoptr (VtMergeResult) b = merge_ok (first, NULL, desc);
  g_autoptr (VtMergeResult) c = merge_ok (second, NULL, desc);

  g_assert_cmpuint (a->warnings->len, >, 0);
  assert_same_result (a, b);
  assert_same_result (a, c);
}

static void
test_builtin_securevm (void)
{
  g_autoptr (VtPolicySet) set = load_builtin ();
  g_autoptr (VtMergeResult) r = merge_ok (set, NAMES ("securevm"), NULL);
  g_autoptr (VtDescription) unlock = description ("name: t\nscenario: securevm\n"
                                                  "settings:\n  guest.sev: off\n");
  g_autoptr (VtDescription) plain_sev = description ("name: t\nscenario: securevm\n"
                                                     "settings:\n  guest.sev: sev\n");
  g_autoptr (VtMergeResult) chosen = NULL;

  assert_strings (r->applied, NAMES ("default", "sev", "securevm"));
  assert_setting (r, "guest.sev", "auto", "scenario:sev");
  assert_setting (r, "guest.memballoon", "off", "scenario:sev");
  g_assert_cmpstr (vt_settings_lookup (r->settings, "guest.cpu.migratable")->locked_by, ==,
                   "securevm");
  g_assert_cmpstr (vt_settings_lookup (r->settings, "guest.sev")->locked_by, ==, "sev");
  g_assert_cmpstr (vt_settings_lookup (r->settings, "guest.memballoon")->locked_by, ==, "sev");
  g_assert_cmpstr (vt_settings_lookup (r->settings, "guest.memory.locked")->locked_by, ==,
                   "sev");
  /* A lock on auto accepts what auto stands for (the catalog's auto_means). */
  chosen = merge_ok (set, NULL, plain_sev);
  assert_setting (chosen, "guest.sev", "sev", "user");
  g_assert_cmpstr (vt_settings_lookup (chosen->settings, "guest.sev")->locked_by, ==, "sev");
  assert_merge_error (set, NAMES ("securevm", "migratable"), NULL, VT_ERROR_CONFLICT,
                      "policies 'securevm' and 'migratable' cannot be combined ('securevm' "
                      "declares the conflict)");
  assert_merge_error (set, NULL, unlock, VT_ERROR_CONFLICT,
                      "guest.sev is locked to auto by policy sev; the user layer asked "
                      "for off");
}

/* The host layer runs last: it may only change values to provenance "host" and add
 * warnings; everything the lower layers resolved is otherwise kept. */
static void
test_host_layer_last (void)
{
  g_autoptr (VtPolicySet) set = load_builtin ();
  g_autofree char *path = g_build_filename (g_getenv ("VT_SOURCE_ROOT"), "tests", "data",
                                            "domcaps", "qemu7.2-kvm-q35-x86_64.xml", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (VtDomcaps) caps = vt_domcaps_load_file (path, &error);
  const char *const scenarios[] = { "desktop", "computation" };

  g_assert_no_error (error);
  for (gsize i = 0; i < G_N_ELEMENTS (scenarios); i++)
    {
      const char *const names[] = { scenarios[i], NULL };
      g_autoptr (VtMergeResult) plain = merge_ok (set, names, NULL);
      g_autoptr (VtMergeResult) host = vt_merge (set, NULL, names, NULL, caps, &error);
      g_autoptr (GPtrArray) list = NULL;

      g_assert_no_error (error);
      list = vt_settings_list (plain->settings);
      for (guint j = 0; j < list->len; j++)
        {
          const VtSetting *before = g_ptr_array_index (list, j);
          const VtSetting *after = vt_settings_lookup (host->settings, before->entry->key);

          g_assert_nonnull (after);
          if (g_strcmp0 (after->layer, "host") != 0)
            {
              g_assert_cmpstr (after->value, ==, before->value);
              g_assert_cmpstr (after->layer, ==, before->layer);
            }
        }
      g_assert_cmpuint (host->applied->len, ==, plain->applied->len);
      /* The seed's pc-q35-6.2 row: q35 becomes the host's versioned machine. */
      g_assert_true (g_str_has_prefix (vt_settings_get (host->settings, "guest.machine"),
                                       "pc-q35-"));
    }
}

static VtDomcaps *
load_caps (const char *file, const char *from, const char *to)
{
  g_autofree char *path = g_build_filename (g_getenv ("VT_SOURCE_ROOT"), "tests", "data",
                                            "domcaps", file, NULL);
  g_autofree char *text = NULL;
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) parts = NULL;
  g_autofree char *edited = NULL;
  VtDomcaps *caps;

  g_assert_true (g_file_get_contents (path, &text, NULL, &error));
  /* A variant the test needs, derived by a visible substitution (see SOURCES.md). */
  parts = g_strsplit (text, from, -1);
  edited = g_strjoinv (to, parts);
  caps = vt_domcaps_parse (edited, strlen (edited), file, &error);
  g_assert_no_error (error);
  return caps;
}

/* The host layer's judgement of guest.machine as the user's value: @expected is the
 * resolved machine, or NULL when it must be refused with a message containing @refusal. */
static void
assert_machine (const VtDomcaps *caps, const char *value, const char *expected,
                const char *refusal)
{
  g_autoptr (VtSettings) settings = vt_settings_new ();
  g_autoptr (GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GError) error = NULL;
  gboolean ok;

  g_test_message ("machine '%s'", value);
  vt_settings_set (settings, "guest.machine", value, "user");
  ok = vt_caps_layer_apply (settings, NULL, caps, warnings, &error);
  if (expected)
    {
      g_assert_no_error (error);
      g_assert_true (ok);
      g_assert_cmpstr (vt_settings_get (settings, "guest.machine"), ==, expected);
      return;
    }
  g_assert_false (ok);
  g_assert_error (error, VT_ERROR, VT_ERROR_UNSUPPORTED);
  if (!strstr (error->message, refusal) || !g_str_has_prefix (error->message, "guest.machine: "))
    g_error ("message '%s' lacks '%s'", error->message, refusal);
}

/* Issue 8: a machine type must be one the host offers — its domain capabilities' machine
 * or that machine's alias, or an older version of a known family — and nothing else
 * reaches <type machine=…>, whichever layer the value came from. */
static void
test_host_layer_machine (void)
{
  g_autoptr (VtDomcaps) caps = load_caps ("qemu7.2-kvm-q35-x86_64.xml", "<machine>",
                                          "<machine>");
  g_autoptr (VtDomcaps) downstream =
    load_caps ("qemu7.2-kvm-q35-x86_64.xml", "<machine>pc-q35-7.2</machine>",
               "<machine>pc-q35-rhel9.2.0</machine>");
  static const char *const junk[] = {
    "pc-q35-8.0.1", "pc-q35-abc", "pc-q35-", "pc-q35-99999999999999999999.9",
    "pc-q35-7.2_x", "pc-i440fx-", "virt", "pc-q35-7.2\x1b[2J",
  };
  const char *offered = "(it offers pc-q35-7.2, q35)";

  assert_machine (caps, "q35", "pc-q35-7.2", NULL);
  assert_machine (caps, "pc-q35-7.2", "pc-q35-7.2", NULL);
  assert_machine (caps, "pc-q35-6.2", "pc-q35-6.2", NULL);
  assert_machine (caps, "pc-i440fx-7.2", "pc-i440fx-7.2", NULL);
  assert_machine (caps, "pc", "pc", NULL);
  assert_machine (caps, "pc-q35-8.0", NULL, "(its newest q35 machine is pc-q35-7.2)");
  assert_machine (caps, "pc-q35-7.10", NULL, "(its newest q35 machine is pc-q35-7.2)");
  assert_machine (caps, "pc-i440fx-8.0", NULL, "(its newest q35 machine is pc-q35-7.2)");
  /* Values the catalog would refuse still never pass here: unknown is not "fine". */
  for (gsize i = 0; i < G_N_ELEMENTS (junk); i++)
    assert_machine (caps, junk[i], NULL, offered);
  /* A host whose machine has no upstream version offers exactly that machine and q35. */
  assert_machine (downstream, "q35", "pc-q35-rhel9.2.0", NULL);
  assert_machine (downstream, "pc-q35-rhel9.2.0", "pc-q35-rhel9.2.0", NULL);
  assert_machine (downstream, "pc-q35-7.2", NULL, "(it offers pc-q35-rhel9.2.0, q35)");
}

/* Issue 8, with the host capabilities: the machine list decides, so a version that was
 * never released (pc-q35-6.3) is refused although older than the newest, and every listed
 * one passes. A document that lists no machine for the arch is an error. */
static void
test_host_layer_machine_list (void)
{
  g_autoptr (VtDomcaps) caps = load_caps ("qemu7.2-kvm-q35-x86_64.xml", "<machine>",
                                          "<machine>");
  g_autofree char *path = g_build_filename (g_getenv ("VT_SOURCE_ROOT"), "tests", "data",
                                            "domcaps", "caps-qemu7.2-x86_64.xml", NULL);
  g_autofree char *host = NULL;
  g_autoptr (GError) error = NULL;
  gsize len = 0;

  g_assert_true (g_file_get_contents (path, &host, &len, &error));
  g_assert_true (vt_domcaps_add_host_machines (caps, host, len, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (caps->host_machines->len, >, 50);
  assert_machine (caps, "q35", "pc-q35-7.2", NULL);
  assert_machine (caps, "pc-q35-6.2", "pc-q35-6.2", NULL);
  assert_machine (caps, "pc-q35-2.4", "pc-q35-2.4", NULL);
  assert_machine (caps, "pc-i440fx-1.4", "pc-i440fx-1.4", NULL);
  assert_machine (caps, "pc", "pc", NULL);
  assert_machine (caps, "pc-q35-6.3", NULL, "machine types (virsh capabilities lists them)");
  assert_machine (caps, "pc-q35-8.0", NULL, "machine types (virsh capabilities lists them)");
  assert_machine (caps, "pc-q35-7.2\x1b[2J", NULL, "\\x1b[2J");

  g_assert_false (vt_domcaps_add_host_machines (caps, "<capabilities/>", 15, &error));
  g_assert_error (error, VT_ERROR, VT_ERROR_FAILED);
  g_clear_error (&error);
  g_assert_false (vt_domcaps_add_host_machines (caps, "<capabilities", 13, &error));
  g_assert_error (error, VT_ERROR, VT_ERROR_FAILED);
  /* A failed read leaves the list it had. */
  g_assert_nonnull (caps->host_machines);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)
  ADD ("/merge/layers-and-includes", test_layers_and_includes);
  ADD ("/merge/policy-applied-once", test_policy_applied_once);
  ADD ("/merge/later-wins-warning", test_later_wins_warning);
  ADD ("/merge/conflicts", test_conflicts);
  ADD ("/merge/lock/later-scenario", test_lock_by_later_scenario);
  ADD ("/merge/lock/user", test_lock_by_user);
  ADD ("/merge/user/wins", test_user_wins);
  ADD ("/merge/user/tpm", test_user_tpm);
  ADD ("/merge/explicit-scenarios-win", test_explicit_scenarios_win);
  ADD ("/merge/unknown-scenario", test_unknown_scenario);
  ADD ("/merge/no-description-no-caps", test_no_description_no_caps);
#undef ADD
  g_test_add_func ("/merge/missing-default", test_missing_default);
  g_test_add_func ("/merge/deterministic", test_deterministic);
  g_test_add_func ("/merge/builtin/securevm", test_builtin_securevm);
  g_test_add_func ("/merge/builtin/host-layer-last", test_host_layer_last);
  g_test_add_func ("/merge/host-layer/machine", test_host_layer_machine);
  g_test_add_func ("/merge/host-layer/machine-list", test_host_layer_machine_list);
  return g_test_run ();
}
