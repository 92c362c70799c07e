#include "model/catalog.h"

#include <errno.h>
#include <string.h>

#include "model/cpuset.h"
#include "model/machine.h"
#include "model/retired.h"
#include "util/echo.h"
#include "util/error.h"
#include "util/units.h"

#define KiB (G_GINT64_CONSTANT (1) << 10)
#define MiB (G_GINT64_CONSTANT (1) << 20)
#define GiB (G_GINT64_CONSTANT (1) << 30)
#define TiB (G_GINT64_CONSTANT (1) << 40)

#define CHOICES(...) ((const char *const[]) { __VA_ARGS__, NULL })
#define BOOL_KEY(k, h) { .key = k, .type = VT_TYPE_BOOL, .help = h }
#define ENUM_KEY(k, c, h) { .key = k, .type = VT_TYPE_ENUM, .choices = c, .help = h }
#define INT_KEY(k, lo, hi, h) { .key = k, .type = VT_TYPE_INT, .min = lo, .max = hi, .help = h }
#define SIZE_KEY(k, lo, hi, h) { .key = k, .type = VT_TYPE_SIZE, .min = lo, .max = hi, .help = h }

static const char *const lifecycle_actions[] = { "destroy", "restart", "preserve",
                                                 "rename-restart", NULL };

