/* virtuned — the read-only methods: ListScenarios, DescribeScenario, Render. None needs
 * authorization (SPEC §5): Render returns only what the description gave plus what the
 * host's domain capabilities say, so it discloses nothing a caller could not see. */
#include "daemon.h"

#include <string.h>

#include "bus/options.h"
#include "domain/render.h"
#include "model/description.h"
#include "util/error.h"

static gboolean
handle_list_scenarios (VtDbusManager *skeleton, GDBusMethodInvocation *invocation,
                       VtDaemon *daemon)
{
  g_autoptr (GPtrArray) policies = vt_policy_set_list (daemon->policies);
  GVariantBuilder builder;

  vt_daemon_hold (daemon);
  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a(ss)"));
  for (guint i = 0; i < policies->len; i++)
    {
      const VtPolicy *policy = g_ptr_array_index (policies, i);

      g_variant_builder_add (&builder, "(ss)", policy->name,
                             policy->summary != NULL ? policy->summary : "");
    }
  vt_dbus_manager_complete_list_scenarios (skeleton, invocation,
                                           g_variant_builder_end (&builder));
  vt_daemon_release (daemon);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_describe_scenario (VtDbusManager *skeleton, GDBusMethodInvocation *invocation,
                          const char *name, VtDaemon *daemon)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *yaml = NULL;

  vt_daemon_hold (daemon);
  yaml = vt_policy_set_describe (daemon->policies, name, &error);
  if (yaml == NULL)
    vt_daemon_return_error (invocation, error);
  else
    vt_dbus_manager_complete_describe_scenario (skeleton, invocation, yaml);
  vt_daemon_release (daemon);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

/* Render takes no options yet. */
static const VtBoolOption no_options[] = { { NULL, NULL } };

static GVariant *
provenance_variant (const VtSettings *settings)
{
  g_autoptr (GPtrArray) list = vt_settings_list (settings);
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a(sss)"));
  for (guint i = 0; i < list->len; i++)
    {
      const VtSetting *setting = g_ptr_array_index (list, i);

      g_variant_builder_add (&builder, "(sss)", setting->entry->key, setting->value,
                             setting->layer);
    }
  return g_variant_builder_end (&builder);
}

/* The daemon's own domcaps warning first (it explains every host decision), then the
 * merge's. Returns a NULL-terminated array of borrowed strings. */
static GPtrArray *
collect_warnings (const VtDaemon *daemon, const VtMergeResult *merge)
{
  GPtrArray *warnings = g_ptr_array_new ();

  if (daemon->domcaps_warning != NULL)
    g_ptr_array_add (warnings, daemon->domcaps_warning);
  for (guint i = 0; merge->warnings != NULL && i < merge->warnings->len; i++)
    g_ptr_array_add (warnings, g_ptr_array_index (merge->warnings, i));
  g_ptr_array_add (warnings, NULL);
  return warnings;
}

static gboolean
render (VtDaemon *daemon, VtDbusManager *skeleton, GDBusMethodInvocation *invocation,
        const char *description, GVariant *options, GError **error)
{
  g_autoptr (VtResolved) plan = NULL;
  g_autofree char *xml = NULL;
  g_autoptr (GPtrArray) warnings = NULL;

  /* The parser bounds the description's size (VT_DESCRIPTION_MAX_BYTES). */
  if (!vt_options_parse_bools (options, "Render", no_options, error))
    return FALSE;
  plan = vt_resolve (daemon->policies, daemon->domcaps, description, strlen (description),
                      error);
  if (plan == NULL)
    return FALSE;
  xml = vt_domain_render (plan, daemon->domcaps, NULL, error);
  if (xml == NULL)
    return FALSE;
  warnings = collect_warnings (daemon, plan->merge);
  vt_dbus_manager_complete_render (skeleton, invocation, xml,
                                   provenance_variant (plan->merge->settings),
                                   (const char *const *) warnings->pdata);
  return TRUE;
}

static gboolean
handle_render (VtDbusManager *skeleton, GDBusMethodInvocation *invocation,
               const char *description, GVariant *options, VtDaemon *daemon)
{
  g_autoptr (GError) error = NULL;

  vt_daemon_hold (daemon);
  if (!render (daemon, skeleton, invocation, description, options, &error))
    vt_daemon_return_error (invocation, error);
  vt_daemon_release (daemon);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

void
vt_front_render_register (VtDaemon *daemon)
{
  g_signal_connect (daemon->skeleton, "handle-list-scenarios",
                    G_CALLBACK (handle_list_scenarios), daemon);
  g_signal_connect (daemon->skeleton, "handle-describe-scenario",
                    G_CALLBACK (handle_describe_scenario), daemon);
  g_signal_connect (daemon->skeleton, "handle-render", G_CALLBACK (handle_render), daemon);
}
