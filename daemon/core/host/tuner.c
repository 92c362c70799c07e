#include "host/tuner.h"

#include "host/container.h"
#include "host/replay.h"
#include "host/test-hooks.h"
#include "merge/merge.h"
#include "util/error.h"

struct _VtHostTuner {
  const VtPolicySet *policies;   /* borrowed */
  char *sysroot;
  char *state_dir;
  VtHostWriteFunc on_write;      /* nullable */
  gpointer write_data;
  GMutex lock;                   /* held by tune and revert, see tuner.h */
};

/* One tune or revert: its name for the test hooks and the writes it made. */
typedef struct {
  VtHostTuner *tuner;
  const char *name;
  guint writes;
} Call;

VtHostTuner *
vt_host_tuner_new (const VtPolicySet *policies, const char *sysroot, const char *state_dir)
{
  VtHostTuner *tuner = g_new0 (VtHostTuner, 1);

  tuner->policies = policies;
  tuner->sysroot = g_strdup (sysroot);
  tuner->state_dir = g_strdup (state_dir);
  g_mutex_init (&tuner->lock);
  return tuner;
}

void
vt_host_tuner_free (VtHostTuner *tuner)
{
  if (!tuner)
    return;
  g_mutex_clear (&tuner->lock);
  g_free (tuner->sysroot);
  g_free (tuner->state_dir);
  g_free (tuner);
}

void
vt_host_tuner_set_write_func (VtHostTuner *tuner, VtHostWriteFunc func, gpointer user_data)
{
  tuner->on_write = func;
  tuner->write_data = user_data;
}

static void
call_wrote (const char *file, const char *value, gpointer user_data)
{
  Call *call = user_data;
  VtHostTuner *tuner = call->tuner;

  if (tuner->on_write)
    tuner->on_write (file, value, tuner->write_data);
  vt_host_test_hook_wrote (call->name, ++call->writes);
}

static VtHostTarget
call_target (Call *call)
{
  return (VtHostTarget) { .sysroot = call->tuner->sysroot,
                          .state_dir = call->tuner->state_dir,
                          .on_write = call_wrote, .user_data = call };
}

static GStrv
read_tuned (VtHostTuner *tuner, GError **error)
{
  g_autoptr(VtHostState) state = NULL;
  gboolean found;

  state = vt_host_state_load (tuner->state_dir, &found, error);
  return state ? vt_host_state_dup_scenarios (state) : NULL;
}

static void
lock_host (Call *call)
{
  vt_host_test_hook_lock (call->name, "waiting");
  g_mutex_lock (&call->tuner->lock);
  vt_host_test_hook_lock (call->name, "locked");
}

/* The tuned scenarios are read before the lock is released, so the ones a call reports
 * are the ones its own change left in the state file. */
static void
unlock_host (Call *call, GStrv *tuned_after)
{
  if (tuned_after)
    *tuned_after = read_tuned (call->tuner, NULL);
  g_mutex_unlock (&call->tuner->lock);
}

/* Gives the caller the changes made (an empty list when none were). */
static void
hand_over (GPtrArray **done, GPtrArray **changes)
{
  if (changes)
    *changes = *done ? g_steal_pointer (done) : vt_host_changes_new ();
}

/* The merged settings of @scenarios; the merge's warnings go to the log. */
static VtMergeResult *
merge_scenarios (VtHostTuner *tuner, const char *const *scenarios, GError **error)
{
  VtMergeResult *merged = vt_merge (tuner->policies, NULL, scenarios, NULL, NULL, error);

  for (guint i = 0; merged && i < merged->warnings->len; i++)
    g_message ("host settings: %s", (const char *) g_ptr_array_index (merged->warnings, i));
  return merged;
}

GPtrArray *
vt_host_tuner_check (VtHostTuner *tuner, const char *const *scenarios, GError **error)
{
  g_autoptr(VtMergeResult) merged = merge_scenarios (tuner, scenarios, error);
  g_autoptr(VtHostPlan) plan = NULL;

  if (!merged)
    return NULL;
  plan = vt_host_plan_build (tuner->sysroot, merged->settings);
  return g_ptr_array_ref (plan->rows);
}

