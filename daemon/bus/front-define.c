/* virtuned — Define (SPEC §5, §9): parse and plan on the main loop (fast, pure), then
 * the libvirt work and authorization in a worker thread, because both block (polkit
 * may wait for the user to authenticate, libvirt may preallocate a large volume).
 *
 * The polkit action depends on what the existing disks are (an encrypted volume needs
 * define-unrestricted), so the worker resolves them first, read-only, then authorizes,
 * then defines with that same resolution. A lookup failure is reported only after
 * authorization succeeded: a refused caller learns nothing from libvirt. */
#include "daemon.h"

#include <string.h>

#include "bus/authz.h"
#include "bus/options.h"
#include "domain/render.h"
#include "libvirt/access.h"
#include "libvirt/define.h"
#include "util/error.h"

typedef struct {
  VtDaemon *daemon;
  GDBusMethodInvocation *invocation;
  VtResolved *plan;
  gboolean interactive;
} VtDefineJob;

static void
define_job_free (VtDefineJob *job)
{
  g_object_unref (job->invocation);
  vt_resolved_free (job->plan);
  g_free (job);
}

/* Asks polkit for the action @disks make necessary (NULL: the description alone). */
static gboolean
authorize (VtDefineJob *job, const VtDiskResolution *disks, GError **error)
{
  g_autoptr (GError) local_error = NULL;
  g_autofree char *reason = NULL;
  const char *action_id = vt_access_define_action (job->plan->desc, job->daemon->config,
                                                   disks, &reason);

  if (vt_authz_check (job->daemon, job->invocation, action_id, job->interactive,
                      &local_error))
    return TRUE;
  if (reason != NULL)
    g_set_error (error, local_error->domain, local_error->code, "%s (needed because %s)",
                 local_error->message, reason);
  else
    g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

static VtDefineResult *
resolve_authorize_define (VtDefineJob *job, GError **error)
{
  g_autoptr (GError) lookup_error = NULL;
  g_autoptr (VtDiskResolution) disks = NULL;
  virConnectPtr conn = vt_connection_get (job->daemon->conn, &lookup_error);
  VtDefineResult *result = NULL;

  if (conn != NULL)
    disks = vt_define_resolve_disks (job->plan, conn, &lookup_error);
  if (authorize (job, disks, error))
    {
      if (lookup_error != NULL)
        g_propagate_error (error, g_steal_pointer (&lookup_error));
      else
        result = vt_define (job->plan, disks, job->daemon->domcaps, conn, error);
    }
  if (conn != NULL)
    virConnectClose (conn);
  return result;
}

static void
define_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  GError *error = NULL;
  VtDefineResult *result = resolve_authorize_define (data, &error);

  if (result == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, result, (GDestroyNotify) vt_define_result_free);
}

static void
define_done (GObject *source, GAsyncResult *res, gpointer data)
{
  VtDaemon *daemon = data;
  VtDefineJob *job = g_task_get_task_data (G_TASK (res));
  g_autoptr (GError) error = NULL;
  g_autoptr (VtDefineResult) result = g_task_propagate_pointer (G_TASK (res), &error);

  if (result == NULL)
    {
      vt_daemon_return_error (job->invocation, error);
      vt_daemon_release (daemon);
      return;
    }
  for (guint i = 0; i < result->notes->len; i++)
    g_message ("Define %s: %s", result->name, (const char *) g_ptr_array_index (result->notes, i));
  g_message ("defined domain %s (%s) for %s", result->name, result->uuid,
             g_dbus_method_invocation_get_sender (job->invocation));
  vt_dbus_manager_complete_define (daemon->skeleton, job->invocation, result->name,
                                   result->uuid, result->xml);
  vt_dbus_manager_emit_domain_defined (daemon->skeleton, result->name, result->uuid);
  vt_daemon_release (daemon);
}

static gboolean
start_define (VtDaemon *daemon, GDBusMethodInvocation *invocation, const char *description,
              GVariant *options, GError **error)
{
  g_autoptr (GTask) task = NULL;
  VtDefineJob *job;
  VtResolved *plan;
  gboolean interactive = FALSE;
  /* "interactive" lets polkit ask the caller to authenticate (vscenctl on a terminal). */
  const VtBoolOption known[] = { { "interactive", &interactive }, { NULL, NULL } };

  if (!vt_options_parse_bools (options, "Define", known, error))
    return FALSE;
  plan = vt_resolve (daemon->policies, daemon->domcaps, description, strlen (description),
                      error);
  if (plan == NULL)
    return FALSE;
  job = g_new0 (VtDefineJob, 1);
  job->daemon = daemon;
  job->invocation = g_object_ref (invocation);
  job->plan = plan;
  job->interactive = interactive;
  task = g_task_new (NULL, NULL, define_done, daemon);
  g_task_set_task_data (task, job, (GDestroyNotify) define_job_free);
  g_task_run_in_thread (task, define_thread);
  return TRUE;
}

static gboolean
handle_define (VtDbusManager *skeleton, GDBusMethodInvocation *invocation,
               const char *description, GVariant *options, VtDaemon *daemon)
{
  g_autoptr (GError) error = NULL;

  vt_daemon_hold (daemon);
  if (!start_define (daemon, invocation, description, options, &error))
    {
      vt_daemon_return_error (invocation, error);
      vt_daemon_release (daemon);
    }
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

void
vt_front_define_register (VtDaemon *daemon)
{
  g_signal_connect (daemon->skeleton, "handle-define", G_CALLBACK (handle_define), daemon);
}
