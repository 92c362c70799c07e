/* virtuned — RenderUpdate and UpgradeDomain (issue #12): upgrade on request. In a
 * worker thread: libvirt and polkit block. */
#include "bus/manager.h"

#include "bus/authz.h"
#include "bus/dispatch.h"
#include "bus/domain-args.h"
#include "bus/options.h"
#include "libvirt/update.h"

typedef struct {
  char *domain;
  GVariant *options;
  gboolean upgrade;      /* UpgradeDomain, not RenderUpdate */
  GPtrArray *changes;
  VtDomainHost host;     /* what the update was opened with: lives as long as it */
} UpdateJob;

static void
update_job_free (UpdateJob *job)
{
  g_free (job->domain);
  g_variant_unref (job->options);
  g_clear_pointer (&job->changes, g_ptr_array_unref);
  vt_bus_domain_host_clear (&job->host);
  g_free (job);
}

/* @method's options are @bools and "connection". */
static VtUpdate *
open_update (VtCall *call, const char *method, const VtBoolOption *bools, GError **error)
{
  UpdateJob *job = call->job;
  const char *connection = NULL;

  if (!vt_bus_check_domain (job->domain, error)
      || !vt_options_parse_connection (job->options, method, bools, &connection, error)
      || !vt_bus_domain_host (call->manager->daemon, method, connection, &job->host, error))
    return NULL;
  return vt_update_new (job->host.conn, &job->host.inputs, job->domain, error);
}

static gboolean
render_update (VtCall *call, GError **error)
{
  UpdateJob *job = call->job;
  g_autoptr (VtUpdate) update = open_update (call, "RenderUpdate", NULL, error);

  if (update == NULL)
    return FALSE;
  job->changes = vt_update_changes (update, error);
  return job->changes != NULL;
}

static gboolean
upgrade_domain (VtCall *call, GError **error)
{
  UpdateJob *job = call->job;
  gboolean backend_only = FALSE, interactive = FALSE;
  const VtBoolOption bools[] = { { "backend-only", &backend_only },
                                 { "interactive", &interactive }, { NULL, NULL } };
  g_autoptr (VtUpdate) update = NULL;
  const char *reason = NULL;
  VtAccessLevel level;

  update = open_update (call, "UpgradeDomain", bools, error);
  if (update == NULL)
    return FALSE;
  level = vt_update_access (update, &reason);
  if (!vt_authz_check_level (call->manager->daemon, call->invocation, level, reason,
                             interactive, error))
    return FALSE;
  job->changes = vt_update_apply (update, backend_only, error);
  return job->changes != NULL;
}

static void
reply_changes (VtCall *call)
{
  UpdateJob *job = call->job;
  GVariantBuilder rows;

  g_variant_builder_init (&rows, G_VARIANT_TYPE ("a(ssss)"));
  for (guint i = 0; i < job->changes->len; i++)
    {
      const VtChange *change = g_ptr_array_index (job->changes, i);

      g_variant_builder_add (&rows, "(ssss)",
                             change->klass == VT_CHANGE_GUEST ? "guest" : "backend",
                             change->key, change->current, change->rendered);
    }
  if (job->upgrade)
    g_message ("upgraded domain %s for %s: %u changes", job->domain,
               g_dbus_method_invocation_get_sender (call->invocation), job->changes->len);
  g_dbus_method_invocation_return_value (call->invocation,
                                         g_variant_new ("(a(ssss))", &rows));
}

static const VtMethod render_update_method = {
  .work = render_update, .reply = reply_changes,
  .free_job = (GDestroyNotify) update_job_free, .blocking = TRUE,
};
static const VtMethod upgrade_method = {
  .work = upgrade_domain, .reply = reply_changes,
  .free_job = (GDestroyNotify) update_job_free, .blocking = TRUE,
};

static void
dispatch (VtManager *manager, GDBusMethodInvocation *invocation, const VtMethod *method,
          const char *domain, GVariant *options)
{
  UpdateJob *job = g_new0 (UpdateJob, 1);

  job->domain = g_strdup (domain);
  job->options = g_variant_ref (options);
  job->upgrade = method == &upgrade_method;
  vt_dispatch (manager, invocation, method, job);
}

static gboolean
handle_render_update (VtDbusManager *skeleton, GDBusMethodInvocation *invocation,
                      const char *domain, GVariant *options, VtManager *manager)
{
  dispatch (manager, invocation, &render_update_method, domain, options);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_upgrade_domain (VtDbusManager *skeleton, GDBusMethodInvocation *invocation,
                       const char *domain, GVariant *options, VtManager *manager)
{
  dispatch (manager, invocation, &upgrade_method, domain, options);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

void
vt_front_update_register (VtManager *manager)
{
  g_signal_connect (manager->skeleton, "handle-render-update",
                    G_CALLBACK (handle_render_update), manager);
  g_signal_connect (manager->skeleton, "handle-upgrade-domain",
                    G_CALLBACK (handle_upgrade_domain), manager);
}