/* Order is the documented order: guest, storage, host. */
static const VtCatalogEntry catalog[] = {
  INT_KEY ("guest.vcpus", 1, 4096, "number of virtual CPUs"),
  { .key = "guest.memory", .type = VT_TYPE_SIZE, .min = 64 * MiB, .max = 16 * TiB,
    .granularity = KiB, .help = "guest memory" },
  BOOL_KEY ("guest.memory.locked", "lock guest memory in host RAM (<memoryBacking><locked/>)"),
  BOOL_KEY ("guest.memory.nosharepages", "keep KSM from merging guest pages (<nosharepages/>)"),
  BOOL_KEY ("guest.hugepages", "back guest memory with host huge pages"),
  { .key = "guest.machine", .type = VT_TYPE_MACHINE,
    .help = "machine type; q35 expands to the host's versioned q35, a versioned q35 may "
            "not be newer than the host's, pc goes to libvirt as is" },
  ENUM_KEY ("guest.cpu.mode", CHOICES ("host-passthrough", "host-model", "maximum"),
            "CPU model mode"),
  BOOL_KEY ("guest.cpu.migratable", "CPU migratable attribute (off pins host features)"),
  BOOL_KEY ("guest.cpu.pinning", "pin each vCPU to a host CPU of its own, the emulator and I/O "
            "threads to housekeeping CPUs (<cputune>)"),
  { .key = "guest.cpu.pinning.vcpus", .type = VT_TYPE_CPUSET, .special = "auto",
    .help = "host CPUs the vCPUs may be pinned to; auto: all but CPU 0's core; resolved to "
            "one per vCPU, whole cores first, vCPU i on the i-th lowest" },
  { .key = "guest.cpu.pinning.emulator", .type = VT_TYPE_CPUSET, .special = "auto",
    .help = "housekeeping CPUs for the emulator and I/O threads; auto: CPU 0's core, or the "
            "CPUs outside a guest.cpu.pinning.vcpus list" },
  ENUM_KEY ("guest.cpu.scheduler", CHOICES ("default", "fifo", "rr"),
            "vCPU thread scheduler; fifo and rr are real-time at priority 1 (<vcpusched>)"),
  { .key = "guest.features", .type = VT_TYPE_WORDS,
    .choices = CHOICES ("acpi", "apic", "pae", "smm", "vmcoreinfo", "hyperv", "kvm-hidden"),
    .help = "hypervisor features; scenarios' lists add up, the user's replaces them" },
  BOOL_KEY ("guest.pmu", "virtual performance monitoring unit (<pmu state>); unset leaves "
            "QEMU's default"),
  ENUM_KEY ("guest.firmware", CHOICES ("auto", "bios", "efi"),
            "firmware; auto: UEFI when the host has it and the os: boots it, else BIOS; efi "
            "autoselects a UEFI build"),
  BOOL_KEY ("guest.secure_boot", "UEFI secure boot (implies efi and SMM)"),
  ENUM_KEY ("guest.tpm", CHOICES ("none", "tpm-crb", "tpm-tis"), "emulated TPM 2.0 model"),
  ENUM_KEY ("guest.clock", CHOICES ("utc", "localtime"),
            "what the guest's RTC keeps; Windows keeps local time"),
  INT_KEY ("guest.iothreads", 0, 64, "I/O threads (0 disables)"),
  ENUM_KEY ("guest.video", CHOICES ("none", "virtio", "qxl", "vga", "bochs", "ramfb"),
            "video model"),
  ENUM_KEY ("guest.graphics", CHOICES ("spice", "vnc", "none"), "remote display"),
  ENUM_KEY ("guest.sound", CHOICES ("none", "ich9", "ich6", "ac97"), "sound device model"),
  ENUM_KEY ("guest.usb", CHOICES ("qemu-xhci", "none"),
            "USB controller (none: no USB at all, not even libvirt's default controller)"),
  INT_KEY ("guest.usb_redirection", 0, 4,
           "SPICE USB redirection channels (needs spice graphics and a USB controller)"),
  ENUM_KEY ("guest.nic", CHOICES ("virtio", "e1000", "e1000e", "rtl8139"),
            "network interface model"),
  ENUM_KEY ("guest.keyboard", CHOICES ("none", "virtio", "ps2", "usb"), "keyboard device"),
  ENUM_KEY ("guest.mouse", CHOICES ("none", "virtio", "ps2", "usb", "tablet"),
            "pointing device"),
  ENUM_KEY ("guest.watchdog", CHOICES ("none", "i6300esb", "ib700"), "watchdog model"),
  ENUM_KEY ("guest.watchdog.action",
            CHOICES ("reset", "shutdown", "poweroff", "pause", "none", "dump", "inject-nmi"),
            "what the watchdog does when it fires"),
  ENUM_KEY ("guest.on_poweroff", lifecycle_actions, "action on guest power-off"),
  ENUM_KEY ("guest.on_reboot", lifecycle_actions, "action on guest reboot"),
  ENUM_KEY ("guest.on_crash", CHOICES ("destroy", "restart", "preserve", "rename-restart",
                                       "coredump-destroy", "coredump-restart"),
            "action on guest crash"),
  BOOL_KEY ("guest.suspend_to_mem", "allow ACPI S3 suspend-to-RAM"),
  BOOL_KEY ("guest.suspend_to_disk", "allow ACPI S4 suspend-to-disk"),
  BOOL_KEY ("guest.memballoon", "virtio memory balloon"),
  BOOL_KEY ("guest.rng", "virtio RNG fed from /dev/urandom"),
  BOOL_KEY ("guest.panic", "pvpanic device: a guest kernel panic reaches on_crash"),
  BOOL_KEY ("guest.live_migration",
            "the VM is meant to live-migrate: settings that prevent it are a conflict"),
  { .key = "guest.sev", .type = VT_TYPE_ENUM, .choices = CHOICES ("off", "sev", "sev-es", "auto"),
    .auto_means = CHOICES ("sev-es", "sev"),
    .help = "AMD SEV launch security; auto picks SEV-ES, then SEV, as the host offers" },
  { .key = "guest.sev.policy", .type = VT_TYPE_HEX, .max = G_MAXUINT32, .special = "auto",
    .help = "SEV guest policy; auto = no-debug, no-key-sharing, +ES for sev-es" },
  ENUM_KEY ("storage.format", CHOICES ("qcow2", "raw"), "new volume format"),
  ENUM_KEY ("storage.preallocation", CHOICES ("off", "metadata", "falloc", "full"),
            "new volume preallocation"),
  BOOL_KEY ("storage.encryption", "LUKS-encrypt new volumes with a libvirt secret"),
  ENUM_KEY ("storage.cache", CHOICES ("none", "writethrough", "writeback", "directsync", "unsafe"),
            "disk cache mode"),
  BOOL_KEY ("storage.lazy_refcounts", "qcow2 lazy refcounts"),
  BOOL_KEY ("storage.transient",
            "throw-away disks: writes go to an overlay libvirt deletes when the VM stops"),
  { .key = "storage.cluster_size", .type = VT_TYPE_SIZE, .min = 512, .max = GiB,
    .special = "default", .power_of_two = TRUE,
    .help = "cluster size of new qcow2 volumes (power of two)" },
  ENUM_KEY ("storage.bus", CHOICES ("virtio", "scsi", "sata"), "disk bus"),
  SIZE_KEY ("storage.capacity", MiB, 64 * TiB,
            "size of a new volume when the description gives none"),
  ENUM_KEY ("host.thp", CHOICES ("always", "madvise", "never"), "transparent huge pages"),
  BOOL_KEY ("host.ksm", "kernel same-page merging"),
  BOOL_KEY ("host.ksm_merge_across_nodes", "KSM merges pages across NUMA nodes"),
  INT_KEY ("host.swappiness", 0, 200, "vm.swappiness"),
  ENUM_KEY ("host.io_scheduler", CHOICES ("mq-deadline", "bfq", "kyber", "none"),
            "I/O scheduler of real block devices"),
  INT_KEY ("host.hugepages", 0, 1 << 24, "number of default-size host huge pages to reserve"),
};

