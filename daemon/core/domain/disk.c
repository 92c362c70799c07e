/* The disk builder: where a disk's bytes are, what format they have, and the target
 * name and alias the disk takes among its domain's disks. */
#include "domain/devices.h"

#include "domain/identity.h"
#include "domain/xml-tree.h"

/* libvirt's target names: vda..vdz, vdaa.. (a bijective base-26 number). */
static char *
target_name (const char *prefix, guint index)
{
  g_autoptr (GString) letters = g_string_new (NULL);
  guint n = index + 1;

  while (n > 0)
    {
      n--;
      g_string_prepend_c (letters, (char) ('a' + n % 26));
      n /= 26;
    }
  return g_strconcat (prefix, letters->str, NULL);
}

static char *
volume_name (const char *domain, guint index, const char *format)
{
  return g_strdup_printf ("%s-disk%u.%s", domain, index, format);
}

char *
vt_domain_new_volume_name (const VtDescription *desc, guint index, const char *format)
{
  return volume_name (desc->name, index, format);
}

/* Where a disk's bytes are: <disk type=TYPE><source ATTR=VALUE [volume=VOLUME]/>. */
typedef struct {
  const char *type;      /* file | block | volume */
  const char *attr;      /* file | dev | pool */
  const char *value;
  char *volume;          /* volume name for type volume */
} DiskSource;

static void
disk_source_clear (DiskSource *src)
{
  g_clear_pointer (&src->volume, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (DiskSource, disk_source_clear)

/* What Define bound wins; else a path is a file or a block device by its name, and a
 * pool disk is a libvirt volume reference. */
static void
resolve_source (const VtDiskEntry *entry, const char *format, DiskSource *src)
{
  const VtDiskDesc *d = entry->desc;
  const VtDiskBinding *bound = entry->binding;
  gboolean block;

  if (bound && (bound->dev || bound->file))
    {
      block = bound->dev != NULL;
      src->value = block ? bound->dev : bound->file;
    }
  else if (d->kind == VT_DISK_PATH)
    {
      block = g_str_has_prefix (d->path, "/dev/");
      src->value = d->path;
    }
  else
    {
      src->type = "volume";
      src->attr = "pool";
      src->value = d->pool;
      src->volume = d->kind == VT_DISK_NEW ? volume_name (entry->domain, entry->index, format)
                                           : g_strdup (d->volume);
      return;
    }
  src->type = block ? "block" : "file";
  src->attr = block ? "dev" : "file";
}

/* What the disk's bytes are, or NULL when only libvirt knows: Define binds the real
 * format of a pool volume; storage.format describes only the volumes a description
 * creates; a path is raw unless the description says otherwise (never probed). */
static const char *
disk_format (const VtDeviceContext *ctx, const VtDiskEntry *entry)
{
  if (entry->binding && entry->binding->format)
    return entry->binding->format;
  switch (entry->desc->kind)
    {
    case VT_DISK_NEW:
      return vt_device_setting (ctx, "storage.format", "raw");
    case VT_DISK_PATH:
      return entry->desc->format ? entry->desc->format : "raw";
    case VT_DISK_VOLUME:
    case VT_DISK_CDROM:
      break;
    }
  return NULL;
}

static gboolean
check_strings (const VtDiskEntry *entry, GError **error)
{
  const VtDiskDesc *d = entry->desc;
  const VtDiskBinding *bound = entry->binding;

  return vt_tree_check_text ("disks pool", d->pool, error) &&
         vt_tree_check_text ("disks volume", d->volume, error) &&
         vt_tree_check_text ("disks path", d->path, error) &&
         (!bound || (vt_tree_check_text ("disk file", bound->file, error) &&
                     vt_tree_check_text ("disk device", bound->dev, error) &&
                     vt_tree_check_text ("disk format", bound->format, error) &&
                     vt_tree_check_text ("disk secret", bound->secret_uuid, error)));
}

/* <driver name='qemu'>: the cache mode is for writable disks; the I/O thread and the
 * SEV iommu only mean something on virtio. */
static void
add_driver (const VtDeviceContext *ctx, xmlNodePtr disk, const char *format, gboolean cdrom,
            gboolean virtio)
{
  xmlNodePtr driver = vt_tree_add_with (disk, "driver", "name", "qemu");
  const char *cache = vt_settings_get (ctx->settings, "storage.cache");

  if (format)
    vt_tree_set (driver, "type", format);
  if (!cdrom && cache)
    vt_tree_set (driver, "cache", cache);
  if (virtio && ctx->iothreads > 0)
    vt_tree_set (driver, "iothread", "1");
  if (virtio && ctx->sev)
    vt_tree_set (driver, "iommu", "on");
}

/* <source>, with the LUKS secret Define created for an encrypted volume. */
static void
add_source (xmlNodePtr disk, const DiskSource *src, const char *secret)
{
  xmlNodePtr source = vt_tree_add_with (disk, "source", src->attr, src->value);

  if (src->volume)
    vt_tree_set (source, "volume", src->volume);
  if (secret)
    {
      xmlNodePtr encryption = vt_tree_add_with (source, "encryption", "format", "luks");
      vt_tree_set (vt_tree_add_with (encryption, "secret", "type", "passphrase"), "uuid", secret);
    }
}

gboolean
vt_device_add_disk (xmlNodePtr devices, const VtDeviceContext *ctx, const VtDiskEntry *entry,
                    VtDiskCount *count, GError **error)
{
  gboolean cdrom, virtio;
  const char *bus, *format;
  g_auto (DiskSource) src = { 0 };
  g_autofree char *dev = NULL;
  g_autofree char *alias = NULL;
  xmlNodePtr disk;

  g_return_val_if_fail (devices != NULL && ctx != NULL && entry != NULL && count != NULL, FALSE);

  cdrom = entry->desc->kind == VT_DISK_CDROM;
  bus = cdrom ? "sata" : vt_device_setting (ctx, "storage.bus", "virtio");
  if (!check_strings (entry, error) ||
      (!cdrom && !vt_device_host_offers (ctx, "storage.bus", bus, "disk.bus", NULL, error)))
    return FALSE;
  virtio = g_str_equal (bus, "virtio");
  format = disk_format (ctx, entry);
  dev = target_name (virtio ? "vd" : "sd", virtio ? count->vd++ : count->sd++);
  resolve_source (entry, format, &src);
  disk = vt_tree_add_with (devices, "disk", "type", src.type);
  vt_tree_set (disk, "device", cdrom ? "cdrom" : "disk");
  add_driver (ctx, disk, format, cdrom, virtio);
  add_source (disk, &src, entry->binding ? entry->binding->secret_uuid : NULL);
  vt_tree_set (vt_tree_add_with (disk, "target", "dev", dev), "bus", bus);
  if (entry->boot_order > 0)
    vt_tree_set_uint (vt_tree_add (disk, "boot"), "order", entry->boot_order);
  if (cdrom)
    vt_tree_add (disk, "readonly");
  /* libvirt puts an overlay over the disk at start and deletes it at stop: every start
   * sees the disk as it was, whatever the guest wrote. */
  else if (vt_settings_get_bool (ctx->settings, "storage.transient"))
    vt_tree_add (disk, "transient");
  alias = vt_device_next_disk_alias (entry->desc, count);
  vt_device_add_disk_identity (disk, alias);
  return TRUE;
}
