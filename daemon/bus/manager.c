#include "bus/manager.h"

#include "bus/bounds.h"

#include "vt-config.h"

/* GDBus's worker thread, for every incoming call: an oversized one is refused before
 * GDBus copies it; a Render for the default host is answered there and then. */
static GDBusMessage *
screen_call (GDBusMessage *call, gpointer user_data)
{
  GDBusMessage *refusal = vt_bus_bounds_screen (call);

  if (refusal != NULL)
    return refusal;
  return vt_front_render_answer (user_data, call);
}

VtManager *
vt_manager_new (VtDaemon *daemon)
{
  VtManager *manager = g_new0 (VtManager, 1);
  const char *no_scenarios[] = { NULL };

  manager->daemon = daemon;
  vt_bus_bounds_init ();
  daemon->screen = screen_call;
  daemon->screen_data = manager;
  manager->skeleton = vt_dbus_manager_skeleton_new ();
  vt_dbus_manager_set_version (manager->skeleton, VT_VERSION);
  vt_dbus_manager_set_hypervisor_uri (
    manager->skeleton, vt_hypervisor_config (vt_hypervisors_default (daemon->hypervisors))->uri);
  vt_dbus_manager_set_tuned_scenarios (manager->skeleton, no_scenarios);
  vt_front_render_register (manager);
  vt_front_define_register (manager);
  vt_front_host_register (manager);
  vt_front_sev_register (manager);
  vt_front_os_register (manager);
  vt_front_connections_register (manager);
  vt_front_domain_register (manager);
  vt_front_device_register (manager);
  vt_front_update_register (manager);
  vt_front_inventory_register (manager);
  return manager;
}

void
vt_manager_free (VtManager *manager)
{
  if (manager == NULL)
    return;
  g_clear_pointer (&manager->device_watches, g_ptr_array_unref);
  g_clear_object (&manager->skeleton);
  g_free (manager);
}