const VtCatalogEntry *
vt_catalog_entries (guint *n_entries)
{
  *n_entries = G_N_ELEMENTS (catalog);
  return catalog;
}

guint
vt_catalog_index (const VtCatalogEntry *entry)
{
  return (guint) (entry - catalog);
}

const VtCatalogEntry *
vt_catalog_lookup (const char *key)
{
  /* Every setting access goes through here (a render makes hundreds), so the table is
   * indexed once; a linear strcmp scan was a third of a render's time. */
  static gsize index_ready = 0;
  static GHashTable *index;

  if (g_once_init_enter (&index_ready))
    {
      GHashTable *table = g_hash_table_new (g_str_hash, g_str_equal);
      for (gsize i = 0; i < G_N_ELEMENTS (catalog); i++)
        g_hash_table_insert (table, (gpointer) catalog[i].key, (gpointer) &catalog[i]);
      index = table;
      g_once_init_leave (&index_ready, 1);
    }
  return g_hash_table_lookup (index, key);
}

static gboolean
in_choices (const char *const *choices, const char *word)
{
  return choices && g_strv_contains (choices, word);
}

static gboolean
invalid (GError **error, const VtCatalogEntry *entry, const char *raw)
{
  g_autofree char *allowed = vt_catalog_describe_values (entry);
  g_autofree char *shown = vt_echo (raw);

  g_set_error (error, VT_ERROR, VT_ERROR_INVALID_DESCRIPTION,
               "'%s' is not a valid value for %s (allowed: %s)", shown, entry->key, allowed);
  return FALSE;
}

gboolean
vt_catalog_lock_accepts (const VtCatalogEntry *entry, const char *locked, const char *value)
{
  if (g_str_equal (locked, value))
    return TRUE;
  return g_str_equal (locked, "auto") && entry->auto_means &&
         g_strv_contains (entry->auto_means, value);
}

gboolean
vt_catalog_parse_bool (const char *raw, gboolean *value)
{
  static const char *const yes[] = { "on", "true", "yes" };
  static const char *const no[] = { "off", "false", "no" };

  for (gsize i = 0; i < G_N_ELEMENTS (yes); i++)
    {
      if (g_ascii_strcasecmp (raw, yes[i]) == 0 || g_ascii_strcasecmp (raw, no[i]) == 0)
        {
          *value = g_ascii_strcasecmp (raw, yes[i]) == 0;
          return TRUE;
        }
    }
  return FALSE;
}

static gboolean
normalize_bool (const char *raw, char **canonical)
{
  gboolean value;

  if (!vt_catalog_parse_bool (raw, &value))
    return FALSE;
  *canonical = g_strdup (value ? "on" : "off");
  return TRUE;
}

