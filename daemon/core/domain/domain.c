/* The domain builder (SPEC §4.4): resolved settings + description -> libvirt domain tree.
 * Everything goes through libxml2's tree API, which escapes text and attributes; caller
 * strings are additionally checked to be XML-representable before any node is made. */
#include "domain/domain.h"

#include <string.h>

#include "sev/policy.h"
#include "util/error.h"
#include "util/xml.h"
#include "vt-config.h"

typedef struct {
  const VtDescription *desc;
  const VtSettings *settings;
  const VtDomcaps *caps;
  const GPtrArray *applied;
  const VtDiskBinding *bindings;
  gboolean sev;          /* launch security is on: iommu on virtio devices */
  gboolean efi;          /* guest.firmware efi (the merge's requirements step sets it for
                            secure boot and SEV) */
  guint iothreads;
  xmlNodePtr domain;
  xmlNodePtr devices;
} Build;

/* ---- small tree helpers ---------------------------------------------------------- */

static xmlNodePtr
add (xmlNodePtr parent, const char *name)
{
  return xmlNewChild (parent, NULL, (const xmlChar *) name, NULL);
}

/* xmlNewTextChild escapes @text (xmlNewChild would interpret entity references). */
static xmlNodePtr
add_text (xmlNodePtr parent, const char *name, const char *text)
{
  return xmlNewTextChild (parent, NULL, (const xmlChar *) name, (const xmlChar *) text);
}

static void
set (xmlNodePtr node, const char *name, const char *value)
{
  xmlNewProp (node, (const xmlChar *) name, (const xmlChar *) value);
}

static void G_GNUC_PRINTF (3, 4)
setf (xmlNodePtr node, const char *name, const char *format, ...)
{
  va_list ap;
  g_autofree char *value = NULL;

  va_start (ap, format);
  value = g_strdup_vprintf (format, ap);
  va_end (ap);
  set (node, name, value);
}

/* <NAME ATTR='VALUE'/> */
static xmlNodePtr
add_with (xmlNodePtr parent, const char *name, const char *attr, const char *value)
{
  xmlNodePtr node = add (parent, name);

  set (node, attr, value);
  return node;
}

static const char *
yes_no (gboolean on)
{
  return on ? "yes" : "no";
}

static void G_GNUC_PRINTF (2, 3)
add_alias (xmlNodePtr device, const char *format, ...)
{
  va_list ap;
  g_autofree char *suffix = NULL;
  g_autofree char *name = NULL;

  va_start (ap, format);
  suffix = g_strdup_vprintf (format, ap);
  va_end (ap);
  name = g_strconcat ("ua-", suffix, NULL);
  add_with (device, "alias", "name", name);
}

/* A <driver> child carrying iommu='on' when SEV needs it; NULL when nothing to say. */
static xmlNodePtr
add_virtio_driver (const Build *b, xmlNodePtr device)
{
  if (!b->sev)
    return NULL;
  return add_with (device, "driver", "iommu", "on");
}

static const char *
get (const Build *b, const char *key)
{
  return vt_settings_get (b->settings, key);
}

static gboolean
is (const Build *b, const char *key, const char *value)
{
  return vt_settings_is (b->settings, key, value);
}

/* ---- domain-level sections -------------------------------------------------------- */

static gboolean
add_identity (Build *b, GError **error)
{
  set (b->domain, "type", b->caps->domain_type);
  add_text (b->domain, "name", b->desc->name);
  return TRUE;
}

/* libvirt keeps one metadata element per namespace, so everything virtuned records
 * lives under a single <virtuned:vm>. */
static gboolean
add_metadata (Build *b, GError **error)
{
  xmlNodePtr metadata = add (b->domain, "metadata");
  xmlNodePtr vm = add (metadata, "vm");
  xmlNsPtr ns = xmlNewNs (vm, (const xmlChar *) VT_METADATA_NS, (const xmlChar *) "virtuned");

  xmlSetNs (vm, ns);
  set (vm, "version", VT_VERSION);
  for (guint i = 0; b->applied && i < b->applied->len; i++)
    xmlNewTextChild (vm, ns, (const xmlChar *) "scenario",
                     (const xmlChar *) g_ptr_array_index (b->applied, i));
  return TRUE;
}

