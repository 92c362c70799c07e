/* virtuned — builds the libvirt domain tree (SPEC §4.4) with libxml2's tree API. Its
 * devices come from the per-device builders of domain/devices.h. */
#pragma once

#include <glib.h>
#include <libxml/tree.h>

#include "model/description.h"
#include "model/domcaps.h"
#include "model/settings.h"

G_BEGIN_DECLS

#define VT_METADATA_NS "https://virtscenario.org/xmlns/virtuned/1.0"

/* Where disk i really lives once Define has created or resolved it. Render passes
 * NULL and disks are rendered from their pool/volume references. */
typedef struct {
  char *file;          /* resolved path of a file-backed volume, or NULL */
  char *dev;           /* resolved block device, or NULL */
  char *format;        /* raw | qcow2 ... as the volume really is */
  char *secret_uuid;   /* LUKS passphrase secret, or NULL */
} VtDiskBinding;

/* @bindings: NULL or desc->disks->len entries. @applied: policy names for <metadata>;
 * @os_id (nullable): the guest OS's libosinfo URI, for <libosinfo:os> there.
 * Writes what @settings say and nothing else: requirements between settings (SEV needs
 * UEFI, ...) are the merge's job, so every value has its provenance. Errors: a caller
 * string XML cannot carry (VT_ERROR_INVALID_DESCRIPTION), no memory size
 * (VT_ERROR_FAILED), SEV or a device model the host lacks (VT_ERROR_UNSUPPORTED).
 * util/xml.h's vt_xml_to_string serialises it. */
xmlDocPtr vt_domain_build (const VtDescription *desc, const VtSettings *settings,
                           const VtDomcaps *caps, const GPtrArray *applied,
                           const char *os_id, const VtDiskBinding *bindings,
                           GError **error);

/* Name of the new volume for disk @index ("NAME-disk0.qcow2"). */
char *vt_domain_new_volume_name (const VtDescription *desc, guint index, const char *format);

G_END_DECLS