static gboolean
normalize_int (const VtCatalogEntry *entry, const char *raw, char **canonical)
{
  guint64 v;

  /* Catalog integers are never negative (min >= 0). */
  if (!vt_parse_decimal (raw, (guint64) entry->max, &v, NULL) || v < (guint64) entry->min)
    return FALSE;
  *canonical = g_strdup_printf ("%" G_GUINT64_FORMAT, v);
  return TRUE;
}

gboolean
vt_catalog_check_granularity (const VtCatalogEntry *entry, const char *raw, guint64 bytes,
                              GError **error)
{
  g_autofree char *shown = NULL;
  g_autofree char *unit = NULL;

  if (entry->granularity <= 1 || bytes % (guint64) entry->granularity == 0)
    return TRUE;
  shown = vt_echo (raw);
  unit = vt_format_size ((guint64) entry->granularity);
  g_set_error (error, VT_ERROR, VT_ERROR_INVALID_DESCRIPTION,
               "'%s' is not a multiple of %s: %s reaches libvirt in whole %s units and is "
               "not rounded", shown, unit, entry->key, unit);
  return FALSE;
}

/* FALSE with @error unset for a value outside the allowed ones (the caller's generic
 * message names them); with @error set for a more precise reason. */
static gboolean
normalize_size (const VtCatalogEntry *entry, const char *raw, char **canonical,
                GError **error)
{
  guint64 bytes;

  /* A bare number is MiB everywhere, as in descriptions (SPEC §3). */
  if (!vt_parse_size (raw, MiB, &bytes, NULL))
    return FALSE;
  if (bytes < (guint64) entry->min || bytes > (guint64) entry->max)
    return FALSE;
  if (entry->power_of_two && (bytes & (bytes - 1)) != 0)
    return FALSE;
  if (!vt_catalog_check_granularity (entry, raw, bytes, error))
    return FALSE;
  *canonical = vt_format_size (bytes);
  return TRUE;
}

static gboolean
normalize_words (const VtCatalogEntry *entry, const char *raw, char **canonical)
{
  g_auto (GStrv) words = g_strsplit_set (raw, " ,", -1);
  g_autoptr (GPtrArray) kept = g_ptr_array_new ();

  for (guint i = 0; words[i]; i++)
    {
      if (!*words[i])
        continue;
      if (!in_choices (entry->choices, words[i]))
        return FALSE;
      if (!g_ptr_array_find_with_equal_func (kept, words[i], g_str_equal, NULL))
        g_ptr_array_add (kept, words[i]);
    }
  g_ptr_array_add (kept, NULL);
  *canonical = g_strjoinv (" ", (char **) kept->pdata);
  return TRUE;
}

/* The exact grammar, not a prefix: whether the host has the machine is the host
 * layer's question, but a name that is no machine at all never gets that far. */
static gboolean
normalize_machine (const char *raw, char **canonical)
{
  VtMachine machine;

  if (!vt_machine_parse (raw, &machine))
    return FALSE;
  *canonical = g_strdup (raw);
  return TRUE;
}

static gboolean
normalize_hex (const VtCatalogEntry *entry, const char *raw, char **canonical)
{
  guint64 v;

  if (!g_str_has_prefix (raw, "0x") && !g_str_has_prefix (raw, "0X"))
    return FALSE;
  if (!g_ascii_string_to_unsigned (raw + 2, 16, entry->min, entry->max, &v, NULL))
    return FALSE;
  *canonical = g_strdup_printf ("0x%04" G_GINT64_MODIFIER "x", v);
  return TRUE;
}

