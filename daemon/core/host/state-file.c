#include "host/state-file.h"

#include <errno.h>

#include <glib/gstdio.h>

#include "util/error.h"
#include "util/file.h"

#define STATE_VERSION 1
#define MAX_STATE_SIZE (1u << 20)

static const char *const kind_names[] = {
  [VT_HOST_VALUE] = "value",
  [VT_HOST_CHOICE] = "choice",
  [VT_HOST_KSM_MERGE] = "ksm-merge",
  [VT_HOST_FILE] = "file",
  [VT_HOST_REPORT] = NULL,   /* never written, never recorded */
};

static void
original_free (VtHostOriginal *original)
{
  g_free (original->setting);
  g_free (original->file);
  g_free (original->original);
  g_free (original);
}

VtHostState *
vt_host_state_new (void)
{
  VtHostState *state = g_new0 (VtHostState, 1);

  state->originals = g_ptr_array_new_with_free_func ((GDestroyNotify) original_free);
  state->scenarios = g_ptr_array_new_with_free_func (g_free);
  return state;
}

void
vt_host_state_free (VtHostState *state)
{
  if (!state)
    return;
  g_ptr_array_unref (state->originals);
  g_ptr_array_unref (state->scenarios);
  g_free (state);
}

static VtHostKind
kind_from_name (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (kind_names); i++)
    if (kind_names[i] && g_strcmp0 (name, kind_names[i]) == 0)
      return (VtHostKind) i;
  return VT_HOST_REPORT;
}

static gboolean
load_original (VtHostState *state, GKeyFile *keyfile, const char *group, GError **error)
{
  g_autofree char *setting = g_key_file_get_string (keyfile, group, "setting", NULL);
  g_autofree char *file = g_key_file_get_string (keyfile, group, "file", NULL);
  g_autofree char *kind_name = g_key_file_get_string (keyfile, group, "kind", NULL);
  g_autofree char *value = g_key_file_get_string (keyfile, group, "value", NULL);
  gboolean absent = g_key_file_get_boolean (keyfile, group, "absent", NULL);
  VtHostKind kind = kind_from_name (kind_name);
  VtHostKind expected;

  if (!setting || !file || kind == VT_HOST_REPORT
      || (!value && !(absent && kind == VT_HOST_FILE)))
    {
      g_set_error (error, VT_ERROR, VT_ERROR_HOST_TUNING,
                   "[%s] needs setting, file, a known kind and a value", group);
      return FALSE;
    }
  /* Only the files virtuned writes: a damaged or planted state cannot make RevertHost
   * write anything else under the sysroot. */
  expected = vt_host_file_kind (file);
  if (expected == VT_HOST_REPORT)
    {
      g_set_error (error, VT_ERROR, VT_ERROR_HOST_TUNING,
                   "[%s] names file %s, which is not one virtuned tunes", group, file);
      return FALSE;
    }
  if (expected != kind)
    {
      g_set_error (error, VT_ERROR, VT_ERROR_HOST_TUNING,
                   "[%s] names file %s with kind %s; virtuned writes it as %s", group, file,
                   kind_name, kind_names[expected]);
      return FALSE;
    }
  vt_host_state_record (state, setting, file, kind, absent ? NULL : value);
  return TRUE;
}

static VtHostState *
parse_state (const char *text, gsize len, GError **error)
{
  g_autoptr(GKeyFile) keyfile = g_key_file_new ();
  g_autoptr(VtHostState) state = vt_host_state_new ();
  g_auto(GStrv) groups = NULL;
  g_auto(GStrv) scenarios = NULL;

  if (!g_key_file_load_from_data (keyfile, text, len, G_KEY_FILE_NONE, error))
    return NULL;
  if (g_key_file_get_integer (keyfile, "state", "version", NULL) != STATE_VERSION)
    {
      g_set_error (error, VT_ERROR, VT_ERROR_HOST_TUNING, "[state] version is not %d",
                   STATE_VERSION);
      return NULL;
    }
  scenarios = g_key_file_get_string_list (keyfile, "state", "scenarios", NULL, NULL);
  for (char **s = scenarios; s && *s; s++)
    vt_host_state_add_scenario (state, *s);
  groups = g_key_file_get_groups (keyfile, NULL);
  for (char **group = groups; *group; group++)
    if (g_str_has_prefix (*group, "original ") && !load_original (state, keyfile, *group, error))
      return NULL;
  return g_steal_pointer (&state);
}

static char *
state_path (const char *state_dir)
{
  return g_build_filename (state_dir, VT_HOST_STATE_FILE, NULL);
}

