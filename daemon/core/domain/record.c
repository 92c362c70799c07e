/* The domain record in <metadata>: written by the builder, read back for DescribeDomain. */
#include "domain/record.h"

#include <string.h>

#include "domain/domain.h"
#include "model/description-yaml.h"
#include "model/device-alias.h"
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
  g_clear_pointer (&record->created, g_ptr_array_unref);
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
        g_ptr_array_add (record->scenarios, vt_xml_text (child));
      else if (is_ours (child, "description") && record->description == NULL)
        record->description = vt_xml_text (child);
      else if (is_ours (child, "created"))
        g_ptr_array_add (record->created, vt_xml_text (child));
    }
}

VtDomainRecord *
vt_domain_record_parse (const char *xml, const char *domain, GError **error)
{
  g_autoptr (VtDomainRecord) record = g_new0 (VtDomainRecord, 1);
  xmlDocPtr doc;
  xmlNodePtr vm;

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
  record->created = g_ptr_array_new_with_free_func (g_free);
  record->version = vt_xml_prop (vm, "version");
  if (record->version == NULL)
    record->version = g_strdup ("");
  read_children (record, vm);
  xmlFreeDoc (doc);
  if (record->description == NULL)
    {
      unknown (error, domain, "its virtuned metadata records no description");
      return NULL;
    }
  return g_steal_pointer (&record);
}

/* ---- writing the record back (issue #12) ---- */

char *
vt_domain_record_xml (const VtDomainRecord *record)
{
  xmlDocPtr doc;
  xmlNodePtr vm;
  char *text;

  vt_xml_init ();
  doc = xmlNewDoc ((const xmlChar *) "1.0");
  vm = xmlNewDocNode (doc, NULL, (const xmlChar *) "vm", NULL);
  xmlDocSetRootElement (doc, vm);
  xmlSetProp (vm, (const xmlChar *) "version", (const xmlChar *) record->version);
  for (guint i = 0; i < record->scenarios->len; i++)
    xmlNewTextChild (vm, NULL, (const xmlChar *) "scenario",
                     (const xmlChar *) g_ptr_array_index (record->scenarios, i));
  xmlNewTextChild (vm, NULL, (const xmlChar *) "description",
                   (const xmlChar *) record->description);
  for (guint i = 0; record->created != NULL && i < record->created->len; i++)
    xmlNewTextChild (vm, NULL, (const xmlChar *) "created",
                     (const xmlChar *) g_ptr_array_index (record->created, i));
  text = vt_xml_to_string (doc);
  xmlFreeDoc (doc);
  return text;
}

static gboolean
lists_created (const VtDomainRecord *record, const char *alias)
{
  return record->created != NULL && alias != NULL
         && g_ptr_array_find_with_equal_func (record->created, alias, g_str_equal, NULL);
}

/* Remembers that virtuned created the volume of disk @alias (delete-storage). */
static void
mark_created (VtDomainRecord *record, const char *alias)
{
  if (record->created == NULL)
    record->created = g_ptr_array_new_with_free_func (g_free);
  if (!lists_created (record, alias))
    g_ptr_array_add (record->created, g_strdup (alias));
}

static void
forget_created (VtDomainRecord *record, const char *alias)
{
  guint index;

  if (record->created != NULL
      && g_ptr_array_find_with_equal_func (record->created, alias, g_str_equal, &index))
    g_ptr_array_remove_index (record->created, index);
}

/* A new volume Define made, named as it named it: now an existing volume, which
 * @record (when given) remembers as created. */
static void
settle_new_volume (VtDomainRecord *record, const VtDescription *desc, guint index,
                   const char *format)
{
  VtDiskDesc *disk = g_ptr_array_index (desc->disks, index);

  if (disk->kind != VT_DISK_NEW)
    return;
  if (record != NULL)
    mark_created (record, disk->alias);
  disk->kind = VT_DISK_VOLUME;
  disk->volume = vt_domain_new_volume_name (desc, index, format);
  disk->size = 0;
}

static VtDescription *
pinned_description (VtDomainRecord *record, const char *format, GError **error)
{
  VtDescription *desc = vt_description_parse (record->description,
                                              strlen (record->description), error);

  if (desc == NULL)
    return NULL;
  vt_description_pin_aliases (desc);
  for (guint i = 0; i < desc->disks->len; i++)
    settle_new_volume (record, desc, i, format);
  return desc;
}

static void
replace_description (VtDomainRecord *record, const VtDescription *desc)
{
  g_free (record->description);
  record->description = vt_description_to_yaml (desc);
}

