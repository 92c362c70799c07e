#include "host/apply.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "host/probe.h"
#include "host/replay.h"
#include "util/error.h"
#include "util/file.h"

static void
change_free (VtHostChange *change)
{
  g_free (change->setting);
  g_free (change->old_value);
  g_free (change->new_value);
  g_free (change);
}

GPtrArray *
vt_host_changes_new (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) change_free);
}

static void
add_change (GPtrArray *changes, const char *setting, const char *old_value,
            const char *new_value)
{
  VtHostChange *change = g_new0 (VtHostChange, 1);

  change->setting = g_strdup (setting);
  change->old_value = g_strdup (old_value);
  change->new_value = g_strdup (new_value);
  g_ptr_array_add (changes, change);
}

static void
add_failure (GString *failures, const char *setting, const char *reason)
{
  g_string_append_printf (failures, "%s%s: %s", failures->len ? "; " : "", setting, reason);
}

/* One write(2) of "VALUE\n", as the kernel wants it. A choice file takes the word; the
 * kernel, not virtuned, then shows it bracketed among the others. */
static gboolean
write_kernel_file (const VtHostTarget *target, const char *file, const char *value,
                   GError **error)
{
  g_autofree char *path = g_build_filename (target->sysroot, file, NULL);
  g_autofree char *line = g_strconcat (value, "\n", NULL);
  gssize written;
  int fd;

  fd = open (path, O_WRONLY | O_TRUNC | O_CLOEXEC | O_NOCTTY);
  if (fd < 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno), "%s: %s", path,
                   g_strerror (saved_errno));
      return FALSE;
    }
  do
    written = write (fd, line, strlen (line));
  while (written < 0 && errno == EINTR);
  if (written != (gssize) strlen (line))
    {
      int saved_errno = written < 0 ? errno : EIO;

      close (fd);
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   "%s: cannot write %s: %s", path, value, g_strerror (saved_errno));
      return FALSE;
    }
  close (fd);
  if (target->on_write)
    target->on_write (file, value, target->user_data);
  return TRUE;
}

/* The value as the row compares it: the selected word of a choice file, else the text. */
static char *
read_raw (const char *sysroot, const char *file, VtHostKind kind, GError **error)
{
  g_autofree char *text = vt_host_read (sysroot, file, error);

  if (!text || kind != VT_HOST_CHOICE)
    return g_steal_pointer (&text);
  return vt_host_choice_current (file, text, error);
}

/* The kernel may take a write and still not do it (huge pages it cannot reserve). */
static gboolean
verify (const VtHostTarget *target, const char *file, VtHostKind kind, const char *value,
        GError **error)
{
  g_autofree char *now = read_raw (target->sysroot, file, kind, error);

  if (!now)
    return FALSE;
  if (!g_str_equal (now, value))
    {
      g_set_error (error, VT_ERROR, VT_ERROR_HOST_TUNING, "wrote %s, the kernel kept %s", value,
                   now);
      return FALSE;
    }
  return TRUE;
}

/* merge_across_nodes can only change while no pages are merged: unmerge everything
 * (run=2), write it, then give run its value back, even when the write failed. */
static gboolean
write_ksm_merge (const VtHostTarget *target, const char *file, const char *value,
                 GError **error)
{
  g_autofree char *run = vt_host_read (target->sysroot, VT_HOST_KSM_RUN_FILE, error);
  g_autoptr(GError) restore_error = NULL;
  gboolean unmerge, ok;

  if (!run)
    return FALSE;
  unmerge = !g_str_equal (run, "2");
  if (unmerge && !write_kernel_file (target, VT_HOST_KSM_RUN_FILE, "2", error))
    return FALSE;
  ok = write_kernel_file (target, file, value, error);
  if (unmerge && !write_kernel_file (target, VT_HOST_KSM_RUN_FILE, run,
                                     ok ? error : &restore_error))
    return FALSE;
  return ok;
}