/* Refusal only, so its plan may be read outside the lock: it writes nothing. */
static gboolean
refuse_in_container (VtHostTuner *tuner, const VtSettings *settings, GError **error)
{
  g_autofree char *container = vt_container_detect (tuner->sysroot);
  g_autoptr(VtHostPlan) plan = NULL;
  g_autofree char *commands = NULL;

  if (container == NULL)
    return FALSE;
  plan = vt_host_plan_build (tuner->sysroot, settings);
  commands = vt_host_commands (plan);
  if (*commands == '\0')
    g_set_error (error, VT_ERROR, VT_ERROR_IN_CONTAINER,
                 "virtuned runs in a container (%s) and does not change the host; the host "
                 "already has what the scenarios want", container);
  else
    g_set_error (error, VT_ERROR, VT_ERROR_IN_CONTAINER,
                 "virtuned runs in a container (%s) and does not change the host; run these "
                 "commands on the host instead:\n%s", container, commands);
  return TRUE;
}

/* What the persistent drop-ins replay: the scenarios the state lists and @scenarios,
 * merged as one tune of them all would merge them (vt_host_state_tuned_with order), so
 * a second persistent tune keeps the first one's lines. Under the lock: the state must
 * be the one this tune adds to. */
static VtHostPlan *
dropin_plan (VtHostTuner *tuner, const char *const *scenarios, GError **error)
{
  g_autoptr(VtHostState) state = NULL;
  g_autoptr(VtMergeResult) merged = NULL;
  g_auto(GStrv) tuned = NULL;
  g_autofree char *names = NULL;
  gboolean found;

  state = vt_host_state_load (tuner->state_dir, &found, error);
  if (!state)
    return NULL;
  tuned = vt_host_state_tuned_with (state, scenarios);
  merged = vt_merge (tuner->policies, NULL, (const char *const *) tuned, NULL, NULL, error);
  if (!merged)
    {
      names = g_strjoinv (", ", tuned);
      g_prefix_error (error, "the persistent drop-ins replay every tuned scenario (%s): ",
                      names);
      return NULL;
    }
  return vt_host_plan_build (tuner->sysroot, merged->settings);
}

/* Under the lock: the plan reads the host as this tune finds it. */
static gboolean
tune_locked (Call *call, const VtSettings *settings, const char *const *scenarios,
             VtHostTuneFlags flags, GPtrArray **done, GError **error)
{
  g_autoptr(VtHostPlan) plan = vt_host_plan_build (call->tuner->sysroot, settings);
  g_autoptr(VtHostPlan) dropins = NULL;
  VtHostTarget target = call_target (call);

  if (flags & VT_HOST_TUNE_PERSISTENT)
    {
      dropins = dropin_plan (call->tuner, scenarios, error);
      if (dropins == NULL)
        return FALSE;
    }
  return vt_host_apply (&target, plan, dropins, scenarios, flags, done, error);
}

static gboolean
tune (VtHostTuner *tuner, const char *const *scenarios, VtHostTuneFlags flags,
      GPtrArray **done, GStrv *tuned_after, GError **error)
{
  g_autoptr(VtMergeResult) merged = merge_scenarios (tuner, scenarios, error);
  Call call = { .tuner = tuner, .name = "tune" };
  gboolean ok;

  if (merged == NULL)
    return FALSE;
  if (!(flags & VT_HOST_TUNE_DRY_RUN) && refuse_in_container (tuner, merged->settings, error))
    return FALSE;
  lock_host (&call);
  ok = tune_locked (&call, merged->settings, scenarios, flags, done, error);
  unlock_host (&call, tuned_after);
  return ok;
}

gboolean
vt_host_tuner_tune (VtHostTuner *tuner, const char *const *scenarios, VtHostTuneFlags flags,
                    GPtrArray **changes, GStrv *tuned_after, GError **error)
{
  g_autoptr(GPtrArray) done = NULL;
  gboolean ok;

  if (tuned_after)
    *tuned_after = NULL;
  ok = tune (tuner, scenarios, flags, &done, tuned_after, error);
  hand_over (&done, changes);
  return ok;
}

gboolean
vt_host_tuner_revert (VtHostTuner *tuner, GPtrArray **changes, GStrv *tuned_after,
                      GError **error)
{
  Call call = { .tuner = tuner, .name = "revert" };
  VtHostTarget target = call_target (&call);
  g_autoptr(GPtrArray) done = NULL;
  gboolean ok;

  lock_host (&call);
  ok = vt_host_restore (&target, &done, error);
  unlock_host (&call, tuned_after);
  hand_over (&done, changes);
  return ok;
}

GStrv
vt_host_tuner_tuned_scenarios (VtHostTuner *tuner, GError **error)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&tuner->lock);

  return read_tuned (tuner, error);
}
