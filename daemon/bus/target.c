/* virtuned — the "connection" option: a name in, a host out. */
#include "bus/target.h"

#include "util/echo.h"

VtHypervisor *
vt_bus_hypervisor (VtDaemon *daemon, const char *method, const char *name, GError **error)
{
  VtHypervisor *hv = vt_hypervisors_find (daemon->hypervisors, name);
  g_autofree char *shown = NULL;
  g_autofree char *known = NULL;

  if (hv != NULL)
    return hv;
  shown = vt_echo (name);
  known = vt_hypervisors_names (daemon->hypervisors);
  g_set_error (error, G_DBUS_ERROR, G_DBUS_ERROR_INVALID_ARGS,
               "%s option 'connection': no connection is named '%s' (virtuned.conf has: %s)",
               method, shown, known);
  return NULL;
}

VtHypervisor *
vt_bus_options_hypervisor (VtDaemon *daemon, GVariant *options, const char *method,
                           const VtBoolOption *bools, GError **error)
{
  const char *connection = NULL;

  if (!vt_options_parse_connection (options, method, bools, &connection, error))
    return NULL;
  return vt_bus_hypervisor (daemon, method, connection, error);
}