static gboolean
add_memory (Build *b, GError **error)
{
  guint64 bytes = vt_settings_get_size (b->settings, "guest.memory");
  g_autofree char *kib = NULL;
  xmlNodePtr backing;

  if (bytes == 0)
    bytes = b->desc->memory;
  if (bytes == 0)
    {
      g_set_error (error, VT_ERROR, VT_ERROR_FAILED,
                   "guest.memory: no memory size was resolved (the default policy sets one)");
      return FALSE;
    }
  kib = g_strdup_printf ("%" G_GUINT64_FORMAT, bytes / 1024);
  set (add_text (b->domain, "memory", kib), "unit", "KiB");
  set (add_text (b->domain, "currentMemory", kib), "unit", "KiB");
  if (!vt_settings_get_bool (b->settings, "guest.hugepages") &&
      !vt_settings_get_bool (b->settings, "guest.memory.locked"))
    return TRUE;
  backing = add (b->domain, "memoryBacking");
  if (vt_settings_get_bool (b->settings, "guest.hugepages"))
    add (backing, "hugepages");
  if (vt_settings_get_bool (b->settings, "guest.memory.locked"))
    add (backing, "locked");
  return TRUE;
}

static gboolean
add_vcpus (Build *b, GError **error)
{
  gint64 vcpus = vt_settings_get_int (b->settings, "guest.vcpus", b->desc->vcpus);
  g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, vcpus > 0 ? vcpus : 1);

  set (add_text (b->domain, "vcpu", text), "placement", "static");
  if (b->iothreads > 0)
    {
      g_autofree char *n = g_strdup_printf ("%u", b->iothreads);
      add_text (b->domain, "iothreads", n);
    }
  return TRUE;
}

static gboolean
first_disk_is_cdrom (const Build *b)
{
  const GPtrArray *disks = b->desc->disks;

  return disks && disks->len > 0 &&
         ((const VtDiskDesc *) g_ptr_array_index (disks, 0))->kind == VT_DISK_CDROM;
}

/* libvirt's firmware autoselection (since 7.2): it picks a firmware descriptor that
 * matches the requested features, and one that supports SEV when launchSecurity asks. */
static void
add_firmware (Build *b, xmlNodePtr os)
{
  gboolean secure = vt_settings_get_bool (b->settings, "guest.secure_boot");
  xmlNodePtr firmware, feature;

  set (os, "firmware", "efi");
  if (!vt_settings_lookup (b->settings, "guest.secure_boot"))
    return;
  firmware = add (os, "firmware");
  feature = add_with (firmware, "feature", "enabled", yes_no (secure));
  set (feature, "name", "secure-boot");
  feature = add_with (firmware, "feature", "enabled", yes_no (secure));
  set (feature, "name", "enrolled-keys");
}

static gboolean
add_os (Build *b, GError **error)
{
  xmlNodePtr os = add (b->domain, "os");
  xmlNodePtr type = add_text (os, "type", "hvm");
  const char *machine = get (b, "guest.machine");

  set (type, "arch", b->caps->arch);
  set (type, "machine", machine ? machine : b->caps->machine);
  if (b->efi)
    add_firmware (b, os);
  if (first_disk_is_cdrom (b))
    add_with (os, "boot", "dev", "cdrom");
  add_with (os, "boot", "dev", "hd");
  return TRUE;
}

static void
add_hyperv (xmlNodePtr features)
{
  xmlNodePtr hyperv = add_with (features, "hyperv", "mode", "custom");

  add_with (hyperv, "relaxed", "state", "on");
  add_with (hyperv, "vapic", "state", "on");
  set (add_with (hyperv, "spinlocks", "state", "on"), "retries", "8191");
}

