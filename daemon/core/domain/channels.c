/* The character devices every VM gets: the serial console, the QEMU guest agent channel
 * and, with SPICE, the SPICE agent channel. */
#include "domain/devices.h"

#include "domain/xml-tree.h"

/* A 16550 UART on the ISA bus, and the console on it: what firmware, boot loaders and a
 * kernel's console=ttyS0 write to, so `virsh console` shows a VM from its first byte.
 * (A virtio console appears only once the guest kernel has loaded its driver.) The
 * console is the serial port itself, so only the serial device has an alias. */
gboolean
vt_device_add_console (xmlNodePtr devices, const VtDeviceContext *ctx, GError **error)
{
  xmlNodePtr serial = vt_tree_add_with (devices, "serial", "type", "pty");
  xmlNodePtr target = vt_tree_add_with (serial, "target", "type", "isa-serial");
  xmlNodePtr console;

  vt_tree_set (target, "port", "0");
  vt_tree_add_with (target, "model", "name", "isa-serial");
  vt_tree_add_alias (serial, "serial0");
  console = vt_tree_add_with (devices, "console", "type", "pty");
  vt_tree_set (vt_tree_add_with (console, "target", "type", "serial"), "port", "0");
  return TRUE;
}

static void
add_virtio_channel (xmlNodePtr devices, const char *type, const char *name, const char *alias)
{
  xmlNodePtr channel = vt_tree_add_with (devices, "channel", "type", type);

  vt_tree_set (vt_tree_add_with (channel, "target", "type", "virtio"), "name", name);
  vt_tree_add_alias (channel, alias);
}

gboolean
vt_device_add_agent_channel (xmlNodePtr devices, const VtDeviceContext *ctx, GError **error)
{
  add_virtio_channel (devices, "unix", "org.qemu.guest_agent.0", "channel0");
  return TRUE;
}

/* The SPICE agent's channel (clipboard sharing, the display following the client's
 * window size): virt-install adds it to every SPICE VM. */
gboolean
vt_device_add_spice_channel (xmlNodePtr devices, const VtDeviceContext *ctx, GError **error)
{
  if (!vt_settings_is (ctx->settings, "guest.graphics", "spice"))
    return TRUE;
  add_virtio_channel (devices, "spicevmc", "com.redhat.spice.0", "channel1");
  return TRUE;
}
