/* virtuned — the storage side of Define: existing disks resolved to what libvirt says
 * they are, and new volumes created with the merged storage settings. Knows nothing
 * of the Define transaction: whoever creates a volume here owns it. */
#include "libvirt/storage.h"

#include <string.h>

#include <libvirt/virterror.h>

#include "libvirt/virt-error.h"
#include "model/limits.h"
#include "util/error.h"
#include "util/xml.h"

/* ---- pools ---- */

virStoragePoolPtr
vt_storage_lookup_pool (virConnectPtr conn, guint index, const char *name, GError **error)
{
  g_autoptr (virStoragePool) pool = virStoragePoolLookupByName (conn, name);

  if (pool == NULL)
    {
      g_autofree char *what = g_strdup_printf ("disks[%u]: storage pool '%s'", index, name);
      vt_set_libvirt_error (error, what);
      return NULL;
    }
  if (virStoragePoolIsActive (pool) != 1)
    {
      g_set_error (error, VT_ERROR, VT_ERROR_FAILED,
                   "disks[%u]: storage pool '%s' is not active (start it with "
                   "`virsh pool-start %s`)", index, name, name);
      return NULL;
    }
  return g_steal_pointer (&pool);
}

char *
vt_storage_pool_volume_path (virStoragePoolPtr pool, const char *volume, GError **error)
{
  g_autofree char *xml = virStoragePoolGetXMLDesc (pool, 0);
  g_autofree char *dir = NULL;
  xmlDocPtr doc;

  if (xml == NULL)
    {
      vt_set_libvirt_error (error, "reading the storage pool");
      return NULL;
    }
  doc = vt_xml_parse (xml);
  if (doc != NULL)
    dir = vt_xml_xpath_string (doc, "/pool/target/path");
  xmlFreeDoc (doc);
  if (dir == NULL)
    {
      g_set_error (error, VT_ERROR, VT_ERROR_UNSUPPORTED,
                   "storage pool '%s' has no target path, so it cannot hold encrypted "
                   "volumes", virStoragePoolGetName (pool));
      return NULL;
    }
  return g_build_filename (dir, volume, NULL);
}

/* ---- bindings: where a disk really lives ---- */

static void
binding_clear (VtDiskBinding *binding)
{
  g_clear_pointer (&binding->file, g_free);
  g_clear_pointer (&binding->dev, g_free);
  g_clear_pointer (&binding->format, g_free);
  g_clear_pointer (&binding->secret_uuid, g_free);
}

/* The format, LUKS secret and encryption of a volume from its XML. A document that
 * does not parse leaves all three unset, as a volume without them. */
static void
bind_volume_xml (const char *xml, VtDiskBinding *binding, gboolean *encrypted)
{
  xmlDocPtr doc = vt_xml_parse (xml);
  g_autofree char *encryption = NULL;

  if (doc != NULL)
    {
      binding->format = vt_xml_xpath_string (doc, "/volume/target/format/@type");
      binding->secret_uuid = vt_xml_xpath_string (
          doc, "/volume/target/encryption[@format='luks']/secret/@uuid");
      /* libvirt requires the format attribute, so it marks every <encryption>. */
      encryption = vt_xml_xpath_string (doc, "/volume/target/encryption/@format");
      xmlFreeDoc (doc);
    }
  /* libvirt's storage driver calls ISO 9660 images "iso"; QEMU reads them as raw. */
  if (g_strcmp0 (binding->format, "iso") == 0)
    {
      g_free (binding->format);
      binding->format = g_strdup ("raw");
    }
  if (encrypted != NULL)
    *encrypted = encryption != NULL;
}

gboolean
vt_storage_bind_volume (virStorageVolPtr vol, guint index, VtDiskBinding *binding,
                        gboolean *encrypted, GError **error)
{
  virStorageVolInfo info;
  g_autofree char *path = NULL;
  g_autofree char *xml = NULL;
  /* Named first: every libvirt call resets libvirt's last error. */
  g_autofree char *what = g_strdup_printf ("disks[%u]: volume %s", index,
                                           virStorageVolGetName (vol));

  if (virStorageVolGetInfo (vol, &info) < 0 || (path = virStorageVolGetPath (vol)) == NULL
      || (xml = virStorageVolGetXMLDesc (vol, 0)) == NULL)
    return vt_set_libvirt_error (error, what);
  if (info.type != VIR_STORAGE_VOL_FILE && info.type != VIR_STORAGE_VOL_BLOCK)
    {
      g_set_error (error, VT_ERROR, VT_ERROR_UNSUPPORTED,
                   "%s is neither a file nor a block device; virtuned only attaches "
                   "local volumes", what);
      return FALSE;
    }
  binding_clear (binding);
  if (info.type == VIR_STORAGE_VOL_FILE)
    binding->file = g_steal_pointer (&path);
  else
    binding->dev = g_steal_pointer (&path);
  bind_volume_xml (xml, binding, encrypted);
  return TRUE;
}

