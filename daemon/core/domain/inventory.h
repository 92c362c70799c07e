/* virtuned — the devices of a domain as ListDevices reports them: found by their user
 * alias (ua-…) in the XML libvirt returns, however much libvirt expanded it. */
#pragma once

#include <glib.h>
#include <libxml/tree.h>

G_BEGIN_DECLS

typedef struct {
  char *alias;       /* ua-disk0 */
  char *kind;        /* disk | cdrom | nic | the element's name (video, rng, …) */
  char *summary;     /* one line: "virtio vda, volume default/web01-disk0.qcow2" */
  char *identity;    /* what the guest sees: a disk's serial, a NIC's MAC; "" if none */
} VtDeviceRow;

void vt_device_row_free (VtDeviceRow *row);

/* The ua- devices of the domain XML @xml, in document order (VtDeviceRow*; free the
 * array). Devices without a user alias (libvirt's own additions) and the spare root
 * ports (domain/hotplug.c) are not listed.
 * Errors: VT_ERROR_FAILED when @xml is not a domain document. */
GPtrArray *vt_device_inventory (const char *xml, GError **error);

/* Parses @xml (nullable), libvirt's XML of a domain, into a document (xmlFreeDoc it)
 * whose root @root (out) is <domain>. Errors: VT_ERROR_FAILED when it is not one. */
xmlDocPtr vt_domain_xml_read (const char *xml, xmlNodePtr *root, GError **error);

/* TRUE when @node, a child of <devices> with alias @alias (nullable), is one of the
 * domain's own devices: a ua- alias, not a spare root port (hotplug.c: room, not a
 * device), not a console on a serial port (that port itself, whose alias libvirt
 * copies). */
gboolean vt_device_is_listed (xmlNodePtr node, const char *alias);

G_END_DECLS
