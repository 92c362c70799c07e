#include "domain/render.h"

#include "util/xml.h"

char *
vt_domain_render (const VtResolved *resolved, const VtDomcaps *caps,
                  const VtDiskBinding *bindings, GError **error)
{
  xmlDocPtr doc = vt_domain_build (resolved->desc, resolved->merge->settings, caps,
                                   resolved->merge->applied, resolved->merge->os_id,
                                   bindings, error);
  char *xml;

  if (!doc)
    return NULL;
  xml = vt_xml_to_string (doc);
  xmlFreeDoc (doc);
  return xml;
}
