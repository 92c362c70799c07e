/* The OS layer (SPEC §4.1, layer 2): what the guest OS needs and has drivers for, from
 * the OS table (model/os-table.h), between the default policy and the scenarios. The
 * table is plain data; libosinfo is core/os's business. */
#include "merge/merge.h"

#include "util/error.h"
#include "util/units.h"

#define OS_LAYER "os:"

/* Sets @key to @value with the OS layer's provenance. A key the default policy locked
 * keeps its value: a lock binds every later layer, and this one is implicit, so it
 * yields rather than fails. */
static void
propose (VtSettings *settings, const char *key, const char *value, const char *layer)
{
  const VtSetting *current = vt_settings_lookup (settings, key);

  if (current && current->locked_by)
    return;
  vt_settings_set (settings, key, value, layer);
}

static const char *
on_off (gboolean on)
{
  return on ? "on" : "off";
}

/* A size from the database as a catalog value of @key: whole KiB (guest.memory reaches
 * libvirt in KiB), within the catalog's range. NULL when the database gives none. */
static char *
size_value (const char *key, guint64 bytes)
{
  const VtCatalogEntry *entry = vt_catalog_lookup (key);

  if (bytes == 0)
    return NULL;
  bytes = (bytes + 1023) / 1024 * 1024;
  bytes = CLAMP (bytes, (guint64) entry->min, (guint64) entry->max);
  return vt_format_size (bytes);
}

/* The recommended value, else twice the minimum, as virt-install approximates a
 * recommendation the database lacks (Windows 11's entry has only minimums: 2 vCPUs,
 * 4 GiB, 64 GiB become 4, 8 GiB, 128 GiB; a thin qcow2 costs only what is written). */
static guint64
preferred (guint64 recommended, guint64 minimum)
{
  return recommended ? recommended : 2 * minimum;
}

static void
propose_resources (VtSettings *settings, const VtOsInfo *os, const char *layer)
{
  guint64 vcpus = preferred (os->rec_vcpus, os->min_vcpus);
  g_autofree char *memory = size_value ("guest.memory", preferred (os->rec_memory,
                                                                     os->min_memory));
  g_autofree char *capacity = size_value ("storage.capacity", preferred (os->rec_storage,
                                                                         os->min_storage));

  if (vcpus)
    {
      const VtCatalogEntry *entry = vt_catalog_lookup ("guest.vcpus");
      g_autofree char *text = g_strdup_printf ("%" G_GUINT64_FORMAT,
                                               CLAMP (vcpus, (guint64) entry->min,
                                                      (guint64) entry->max));
      propose (settings, "guest.vcpus", text, layer);
    }
  if (memory)
    propose (settings, "guest.memory", memory, layer);
  if (capacity)
    propose (settings, "storage.capacity", capacity, layer);
}

/* The video model: virtio when the OS has the driver, else the OS's own, else VGA, which
 * every x86 OS drives; the first of these the host offers (@caps nullable: the first). */
static const char *
video_model (const VtOsInfo *os, const VtDomcaps *caps)
{
  const char *choices[] = {
    (os->flags & VT_OS_VIRTIO_GPU) ? "virtio" : os->video, "vga",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (choices); i++)
    if (choices[i] && (!caps || vt_domcaps_supports (caps, "video.modelType", choices[i])))
      return choices[i];
  return choices[0] ? choices[0] : "vga";
}

void
vt_os_layer_apply (VtSettings *settings, const VtOsInfo *os, const char *short_id,
                   const VtDomcaps *caps)
{
  g_autofree char *layer = g_strconcat (OS_LAYER, short_id, NULL);
  gboolean input = (os->flags & VT_OS_VIRTIO_INPUT) != 0;

  /* Without the virtio driver the OS would not see its disk or NIC: SATA (AHCI, the
   * q35 controller every OS since Vista drives) and the OS's emulated NIC. */
  propose (settings, "storage.bus", (os->flags & VT_OS_VIRTIO_DISK) ? "virtio" : "sata", layer);
  propose (settings, "guest.nic",
           (os->flags & VT_OS_VIRTIO_NET) ? "virtio" : os->nic ? os->nic : "e1000e", layer);
  propose (settings, "guest.video", video_model (os, caps), layer);
  /* RNG and balloon exist only as virtio devices: without a driver they are dead weight. */
  propose (settings, "guest.rng", on_off (os->flags & VT_OS_VIRTIO_RNG), layer);
  propose (settings, "guest.memballoon", on_off (os->flags & VT_OS_VIRTIO_BALLOON), layer);
  /* q35 always has PS/2; a USB tablet gives an absolute pointer without a driver. */
  propose (settings, "guest.keyboard", input ? "virtio" : "ps2", layer);
  propose (settings, "guest.mouse", input ? "virtio" : "tablet", layer);
  if (os->flags & VT_OS_EFI_REQUIRED)
    propose (settings, "guest.firmware", "efi", layer);
  if (os->flags & VT_OS_SECURE_BOOT)
    propose (settings, "guest.secure_boot", "on", layer);
  if (os->flags & VT_OS_TPM2)
    propose (settings, "guest.tpm", "tpm-crb", layer);
  if (os->flags & VT_OS_LOCALTIME)
    propose (settings, "guest.clock", "localtime", layer);
  propose_resources (settings, os, layer);
}

/* ---- what the final values must still give the OS ------------------------------------ */

