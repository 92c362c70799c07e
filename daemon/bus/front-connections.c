/* virtuned — the libvirt hosts (issue 13): ListConnections, Plan, and the
 * ConnectionChanged signal. Both methods ask every host they name in parallel, in a
 * worker thread: a host behind the network may take its time, and the main loop keeps
 * serving everyone else meanwhile. Neither needs authorization: they change nothing,
 * and say of each host only what Render and GetSevInfo already show for the default. */
#include "bus/manager.h"

#include <string.h>

#include "bus/dispatch.h"
#include "bus/target.h"
#include "libvirt/host-summary.h"
#include "libvirt/placement.h"
#include "model/limits.h"
#include "util/echo.h"

/* --- ListConnections ------------------------------------------------------------------ */

typedef struct {
  GPtrArray *summaries;     /* VtHostSummary* */
  GPtrArray *hosts;         /* VtHypervisor* (borrowed): Plan's selection */
  char *description;        /* Plan's argument, a copy */
  GVariant *options;
  GPtrArray *placements;    /* VtPlacement* */
} HostsJob;

static void
hosts_job_free (HostsJob *job)
{
  g_clear_pointer (&job->summaries, g_ptr_array_unref);
  g_clear_pointer (&job->hosts, g_ptr_array_unref);
  g_free (job->description);
  g_clear_pointer (&job->options, g_variant_unref);
  g_clear_pointer (&job->placements, g_ptr_array_unref);
  g_free (job);
}

static GPtrArray *
all_hosts (VtDaemon *daemon)
{
  GPtrArray *hosts = g_ptr_array_new ();

  for (guint i = 0; i < vt_hypervisors_count (daemon->hypervisors); i++)
    g_ptr_array_add (hosts, vt_hypervisors_nth (daemon->hypervisors, i));
  return hosts;
}

static gpointer
summary_job (VtHypervisor *hv, gpointer unused)
{
  return vt_host_summary_get (hv);
}

static gboolean
list_connections (VtCall *call, GError **error)
{
  HostsJob *job = call->job;
  g_autoptr (GPtrArray) hosts = all_hosts (call->manager->daemon);

  job->summaries = vt_hypervisors_run (hosts, summary_job, NULL,
                                       (GDestroyNotify) vt_host_summary_free);
  return TRUE;
}

static void
reply_connections (VtCall *call)
{
  HostsJob *job = call->job;
  GVariantBuilder rows;

  g_variant_builder_init (&rows, G_VARIANT_TYPE ("a(ssbssstb)"));
  for (guint i = 0; i < job->summaries->len; i++)
    {
      const VtHostSummary *s = g_ptr_array_index (job->summaries, i);
      /* What libvirt reports is the host's text: valid UTF-8 before it is a string. */
      g_autofree char *hypervisor = g_utf8_make_valid (s->hypervisor, -1);
      g_autofree char *model = g_utf8_make_valid (s->cpu_model, -1);

      g_variant_builder_add (&rows, "(ssbssstb)", s->name, s->uri, s->reachable, hypervisor,
                             s->libvirt_version, model, s->memory_kib, s->sev);
    }
  vt_dbus_manager_complete_list_connections (call->manager->skeleton, call->invocation,
                                             g_variant_builder_end (&rows));
}

static const VtMethod list_connections_method = {
  .work = list_connections, .reply = reply_connections,
  .free_job = (GDestroyNotify) hosts_job_free, .blocking = TRUE,
};

