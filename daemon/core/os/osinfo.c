#include "os/osinfo.h"

#include <osinfo/osinfo.h>

#include "util/error.h"

/* libosinfo's built-in system directory (Debian's DATA_DIR); $OSINFO_SYSTEM_DIR
 * replaces it. Read only to name the database's version in messages. */
#define OSINFO_DEFAULT_SYSTEM_DIR "/usr/share/osinfo"

/* The device ids virt-install's osdict.py checks (virtio legacy and 1.0 ids). */
typedef struct {
  const char *id;
  VtOsFlags flag;
} VirtioDevice;

static const VirtioDevice virtio_devices[] = {
  { "http://pcisig.com/pci/1af4/1001", VT_OS_VIRTIO_DISK },
  { "http://pcisig.com/pci/1af4/1042", VT_OS_VIRTIO_DISK },
  { "http://pcisig.com/pci/1af4/1000", VT_OS_VIRTIO_NET },
  { "http://pcisig.com/pci/1af4/1041", VT_OS_VIRTIO_NET },
  { "http://pcisig.com/pci/1af4/1050", VT_OS_VIRTIO_GPU },
  { "http://pcisig.com/pci/1af4/1005", VT_OS_VIRTIO_RNG },
  { "http://pcisig.com/pci/1af4/1044", VT_OS_VIRTIO_RNG },
  { "http://pcisig.com/pci/1af4/1002", VT_OS_VIRTIO_BALLOON },
  { "http://pcisig.com/pci/1af4/1045", VT_OS_VIRTIO_BALLOON },
  { "http://pcisig.com/pci/1af4/1052", VT_OS_VIRTIO_INPUT },
};

/* Emulated devices an OS without virtio drivers may list, as catalog values, best first
 * for each kind: QXL (what virt-install gives SPICE guests) over standard VGA; the PCIe
 * e1000e over the older NICs. */
typedef struct {
  const char *id;
  const char *value;
} EmulatedDevice;

static const EmulatedDevice videos[] = {
  { "http://pcisig.com/pci/1b36/0100", "qxl" },
  { "http://pcisig.com/pci/1234/1111", "vga" },
};

static const EmulatedDevice nics[] = {
  { "http://pcisig.com/pci/8086/10d3", "e1000e" },
  { "http://pcisig.com/pci/8086/100e", "e1000" },
  { "http://pcisig.com/pci/10ec/8139", "rtl8139" },
};

static const char *
first_listed (const EmulatedDevice *table, gsize n, GHashTable *ids)
{
  for (gsize i = 0; i < n; i++)
    if (g_hash_table_contains (ids, table[i].id))
      return table[i].value;
  return NULL;
}

/* Devices through derives-from and clones, as libosinfo resolves them (a derived OS may
 * drop an inherited device). */
static void
read_devices (OsinfoOs *os, VtOsInfo *info)
{
  g_autoptr (OsinfoDeviceList) devices = osinfo_os_get_all_devices (os, NULL);
  g_autoptr (GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);
  gint n = osinfo_list_get_length (OSINFO_LIST (devices));

  for (gint i = 0; i < n; i++)
    g_hash_table_add (ids, (gpointer) osinfo_entity_get_id (
                             osinfo_list_get_nth (OSINFO_LIST (devices), i)));
  for (gsize i = 0; i < G_N_ELEMENTS (virtio_devices); i++)
    if (g_hash_table_contains (ids, virtio_devices[i].id))
      info->flags |= virtio_devices[i].flag;
  info->video = first_listed (videos, G_N_ELEMENTS (videos), ids);
  info->nic = first_listed (nics, G_N_ELEMENTS (nics), ids);
}

/* What the OS's x86_64 firmware entries say: UEFI supported, and UEFI required (BIOS
 * declared unsupported: virt-install's rule). */
static guint
firmware_flags (OsinfoOs *os)
{
  g_autoptr (OsinfoFirmwareList) list = osinfo_os_get_complete_firmware_list (os, NULL);
  gint n = osinfo_list_get_length (OSINFO_LIST (list));
  gboolean efi = FALSE, bios_refused = FALSE;

  for (gint i = 0; i < n; i++)
    {
      OsinfoFirmware *fw = OSINFO_FIRMWARE (osinfo_list_get_nth (OSINFO_LIST (list), i));
      const char *type = osinfo_firmware_get_firmware_type (fw);

      if (g_strcmp0 (osinfo_firmware_get_architecture (fw), "x86_64") != 0)
        continue;
      if (g_strcmp0 (type, "efi") == 0 && osinfo_firmware_is_supported (fw))
        efi = TRUE;
      else if (g_strcmp0 (type, "bios") == 0 && !osinfo_firmware_is_supported (fw))
        bios_refused = TRUE;
    }
  if (!efi)
    return 0;
  return VT_OS_EFI_SUPPORTED | (bios_refused ? VT_OS_EFI_REQUIRED : 0);
}

typedef enum { RES_CPUS, RES_RAM, RES_STORAGE } Resource;

static gint64
resource_value (OsinfoResources *r, Resource what)
{
  switch (what)
    {
    case RES_CPUS: return osinfo_resources_get_n_cpus (r);
    case RES_RAM: return osinfo_resources_get_ram (r);
    case RES_STORAGE: return osinfo_resources_get_storage (r);
    }
  return -1;
}