static void
append_disk (VtDomainRecord *record, VtDescription *desc, VtDiskDesc *disk, const char *alias,
             const char *new_volume)
{
  disk->alias = g_strdup (alias);
  if (new_volume != NULL)
    {
      g_auto (GStrv) parts = g_strsplit (new_volume, "/", 2);

      disk->kind = VT_DISK_VOLUME;
      disk->size = 0;
      mark_created (record, alias);
      g_free (disk->volume);
      disk->volume = g_strdup (parts[1]);
    }
  g_ptr_array_add (desc->disks, disk);
}

/* Appends @fragment's one device to @desc under @alias. */
static void
append_device (VtDomainRecord *record, VtDescription *desc, VtDescription *fragment,
               const char *alias, const char *new_volume)
{
  if (fragment->networks->len > 0)
    {
      VtNetDesc *net = g_ptr_array_steal_index (fragment->networks, 0);

      net->alias = g_strdup (alias);
      g_ptr_array_add (desc->networks, net);
      return;
    }
  append_disk (record, desc, g_ptr_array_steal_index (fragment->disks, 0), alias, new_volume);
}

gboolean
vt_domain_record_add_device (VtDomainRecord *record, VtDescription *fragment,
                             const char *alias, const char *new_volume, const char *format,
                             GError **error)
{
  g_autoptr (VtDescription) desc = pinned_description (record, format, error);

  if (desc == NULL)
    return FALSE;
  append_device (record, desc, fragment, alias, new_volume);
  replace_description (record, desc);
  return TRUE;
}

static void
remove_alias (GPtrArray *entries, gsize alias_offset, const char *alias)
{
  for (guint i = 0; i < entries->len; i++)
    {
      const char *pinned = G_STRUCT_MEMBER (const char *, g_ptr_array_index (entries, i),
                                            alias_offset);

      if (g_strcmp0 (pinned, alias) == 0)
        {
          g_ptr_array_remove_index (entries, i);
          return;
        }
    }
}

gboolean
vt_domain_record_remove_device (VtDomainRecord *record, const char *alias, const char *format,
                                GError **error)
{
  g_autoptr (VtDescription) desc = pinned_description (record, format, error);

  if (desc == NULL)
    return FALSE;
  remove_alias (desc->disks, G_STRUCT_OFFSET (VtDiskDesc, alias), alias);
  remove_alias (desc->networks, G_STRUCT_OFFSET (VtNetDesc, alias), alias);
  forget_created (record, alias);
  replace_description (record, desc);
  return TRUE;
}

/* ---- what delete-storage may delete ---- */

static gboolean
not_deletable (GError **error, const char *alias, const char *why)
{
  g_autofree char *shown = vt_echo (alias);

  g_set_error (error, VT_ERROR, VT_ERROR_FAILED,
               "delete-storage refused for device %s: %s; nothing was detached", shown, why);
  return FALSE;
}

static const VtDiskDesc *
find_disk (const VtDescription *desc, const char *alias, guint *index)
{
  for (guint i = 0; i < desc->disks->len; i++)
    {
      const VtDiskDesc *disk = g_ptr_array_index (desc->disks, i);

      if (g_strcmp0 (disk->alias, alias) == 0)
        {
          *index = i;
          return disk;
        }
    }
  return NULL;
}

/* Why virtuned did not create @disk's storage, or NULL when it did. */
static const char *
not_created_reason (const VtDomainRecord *record, const VtDiskDesc *disk)
{
  switch (disk->kind)
    {
    case VT_DISK_NEW:
      return NULL;
    case VT_DISK_VOLUME:
      return lists_created (record, disk->alias)
               ? NULL : "its volume existed before; virtuned deletes only volumes it created";
    case VT_DISK_CDROM:
      return "a CD-ROM's volume is never deleted";
    case VT_DISK_PATH:
      return "a path: disk is a host file, never deleted";
    }
  return "unknown disk kind";
}

gboolean
vt_domain_record_created_volume (const VtDomainRecord *record, const char *alias,
                                 const char *format, char **pool, char **volume,
                                 GError **error)
{
  g_autoptr (VtDescription) desc = vt_description_parse (record->description,
                                                         strlen (record->description), error);
  const VtDiskDesc *disk;
  const char *why;
  guint index = 0;

  if (desc == NULL)
    return FALSE;
  vt_description_pin_aliases (desc);
  disk = find_disk (desc, alias, &index);
  if (disk == NULL)
    return not_deletable (error, alias, "the domain's record has no disk of that alias");
  why = not_created_reason (record, disk);
  if (why != NULL)
    return not_deletable (error, alias, why);
  *pool = g_strdup (disk->pool);
  *volume = disk->kind == VT_DISK_NEW ? vt_domain_new_volume_name (desc, index, format)
                                      : g_strdup (disk->volume);
  return TRUE;
}
