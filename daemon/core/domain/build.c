/* The domain builder (SPEC §4.4): resolved settings + description -> libvirt domain tree.
 * This file makes the domain's own sections (identity, memory, CPU, firmware, features,
 * clock, lifecycle, launch security) and runs the device builders of devices.h in
 * libvirt's order. Caller strings are checked to be XML-representable before the node
 * that carries them is made. */
#include "domain/domain.h"

#include "domain/devices.h"
#include "domain/record.h"
#include "domain/xml-tree.h"
#include "sev/policy.h"
#include "util/error.h"
#include "util/xml.h"
#include "vt-config.h"

typedef struct {
  const VtDescription *desc;
  const GPtrArray *applied;
  const char *os_id;
  const VtDiskBinding *bindings;
  VtDeviceContext ctx;   /* the settings, the host, SEV and I/O threads */
  xmlNodePtr domain;
} Build;

static const char *
get (const Build *b, const char *key)
{
  return vt_settings_get (b->ctx.settings, key);
}

static gboolean
get_bool (const Build *b, const char *key)
{
  return vt_settings_get_bool (b->ctx.settings, key);
}

/* ---- domain-level sections -------------------------------------------------------- */

static gboolean
add_identity (Build *b, GError **error)
{
  if (!vt_tree_check_text ("name", b->desc->name, error))
    return FALSE;
  vt_tree_set (b->domain, "type", b->ctx.caps->domain_type);
  vt_tree_add_text (b->domain, "name", b->desc->name);
  return TRUE;
}

/* The element virt-manager, virt-install and GNOME Boxes read to know the guest OS:
 * <libosinfo:libosinfo><libosinfo:os id="URI"/></libosinfo:libosinfo>. */
#define LIBOSINFO_NS "http://libosinfo.org/xmlns/libvirt/domain/1.0"

static void
add_libosinfo_metadata (xmlNodePtr metadata, const char *os_id)
{
  xmlNodePtr libosinfo = vt_tree_add (metadata, "libosinfo");
  xmlNsPtr ns = xmlNewNs (libosinfo, (const xmlChar *) LIBOSINFO_NS,
                          (const xmlChar *) "libosinfo");

  xmlSetNs (libosinfo, ns);
  vt_tree_set (xmlNewChild (libosinfo, ns, (const xmlChar *) "os", NULL), "id", os_id);
}

/* libvirt keeps one metadata element per namespace, so everything virtuned records
 * lives under a single <virtuned:vm>. */
static gboolean
add_metadata (Build *b, GError **error)
{
  xmlNodePtr metadata = vt_tree_add (b->domain, "metadata");
  xmlNodePtr vm = vt_tree_add (metadata, "vm");
  xmlNsPtr ns = xmlNewNs (vm, (const xmlChar *) VT_METADATA_NS, (const xmlChar *) "virtuned");

  xmlSetNs (vm, ns);
  vt_tree_set (vm, "version", VT_VERSION);
  for (guint i = 0; b->applied && i < b->applied->len; i++)
    xmlNewTextChild (vm, ns, (const xmlChar *) "scenario",
                     (const xmlChar *) g_ptr_array_index (b->applied, i));
  vt_domain_record_add_description (vm, ns, b->desc);
  /* The URI comes from the osinfo database, not from the caller. */
  if (b->os_id)
    add_libosinfo_metadata (metadata, b->os_id);
  return TRUE;
}

static gboolean
add_memory (Build *b, GError **error)
{
  guint64 bytes = vt_settings_get_size (b->ctx.settings, "guest.memory");
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
  vt_tree_set (vt_tree_add_text (b->domain, "memory", kib), "unit", "KiB");
  vt_tree_set (vt_tree_add_text (b->domain, "currentMemory", kib), "unit", "KiB");
  if (!get_bool (b, "guest.hugepages") && !get_bool (b, "guest.memory.locked"))
    return TRUE;
  backing = vt_tree_add (b->domain, "memoryBacking");
  if (get_bool (b, "guest.hugepages"))
    vt_tree_add (backing, "hugepages");
  if (get_bool (b, "guest.memory.locked"))
    vt_tree_add (backing, "locked");
  return TRUE;
}

