/* virtuned — CheckHost, TuneHost, RevertHost (SPEC §5, §7): the bus side of the host
 * tuner. It checks the call's arguments, authorizes the calls that change the host, runs
 * one tuner call in a worker thread (polkit may wait for the user, and the tuner blocks
 * on the host lock and on kernel writes), and from the main loop sets TunedScenarios,
 * emits HostChanged and replies. */
#include "bus/manager.h"

#include <string.h>

#include "bus/authz.h"
#include "bus/dispatch.h"
#include "bus/errors.h"
#include "bus/options.h"
#include "bus/target.h"
#include "host/tuner.h"
#include "model/limits.h"
#include "util/error.h"

typedef enum { HOST_CHECK, HOST_TUNE, HOST_REVERT } HostOp;

typedef struct {
  HostOp op;
  GStrv scenarios;
  VtHostTuneFlags flags;
  gboolean interactive;
  char *connection;         /* the "connection" option, NULL: the default */
  GPtrArray *rows;          /* VtHostRow*: CheckHost */
  GPtrArray *changes;       /* VtHostChange*: TuneHost/RevertHost, also on partial failure */
  GStrv tuned;              /* the state's scenarios afterwards; NULL: unknown */
} HostJob;

static void
host_job_free (HostJob *job)
{
  g_strfreev (job->scenarios);
  g_free (job->connection);
  g_clear_pointer (&job->rows, g_ptr_array_unref);
  g_clear_pointer (&job->changes, g_ptr_array_unref);
  g_strfreev (job->tuned);
  g_free (job);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HostJob, host_job_free)

static const char *
job_method (const HostJob *job)
{
  return job->op == HOST_CHECK ? "CheckHost" : job->op == HOST_TUNE ? "TuneHost" : "RevertHost";
}

static gboolean
job_mutates (const HostJob *job)
{
  return job->op == HOST_REVERT
         || (job->op == HOST_TUNE && !(job->flags & VT_HOST_TUNE_DRY_RUN));
}

/* Host tuning reads and writes this machine's files: a CheckHost, TuneHost or RevertHost
 * for a host behind a remote URI would check or tune the wrong machine, so it is
 * refused, saying why. */
static gboolean
check_local (VtDaemon *daemon, const char *method, const char *connection, GError **error)
{
  VtHypervisor *hv = vt_bus_hypervisor (daemon, method, connection, error);

  if (hv == NULL)
    return FALSE;
  if (vt_hypervisor_is_local (hv))
    return TRUE;
  g_set_error (error, VT_ERROR, VT_ERROR_UNSUPPORTED,
               "connection '%s' (%s) is another host; host tuning checks and changes only the "
               "machine virtuned runs on: run virtuned there, or call without the connection "
               "option",
               vt_hypervisor_name (hv), vt_hypervisor_config (hv)->uri);
  return FALSE;
}

/* The worker: authorization, then one tuner call. */
static gboolean
run_job (VtCall *call, GError **error)
{
  HostJob *job = call->job;
  VtDaemon *daemon = call->manager->daemon;
  const char *const *scenarios = (const char *const *) job->scenarios;

  if (job->connection != NULL
      && !check_local (daemon, job_method (job), job->connection, error))
    return FALSE;

  /* A dry run shows what CheckHost shows, so like CheckHost it needs no privilege. */
  if (job_mutates (job) && !vt_authz_check (daemon, call->invocation, VT_ACTION_TUNE_HOST,
                                            job->interactive, error))
    return FALSE;
  switch (job->op)
    {
    case HOST_CHECK:
      job->rows = vt_host_tuner_check (daemon->tuner, scenarios, error);
      return job->rows != NULL;
    case HOST_TUNE:
      return vt_host_tuner_tune (daemon->tuner, scenarios, job->flags, &job->changes,
                                 &job->tuned, error);
    case HOST_REVERT:
    default:
      return vt_host_tuner_revert (daemon->tuner, &job->changes, &job->tuned, error);
    }
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

/* Before the reply and also after a failure: a partial failure still changed the host. */
static void
publish_changes (VtCall *call)
{
  HostJob *job = call->job;
  VtDbusManager *skeleton = call->manager->skeleton;

  if (!job_mutates (job))
    return;
  if (job->tuned != NULL)
    vt_dbus_manager_set_tuned_scenarios (skeleton, (const char *const *) job->tuned);
  if (job->changes != NULL && job->changes->len > 0)
    {
      g_message ("%s by %s: %u host setting(s) changed",
                 job->op == HOST_TUNE ? "TuneHost" : "RevertHost",
                 g_dbus_method_invocation_get_sender (call->invocation), job->changes->len);
      vt_dbus_manager_emit_host_changed (skeleton, changes_variant (job->changes));
    }
}

static void
reply_job (VtCall *call)
{
  HostJob *job = call->job;
  VtDbusManager *skeleton = call->manager->skeleton;

  if (job->op == HOST_CHECK)
    vt_dbus_manager_complete_check_host (skeleton, call->invocation, rows_variant (job->rows));
  else if (job->op == HOST_TUNE)
    vt_dbus_manager_complete_tune_host (skeleton, call->invocation,
                                        changes_variant (job->changes));
  else
    vt_dbus_manager_complete_revert_host (skeleton, call->invocation,
                                          changes_variant (job->changes));
}

static const VtMethod host_method = {
  .work = run_job, .publish = publish_changes, .reply = reply_job,
  .free_job = (GDestroyNotify) host_job_free, .blocking = TRUE,
};

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
  if (n > VT_MAX_SCENARIOS)
    {
      g_set_error (error, G_DBUS_ERROR, G_DBUS_ERROR_INVALID_ARGS,
                   "at most %d scenarios may be listed", VT_MAX_SCENARIOS);
      return FALSE;
    }
  for (guint i = 0; i < n; i++)
    if (*scenarios[i] == '\0' || strlen (scenarios[i]) > VT_SCENARIO_NAME_MAX)
      {
        g_set_error (error, G_DBUS_ERROR, G_DBUS_ERROR_INVALID_ARGS,
                     "scenario names are 1 to %d bytes long", VT_SCENARIO_NAME_MAX);
        return FALSE;
      }
  return TRUE;
}