/* A whole configuration file: @contents NULL removes it. */
static gboolean
write_config_file (const VtHostTarget *target, const char *file, const char *contents,
                   GError **error)
{
  g_autofree char *path = g_build_filename (target->sysroot, file, NULL);
  g_autofree char *dir = g_path_get_dirname (path);

  if (!contents && g_unlink (path) < 0 && errno != ENOENT)
    return vt_set_errno_error (error, errno, "cannot remove", path);
  if (contents && g_mkdir_with_parents (dir, 0755) < 0)
    return vt_set_errno_error (error, errno, "cannot create", dir);
  if (contents && !vt_write_file_atomic (path, contents, strlen (contents), 0644, error))
    return FALSE;
  if (target->on_write)
    target->on_write (file, contents, target->user_data);
  return TRUE;
}

static gboolean
write_setting (const VtHostTarget *target, const char *file, VtHostKind kind,
               const char *value, GError **error)
{
  switch (kind)
    {
    case VT_HOST_FILE:
      return write_config_file (target, file, value, error);
    case VT_HOST_KSM_MERGE:
      return write_ksm_merge (target, file, value, error)
             && verify (target, file, kind, value, error);
    case VT_HOST_VALUE:
    case VT_HOST_CHOICE:
      return write_kernel_file (target, file, value, error)
             && verify (target, file, kind, value, error);
    case VT_HOST_REPORT:
    default:
      g_assert_not_reached ();
    }
}

/* Records @file's original before its first write; the state reaches the disk first. */
static gboolean
record_original (const VtHostTarget *target, VtHostState *state, const char *setting,
                 const char *file, VtHostKind kind, const char *original, GError **error)
{
  if (!vt_host_state_record (state, setting, file, kind, original))
    return TRUE;
  return vt_host_state_save (state, target->state_dir, error);
}

/* A tunable row. FALSE only when the state cannot be saved: then nothing more may be
 * written. Per-setting failures go to @failures. */
static gboolean
tune_row (const VtHostTarget *target, VtHostState *state, const VtHostRow *row,
          gboolean dry_run, GPtrArray *changes, GString *failures, GError **error)
{
  g_autoptr(GError) local = NULL;

  if (row->problem)
    {
      add_failure (failures, row->setting, row->problem);
      return TRUE;
    }
  if (dry_run)
    {
      add_change (changes, row->setting, row->current, row->wanted);
      return TRUE;
    }
  /* The KSM sequence touches run too: its original must be on disk first. */
  if (row->kind == VT_HOST_KSM_MERGE)
    {
      g_autofree char *run = vt_host_read (target->sysroot, VT_HOST_KSM_RUN_FILE, &local);

      if (!run)
        {
          add_failure (failures, row->setting, local->message);
          return TRUE;
        }
      if (!record_original (target, state, "host.ksm", VT_HOST_KSM_RUN_FILE, VT_HOST_VALUE, run,
                            error))
        return FALSE;
    }
  if (!record_original (target, state, row->setting, row->file, row->kind, row->current_raw,
                        error))
    return FALSE;
  if (!write_setting (target, row->file, row->kind, row->wanted_raw, &local))
    add_failure (failures, row->setting, local->message);
  else
    add_change (changes, row->setting, row->current, row->wanted);
  return TRUE;
}

static gboolean
tune_dropin (const VtHostTarget *target, VtHostState *state, const char *file,
             char *contents, gboolean dry_run, GPtrArray *changes, GString *failures,
             GError **error)
{
  g_autofree char *owned = contents;
  g_autofree char *setting = g_strconcat ("file:/", file, NULL);
  g_autoptr(GError) local = NULL;
  g_autofree char *current = NULL;
  g_autofree char *path = g_build_filename (target->sysroot, file, NULL);

  if (!contents)
    return TRUE;
  if (!g_file_get_contents (path, &current, NULL, &local)
      && !g_error_matches (local, G_FILE_ERROR, G_FILE_ERROR_NOENT))
    {
      add_failure (failures, setting, local->message);
      return TRUE;
    }
  if (g_strcmp0 (current, contents) == 0)
    return TRUE;
  if (!dry_run)
    {
      if (!record_original (target, state, setting, file, VT_HOST_FILE, current, error))
        return FALSE;
      g_clear_error (&local);
      if (!write_config_file (target, file, contents, &local))
        {
          add_failure (failures, setting, local->message);
          return TRUE;
        }
    }
  add_change (changes, setting, current ? "present" : "absent", "written");
  return TRUE;
}

