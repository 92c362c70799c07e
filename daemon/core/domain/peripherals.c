/* USB (the controller and SPICE redirection), sound and the panic device. */
#include "domain/devices.h"

#include "domain/xml-tree.h"

/* An explicit controller either way: without one libvirt adds its default USB controller
 * to a q35 machine, so "no USB" must be said with model none. */
gboolean
vt_device_add_usb_controller (xmlNodePtr devices, const VtDeviceContext *ctx, GError **error)
{
  const char *model = vt_device_setting (ctx, "guest.usb", "qemu-xhci");
  xmlNodePtr controller = vt_tree_add_with (devices, "controller", "type", "usb");

  vt_tree_set (controller, "index", "0");
  vt_tree_set (controller, "model", model);
  if (g_str_equal (model, "none"))
    return TRUE;
  /* 15 ports, as virt-install gives: room for the tablet, redirected devices and more. */
  vt_tree_set (controller, "ports", "15");
  vt_tree_add_alias (controller, "usb0");
  return TRUE;
}

gboolean
vt_device_add_sound (xmlNodePtr devices, const VtDeviceContext *ctx, GError **error)
{
  const char *model = vt_device_setting (ctx, "guest.sound", "none");
  xmlNodePtr sound;

  if (g_str_equal (model, "none"))
    return TRUE;
  sound = vt_tree_add_with (devices, "sound", "model", model);
  vt_tree_add_alias (sound, "sound0");
  return TRUE;
}

/* SPICE USB redirection: a USB device plugged into the client appears in the guest. The
 * requirements step has made sure the graphics are SPICE and a USB controller exists. */
gboolean
vt_device_add_usb_redirection (xmlNodePtr devices, const VtDeviceContext *ctx, GError **error)
{
  gint64 n = vt_settings_get_int (ctx->settings, "guest.usb_redirection", 0);

  for (gint64 i = 0; i < n; i++)
    {
      xmlNodePtr redirdev = vt_tree_add_with (devices, "redirdev", "bus", "usb");
      vt_tree_set (redirdev, "type", "spicevmc");
      vt_tree_add_alias_index (redirdev, "redir", (guint64) i);
    }
  return TRUE;
}

/* pvpanic: the guest kernel reports a panic to QEMU, so on_crash happens at once instead
 * of the VM sitting in a dead kernel. On x86 libvirt calls QEMU's pvpanic ISA device
 * model isa (its pvpanic model is the PCI one of libvirt 9.1 and later). */
gboolean
vt_device_add_panic (xmlNodePtr devices, const VtDeviceContext *ctx, GError **error)
{
  xmlNodePtr panic;

  if (!vt_settings_get_bool (ctx->settings, "guest.panic"))
    return TRUE;
  panic = vt_tree_add_with (devices, "panic", "model", "isa");
  vt_tree_add_alias (panic, "panic0");
  return TRUE;
}
