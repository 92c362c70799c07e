/* virtuned — CheckHost, TuneHost, RevertHost (SPEC §5, §7): the bus side of the host
 * tuner. It checks the call's arguments, authorizes the calls that change the host, runs
 * one tuner call in a worker thread (polkit may wait for the user, and the tuner blocks
 * on the host lock and on kernel writes), and from the main loop replies, sets
 * TunedScenarios and emits HostChanged. */
#include "daemon.h"

#include <string.h>

#include "bus/authz.h"
#include "bus/options.h"
#include "host/tuner.h"
#include "util/error.h"

#define MAX_SCENARIOS 32
#define MAX_SCENARIO_NAME 64

/* The daemon's one tuner, created at registration. It belongs in VtDaemon, next to the
 * policies it borrows; until main.c holds it, this front owns it. */
static VtHostTuner *host_tuner;

typedef enum { HOST_CHECK, HOST_TUNE, HOST_REVERT } HostOp;

typedef struct {
  VtDaemon *daemon;
  GDBusMethodInvocation *invocation;
  HostOp op;
  GStrv scenarios;
  VtHostTuneFlags flags;
  gboolean interactive;
  GPtrArray *rows;          /* VtHostRow*: CheckHost */
  GPtrArray *changes;       /* VtHostChange*: TuneHost/RevertHost, also on partial failure */
  GStrv tuned;              /* the state's scenarios afterwards; NULL: unknown */
} HostJob;

static void
host_job_free (HostJob *job)
{
  g_object_unref (job->invocation);
  g_strfreev (job->scenarios);
  g_clear_pointer (&job->rows, g_ptr_array_unref);
  g_clear_pointer (&job->changes, g_ptr_array_unref);
  g_strfreev (job->tuned);
  g_free (job);
}

static gboolean
job_mutates (const HostJob *job)
{
  return job->op == HOST_REVERT
         || (job->op == HOST_TUNE && !(job->flags & VT_HOST_TUNE_DRY_RUN));
}

/* The worker body: one tuner call. */
static gboolean
run_job (HostJob *job, GError **error)
{
  const char *const *scenarios = (const char *const *) job->scenarios;

  switch (job->op)
    {
    case HOST_CHECK:
      job->rows = vt_host_tuner_check (host_tuner, scenarios, error);
      return job->rows != NULL;
    case HOST_TUNE:
      return vt_host_tuner_tune (host_tuner, scenarios, job->flags, &job->changes, &job->tuned,
                                 error);
    case HOST_REVERT:
    default:
      return vt_host_tuner_revert (host_tuner, &job->changes, &job->tuned, error);
    }
}

