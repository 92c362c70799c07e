/* virtuned — one builder per device kind of the domain (SPEC §4.4). Each appends one
 * device node (or none, when the settings ask for no such device) to a <devices> parent
 * and depends on nothing but its arguments, so a single device renders on its own as
 * well as within a whole domain. Every device gets a stable user alias ua-…. */
#pragma once

#include <glib.h>
#include <libxml/tree.h>

#include "domain/context.h"
#include "domain/domain.h"
#include "model/description.h"

G_BEGIN_DECLS

/* A device the settings alone describe. FALSE with @error set when the host cannot do
 * what the settings ask (VT_ERROR_UNSUPPORTED naming the key); nothing is added then. */
typedef gboolean (*VtDeviceBuilder) (xmlNodePtr devices, const VtDeviceContext *ctx,
                                     GError **error);

/* ---- disks (disk.c) ---- */

/* One disk of the description, and what names it in its domain. */
typedef struct {
  const VtDiskDesc *desc;
  const VtDiskBinding *binding;  /* where Define put it; NULL renders its references */
  const char *domain;            /* the domain's name and the disk's position in the */
  guint index;                   /* description: a new volume is DOMAIN-diskINDEX.FORMAT */
  guint boot_order;              /* <boot order=N/>; 0: not a boot device */
} VtDiskEntry;

/* The disks a <devices> already holds, counted as their names count: a new disk takes
 * the next target name on its prefix (vda… on virtio, sda… on scsi and sata) and the
 * next alias of its kind (ua-disk0…, ua-cdrom0…). All zero for an empty domain. */
typedef struct {
  guint vd, sd;
  guint disks, cdroms;
} VtDiskCount;

/* <disk>: on storage.bus (a CD-ROM: read-only, on sata), with storage.cache, the
 * I/O thread and the SEV iommu on virtio, its boot order, and a writable disk
 * <transient/> when storage.transient is on. Advances @count. Errors: a caller string XML
 * cannot carry (VT_ERROR_INVALID_DESCRIPTION), a storage.bus the host lacks. */
gboolean vt_device_add_disk (xmlNodePtr devices, const VtDeviceContext *ctx,
                             const VtDiskEntry *entry, VtDiskCount *count, GError **error);

/* ---- network interfaces (nic.c) ---- */

/* <interface> on a libvirt network or a host bridge, of model guest.nic, alias
 * ua-netINDEX. Errors: a caller string XML cannot carry. */
gboolean vt_device_add_nic (xmlNodePtr devices, const VtDeviceContext *ctx,
                            const VtNetDesc *net, guint index, GError **error);

/* ---- devices the settings describe (devices.c) ---- */

/* <controller type='scsi'> (virtio-scsi) when storage.bus is scsi. */
gboolean vt_device_add_scsi_controller (xmlNodePtr devices, const VtDeviceContext *ctx,
                                        GError **error);
/* <controller type='virtio-serial'>, for the guest agent and SPICE channels. */
gboolean vt_device_add_serial_controller (xmlNodePtr devices, const VtDeviceContext *ctx,
                                          GError **error);
/* ---- consoles and channels (channels.c) ---- */

/* <serial type='pty'> on an ISA UART and the <console> on it. */
gboolean vt_device_add_console (xmlNodePtr devices, const VtDeviceContext *ctx,
                                GError **error);
/* <channel type='unix'> for the QEMU guest agent. */
gboolean vt_device_add_agent_channel (xmlNodePtr devices, const VtDeviceContext *ctx,
                                      GError **error);
/* <channel type='spicevmc'> for the SPICE agent, when guest.graphics is spice. */
gboolean vt_device_add_spice_channel (xmlNodePtr devices, const VtDeviceContext *ctx,
                                      GError **error);

/* ---- USB, sound, panic (peripherals.c) ---- */

/* <controller type='usb'> of model guest.usb (none: model none, so libvirt adds none). */
gboolean vt_device_add_usb_controller (xmlNodePtr devices, const VtDeviceContext *ctx,
                                       GError **error);
/* <sound> of model guest.sound (none: no device). */
gboolean vt_device_add_sound (xmlNodePtr devices, const VtDeviceContext *ctx, GError **error);
/* guest.usb_redirection <redirdev bus='usb' type='spicevmc'> devices. */
gboolean vt_device_add_usb_redirection (xmlNodePtr devices, const VtDeviceContext *ctx,
                                        GError **error);
/* <panic model='isa'> (QEMU's pvpanic) when guest.panic is on. */
gboolean vt_device_add_panic (xmlNodePtr devices, const VtDeviceContext *ctx, GError **error);

/* ---- the other devices the settings describe (devices.c) ---- */

/* <input> of guest.keyboard / guest.mouse (none: no device). */
gboolean vt_device_add_keyboard (xmlNodePtr devices, const VtDeviceContext *ctx,
                                 GError **error);
gboolean vt_device_add_mouse (xmlNodePtr devices, const VtDeviceContext *ctx, GError **error);
/* <tpm> of model guest.tpm with an emulated TPM 2.0 (none: no device). */
gboolean vt_device_add_tpm (xmlNodePtr devices, const VtDeviceContext *ctx, GError **error);
/* <graphics> of type guest.graphics on 127.0.0.1 (none: no device). */
gboolean vt_device_add_graphics (xmlNodePtr devices, const VtDeviceContext *ctx,
                                 GError **error);
/* <video> of model guest.video (none is a <video> with model none). */
gboolean vt_device_add_video (xmlNodePtr devices, const VtDeviceContext *ctx, GError **error);
/* <watchdog> of model guest.watchdog with guest.watchdog.action (none: no device). */
gboolean vt_device_add_watchdog (xmlNodePtr devices, const VtDeviceContext *ctx,
                                 GError **error);
/* <memballoon>: virtio when guest.memballoon is on, else model none (libvirt would
 * otherwise add one). */
gboolean vt_device_add_memballoon (xmlNodePtr devices, const VtDeviceContext *ctx,
                                   GError **error);
/* <rng> on /dev/urandom when guest.rng is on. */
gboolean vt_device_add_rng (xmlNodePtr devices, const VtDeviceContext *ctx, GError **error);

/* ---- room for hot-plugging (hotplug.c) ---- */

/* Free root ports a q35 domain keeps for AttachDevice (issue #12). */
#define VT_HOTPLUG_SPARE_PORTS 4

/* On q35: a <controller type='pci' model='pcie-root-port'> (alias ua-pcie-portN) for
 * each device already in @devices that takes a PCIe slot, and VT_HOTPLUG_SPARE_PORTS
 * more; nothing on other machines. Call it after every other device builder. */
gboolean vt_device_add_hotplug_ports (xmlNodePtr devices, const VtDeviceContext *ctx,
                                      GError **error);

G_END_DECLS
