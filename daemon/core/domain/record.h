/* virtuned — what Define records in a domain's <metadata> under virtuned's namespace
 * (VT_METADATA_NS): the virtuned version, the scenarios applied and the caller's
 * description (model/description-yaml.h, without SEV launch data), so the description
 * travels with the domain (DescribeDomain, RenderUpdate). */
#pragma once

#include <glib.h>
#include <libxml/tree.h>

#include "model/description.h"

G_BEGIN_DECLS

/* <virtuned:description> with @desc as YAML, appended to the <virtuned:vm> element @vm
 * whose namespace is @ns. */
void vt_domain_record_add_description (xmlNodePtr vm, xmlNsPtr ns, const VtDescription *desc);

typedef struct {
  char *version;          /* the virtuned that defined the domain */
  GPtrArray *scenarios;   /* char*: the policies applied, includes first */
  char *description;      /* YAML, as vt_description_to_yaml wrote it */
  GPtrArray *created;     /* char*: aliases of disks whose volume virtuned created and a
                           * device change pinned as volume: (<created>ALIAS</created>) */
} VtDomainRecord;

void vt_domain_record_free (VtDomainRecord *record);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VtDomainRecord, vt_domain_record_free)

/* Reads the <virtuned:vm> element libvirt returns for VT_METADATA_NS
 * (virDomainGetMetadata). NULL with VT_ERROR_UNKNOWN_DOMAIN when @xml is not such an
 * element or carries no description (a domain virtuned did not define, or one defined
 * before descriptions were recorded); @domain names it in the message. */
VtDomainRecord *vt_domain_record_parse (const char *xml, const char *domain, GError **error);

/* The <vm> element of @record, for virDomainSetMetadata (which adds the namespace). */
char *vt_domain_record_xml (const VtDomainRecord *record);

/* The record's description after a device change (issue #12): every device's alias is
 * pinned and every new volume (pool:) becomes the volume it is (volume: POOL/NAME, NAME
 * as Define gave it, in @format: the domain's storage.format), so the change renames
 * nothing. Then @fragment's device (vt_description_parse_device; taken) is appended with
 * @alias pinned, as @new_volume ("POOL/NAME", when it made one) if given. Errors:
 * VT_ERROR_INVALID_DESCRIPTION (the recorded description no longer parses). */
gboolean vt_domain_record_add_device (VtDomainRecord *record, VtDescription *fragment,
                                      const char *alias, const char *new_volume,
                                      const char *format, GError **error);

/* As vt_domain_record_add_device, removing the device @alias instead (no entry has it:
 * nothing but the pinning changes). */
gboolean vt_domain_record_remove_device (VtDomainRecord *record, const char *alias,
                                         const char *format, GError **error);

/* Which storage DetachDevice's delete-storage may delete for disk @alias: only a volume
 * virtuned created itself, a pool: entry of Define (named in @format as Define named it)
 * or a volume: entry whose alias @record lists as created. Sets @pool and @volume.
 * VT_ERROR_FAILED naming why otherwise: an existing volume, a path:, a CD-ROM, a NIC,
 * an alias the record does not know; VT_ERROR_INVALID_DESCRIPTION as above. */
gboolean vt_domain_record_created_volume (const VtDomainRecord *record, const char *alias,
                                          const char *format, char **pool, char **volume,
                                          GError **error);

G_END_DECLS
