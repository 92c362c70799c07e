/* virtuned — CheckHost, TuneHost, RevertHost (SPEC §5, §7). The host work runs in a
 * worker thread (polkit may wait for the user; kernel writes such as unmerging KSM can
 * take long); the reply, the TunedScenarios property and HostChanged come from the main
 * loop. Tune and revert are serialized by host_lock: reading the host for the plan,
 * writing it, and reading back the tuned scenarios all happen under it, because a plan
 * read before a concurrent revert would record tuned values as originals. */
#include "bus/manager.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "bus/authz.h"
#include "bus/errors.h"
#include "bus/options.h"
#include "host/container.h"
#include "host/host-apply.h"
#include "host/host-state.h"
#include "merge/merge.h"
#include "util/error.h"

#define MAX_SCENARIOS 32
#define MAX_SCENARIO_NAME 64

/* Test hook, documented in README "Host tuning": when VIRTUNED_TEST_CRASH_AFTER_WRITES=N
 * the daemon SIGKILLs itself right after its Nth host file write of one TuneHost, the
 * moment a crash leaves the state file written and the host half tuned. */
#define CRASH_HOOK_ENV "VIRTUNED_TEST_CRASH_AFTER_WRITES"

/* Test hook, documented in README "Host tuning": when VIRTUNED_TEST_LOCK_FIFOS=DIR, each
 * TuneHost (a dry run too) or RevertHost writes "tune waiting" (or "revert
 * waiting") to the FIFO DIR/events right before it waits for host_lock, "tune locked"
 * once it holds it, and then reads the FIFO DIR/continue to its end before going on. A
 * test can so keep one call inside the lock while another queues, without sleeping. */
#define LOCK_HOOK_ENV "VIRTUNED_TEST_LOCK_FIFOS"

typedef enum { HOST_CHECK, HOST_TUNE, HOST_REVERT } HostOp;

typedef struct {
  VtManager *manager;
  VtDaemon *daemon;
  GDBusMethodInvocation *invocation;
  HostOp op;
  GStrv scenarios;
  VtHostTuneFlags flags;
  gboolean interactive;
  guint writes;             /* host file writes so far (crash hook) */
  GVariant *rows;           /* CheckHost reply */
  GPtrArray *changes;       /* VtHostChange*: TuneHost/RevertHost, also on partial failure */
  GStrv tuned;              /* the state's scenarios afterwards; NULL: unknown */
} HostJob;

static GMutex host_lock;
static guint crash_after_writes;
static const char *lock_hook_dir;

static void
host_job_free (HostJob *job)
{
  g_object_unref (job->invocation);
  g_strfreev (job->scenarios);
  g_clear_pointer (&job->rows, g_variant_unref);
  g_clear_pointer (&job->changes, g_ptr_array_unref);
  g_strfreev (job->tuned);
  g_free (job);
}

static void
count_write (const char *file, const char *value, gpointer user_data)
{
  HostJob *job = user_data;

  if (job->op == HOST_TUNE && crash_after_writes && ++job->writes == crash_after_writes)
    raise (SIGKILL);
}

static VtHostTarget
job_target (HostJob *job)
{
  return (VtHostTarget) { .sysroot = job->daemon->config->sysroot,
                          .state_dir = job->daemon->config->state_dir,
                          .on_write = count_write, .user_data = job };
}

static GStrv
load_tuned (VtDaemon *daemon, GError **error)
{
  g_autoptr (VtHostState) state = NULL;
  gboolean found;

  state = vt_host_state_load (daemon->config->state_dir, &found, error);
  return state ? vt_host_state_dup_scenarios (state) : NULL;
}

/* The merged settings of the job's scenarios; the merge's warnings go to the log. */
static VtMergeResult *
merge_scenarios (HostJob *job, GError **error)
{
  VtMergeResult *merged = vt_merge (job->daemon->policies, (const char *const *) job->scenarios,
                                    NULL, NULL, error);

  for (guint i = 0; merged && i < merged->warnings->len; i++)
    g_message ("host settings: %s", (const char *) g_ptr_array_index (merged->warnings, i));
  return merged;
}