static gboolean
add_vcpus (Build *b, GError **error)
{
  gint64 vcpus = vt_settings_get_int (b->ctx.settings, "guest.vcpus", b->desc->vcpus);
  g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, vcpus > 0 ? vcpus : 1);

  vt_tree_set (vt_tree_add_text (b->domain, "vcpu", text), "placement", "static");
  if (b->ctx.iothreads > 0)
    {
      g_autofree char *n = g_strdup_printf ("%u", b->ctx.iothreads);
      vt_tree_add_text (b->domain, "iothreads", n);
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
  const char *secure = vt_tree_yes_no (get_bool (b, "guest.secure_boot"));
  xmlNodePtr firmware;

  vt_tree_set (os, "firmware", "efi");
  if (!vt_settings_lookup (b->ctx.settings, "guest.secure_boot"))
    return;
  firmware = vt_tree_add (os, "firmware");
  vt_tree_set (vt_tree_add_with (firmware, "feature", "enabled", secure), "name", "secure-boot");
  vt_tree_set (vt_tree_add_with (firmware, "feature", "enabled", secure), "name",
               "enrolled-keys");
}

static gboolean
add_os (Build *b, GError **error)
{
  xmlNodePtr os = vt_tree_add (b->domain, "os");
  xmlNodePtr type = vt_tree_add_text (os, "type", "hvm");
  const char *machine = get (b, "guest.machine");

  vt_tree_set (type, "arch", b->ctx.caps->arch);
  vt_tree_set (type, "machine", machine ? machine : b->ctx.caps->machine);
  /* The merge's requirements step has set efi for secure boot and SEV. */
  if (vt_settings_is (b->ctx.settings, "guest.firmware", "efi"))
    add_firmware (b, os);
  if (first_disk_is_cdrom (b))
    vt_tree_add_with (os, "boot", "dev", "cdrom");
  vt_tree_add_with (os, "boot", "dev", "hd");
  return TRUE;
}

static void
add_hyperv (xmlNodePtr features)
{
  xmlNodePtr hyperv = vt_tree_add_with (features, "hyperv", "mode", "custom");

  vt_tree_add_with (hyperv, "relaxed", "state", "on");
  vt_tree_add_with (hyperv, "vapic", "state", "on");
  vt_tree_set (vt_tree_add_with (hyperv, "spinlocks", "state", "on"), "retries", "8191");
}

static void
add_kvm_hidden (xmlNodePtr features)
{
  vt_tree_add_with (vt_tree_add (features, "kvm"), "hidden", "state", "on");
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
        vt_tree_add_with (features, word, "state", "on");
      else
        vt_tree_add (features, word);
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
  features = vt_tree_add (b->domain, "features");
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
  cpu = vt_tree_add (b->domain, "cpu");
  if (mode)
    {
      vt_tree_set (cpu, "mode", mode);
      vt_tree_set (cpu, "check", "none");
      /* libvirt accepts migratable only where it has a meaning. */
      if (migratable && (g_str_equal (mode, "host-passthrough") || g_str_equal (mode, "maximum")))
        vt_tree_set (cpu, "migratable", migratable);
    }
  if (d->sockets > 0)
    {
      xmlNodePtr topology = vt_tree_add (cpu, "topology");
      vt_tree_setf (topology, "sockets", "%u", d->sockets);
      vt_tree_setf (topology, "cores", "%u", d->cores);
      vt_tree_setf (topology, "threads", "%u", d->threads);
    }
  return TRUE;
}

static gboolean
add_clock (Build *b, GError **error)
{
  xmlNodePtr clock = vt_tree_add_with (b->domain, "clock", "offset",
                                       vt_device_setting (&b->ctx, "guest.clock", "utc"));

  vt_tree_set (vt_tree_add_with (clock, "timer", "name", "rtc"), "tickpolicy", "catchup");
  vt_tree_set (vt_tree_add_with (clock, "timer", "name", "pit"), "tickpolicy", "delay");
  vt_tree_set (vt_tree_add_with (clock, "timer", "name", "hpet"), "present", "no");
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
        vt_tree_add_text (b->domain, events[i], action);
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
      if (!vt_settings_lookup (b->ctx.settings, keys[i]))
        continue;
      if (!pm)
        pm = vt_tree_add (b->domain, "pm");
      vt_tree_add_with (pm, states[i], "enabled", vt_tree_yes_no (get_bool (b, keys[i])));
    }
  return TRUE;
}

/* The merge made the owner's word the policy; settings no merge saw could still carry
 * another one, and QEMU would then fail at LAUNCH_START with "Bad measurement". */
static gboolean
launch_data_fits (const VtSevLaunch *launch, const char *policy, GError **error)
{
  if (!launch || g_str_equal (launch->policy, policy))
    return TRUE;
  g_set_error (error, VT_ERROR, VT_ERROR_CONFLICT,
               "guest.sev.policy: '%s' differs from sev.policy %s, the word the session was "
               "made for", policy, launch->policy);
  return FALSE;
}