static void
add_kvm_hidden (xmlNodePtr features)
{
  add_with (add (features, "kvm"), "hidden", "state", "on");
}

/* guest.features words -> <features> children; most are an element, some a state. */
static const struct {
  const char *word;
  gboolean has_state;            /* <NAME state='on'/> rather than <NAME/> */
  void (*build) (xmlNodePtr features);
} feature_map[] = {
  { "acpi", FALSE, NULL },      { "apic", FALSE, NULL },       { "pae", FALSE, NULL },
  { "pmu", TRUE, NULL },        { "smm", TRUE, NULL },         { "vmcoreinfo", TRUE, NULL },
  { "hyperv", FALSE, add_hyperv }, { "kvm-hidden", FALSE, add_kvm_hidden },
};

static void
add_feature_word (xmlNodePtr features, const char *word)
{
  for (gsize i = 0; i < G_N_ELEMENTS (feature_map); i++)
    {
      if (!g_str_equal (feature_map[i].word, word))
        continue;
      if (feature_map[i].build)
        feature_map[i].build (features);
      else if (feature_map[i].has_state)
        add_with (features, word, "state", "on");
      else
        add (features, word);
      return;
    }
}

static gboolean
add_features (Build *b, GError **error)
{
  const char *words = get (b, "guest.features");
  g_auto (GStrv) list = g_strsplit (words ? words : "", " ", -1);
  xmlNodePtr features;

  if (!list[0])
    return TRUE;
  features = add (b->domain, "features");
  for (guint i = 0; list[i]; i++)
    add_feature_word (features, list[i]);
  return TRUE;
}

static gboolean
add_cpu (Build *b, GError **error)
{
  const char *mode = get (b, "guest.cpu.mode");
  const char *migratable = get (b, "guest.cpu.migratable");
  const VtDescription *d = b->desc;
  xmlNodePtr cpu;

  if (!mode && d->sockets == 0)
    return TRUE;
  cpu = add (b->domain, "cpu");
  if (mode)
    {
      set (cpu, "mode", mode);
      set (cpu, "check", "none");
      /* libvirt accepts migratable only where it has a meaning. */
      if (migratable && (g_str_equal (mode, "host-passthrough") || g_str_equal (mode, "maximum")))
        set (cpu, "migratable", migratable);
    }
  if (d->sockets > 0)
    {
      xmlNodePtr topology = add (cpu, "topology");
      setf (topology, "sockets", "%u", d->sockets);
      setf (topology, "cores", "%u", d->cores);
      setf (topology, "threads", "%u", d->threads);
    }
  return TRUE;
}

static gboolean
add_clock (Build *b, GError **error)
{
  xmlNodePtr clock = add_with (b->domain, "clock", "offset", "utc");

  set (add_with (clock, "timer", "name", "rtc"), "tickpolicy", "catchup");
  set (add_with (clock, "timer", "name", "pit"), "tickpolicy", "delay");
  set (add_with (clock, "timer", "name", "hpet"), "present", "no");
  return TRUE;
}

static gboolean
add_lifecycle (Build *b, GError **error)
{
  static const char *const events[] = { "on_poweroff", "on_reboot", "on_crash" };

  for (gsize i = 0; i < G_N_ELEMENTS (events); i++)
    {
      g_autofree char *key = g_strconcat ("guest.", events[i], NULL);
      const char *action = get (b, key);
      if (action)
        add_text (b->domain, events[i], action);
    }
  return TRUE;
}

static gboolean
add_pm (Build *b, GError **error)
{
  static const char *const states[] = { "suspend-to-mem", "suspend-to-disk" };
  static const char *const keys[] = { "guest.suspend_to_mem", "guest.suspend_to_disk" };
  xmlNodePtr pm = NULL;

  for (gsize i = 0; i < G_N_ELEMENTS (states); i++)
    {
      if (!vt_settings_lookup (b->settings, keys[i]))
        continue;
      if (!pm)
        pm = add (b->domain, "pm");
      add_with (pm, states[i], "enabled", yes_no (vt_settings_get_bool (b->settings, keys[i])));
    }
  return TRUE;
}

