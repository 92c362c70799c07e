/* The domain record in <metadata>: written by the builder, read back for DescribeDomain. */
#include "domain/record.h"

#include "domain/domain.h"
#include "model/description-yaml.h"
#include "util/echo.h"
#include "util/error.h"
#include "util/xml.h"

void
vt_domain_record_add_description (xmlNodePtr vm, xmlNsPtr ns, const VtDescription *desc)
{
  g_autofree char *yaml = vt_description_to_yaml (desc);

  xmlNewTextChild (vm, ns, (const xmlChar *) "description", (const xmlChar *) yaml);
}

void
vt_domain_record_free (VtDomainRecord *record)
{
  if (record == NULL)
    return;
  g_free (record->version);
  g_clear_pointer (&record->scenarios, g_ptr_array_unref);
  g_free (record->description);
  g_free (record);
}

/* libvirt selects the element by namespace and returns it without one; the element
 * as the builder wrote it (in a whole domain document) has virtuned's. */
static gboolean
is_ours (xmlNodePtr node, const char *name)
{
  return node->type == XML_ELEMENT_NODE &&
         (node->ns == NULL || g_strcmp0 ((const char *) node->ns->href, VT_METADATA_NS) == 0) &&
         g_strcmp0 ((const char *) node->name, name) == 0;
}

static char *
text_of (xmlNodePtr node)
{
  xmlChar *text = xmlNodeGetContent (node);
  char *copy = g_strdup ((const char *) text);

  xmlFree (text);
  return copy;
}

static gboolean
unknown (GError **error, const char *domain, const char *why)
{
  g_autofree char *shown = vt_echo (domain);

  g_set_error (error, VT_ERROR, VT_ERROR_UNKNOWN_DOMAIN,
               "domain %s was not defined by virtuned (%s)", shown, why);
  return FALSE;
}

static void
read_children (VtDomainRecord *record, xmlNodePtr vm)
{
  for (xmlNodePtr child = vm->children; child != NULL; child = child->next)
    {
      if (is_ours (child, "scenario"))
        g_ptr_array_add (record->scenarios, text_of (child));
      else if (is_ours (child, "description") && record->description == NULL)
        record->description = text_of (child);
    }
}

VtDomainRecord *
vt_domain_record_parse (const char *xml, const char *domain, GError **error)
{
  g_autoptr (VtDomainRecord) record = g_new0 (VtDomainRecord, 1);
  xmlDocPtr doc;
  xmlNodePtr vm;
  xmlChar *version;

  g_return_val_if_fail (domain != NULL, NULL);

  vt_xml_init ();
  doc = xml != NULL ? vt_xml_parse (xml) : NULL;
  vm = doc != NULL ? xmlDocGetRootElement (doc) : NULL;
  if (vm == NULL || !is_ours (vm, "vm"))
    {
      xmlFreeDoc (doc);
      unknown (error, domain, "it has no virtuned metadata");
      return NULL;
    }
  record->scenarios = g_ptr_array_new_with_free_func (g_free);
  version = xmlGetProp (vm, (const xmlChar *) "version");
  record->version = g_strdup (version != NULL ? (const char *) version : "");
  xmlFree (version);
  read_children (record, vm);
  xmlFreeDoc (doc);
  if (record->description == NULL)
    {
      unknown (error, domain, "its virtuned metadata records no description");
      return NULL;
    }
  return g_steal_pointer (&record);
}
