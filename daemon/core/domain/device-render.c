/* One device for an existing domain, and the names it may still take. */
#include "domain/device-render.h"

#include <string.h>

#include "domain/inventory.h"
#include "util/error.h"
#include "util/xml.h"

/* The number a name ends with after @prefix ("ua-disk12" -> 12), or -1. */
static gint64
number_after (const char *name, const char *prefix)
{
  guint64 value;

  if (name == NULL || !g_str_has_prefix (name, prefix) || name[strlen (prefix)] == '\0')
    return -1;
  if (!g_ascii_string_to_unsigned (name + strlen (prefix), 10, 0, G_MAXUINT16, &value, NULL))
    return -1;
  return (gint64) value;
}

/* libvirt's target names back to their index: vda -> 0, vdz -> 25, vdaa -> 26; -1 for
 * anything else. */
static gint64
target_index (const char *dev, const char *prefix)
{
  gint64 n = 0;

  if (dev == NULL || !g_str_has_prefix (dev, prefix) || dev[strlen (prefix)] == '\0')
    return -1;
  for (const char *p = dev + strlen (prefix); *p; p++)
    {
      if (*p < 'a' || *p > 'z' || n > G_MAXUINT16)
        return -1;
      n = n * 26 + (*p - 'a' + 1);
    }
  return n - 1;
}

static void
raise_past (guint *slot, gint64 used)
{
  if (used >= 0 && (guint64) used + 1 > *slot)
    *slot = (guint) used + 1;
}

static char *
prop (xmlNodePtr node, const char *child_name, const char *attr)
{
  return vt_xml_prop (vt_xml_child (node, child_name), attr);
}

static void
add_device (VtDeviceSlots *slots, xmlNodePtr node)
{
  g_autofree char *alias = prop (node, "alias", "name");
  g_autofree char *dev = NULL;

  if (g_str_equal ((const char *) node->name, "interface"))
    {
      raise_past (&slots->nets, number_after (alias, "ua-net"));
      return;
    }
  if (!g_str_equal ((const char *) node->name, "disk"))
    return;
  dev = prop (node, "target", "dev");
  raise_past (&slots->disks.vd, target_index (dev, "vd"));
  raise_past (&slots->disks.sd, target_index (dev, "sd"));
  raise_past (&slots->disks.disks, number_after (alias, "ua-disk"));
  raise_past (&slots->disks.cdroms, number_after (alias, "ua-cdrom"));
}

gboolean
vt_device_slots_add_xml (VtDeviceSlots *slots, const char *xml, GError **error)
{
  xmlDocPtr doc;
  xmlNodePtr root;

  doc = vt_domain_xml_read (xml, &root, error);
  if (doc == NULL)
    return FALSE;
  for (xmlNodePtr devices = root->children; devices != NULL; devices = devices->next)
    if (devices->type == XML_ELEMENT_NODE && g_str_equal ((const char *) devices->name, "devices"))
      for (xmlNodePtr node = devices->children; node != NULL; node = node->next)
        if (node->type == XML_ELEMENT_NODE)
          add_device (slots, node);
  xmlFreeDoc (doc);
  return TRUE;
}

/* Where the device goes: its names and, for a disk, its volume and binding. */
typedef struct {
  const VtDeviceSlots *slots;
  guint volume_index;
  const VtDiskBinding *binding;
} Placement;

static gboolean
build_device (xmlNodePtr devices, const VtResolved *domain, const VtDescription *fragment,
              const VtDomcaps *caps, const Placement *at, GError **error)
{
  VtDeviceContext ctx = vt_device_context (domain->merge->settings, caps);
  VtDiskCount count = at->slots->disks;
  VtDiskEntry entry = { NULL, at->binding, fragment->name, at->volume_index };

  ctx.domain_name = fragment->name;
  if (fragment->networks->len > 0)
    return vt_device_add_nic (devices, &ctx, g_ptr_array_index (fragment->networks, 0),
                              at->slots->nets, error);
  entry.desc = g_ptr_array_index (fragment->disks, 0);
  return vt_device_add_disk (devices, &ctx, &entry, &count, error);
}

/* The element as text, without the XML declaration libvirt does not need. */
static char *
device_text (xmlDocPtr doc)
{
  g_autofree char *text = vt_xml_to_string (doc);
  const char *body = text;

  if (g_str_has_prefix (body, "<?xml") && strstr (body, "?>\n") != NULL)
    body = strstr (body, "?>\n") + 3;
  return g_strdup (body);
}

char *
vt_device_render (const VtResolved *domain, const VtDescription *fragment,
                  const VtDomcaps *caps, const VtDeviceSlots *slots, guint volume_index,
                  const VtDiskBinding *binding, char **alias, GError **error)
{
  const Placement at = { slots, volume_index, binding };
  xmlDocPtr doc;
  xmlNodePtr devices, device;
  char *text;

  g_return_val_if_fail (fragment->disks->len + fragment->networks->len == 1, NULL);

  vt_xml_init ();
  doc = xmlNewDoc ((const xmlChar *) "1.0");
  devices = xmlNewDocNode (doc, NULL, (const xmlChar *) "devices", NULL);
  xmlDocSetRootElement (doc, devices);
  if (!build_device (devices, domain, fragment, caps, &at, error))
    {
      xmlFreeDoc (doc);
      return NULL;
    }
  device = xmlFirstElementChild (devices);
  xmlUnlinkNode (device);
  xmlFreeNode (xmlDocSetRootElement (doc, device));
  *alias = prop (device, "alias", "name");
  text = device_text (doc);
  xmlFreeDoc (doc);
  return text;
}
