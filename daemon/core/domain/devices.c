/* The builders of the devices the settings alone describe: SCSI and virtio-serial
 * controllers, inputs, TPM, graphics, video, watchdog, balloon and RNG. (Consoles and
 * channels are in channels.c, USB, sound and panic in peripherals.c.) */
#include "domain/devices.h"

#include "domain/xml-tree.h"

/* Setting @key names a device model, and "none" (or nothing) means no device. */
static const char *
model_or_null (const VtDeviceContext *ctx, const char *key)
{
  const char *model = vt_settings_get (ctx->settings, key);

  return model && !g_str_equal (model, "none") ? model : NULL;
}

gboolean
vt_device_add_scsi_controller (xmlNodePtr devices, const VtDeviceContext *ctx, GError **error)
{
  xmlNodePtr controller, driver = NULL;

  if (!vt_settings_is (ctx->settings, "storage.bus", "scsi"))
    return TRUE;
  controller = vt_tree_add_with (devices, "controller", "type", "scsi");
  vt_tree_set (controller, "index", "0");
  vt_tree_set (controller, "model", "virtio-scsi");
  /* One <driver> carries both: the disks on this bus use its I/O thread. */
  if (ctx->iothreads > 0)
    driver = vt_tree_add_with (controller, "driver", "iothread", "1");
  if (ctx->sev)
    vt_tree_set (driver ? driver : vt_tree_add (controller, "driver"), "iommu", "on");
  vt_tree_add_alias (controller, "scsi0");
  return TRUE;
}

gboolean
vt_device_add_serial_controller (xmlNodePtr devices, const VtDeviceContext *ctx,
                                 GError **error)
{
  xmlNodePtr controller = vt_tree_add_with (devices, "controller", "type", "virtio-serial");

  vt_tree_set (controller, "index", "0");
  vt_device_add_iommu_driver (ctx, controller);
  vt_tree_add_alias (controller, "virtio-serial0");
  return TRUE;
}

/* guest.keyboard / guest.mouse value -> <input type bus>. */
static const struct {
  const char *value;
  const char *bus;
  const char *type;   /* NULL: the device's own kind (keyboard or mouse) */
} input_map[] = {
  { "virtio", "virtio", NULL },
  { "ps2", "ps2", NULL },
  { "usb", "usb", NULL },
  { "tablet", "usb", "tablet" },
};

/* @kind: keyboard or mouse, which names both the setting and the alias. */
static void
add_input (xmlNodePtr devices, const VtDeviceContext *ctx, const char *kind)
{
  g_autofree char *key = g_strconcat ("guest.", kind, NULL);
  g_autofree char *alias = g_strconcat ("input-", kind, NULL);
  const char *value = vt_settings_get (ctx->settings, key);

  for (gsize i = 0; value && i < G_N_ELEMENTS (input_map); i++)
    if (g_str_equal (input_map[i].value, value))
      {
        xmlNodePtr input = vt_tree_add_with (devices, "input", "type",
                                             input_map[i].type ? input_map[i].type : kind);
        vt_tree_set (input, "bus", input_map[i].bus);
        /* A virtio input device is a virtio device like the others: under SEV it must
         * reach guest memory through the IOMMU (Linux refuses it without
         * VIRTIO_F_ACCESS_PLATFORM). */
        if (g_str_equal (input_map[i].bus, "virtio"))
          vt_device_add_iommu_driver (ctx, input);
        vt_tree_add_alias (input, alias);
        return;
      }
}

gboolean
vt_device_add_keyboard (xmlNodePtr devices, const VtDeviceContext *ctx, GError **error)
{
  add_input (devices, ctx, "keyboard");
  return TRUE;
}

gboolean
vt_device_add_mouse (xmlNodePtr devices, const VtDeviceContext *ctx, GError **error)
{
  add_input (devices, ctx, "mouse");
  return TRUE;
}