static gboolean
bind_existing_disk (virConnectPtr conn, guint index, const VtDiskDesc *disk,
                    VtDiskBinding *binding, gboolean *encrypted, GError **error)
{
  g_autoptr (virStoragePool) pool = NULL;
  g_autoptr (virStorageVol) vol = NULL;

  pool = vt_storage_lookup_pool (conn, index, disk->pool, error);
  if (pool == NULL)
    return FALSE;
  vol = virStorageVolLookupByName (pool, disk->volume);
  if (vol == NULL)
    {
      g_autofree char *what = g_strdup_printf ("disks[%u]: volume %s/%s", index,
                                               disk->pool, disk->volume);
      return vt_set_libvirt_error (error, what);
    }
  return vt_storage_bind_volume (vol, index, binding, encrypted, error);
}

void
vt_disk_resolution_free (VtDiskResolution *disks)
{
  if (disks == NULL)
    return;
  for (guint i = 0; i < disks->n_disks; i++)
    binding_clear (&disks->bindings[i]);
  g_free (disks->bindings);
  g_free (disks->encrypted);
  g_free (disks);
}

VtDiskResolution *
vt_storage_resolve_disks (const VtResolved *resolved, virConnectPtr conn, GError **error)
{
  const VtDescription *desc = resolved->desc;
  g_autoptr (VtDiskResolution) disks = g_new0 (VtDiskResolution, 1);

  disks->n_disks = desc->disks != NULL ? desc->disks->len : 0;
  disks->bindings = g_new0 (VtDiskBinding, MAX (disks->n_disks, 1));
  disks->encrypted = g_new0 (gboolean, MAX (disks->n_disks, 1));
  for (guint i = 0; i < disks->n_disks; i++)
    {
      const VtDiskDesc *disk = g_ptr_array_index (desc->disks, i);

      /* path: disks need no lookup: the builder places the path (a file, or a block
       * device under /dev) with the description's format:, raw unless given, exactly
       * as Render does; never storage.format, which describes new volumes. */
      if ((disk->kind == VT_DISK_VOLUME || disk->kind == VT_DISK_CDROM)
          && !bind_existing_disk (conn, i, disk, &disks->bindings[i], &disks->encrypted[i],
                                  error))
        return NULL;
    }
  return g_steal_pointer (&disks);
}

/* ---- the <volume> document of a new disk ---- */

guint64
vt_storage_new_capacity (const VtSettings *settings, guint index, const VtDiskDesc *disk,
                         GError **error)
{
  guint64 capacity = disk->size ? disk->size
                                : vt_settings_get_size (settings, "storage.capacity");

  if (capacity == 0)
    g_set_error (error, VT_ERROR, VT_ERROR_INVALID_DESCRIPTION,
                 "disks[%u] (line %u, column %u): a new disk needs a size (or the "
                 "storage.capacity setting)", index, disk->line, disk->column);
  return capacity;
}

static guint64
cluster_size_for (const VtSettings *settings, GPtrArray *notes)
{
  guint64 size = vt_settings_get_size (settings, "storage.cluster_size");

  if (size > VT_QCOW2_MAX_CLUSTER_SIZE)
    {
      if (notes != NULL)
        g_ptr_array_add (notes, g_strdup_printf (
            "storage.cluster_size %s is larger than QEMU's qcow2 maximum; 2MiB is used",
            vt_settings_get (settings, "storage.cluster_size")));
      size = VT_QCOW2_MAX_CLUSTER_SIZE;
    }
  return size;
}

static void
add_size_child (xmlNodePtr parent, const char *name, const char *unit, guint64 value)
{
  char text[G_ASCII_DTOSTR_BUF_SIZE];
  xmlNodePtr node;

  g_snprintf (text, sizeof text, "%" G_GUINT64_FORMAT, value);
  node = xmlNewTextChild (parent, NULL, (const xmlChar *) name, (const xmlChar *) text);
  xmlSetProp (node, (const xmlChar *) "unit", (const xmlChar *) unit);
}

/* The qcow2-only parts of a volume target: modern compat (libvirt would otherwise
 * pick 0.10, which has neither lazy refcounts nor LUKS), cluster size, features. */
static void
add_qcow2_target (xmlNodePtr target, const VtSettings *settings, GPtrArray *notes)
{
  guint64 cluster = cluster_size_for (settings, notes);

  xmlNewTextChild (target, NULL, (const xmlChar *) "compat", (const xmlChar *) "1.1");
  if (cluster > 0)
    add_size_child (target, "clusterSize", "B", cluster);
  if (vt_settings_get_bool (settings, "storage.lazy_refcounts"))
    {
      xmlNodePtr features = xmlNewChild (target, NULL, (const xmlChar *) "features", NULL);

      xmlNewChild (features, NULL, (const xmlChar *) "lazy_refcounts", NULL);
    }
}

static void
add_luks_encryption (xmlNodePtr target, const char *secret_uuid)
{
  xmlNodePtr enc = xmlNewChild (target, NULL, (const xmlChar *) "encryption", NULL);
  xmlNodePtr secret;

  xmlSetProp (enc, (const xmlChar *) "format", (const xmlChar *) "luks");
  secret = xmlNewChild (enc, NULL, (const xmlChar *) "secret", NULL);
  xmlSetProp (secret, (const xmlChar *) "type", (const xmlChar *) "passphrase");
  xmlSetProp (secret, (const xmlChar *) "uuid", (const xmlChar *) secret_uuid);
}

