/* virtuned — the read-only methods: ListScenarios, DescribeScenario, Render. None needs
 * authorization (SPEC §5): Render returns only what the description gave plus what the
 * host's domain capabilities say, so it discloses nothing a caller could not see.
 * ListScenarios and DescribeScenario never block and run on the main loop. A Render for
 * the default host never blocks either and is the hot call, so it is answered where
 * GDBus reads it, in its worker thread (vt_front_render_answer): no hop to the main loop
 * and back per call. */
#include "bus/manager.h"

#include <string.h>

#include "bus/dispatch.h"
#include "bus/errors.h"
#include "bus/options.h"
#include "bus/rows.h"
#include "bus/target.h"
#include "domain/render.h"

/* The arguments are borrowed from the handler or the call when the work runs before
 * either returns; a Render dispatched to a worker thread owns copies. */
typedef struct {
  const char *name;         /* DescribeScenario's argument */
  const char *description;  /* Render's argument */
  GVariant *options;
  GVariant *reply;          /* the out arguments, floating until sent */
  char *owned_description;  /* the copies of a dispatched Render, else NULL */
  GVariant *owned_options;
} ReadJob;

static void
read_job_free (ReadJob *job)
{
  g_free (job->owned_description);
  g_clear_pointer (&job->owned_options, g_variant_unref);
  g_free (job);
}

static void
reply_tuple (VtCall *call)
{
  ReadJob *job = call->job;

  g_dbus_method_invocation_return_value (call->invocation, job->reply);
}

/* --- ListScenarios ------------------------------------------------------------------- */

static gboolean
list_scenarios (VtCall *call, GError **error)
{
  ReadJob *job = call->job;
  g_autoptr (GPtrArray) policies = vt_policy_set_list (call->manager->daemon->policies);
  g_autofree const char **cells = g_new (const char *, 2 * policies->len);
  GVariant *rows;

  for (guint i = 0; i < policies->len; i++)
    {
      const VtPolicy *policy = g_ptr_array_index (policies, i);

      cells[2 * i] = policy->name;
      cells[2 * i + 1] = policy->summary != NULL ? policy->summary : "";
    }
  rows = vt_bus_string_rows (cells, policies->len, 2);
  job->reply = g_variant_new_tuple (&rows, 1);
  return TRUE;
}

static const VtMethod list_scenarios_method = {
  .work = list_scenarios, .reply = reply_tuple, .free_job = (GDestroyNotify) read_job_free,
};