static gboolean
handle_list_connections (VtDbusManager *skeleton, GDBusMethodInvocation *invocation,
                         VtManager *manager)
{
  vt_dispatch (manager, invocation, &list_connections_method, g_new0 (HostsJob, 1));
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

/* --- Plan ----------------------------------------------------------------------------- */

static gboolean
invalid_connections (GError **error, const char *problem)
{
  g_set_error (error, G_DBUS_ERROR, G_DBUS_ERROR_INVALID_ARGS,
               "Plan option 'connections' %s (Plan takes connections: a list of 1 to %d "
               "connection names)", problem, VT_PLAN_MAX_CONNECTIONS);
  return FALSE;
}

/* Plan takes one option; any other is refused, naming it. */
static gboolean
check_plan_options (GVariant *options, GError **error)
{
  GVariantIter iter;
  const char *key;
  GVariant *value;

  g_variant_iter_init (&iter, options);
  while (g_variant_iter_loop (&iter, "{&sv}", &key, &value))
    if (!g_str_equal (key, "connections"))
      {
        g_autofree char *shown = vt_echo (key);

        g_set_error (error, G_DBUS_ERROR, G_DBUS_ERROR_INVALID_ARGS,
                     "Plan option '%s' is unknown (Plan takes connections: a list of "
                     "connection names)", shown);
        g_variant_unref (value);
        return FALSE;
      }
  return TRUE;
}

/* The hosts the option "connections" (as) names, each once, else every host. */
static gboolean
select_hosts (HostsJob *job, VtDaemon *daemon, GError **error)
{
  g_autoptr (GVariant) names = NULL;

  if (!check_plan_options (job->options, error))
    return FALSE;
  names = g_variant_lookup_value (job->options, "connections", NULL);
  if (names == NULL)
    {
      job->hosts = all_hosts (daemon);
      return TRUE;
    }
  if (!g_variant_is_of_type (names, G_VARIANT_TYPE_STRING_ARRAY))
    return invalid_connections (error, "must be a list of strings");
  if (g_variant_n_children (names) == 0 || g_variant_n_children (names) > VT_PLAN_MAX_CONNECTIONS)
    return invalid_connections (error, "names none or too many");
  job->hosts = g_ptr_array_new ();
  for (gsize i = 0; i < g_variant_n_children (names); i++)
    {
      const char *name = NULL;
      VtHypervisor *hv;

      g_variant_get_child (names, i, "&s", &name);
      if (!(hv = vt_bus_hypervisor (daemon, "Plan", name, error)))
        return FALSE;
      if (!g_ptr_array_find (job->hosts, hv, NULL))
        g_ptr_array_add (job->hosts, hv);
    }
  return TRUE;
}

static gboolean
plan (VtCall *call, GError **error)
{
  HostsJob *job = call->job;
  VtDaemon *daemon = call->manager->daemon;
  VtPlanRequest request = {
    .policies = daemon->policies, .oses = daemon->oses,
    .description = job->description, .len = strlen (job->description),
  };

  if (!select_hosts (job, daemon, error))
    return FALSE;
  job->placements = vt_plan (job->hosts, &request, error);
  return job->placements != NULL;
}

static GVariant *
strings_variant (GPtrArray *strings)
{
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE_STRING_ARRAY);
  for (guint i = 0; i < strings->len; i++)
    {
      g_autofree char *text = g_utf8_make_valid (g_ptr_array_index (strings, i), -1);

      g_variant_builder_add (&builder, "s", text);
    }
  return g_variant_builder_end (&builder);
}

static void
reply_plan (VtCall *call)
{
  HostsJob *job = call->job;
  GVariantBuilder rows;

  g_variant_builder_init (&rows, G_VARIANT_TYPE ("a(sbasas)"));
  for (guint i = 0; i < job->placements->len; i++)
    {
      const VtPlacement *p = g_ptr_array_index (job->placements, i);

      g_variant_builder_add (&rows, "(sb@as@as)", p->name, p->fits,
                             strings_variant (p->reasons), strings_variant (p->warnings));
    }
  vt_dbus_manager_complete_plan (call->manager->skeleton, call->invocation,
                                 g_variant_builder_end (&rows));
}

static const VtMethod plan_method = {
  .work = plan, .reply = reply_plan, .free_job = (GDestroyNotify) hosts_job_free,
  .blocking = TRUE,
};

static gboolean
handle_plan (VtDbusManager *skeleton, GDBusMethodInvocation *invocation,
             const char *description, GVariant *options, VtManager *manager)
{
  HostsJob *job = g_new0 (HostsJob, 1);

  job->description = g_strdup (description);
  job->options = g_variant_ref (options);
  vt_dispatch (manager, invocation, &plan_method, job);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

/* --- ConnectionChanged ------------------------------------------------------------------ */

/* The skeleton is referenced, not the manager: the idle may still be queued when the
 * daemon tears down. */
typedef struct {
  VtDbusManager *skeleton;
  char *name;
  gboolean reachable;
} Change;

static gboolean
emit_change (gpointer data)
{
  Change *change = data;

  vt_dbus_manager_emit_connection_changed (change->skeleton, change->name, change->reachable);
  g_object_unref (change->skeleton);
  g_free (change->name);
  g_free (change);
  return G_SOURCE_REMOVE;
}

/* In a worker (an open) or the main loop (libvirt closed it): the signal goes from the
 * main loop, where the skeleton lives. */
static void
on_reachability (VtHypervisor *hv, gboolean reachable, gpointer data)
{
  VtManager *manager = data;
  Change *change = g_new0 (Change, 1);

  change->skeleton = g_object_ref (manager->skeleton);
  change->name = g_strdup (vt_hypervisor_name (hv));
  change->reachable = reachable;
  g_main_context_invoke (NULL, emit_change, change);
}

void
vt_front_connections_register (VtManager *manager)
{
  vt_hypervisors_set_watch (manager->daemon->hypervisors, on_reachability, manager);
  g_signal_connect (manager->skeleton, "handle-list-connections",
                    G_CALLBACK (handle_list_connections), manager);
  g_signal_connect (manager->skeleton, "handle-plan", G_CALLBACK (handle_plan), manager);
}