/* @what for x86_64, else for all architectures; 0 when neither says (libosinfo: -1). */
static guint64
resource (OsinfoResourcesList *list, Resource what)
{
  static const char *const arches[] = { "x86_64", OSINFO_ARCHITECTURE_ALL };
  gint n = osinfo_list_get_length (OSINFO_LIST (list));

  for (gsize a = 0; a < G_N_ELEMENTS (arches); a++)
    for (gint i = 0; i < n; i++)
      {
        OsinfoResources *r = OSINFO_RESOURCES (osinfo_list_get_nth (OSINFO_LIST (list), i));
        gint64 value = resource_value (r, what);

        if (g_strcmp0 (osinfo_resources_get_architecture (r), arches[a]) == 0 && value > 0)
          return (guint64) value;
      }
  return 0;
}

static void
read_resources (OsinfoOs *os, VtOsInfo *info)
{
  g_autoptr (OsinfoResourcesList) min = osinfo_os_get_minimum_resources (os);
  g_autoptr (OsinfoResourcesList) rec = osinfo_os_get_recommended_resources (os);

  info->min_vcpus = (guint) MIN (resource (min, RES_CPUS), G_MAXUINT);
  info->rec_vcpus = (guint) MIN (resource (rec, RES_CPUS), G_MAXUINT);
  info->min_memory = resource (min, RES_RAM);
  info->rec_memory = resource (rec, RES_RAM);
  info->min_storage = resource (min, RES_STORAGE);
  info->rec_storage = resource (rec, RES_STORAGE);
}

static gboolean
is_windows_family (const char *family)
{
  static const char *const families[] = { "win16", "win9x", "winnt", "msdos", NULL };

  return family && g_strv_contains (families, family);
}

static char *
or_empty (const char *text)
{
  return g_strdup (text ? text : "");
}

static VtOsInfo *
os_info_from (OsinfoOs *os)
{
  OsinfoProduct *product = OSINFO_PRODUCT (os);
  VtOsInfo *info = g_new0 (VtOsInfo, 1);
  const char *family = osinfo_os_get_family (os);

  info->id = g_strdup (osinfo_entity_get_id (OSINFO_ENTITY (os)));
  info->short_id = g_strdup (osinfo_product_get_short_id (product));
  info->name = g_strdup (osinfo_product_get_name (product));
  info->vendor = or_empty (osinfo_product_get_vendor (product));
  info->release_date = or_empty (osinfo_product_get_release_date_string (product));
  info->eol_date = or_empty (osinfo_product_get_eol_date_string (product));
  if (!info->name)
    info->name = g_strdup (info->short_id);
  read_devices (os, info);
  read_resources (os, info);
  info->flags |= firmware_flags (os);
  /* DOS and Windows keep the RTC in local time (virt-install sets localtime for them). */
  if (is_windows_family (family))
    info->flags |= VT_OS_LOCALTIME;
  /* Debian 12's osinfo-db records neither secure boot nor TPM needs. Windows 11, the
   * first Windows to require UEFI, requires both (its minimum hardware requirements), so
   * a Windows NT that requires UEFI gets them. */
  if ((info->flags & VT_OS_EFI_REQUIRED) && g_strcmp0 (family, "winnt") == 0)
    info->flags |= VT_OS_SECURE_BOOT | VT_OS_TPM2;
  return info;
}

static void
add_os (VtOsTable *table, OsinfoOs *os)
{
  GList *short_ids = osinfo_product_get_short_id_list (OSINFO_PRODUCT (os));
  g_autoptr (GPtrArray) ids = g_ptr_array_new ();

  /* An OS without a short-id cannot be named in a description. */
  if (!short_ids)
    return;
  for (GList *l = short_ids; l; l = l->next)
    g_ptr_array_add (ids, l->data);
  g_ptr_array_add (ids, NULL);
  vt_os_table_add (table, os_info_from (os), (const char *const *) ids->pdata);
  g_list_free (short_ids);
}

/* "osinfo-db VERSION" when the system directory says, for messages. */
static char *
source_name (const char *dir)
{
  const char *system = dir ? dir : g_getenv ("OSINFO_SYSTEM_DIR");
  g_autofree char *path = g_build_filename (system ? system : OSINFO_DEFAULT_SYSTEM_DIR,
                                            "VERSION", NULL);
  g_autofree char *version = NULL;

  if (!g_file_get_contents (path, &version, NULL, NULL))
    return g_strdup ("the osinfo database");
  return g_strdup_printf ("osinfo-db %s", g_strstrip (version));
}

VtOsTable *
vt_osinfo_load (const char *dir, GError **error)
{
  g_autoptr (OsinfoLoader) loader = osinfo_loader_new ();
  g_autoptr (GError) local = NULL;
  g_autofree char *source = source_name (dir);
  g_autoptr (VtOsTable) table = vt_os_table_new (source);
  g_autoptr (OsinfoOsList) oses = NULL;
  gint n;

  if (dir)
    osinfo_loader_process_path (loader, dir, &local);
  else
    osinfo_loader_process_default_path (loader, &local);
  if (local)
    {
      g_set_error (error, VT_ERROR, VT_ERROR_FAILED, "osinfo database: %s", local->message);
      return NULL;
    }
  oses = osinfo_db_get_os_list (osinfo_loader_get_db (loader));
  n = osinfo_list_get_length (OSINFO_LIST (oses));
  for (gint i = 0; i < n; i++)
    add_os (table, OSINFO_OS (osinfo_list_get_nth (OSINFO_LIST (oses), i)));
  return g_steal_pointer (&table);
}