static void
host_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  HostJob *job = data;
  GError *error = NULL;

  /* A dry run shows what CheckHost shows, so like CheckHost it needs no privilege. */
  if (job_mutates (job) && !vt_authz_check (job->daemon, job->invocation, VT_ACTION_TUNE_HOST,
                                            job->interactive, &error))
    g_task_return_error (task, error);
  else if (run_job (job, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static GVariant *
rows_variant (GPtrArray *rows)
{
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a(sssb)"));
  for (guint i = 0; i < rows->len; i++)
    {
      const VtHostRow *row = g_ptr_array_index (rows, i);
      g_autofree char *wanted = vt_host_row_wanted_text (row);
      g_autofree char *current = g_utf8_make_valid (row->current, -1);
      g_autofree char *wanted_utf8 = g_utf8_make_valid (wanted, -1);

      g_variant_builder_add (&builder, "(sssb)", row->setting, current, wanted_utf8, row->ok);
    }
  return g_variant_builder_end (&builder);
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

static void
publish_changes (HostJob *job)
{
  VtDaemon *daemon = job->daemon;

  if (!job_mutates (job))
    return;
  if (job->tuned != NULL)
    vt_dbus_manager_set_tuned_scenarios (daemon->skeleton, (const char *const *) job->tuned);
  if (job->changes != NULL && job->changes->len > 0)
    {
      g_message ("%s by %s: %u host setting(s) changed",
                 job->op == HOST_TUNE ? "TuneHost" : "RevertHost",
                 g_dbus_method_invocation_get_sender (job->invocation), job->changes->len);
      vt_dbus_manager_emit_host_changed (daemon->skeleton, changes_variant (job->changes));
    }
}

/* The reply, from the main loop: property and signal first, because a partial failure
 * still changed the host. */
static void
reply_job (HostJob *job, const GError *error)
{
  VtDbusManager *skeleton = job->daemon->skeleton;

  publish_changes (job);
  if (error != NULL)
    vt_daemon_return_error (job->invocation, error);
  else if (job->op == HOST_CHECK)
    vt_dbus_manager_complete_check_host (skeleton, job->invocation, rows_variant (job->rows));
  else if (job->op == HOST_TUNE)
    vt_dbus_manager_complete_tune_host (skeleton, job->invocation,
                                        changes_variant (job->changes));
  else
    vt_dbus_manager_complete_revert_host (skeleton, job->invocation,
                                          changes_variant (job->changes));
}

static void
host_done (GObject *source, GAsyncResult *res, gpointer data)
{
  HostJob *job = g_task_get_task_data (G_TASK (res));
  VtDaemon *daemon = job->daemon;
  g_autoptr (GError) error = NULL;

  g_task_propagate_boolean (G_TASK (res), &error);
  reply_job (job, error);
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

/* The job of a call whose arguments are valid, else NULL with the error to reply. */
static HostJob *
parse_job (VtDaemon *daemon, GDBusMethodInvocation *invocation, HostOp op,
           const char *const *scenarios, GVariant *options, GError **error)
{
  HostJob *job = g_new0 (HostJob, 1);

  job->daemon = daemon;
  job->invocation = g_object_ref (invocation);
  job->op = op;
  job->scenarios = g_strdupv ((char **) scenarios);
  if ((scenarios && !check_scenarios (scenarios, op == HOST_TUNE, error))
      || (options && !parse_tune_options (job, options, error)))
    {
      host_job_free (job);
      return NULL;
    }
  return job;
}

/* Runs a valid call in a worker thread; takes a hold until host_done. */
static void
start_job (VtDaemon *daemon, GDBusMethodInvocation *invocation, HostOp op,
           const char *const *scenarios, GVariant *options)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GTask) task = NULL;
  HostJob *job = parse_job (daemon, invocation, op, scenarios, options, &error);

  if (job == NULL)
    {
      vt_daemon_return_error (invocation, error);
      return;
    }
  vt_daemon_hold (daemon);
  task = g_task_new (NULL, NULL, host_done, NULL);
  g_task_set_task_data (task, job, (GDestroyNotify) host_job_free);
  g_task_run_in_thread (task, host_thread);
}

static gboolean
handle_check_host (VtDbusManager *skeleton, GDBusMethodInvocation *invocation,
                   const char *const *scenarios, VtDaemon *daemon)
{
  start_job (daemon, invocation, HOST_CHECK, scenarios, NULL);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_tune_host (VtDbusManager *skeleton, GDBusMethodInvocation *invocation,
                  const char *const *scenarios, GVariant *options, VtDaemon *daemon)
{
  start_job (daemon, invocation, HOST_TUNE, scenarios, options);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_revert_host (VtDbusManager *skeleton, GDBusMethodInvocation *invocation,
                    VtDaemon *daemon)
{
  start_job (daemon, invocation, HOST_REVERT, NULL, NULL);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

void
vt_front_host_register (VtDaemon *daemon)
{
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) tuned = NULL;

  host_tuner = vt_host_tuner_new (daemon->policies, daemon->config->sysroot,
                                  daemon->config->state_dir);
  /* What an earlier daemon tuned (even one that crashed) is still applied. */
  tuned = vt_host_tuner_tuned_scenarios (host_tuner, &error);
  if (tuned != NULL)
    vt_dbus_manager_set_tuned_scenarios (daemon->skeleton, (const char *const *) tuned);
  else
    g_warning ("%s", error->message);
  g_signal_connect (daemon->skeleton, "handle-check-host", G_CALLBACK (handle_check_host),
                    daemon);
  g_signal_connect (daemon->skeleton, "handle-tune-host", G_CALLBACK (handle_tune_host),
                    daemon);
  g_signal_connect (daemon->skeleton, "handle-revert-host", G_CALLBACK (handle_revert_host),
                    daemon);
}