static gboolean
add_launch_security (Build *b, GError **error)
{
  xmlNodePtr sec;
  g_autofree char *cbitpos = NULL;
  g_autofree char *reduced = NULL;
  g_autofree char *policy = NULL;

  if (!b->sev)
    return TRUE;
  if (!b->caps->sev)
    {
      g_set_error (error, VT_ERROR, VT_ERROR_UNSUPPORTED,
                   "guest.sev: '%s' needs AMD SEV, which the host capabilities (%s) lack",
                   get (b, "guest.sev"), b->caps->source);
      return FALSE;
    }
  cbitpos = g_strdup_printf ("%u", b->caps->sev_cbitpos);
  reduced = g_strdup_printf ("%u", b->caps->sev_reduced_phys_bits);
  policy = vt_sev_policy_text (b->settings);
  sec = add_with (b->domain, "launchSecurity", "type", "sev");
  add_text (sec, "cbitpos", cbitpos);
  add_text (sec, "reducedPhysBits", reduced);
  add_text (sec, "policy", policy);
  return TRUE;
}

/* ---- devices ------------------------------------------------------------------------ */

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

/* Where a disk's bytes are: <disk type=TYPE><source ATTR=VALUE [volume=VOLUME]/>. */
typedef struct {
  const char *type;      /* file | block | volume */
  const char *attr;      /* file | dev | pool */
  const char *value;
  char *volume;          /* volume name for type volume */
} DiskSource;

static void
resolve_disk_source (const Build *b, guint index, const char *format, DiskSource *src)
{
  const VtDiskDesc *d = g_ptr_array_index (b->desc->disks, index);
  const VtDiskBinding *bound = b->bindings ? &b->bindings[index] : NULL;
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
      src->volume = d->kind == VT_DISK_NEW ? vt_domain_new_volume_name (b->desc, index, format)
                                           : g_strdup (d->volume);
      return;
    }
  src->type = block ? "block" : "file";
  src->attr = block ? "dev" : "file";
}

static void
add_disk_source (const Build *b, xmlNodePtr disk, const DiskSource *src, const char *secret)
{
  xmlNodePtr source = add_with (disk, "source", src->attr, src->value);

  if (src->volume)
    set (source, "volume", src->volume);
  if (secret)
    {
      xmlNodePtr encryption = add_with (source, "encryption", "format", "luks");
      set (add_with (encryption, "secret", "type", "passphrase"), "uuid", secret);
    }
}

static const char *
get_or (const Build *b, const char *key, const char *fallback)
{
  const char *value = get (b, key);

  return value ? value : fallback;
}

/* What the disk's bytes are, or NULL when only libvirt knows: Define binds the real
 * format of a pool volume; storage.format describes only the volumes a description
 * creates; a path is raw unless the description says otherwise (never probed). */
static const char *
disk_format (const Build *b, const VtDiskDesc *d, const VtDiskBinding *bound)
{
  if (bound && bound->format)
    return bound->format;
  switch (d->kind)
    {
    case VT_DISK_NEW:
      return get_or (b, "storage.format", "raw");
    case VT_DISK_PATH:
      return d->format ? d->format : "raw";
    case VT_DISK_VOLUME:
    case VT_DISK_CDROM:
      break;
    }
  return NULL;
}

typedef struct {
  guint virtio, sd;        /* next target letter per prefix */
  guint disks, cdroms;     /* next alias number per kind */
} DiskCounters;

