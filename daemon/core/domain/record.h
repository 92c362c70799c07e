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
} VtDomainRecord;

void vt_domain_record_free (VtDomainRecord *record);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VtDomainRecord, vt_domain_record_free)

/* Reads the <virtuned:vm> element libvirt returns for VT_METADATA_NS
 * (virDomainGetMetadata). NULL with VT_ERROR_UNKNOWN_DOMAIN when @xml is not such an
 * element or carries no description (a domain virtuned did not define, or one defined
 * before descriptions were recorded); @domain names it in the message. */
VtDomainRecord *vt_domain_record_parse (const char *xml, const char *domain, GError **error);

G_END_DECLS
