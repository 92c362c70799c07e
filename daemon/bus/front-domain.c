/* virtuned — after Define (issue #12): DescribeDomain and ListDevices, read-only and
 * public like Render (they show what Define recorded and libvirt's device list, never a
 * secret: Define records no launch data). In a worker thread: libvirt may block. */
#include "bus/manager.h"

#include "bus/dispatch.h"
#include "bus/domain-args.h"
#include "bus/options.h"
#include "bus/target.h"
#include "libvirt/domains.h"

typedef struct {
  char *domain;
  GVariant *options;
  VtDomainRecord *record;       /* DescribeDomain's result */
  GPtrArray *devices;           /* ListDevices' result */
} DomainJob;

static void
domain_job_free (DomainJob *job)
{
  g_free (job->domain);
  g_variant_unref (job->options);
  vt_domain_record_free (job->record);
  g_clear_pointer (&job->devices, g_ptr_array_unref);
  g_free (job);
}

/* The connection of the host the call's options name (@bools: @method's own booleans),
 * once the domain name and the options passed; else NULL with the error. */
static VtConnection *
job_connection (VtCall *call, const char *method, const VtBoolOption *bools, GError **error)
{
  DomainJob *job = call->job;
  VtHypervisor *hv;

  if (!vt_bus_check_domain (job->domain, error))
    return NULL;
  hv = vt_bus_options_hypervisor (call->manager->daemon, job->options, method, bools, error);
  return hv != NULL ? vt_hypervisor_connection (hv) : NULL;
}

static gboolean
describe_domain (VtCall *call, GError **error)
{
  DomainJob *job = call->job;
  VtConnection *conn = job_connection (call, "DescribeDomain", NULL, error);

  if (conn == NULL)
    return FALSE;
  job->record = vt_libvirt_domain_record (conn, job->domain, error);
  return job->record != NULL;
}

static void
reply_described (VtCall *call)
{
  DomainJob *job = call->job;
  VtDomainRecord *record = job->record;

  g_ptr_array_add (record->scenarios, NULL);
  vt_dbus_manager_complete_describe_domain (call->manager->skeleton, call->invocation,
                                            record->description,
                                            (const char *const *) record->scenarios->pdata,
                                            record->version);
}

/* "live" absent means the running domain's devices when it runs, else its config. */
static VtDevicesView
devices_view (GVariant *options)
{
  int live = vt_bus_option_tristate (options, "live");

  if (live < 0)
    return VT_DEVICES_CURRENT;
  return live ? VT_DEVICES_LIVE : VT_DEVICES_CONFIG;
}

static gboolean
list_devices (VtCall *call, GError **error)
{
  DomainJob *job = call->job;
  gboolean live = FALSE;
  const VtBoolOption bools[] = { { "live", &live }, { NULL, NULL } };
  VtConnection *conn = job_connection (call, "ListDevices", bools, error);

  if (conn == NULL)
    return FALSE;
  job->devices = vt_libvirt_list_devices (conn, job->domain, devices_view (job->options),
                                          error);
  return job->devices != NULL;
}

static void
reply_devices (VtCall *call)
{
  DomainJob *job = call->job;
  GVariantBuilder rows;

  g_variant_builder_init (&rows, G_VARIANT_TYPE ("a(ssss)"));
  for (guint i = 0; i < job->devices->len; i++)
    {
      const VtDeviceRow *row = g_ptr_array_index (job->devices, i);

      g_variant_builder_add (&rows, "(ssss)", row->alias, row->kind, row->summary,
                             row->identity);
    }
  vt_dbus_manager_complete_list_devices (call->manager->skeleton, call->invocation,
                                         g_variant_builder_end (&rows));
}

static const VtMethod describe_method = {
  .work = describe_domain, .reply = reply_described,
  .free_job = (GDestroyNotify) domain_job_free, .blocking = TRUE,
};

static const VtMethod list_devices_method = {
  .work = list_devices, .reply = reply_devices,
  .free_job = (GDestroyNotify) domain_job_free, .blocking = TRUE,
};

static DomainJob *
domain_job_new (const char *domain, GVariant *options)
{
  DomainJob *job = g_new0 (DomainJob, 1);

  job->domain = g_strdup (domain);
  job->options = g_variant_ref (options);
  return job;
}

static gboolean
handle_describe_domain (VtDbusManager *skeleton, GDBusMethodInvocation *invocation,
                        const char *domain, GVariant *options, VtManager *manager)
{
  vt_dispatch (manager, invocation, &describe_method, domain_job_new (domain, options));
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_list_devices (VtDbusManager *skeleton, GDBusMethodInvocation *invocation,
                     const char *domain, GVariant *options, VtManager *manager)
{
  vt_dispatch (manager, invocation, &list_devices_method, domain_job_new (domain, options));
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

void
vt_front_domain_register (VtManager *manager)
{
  g_signal_connect (manager->skeleton, "handle-describe-domain",
                    G_CALLBACK (handle_describe_domain), manager);
  g_signal_connect (manager->skeleton, "handle-list-devices",
                    G_CALLBACK (handle_list_devices), manager);
}