gboolean
vt_catalog_normalize (const VtCatalogEntry *entry, const char *raw, char **canonical,
                      GError **error)
{
  g_autoptr (GError) precise = NULL;
  gboolean ok = FALSE;

  *canonical = NULL;
  if (!vt_catalog_check_retired (entry, raw, error))
    return FALSE;
  if (entry->special && g_strcmp0 (raw, entry->special) == 0)
    {
      *canonical = g_strdup (raw);
      return TRUE;
    }
  switch (entry->type)
    {
    case VT_TYPE_BOOL:
      ok = normalize_bool (raw, canonical);
      break;
    case VT_TYPE_ENUM:
      ok = in_choices (entry->choices, raw) && (*canonical = g_strdup (raw));
      break;
    case VT_TYPE_INT:
      ok = normalize_int (entry, raw, canonical);
      break;
    case VT_TYPE_SIZE:
      ok = normalize_size (entry, raw, canonical, &precise);
      break;
    case VT_TYPE_WORDS:
      ok = normalize_words (entry, raw, canonical);
      break;
    case VT_TYPE_MACHINE:
      ok = normalize_machine (raw, canonical);
      break;
    case VT_TYPE_HEX:
      ok = normalize_hex (entry, raw, canonical);
      break;
    case VT_TYPE_CPUSET:
      ok = vt_cpuset_normalize (raw, canonical, &precise);
      break;
    }
  if (!ok)
    {
      g_clear_pointer (canonical, g_free);
      if (precise)
        {
          g_propagate_error (error, g_steal_pointer (&precise));
          return FALSE;
        }
      return invalid (error, entry, raw);
    }
  return TRUE;
}

char *
vt_catalog_describe_values (const VtCatalogEntry *entry)
{
  g_autofree char *base = NULL;

  switch (entry->type)
    {
    case VT_TYPE_BOOL:
      base = g_strdup ("on|off");
      break;
    case VT_TYPE_ENUM:
      base = g_strjoinv ("|", (char **) entry->choices);
      break;
    case VT_TYPE_WORDS:
      {
        g_autofree char *list = g_strjoinv (" ", (char **) entry->choices);
        base = g_strdup_printf ("any of: %s", list);
        break;
      }
    case VT_TYPE_INT:
      base = g_strdup_printf ("%" G_GINT64_FORMAT "..%" G_GINT64_FORMAT, entry->min, entry->max);
      break;
    case VT_TYPE_SIZE:
      {
        g_autofree char *lo = vt_format_size ((guint64) entry->min);
        g_autofree char *hi = vt_format_size ((guint64) entry->max);
        base = g_strdup_printf ("size %s..%s", lo, hi);
        break;
      }
    case VT_TYPE_MACHINE:
      base = g_strdup ("q35|pc|pc-q35-X.Y|pc-i440fx-X.Y");
      break;
    case VT_TYPE_HEX:
      base = g_strdup ("0x0000..0xffffffff");
      break;
    case VT_TYPE_CPUSET:
      base = g_strdup ("CPU list like 2-7,10 (ids 0.." G_STRINGIFY (VT_CPUSET_MAX_CPU) ")");
      break;
    }
  if (entry->special)
    return g_strdup_printf ("%s or %s", base, entry->special);
  return g_steal_pointer (&base);
}

/* ---- settings mappings in YAML ------------------------------------------------------ */

static gboolean
yaml_error (GError **error, const char *path, const VtYamlNode *node, const char *sentence)
{
  vt_yaml_set_error (error, VT_ERROR_INVALID_DESCRIPTION, path, node, "%s", sentence);
  return FALSE;
}

static gboolean
expect_scalar (const char *path, const VtYamlNode *node, GError **error)
{
  g_autofree char *sentence = NULL;

  if (node->kind == VT_YAML_SCALAR)
    return TRUE;
  sentence = g_strdup_printf ("expected a scalar, got %s", vt_yaml_kind_name (node->kind));
  return yaml_error (error, path, node, sentence);
}

/* Canonical value of @raw for @entry, or NULL with a positioned error at @node. */
static char *
normalize_at (const VtCatalogEntry *entry, const char *raw, const char *path,
              const VtYamlNode *node, GError **error)
{
  g_autoptr (GError) local = NULL;
  char *canonical = NULL;

  if (!vt_catalog_normalize (entry, raw, &canonical, &local))
    yaml_error (error, path, node, local->message);
  return canonical;
}