/* Every method takes "connection"; TuneHost also its booleans. */
static gboolean
parse_options (HostJob *job, GVariant *options, GError **error)
{
  gboolean dry_run = FALSE, persistent = FALSE;
  const char *connection = NULL;
  const VtBoolOption tune[] = {
    { "dry-run", &dry_run }, { "persistent", &persistent },
    { "interactive", &job->interactive }, { NULL, NULL },
  };

  if (!vt_options_parse_connection (options, job_method (job),
                                    job->op == HOST_TUNE ? tune : NULL, &connection, error))
    return FALSE;
  job->connection = g_strdup (connection);
  job->flags |= (dry_run ? VT_HOST_TUNE_DRY_RUN : 0) | (persistent ? VT_HOST_TUNE_PERSISTENT : 0);
  return TRUE;
}

/* The job of a call whose arguments are valid, else NULL with the error to reply. */
static HostJob *
parse_job (HostOp op, const char *const *scenarios, GVariant *options, GError **error)
{
  g_autoptr (HostJob) job = g_new0 (HostJob, 1);

  job->op = op;
  job->scenarios = g_strdupv ((char **) scenarios);
  if ((scenarios && !check_scenarios (scenarios, op == HOST_TUNE, error))
      || !parse_options (job, options, error))
    return NULL;
  return g_steal_pointer (&job);
}

static void
start_job (VtManager *manager, GDBusMethodInvocation *invocation, HostOp op,
           const char *const *scenarios, GVariant *options)
{
  g_autoptr (GError) error = NULL;
  HostJob *job = parse_job (op, scenarios, options, &error);

  if (job == NULL)
    vt_bus_return_error (invocation, error);
  else
    vt_dispatch (manager, invocation, &host_method, job);
}

static gboolean
handle_check_host (VtDbusManager *skeleton, GDBusMethodInvocation *invocation,
                   const char *const *scenarios, GVariant *options, VtManager *manager)
{
  start_job (manager, invocation, HOST_CHECK, scenarios, options);
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
                    GVariant *options, VtManager *manager)
{
  start_job (manager, invocation, HOST_REVERT, NULL, options);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

void
vt_front_host_register (VtManager *manager)
{
  g_autoptr (GError) error = NULL;
  /* What an earlier daemon tuned (even one that crashed) is still applied. */
  g_auto (GStrv) tuned = vt_host_tuner_tuned_scenarios (manager->daemon->tuner, &error);

  if (tuned != NULL)
    vt_dbus_manager_set_tuned_scenarios (manager->skeleton, (const char *const *) tuned);
  else
    g_warning ("%s", error->message);
  g_signal_connect (manager->skeleton, "handle-check-host", G_CALLBACK (handle_check_host),
                    manager);
  g_signal_connect (manager->skeleton, "handle-tune-host", G_CALLBACK (handle_tune_host),
                    manager);
  g_signal_connect (manager->skeleton, "handle-revert-host",
                    G_CALLBACK (handle_revert_host), manager);
}