static void
warn_below (GPtrArray *warnings, const VtSetting *setting, const char *what, guint64 have,
            guint64 minimum, const char *short_id, gboolean size)
{
  g_autofree char *shown_have = NULL;
  g_autofree char *shown_min = NULL;

  if (minimum == 0 || have >= minimum)
    return;
  shown_have = size ? vt_format_size (have) : g_strdup_printf ("%" G_GUINT64_FORMAT, have);
  shown_min = size ? vt_format_size (minimum) : g_strdup_printf ("%" G_GUINT64_FORMAT, minimum);
  g_ptr_array_add (warnings,
                   g_strdup_printf ("%s: %s (from %s) is below the minimum of os '%s' (%s)",
                                    what, shown_have, setting ? setting->layer : "user",
                                    short_id, shown_min));
}

/* The system disk (the first, which boots) when virtuned creates it: its size, or
 * storage.capacity's when the description gives none. */
static void
check_system_disk (const VtSettings *settings, const VtDescription *desc, const VtOsInfo *os,
                   GPtrArray *warnings)
{
  const VtDiskDesc *disk;

  if (!desc->disks || desc->disks->len == 0)
    return;
  disk = g_ptr_array_index (desc->disks, 0);
  if (disk->kind != VT_DISK_NEW)
    return;
  if (disk->size)
    warn_below (warnings, NULL, "disks[0].size", disk->size, os->min_storage, desc->os, TRUE);
  else
    warn_below (warnings, vt_settings_lookup (settings, "storage.capacity"),
                "storage.capacity", vt_settings_get_size (settings, "storage.capacity"),
                os->min_storage, desc->os, TRUE);
}

static void
warn_unmet (GPtrArray *warnings, const VtSettings *settings, const char *key,
            const char *refused, const char *short_id, const char *needs)
{
  const VtSetting *setting = vt_settings_lookup (settings, key);

  if (setting && g_str_equal (setting->value, refused))
    g_ptr_array_add (warnings,
                     g_strdup_printf ("%s: '%s' (from %s) does not meet os '%s', which "
                                      "requires %s", key, setting->value, setting->layer,
                                      short_id, needs));
}

/* Values that need a virtio driver, and the driver. */
static const struct {
  const char *key;
  const char *value;
  VtOsFlags driver;
} virtio_values[] = {
  { "storage.bus", "virtio", VT_OS_VIRTIO_DISK },
  { "guest.nic", "virtio", VT_OS_VIRTIO_NET },
  { "guest.video", "virtio", VT_OS_VIRTIO_GPU },
  { "guest.keyboard", "virtio", VT_OS_VIRTIO_INPUT },
  { "guest.mouse", "virtio", VT_OS_VIRTIO_INPUT },
  { "guest.rng", "on", VT_OS_VIRTIO_RNG },
  { "guest.memballoon", "on", VT_OS_VIRTIO_BALLOON },
};

/* A later layer (a scenario, the user) may put back a virtio device the OS layer
 * avoided: allowed, since the user may load drivers (virtio-win), but said. */
static void
check_drivers (const VtSettings *settings, const char *short_id, const VtOsInfo *os,
               GPtrArray *warnings)
{
  for (gsize i = 0; i < G_N_ELEMENTS (virtio_values); i++)
    {
      const VtSetting *setting = vt_settings_lookup (settings, virtio_values[i].key);

      if (!(os->flags & virtio_values[i].driver) && setting &&
          g_str_equal (setting->value, virtio_values[i].value))
        g_ptr_array_add (warnings,
                         g_strdup_printf ("%s: '%s' (from %s) needs a virtio driver os '%s' "
                                          "does not have built in", setting->entry->key,
                                          setting->value, setting->layer, short_id));
    }
}

void
vt_os_layer_check (const VtSettings *settings, const VtDescription *desc, const VtOsInfo *os,
                   GPtrArray *warnings)
{
  const VtSetting *memory = vt_settings_lookup (settings, "guest.memory");
  const VtSetting *vcpus = vt_settings_lookup (settings, "guest.vcpus");

  warn_below (warnings, memory, "guest.memory", vt_settings_get_size (settings, "guest.memory"),
              os->min_memory, desc->os, TRUE);
  warn_below (warnings, vcpus, "guest.vcpus",
              (guint64) vt_settings_get_int (settings, "guest.vcpus", 0), os->min_vcpus,
              desc->os, FALSE);
  check_system_disk (settings, desc, os, warnings);
  check_drivers (settings, desc->os, os, warnings);
  if (os->flags & VT_OS_EFI_REQUIRED)
    warn_unmet (warnings, settings, "guest.firmware", "bios", desc->os,
                "UEFI (it does not boot from BIOS)");
  if (os->flags & VT_OS_SECURE_BOOT)
    warn_unmet (warnings, settings, "guest.secure_boot", "off", desc->os, "UEFI secure boot");
  if (os->flags & VT_OS_TPM2)
    warn_unmet (warnings, settings, "guest.tpm", "none", desc->os, "a TPM 2.0");
}

const VtOsInfo *
vt_os_layer_lookup (const VtOsTable *table, const VtDescription *desc, GError **error)
{
  const VtOsInfo *os = table ? vt_os_table_lookup (table, desc->os) : NULL;
  g_autoptr (VtOsTable) empty = NULL;
  g_autofree char *sentence = NULL;

  if (os)
    return os;
  if (!table)
    table = empty = vt_os_table_new (NULL);
  sentence = vt_os_table_explain_unknown (table, desc->os);
  if (desc->os_line)
    g_set_error (error, VT_ERROR, VT_ERROR_INVALID_DESCRIPTION, "os (line %u, column %u): %s",
                 desc->os_line, desc->os_column, sentence);
  else
    g_set_error (error, VT_ERROR, VT_ERROR_INVALID_DESCRIPTION, "os: %s", sentence);
  return NULL;
}