/* @scenarios: every tuned scenario, named in the drop-ins' header. */
static gboolean
tune_dropins (const VtHostTarget *target, VtHostState *state, const VtHostPlan *plan,
              const char *const *scenarios, gboolean dry_run, GPtrArray *changes,
              GString *failures, GError **error)
{
  for (VtHostDropin d = 0; d < VT_HOST_N_DROPINS; d++)
    if (!tune_dropin (target, state, vt_host_dropin_file (d),
                      vt_host_dropin_text (plan, d, scenarios), dry_run, changes, failures,
                      error))
      return FALSE;
  return TRUE;
}

static gboolean
report_failures (GString *failures, GError **error)
{
  if (failures->len == 0)
    return TRUE;
  g_set_error (error, VT_ERROR, VT_ERROR_HOST_TUNING, "could not set %s", failures->str);
  return FALSE;
}

/* The files virtuned replaces with vt_write_file_atomic: the state and the drop-ins. */
static GPtrArray *
atomic_files (const VtHostTarget *target)
{
  GPtrArray *paths = g_ptr_array_new_with_free_func (g_free);

  g_ptr_array_add (paths, g_build_filename (target->state_dir, VT_HOST_STATE_FILE, NULL));
  for (VtHostDropin d = 0; d < VT_HOST_N_DROPINS; d++)
    g_ptr_array_add (paths, g_build_filename (target->sysroot, vt_host_dropin_file (d), NULL));
  return paths;
}

/* A kill between creating a temporary file and renaming it over one of those files
 * leaves the temporary file behind: never anyone's data, since the rename that would
 * have made it so did not happen. The caller holds the host lock, so no save of ours is
 * in flight. Each removal is logged. */
static gboolean
remove_leftovers (const VtHostTarget *target, GError **error)
{
  g_autoptr(GPtrArray) files = atomic_files (target);
  g_autoptr(GPtrArray) removed = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) local = NULL;

  /* Every file is tried; the first failure is the one reported. */
  for (guint i = 0; i < files->len; i++)
    vt_remove_atomic_leftovers (g_ptr_array_index (files, i), removed, local ? NULL : &local);
  for (guint i = 0; i < removed->len; i++)
    g_message ("removed %s, left behind by an interrupted save",
               (const char *) g_ptr_array_index (removed, i));
  if (local == NULL)
    return TRUE;
  g_set_error (error, VT_ERROR, VT_ERROR_HOST_TUNING,
               "cannot remove what an interrupted save left behind: %s", local->message);
  return FALSE;
}

/* Where the leftovers are not what the call reports on. */
static void
remove_leftovers_or_warn (const VtHostTarget *target)
{
  g_autoptr(GError) error = NULL;

  if (!remove_leftovers (target, &error))
    g_warning ("%s", error->message);
}

/* Adds @scenarios to the state's tuned list and saves it before anything is written, so
 * that after a kill part-way the state names the tune its originals belong to. Also a
 * tune that changes nothing records its scenarios (and a first one, the state). */
static gboolean
record_scenarios (const VtHostTarget *target, VtHostState *state, gboolean found,
                  const char *const *scenarios, GError **error)
{
  gboolean added = FALSE;

  for (const char *const *name = scenarios; name && *name; name++)
    added |= vt_host_state_add_scenario (state, *name);
  if (!added && found)
    return TRUE;
  return vt_host_state_save (state, target->state_dir, error);
}

