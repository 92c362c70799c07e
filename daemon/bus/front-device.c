/* virtuned — RenderDevice, AttachDevice, DetachDevice (issue #12), and the
 * DeviceRemoved signal. In a worker thread: libvirt and polkit block. Attach and detach
 * are authorized as Define: the fragment decides between define and
 * define-unrestricted; a detach removes only what a define granted. */
#include "bus/manager.h"

#include "bus/authz.h"
#include "bus/dispatch.h"
#include "bus/domain-args.h"
#include "bus/options.h"
#include "libvirt/device-events.h"
#include "libvirt/device.h"

typedef struct {
  char *domain;
  char *device;          /* the fragment, or the alias to detach */
  GVariant *options;
  char *xml;             /* RenderDevice */
  char *alias;           /* RenderDevice, AttachDevice */
  VtDetachState state;   /* DetachDevice */
  gboolean delete_storage;  /* DetachDevice: its option */
} DeviceJob;

static void
device_job_free (DeviceJob *job)
{
  g_free (job->domain);
  g_free (job->device);
  g_variant_unref (job->options);
  g_free (job->xml);
  g_free (job->alias);
  g_free (job);
}

/* The options of attach and detach: live, config, interactive, connection, and @extra
 * (detach's delete-storage) when not NULL. */
static gboolean
parse_scope (DeviceJob *job, const char *method, VtDeviceScope *scope, gboolean *interactive,
             const VtBoolOption *extra, const char **connection, GError **error)
{
  gboolean live = FALSE, config = FALSE;
  const VtBoolOption bools[] = { { "live", &live }, { "config", &config },
                                 { "interactive", interactive },
                                 extra != NULL ? *extra : (VtBoolOption) { NULL, NULL },
                                 { NULL, NULL } };

  if (!vt_options_parse_connection (job->options, method, bools, connection, error))
    return FALSE;
  scope->live = vt_bus_option_tristate (job->options, "live");
  scope->config = vt_bus_option_tristate (job->options, "config");
  return TRUE;
}

static gboolean
render_device (VtCall *call, GError **error)
{
  DeviceJob *job = call->job;
  g_auto (VtDomainHost) host = { 0 };
  const char *connection = NULL;
  g_autoptr (VtDeviceRequest) request = NULL;

  if (!vt_bus_check_domain (job->domain, error)
      || !vt_options_parse_connection (job->options, "RenderDevice", NULL, &connection, error)
      || !vt_bus_domain_host (call->manager->daemon, "RenderDevice", connection, &host, error))
    return FALSE;
  request = vt_device_request_new (host.conn, &host.inputs, job->domain, job->device, error);
  if (request == NULL)
    return FALSE;
  job->xml = vt_device_request_render (request, &job->alias, error);
  return job->xml != NULL;
}

static void
reply_rendered (VtCall *call)
{
  DeviceJob *job = call->job;

  vt_dbus_manager_complete_render_device (call->manager->skeleton, call->invocation, job->xml,
                                          job->alias);
}

static gboolean
attach_device (VtCall *call, GError **error)
{
  DeviceJob *job = call->job;
  g_auto (VtDomainHost) host = { 0 };
  VtDeviceScope scope;
  gboolean interactive = FALSE;
  const char *reason = NULL, *connection = NULL;
  VtAccessLevel level;
  g_autoptr (VtDeviceRequest) request = NULL;

  if (!vt_bus_check_domain (job->domain, error)
      || !parse_scope (job, "AttachDevice", &scope, &interactive, NULL, &connection, error)
      || !vt_bus_domain_host (call->manager->daemon, "AttachDevice", connection, &host, error))
    return FALSE;
  request = vt_device_request_new (host.conn, &host.inputs, job->domain, job->device, error);
  if (request == NULL)
    return FALSE;
  level = vt_device_request_access (request, &reason);
  if (!vt_authz_check_level (call->manager->daemon, call->invocation, level, reason,
                             interactive, error))
    return FALSE;
  job->alias = vt_device_request_attach (request, scope, error);
  return job->alias != NULL;
}

static void
reply_attached (VtCall *call)
{
  DeviceJob *job = call->job;

  g_message ("attached device %s to domain %s for %s", job->alias, job->domain,
             g_dbus_method_invocation_get_sender (call->invocation));
  vt_dbus_manager_complete_attach_device (call->manager->skeleton, call->invocation,
                                          job->alias);
}

