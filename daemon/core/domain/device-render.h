/* virtuned — one device for an existing domain (RenderDevice, AttachDevice: issue #12):
 * built by the same device builders as the domain's own devices, from the settings of
 * the domain's recorded description, with the next names the domain has free. */
#pragma once

#include <glib.h>

#include "domain/devices.h"
#include "merge/resolve.h"

G_BEGIN_DECLS

/* The next free names of a domain: target names (vd…, sd…), disk and CD-ROM aliases
 * (ua-diskN, ua-cdromN) and NIC aliases (ua-netN). */
typedef struct {
  VtDiskCount disks;
  guint nets;
} VtDeviceSlots;

/* Raises @slots past every name the domain XML @xml uses. Call it for the configuration
 * and, when the domain runs, the live XML: a name either of them holds is taken.
 * Errors: VT_ERROR_FAILED when @xml is not a domain document. */
gboolean vt_device_slots_add_xml (VtDeviceSlots *slots, const char *xml, GError **error);

/* The single device of @fragment (vt_description_parse_device) for the domain whose
 * recorded description resolved to @domain, as a <disk> or <interface> element (XML
 * text, no declaration), named from @slots; a new volume is DOMAIN-disk@volume_index
 * .FORMAT, the name the disk would have at that position of the description. @binding
 * (nullable): where the disk really is, as Define binds it. @alias (out): the new
 * device's alias. Errors: those of the device builders. */
char *vt_device_render (const VtResolved *domain, const VtDescription *fragment,
                        const VtDomcaps *caps, const VtDeviceSlots *slots,
                        guint volume_index, const VtDiskBinding *binding, char **alias,
                        GError **error);

G_END_DECLS