/* A list of words: each checked on its own, then the whole (duplicates, order). */
static char *
read_words (const VtCatalogEntry *entry, const VtYamlNode *node, const char *path,
            GError **error)
{
  g_autoptr (GPtrArray) words = g_ptr_array_new ();
  g_autofree char *joined = NULL;

  for (guint i = 0; i < node->items->len; i++)
    {
      const VtYamlNode *item = g_ptr_array_index (node->items, i);
      g_autofree char *item_path = g_strdup_printf ("%s[%u]", path, i);
      g_autofree char *word = NULL;

      if (!expect_scalar (item_path, item, error))
        return NULL;
      word = normalize_at (entry, item->value, item_path, item, error);
      if (!word)
        return NULL;
      g_ptr_array_add (words, item->value);
    }
  g_ptr_array_add (words, NULL);
  joined = g_strjoinv (" ", (char **) words->pdata);
  return normalize_at (entry, joined, path, node, error);
}

gboolean
vt_catalog_read_settings (const VtYamlNode *map, const char *path, VtCatalogSettingFunc add,
                          gpointer data, GError **error)
{
  if (map->kind != VT_YAML_MAPPING)
    {
      g_autofree char *sentence =
        g_strdup_printf ("expected a mapping of setting keys to values, got %s",
                         vt_yaml_kind_name (map->kind));
      return yaml_error (error, path, map, sentence);
    }
  for (guint i = 0; i < map->keys->len; i++)
    {
      const VtYamlNode *key = g_ptr_array_index (map->keys, i);
      const VtYamlNode *value = g_ptr_array_index (map->items, i);
      const VtCatalogEntry *entry = vt_catalog_lookup (key->value);
      g_autofree char *shown = vt_echo (key->value);
      g_autofree char *key_path = g_strdup_printf ("%s.%s", path, shown);
      char *canonical;

      if (!entry)
        {
          g_autofree char *sentence = g_strdup_printf (
            "unknown setting '%s' (see the settings catalog in the README)", shown);
          return yaml_error (error, key_path, key, sentence);
        }
      if (value->kind == VT_YAML_SEQUENCE && entry->type == VT_TYPE_WORDS)
        canonical = read_words (entry, value, key_path, error);
      else
        canonical = expect_scalar (key_path, value, error)
                      ? normalize_at (entry, value->value, key_path, value, error) : NULL;
      if (!canonical)
        return FALSE;
      add (entry, canonical, value, data);
    }
  return TRUE;
}

/* --- the catalog as documentation ---------------------------------------------------- */

static const char *
type_name (VtSettingType type)
{
  switch (type)
    {
    case VT_TYPE_BOOL: return "bool";
    case VT_TYPE_ENUM: return "enum";
    case VT_TYPE_INT: return "int";
    case VT_TYPE_SIZE: return "size";
    case VT_TYPE_WORDS: return "words";
    case VT_TYPE_MACHINE: return "machine";
    case VT_TYPE_HEX: return "hex";
    case VT_TYPE_CPUSET: return "cpuset";
    }
  return "?";
}

/* Markdown table cell: '|' would end the cell, '<' would start HTML. */
static char *
markdown_cell (const char *text)
{
  GString *out = g_string_new (NULL);

  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '|')
        g_string_append (out, "\\|");
      else if (*p == '<')
        g_string_append (out, "&lt;");
      else if (*p == '>')
        g_string_append (out, "&gt;");
      else
        g_string_append_c (out, *p);
    }
  return g_string_free (out, FALSE);
}

char *
vt_catalog_markdown (void)
{
  guint n = 0;
  const VtCatalogEntry *entries = vt_catalog_entries (&n);
  GString *out = g_string_new ("| Key | Type | Allowed values | Meaning |\n|---|---|---|---|\n");

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *values = vt_catalog_describe_values (&entries[i]);
      g_autofree char *values_cell = markdown_cell (values);
      g_autofree char *help_cell = markdown_cell (entries[i].help);

      g_string_append_printf (out, "| `%s` | %s | %s | %s |\n", entries[i].key,
                              type_name (entries[i].type), values_cell, help_cell);
    }
  return g_string_free (out, FALSE);
}