gboolean
vt_host_apply (const VtHostTarget *target, const VtHostPlan *plan, const VtHostPlan *dropins,
               const char *const *scenarios, VtHostTuneFlags flags, GPtrArray **changes,
               GError **error)
{
  gboolean dry_run = (flags & VT_HOST_TUNE_DRY_RUN) != 0;
  g_autoptr(GString) failures = g_string_new (NULL);
  g_autoptr(VtHostState) state = NULL;
  gboolean found;

  *changes = vt_host_changes_new ();
  state = vt_host_state_load (target->state_dir, &found, error);
  if (!state)
    return FALSE;
  if (!dry_run)
    {
      /* Tidiness: this tune does not depend on it, and a revert retries and reports it. */
      remove_leftovers_or_warn (target);
      if (!record_scenarios (target, state, found, scenarios, error))
        return FALSE;
    }
  for (guint i = 0; i < plan->rows->len; i++)
    {
      const VtHostRow *row = g_ptr_array_index (plan->rows, i);

      if (row->kind == VT_HOST_REPORT || !row->wanted_raw || row->ok)
        continue;
      if (!tune_row (target, state, row, dry_run, *changes, failures, error))
        return FALSE;
    }
  if (flags & VT_HOST_TUNE_PERSISTENT)
    {
      g_auto(GStrv) tuned = vt_host_state_tuned_with (state, scenarios);

      if (!tune_dropins (target, state, dropins ? dropins : plan, (const char *const *) tuned,
                         dry_run, *changes, failures, error))
        return FALSE;
    }
  return report_failures (failures, error);
}

static char *
display_original (const VtHostOriginal *original, const char *value)
{
  if (original->kind == VT_HOST_FILE)
    return g_strdup (value ? "present" : "absent");
  return vt_host_tunable_shown_value (vt_host_tunable_find (original->setting), value);
}

/* Restores one original; FALSE (with the reason in @failures) when it stays recorded. */
static gboolean
revert_original (const VtHostTarget *target, const VtHostOriginal *original,
                 GPtrArray *changes, GString *failures)
{
  g_autoptr(GError) local = NULL;
  g_autofree char *current = NULL;
  g_autofree char *old_text = NULL;
  g_autofree char *new_text = NULL;

  if (original->kind == VT_HOST_FILE)
    {
      g_autofree char *path = g_build_filename (target->sysroot, original->file, NULL);

      g_file_get_contents (path, &current, NULL, NULL);
    }
  else
    current = read_raw (target->sysroot, original->file, original->kind, NULL);
  if (g_strcmp0 (current, original->original) == 0)
    return TRUE;
  if (!write_setting (target, original->file, original->kind, original->original, &local))
    {
      add_failure (failures, original->setting, local->message);
      return FALSE;
    }
  old_text = display_original (original, current);
  new_text = display_original (original, original->original);
  add_change (changes, original->setting, old_text, new_text);
  return TRUE;
}

/* Restores the state's originals and deletes it (or keeps what could not be restored). */
static gboolean
restore_originals (const VtHostTarget *target, GPtrArray *changes, GError **error)
{
  g_autoptr(GString) failures = g_string_new (NULL);
  g_autoptr(VtHostState) state = NULL;
  g_autoptr(VtHostState) remaining = vt_host_state_new ();
  g_autofree gboolean *restored = NULL;
  gboolean found;

  state = vt_host_state_load (target->state_dir, &found, error);
  if (!state)
    return FALSE;
  if (!found)
    return TRUE;
  restored = g_new0 (gboolean, state->originals->len + 1);
  for (guint i = state->originals->len; i-- > 0;)
    restored[i] = revert_original (target, g_ptr_array_index (state->originals, i), changes,
                                   failures);
  if (failures->len == 0)
    return vt_host_state_delete (target->state_dir, error);
  /* Keep what could not be restored, in its order, so a later revert retries it. */
  for (guint i = 0; i < state->originals->len; i++)
    {
      const VtHostOriginal *o = g_ptr_array_index (state->originals, i);

      if (!restored[i])
        vt_host_state_record (remaining, o->setting, o->file, o->kind, o->original);
    }
  for (guint i = 0; i < state->scenarios->len; i++)
    vt_host_state_add_scenario (remaining, g_ptr_array_index (state->scenarios, i));
  if (!vt_host_state_save (remaining, target->state_dir, error))
    return FALSE;
  return report_failures (failures, error);
}

gboolean
vt_host_restore (const VtHostTarget *target, GPtrArray **changes, GError **error)
{
  gboolean restored;

  *changes = vt_host_changes_new ();
  restored = restore_originals (target, *changes, error);
  /* Also when there was no state: a kill during the first save leaves only its
   * temporary file. */
  if (!restored)
    {
      remove_leftovers_or_warn (target);
      return FALSE;
    }
  return remove_leftovers (target, error);
}