static void
add_one_disk (Build *b, guint index, DiskCounters *count)
{
  const VtDiskDesc *d = g_ptr_array_index (b->desc->disks, index);
  const VtDiskBinding *bound = b->bindings ? &b->bindings[index] : NULL;
  gboolean cdrom = d->kind == VT_DISK_CDROM;
  const char *bus = cdrom ? "sata" : get_or (b, "storage.bus", "virtio");
  gboolean virtio = g_str_equal (bus, "virtio");
  const char *format = disk_format (b, d, bound);
  g_autofree char *dev = target_name (virtio ? "vd" : "sd", virtio ? count->virtio++ : count->sd++);
  DiskSource src = { 0 };
  xmlNodePtr disk, driver;

  resolve_disk_source (b, index, format, &src);
  disk = add_with (b->devices, "disk", "type", src.type);
  set (disk, "device", cdrom ? "cdrom" : "disk");
  driver = add_with (disk, "driver", "name", "qemu");
  if (format)
    set (driver, "type", format);
  if (!cdrom && get (b, "storage.cache"))
    set (driver, "cache", get (b, "storage.cache"));
  if (virtio && b->iothreads > 0)
    set (driver, "iothread", "1");
  if (virtio && b->sev)
    set (driver, "iommu", "on");
  add_disk_source (b, disk, &src, bound ? bound->secret_uuid : NULL);
  g_free (src.volume);
  set (add_with (disk, "target", "dev", dev), "bus", bus);
  if (cdrom)
    add (disk, "readonly");
  if (cdrom)
    add_alias (disk, "cdrom%u", count->cdroms++);
  else
    add_alias (disk, "disk%u", count->disks++);
}

static void
add_disks (Build *b)
{
  DiskCounters count = { 0 };

  for (guint i = 0; b->desc->disks && i < b->desc->disks->len; i++)
    add_one_disk (b, i, &count);
}

static void
add_controllers (Build *b)
{
  xmlNodePtr controller;

  if (is (b, "storage.bus", "scsi"))
    {
      xmlNodePtr driver = NULL;
      controller = add_with (b->devices, "controller", "type", "scsi");
      set (controller, "index", "0");
      set (controller, "model", "virtio-scsi");
      if (b->iothreads > 0)
        driver = add_with (controller, "driver", "iothread", "1");
      if (b->sev)
        set (driver ? driver : add (controller, "driver"), "iommu", "on");
      add_alias (controller, "scsi0");
    }
  /* For the virtio console and the guest agent channel. */
  controller = add_with (b->devices, "controller", "type", "virtio-serial");
  set (controller, "index", "0");
  add_virtio_driver (b, controller);
  add_alias (controller, "virtio-serial0");
}

static void
add_interfaces (Build *b)
{
  const char *model = get (b, "guest.nic") ? get (b, "guest.nic") : "virtio";
  gboolean virtio = g_str_equal (model, "virtio");

  for (guint i = 0; b->desc->networks && i < b->desc->networks->len; i++)
    {
      const VtNetDesc *n = g_ptr_array_index (b->desc->networks, i);
      gboolean bridge = n->kind == VT_NET_BRIDGE;
      xmlNodePtr iface = add_with (b->devices, "interface", "type", bridge ? "bridge" : "network");

      if (n->mac)
        add_with (iface, "mac", "address", n->mac);
      add_with (iface, "source", bridge ? "bridge" : "network", n->source);
      add_with (iface, "model", "type", model);
      if (virtio && b->sev)
        {
          add_virtio_driver (b, iface);
          /* iPXE's option ROM is not SEV-aware. */
          add_with (iface, "rom", "enabled", "no");
        }
      add_alias (iface, "net%u", i);
    }
}

static void
add_console_and_channel (Build *b)
{
  xmlNodePtr console = add_with (b->devices, "console", "type", "pty");
  xmlNodePtr channel = add_with (b->devices, "channel", "type", "unix");
  xmlNodePtr target = add_with (console, "target", "type", "virtio");

  set (target, "port", "0");
  add_alias (console, "console0");
  target = add_with (channel, "target", "type", "virtio");
  set (target, "name", "org.qemu.guest_agent.0");
  add_alias (channel, "channel0");
}

