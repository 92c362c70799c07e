/* Host tuning core: the tunables table, probing, planning, tune/re-tune/revert round
 * trips, dry runs, the KSM sequence, per-setting errors, persistent drop-ins, SEV advice,
 * container detection, the state file and the tuner, all against a fake kernel tree
 * built in a temporary directory. virtuned writes only the word to a choice file; the
 * fixture's fake kernel (kernel_wrote) then shows it bracketed, as sysfs does. */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "host/container.h"
#include "host/probe.h"
#include "host/replay.h"
#include "host/tuner.h"
#include "merge/merge.h"
#include "model/catalog.h"
#include "model/policy.h"
#include "util/error.h"
#include "util/file.h"
#include "vt-config.h"

typedef struct {
  char *root;          /* the fake sysroot */
  char *state_dir;     /* outside the sysroot, like /var/lib/virtuned */
  GPtrArray *writes;   /* "file=value" for every host write, in order */
  GMutex writes_lock;  /* writes may come from two tuner threads */
  GHashTable *choices; /* choice file -> its text as the kernel shows it */
  gboolean no_kernel;  /* the fake kernel is off: files keep what virtuned wrote */
} Fixture;

/* Writes a file of the fake tree; a choice list (a bracketed word among others) becomes
 * a choice file of the fake kernel. */
