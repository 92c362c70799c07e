/* Device rows from a domain's XML. Reads libvirt's output, so it only looks: an element
 * it does not know becomes a row of its element name. */
#include "domain/inventory.h"

#include "util/error.h"
#include "util/xml.h"

void
vt_device_row_free (VtDeviceRow *row)
{
  if (row == NULL)
    return;
  g_free (row->alias);
  g_free (row->kind);
  g_free (row->summary);
  g_free (row->identity);
  g_free (row);
}

/* Attribute @attr of @node's child @name (or of @node itself when @name is NULL), as a
 * new string; NULL when either is missing. */
static char *
attr (xmlNodePtr node, const char *name, const char *attr_name)
{
  return vt_xml_prop (name != NULL ? vt_xml_child (node, name) : node, attr_name);
}

static char *
text (xmlNodePtr node, const char *name)
{
  return vt_xml_text (vt_xml_child (node, name));
}

/* Where a disk's bytes are, as a caller would name them. */
static char *
disk_source (xmlNodePtr disk)
{
  g_autofree char *pool = attr (disk, "source", "pool");
  g_autofree char *volume = attr (disk, "source", "volume");
  g_autofree char *file = attr (disk, "source", "file");
  g_autofree char *dev = attr (disk, "source", "dev");

  if (pool != NULL && volume != NULL)
    return g_strdup_printf ("volume %s/%s", pool, volume);
  if (file != NULL || dev != NULL)
    return g_strdup (file != NULL ? file : dev);
  return g_strdup ("no medium");
}

static void
describe_disk (xmlNodePtr disk, VtDeviceRow *row)
{
  g_autofree char *device = attr (disk, NULL, "device");
  g_autofree char *bus = attr (disk, "target", "bus");
  g_autofree char *target = attr (disk, "target", "dev");
  g_autofree char *source = disk_source (disk);
  g_autofree char *serial = text (disk, "serial");

  row->kind = g_strdup (g_strcmp0 (device, "cdrom") == 0 ? "cdrom" : "disk");
  row->summary = g_strdup_printf ("%s %s, %s", bus ? bus : "?", target ? target : "?", source);
  row->identity = g_strdup (serial ? serial : "");
}

static void
describe_nic (xmlNodePtr iface, VtDeviceRow *row)
{
  g_autofree char *type = attr (iface, NULL, "type");
  g_autofree char *model = attr (iface, "model", "type");
  g_autofree char *network = attr (iface, "source", "network");
  g_autofree char *bridge = attr (iface, "source", "bridge");
  g_autofree char *mac = attr (iface, "mac", "address");

  row->kind = g_strdup ("nic");
  row->summary = g_strdup_printf ("%s %s, %s", type ? type : "?",
                                  network ? network : bridge ? bridge : "?",
                                  model ? model : "default model");
  row->identity = g_strdup (mac ? mac : "");
}

/* Any other device: its element name, and its type or model. */
static void
describe_other (xmlNodePtr node, VtDeviceRow *row)
{
  g_autofree char *type = attr (node, NULL, "type");
  g_autofree char *model = attr (node, NULL, "model");
  g_autofree char *model_type = attr (node, "model", "type");
  const char *what = model ? model : model_type ? model_type : type;

  row->kind = g_strdup ((const char *) node->name);
  row->summary = g_strdup_printf ("%s%s%s", (const char *) node->name, what ? " " : "",
                                  what ? what : "");
  row->identity = g_strdup ("");
}

static VtDeviceRow *
describe (xmlNodePtr node, char *alias)
{
  VtDeviceRow *row = g_new0 (VtDeviceRow, 1);

  row->alias = alias;
  if (g_str_equal ((const char *) node->name, "disk"))
    describe_disk (node, row);
  else if (g_str_equal ((const char *) node->name, "interface"))
    describe_nic (node, row);
  else
    describe_other (node, row);
  return row;
}

xmlDocPtr
vt_domain_xml_read (const char *xml, xmlNodePtr *root, GError **error)
{
  xmlDocPtr doc;

  vt_xml_init ();
  doc = xml != NULL ? vt_xml_parse (xml) : NULL;
  *root = doc != NULL ? xmlDocGetRootElement (doc) : NULL;
  if (*root != NULL && g_str_equal ((const char *) (*root)->name, "domain"))
    return doc;
  xmlFreeDoc (doc);
  g_set_error (error, VT_ERROR, VT_ERROR_FAILED, "libvirt returned no domain XML");
  return NULL;
}

gboolean
vt_device_is_listed (xmlNodePtr node, const char *alias)
{
  return alias != NULL && g_str_has_prefix (alias, "ua-")
         && !g_str_has_prefix (alias, "ua-pcie-port")
         && !xmlStrEqual (node->name, (const xmlChar *) "console");
}

GPtrArray *
vt_device_inventory (const char *xml, GError **error)
{
  g_autoptr (GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) vt_device_row_free);
  xmlDocPtr doc;
  xmlNodePtr root, devices;

  doc = vt_domain_xml_read (xml, &root, error);
  if (doc == NULL)
    return NULL;
  devices = vt_xml_child (root, "devices");
  for (xmlNodePtr node = devices ? devices->children : NULL; node != NULL; node = node->next)
    {
      char *alias = node->type == XML_ELEMENT_NODE ? attr (node, "alias", "name") : NULL;

      if (vt_device_is_listed (node, alias))
        g_ptr_array_add (rows, describe (node, alias));
      else
        g_free (alias);
    }
  xmlFreeDoc (doc);
  return g_steal_pointer (&rows);
}