/* guest.keyboard / guest.mouse value -> <input type bus>. */
static const struct {
  const char *value;
  const char *bus;
  const char *type;   /* NULL: the device's own kind (keyboard or mouse) */
} input_map[] = {
  { "virtio", "virtio", NULL },
  { "ps2", "ps2", NULL },
  { "usb", "usb", NULL },
  { "tablet", "usb", "tablet" },
};

static void
add_input (Build *b, const char *kind)
{
  g_autofree char *key = g_strconcat ("guest.", kind, NULL);
  const char *value = get (b, key);

  for (gsize i = 0; value && i < G_N_ELEMENTS (input_map); i++)
    if (g_str_equal (input_map[i].value, value))
      {
        xmlNodePtr input = add_with (b->devices, "input", "type",
                                     input_map[i].type ? input_map[i].type : kind);
        set (input, "bus", input_map[i].bus);
        add_alias (input, "input-%s", kind);
        return;
      }
}

static void
add_inputs (Build *b)
{
  add_input (b, "keyboard");
  add_input (b, "mouse");
}

static void
add_tpm (Build *b)
{
  const char *model = get (b, "guest.tpm");
  xmlNodePtr tpm;

  if (!model || g_str_equal (model, "none"))
    return;
  tpm = add_with (b->devices, "tpm", "model", model);
  set (add_with (tpm, "backend", "type", "emulator"), "version", "2.0");
  add_alias (tpm, "tpm0");
}

static void
add_graphics (Build *b)
{
  const char *type = get (b, "guest.graphics");
  xmlNodePtr graphics;

  if (!type || g_str_equal (type, "none"))
    return;
  graphics = add_with (b->devices, "graphics", "type", type);
  set (graphics, "autoport", "yes");
  set (add_with (graphics, "listen", "type", "address"), "address", "127.0.0.1");
}

static void
add_video (Build *b)
{
  const char *model = get (b, "guest.video") ? get (b, "guest.video") : "none";
  xmlNodePtr video = add (b->devices, "video");
  xmlNodePtr m = add_with (video, "model", "type", model);

  if (!g_str_equal (model, "none"))
    {
      set (m, "heads", "1");
      set (m, "primary", "yes");
    }
  if (g_str_equal (model, "virtio"))
    add_virtio_driver (b, video);
  add_alias (video, "video0");
}

static void
add_watchdog (Build *b)
{
  const char *model = get (b, "guest.watchdog");
  const char *action = get (b, "guest.watchdog.action");
  xmlNodePtr watchdog;

  if (!model || g_str_equal (model, "none"))
    return;
  watchdog = add_with (b->devices, "watchdog", "model", model);
  if (action)
    set (watchdog, "action", action);
  add_alias (watchdog, "watchdog0");
}

static void
add_memballoon (Build *b)
{
  gboolean balloon = vt_settings_get_bool (b->settings, "guest.memballoon");
  xmlNodePtr node = add_with (b->devices, "memballoon", "model", balloon ? "virtio" : "none");

  /* libvirt drops the alias of an absent balloon, so only a real one gets one. */
  if (balloon)
    add_alias (node, "balloon0");
}

static void
add_rng (Build *b)
{
  xmlNodePtr rng;

  if (!vt_settings_get_bool (b->settings, "guest.rng"))
    return;
  rng = add_with (b->devices, "rng", "model", "virtio");
  set (add_text (rng, "backend", "/dev/urandom"), "model", "random");
  add_virtio_driver (b, rng);
  add_alias (rng, "rng0");
}

/* In libvirt's own output order, so a define + dumpxml round trip stays recognisable. */
static void (*const device_builders[]) (Build *b) = {
  add_disks, add_controllers, add_interfaces, add_console_and_channel, add_inputs, add_tpm,
  add_graphics, add_video, add_watchdog, add_memballoon, add_rng,
};

static gboolean
add_devices (Build *b, GError **error)
{
  b->devices = add (b->domain, "devices");
  add_text (b->devices, "emulator", b->caps->emulator);
  for (gsize i = 0; i < G_N_ELEMENTS (device_builders); i++)
    device_builders[i] (b);
  return TRUE;
}