static gboolean
add_launch_security (Build *b, GError **error)
{
  const VtDomcaps *caps = b->ctx.caps;
  xmlNodePtr sec;
  g_autofree char *cbitpos = NULL;
  g_autofree char *reduced = NULL;
  g_autofree char *policy = NULL;

  if (!b->ctx.sev)
    return TRUE;
  if (!caps->sev)
    {
      g_set_error (error, VT_ERROR, VT_ERROR_UNSUPPORTED,
                   "guest.sev: '%s' needs AMD SEV, which the host capabilities (%s) lack",
                   get (b, "guest.sev"), caps->source);
      return FALSE;
    }
  cbitpos = g_strdup_printf ("%u", caps->sev_cbitpos);
  reduced = g_strdup_printf ("%u", caps->sev_reduced_phys_bits);
  policy = vt_sev_policy_text (b->ctx.settings);
  if (!launch_data_fits (b->desc->sev, policy, error))
    return FALSE;
  sec = vt_tree_add_with (b->domain, "launchSecurity", "type", "sev");
  vt_tree_add_text (sec, "cbitpos", cbitpos);
  vt_tree_add_text (sec, "reducedPhysBits", reduced);
  vt_tree_add_text (sec, "policy", policy);
  if (b->desc->sev)
    {
      vt_tree_add_text (sec, "dhCert", b->desc->sev->dh_cert);
      vt_tree_add_text (sec, "session", b->desc->sev->session);
    }
  return TRUE;
}

/* ---- devices ------------------------------------------------------------------------ */

static gboolean
add_disks (Build *b, xmlNodePtr devices, GError **error)
{
  const GPtrArray *disks = b->desc->disks;
  VtDiskCount count = { 0 };

  for (guint i = 0; disks && i < disks->len; i++)
    {
      VtDiskEntry entry = { g_ptr_array_index (disks, i), b->bindings ? &b->bindings[i] : NULL,
                            b->desc->name, i };
      if (!vt_device_add_disk (devices, &b->ctx, &entry, &count, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
add_interfaces (Build *b, xmlNodePtr devices, GError **error)
{
  const GPtrArray *networks = b->desc->networks;

  for (guint i = 0; networks && i < networks->len; i++)
    if (!vt_device_add_nic (devices, &b->ctx, g_ptr_array_index (networks, i), i, error))
      return FALSE;
  return TRUE;
}

static gboolean
add_each (Build *b, xmlNodePtr devices, const VtDeviceBuilder *builders, gsize n,
          GError **error)
{
  for (gsize i = 0; i < n; i++)
    if (!builders[i] (devices, &b->ctx, error))
      return FALSE;
  return TRUE;
}

/* In libvirt's own output order, so a define + dumpxml round trip stays recognisable:
 * disks, controllers, interfaces, then the devices the settings alone describe. */
static gboolean
add_devices (Build *b, GError **error)
{
  static const VtDeviceBuilder controllers[] = {
    vt_device_add_scsi_controller, vt_device_add_serial_controller,
  };
  static const VtDeviceBuilder others[] = {
    vt_device_add_console, vt_device_add_agent_channel, vt_device_add_keyboard,
    vt_device_add_mouse, vt_device_add_tpm, vt_device_add_graphics, vt_device_add_video,
    vt_device_add_watchdog, vt_device_add_memballoon, vt_device_add_rng,
  };
  xmlNodePtr devices = vt_tree_add (b->domain, "devices");

  vt_tree_add_text (devices, "emulator", b->ctx.caps->emulator);
  return add_disks (b, devices, error) &&
         add_each (b, devices, controllers, G_N_ELEMENTS (controllers), error) &&
         add_interfaces (b, devices, error) &&
         add_each (b, devices, others, G_N_ELEMENTS (others), error) &&
         vt_device_add_hotplug_ports (devices, &b->ctx, error);
}

/* ---- entry points ------------------------------------------------------------------- */

static gboolean (*const sections[]) (Build *b, GError **error) = {
  add_identity, add_metadata, add_memory, add_vcpus, add_os, add_features, add_cpu,
  add_clock, add_lifecycle, add_pm, add_devices, add_launch_security,
};

xmlDocPtr
vt_domain_build (const VtDescription *desc, const VtSettings *settings, const VtDomcaps *caps,
                 const GPtrArray *applied, const char *os_id, const VtDiskBinding *bindings,
                 GError **error)
{
  Build b = { desc, applied, os_id, bindings };
  xmlDocPtr doc;

  g_return_val_if_fail (desc != NULL && desc->name != NULL && settings != NULL, NULL);
  g_return_val_if_fail (caps != NULL, NULL);

  vt_xml_init ();
  b.ctx = vt_device_context (settings, caps);
  b.ctx.domain_name = desc->name;
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