VtHostState *
vt_host_state_load (const char *state_dir, gboolean *found, GError **error)
{
  g_autofree char *path = state_path (state_dir);
  g_autofree char *text = NULL;
  g_autoptr(GError) local = NULL;
  gsize len = 0;
  VtHostState *state;

  *found = FALSE;
  if (!g_file_get_contents (path, &text, &len, &local))
    {
      if (g_error_matches (local, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return vt_host_state_new ();
      g_set_error (error, VT_ERROR, VT_ERROR_HOST_TUNING, "cannot read the state file: %s",
                   local->message);
      return NULL;
    }
  if (len > MAX_STATE_SIZE || !(state = parse_state (text, len, &local)))
    {
      g_set_error (error, VT_ERROR, VT_ERROR_HOST_TUNING, "state file %s is damaged: %s", path,
                   local ? local->message : "too large");
      return NULL;
    }
  *found = TRUE;
  return state;
}

static char *
serialize_state (const VtHostState *state, gsize *len)
{
  g_autoptr(GKeyFile) keyfile = g_key_file_new ();

  g_key_file_set_integer (keyfile, "state", "version", STATE_VERSION);
  g_key_file_set_comment (keyfile, "state", NULL,
                          " virtuned host tuning: the originals RevertHost restores, in the"
                          " order they were changed", NULL);
  g_key_file_set_string_list (keyfile, "state", "scenarios",
                              (const char *const *) state->scenarios->pdata,
                              state->scenarios->len);
  for (guint i = 0; i < state->originals->len; i++)
    {
      const VtHostOriginal *o = g_ptr_array_index (state->originals, i);
      g_autofree char *group = g_strdup_printf ("original %u", i + 1);

      g_key_file_set_string (keyfile, group, "setting", o->setting);
      g_key_file_set_string (keyfile, group, "file", o->file);
      g_key_file_set_string (keyfile, group, "kind", kind_names[o->kind]);
      if (o->original)
        g_key_file_set_string (keyfile, group, "value", o->original);
      else
        g_key_file_set_boolean (keyfile, group, "absent", TRUE);
    }
  return g_key_file_to_data (keyfile, len, NULL);
}

gboolean
vt_host_state_save (const VtHostState *state, const char *state_dir, GError **error)
{
  g_autofree char *path = state_path (state_dir);
  g_autoptr(GError) local = NULL;
  gsize len = 0;
  g_autofree char *text = serialize_state (state, &len);

  if (g_mkdir_with_parents (state_dir, 0755) < 0)
    {
      int saved_errno = errno;

      g_set_error (error, VT_ERROR, VT_ERROR_HOST_TUNING, "cannot create state directory %s: %s",
                   state_dir, g_strerror (saved_errno));
      return FALSE;
    }
  if (!vt_write_file_atomic (path, text, len, 0600, &local))
    {
      g_set_error (error, VT_ERROR, VT_ERROR_HOST_TUNING, "cannot save the state: %s",
                   local->message);
      return FALSE;
    }
  return TRUE;
}

gboolean
vt_host_state_delete (const char *state_dir, GError **error)
{
  g_autofree char *path = state_path (state_dir);
  g_autoptr(GError) local = NULL;

  if (g_unlink (path) < 0 && errno != ENOENT)
    {
      int saved_errno = errno;

      g_set_error (error, VT_ERROR, VT_ERROR_HOST_TUNING, "cannot remove %s: %s", path,
                   g_strerror (saved_errno));
      return FALSE;
    }
  if (!vt_fsync_directory (state_dir, &local) && !g_error_matches (local, G_FILE_ERROR,
                                                                G_FILE_ERROR_NOENT))
    {
      g_set_error (error, VT_ERROR, VT_ERROR_HOST_TUNING, "%s", local->message);
      return FALSE;
    }
  return TRUE;
}

const VtHostOriginal *
vt_host_state_find (const VtHostState *state, const char *file)
{
  for (guint i = 0; i < state->originals->len; i++)
    {
      const VtHostOriginal *o = g_ptr_array_index (state->originals, i);

      if (g_str_equal (o->file, file))
        return o;
    }
  return NULL;
}

gboolean
vt_host_state_record (VtHostState *state, const char *setting, const char *file,
                      VtHostKind kind, const char *original)
{
  VtHostOriginal *o;

  g_return_val_if_fail (kind != VT_HOST_REPORT, FALSE);
  if (vt_host_state_find (state, file))
    return FALSE;
  o = g_new0 (VtHostOriginal, 1);
  o->setting = g_strdup (setting);
  o->file = g_strdup (file);
  o->kind = kind;
  o->original = g_strdup (original);
  g_ptr_array_add (state->originals, o);
  return TRUE;
}

gboolean
vt_host_state_add_scenario (VtHostState *state, const char *name)
{
  for (guint i = 0; i < state->scenarios->len; i++)
    if (g_str_equal (g_ptr_array_index (state->scenarios, i), name))
      return FALSE;
  g_ptr_array_add (state->scenarios, g_strdup (name));
  return TRUE;
}

GStrv
vt_host_state_dup_scenarios (const VtHostState *state)
{
  GStrv names = g_new0 (char *, state->scenarios->len + 1);

  for (guint i = 0; i < state->scenarios->len; i++)
    names[i] = g_strdup (g_ptr_array_index (state->scenarios, i));
  return names;
}

GStrv
vt_host_state_tuned_with (const VtHostState *state, const char *const *scenarios)
{
  GPtrArray *names = g_ptr_array_new ();

  for (guint i = 0; i < state->scenarios->len; i++)
    {
      const char *name = g_ptr_array_index (state->scenarios, i);

      if (!scenarios || !g_strv_contains (scenarios, name))
        g_ptr_array_add (names, g_strdup (name));
    }
  for (const char *const *name = scenarios; name && *name; name++)
    if (!g_ptr_array_find_with_equal_func (names, *name, g_str_equal, NULL))
      g_ptr_array_add (names, g_strdup (*name));
  g_ptr_array_add (names, NULL);
  return (GStrv) g_ptr_array_free (names, FALSE);
}