static gboolean
detach_device (VtCall *call, GError **error)
{
  DeviceJob *job = call->job;
  g_auto (VtDomainHost) host = { 0 };
  VtDeviceScope scope;
  gboolean interactive = FALSE;
  const VtBoolOption delete_storage = { "delete-storage", &job->delete_storage };
  const char *connection = NULL;

  if (!vt_bus_check_domain (job->domain, error) || !vt_bus_check_alias (job->device, error)
      || !parse_scope (job, "DetachDevice", &scope, &interactive, &delete_storage, &connection,
                       error)
      || !vt_authz_check_level (call->manager->daemon, call->invocation, VT_ACCESS_RESTRICTED,
                                NULL, interactive, error)
      || !vt_bus_domain_host (call->manager->daemon, "DetachDevice", connection, &host, error))
    return FALSE;
  return vt_device_detach (host.conn, &host.inputs, job->domain, job->device, scope,
                           job->delete_storage, &job->state, error);
}

static void
reply_detached (VtCall *call)
{
  DeviceJob *job = call->job;
  const char *state = job->state == VT_DETACH_REMOVED ? "removed" : "pending";

  g_message ("detached device %s of domain %s for %s: %s%s", job->device, job->domain,
             g_dbus_method_invocation_get_sender (call->invocation), state,
             !job->delete_storage ? "" : job->state == VT_DETACH_REMOVED
                                         ? ", its volume deleted" : ", its volume kept");
  vt_dbus_manager_complete_detach_device (call->manager->skeleton, call->invocation, state);
}

static const VtMethod render_method = {
  .work = render_device, .reply = reply_rendered,
  .free_job = (GDestroyNotify) device_job_free, .blocking = TRUE,
};
static const VtMethod attach_method = {
  .work = attach_device, .reply = reply_attached,
  .free_job = (GDestroyNotify) device_job_free, .blocking = TRUE,
};
static const VtMethod detach_method = {
  .work = detach_device, .reply = reply_detached,
  .free_job = (GDestroyNotify) device_job_free, .blocking = TRUE,
};

static void
dispatch (VtManager *manager, GDBusMethodInvocation *invocation, const VtMethod *method,
          const char *domain, const char *device, GVariant *options)
{
  DeviceJob *job = g_new0 (DeviceJob, 1);

  job->domain = g_strdup (domain);
  job->device = g_strdup (device);
  job->options = g_variant_ref (options);
  vt_dispatch (manager, invocation, method, job);
}

static gboolean
handle_render_device (VtDbusManager *skeleton, GDBusMethodInvocation *invocation,
                      const char *domain, const char *device, GVariant *options,
                      VtManager *manager)
{
  dispatch (manager, invocation, &render_method, domain, device, options);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_attach_device (VtDbusManager *skeleton, GDBusMethodInvocation *invocation,
                      const char *domain, const char *device, GVariant *options,
                      VtManager *manager)
{
  dispatch (manager, invocation, &attach_method, domain, device, options);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_detach_device (VtDbusManager *skeleton, GDBusMethodInvocation *invocation,
                      const char *domain, const char *alias, GVariant *options,
                      VtManager *manager)
{
  dispatch (manager, invocation, &detach_method, domain, alias, options);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

/* One host's device-removed events, signalled with the host's name. */
typedef struct {
  VtManager *manager;
  const char *connection;       /* the host's name: the host outlives the manager */
  VtDeviceEvents *events;
} DeviceWatch;

static void
device_watch_free (DeviceWatch *watch)
{
  vt_device_events_free (watch->events);
  g_free (watch);
}

/* Main loop (libvirt's events run there). */
static void
emit_device_removed (const char *domain, const char *alias, gpointer data)
{
  DeviceWatch *watch = data;

  g_message ("domain %s on connection %s released device %s", domain, watch->connection,
             alias);
  vt_dbus_manager_emit_device_removed (watch->manager->skeleton, domain, alias,
                                       watch->connection);
}

/* Every host's events, from when its connection opens (at start for the default host,
 * at first use for the others). */
static GPtrArray *
watch_every_host (VtManager *manager)
{
  VtHypervisors *hosts = manager->daemon->hypervisors;
  GPtrArray *watches = g_ptr_array_new_with_free_func ((GDestroyNotify) device_watch_free);

  for (guint i = 0; i < vt_hypervisors_count (hosts); i++)
    {
      VtHypervisor *hv = vt_hypervisors_nth (hosts, i);
      DeviceWatch *watch = g_new0 (DeviceWatch, 1);

      watch->manager = manager;
      watch->connection = vt_hypervisor_name (hv);
      watch->events = vt_device_events_new (vt_hypervisor_connection (hv), emit_device_removed,
                                            watch);
      g_ptr_array_add (watches, watch);
    }
  return watches;
}

void
vt_front_device_register (VtManager *manager)
{
  manager->device_watches = watch_every_host (manager);
  g_signal_connect (manager->skeleton, "handle-render-device",
                    G_CALLBACK (handle_render_device), manager);
  g_signal_connect (manager->skeleton, "handle-attach-device",
                    G_CALLBACK (handle_attach_device), manager);
  g_signal_connect (manager->skeleton, "handle-detach-device",
                    G_CALLBACK (handle_detach_device), manager);
}