static VtHostPlan *
build_plan (HostJob *job, GError **error)
{
  g_autoptr (VtMergeResult) merged = merge_scenarios (job, error);

  return merged ? vt_host_plan_build (job->daemon->config->sysroot, merged->settings) : NULL;
}

static GVariant *
rows_variant (const VtHostPlan *plan)
{
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a(sssb)"));
  for (guint i = 0; i < plan->rows->len; i++)
    {
      const VtHostRow *row = g_ptr_array_index (plan->rows, i);
      g_autofree char *wanted = vt_host_row_wanted_text (row);
      g_autofree char *current = g_utf8_make_valid (row->current, -1);
      g_autofree char *wanted_utf8 = g_utf8_make_valid (wanted, -1);

      g_variant_builder_add (&builder, "(sssb)", row->setting, current, wanted_utf8, row->ok);
    }
  return g_variant_ref_sink (g_variant_builder_end (&builder));
}

/* Refusal only, so its plan may be read outside host_lock: it writes nothing. */
static gboolean
refuse_in_container (HostJob *job, const VtSettings *settings, GError **error)
{
  g_autofree char *container = vt_container_detect (job->daemon->config->sysroot);
  g_autoptr (VtHostPlan) plan = NULL;
  g_autofree char *commands = NULL;

  if (container == NULL)
    return FALSE;
  plan = vt_host_plan_build (job->daemon->config->sysroot, settings);
  commands = vt_host_tune_commands (plan);
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

static void
lock_hook (HostJob *job, const char *event)
{
  g_autofree char *events = NULL;
  g_autofree char *go = NULL;
  g_autofree char *ignored = NULL;
  FILE *fifo;

  if (lock_hook_dir == NULL)
    return;
  events = g_build_filename (lock_hook_dir, "events", NULL);
  fifo = fopen (events, "we");
  if (fifo != NULL)
    {
      fprintf (fifo, "%s %s\n", job->op == HOST_TUNE ? "tune" : "revert", event);
      fclose (fifo);
    }
  if (!g_str_equal (event, "locked"))
    return;
  go = g_build_filename (lock_hook_dir, "continue", NULL);
  g_file_get_contents (go, &ignored, NULL, NULL);
}

static void
lock_host (HostJob *job)
{
  lock_hook (job, "waiting");
  g_mutex_lock (&host_lock);
  lock_hook (job, "locked");
}

/* The tuned scenarios are read before the lock is released, so the TunedScenarios
 * this call publishes are the ones its own change left in the state file. */
static void
unlock_host (HostJob *job)
{
  job->tuned = load_tuned (job->daemon, NULL);
  g_mutex_unlock (&host_lock);
}

/* Under host_lock: the plan reads the host as this tune finds it. */
static gboolean
tune_locked (HostJob *job, const VtSettings *settings, GError **error)
{
  g_autoptr (VtHostPlan) plan = vt_host_plan_build (job->daemon->config->sysroot, settings);
  g_autoptr (VtHostPlan) dropins = NULL;
  VtHostTarget target = job_target (job);
  const char *const *scenarios = (const char *const *) job->scenarios;

  if (job->flags & VT_HOST_TUNE_PERSISTENT)
    {
      dropins = vt_host_dropin_plan (&target, job->daemon->policies, scenarios, error);
      if (dropins == NULL)
        return FALSE;
    }
  return vt_host_tune (&target, plan, dropins, scenarios, job->flags, &job->changes, error);
}

static gboolean
run_tune (HostJob *job, GError **error)
{
  g_autoptr (VtMergeResult) merged = merge_scenarios (job, error);
  gboolean ok;

  if (merged == NULL)
    return FALSE;
  if (!(job->flags & VT_HOST_TUNE_DRY_RUN) && refuse_in_container (job, merged->settings, error))
    return FALSE;
  lock_host (job);
  ok = tune_locked (job, merged->settings, error);
  unlock_host (job);
  return ok;
}

static gboolean
run_revert (HostJob *job, GError **error)
{
  VtHostTarget target = job_target (job);
  gboolean ok;

  lock_host (job);
  ok = vt_host_revert (&target, &job->changes, error);
  unlock_host (job);
  return ok;
}

static void
host_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  HostJob *job = data;
  g_autoptr (VtHostPlan) plan = NULL;
  GError *error = NULL;
  gboolean ok;
  gboolean mutates = job->op == HOST_REVERT
                     || (job->op == HOST_TUNE && !(job->flags & VT_HOST_TUNE_DRY_RUN));

  /* A dry run shows what CheckHost shows, so like CheckHost it needs no privilege. */
  if (mutates && !vt_authz_check (job->daemon, job->invocation, VT_ACTION_TUNE_HOST,
                                  job->interactive, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  switch (job->op)
    {
    case HOST_CHECK:
      plan = build_plan (job, &error);
      ok = plan != NULL;
      if (ok)
        job->rows = rows_variant (plan);
      break;
    case HOST_TUNE:
      ok = run_tune (job, &error);
      break;
    case HOST_REVERT:
    default:
      ok = run_revert (job, &error);
      break;
    }
  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static GVariant *
changes_variant (GPtrArray *changes)
{
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a(sss)"));
  for (guint i = 0; changes && i < changes->len; i++)
    {
      const VtHostChange *change = g_ptr_array_index (changes, i);
      g_autofree char *old_value = g_utf8_make_valid (change->old_value, -1);
      g_autofree char *new_value = g_utf8_make_valid (change->new_value, -1);

      g_variant_builder_add (&builder, "(sss)", change->setting, old_value, new_value);
    }
  return g_variant_builder_end (&builder);
}

/* Property and signal first: a partial failure still changed the host. */
static void
publish_changes (HostJob *job)
{
  gboolean dry_run = job->op == HOST_TUNE && (job->flags & VT_HOST_TUNE_DRY_RUN);

  if (dry_run || job->op == HOST_CHECK)
    return;
  if (job->tuned != NULL)
    vt_dbus_manager_set_tuned_scenarios (job->manager->skeleton, (const char *const *) job->tuned);
  if (job->changes != NULL && job->changes->len > 0)
    {
      g_message ("%s by %s: %u host setting(s) changed",
                 job->op == HOST_TUNE ? "TuneHost" : "RevertHost",
                 g_dbus_method_invocation_get_sender (job->invocation), job->changes->len);
      vt_dbus_manager_emit_host_changed (job->manager->skeleton, changes_variant (job->changes));
    }
}

static void
host_done (GObject *source, GAsyncResult *res, gpointer data)
{
  HostJob *job = g_task_get_task_data (G_TASK (res));
  VtDaemon *daemon = job->daemon;
  g_autoptr (GError) error = NULL;

  publish_changes (job);
  if (!g_task_propagate_boolean (G_TASK (res), &error))
    vt_bus_return_error (job->invocation, error);
  else if (job->op == HOST_CHECK)
    vt_dbus_manager_complete_check_host (job->manager->skeleton, job->invocation, job->rows);
  else if (job->op == HOST_TUNE)
    vt_dbus_manager_complete_tune_host (job->manager->skeleton, job->invocation,
                                        changes_variant (job->changes));
  else
    vt_dbus_manager_complete_revert_host (job->manager->skeleton, job->invocation,
                                          changes_variant (job->changes));
  vt_daemon_release (daemon);
}

/* Scenario names are the caller's bytes: bounded here, resolved by the merge. */
static gboolean
check_scenarios (const char *const *scenarios, gboolean need_one, GError **error)
{
  guint n = g_strv_length ((char **) scenarios);

  if (need_one && n == 0)
    {
      g_set_error (error, G_DBUS_ERROR, G_DBUS_ERROR_INVALID_ARGS,
                   "TuneHost needs at least one scenario");
      return FALSE;
    }
  if (n > MAX_SCENARIOS)
    {
      g_set_error (error, G_DBUS_ERROR, G_DBUS_ERROR_INVALID_ARGS,
                   "at most %d scenarios may be listed", MAX_SCENARIOS);
      return FALSE;
    }
  for (guint i = 0; i < n; i++)
    if (*scenarios[i] == '\0' || strlen (scenarios[i]) > MAX_SCENARIO_NAME)
      {
        g_set_error (error, G_DBUS_ERROR, G_DBUS_ERROR_INVALID_ARGS,
                     "scenario names are 1 to %d bytes long", MAX_SCENARIO_NAME);
        return FALSE;
      }
  return TRUE;
}

static gboolean
parse_tune_options (HostJob *job, GVariant *options, GError **error)
{
  gboolean dry_run = FALSE, persistent = FALSE;
  const VtBoolOption known[] = {
    { "dry-run", &dry_run }, { "persistent", &persistent },
    { "interactive", &job->interactive }, { NULL, NULL },
  };

  if (!vt_options_parse_bools (options, "TuneHost", known, error))
    return FALSE;
  job->flags |= (dry_run ? VT_HOST_TUNE_DRY_RUN : 0) | (persistent ? VT_HOST_TUNE_PERSISTENT : 0);
  return TRUE;
}

/* Validates the call, then runs @op in a worker thread; takes a hold until host_done. */
static void
start_job (VtManager *manager, GDBusMethodInvocation *invocation, HostOp op,
           const char *const *scenarios, GVariant *options)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GTask) task = NULL;
  HostJob *job = g_new0 (HostJob, 1);

  job->manager = manager;
  job->daemon = manager->daemon;
  job->invocation = g_object_ref (invocation);
  job->op = op;
  job->scenarios = g_strdupv ((char **) scenarios);
  if ((scenarios && !check_scenarios (scenarios, op == HOST_TUNE, &error))
      || (options && !parse_tune_options (job, options, &error)))
    {
      vt_bus_return_error (invocation, error);
      host_job_free (job);
      return;
    }
  if (!vt_daemon_hold (manager->daemon))
    {
      g_dbus_method_invocation_return_error_literal (invocation, G_DBUS_ERROR,
                                                     G_DBUS_ERROR_NO_SERVER, "stopping");
      host_job_free (job);
      return;
    }
  task = g_task_new (NULL, NULL, host_done, NULL);
  g_task_set_task_data (task, job, (GDestroyNotify) host_job_free);
  g_task_run_in_thread (task, host_thread);
}

static gboolean
handle_check_host (VtDbusManager *skeleton, GDBusMethodInvocation *invocation,
                   const char *const *scenarios, VtManager *manager)
{
  start_job (manager, invocation, HOST_CHECK, scenarios, NULL);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_tune_host (VtDbusManager *skeleton, GDBusMethodInvocation *invocation,
                  const char *const *scenarios, GVariant *options, VtManager *manager)
{
  start_job (manager, invocation, HOST_TUNE, scenarios, options);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_revert_host (VtDbusManager *skeleton, GDBusMethodInvocation *invocation,
                    VtManager *manager)
{
  start_job (manager, invocation, HOST_REVERT, NULL, NULL);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

void
vt_front_host_register (VtManager *manager)
{
  VtDaemon *daemon = manager->daemon;
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) tuned = load_tuned (daemon, &error);
  const char *crash_hook = g_getenv (CRASH_HOOK_ENV);

  if (crash_hook != NULL)
    crash_after_writes = (guint) g_ascii_strtoull (crash_hook, NULL, 10);
  lock_hook_dir = g_getenv (LOCK_HOOK_ENV);
  /* What an earlier daemon tuned (even one that crashed) is still applied. */
  if (tuned != NULL)
    vt_dbus_manager_set_tuned_scenarios (manager->skeleton, (const char *const *) tuned);
  else
    g_warning ("%s", error->message);
  g_signal_connect (manager->skeleton, "handle-check-host", G_CALLBACK (handle_check_host),
                    manager);
  g_signal_connect (manager->skeleton, "handle-tune-host", G_CALLBACK (handle_tune_host),
                    manager);
  g_signal_connect (manager->skeleton, "handle-revert-host", G_CALLBACK (handle_revert_host),
                    manager);
}