/* storage.preallocation as libvirt can express it. For qcow2 libvirt turns the
 * PREALLOC_METADATA flag into qemu-img preallocation=metadata when allocation is below
 * capacity and preallocation=falloc when it equals it ("full" has no spelling there, so
 * falloc is the closest). Raw files take no flag: libvirt allocates @allocation bytes. */
static guint64
preallocation_for (const VtSettings *settings, gboolean qcow2, guint64 capacity,
                   unsigned int *flags, GPtrArray *notes)
{
  const char *mode = vt_settings_get (settings, "storage.preallocation");

  *flags = 0;
  if (mode == NULL || g_str_equal (mode, "off"))
    return 0;
  if (!qcow2)
    return g_str_equal (mode, "metadata") ? 0 : capacity;
  *flags = VIR_STORAGE_VOL_CREATE_PREALLOC_METADATA;
  if (g_str_equal (mode, "metadata"))
    return 0;
  if (g_str_equal (mode, "full") && notes != NULL)
    g_ptr_array_add (notes, g_strdup ("storage.preallocation full: libvirt preallocates "
                                      "qcow2 volumes with falloc"));
  return capacity;
}

char *
vt_storage_volume_xml (const char *name, guint64 capacity, const VtSettings *settings,
                       const char *secret_uuid, unsigned int *create_flags, GPtrArray *notes)
{
  const char *format = vt_settings_get (settings, "storage.format");
  gboolean qcow2 = format == NULL || g_str_equal (format, "qcow2");
  xmlDocPtr doc = xmlNewDoc ((const xmlChar *) "1.0");
  xmlNodePtr root = xmlNewNode (NULL, (const xmlChar *) "volume");
  xmlNodePtr target, node;
  guint64 allocation = preallocation_for (settings, qcow2, capacity, create_flags, notes);
  char *text;

  xmlDocSetRootElement (doc, root);
  xmlNewTextChild (root, NULL, (const xmlChar *) "name", (const xmlChar *) name);
  add_size_child (root, "capacity", "bytes", capacity);
  add_size_child (root, "allocation", "bytes", allocation);
  target = xmlNewChild (root, NULL, (const xmlChar *) "target", NULL);
  node = xmlNewChild (target, NULL, (const xmlChar *) "format", NULL);
  xmlSetProp (node, (const xmlChar *) "type", (const xmlChar *) (qcow2 ? "qcow2" : "raw"));
  if (qcow2)
    add_qcow2_target (target, settings, notes);
  if (secret_uuid != NULL)
    add_luks_encryption (target, secret_uuid);
  text = vt_xml_to_string (doc);
  xmlFreeDoc (doc);
  return text;
}

/* ---- creating a volume ---- */

/* QEMU releases carrying the threaded PBKDF benchmark without its follow-up fix (Debian
 * 12's 7.2 among them) fail LUKS creation at random on fast machines: the benchmark's
 * first round can finish before getrusage() accounts any CPU time. Nothing was created
 * (libvirt removes the volume when qemu-img fails), so trying again is safe. */
#define LUKS_CREATE_ATTEMPTS 8

static gboolean
is_pbkdf_benchmark_glitch (void)
{
  const char *message = virGetLastErrorMessage ();

  return message != NULL && strstr (message, "Unable to get accurate CPU usage") != NULL;
}

static virStorageVolPtr
create_with_retry (virStoragePoolPtr pool, const char *xml, unsigned int flags, gboolean luks)
{
  virStorageVolPtr vol = virStorageVolCreateXML (pool, xml, flags);

  for (guint attempt = 1; vol == NULL && luks && attempt < LUKS_CREATE_ATTEMPTS
                          && is_pbkdf_benchmark_glitch (); attempt++)
    {
      g_message ("qemu-img's LUKS benchmark measured no CPU time; creating the volume "
                 "again (attempt %u of %u)", attempt + 1, LUKS_CREATE_ATTEMPTS);
      vol = virStorageVolCreateXML (pool, xml, flags);
    }
  return vol;
}

virStorageVolPtr
vt_storage_create_volume (virStoragePoolPtr pool, guint index, const char *name,
                          guint64 capacity, const VtSettings *settings,
                          const char *secret_uuid, GPtrArray *notes, GError **error)
{
  unsigned int flags = 0;
  g_autofree char *xml = vt_storage_volume_xml (name, capacity, settings, secret_uuid,
                                                &flags, notes);
  /* Named first: every libvirt call resets libvirt's last error. */
  g_autofree char *what = g_strdup_printf ("disks[%u]: creating volume %s/%s", index,
                                           virStoragePoolGetName (pool), name);
  virStorageVolPtr vol = create_with_retry (pool, xml, flags, secret_uuid != NULL);

  if (vol == NULL)
    vt_set_libvirt_error (error, what);
  return vol;
}