gboolean
vt_device_add_tpm (xmlNodePtr devices, const VtDeviceContext *ctx, GError **error)
{
  const char *model = model_or_null (ctx, "guest.tpm");
  xmlNodePtr tpm;

  if (!model)
    return TRUE;
  if (!vt_device_host_offers (ctx, "guest.tpm", model, "tpm.model", NULL, error) ||
      !vt_device_host_offers (ctx, "guest.tpm", model, "tpm.backendModel", "emulator", error))
    return FALSE;
  tpm = vt_tree_add_with (devices, "tpm", "model", model);
  vt_tree_set (vt_tree_add_with (tpm, "backend", "type", "emulator"), "version", "2.0");
  vt_tree_add_alias (tpm, "tpm0");
  return TRUE;
}

/* No alias: libvirt gives graphics no device address to hang one on. */
gboolean
vt_device_add_graphics (xmlNodePtr devices, const VtDeviceContext *ctx, GError **error)
{
  const char *type = model_or_null (ctx, "guest.graphics");
  xmlNodePtr graphics;

  if (!type)
    return TRUE;
  if (!vt_device_host_offers (ctx, "guest.graphics", type, "graphics.type", NULL, error))
    return FALSE;
  graphics = vt_tree_add_with (devices, "graphics", "type", type);
  vt_tree_set (graphics, "autoport", "yes");
  vt_tree_set (vt_tree_add_with (graphics, "listen", "type", "address"), "address", "127.0.0.1");
  return TRUE;
}

gboolean
vt_device_add_video (xmlNodePtr devices, const VtDeviceContext *ctx, GError **error)
{
  const char *model = vt_device_setting (ctx, "guest.video", "none");
  gboolean none = g_str_equal (model, "none");
  xmlNodePtr video, m;

  if (!none && !vt_device_host_offers (ctx, "guest.video", model, "video.modelType", NULL, error))
    return FALSE;
  video = vt_tree_add (devices, "video");
  m = vt_tree_add_with (video, "model", "type", model);
  if (!none)
    {
      vt_tree_set (m, "heads", "1");
      vt_tree_set (m, "primary", "yes");
    }
  if (g_str_equal (model, "virtio"))
    vt_device_add_iommu_driver (ctx, video);
  vt_tree_add_alias (video, "video0");
  return TRUE;
}

gboolean
vt_device_add_watchdog (xmlNodePtr devices, const VtDeviceContext *ctx, GError **error)
{
  const char *model = model_or_null (ctx, "guest.watchdog");
  const char *action = vt_settings_get (ctx->settings, "guest.watchdog.action");
  xmlNodePtr watchdog;

  if (!model)
    return TRUE;
  watchdog = vt_tree_add_with (devices, "watchdog", "model", model);
  if (action)
    vt_tree_set (watchdog, "action", action);
  vt_tree_add_alias (watchdog, "watchdog0");
  return TRUE;
}

gboolean
vt_device_add_memballoon (xmlNodePtr devices, const VtDeviceContext *ctx, GError **error)
{
  gboolean balloon = vt_settings_get_bool (ctx->settings, "guest.memballoon");
  xmlNodePtr node = vt_tree_add_with (devices, "memballoon", "model",
                                      balloon ? "virtio" : "none");

  /* libvirt drops the alias of an absent balloon, so only a real one gets one. */
  if (balloon)
    vt_tree_add_alias (node, "balloon0");
  return TRUE;
}

gboolean
vt_device_add_rng (xmlNodePtr devices, const VtDeviceContext *ctx, GError **error)
{
  xmlNodePtr rng;

  if (!vt_settings_get_bool (ctx->settings, "guest.rng"))
    return TRUE;
  if (!vt_device_host_offers (ctx, "guest.rng", "on", "rng.model", "virtio", error))
    return FALSE;
  rng = vt_tree_add_with (devices, "rng", "model", "virtio");
  vt_tree_set (vt_tree_add_text (rng, "backend", "/dev/urandom"), "model", "random");
  vt_device_add_iommu_driver (ctx, rng);
  vt_tree_add_alias (rng, "rng0");
  return TRUE;
}
