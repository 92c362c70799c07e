#include "bus/dispatch.h"

#include "bus/errors.h"

typedef struct {
  VtCall call;
  const VtMethod *method;
  GError *error;
} Dispatch;

static void
dispatch_free (Dispatch *d)
{
  if (d->method->free_job != NULL && d->call.job != NULL)
    d->method->free_job (d->call.job);
  g_object_unref (d->call.invocation);
  g_clear_error (&d->error);
  g_free (d);
}

/* Main loop: publish, reply, release. The release comes last, so a stopping daemon
 * quits only after the reply is queued. */
static void
finish (Dispatch *d)
{
  VtDaemon *daemon = d->call.manager->daemon;

  if (d->method->publish != NULL)
    d->method->publish (&d->call);
  if (d->error != NULL)
    vt_bus_return_error (d->call.invocation, d->error);
  else
    d->method->reply (&d->call);
  dispatch_free (d);
  vt_daemon_release (daemon);
}

static void
work_in_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  Dispatch *d = data;

  d->method->work (&d->call, &d->error);
  g_task_return_boolean (task, TRUE);
}

static void
thread_done (GObject *source, GAsyncResult *result, gpointer data)
{
  finish (data);
}

void
vt_dispatch (VtManager *manager, GDBusMethodInvocation *invocation, const VtMethod *method,
             gpointer job)
{
  Dispatch *d = g_new0 (Dispatch, 1);
  g_autoptr (GTask) task = NULL;

  d->call = (VtCall) { manager, g_object_ref (invocation), job };
  d->method = method;
  if (!vt_daemon_hold (manager->daemon))
    {
      /* A call GDBus had queued on the main loop before the stop began; what arrives
       * later is answered the same way by the connection's filter (daemon.c). */
      g_dbus_method_invocation_return_error_literal (invocation, G_DBUS_ERROR,
                                                     G_DBUS_ERROR_NO_SERVER,
                                                     VT_STOPPING_MESSAGE);
      dispatch_free (d);
      return;
    }
  if (!method->blocking)
    {
      method->work (&d->call, &d->error);
      finish (d);
      return;
    }
  task = g_task_new (NULL, NULL, thread_done, d);
  g_task_set_task_data (task, d, NULL);
  g_task_run_in_thread (task, work_in_thread);
}