static gboolean
handle_list_scenarios (VtDbusManager *skeleton, GDBusMethodInvocation *invocation,
                       VtManager *manager)
{
  vt_dispatch (manager, invocation, &list_scenarios_method, g_new0 (ReadJob, 1));
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

/* --- DescribeScenario ---------------------------------------------------------------- */

static gboolean
describe_scenario (VtCall *call, GError **error)
{
  ReadJob *job = call->job;
  g_autofree char *yaml = vt_policy_set_describe (call->manager->daemon->policies, job->name,
                                                  error);

  if (yaml == NULL)
    return FALSE;
  job->reply = g_variant_new ("(s)", yaml);
  return TRUE;
}

static const VtMethod describe_scenario_method = {
  .work = describe_scenario, .reply = reply_tuple,
  .free_job = (GDestroyNotify) read_job_free,
};

static gboolean
handle_describe_scenario (VtDbusManager *skeleton, GDBusMethodInvocation *invocation,
                          const char *name, VtManager *manager)
{
  ReadJob *job = g_new0 (ReadJob, 1);

  job->name = name;
  vt_dispatch (manager, invocation, &describe_scenario_method, job);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

/* --- Render -------------------------------------------------------------------------- */


/* Every final setting as (key, value, layer); none when the caller asked for the XML
 * alone ("provenance": false): the table is most of the reply, and marshalling and
 * parsing it cost both sides more than the render itself. */
static GVariant *
provenance_variant (const VtSettings *settings, gboolean wanted)
{
  g_autoptr (GPtrArray) list = NULL;

  if (!wanted)
    return g_variant_new_array (G_VARIANT_TYPE ("(sss)"), NULL, 0);
  list = vt_settings_list (settings);
  g_autofree const char **cells = g_new (const char *, 3 * list->len);

  for (guint i = 0; i < list->len; i++)
    {
      const VtSetting *setting = g_ptr_array_index (list, i);

      cells[3 * i] = setting->entry->key;
      cells[3 * i + 1] = setting->value;
      cells[3 * i + 2] = setting->layer;
    }
  return vt_bus_string_rows (cells, list->len, 3);
}

/* The host's capabilities warning first (it explains every host decision), then the
 * merge's. */
static GVariant *
warnings_variant (const VtHostCaps *caps, const VtMergeResult *merge)
{
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE_STRING_ARRAY);
  if (caps->warning != NULL)
    g_variant_builder_add (&builder, "s", caps->warning);
  for (guint i = 0; merge->warnings != NULL && i < merge->warnings->len; i++)
    g_variant_builder_add (&builder, "s", (const char *) g_ptr_array_index (merge->warnings, i));
  return g_variant_builder_end (&builder);
}

/* The domain XML as a D-Bus string, taking @xml. It is UTF-8 by construction: the
 * description's texts were checked before any node was made (vt_tree_check_text), and
 * everything else comes from libyaml, libxml2 and libosinfo, which hand out UTF-8 only.
 * GDBus checks it again when it writes the reply, so GVariant need not check it first:
 * that pass over 6 KB was 3 % of a Render call. */
static GVariant *
xml_variant (char *xml)
{
  g_autoptr (GBytes) bytes = g_bytes_new_take (xml, strlen (xml) + 1);

  return g_variant_new_from_bytes (G_VARIANT_TYPE_STRING, bytes, TRUE);
}

/* The capabilities of the host @name (NULL: the default): the default's as read at
 * start (never blocks), another's read over its connection when needed. */
static VtHostCaps *
target_caps (VtCall *call, const char *name, GError **error)
{
  VtHypervisor *hv = vt_bus_hypervisor (call->manager->daemon, "Render", name, error);

  if (hv == NULL)
    return NULL;
  if (hv == vt_hypervisors_default (call->manager->daemon->hypervisors))
    return vt_hypervisor_cached_caps (hv);
  return vt_hypervisor_caps (hv, error);
}

static gboolean
render (VtCall *call, GError **error)
{
  ReadJob *job = call->job;
  const VtDaemon *daemon = call->manager->daemon;
  const char *connection = NULL;
  gboolean with_provenance = TRUE;
  const VtBoolOption bools[] = { { "provenance", &with_provenance }, { NULL, NULL } };
  const VtChoiceOption choices[] = { VT_CONNECTION_OPTION (&connection), { NULL, NULL, NULL } };
  g_autoptr (VtHostCaps) caps = NULL;
  g_autoptr (VtResolved) resolved = NULL;
  g_autofree char *xml = NULL;

  /* The parser bounds the description's size (VT_DESCRIPTION_MAX_BYTES). */
  if (!vt_options_parse (job->options, "Render", bools, choices, error))
    return FALSE;
  caps = target_caps (call, connection, error);
  if (caps == NULL)
    return FALSE;
  resolved = vt_resolve (daemon->policies, daemon->oses, caps->domcaps, job->description,
                         strlen (job->description), error);
  if (resolved == NULL)
    return FALSE;
  xml = vt_domain_render (resolved, caps->domcaps, NULL, error);
  if (xml == NULL)
    return FALSE;
  GVariant *out[] = {
    xml_variant (g_steal_pointer (&xml)),
    provenance_variant (resolved->merge->settings, with_provenance),
    warnings_variant (caps, resolved->merge),
  };

  job->reply = g_variant_new_tuple (out, G_N_ELEMENTS (out));
  return TRUE;
}

/* A Render the connection's filter let through (another host than the default, whose
 * capabilities may have to be read over the network; a call without an interface
 * field) runs in a worker thread. */
static const VtMethod render_method = {
  .work = render, .reply = reply_tuple, .free_job = (GDestroyNotify) read_job_free,
  .blocking = TRUE,
};

/* Whether @options name a host other than the default (an unknown one too: the work
 * refuses it, wherever it runs). */
static gboolean
names_other_host (VtManager *manager, GVariant *options)
{
  const char *name = NULL;

  if (!g_variant_lookup (options, "connection", "&s", &name))
    return FALSE;
  return vt_hypervisors_find (manager->daemon->hypervisors, name)
         != vt_hypervisors_default (manager->daemon->hypervisors);
}

static gboolean
handle_render (VtDbusManager *skeleton, GDBusMethodInvocation *invocation,
               const char *description, GVariant *options, VtManager *manager)
{
  ReadJob *job = g_new0 (ReadJob, 1);

  job->description = job->owned_description = g_strdup (description);
  job->options = job->owned_options = g_variant_ref (options);
  vt_dispatch (manager, invocation, &render_method, job);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

/* Whether @call is Render on our object with its signature; the bus checked nothing but
 * the header's syntax. One without an interface field is left to GDBus's dispatch. */
static gboolean
is_render_call (GDBusMessage *call)
{
  return g_strcmp0 (g_dbus_message_get_member (call), "Render") == 0
         && g_strcmp0 (g_dbus_message_get_interface (call),
                       vt_dbus_manager_interface_info ()->name) == 0
         && g_strcmp0 (g_dbus_message_get_path (call), VT_OBJECT_PATH) == 0
         && g_strcmp0 (g_dbus_message_get_signature (call), "sa{sv}") == 0;
}

/* The daemon's stop gate keeps what render() reads alive while this runs, and the
 * connection's filter has already refused an oversized call (bus/bounds.c). */
GDBusMessage *
vt_front_render_answer (VtManager *manager, GDBusMessage *call)
{
  g_autoptr (GVariant) options = NULL;
  g_autoptr (GError) error = NULL;
  ReadJob job = { 0 };
  VtCall render_call = { manager, NULL, &job };
  GDBusMessage *reply;

  if (!is_render_call (call))
    return NULL;
  g_variant_get (g_dbus_message_get_body (call), "(&s@a{sv})", &job.description, &options);
  if (names_other_host (manager, options))
    return NULL;
  job.options = options;
  if (!render (&render_call, &error))
    return vt_bus_error_reply (call, error);
  reply = g_dbus_message_new_method_reply (call);
  g_dbus_message_set_body (reply, job.reply);
  return reply;
}

void
vt_front_render_register (VtManager *manager)
{
  g_signal_connect (manager->skeleton, "handle-list-scenarios",
                    G_CALLBACK (handle_list_scenarios), manager);
  g_signal_connect (manager->skeleton, "handle-describe-scenario",
                    G_CALLBACK (handle_describe_scenario), manager);
  g_signal_connect (manager->skeleton, "handle-render", G_CALLBACK (handle_render), manager);
}
