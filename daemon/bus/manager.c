#include "bus/manager.h"

#include "bus/bounds.h"

#include "vt-config.h"

VtManager *
vt_manager_new (VtDaemon *daemon)
{
  VtManager *manager = g_new0 (VtManager, 1);
  const char *no_scenarios[] = { NULL };

  manager->daemon = daemon;
  /* Oversized calls are refused in the connection's filter, before GDBus copies them. */
  vt_bus_bounds_init ();
  daemon->screen = vt_bus_bounds_screen;
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
