/* Device-removed events, registered on every connection as it opens. */
#include "libvirt/device-events.h"

#include <libvirt/virterror.h>

struct _VtDeviceEvents {
  VtConnection *conn;
  VtDeviceRemovedFunc func;
  gpointer data;
  int callback_id;           /* on the open connection; -1 when none */
};

static void
on_device_removed (virConnectPtr conn, virDomainPtr dom, const char *alias, void *opaque)
{
  VtDeviceEvents *events = opaque;

  if (alias != NULL && g_str_has_prefix (alias, "ua-"))
    events->func (virDomainGetName (dom), alias, events->data);
}

static void
on_connection (virConnectPtr conn, gboolean opened, gpointer data)
{
  VtDeviceEvents *events = data;

  if (!opened)
    {
      if (events->callback_id >= 0)
        virConnectDomainEventDeregisterAny (conn, events->callback_id);
      events->callback_id = -1;
      virResetLastError ();
      return;
    }
  events->callback_id = virConnectDomainEventRegisterAny (
    conn, NULL, VIR_DOMAIN_EVENT_ID_DEVICE_REMOVED,
    VIR_DOMAIN_EVENT_CALLBACK (on_device_removed), events, NULL);
  /* Drivers without events (test:///) cannot report removals: detaches say removed or
   * pending all the same. */
  if (events->callback_id < 0)
    g_debug ("no device-removed events: %s", virGetLastErrorMessage ());
  virResetLastError ();
}

VtDeviceEvents *
vt_device_events_new (VtConnection *conn, VtDeviceRemovedFunc func, gpointer data)
{
  VtDeviceEvents *events = g_new0 (VtDeviceEvents, 1);

  events->conn = conn;
  events->func = func;
  events->data = data;
  events->callback_id = -1;
  vt_connection_set_open_watch (conn, on_connection, events);
  return events;
}

void
vt_device_events_free (VtDeviceEvents *events)
{
  if (events == NULL)
    return;
  vt_connection_set_open_watch (events->conn, NULL, NULL);
  g_free (events);
}