/* ---- checks and entry points -------------------------------------------------------- */

/* Text libxml2 would have to write as a character reference XML 1.0 forbids (control
 * characters) or that is not UTF-8 cannot be represented; refuse it. */
static gboolean
check_text (const char *what, const char *text, GError **error)
{
  if (!text)
    return TRUE;
  if (g_utf8_validate (text, -1, NULL))
    {
      const char *p = text;
      for (; *p; p++)
        if ((guchar) *p < 0x20 && *p != '\t' && *p != '\n' && *p != '\r')
          break;
      if (!*p)
        return TRUE;
    }
  g_set_error (error, VT_ERROR, VT_ERROR_INVALID_DESCRIPTION,
               "%s contains characters that cannot appear in a domain XML", what);
  return FALSE;
}

static gboolean
check_caller_strings (const VtDescription *desc, const VtDiskBinding *bindings,
                      GError **error)
{
  if (!check_text ("name", desc->name, error))
    return FALSE;
  for (guint i = 0; desc->disks && i < desc->disks->len; i++)
    {
      const VtDiskDesc *d = g_ptr_array_index (desc->disks, i);
      if (!check_text ("disks pool", d->pool, error) ||
          !check_text ("disks volume", d->volume, error) ||
          !check_text ("disks path", d->path, error))
        return FALSE;
      if (bindings && (!check_text ("disk file", bindings[i].file, error) ||
                       !check_text ("disk device", bindings[i].dev, error) ||
                       !check_text ("disk format", bindings[i].format, error) ||
                       !check_text ("disk secret", bindings[i].secret_uuid, error)))
        return FALSE;
    }
  for (guint i = 0; desc->networks && i < desc->networks->len; i++)
    {
      const VtNetDesc *n = g_ptr_array_index (desc->networks, i);
      if (!check_text ("networks source", n->source, error) ||
          !check_text ("networks mac", n->mac, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean (*const sections[]) (Build *b, GError **error) = {
  add_identity, add_metadata, add_memory, add_vcpus, add_os, add_features, add_cpu,
  add_clock, add_lifecycle, add_pm, add_devices, add_launch_security,
};

xmlDocPtr
vt_domain_build (const VtDescription *desc, const VtSettings *settings, const VtDomcaps *caps,
                 const GPtrArray *applied, const VtDiskBinding *bindings, GError **error)
{
  Build b = { desc, settings, caps, applied, bindings };
  xmlDocPtr doc;

  g_return_val_if_fail (desc != NULL && desc->name != NULL && settings != NULL, NULL);
  g_return_val_if_fail (caps != NULL, NULL);

  if (!check_caller_strings (desc, bindings, error))
    return NULL;
  vt_xml_init ();
  b.sev = is (&b, "guest.sev", "sev") || is (&b, "guest.sev", "sev-es");
  b.efi = is (&b, "guest.firmware", "efi");
  b.iothreads = (guint) CLAMP (vt_settings_get_int (settings, "guest.iothreads", 0), 0, 64);
  doc = xmlNewDoc ((const xmlChar *) "1.0");
  b.domain = xmlNewDocNode (doc, NULL, (const xmlChar *) "domain", NULL);
  xmlDocSetRootElement (doc, b.domain);
  for (gsize i = 0; i < G_N_ELEMENTS (sections); i++)
    if (!sections[i] (&b, error))
      {
        xmlFreeDoc (doc);
        return NULL;
      }
  return doc;
}

char *
vt_domain_to_string (xmlDocPtr doc)
{
  xmlChar *buffer = NULL;
  int size = 0;
  char *copy;

  xmlDocDumpFormatMemoryEnc (doc, &buffer, &size, "UTF-8", 1);
  copy = g_strndup ((const char *) buffer, (gsize) size);
  xmlFree (buffer);
  return copy;
}

char *
vt_domain_new_volume_name (const VtDescription *desc, guint index, const char *format)
{
  return g_strdup_printf ("%s-disk%u.%s", desc->name, index, format);
}