static void
put (Fixture *fx, const char *rel, const char *contents)
{
  g_autofree char *path = g_build_filename (fx->root, rel, NULL);
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *selected = vt_host_choice_selected (contents);
  g_autoptr (GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
  if (selected && strchr (contents, '['))
    g_hash_table_insert (fx->choices, g_strdup (rel), g_strdup (contents));
  else
    g_hash_table_remove (fx->choices, rel);
}

/* @words with @word bracketed, as the kernel lists choices. */
static char *
choice_text (char **words, const char *word)
{
  g_autoptr (GString) out = g_string_new (NULL);

  for (char **w = words; *w; w++)
    g_string_append_printf (out, g_str_equal (*w, word) ? "%s[%s]" : "%s%s",
                            out->len ? " " : "", *w);
  g_string_append_c (out, '\n');
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* The fake kernel's answer to virtuned writing @value to @file: a choice file shows the
 * word bracketed among the others; one it does not offer keeps the old choice, as a
 * refused write does. Other files hold what was written. */
static void
kernel_wrote (Fixture *fx, const char *file, const char *value)
{
  const char *shown = g_hash_table_lookup (fx->choices, file);
  g_auto (GStrv) words = NULL;
  g_autofree char *selected = NULL;
  g_autofree char *text = NULL;

  if (fx->no_kernel || !shown || !value)
    return;
  words = vt_host_choice_words (shown);
  selected = vt_host_choice_selected (shown);
  text = choice_text (words, g_strv_contains ((const char *const *) words, value) ? value
                                                                                  : selected);
  put (fx, file, text);
}

static char *
get (Fixture *fx, const char *rel)
{
  g_autofree char *path = g_build_filename (fx->root, rel, NULL);
  char *text = NULL;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return NULL;
  return text;
}

static void
assert_file (Fixture *fx, const char *rel, const char *expected)
{
  g_autofree char *text = get (fx, rel);

  g_assert_cmpstr (text, ==, expected);
}

static char *
scheduler_file (const char *disk)
{
  return g_strdup_printf ("sys/block/%s/queue/scheduler", disk);
}

static void
fixture_setup (Fixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *top = g_dir_make_tmp ("vt-tuning-XXXXXX", &error);
  static const char *const devices[][2] = {
    { "sda", "mq-deadline kyber [bfq] none\n" },
    { "vda", "[none] mq-deadline\n" },
    { "nvme0n1", "[none] mq-deadline kyber bfq\n" },
    { "loop0", "[none] mq-deadline\n" },
    { "dm-0", "[none] mq-deadline\n" },
    { "zram0", "[none] mq-deadline\n" },
    { "pmem0", "[none]\n" },   /* nothing to choose: skipped */
  };

  g_assert_no_error (error);
  fx->root = g_build_filename (top, "root", NULL);
  fx->state_dir = g_build_filename (top, "state", NULL);
  fx->writes = g_ptr_array_new_with_free_func (g_free);
  g_mutex_init (&fx->writes_lock);
  fx->choices = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  put (fx, VT_HOST_THP_FILE, "always [madvise] never\n");
  put (fx, VT_HOST_KSM_RUN_FILE, "0\n");
  put (fx, VT_HOST_KSM_MERGE_FILE, "1\n");
  put (fx, VT_HOST_SWAPPINESS_FILE, "60\n");
  for (guint i = 0; i < G_N_ELEMENTS (devices); i++)
    {
      g_autofree char *file = scheduler_file (devices[i][0]);

      put (fx, file, devices[i][1]);
    }
  put (fx, "sys/block/sr0/removable", "1\n");   /* no queue/scheduler: skipped */
  put (fx, "sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages", "0\n");
  put (fx, "sys/kernel/mm/hugepages/hugepages-1048576kB/nr_hugepages", "0\n");
  put (fx, VT_HOST_MEMINFO_FILE, "MemTotal:       16318412 kB\nHugePages_Total:       0\n"
       "Hugepagesize:       2048 kB\n");
  put (fx, VT_HOST_CPUINFO_FILE, "processor\t: 0\nvendor_id\t: AuthenticAMD\n"
       "flags\t\t: fpu vme pse tsc msr pae\nbugs\t\t: sysret_ss_attrs\n");
  put (fx, VT_HOST_KVM_AMD_SEV_FILE, "N\n");
  put (fx, VT_HOST_KVM_AMD_SEV_ES_FILE, "N\n");
  put (fx, VT_HOST_CMDLINE_FILE, "BOOT_IMAGE=/vmlinuz root=/dev/vda1 ro quiet\n");
}

static void
remove_tree (const char *path)
{
  g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir && (name = g_dir_read_name (dir)))
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static void
fixture_teardown (Fixture *fx, gconstpointer data)
{
  g_autofree char *top = g_path_get_dirname (fx->root);

  remove_tree (top);
  g_free (fx->root);
  g_free (fx->state_dir);
  g_ptr_array_unref (fx->writes);
  g_mutex_clear (&fx->writes_lock);
  g_hash_table_unref (fx->choices);
}

/* Every regular file (and symlink) under @dir: relative path -> contents. */
static void
snapshot_into (GHashTable *files, const char *top, const char *dir_path)
{
  g_autoptr (GDir) dir = g_dir_open (dir_path, 0, NULL);
  const char *name;

  while (dir && (name = g_dir_read_name (dir)))
    {
      g_autofree char *child = g_build_filename (dir_path, name, NULL);
      char *rel = g_strdup (child + strlen (top) + 1);
      char *text = NULL;

      if (g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        {
          g_autofree char *target = g_file_read_link (child, NULL);

          text = g_strconcat ("-> ", target, NULL);
        }
      else if (g_file_test (child, G_FILE_TEST_IS_DIR))
        {
          g_free (rel);
          snapshot_into (files, top, child);
          continue;
        }
      else
        g_assert_true (g_file_get_contents (child, &text, NULL, NULL));
      g_hash_table_insert (files, rel, text);
    }
}

static GHashTable *
snapshot (Fixture *fx)
{
  GHashTable *files = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  snapshot_into (files, fx->root, fx->root);
  return files;
}

static void
assert_same_tree (GHashTable *before, GHashTable *after)
{
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, before);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      const char *now = g_hash_table_lookup (after, key);

      if (g_strcmp0 (now, value) != 0)
        g_error ("%s differs: was '%s', is '%s'", (char *) key, (char *) value, now);
    }
  g_hash_table_iter_init (&iter, after);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (!g_hash_table_contains (before, key))
      g_error ("%s was created and not removed", (char *) key);
}

/* Every host write: logged, then answered by the fake kernel. */
static void
record_write (const char *file, const char *value, gpointer user_data)
{
  Fixture *fx = user_data;

  g_mutex_lock (&fx->writes_lock);
  g_ptr_array_add (fx->writes, g_strdup_printf ("%s=%s", file, value ? value : "(removed)"));
  kernel_wrote (fx, file, value);
  g_mutex_unlock (&fx->writes_lock);
}

static VtHostTarget
target_of (Fixture *fx)
{
  return (VtHostTarget) { .sysroot = fx->root, .state_dir = fx->state_dir,
                          .on_write = record_write, .user_data = fx };
}

/* Settings from "key=value" pairs, as a merge would leave them. */
static VtSettings *
settings_of (const char *const *pairs)
{
  VtSettings *settings = vt_settings_new ();

  for (guint i = 0; pairs[i]; i++)
    {
      g_auto (GStrv) kv = g_strsplit (pairs[i], "=", 2);

      vt_settings_set (settings, kv[0], kv[1], "scenario:test");
    }
  return settings;
}

static const char *const desktop_host[] = {
  "host.thp=always", "host.ksm=on", "host.ksm_merge_across_nodes=on", "host.swappiness=35",
  "host.io_scheduler=mq-deadline", NULL
};
static const char *const securevm_host[] = {
  "host.thp=always", "host.ksm=off", "host.ksm_merge_across_nodes=off", "host.swappiness=0",
  "host.io_scheduler=bfq", "guest.sev=auto", NULL
};

static VtHostPlan *
plan_of (Fixture *fx, const char *const *pairs)
{
  g_autoptr (VtSettings) settings = settings_of (pairs);

  return vt_host_plan_build (fx->root, settings);
}

static void
assert_row (const VtHostPlan *plan, const char *setting, const char *current,
            const char *wanted, gboolean ok)
{
  const VtHostRow *row = vt_host_plan_find (plan, setting);
  g_autofree char *wanted_text = NULL;

  if (!row)
    g_error ("no row %s", setting);
  wanted_text = vt_host_row_wanted_text (row);
  g_assert_cmpstr (row->current, ==, current);
  g_assert_cmpstr (wanted_text, ==, wanted);
  g_assert_cmpint (row->ok, ==, ok);
}

static gboolean
state_exists (Fixture *fx)
{
  g_autofree char *path = g_build_filename (fx->state_dir, VT_HOST_STATE_FILE, NULL);

  return g_file_test (path, G_FILE_TEST_EXISTS);
}

/* Only host-state may be in the state directory: no temporary file survives. */
static void
assert_state_dir_clean (Fixture *fx)
{
  g_autoptr (GDir) dir = g_dir_open (fx->state_dir, 0, NULL);
  const char *name;

  while (dir && (name = g_dir_read_name (dir)))
    g_assert_cmpstr (name, ==, VT_HOST_STATE_FILE);
}

static GPtrArray *
tune (Fixture *fx, const char *const *pairs, const char *const *scenarios,
      VtHostTuneFlags flags)
{
  g_autoptr (VtHostPlan) plan = plan_of (fx, pairs);
  g_autoptr (GError) error = NULL;
  VtHostTarget target = target_of (fx);
  GPtrArray *changes = NULL;

  g_assert_true (vt_host_apply (&target, plan, NULL, scenarios, flags, &changes, &error));
  g_assert_no_error (error);
  return changes;
}

static void
revert (Fixture *fx)
{
  g_autoptr (GPtrArray) changes = NULL;
  g_autoptr (GError) error = NULL;
  VtHostTarget target = target_of (fx);

  g_assert_true (vt_host_restore (&target, &changes, &error));
  g_assert_no_error (error);
  g_assert_false (state_exists (fx));
}

static char *
changes_text (GPtrArray *changes)
{
  g_autoptr (GString) text = g_string_new (NULL);

  for (guint i = 0; i < changes->len; i++)
    {
      const VtHostChange *c = g_ptr_array_index (changes, i);

      g_string_append_printf (text, "%s %s->%s\n", c->setting, c->old_value, c->new_value);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static char *
writes_text (Fixture *fx)
{
  g_ptr_array_add (fx->writes, NULL);
  char *text = g_strjoinv ("\n", (char **) fx->writes->pdata);
  g_ptr_array_remove_index (fx->writes, fx->writes->len - 1);
  return text;
}

/* --- the tunables table ---------------------------------------------------------------- */

static gboolean
has_tunable (const char *key)
{
  guint n_tunables;
  const VtHostTunable *tunables = vt_host_tunables (&n_tunables);

  for (guint i = 0; i < n_tunables; i++)
    if (g_str_equal (tunables[i].key, key))
      return TRUE;
  return FALSE;
}

/* Every row is a host.* catalog key and every host.* key has a row; a file holding 1/0
 * stands for a catalog bool, a choice file for a catalog enum. */
static void
test_tunables_catalog (Fixture *fx, gconstpointer data)
{
  guint n_tunables, n_entries;
  const VtHostTunable *tunables = vt_host_tunables (&n_tunables);
  const VtCatalogEntry *entries = vt_catalog_entries (&n_entries);

  for (guint i = 0; i < n_tunables; i++)
    {
      const VtCatalogEntry *entry = vt_catalog_lookup (tunables[i].key);

      if (entry == NULL || !g_str_has_prefix (tunables[i].key, "host."))
        g_error ("tunable %s is not a host.* catalog key", tunables[i].key);
      g_assert_cmpint (tunables[i].one_zero, ==, entry->type == VT_TYPE_BOOL);
      if (tunables[i].kind == VT_HOST_CHOICE)
        g_assert_cmpint (entry->type, ==, VT_TYPE_ENUM);
    }
  for (guint i = 0; i < n_entries; i++)
    if (g_str_has_prefix (entries[i].key, "host.") && !has_tunable (entries[i].key))
      g_error ("catalog key %s has no tunable", entries[i].key);
}

/* Each tunable's files are ones the state file trusts, with the tunable's kind, and
 * its row names lead back to it; values are shown as the catalog spells them. */
static void
test_tunables_files (Fixture *fx, gconstpointer data)
{
  guint n_tunables;
  const VtHostTunable *tunables = vt_host_tunables (&n_tunables);
  const VtHostTunable *ksm = vt_host_tunable_find ("host.ksm");
  g_autofree char *one = vt_host_tunable_file_value (ksm, "on");
  g_autofree char *off = vt_host_tunable_shown_value (ksm, "0");
  g_autofree char *unavailable = vt_host_tunable_shown_value (NULL, NULL);
  g_autofree char *pages = vt_host_tunable_file (vt_host_tunable_find ("host.hugepages"), "2048");
  g_autofree char *scheduler = vt_host_tunable_file (vt_host_tunable_find ("host.io_scheduler:sda"),
                                                     "sda");

  g_assert_cmpstr (pages, ==, "sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages");
  g_assert_cmpstr (scheduler, ==, "sys/block/sda/queue/scheduler");
  for (guint i = 0; i < n_tunables; i++)
    {
      const VtHostTunable *t = &tunables[i];
      const char *instance = t->files == VT_HOST_EACH_DISK   ? "sda"
                             : t->files == VT_HOST_PAGE_SIZE ? "2048"
                                                             : NULL;
      g_autofree char *file = vt_host_tunable_file (t, instance);
      g_autofree char *setting = vt_host_tunable_setting (t, instance);

      g_assert_cmpint (vt_host_file_kind (file), ==, t->kind);
      g_assert_true (vt_host_tunable_find (setting) == t);
    }
  for (VtHostDropin d = 0; d < VT_HOST_N_DROPINS; d++)
    g_assert_cmpint (vt_host_file_kind (vt_host_dropin_file (d)), ==, VT_HOST_FILE);
  g_assert_null (vt_host_tunable_find ("host.io_scheduler"));   /* its rows are KEY:DEV */
  g_assert_null (vt_host_tunable_find ("host.thp:sda"));
  g_assert_null (vt_host_tunable_find ("cpu.flag.sev"));
  g_assert_cmpstr (one, ==, "1");
  g_assert_cmpstr (off, ==, "off");
  g_assert_cmpstr (unavailable, ==, "unavailable");
}

/* --- probing ------------------------------------------------------------------------- */

static void
test_probe (Fixture *fx, gconstpointer data)
{
  g_auto (GStrv) devices = vt_host_block_devices (fx->root);
  g_autofree char *selected = vt_host_choice_selected ("always [madvise] never");
  g_autofree char *plain = vt_host_choice_plain ("always [madvise] never");
  g_auto (GStrv) words = vt_host_choice_words ("always [madvise] never\n");
  g_autofree char *joined_words = g_strjoinv (",", words);
  g_autofree char *mem_encrypt = vt_host_cmdline_value ("a mem_encrypt=off b mem_encrypt=on",
                                                        "mem_encrypt");
  g_autofree char *none = vt_host_choice_selected ("always madvise never");
  g_autofree char *lone = vt_host_choice_selected ("none\n");
  g_autoptr (GError) error = NULL;
  g_autofree char *missing = vt_host_read (fx->root, "proc/nope", &error);
  g_autofree char *joined = g_strjoinv (",", devices);

  /* pmem0 is a real disk; that it has nothing to choose is the plan's business. */
  g_assert_cmpstr (joined, ==, "nvme0n1,pmem0,sda,vda");
  g_assert_cmpuint (vt_host_hugepage_kib (fx->root), ==, 2048);
  g_assert_cmpstr (selected, ==, "madvise");
  g_assert_cmpstr (plain, ==, "always madvise never");
  g_assert_cmpstr (joined_words, ==, "always,madvise,never");
  g_assert_null (none);
  g_assert_cmpstr (lone, ==, "none");
  g_assert_true (vt_host_choice_offers ("[none] mq-deadline", "mq-deadline"));
  g_assert_false (vt_host_choice_offers ("[none] mq-deadline", "bfq"));
  g_assert_cmpstr (mem_encrypt, ==, "on");
  g_assert_true (vt_host_cpu_has_flag ("flags\t: fpu pse tsc\n", "pse"));
  g_assert_false (vt_host_cpu_has_flag ("flags\t: fpu pse tsc\n", "ps"));
  g_assert_null (missing);
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
  g_assert_nonnull (strstr (error->message, "proc/nope: No such file or directory"));
}

/* --- CheckHost rows ------------------------------------------------------------------ */

static void
test_check_rows (Fixture *fx, gconstpointer data)
{
  g_autoptr (VtHostPlan) plan = plan_of (fx, desktop_host);
  g_autoptr (GString) names = g_string_new (NULL);

  for (guint i = 0; i < plan->rows->len; i++)
    g_string_append_printf (names, "%s ",
                            ((VtHostRow *) g_ptr_array_index (plan->rows, i))->setting);
  g_assert_cmpstr (names->str, ==,
                   "host.thp host.ksm_merge_across_nodes host.ksm host.swappiness "
                   "host.io_scheduler:nvme0n1 host.io_scheduler:sda host.io_scheduler:vda "
                   "host.hugepages ");
  assert_row (plan, "host.thp", "madvise", "always", FALSE);
  assert_row (plan, "host.ksm_merge_across_nodes", "on", "on", TRUE);
  assert_row (plan, "host.ksm", "off", "on", FALSE);
  assert_row (plan, "host.swappiness", "60", "35", FALSE);
  assert_row (plan, "host.io_scheduler:sda", "bfq", "mq-deadline", FALSE);
  assert_row (plan, "host.io_scheduler:vda", "none", "mq-deadline", FALSE);
  assert_row (plan, "host.hugepages", "0", "", TRUE);
  g_assert_null (plan->sev);
}

static void
test_check_nothing_wanted (Fixture *fx, gconstpointer data)
{
  static const char *const nothing[] = { "guest.sev=off", NULL };
  g_autoptr (VtHostPlan) plan = plan_of (fx, nothing);

  for (guint i = 0; i < plan->rows->len; i++)
    {
      const VtHostRow *row = g_ptr_array_index (plan->rows, i);

      g_assert_true (row->ok);
      g_assert_cmpstr (row->wanted, ==, "");
      g_assert_false (vt_host_row_needs_change (row));
    }
  g_assert_null (vt_host_plan_find (plan, "cpu.flag.sev"));
}

/* The shipped policies. */
static VtPolicySet *
shipped_policies (void)
{
  const char *dirs[] = { VT_SOURCE_DATADIR "/policies", NULL };
  g_autoptr (GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  VtPolicySet *policies = vt_policy_set_load (dirs, problems);

  g_assert_cmpuint (problems->len, ==, 0);
  return policies;
}

/* The plan of @scenarios merged from @policies, as TuneHost reads it. */
static VtHostPlan *
plan_of_scenarios (Fixture *fx, const VtPolicySet *policies, const char *const *scenarios)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (VtMergeResult) merged = vt_merge (policies, NULL, scenarios, NULL, NULL, &error);

  g_assert_no_error (error);
  return vt_host_plan_build (fx->root, merged->settings);
}

/* The shipped policies through the real merge: later scenario wins for swappiness. */
static void
test_check_through_merge (Fixture *fx, gconstpointer data)
{
  g_autoptr (VtPolicySet) policies = shipped_policies ();
  const char *scenarios[] = { "desktop", "computation", NULL };
  g_autoptr (VtHostPlan) plan = plan_of_scenarios (fx, policies, scenarios);

  assert_row (plan, "host.swappiness", "60", "0", FALSE);
  assert_row (plan, "host.thp", "madvise", "always", FALSE);
  assert_row (plan, "host.io_scheduler:nvme0n1", "none", "mq-deadline", FALSE);
}

/* --- tune and revert ----------------------------------------------------------------- */

static void
test_tune_revert_roundtrip (Fixture *fx, gconstpointer data)
{
  static const char *const scenarios[] = { "desktop", NULL };
  g_autoptr (GHashTable) before = snapshot (fx);
  g_autoptr (GHashTable) after = NULL;
  g_autoptr (GPtrArray) changes = tune (fx, desktop_host, scenarios, 0);
  g_autofree char *text = changes_text (changes);
  g_autoptr (VtHostPlan) again = NULL;
  g_autoptr (VtHostState) state = NULL;
  gboolean found;

  g_assert_cmpstr (text, ==,
                   "host.thp madvise->always\n"
                   "host.ksm off->on\n"
                   "host.swappiness 60->35\n"
                   "host.io_scheduler:nvme0n1 none->mq-deadline\n"
                   "host.io_scheduler:sda bfq->mq-deadline\n"
                   "host.io_scheduler:vda none->mq-deadline\n");
  /* The fake tree answers like the kernel: the written word is now bracketed. */
  assert_file (fx, VT_HOST_THP_FILE, "[always] madvise never\n");
  assert_file (fx, "sys/block/sda/queue/scheduler", "[mq-deadline] kyber bfq none\n");
  assert_file (fx, VT_HOST_KSM_RUN_FILE, "1\n");
  assert_file (fx, VT_HOST_SWAPPINESS_FILE, "35\n");
  assert_file (fx, "sys/block/loop0/queue/scheduler", "[none] mq-deadline\n");
  assert_state_dir_clean (fx);
  state = vt_host_state_load (fx->state_dir, &found, NULL);
  g_assert_true (found);
  g_assert_cmpuint (state->originals->len, ==, 6);
  g_assert_cmpstr (g_ptr_array_index (state->scenarios, 0), ==, "desktop");
  again = plan_of (fx, desktop_host);
  for (guint i = 0; i < again->rows->len; i++)
    g_assert_true (((VtHostRow *) g_ptr_array_index (again->rows, i))->ok);
  revert (fx);
  after = snapshot (fx);
  assert_same_tree (before, after);
}

static void
test_retune_keeps_first_originals (Fixture *fx, gconstpointer data)
{
  static const char *const computation[] = { "host.swappiness=0", "host.thp=never", NULL };
  static const char *const first[] = { "desktop", NULL };
  static const char *const second[] = { "computation", "desktop", NULL };
  g_autoptr (GHashTable) before = snapshot (fx);
  g_autoptr (GHashTable) after = NULL;
  g_autoptr (GPtrArray) one = tune (fx, desktop_host, first, 0);
  g_autoptr (GPtrArray) two = tune (fx, computation, second, 0);
  g_autofree char *text = changes_text (two);
  g_autoptr (VtHostState) state = NULL;
  gboolean found;

  g_assert_cmpstr (text, ==, "host.thp always->never\nhost.swappiness 35->0\n");
  assert_file (fx, VT_HOST_SWAPPINESS_FILE, "0\n");
  state = vt_host_state_load (fx->state_dir, &found, NULL);
  g_assert_cmpstr (vt_host_state_find (state, VT_HOST_SWAPPINESS_FILE)->original, ==, "60");
  g_assert_cmpstr (vt_host_state_find (state, VT_HOST_THP_FILE)->original, ==, "madvise");
  g_assert_cmpuint (state->scenarios->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (state->scenarios, 1), ==, "computation");
  revert (fx);
  after = snapshot (fx);
  assert_same_tree (before, after);
}

static void
test_dry_run (Fixture *fx, gconstpointer data)
{
  static const char *const scenarios[] = { "desktop", NULL };
  g_autoptr (GHashTable) before = snapshot (fx);
  g_autoptr (GHashTable) after = NULL;
  g_autoptr (GPtrArray) changes = tune (fx, desktop_host, scenarios,
                                        VT_HOST_TUNE_DRY_RUN | VT_HOST_TUNE_PERSISTENT);
  g_autofree char *text = changes_text (changes);

  g_assert_nonnull (strstr (text, "host.swappiness 60->35\n"));
  g_assert_nonnull (strstr (text, "file:/etc/sysctl.d/90-virtuned.conf absent->written\n"));
  after = snapshot (fx);
  assert_same_tree (before, after);
  g_assert_false (g_file_test (fx->state_dir, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (fx->writes->len, ==, 0);
}

/* merge_across_nodes is written only between run=2 and restoring run, on tune and on
 * revert, and revert restores the originals last-recorded-first. */
static void
test_ksm_sequence (Fixture *fx, gconstpointer data)
{
  static const char *const scenarios[] = { "securevm", NULL };
  g_autoptr (GHashTable) before = NULL;
  g_autoptr (GHashTable) after = NULL;
  g_autoptr (GPtrArray) changes = NULL;
  g_autofree char *tune_writes = NULL;
  g_autofree char *revert_writes = NULL;

  put (fx, VT_HOST_KSM_RUN_FILE, "1\n");
  put (fx, "sys/block/vda/queue/scheduler", "[none] mq-deadline bfq\n");
  before = snapshot (fx);
  changes = tune (fx, securevm_host, scenarios, 0);
  tune_writes = writes_text (fx);
  g_assert_nonnull (strstr (tune_writes,
                            "sys/kernel/mm/ksm/run=2\n"
                            "sys/kernel/mm/ksm/merge_across_nodes=0\n"
                            "sys/kernel/mm/ksm/run=1\n"
                            "sys/kernel/mm/ksm/run=0\n"));
  assert_file (fx, VT_HOST_KSM_MERGE_FILE, "0\n");
  assert_file (fx, VT_HOST_KSM_RUN_FILE, "0\n");
  g_ptr_array_set_size (fx->writes, 0);
  revert (fx);
  revert_writes = writes_text (fx);
  /* run's original was recorded just before merge_across_nodes', so it is restored
   * just after it. */
  g_assert_nonnull (strstr (revert_writes,
                            "sys/kernel/mm/ksm/run=2\n"
                            "sys/kernel/mm/ksm/merge_across_nodes=1\n"
                            "sys/kernel/mm/ksm/run=0\n"
                            "sys/kernel/mm/ksm/run=1\n"));
  after = snapshot (fx);
  assert_same_tree (before, after);
}

/* A directory where a file should be, a missing file, a file the kernel refuses to
 * take: each fails alone, named; the rest is applied and recorded, then reverted. */
static void
test_per_setting_errors (Fixture *fx, gconstpointer data)
{
  static const char *const pairs[] = {
    "host.thp=always", "host.ksm=on", "host.swappiness=35", "host.hugepages=16", NULL
  };
  static const char *const scenarios[] = { "desktop", NULL };
  g_autofree char *thp = g_build_filename (fx->root, VT_HOST_THP_FILE, NULL);
  g_autofree char *swappiness = g_build_filename (fx->root, VT_HOST_SWAPPINESS_FILE, NULL);
  g_autofree char *hugepages = g_build_filename (fx->root,
                                                 "sys/kernel/mm/hugepages/hugepages-2048kB/"
                                                 "nr_hugepages", NULL);
  g_autoptr (GHashTable) before = NULL;
  g_autoptr (GHashTable) after = NULL;
  g_autoptr (VtHostPlan) plan = NULL;
  g_autoptr (GPtrArray) changes = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *wanted = NULL;
  VtHostTarget target = target_of (fx);

  g_assert_cmpint (g_unlink (thp), ==, 0);
  g_assert_cmpint (g_mkdir (thp, 0755), ==, 0);
  g_assert_cmpint (g_unlink (swappiness), ==, 0);
  /* procfs refuses writes to /proc/version even from root. */
  g_assert_cmpint (g_unlink (hugepages), ==, 0);
  g_assert_cmpint (symlink ("/proc/version", hugepages), ==, 0);
  before = snapshot (fx);
  plan = plan_of (fx, pairs);
  wanted = g_strdup_printf ("35 (%s: No such file or directory)", swappiness);
  assert_row (plan, "host.swappiness", "unavailable", wanted, FALSE);
  g_assert_false (vt_host_apply (&target, plan, NULL, scenarios, 0, &changes, &error));
  g_assert_error (error, VT_ERROR, VT_ERROR_HOST_TUNING);
  g_assert_nonnull (strstr (error->message, "host.thp: "));
  g_assert_nonnull (strstr (error->message, "enabled: Is a directory"));
  g_assert_nonnull (strstr (error->message, "host.swappiness: "));
  g_assert_nonnull (strstr (error->message, "swappiness: No such file or directory"));
  g_assert_nonnull (strstr (error->message, "host.hugepages: "));
  g_assert_nonnull (strstr (error->message, "cannot write 16"));
  text = changes_text (changes);
  g_assert_cmpstr (text, ==, "host.ksm off->on\n");
  assert_file (fx, VT_HOST_KSM_RUN_FILE, "1\n");
  g_assert_true (state_exists (fx));
  revert (fx);
  after = snapshot (fx);
  assert_same_tree (before, after);
}

/* virtuned writes the word alone to a choice file: bracketing it is the kernel's job.
 * Without the fake kernel the file keeps the bare word, which reads back as the current
 * one, as the kernel's bare "none" of a queue without schedulers does. */
static void
test_writes_only_the_value (Fixture *fx, gconstpointer data)
{
  static const char *const pairs[] = { "host.thp=never", "host.swappiness=35", NULL };
  static const char *const scenarios[] = { "desktop", NULL };
  g_autoptr (VtHostPlan) plan = plan_of (fx, pairs);
  g_autoptr (VtHostPlan) again = NULL;
  g_autoptr (GPtrArray) changes = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *writes = NULL;
  VtHostTarget target = target_of (fx);

  fx->no_kernel = TRUE;
  g_assert_true (vt_host_apply (&target, plan, NULL, scenarios, 0, &changes, &error));
  g_assert_no_error (error);
  assert_file (fx, VT_HOST_THP_FILE, "never\n");
  assert_file (fx, VT_HOST_SWAPPINESS_FILE, "35\n");
  writes = writes_text (fx);
  g_assert_cmpstr (writes, ==, VT_HOST_THP_FILE "=never\n" VT_HOST_SWAPPINESS_FILE "=35");
  again = plan_of (fx, pairs);
  assert_row (again, "host.thp", "never", "never", TRUE);
  put (fx, VT_HOST_THP_FILE, "always madvise never\n");
  g_clear_pointer (&again, vt_host_plan_free);
  again = plan_of (fx, pairs);
  assert_row (again, "host.thp", "unavailable",
              "never (no bracketed current value in " VT_HOST_THP_FILE ")", FALSE);
}

static void
test_scheduler_not_offered (Fixture *fx, gconstpointer data)
{
  static const char *const pairs[] = { "host.io_scheduler=bfq", NULL };
  g_autoptr (VtHostPlan) plan = plan_of (fx, pairs);

  assert_row (plan, "host.io_scheduler:sda", "bfq", "bfq", TRUE);
  assert_row (plan, "host.io_scheduler:vda", "none",
              "bfq (not offered here; choices: none mq-deadline)", FALSE);
}

/* --- persistent drop-ins -------------------------------------------------------------- */

static void
test_persistent (Fixture *fx, gconstpointer data)
{
  static const char *const scenarios[] = { "securevm", NULL };
  g_autoptr (GHashTable) before = NULL;
  g_autoptr (GHashTable) after = NULL;
  g_autoptr (GPtrArray) changes = NULL;
  g_autofree char *text = NULL;
  g_autofree char *sysctl = NULL;
  g_autofree char *tmpfiles = NULL;
  g_autofree char *modprobe = NULL;

  /* An administrator's own file of that name is put back, not deleted. */
  put (fx, VT_HOST_SEV_MODPROBE_FILE, "# mine\n");
  put (fx, "sys/block/vda/queue/scheduler", "[none] mq-deadline bfq\n");
  before = snapshot (fx);
  changes = tune (fx, securevm_host, scenarios, VT_HOST_TUNE_PERSISTENT);
  text = changes_text (changes);
  g_assert_nonnull (strstr (text, "file:/etc/sysctl.d/90-virtuned.conf absent->written\n"
                                  "file:/etc/tmpfiles.d/virtuned.conf absent->written\n"
                                  "file:/etc/modprobe.d/virtuned-sev.conf present->written\n"));
  sysctl = get (fx, VT_HOST_SYSCTL_DROPIN);
  tmpfiles = get (fx, VT_HOST_TMPFILES_DROPIN);
  modprobe = get (fx, VT_HOST_SEV_MODPROBE_FILE);
  g_assert_true (g_str_has_suffix (sysctl, "\nvm.swappiness = 0\n"));
  g_assert_true (g_str_has_suffix (tmpfiles,
                                   "\nw /sys/kernel/mm/transparent_hugepage/enabled - - - - always\n"
                                   "w /sys/kernel/mm/ksm/merge_across_nodes - - - - 0\n"
                                   "w /sys/kernel/mm/ksm/run - - - - 0\n"
                                   "w /sys/block/nvme0n1/queue/scheduler - - - - bfq\n"
                                   "w /sys/block/sda/queue/scheduler - - - - bfq\n"
                                   "w /sys/block/vda/queue/scheduler - - - - bfq\n"));
  g_assert_true (g_str_has_suffix (modprobe, "\noptions kvm_amd sev=1 sev_es=1\n"));
  g_assert_true (g_str_has_prefix (modprobe, "# Written by virtuned for scenario(s) securevm"));
  revert (fx);
  after = snapshot (fx);
  assert_same_tree (before, after);
}

/* A tuner on the fixture's tree: every write logged and answered by the fake kernel. */
static VtHostTuner *
tuner_of (Fixture *fx, const VtPolicySet *policies)
{
  VtHostTuner *tuner = vt_host_tuner_new (policies, fx->root, fx->state_dir);

  vt_host_tuner_set_write_func (tuner, record_write, fx);
  return tuner;
}

/* A persistent tune of @scenarios as TuneHost does it: the live plan from @scenarios,
 * the drop-ins from every tuned scenario. */
static GPtrArray *
tune_persistent (Fixture *fx, const VtPolicySet *policies, const char *const *scenarios)
{
  g_autoptr (VtHostTuner) tuner = tuner_of (fx, policies);
  g_autoptr (GError) error = NULL;
  GPtrArray *changes = NULL;
  gboolean ok = vt_host_tuner_tune (tuner, scenarios, VT_HOST_TUNE_PERSISTENT, &changes, NULL,
                                    &error);

  g_assert_no_error (error);
  g_assert_true (ok);
  return changes;
}

/* A second persistent tune keeps the first one's drop-in lines; the administrator's own
 * tmpfiles.d file of that name comes back on revert. */
static void
test_persistent_twice (Fixture *fx, gconstpointer data)
{
  static const char *const desktop[] = { "desktop", NULL };
  static const char *const hugepages[] = { "hugepages", NULL };
  g_autoptr (VtPolicySet) policies = shipped_policies ();
  g_autoptr (GHashTable) before = NULL;
  g_autoptr (GHashTable) after = NULL;
  g_autoptr (GPtrArray) first = NULL;
  g_autoptr (GPtrArray) second = NULL;
  g_autofree char *text = NULL;
  g_autofree char *sysctl = NULL;
  g_autofree char *tmpfiles = NULL;

  put (fx, VT_HOST_TMPFILES_DROPIN, "# the administrator's\n");
  before = snapshot (fx);
  first = tune_persistent (fx, policies, desktop);
  second = tune_persistent (fx, policies, hugepages);
  text = changes_text (second);
  g_assert_cmpstr (text, ==,
                   "host.hugepages 0->1024\n"
                   "file:/etc/sysctl.d/90-virtuned.conf present->written\n"
                   "file:/etc/tmpfiles.d/virtuned.conf present->written\n");
  sysctl = get (fx, VT_HOST_SYSCTL_DROPIN);
  tmpfiles = get (fx, VT_HOST_TMPFILES_DROPIN);
  g_assert_cmpstr (sysctl, ==,
                   "# Written by virtuned for scenario(s) desktop, hugepages; RevertHost "
                   "removes it.\nvm.swappiness = 35\n");
  g_assert_cmpstr (tmpfiles, ==,
                   "# Written by virtuned for scenario(s) desktop, hugepages; RevertHost "
                   "removes it.\n"
                   "w /sys/kernel/mm/transparent_hugepage/enabled - - - - always\n"
                   "w /sys/kernel/mm/ksm/merge_across_nodes - - - - 1\n"
                   "w /sys/kernel/mm/ksm/run - - - - 1\n"
                   "w /sys/block/nvme0n1/queue/scheduler - - - - mq-deadline\n"
                   "w /sys/block/sda/queue/scheduler - - - - mq-deadline\n"
                   "w /sys/block/vda/queue/scheduler - - - - mq-deadline\n"
                   "w /sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages - - - - 1024\n");
  revert (fx);
  after = snapshot (fx);
  assert_same_tree (before, after);
}

/* Adds @name to the saved state's tuned scenarios, as an earlier tune would have. */
static void
add_tuned (Fixture *fx, const char *name)
{
  g_autoptr (GError) error = NULL;
  gboolean found;
  g_autoptr (VtHostState) state = vt_host_state_load (fx->state_dir, &found, &error);

  g_assert_no_error (error);
  vt_host_state_add_scenario (state, name);
  g_assert_true (vt_host_state_save (state, fx->state_dir, &error));
  g_assert_no_error (error);
}

/* The drop-ins combine the recorded scenarios with the new ones, the new ones last; a
 * combination one tune could not merge is refused before anything is written. */
static void
test_persistent_merge_order (Fixture *fx, gconstpointer data)
{
  static const char *const desktop[] = { "desktop", NULL };
  static const char *const migratable[] = { "migratable", NULL };
  g_autoptr (VtPolicySet) policies = shipped_policies ();
  g_autoptr (VtHostTuner) tuner = tuner_of (fx, policies);
  g_autoptr (VtHostState) state = vt_host_state_new ();
  g_autoptr (GPtrArray) changes = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GHashTable) before = NULL;
  g_autoptr (GHashTable) after = NULL;
  g_auto (GStrv) tuned = NULL;
  g_autofree char *joined = NULL;
  g_autofree char *sysctl = NULL;

  vt_host_state_add_scenario (state, "desktop");
  vt_host_state_add_scenario (state, "computation");
  tuned = vt_host_state_tuned_with (state, desktop);
  joined = g_strjoinv (",", tuned);
  g_assert_cmpstr (joined, ==, "computation,desktop");
  add_tuned (fx, "desktop");
  add_tuned (fx, "computation");
  changes = tune_persistent (fx, policies, desktop);
  sysctl = get (fx, VT_HOST_SYSCTL_DROPIN);
  g_assert_cmpstr (sysctl, ==,
                   "# Written by virtuned for scenario(s) computation, desktop; RevertHost "
                   "removes it.\nvm.swappiness = 35\n");

  add_tuned (fx, "securevm");
  before = snapshot (fx);
  g_clear_pointer (&changes, g_ptr_array_unref);
  g_assert_false (vt_host_tuner_tune (tuner, migratable, VT_HOST_TUNE_PERSISTENT, &changes,
                                      NULL, &error));
  g_assert_error (error, VT_ERROR, VT_ERROR_CONFLICT);
  g_assert_cmpstr (error->message, ==,
                   "the persistent drop-ins replay every tuned scenario (desktop, computation, "
                   "securevm, migratable): policies 'securevm' and 'migratable' cannot be "
                   "combined ('securevm' declares the conflict)");
  g_assert_cmpuint (changes->len, ==, 0);
  after = snapshot (fx);
  assert_same_tree (before, after);
}

/* --- SEV advice ------------------------------------------------------------------------ */

static void
test_sev_rows (Fixture *fx, gconstpointer data)
{
  static const char *const pairs[] = { "guest.sev=sev-es", NULL };
  g_autoptr (VtHostPlan) missing = plan_of (fx, pairs);
  g_autoptr (VtHostPlan) ready = NULL;
  const VtHostRow *fix;

  g_assert_cmpstr (missing->sev, ==, "sev-es");
  assert_row (missing, "cpu.flag.sev", "absent", "present", FALSE);
  assert_row (missing, "cpu.flag.sev_es", "absent", "present", FALSE);
  assert_row (missing, "kvm_amd.sev", "disabled", "enabled", FALSE);
  assert_row (missing, "kvm_amd.sev_es", "disabled", "enabled", FALSE);
  assert_row (missing, "kernel.mem_encrypt", "not set", "on", FALSE);
  fix = vt_host_plan_find (missing, "sev.remediation.kvm_amd");
  g_assert_nonnull (strstr (fix->wanted, "'options kvm_amd sev=1 sev_es=1' to "
                                         "/etc/modprobe.d/virtuned-sev.conf"));
  g_assert_nonnull (strstr (fix->wanted, "modprobe -r kvm_amd && modprobe kvm_amd"));
  fix = vt_host_plan_find (missing, "sev.remediation.cmdline");
  g_assert_nonnull (strstr (fix->wanted, "add mem_encrypt=on to the kernel command line"));

  put (fx, VT_HOST_CPUINFO_FILE, "flags\t\t: fpu pse sev sev_es\n");
  put (fx, VT_HOST_KVM_AMD_SEV_FILE, "Y\n");
  put (fx, VT_HOST_KVM_AMD_SEV_ES_FILE, "1\n");
  put (fx, VT_HOST_CMDLINE_FILE, "root=/dev/vda1 mem_encrypt=on\n");
  ready = plan_of (fx, pairs);
  for (guint i = 0; i < ready->rows->len; i++)
    g_assert_true (((VtHostRow *) g_ptr_array_index (ready->rows, i))->ok);
  g_assert_null (vt_host_plan_find (ready, "sev.remediation.kvm_amd"));
  g_assert_null (vt_host_plan_find (ready, "sev.remediation.cmdline"));
}

static void
test_sev_module_not_loaded (Fixture *fx, gconstpointer data)
{
  static const char *const pairs[] = { "guest.sev=auto", NULL };
  g_autofree char *params = g_build_filename (fx->root, "sys/module/kvm_amd/parameters/sev", NULL);
  g_autoptr (VtHostPlan) plan = NULL;

  g_unlink (params);
  put (fx, VT_HOST_SEV_MODPROBE_FILE, VT_HOST_SEV_MODPROBE_LINE "\n");
  plan = plan_of (fx, pairs);
  assert_row (plan, "kvm_amd.sev", "kvm_amd not loaded", "enabled", FALSE);
  assert_row (plan, "kvm_amd.sev_es", "disabled", "optional", TRUE);
  assert_row (plan, "cpu.flag.sev_es", "absent", "optional", TRUE);
  assert_row (plan, "sev.remediation.kvm_amd", "/etc/modprobe.d/virtuned-sev.conf is in place",
              "reload the module: modprobe -r kvm_amd && modprobe kvm_amd (or reboot)", FALSE);
}

static void
test_hugepages (Fixture *fx, gconstpointer data)
{
  static const char *const pairs[] = { "host.hugepages=8", NULL };
  static const char *const scenarios[] = { "hugepages", NULL };
  g_autoptr (VtHostPlan) plan = NULL;
  g_autoptr (GPtrArray) changes = NULL;

  put (fx, VT_HOST_MEMINFO_FILE, "Hugepagesize:    1048576 kB\n");
  plan = plan_of (fx, pairs);
  assert_row (plan, "host.hugepages", "0", "8", FALSE);
  g_assert_cmpstr (vt_host_plan_find (plan, "host.hugepages")->file, ==,
                   "sys/kernel/mm/hugepages/hugepages-1048576kB/nr_hugepages");
  assert_row (plan, "cpu.flag.pse", "present", "present", TRUE);
  assert_row (plan, "cpu.flag.pdpe1gb", "absent", "present", FALSE);
  changes = tune (fx, pairs, scenarios, 0);
  assert_file (fx, "sys/kernel/mm/hugepages/hugepages-1048576kB/nr_hugepages", "8\n");
  revert (fx);
  assert_file (fx, "sys/kernel/mm/hugepages/hugepages-1048576kB/nr_hugepages", "0\n");
}

/* --- containers ------------------------------------------------------------------------ */

static void
test_container_detection (Fixture *fx, gconstpointer data)
{
  g_autofree char *none = vt_container_detect (fx->root);
  g_autofree char *from_environ = NULL;
  g_autofree char *from_run = NULL;
  g_autofree char *docker = NULL;
  g_autofree char *commands = NULL;
  g_autoptr (VtHostPlan) plan = plan_of (fx, desktop_host);
  g_autofree char *environ_path = g_build_filename (fx->root, "proc/1/environ", NULL);
  g_autofree char *run_path = g_build_filename (fx->root, "run/systemd/container", NULL);
  static const char environ_data[] = "PATH=/usr/bin\0container=podman\0HOME=/";

  g_assert_null (none);
  put (fx, ".dockerenv", "");
  docker = vt_container_detect (fx->root);
  g_assert_cmpstr (docker, ==, "docker");
  put (fx, "proc/1/environ", "");
  g_assert_true (g_file_set_contents (environ_path, environ_data, sizeof environ_data, NULL));
  from_environ = vt_container_detect (fx->root);
  g_assert_cmpstr (from_environ, ==, "podman");
  put (fx, "run/systemd/container", "lxc\n");
  from_run = vt_container_detect (fx->root);
  g_assert_cmpstr (from_run, ==, "lxc");
  commands = vt_host_commands (plan);
  g_assert_nonnull (strstr (commands,
                            "  echo always > /sys/kernel/mm/transparent_hugepage/enabled\n"));
  g_assert_nonnull (strstr (commands, "  echo 1 > /sys/kernel/mm/ksm/run\n"));
  g_assert_nonnull (strstr (commands, "  sysctl -w vm.swappiness=35\n"));
  g_assert_nonnull (strstr (commands, "  echo mq-deadline > /sys/block/sda/queue/scheduler\n"));
  g_assert_null (strstr (commands, "loop0"));
}

/* --- the tuner ------------------------------------------------------------------------ */

static gboolean
all_ok (GPtrArray *rows)
{
  for (guint i = 0; i < rows->len; i++)
    if (!((VtHostRow *) g_ptr_array_index (rows, i))->ok)
      return FALSE;
  return TRUE;
}

static void
assert_strv (char **strv, const char *joined)
{
  g_autofree char *text = g_strjoinv (",", strv);

  g_assert_cmpstr (text, ==, joined);
}

/* Check, tune and revert through the tuner: each call reports the tuned scenarios it
 * left, and the tree ends as it began. */
static void
test_tuner_roundtrip (Fixture *fx, gconstpointer data)
{
  static const char *const desktop[] = { "desktop", NULL };
  g_autoptr (VtPolicySet) policies = shipped_policies ();
  g_autoptr (VtHostTuner) tuner = tuner_of (fx, policies);
  g_autoptr (GHashTable) before = snapshot (fx);
  g_autoptr (GHashTable) after = NULL;
  g_autoptr (GPtrArray) rows = NULL;
  g_autoptr (GPtrArray) changes = NULL;
  g_autoptr (GPtrArray) reverted = NULL;
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) tuned = NULL;
  g_auto (GStrv) tuned_after = NULL;
  g_auto (GStrv) reverted_after = NULL;
  g_autofree char *text = NULL;

  rows = vt_host_tuner_check (tuner, desktop, &error);
  g_assert_no_error (error);
  g_assert_false (all_ok (rows));
  g_assert_true (vt_host_tuner_tune (tuner, desktop, 0, &changes, &tuned_after, &error));
  g_assert_no_error (error);
  text = changes_text (changes);
  g_assert_nonnull (strstr (text, "host.thp madvise->always\nhost.ksm off->on\n"));
  assert_strv (tuned_after, "desktop");
  tuned = vt_host_tuner_tuned_scenarios (tuner, &error);
  g_assert_no_error (error);
  assert_strv (tuned, "desktop");
  g_clear_pointer (&rows, g_ptr_array_unref);
  rows = vt_host_tuner_check (tuner, desktop, &error);
  g_assert_true (all_ok (rows));
  g_assert_true (vt_host_tuner_revert (tuner, &reverted, &reverted_after, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (reverted->len, ==, changes->len);
  assert_strv (reverted_after, "");
  g_assert_false (state_exists (fx));
  after = snapshot (fx);
  assert_same_tree (before, after);
}

/* What the tuner refuses, or has nothing to do for, writes nothing; the changes are an
 * empty list then, and a container gets the commands to run on the host. */
static void
test_tuner_refusals (Fixture *fx, gconstpointer data)
{
  static const char *const desktop[] = { "desktop", NULL };
  static const char *const nosuch[] = { "nosuch", NULL };
  g_autoptr (VtPolicySet) policies = shipped_policies ();
  g_autoptr (VtHostTuner) tuner = tuner_of (fx, policies);
  g_autoptr (GHashTable) before = NULL;
  g_autoptr (GHashTable) after = NULL;
  g_autoptr (GPtrArray) rows = NULL;
  g_autoptr (GPtrArray) changes = NULL;
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) tuned = NULL;

  rows = vt_host_tuner_check (tuner, nosuch, &error);
  g_assert_null (rows);
  g_assert_error (error, VT_ERROR, VT_ERROR_UNKNOWN_SCENARIO);
  g_clear_error (&error);
  g_assert_false (vt_host_tuner_tune (tuner, nosuch, 0, &changes, &tuned, &error));
  g_assert_error (error, VT_ERROR, VT_ERROR_UNKNOWN_SCENARIO);
  g_assert_cmpuint (changes->len, ==, 0);
  g_assert_null (tuned);
  g_clear_error (&error);
  g_clear_pointer (&changes, g_ptr_array_unref);
  g_assert_true (vt_host_tuner_revert (tuner, &changes, &tuned, &error));
  g_assert_cmpuint (changes->len, ==, 0);
  assert_strv (tuned, "");
  g_clear_pointer (&changes, g_ptr_array_unref);

  put (fx, "run/systemd/container", "lxc\n");
  before = snapshot (fx);
  g_assert_false (vt_host_tuner_tune (tuner, desktop, 0, &changes, NULL, &error));
  g_assert_error (error, VT_ERROR, VT_ERROR_IN_CONTAINER);
  g_assert_nonnull (strstr (error->message, "container (lxc)"));
  g_assert_nonnull (strstr (error->message, "\n  sysctl -w vm.swappiness=35\n"));
  g_assert_cmpuint (changes->len, ==, 0);
  g_clear_error (&error);
  g_clear_pointer (&changes, g_ptr_array_unref);
  g_assert_true (vt_host_tuner_tune (tuner, desktop, VT_HOST_TUNE_DRY_RUN, &changes, NULL,
                                     &error));
  g_assert_cmpuint (changes->len, >, 0);
  after = snapshot (fx);
  assert_same_tree (before, after);
  g_assert_cmpuint (fx->writes->len, ==, 0);
  g_assert_false (state_exists (fx));
}

/* A tune holding the host lock and a revert started meanwhile. */
typedef struct {
  Fixture *fx;
  VtHostTuner *tuner;
  GThread *tune_thread;
  GThread *revert_thread;
  GString *order;          /* "t" per write of the tune, "r" per write of the revert */
  GPtrArray *reverted;
  GError *revert_error;
} Race;

static gpointer
race_revert (gpointer data)
{
  Race *race = data;

  vt_host_tuner_revert (race->tuner, &race->reverted, NULL, &race->revert_error);
  return NULL;
}

/* After the tune's first write, inside its lock, a revert starts and gets time to reach
 * the lock: without the lock it would restore THP while the tune goes on. */
static void
race_wrote (const char *file, const char *value, gpointer data)
{
  Race *race = data;
  gboolean by_tune = g_thread_self () == race->tune_thread;

  record_write (file, value, race->fx);
  g_mutex_lock (&race->fx->writes_lock);
  g_string_append_c (race->order, by_tune ? 't' : 'r');
  g_mutex_unlock (&race->fx->writes_lock);
  if (by_tune && race->revert_thread == NULL)
    {
      race->revert_thread = g_thread_new ("revert", race_revert, race);
      g_usleep (100 * 1000);
    }
}

/* The lock serializes a tune and a revert: every write of the one comes before any of
 * the other, and the revert restores the whole tune. */
static void
test_tuner_serialized (Fixture *fx, gconstpointer data)
{
  static const char *const desktop[] = { "desktop", NULL };
  g_autoptr (VtPolicySet) policies = shipped_policies ();
  g_autoptr (VtHostTuner) tuner = vt_host_tuner_new (policies, fx->root, fx->state_dir);
  g_autoptr (GHashTable) before = snapshot (fx);
  g_autoptr (GHashTable) after = NULL;
  g_autoptr (GPtrArray) changes = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GString) order = g_string_new (NULL);
  Race race = { .fx = fx, .tuner = tuner, .tune_thread = g_thread_self (), .order = order };

  vt_host_tuner_set_write_func (tuner, race_wrote, &race);
  g_assert_true (vt_host_tuner_tune (tuner, desktop, 0, &changes, NULL, &error));
  g_assert_no_error (error);
  g_thread_join (race.revert_thread);
  g_assert_no_error (race.revert_error);
  g_assert_cmpuint (race.reverted->len, ==, changes->len);
  g_assert_true (g_regex_match_simple ("^t+r+$", order->str, 0, 0));
  g_ptr_array_unref (race.reverted);
  g_assert_false (state_exists (fx));
  after = snapshot (fx);
  assert_same_tree (before, after);
}

/* --- the state file -------------------------------------------------------------------- */

static void
test_state_file (Fixture *fx, gconstpointer data)
{
  g_autoptr (VtHostState) state = vt_host_state_new ();
  g_autoptr (VtHostState) loaded = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *path = g_build_filename (fx->state_dir, VT_HOST_STATE_FILE, NULL);
  gboolean found = TRUE;

  loaded = vt_host_state_load (fx->state_dir, &found, &error);
  g_assert_no_error (error);
  g_assert_false (found);
  g_clear_pointer (&loaded, vt_host_state_free);
  g_assert_true (vt_host_state_record (state, "host.thp", VT_HOST_THP_FILE, VT_HOST_CHOICE,
                                       "madvise"));
  g_assert_false (vt_host_state_record (state, "host.thp", VT_HOST_THP_FILE, VT_HOST_CHOICE,
                                        "always"));
  vt_host_state_record (state, "file:/" VT_HOST_SYSCTL_DROPIN, VT_HOST_SYSCTL_DROPIN,
                        VT_HOST_FILE, " two\nlines\t\n");
  vt_host_state_record (state, "file:/" VT_HOST_TMPFILES_DROPIN, VT_HOST_TMPFILES_DROPIN,
                        VT_HOST_FILE, NULL);
  vt_host_state_add_scenario (state, "desktop");
  g_assert_false (vt_host_state_add_scenario (state, "desktop"));
  g_assert_true (vt_host_state_save (state, fx->state_dir, &error));
  g_assert_no_error (error);
  assert_state_dir_clean (fx);
  loaded = vt_host_state_load (fx->state_dir, &found, &error);
  g_assert_no_error (error);
  g_assert_true (found);
  g_assert_cmpuint (loaded->originals->len, ==, 3);
  g_assert_cmpstr (vt_host_state_find (loaded, VT_HOST_THP_FILE)->original, ==, "madvise");
  g_assert_cmpstr (vt_host_state_find (loaded, VT_HOST_SYSCTL_DROPIN)->original, ==,
                   " two\nlines\t\n");
  g_assert_null (vt_host_state_find (loaded, VT_HOST_TMPFILES_DROPIN)->original);
  g_assert_cmpint (vt_host_state_find (loaded, VT_HOST_TMPFILES_DROPIN)->kind, ==, VT_HOST_FILE);
  g_clear_pointer (&loaded, vt_host_state_free);

  /* A state pointing outside the sysroot is never trusted. */
  g_assert_true (g_file_set_contents (path, "[state]\nversion=1\n[original 1]\nsetting=x\n"
                                      "file=../etc/shadow\nkind=value\nvalue=1\n", -1, NULL));
  loaded = vt_host_state_load (fx->state_dir, &found, &error);
  g_assert_null (loaded);
  g_assert_error (error, VT_ERROR, VT_ERROR_HOST_TUNING);
  g_assert_nonnull (strstr (error->message,
                            "[original 1] names file ../etc/shadow, which is not one virtuned "
                            "tunes"));
  g_clear_error (&error);
  g_assert_true (g_file_set_contents (path, "[state]\nversion=7\n", -1, NULL));
  loaded = vt_host_state_load (fx->state_dir, &found, &error);
  g_assert_error (error, VT_ERROR, VT_ERROR_HOST_TUNING);
  g_assert_nonnull (strstr (error->message, "version is not 1"));
}

static void
write_state (Fixture *fx, const char *originals)
{
  g_autofree char *path = g_build_filename (fx->state_dir, VT_HOST_STATE_FILE, NULL);
  g_autofree char *text = g_strconcat ("[state]\nversion=1\nscenarios=desktop;\n", originals,
                                       NULL);

  g_assert_cmpint (g_mkdir_with_parents (fx->state_dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (path, text, -1, NULL));
}

/* @file recorded with @kind is loaded (or refused, with @message). */
static void
assert_state_entry (Fixture *fx, const char *file, const char *kind, const char *message)
{
  g_autofree char *entry = g_strdup_printf ("[original 1]\nsetting=x\nfile=%s\nkind=%s\n"
                                            "value=1\n", file, kind);
  g_autoptr (VtHostState) state = NULL;
  g_autoptr (GError) error = NULL;
  gboolean found;

  write_state (fx, entry);
  state = vt_host_state_load (fx->state_dir, &found, &error);
  if (message == NULL)
    {
      g_assert_no_error (error);
      g_assert_nonnull (vt_host_state_find (state, file));
      return;
    }
  g_assert_null (state);
  g_assert_error (error, VT_ERROR, VT_ERROR_HOST_TUNING);
  if (!strstr (error->message, message))
    g_error ("%s: '%s' does not say '%s'", file, error->message, message);
}

/* Only the files virtuned writes, with the kind it writes them with, come from a state. */
static void
test_state_known_files (Fixture *fx, gconstpointer data)
{
  static const char *const accepted[][2] = {
    { VT_HOST_THP_FILE, "choice" }, { VT_HOST_KSM_MERGE_FILE, "ksm-merge" },
    { VT_HOST_KSM_RUN_FILE, "value" }, { VT_HOST_SWAPPINESS_FILE, "value" },
    { "sys/block/nvme0n1/queue/scheduler", "choice" },
    { "sys/kernel/mm/hugepages/hugepages-1048576kB/nr_hugepages", "value" },
    { VT_HOST_SYSCTL_DROPIN, "file" }, { VT_HOST_TMPFILES_DROPIN, "file" },
    { VT_HOST_SEV_MODPROBE_FILE, "file" },
  };
  static const char *const refused[] = {
    "etc/shadow", "/" VT_HOST_THP_FILE, VT_HOST_MEMINFO_FILE, "sys/block/../queue/scheduler",
    "sys/block/./queue/scheduler", "sys/block//queue/scheduler",
    "sys/block/sda/../../../etc/shadow/queue/scheduler", "sys/block/a/b/queue/scheduler",
    "sys/kernel/mm/hugepages/hugepages-kB/nr_hugepages",
    "sys/kernel/mm/hugepages/hugepages-0kB/nr_hugepages",
    "sys/kernel/mm/hugepages/hugepages-02048kB/nr_hugepages",
    "sys/kernel/mm/hugepages/hugepages-x/kB/nr_hugepages",
    "etc/sysctl.d/90-virtuned.conf/../../shadow", "etc/tmpfiles.d/other.conf",
  };

  for (guint i = 0; i < G_N_ELEMENTS (accepted); i++)
    assert_state_entry (fx, accepted[i][0], accepted[i][1], NULL);
  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autofree char *message = g_strdup_printf ("[original 1] names file %s, which is not "
                                                  "one virtuned tunes", refused[i]);

      assert_state_entry (fx, refused[i], "value", message);
    }
  assert_state_entry (fx, VT_HOST_KSM_RUN_FILE, "file",
                      "[original 1] names file sys/kernel/mm/ksm/run with kind file; virtuned "
                      "writes it as value");
  assert_state_entry (fx, VT_HOST_SYSCTL_DROPIN, "value",
                      "names file etc/sysctl.d/90-virtuned.conf with kind value; virtuned "
                      "writes it as file");
}

/* A planted state naming etc/shadow: revert and tune refuse it and write nothing, not
 * even the trusted entries before it. */
static void
test_state_planted_file (Fixture *fx, gconstpointer data)
{
  static const char *const scenarios[] = { "desktop", NULL };
  g_autoptr (VtHostPlan) plan = plan_of (fx, desktop_host);
  g_autoptr (GPtrArray) changes = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GHashTable) before = NULL;
  g_autoptr (GHashTable) after = NULL;
  VtHostTarget target = target_of (fx);

  put (fx, "etc/shadow", "root:*:19000:0:99999:7:::\n");
  put (fx, VT_HOST_THP_FILE, "always madvise [never]\n");
  write_state (fx, "[original 1]\nsetting=host.thp\nfile=" VT_HOST_THP_FILE "\nkind=choice\n"
               "value=madvise\n[original 2]\nsetting=file:/etc/shadow\nfile=etc/shadow\n"
               "kind=file\nvalue=root::0:0:99999:7:::\n");
  before = snapshot (fx);
  g_assert_false (vt_host_restore (&target, &changes, &error));
  g_assert_error (error, VT_ERROR, VT_ERROR_HOST_TUNING);
  g_assert_nonnull (strstr (error->message, "is damaged: [original 2] names file etc/shadow, "
                                            "which is not one virtuned tunes"));
  g_assert_cmpuint (changes->len, ==, 0);
  g_clear_error (&error);
  g_clear_pointer (&changes, g_ptr_array_unref);
  g_assert_false (vt_host_apply (&target, plan, NULL, scenarios, 0, &changes, &error));
  g_assert_error (error, VT_ERROR, VT_ERROR_HOST_TUNING);
  g_assert_nonnull (strstr (error->message, "[original 2] names file etc/shadow"));
  after = snapshot (fx);
  assert_same_tree (before, after);
  g_assert_cmpuint (fx->writes->len, ==, 0);
  g_assert_true (state_exists (fx));
}

/* A revert that cannot restore a file keeps just that original for a later retry. */
static void
test_revert_failure_keeps_state (Fixture *fx, gconstpointer data)
{
  static const char *const scenarios[] = { "desktop", NULL };
  g_autoptr (GPtrArray) changes = tune (fx, desktop_host, scenarios, 0);
  g_autoptr (GPtrArray) reverted = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (VtHostState) state = NULL;
  g_autofree char *swappiness = g_build_filename (fx->root, VT_HOST_SWAPPINESS_FILE, NULL);
  VtHostTarget target = target_of (fx);
  gboolean found;

  g_assert_cmpint (g_unlink (swappiness), ==, 0);
  g_assert_cmpint (g_mkdir (swappiness, 0755), ==, 0);
  g_assert_false (vt_host_restore (&target, &reverted, &error));
  g_assert_error (error, VT_ERROR, VT_ERROR_HOST_TUNING);
  g_assert_nonnull (strstr (error->message, "host.swappiness: "));
  assert_file (fx, VT_HOST_THP_FILE, "always [madvise] never\n");
  state = vt_host_state_load (fx->state_dir, &found, NULL);
  g_assert_cmpuint (state->originals->len, ==, 1);
  g_assert_cmpstr (vt_host_state_find (state, VT_HOST_SWAPPINESS_FILE)->original, ==, "60");
  g_assert_cmpstr (g_ptr_array_index (state->scenarios, 0), ==, "desktop");
  g_assert_cmpint (g_rmdir (swappiness), ==, 0);
  put (fx, VT_HOST_SWAPPINESS_FILE, "35\n");
  revert (fx);
  assert_file (fx, VT_HOST_SWAPPINESS_FILE, "60\n");
}

/* --- leftovers of interrupted atomic saves ------------------------------------------------ */

/* What a kill between mkstemp and rename leaves: PATH.XXXXXX with the Xs filled in. */
static void
plant (const char *dir, const char *name, const char *contents)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree char *parent = g_path_get_dirname (path);

  g_assert_cmpint (g_mkdir_with_parents (parent, 0755), ==, 0);
  g_assert_true (g_file_set_contents (path, contents, -1, NULL));
}

static int
compare_names (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

static char *
dir_listing (const char *dir_path)
{
  g_autoptr (GDir) dir = g_dir_open (dir_path, 0, NULL);
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  while (dir && (name = g_dir_read_name (dir)))
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);
  g_ptr_array_add (names, NULL);
  return g_strjoinv (" ", (char **) names->pdata);
}

/* Only PATH + VT_ATOMIC_TEMP_SUFFIX's shape, as regular files, is removed; names that
 * merely look alike, a directory and a symlink of that shape are someone else's. */
static void
test_leftovers_cleanup (Fixture *fx, gconstpointer data)
{
  static const char *const foreign[] = {
    "host-state.Ab12C", "host-state.Ab12Cd7", "host-state.Ab-2Cd", "host-state.Ab12C.",
    "host-state-Ab12Cd", "xhost-state.Ab12Cd", "host-state.Ab12Cd.conf", "host-stat.Ab12Cd",
    "host-state.",
  };
  g_autofree char *path = g_build_filename (fx->state_dir, VT_HOST_STATE_FILE, NULL);
  g_autofree char *subdir = g_build_filename (fx->state_dir, "host-state.Dir123", NULL);
  g_autofree char *link = g_build_filename (fx->state_dir, "host-state.Lnk123", NULL);
  g_autofree char *target = g_build_filename (fx->root, VT_HOST_SWAPPINESS_FILE, NULL);
  g_autofree char *expected_left = NULL;
  g_autofree char *left = NULL;
  g_autofree char *missing = g_build_filename (fx->state_dir, "nosuch", "host-state", NULL);
  g_autoptr (GPtrArray) removed = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GError) error = NULL;

  plant (fx->state_dir, VT_HOST_STATE_FILE, "[state]\nversion=1\n");
  plant (fx->state_dir, "host-state.Ab12Cd", "half a state");
  plant (fx->state_dir, "host-state.zZ09aQ", "");
  for (guint i = 0; i < G_N_ELEMENTS (foreign); i++)
    plant (fx->state_dir, foreign[i], "not ours");
  g_assert_cmpint (g_mkdir (subdir, 0755), ==, 0);
  g_assert_cmpint (symlink (target, link), ==, 0);
  g_assert_true (vt_remove_atomic_leftovers (path, removed, &error));
  g_assert_no_error (error);
  g_ptr_array_sort (removed, compare_names);
  g_assert_cmpuint (removed->len, ==, 2);
  g_assert_true (g_str_has_suffix (g_ptr_array_index (removed, 0), "/host-state.Ab12Cd"));
  g_assert_true (g_str_has_suffix (g_ptr_array_index (removed, 1), "/host-state.zZ09aQ"));
  left = dir_listing (fx->state_dir);
  expected_left = g_strjoin (" ", "host-stat.Ab12Cd", "host-state", "host-state-Ab12Cd",
                             "host-state.", "host-state.Ab-2Cd", "host-state.Ab12C",
                             "host-state.Ab12C.", "host-state.Ab12Cd.conf",
                             "host-state.Ab12Cd7", "host-state.Dir123", "host-state.Lnk123",
                             "xhost-state.Ab12Cd", NULL);
  g_assert_cmpstr (left, ==, expected_left);
  assert_file (fx, VT_HOST_SWAPPINESS_FILE, "60\n");
  /* No directory, no leftovers. */
  g_assert_true (vt_remove_atomic_leftovers (missing, removed, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (removed->len, ==, 2);
}

/* A kill during each atomic save of a persistent tune left a temporary file next to the
 * state and every drop-in: a revert removes them, with a state and without one (the
 * kill came during the first save), and leaves the rest of the tree as it was. */
static void
test_revert_removes_leftovers (Fixture *fx, gconstpointer data)
{
  static const char *const scenarios[] = { "desktop", NULL };
  g_autoptr (GHashTable) before = NULL;
  g_autoptr (GHashTable) after = NULL;
  g_autoptr (GPtrArray) changes = NULL;

  plant (fx->root, "etc/sysctl.d/90-virtuned.conf.orig", "an administrator's\n");
  before = snapshot (fx);
  for (guint with_state = 0; with_state < 2; with_state++)
    {
      if (with_state)
        {
          g_clear_pointer (&changes, g_ptr_array_unref);
          changes = tune (fx, desktop_host, scenarios, VT_HOST_TUNE_PERSISTENT);
        }
      plant (fx->state_dir, "host-state.q1W2e3", "[state]\n");
      plant (fx->root, VT_HOST_SYSCTL_DROPIN ".R4t5Y6", "vm.swappiness = 0\n");
      plant (fx->root, VT_HOST_TMPFILES_DROPIN ".u7I8o9", "w /x - - - - 1\n");
      plant (fx->root, VT_HOST_SEV_MODPROBE_FILE ".P0aSdF", "options\n");
      revert (fx);
      after = snapshot (fx);
      assert_same_tree (before, after);
      g_clear_pointer (&after, g_hash_table_unref);
      /* Empty: neither the state nor its leftover stayed. */
      g_assert_cmpint (g_rmdir (fx->state_dir), ==, 0);
    }
}

/* Each host write finds the tune's scenario already in the state file on disk. */
static void
assert_scenario_saved (const char *file, const char *value, gpointer user_data)
{
  Fixture *fx = user_data;
  g_autoptr (VtHostState) state = NULL;
  g_autoptr (GError) error = NULL;
  gboolean found;

  state = vt_host_state_load (fx->state_dir, &found, &error);
  g_assert_no_error (error);
  g_assert_true (found);
  g_assert_cmpuint (state->scenarios->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (state->scenarios, 0), ==, "desktop");
  record_write (file, value, user_data);
}

/* A crash part-way through a tune leaves originals in the state: the scenario they
 * belong to must be there too, or TunedScenarios says [] over a tuned host. */
static void
test_scenarios_saved_before_writes (Fixture *fx, gconstpointer data)
{
  static const char *const scenarios[] = { "desktop", NULL };
  g_autoptr (VtHostPlan) plan = plan_of (fx, desktop_host);
  g_autoptr (GPtrArray) changes = NULL;
  g_autoptr (GError) error = NULL;
  VtHostTarget target = target_of (fx);

  target.on_write = assert_scenario_saved;
  g_assert_true (vt_host_apply (&target, plan, NULL, scenarios, VT_HOST_TUNE_PERSISTENT,
                                &changes, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (fx->writes->len, >, 0);
  revert (fx);
}

static void
add (const char *name, void (*func) (Fixture *, gconstpointer))
{
  g_test_add (name, Fixture, NULL, fixture_setup, func, fixture_teardown);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  add ("/tuning/tunables/catalog", test_tunables_catalog);
  add ("/tuning/tunables/files", test_tunables_files);
  add ("/tuning/probe", test_probe);
  add ("/tuning/check/rows", test_check_rows);
  add ("/tuning/check/nothing-wanted", test_check_nothing_wanted);
  add ("/tuning/check/through-merge", test_check_through_merge);
  add ("/tuning/check/scheduler-not-offered", test_scheduler_not_offered);
  add ("/tuning/tune/roundtrip", test_tune_revert_roundtrip);
  add ("/tuning/tune/retune-keeps-first-originals", test_retune_keeps_first_originals);
  add ("/tuning/tune/dry-run", test_dry_run);
  add ("/tuning/tune/ksm-sequence", test_ksm_sequence);
  add ("/tuning/tune/per-setting-errors", test_per_setting_errors);
  add ("/tuning/tune/writes-only-the-value", test_writes_only_the_value);
  add ("/tuning/tune/persistent", test_persistent);
  add ("/tuning/tune/persistent-twice", test_persistent_twice);
  add ("/tuning/tune/persistent-merge-order", test_persistent_merge_order);
  add ("/tuning/tune/hugepages", test_hugepages);
  add ("/tuning/revert/failure-keeps-state", test_revert_failure_keeps_state);
  add ("/tuning/revert/removes-leftovers", test_revert_removes_leftovers);
  add ("/tuning/leftovers/cleanup", test_leftovers_cleanup);
  add ("/tuning/tune/scenarios-saved-before-writes", test_scenarios_saved_before_writes);
  add ("/tuning/sev/rows", test_sev_rows);
  add ("/tuning/sev/module-not-loaded", test_sev_module_not_loaded);
  add ("/tuning/container", test_container_detection);
  add ("/tuning/tuner/roundtrip", test_tuner_roundtrip);
  add ("/tuning/tuner/refusals", test_tuner_refusals);
  add ("/tuning/tuner/serialized", test_tuner_serialized);
  add ("/tuning/state-file", test_state_file);
  add ("/tuning/state-file/known-files", test_state_known_files);
  add ("/tuning/state-file/planted-file", test_state_planted_file);
  return g_test_run ();
}
