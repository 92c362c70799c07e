/* Which other domain still uses a volume: every disk <source> of every other domain's
 * definitions, by file path or by pool and volume name. */
#include "libvirt/volume-users.h"

#include <stdlib.h>
#include <string.h>

#include <libvirt/virterror.h>
#include <libxml/tree.h>

#include "libvirt/virt-error.h"
#include "util/xml.h"

static gboolean
source_is_volume (xmlNodePtr source, const char *pool, const char *volume, const char *path)
{
  return vt_xml_prop_is (source, "file", path)
         || (vt_xml_prop_is (source, "pool", pool) && vt_xml_prop_is (source, "volume", volume));
}

/* Any <source> of a <disk> below @node that is the volume. */
static gboolean
tree_uses_volume (xmlNodePtr node, const char *pool, const char *volume, const char *path)
{
  for (xmlNodePtr child = node->children; child != NULL; child = child->next)
    {
      if (child->type != XML_ELEMENT_NODE)
        continue;
      if (xmlStrEqual (child->name, (const xmlChar *) "source")
          && xmlStrEqual (node->name, (const xmlChar *) "disk")
          && source_is_volume (child, pool, volume, path))
        return TRUE;
      if (tree_uses_volume (child, pool, volume, path))
        return TRUE;
    }
  return FALSE;
}

gboolean
vt_domain_xml_uses_volume (const char *xml, const char *pool, const char *volume,
                           const char *path)
{
  xmlDocPtr doc;
  xmlNodePtr root;
  gboolean uses;

  vt_xml_init ();
  doc = xml != NULL ? vt_xml_parse (xml) : NULL;
  root = doc != NULL ? xmlDocGetRootElement (doc) : NULL;
  uses = root != NULL && tree_uses_volume (root, pool, volume, path);
  xmlFreeDoc (doc);
  return uses;
}

/* @dom's definition (the live one when @live) uses the volume. */
static gboolean
definition_uses (virDomainPtr dom, gboolean live, const char *pool, const char *volume,
                 const char *path)
{
  g_autofree char *xml = virDomainGetXMLDesc (dom, live ? 0 : VIR_DOMAIN_XML_INACTIVE);

  if (xml == NULL)
    virResetLastError ();   /* the domain went away meanwhile */
  return xml != NULL && vt_domain_xml_uses_volume (xml, pool, volume, path);
}

static gboolean
domain_uses (virDomainPtr dom, const char *pool, const char *volume, const char *path)
{
  return definition_uses (dom, FALSE, pool, volume, path)
         || (virDomainIsActive (dom) == 1 && definition_uses (dom, TRUE, pool, volume, path));
}

char *
vt_volume_other_user (virConnectPtr conn, virDomainPtr self, const char *pool,
                      const char *volume, const char *path, GError **error)
{
  virDomainPtr *doms = NULL;
  int n = virConnectListAllDomains (conn, &doms, 0);
  char *user = NULL;
  unsigned char self_uuid[VIR_UUID_BUFLEN];

  if (n < 0)
    {
      vt_set_libvirt_error (error, "listing the domains that may use the volume");
      return NULL;
    }
  virDomainGetUUID (self, self_uuid);
  for (int i = 0; i < n; i++)
    {
      unsigned char uuid[VIR_UUID_BUFLEN];

      if (user == NULL && virDomainGetUUID (doms[i], uuid) == 0
          && memcmp (uuid, self_uuid, VIR_UUID_BUFLEN) != 0
          && domain_uses (doms[i], pool, volume, path))
        user = g_strdup (virDomainGetName (doms[i]));
      virDomainFree (doms[i]);
    }
  free (doms);
  return user;
}
