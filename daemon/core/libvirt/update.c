/* Re-rendering a domain's recorded description, and redefining it. */
#include "libvirt/update.h"

#include <libvirt/virterror.h>

#include "domain/inventory.h"
#include "domain/render.h"
#include "libvirt/storage.h"
#include "libvirt/virt-error.h"
#include "util/error.h"
#include "util/xml.h"

struct _VtUpdate {
  VtTarget target;
  VtDiskResolution *disks;
  char *rendered;
  VtAccessLevel level;
  char *reason;
};

void
vt_update_free (VtUpdate *update)
{
  if (update == NULL)
    return;
  vt_target_clear (&update->target);
  vt_disk_resolution_free (update->disks);
  g_free (update->rendered);
  g_free (update->reason);
  g_free (update);
}

/* Binds new disk @index to the volume Define made for it. */
static gboolean
bind_new_disk (VtUpdate *update, guint index, const VtDiskDesc *disk, GError **error)
{
  const VtDescription *desc = update->target.resolved->desc;
  g_autoptr (virStoragePool) pool = vt_storage_lookup_pool (update->target.conn, index,
                                                           disk->pool, error);
  g_autofree char *name = NULL;
  g_autoptr (virStorageVol) vol = NULL;

  if (pool == NULL)
    return FALSE;
  name = vt_domain_new_volume_name (desc, index, vt_target_storage_format (&update->target));
  vol = virStorageVolLookupByName (pool, name);
  if (vol == NULL)
    {
      g_autofree char *what = g_strdup_printf ("disks[%u]: looking up volume %s", index, name);

      return vt_set_libvirt_error (error, what);
    }
  return vt_storage_bind_volume (vol, index, &update->disks->bindings[index], NULL, error);
}

static gboolean
bind_disks (VtUpdate *update, GError **error)
{
  const VtDescription *desc = update->target.resolved->desc;

  update->disks = vt_storage_resolve_disks (update->target.resolved, update->target.conn, error);
  if (update->disks == NULL)
    return FALSE;
  for (guint i = 0; i < desc->disks->len; i++)
    {
      const VtDiskDesc *disk = g_ptr_array_index (desc->disks, i);

      if (disk->kind == VT_DISK_NEW && !bind_new_disk (update, i, disk, error))
        return FALSE;
    }
  return TRUE;
}

VtUpdate *
vt_update_new (VtConnection *conn, const VtDeviceInputs *inputs, const char *domain,
               GError **error)
{
  g_autoptr (VtUpdate) update = g_new0 (VtUpdate, 1);

  if (!vt_target_open (&update->target, conn, inputs, domain, error) || !bind_disks (update, error))
    return NULL;
  update->rendered = vt_domain_render (update->target.resolved, inputs->caps,
                                       update->disks->bindings, error);
  if (update->rendered == NULL)
    return NULL;
  update->level = vt_access_define_level (update->target.resolved->desc, inputs->config,
                                          update->disks, &update->reason);
  return g_steal_pointer (&update);
}

VtAccessLevel
vt_update_access (const VtUpdate *update, const char **reason)
{
  *reason = update->reason;
  return update->level;
}

GPtrArray *
vt_update_changes (VtUpdate *update, GError **error)
{
  g_autofree char *current = vt_target_xml (&update->target, FALSE, error);

  if (current == NULL)
    return NULL;
  return vt_domain_update_diff (current, update->rendered, error);
}

/* The rendered domain with the domain's own UUID, so the define replaces it. */
static char *
rendered_with_uuid (VtUpdate *update, GError **error)
{
  char uuid[VIR_UUID_STRING_BUFLEN];
  xmlNodePtr root;
  xmlDocPtr doc;
  char *xml;

  if (virDomainGetUUIDString (update->target.dom, uuid) < 0)
    {
      vt_set_libvirt_error (error, "reading the domain's UUID");
      return NULL;
    }
  doc = vt_domain_xml_read (update->rendered, &root, error);
  if (doc == NULL)
    return NULL;
  xmlNewTextChild (root, NULL, (const xmlChar *) "uuid", (const xmlChar *) uuid);
  xml = vt_xml_to_string (doc);
  xmlFreeDoc (doc);
  return xml;
}

static void
keep_backend (GPtrArray *changes)
{
  for (guint i = changes->len; i > 0; i--)
    if (((VtChange *) g_ptr_array_index (changes, i - 1))->klass != VT_CHANGE_BACKEND)
      g_ptr_array_remove_index (changes, i - 1);
}

GPtrArray *
vt_update_apply (VtUpdate *update, gboolean backend_only, GError **error)
{
  g_autofree char *current = vt_target_xml (&update->target, FALSE, error);
  g_autoptr (GPtrArray) changes = NULL;
  g_autofree char *xml = NULL;
  virDomainPtr dom;

  if (current == NULL || (changes = vt_domain_update_diff (current, update->rendered, error)) == NULL)
    return NULL;
  if (backend_only)
    keep_backend (changes);
  if (changes->len == 0)
    return g_steal_pointer (&changes);
  xml = backend_only ? vt_domain_update_backend (current, update->rendered, error)
                     : rendered_with_uuid (update, error);
  if (xml == NULL)
    return NULL;
  /* A running domain keeps what runs: the new definition is its next start's. */
  dom = virDomainDefineXMLFlags (update->target.conn, xml, VIR_DOMAIN_DEFINE_VALIDATE);
  if (dom == NULL)
    {
      vt_set_libvirt_error (error, "redefining the domain");
      return NULL;
    }
  virDomainFree (dom);
  return g_steal_pointer (&changes);
}
