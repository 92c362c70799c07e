/* virtuned — what identifies a device from both sides (issue #12): the host finds it by
 * its user alias (ua-…), the guest by the disk serial (/dev/disk/by-id/virtio-SERIAL)
 * or the NIC's MAC address. Both are derived from the alias, and the MAC from the
 * domain's name too, so the same description always renders the same XML. */
#pragma once

#include <glib.h>
#include <libxml/tree.h>

#include "domain/devices.h"

G_BEGIN_DECLS

/* A disk serial is at most 20 bytes: virtio-blk's ID field and ATA's serial number
 * are that long, and QEMU cuts longer ones silently. */
#define VT_DISK_SERIAL_MAX 20

/* The serial of the disk with user alias @alias: the alias itself ("ua-disk0"), which
 * udev shows as /dev/disk/by-id/virtio-ua-disk0 (ata-QEMU_HARDDISK_ua-disk0 on SATA,
 * scsi-0QEMU_QEMU_HARDDISK_ua-disk0 on virtio-scsi). NULL when the alias is longer than
 * a serial can be. */
char *vt_device_serial_for (const char *alias);

/* The MAC of NIC @alias in domain @domain: QEMU's locally administered prefix 52:54:00
 * (what libvirt generates too) and the first three bytes of SHA-256("DOMAIN\nALIAS").
 * Two domains' NICs collide with a chance of 1 in 2^24 per pair, like libvirt's own
 * random choice; the caller's mac: wins when given. */
char *vt_device_mac_for (const char *domain, const char *alias);

/* <serial>SERIAL</serial><alias name='ALIAS'/> on @disk (no serial when @alias is too
 * long for one). */
void vt_device_add_disk_identity (xmlNodePtr disk, const char *alias);

/* ---- for the disk and NIC builders ---- */

/* The alias of disk @disk, the next of @count (advanced): ua-diskN or ua-cdromN by
 * position, unless the description pinned it (model/device-alias.h). */
char *vt_device_next_disk_alias (const VtDiskDesc *disk, VtDiskCount *count);

/* The alias of NIC @net at position @index: ua-netINDEX unless pinned. */
char *vt_device_nic_alias (const VtNetDesc *net, guint index);

/* The MAC of NIC @net with alias @alias: the caller's, else vt_device_mac_for with the
 * context's domain name ("" for a NIC rendered without one). */
char *vt_device_nic_mac (const VtDeviceContext *ctx, const VtNetDesc *net, const char *alias);

G_END_DECLS
