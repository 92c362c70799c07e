/* The host layer and the domain builder, with descriptions and settings made by hand
 * (independent of the description parser and the policies). Every built domain is
 * checked by XPath, by libvirt's RNG validator and by a define in libvirt's test driver. */
#include <string.h>

#include "domain-checks.h"
#include "domain/domain.h"
#include "domcaps-fixtures.h"
#include "merge/merge.h"
#include "util/error.h"
#include "util/xml.h"
#include "vt-config.h"

#define STRV(...) ((const char *const[]) { __VA_ARGS__, NULL })

/* ---- hand-made descriptions ---------------------------------------------------------- */

/* Built here rather than parsed, with arrays vt_description_free() can release. */

static void
disk_free (VtDiskDesc *d)
{
  g_free (d->pool);
  g_free (d->volume);
  g_free (d->path);
  g_free (d->format);
  g_free (d);
}

static void
net_free (VtNetDesc *n)
{
  g_free (n->source);
  g_free (n->mac);
  g_free (n);
}

static VtDescription *
desc_new (const char *name)
{
  VtDescription *d = g_new0 (VtDescription, 1);

  d->name = g_strdup (name);
  d->scenarios = g_ptr_array_new_with_free_func (g_free);
  d->disks = g_ptr_array_new_with_free_func ((GDestroyNotify) disk_free);
  d->networks = g_ptr_array_new_with_free_func ((GDestroyNotify) net_free);
  d->settings = g_ptr_array_new ();
  d->secure_boot = -1;
  d->tpm = -1;
  return d;
}

/* @where: "pool" for NEW (the pool), "pool/volume" for VOLUME and CDROM, a path for PATH. */
static void
add_disk (VtDescription *desc, VtDiskKind kind, const char *where)
{
  VtDiskDesc *d = g_new0 (VtDiskDesc, 1);
  g_auto (GStrv) parts = g_strsplit (where, "/", 2);

  d->kind = kind;
  if (kind == VT_DISK_PATH)
    d->path = g_strdup (where);
  else
    {
      d->pool = g_strdup (parts[0]);
      d->volume = kind == VT_DISK_NEW ? NULL : g_strdup (parts[1]);
    }
  g_ptr_array_add (desc->disks, d);
}

static void
add_net (VtDescription *desc, VtNetKind kind, const char *source, const char *mac)
{
  VtNetDesc *n = g_new0 (VtNetDesc, 1);

  n->kind = kind;
  n->source = g_strdup (source);
  n->mac = g_strdup (mac);
  g_ptr_array_add (desc->networks, n);
}

/* One new disk in pool "default" and one NIC on network "default". */
static VtDescription *
simple_desc (const char *name)
{
  VtDescription *desc = desc_new (name);

  add_disk (desc, VT_DISK_NEW, "default");
  add_net (desc, VT_NET_NETWORK, "default", NULL);
  return desc;
}

/* ---- hand-made settings ------------------------------------------------------------- */

/* What a "default" layer provides; the seed tables and the tests override it. */
static const char *const base_settings[][2] = {
  { "guest.vcpus", "2" },           { "guest.memory", "2GiB" },
  { "guest.machine", "q35" },       { "guest.cpu.mode", "host-passthrough" },
  { "guest.cpu.migratable", "on" }, { "guest.features", "acpi apic pae" },
  { "guest.firmware", "auto" },     { "guest.secure_boot", "off" },
  { "guest.tpm", "none" },          { "guest.iothreads", "0" },
  { "guest.video", "virtio" },      { "guest.graphics", "spice" },
  { "guest.nic", "virtio" },        { "guest.keyboard", "virtio" },
  { "guest.mouse", "virtio" },      { "guest.watchdog", "none" },
  { "guest.on_poweroff", "destroy" }, { "guest.on_reboot", "restart" },
  { "guest.on_crash", "destroy" },  { "guest.memballoon", "on" },
  { "guest.rng", "on" },            { "guest.sev", "off" },
  { "guest.sev.policy", "auto" },   { "storage.format", "qcow2" },
  { "storage.cache", "none" },      { "storage.bus", "virtio" },
  { "storage.cluster_size", "default" },
};

static VtSettings *
base_new (void)
{
  VtSettings *s = vt_settings_new ();

  for (gsize i = 0; i < G_N_ELEMENTS (base_settings); i++)
    vt_settings_set (s, base_settings[i][0], base_settings[i][1], "default");
  return s;
}

/* Settings for a seed scenario: the base, then the seed column as that scenario's layer. */
static VtSettings *
seed_settings_new (const SeedScenario *scenario)
{
  VtSettings *s = base_new ();
  g_autofree char *layer = g_strdup_printf ("scenario:%s", scenario->name);

  for (const SeedRow *r = scenario->rows; r->row; r++)
    if (r->key)
      vt_settings_set (s, r->key, r->value, layer);
  return s;
}

/* Runs firmware auto, the host layer and the requirements step after it, as vt_merge
 * does for a description without os:; both must succeed. Returns the host layer's
 * warnings. */
static GPtrArray *
host_layer (VtSettings *settings, const VtDescription *desc, const VtDomcaps *caps)
{
  GPtrArray *warnings = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GError) error = NULL;

  vt_firmware_auto_resolve (settings, NULL, caps);
  g_assert_true (vt_caps_layer_apply (settings, desc, caps, warnings, &error));
  g_assert_no_error (error);
  g_assert_true (vt_requirements_apply (settings, desc, caps, &error));
  g_assert_no_error (error);
  return warnings;
}

/* Builds, serialises and checks with the real validators; returns the parsed result. */
static xmlDocPtr
build_checked (const VtDescription *desc, const VtSettings *settings, const VtDomcaps *caps,
               const VtDiskBinding *bindings, char **xml_out)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) applied = g_ptr_array_new ();
  xmlDocPtr doc;
  char *xml;

  g_ptr_array_add (applied, "default");
  doc = vt_domain_build (desc, settings, caps, applied, NULL, bindings, &error);
  g_assert_no_error (error);
  g_assert_nonnull (doc);
  xml = vt_xml_to_string (doc);
  xmlFreeDoc (doc);
  assert_schema_valid (xml);
  assert_test_driver_defines (xml);
  doc = parse_domain (xml);
  if (xml_out)
    *xml_out = xml;
  else
    g_free (xml);
  return doc;
}

/* ---- seed scenarios ------------------------------------------------------------------- */

static void
test_seed_scenario (gconstpointer data)
{
  const SeedScenario *scenario = data;
  g_autoptr (VtDomcaps) caps = seed_scenario_caps (scenario);
  g_autoptr (VtSettings) settings = seed_settings_new (scenario);
  g_autoptr (VtDescription) desc = simple_desc ("seed-vm");
  g_autoptr (GPtrArray) warnings = host_layer (settings, desc, caps);
  xmlDocPtr doc;

  for (const SeedRow *r = scenario->rows; r->row; r++)
    if (r->key)
      g_assert_cmpstr (vt_settings_get (settings, r->key), ==, r->host ? r->host : r->value);
  doc = build_checked (desc, settings, caps, NULL, NULL);
  assert_seed_rows (doc, scenario);
  xmlFreeDoc (doc);
}

/* ---- the builder ---------------------------------------------------------------------- */

static void
test_identity_and_metadata (void)
{
  g_autoptr (VtDomcaps) caps = fixture_caps (FIXTURE_TCG);
  g_autoptr (VtSettings) settings = base_new ();
  g_autoptr (VtDescription) desc = simple_desc ("web01");
  g_autoptr (GPtrArray) warnings = host_layer (settings, desc, caps);
  g_autoptr (GPtrArray) applied = g_ptr_array_new ();
  g_autoptr (GError) error = NULL;
  xmlDocPtr doc;

  g_ptr_array_add (applied, "default");
  g_ptr_array_add (applied, "desktop");
  doc = vt_domain_build (desc, settings, caps, applied, NULL, NULL, &error);
  g_assert_no_error (error);
  assert_xpath (doc, "string(/domain/@type)", "qemu");
  assert_xpath (doc, "string(/domain/name)", "web01");
  assert_xpath (doc, "count(/domain/uuid)", "0");
  assert_xpath (doc, "count(/domain/metadata/*)", "1");
  assert_xpath (doc, "string(/domain/metadata/vt:vm/@version)", VT_VERSION);
  assert_xpath (doc, "count(/domain/metadata/vt:vm/vt:scenario)", "2");
  assert_xpath (doc, "string(/domain/metadata/vt:vm/vt:scenario[2])", "desktop");
  assert_xpath (doc, "string(/domain/memory)", "2097152");
  assert_xpath (doc, "string(/domain/memory/@unit)", "KiB");
  assert_xpath (doc, "string(/domain/currentMemory)", "2097152");
  assert_xpath (doc, "count(/domain/memoryBacking)", "0");
  assert_xpath (doc, "string(/domain/vcpu)", "2");
  assert_xpath (doc, "string(/domain/vcpu/@placement)", "static");
  assert_xpath (doc, "string(/domain/os/type/@arch)", "x86_64");
  assert_xpath (doc, "count(/domain/os/boot)", "0");
  assert_xpath (doc, "string(//disk[1]/boot/@order)", "1");
  assert_xpath (doc, "string(/domain/devices/emulator)", "/usr/bin/qemu-system-x86_64");
  /* TCG has no host-passthrough: host-model, which libvirt checks partially. */
  assert_xpath (doc, "string(/domain/cpu/@mode)", "host-model");
  assert_xpath (doc, "string(/domain/cpu/@check)", "partial");
  assert_xpath (doc, "string(/domain/clock/@offset)", "utc");
  assert_xpath (doc, "string(/domain/clock/timer[@name='rtc']/@tickpolicy)", "catchup");
  assert_xpath (doc, "string(/domain/clock/timer[@name='pit']/@tickpolicy)", "delay");
  assert_xpath (doc, "string(/domain/clock/timer[@name='hpet']/@present)", "no");
  assert_xpath (doc, "string(/domain/devices/graphics/@type)", "spice");
  assert_xpath (doc, "string(/domain/devices/graphics/@autoport)", "yes");
  assert_xpath (doc, "string(/domain/devices/graphics/listen/@address)", "127.0.0.1");
  assert_xpath (doc, "string(/domain/devices/rng/backend)", "/dev/urandom");
  assert_xpath (doc, "string(/domain/devices/memballoon/@model)", "virtio");
  assert_xpath (doc, "string(/domain/devices/serial/target/@type)", "isa-serial");
  assert_xpath (doc, "string(/domain/devices/console/target/@type)", "serial");
  assert_xpath (doc, "string(/domain/features/vmport/@state)", "off");
  assert_xpath (doc, "string(/domain/devices/controller[@type='usb']/@model)", "qemu-xhci");
  assert_xpath (doc, "string(/domain/devices/channel/target/@name)", "org.qemu.guest_agent.0");
  assert_xpath (doc, "string(/domain/devices/interface/source/@network)", "default");
  assert_xpath (doc, "string(/domain/devices/disk/source/@pool)", "default");
  assert_xpath (doc, "string(/domain/devices/disk/source/@volume)", "web01-disk0.qcow2");
  xmlFreeDoc (doc);
}

static void
test_aliases (void)
{
  static const char *const expected[] = {
    "ua-disk0", "ua-net0", "ua-video0", "ua-rng0", "ua-tpm0", "ua-watchdog0", "ua-serial0",
    "ua-channel0", "ua-channel1", "ua-input-keyboard", "ua-input-mouse", "ua-virtio-serial0",
    "ua-balloon0", "ua-cdrom0", "ua-usb0",
  };
  g_autoptr (VtDomcaps) caps = fixture_caps (BUNDLED_CAPS);
  g_autoptr (VtSettings) settings = base_new ();
  g_autoptr (VtDescription) desc = simple_desc ("aliases");
  xmlDocPtr doc;

  vt_settings_set (settings, "guest.tpm", "tpm-tis", "user");
  vt_settings_set (settings, "guest.watchdog", "i6300esb", "user");
  add_disk (desc, VT_DISK_CDROM, "isos/install.iso");
  doc = build_checked (desc, settings, caps, NULL, NULL);
  for (gsize i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_autofree char *xp = g_strdup_printf ("count(//alias[@name='%s'])", expected[i]);
      assert_xpath (doc, xp, "1");
    }
  /* Every device but graphics (which has no address) and the console (the serial port,
   * whose alias it shares) carries exactly one user alias. */
  assert_xpath (doc, "count(/domain/devices/*[not(self::emulator) and not(self::graphics)"
                     " and not(self::console) and not(alias[starts-with(@name, 'ua-')])])",
                "0");
  xmlFreeDoc (doc);
}

static void
test_deterministic (void)
{
  g_autoptr (VtDomcaps) caps = fixture_caps (BUNDLED_CAPS);
  g_autoptr (VtSettings) settings = seed_settings_new (&seed_scenarios[2]);
  g_autoptr (VtDescription) desc = simple_desc ("twice");
  g_autoptr (GPtrArray) warnings = host_layer (settings, desc, caps);
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;

  xmlFreeDoc (build_checked (desc, settings, caps, NULL, &first));
  xmlFreeDoc (build_checked (desc, settings, caps, NULL, &second));
  g_assert_cmpstr (first, ==, second);
  g_assert_true (g_str_has_prefix (first, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                                          "<domain type=\"kvm\">\n  <name>twice</name>\n"));
}

/* Disk kinds, target names per bus, boot order, new volume names. */
static void
test_disks (void)
{
  g_autoptr (VtDomcaps) caps = fixture_caps (BUNDLED_CAPS);
  g_autoptr (VtSettings) settings = base_new ();
  g_autoptr (VtDescription) desc = desc_new ("disks");
  xmlDocPtr doc;

  add_disk (desc, VT_DISK_CDROM, "isos/install.iso");
  add_disk (desc, VT_DISK_NEW, "default");
  add_disk (desc, VT_DISK_VOLUME, "default/base.qcow2");
  add_disk (desc, VT_DISK_PATH, "/srv/vm/x.qcow2");
  add_disk (desc, VT_DISK_PATH, "/dev/vg0/data");
  ((VtDiskDesc *) g_ptr_array_index (desc->disks, 3))->format = g_strdup ("qcow2");
  vt_settings_set (settings, "guest.iothreads", "2", "user");
  doc = build_checked (desc, settings, caps, NULL, NULL);
  /* storage.format is for new volumes only; a path says its own format (raw unless
   * told), and a pool volume's format is the pool's to say (Define binds it). */
  assert_xpath (doc, "count(//disk[1]/driver/@type)", "0");
  assert_xpath (doc, "string(//disk[2]/driver/@type)", "qcow2");
  assert_xpath (doc, "count(//disk[3]/driver/@type)", "0");
  assert_xpath (doc, "string(//disk[4]/driver/@type)", "qcow2");
  assert_xpath (doc, "string(//disk[5]/driver/@type)", "raw");
  /* Every disk boots, in the description's order, so an empty new disk listed before
   * an installer CD does not stop the firmware from trying the CD. */
  assert_xpath (doc, "count(/domain/os/boot)", "0");
  for (guint i = 1; i <= 5; i++)
    {
      g_autofree char *expr = g_strdup_printf ("string(//disk[%u]/boot/@order)", i);
      g_autofree char *order = g_strdup_printf ("%u", i);
      assert_xpath (doc, expr, order);
    }
  assert_xpath (doc, "string(//disk[1]/@device)", "cdrom");
  assert_xpath (doc, "string(//disk[1]/target/@dev)", "sda");
  assert_xpath (doc, "string(//disk[1]/target/@bus)", "sata");
  assert_xpath (doc, "count(//disk[1]/readonly)", "1");
  assert_xpath (doc, "string(//disk[1]/source/@volume)", "install.iso");
  assert_xpath (doc, "count(//disk[1]/driver/@iothread)", "0");
  assert_xpath (doc, "string(//disk[2]/source/@volume)", "disks-disk1.qcow2");
  assert_xpath (doc, "string(//disk[2]/target/@dev)", "vda");
  assert_xpath (doc, "string(//disk[2]/driver/@iothread)", "1");
  assert_xpath (doc, "string(//disk[2]/alias/@name)", "ua-disk0");
  assert_xpath (doc, "string(//disk[3]/@type)", "volume");
  assert_xpath (doc, "string(//disk[3]/source/@volume)", "base.qcow2");
  assert_xpath (doc, "string(//disk[3]/target/@dev)", "vdb");
  assert_xpath (doc, "string(//disk[4]/@type)", "file");
  assert_xpath (doc, "string(//disk[4]/source/@file)", "/srv/vm/x.qcow2");
  assert_xpath (doc, "string(//disk[5]/@type)", "block");
  assert_xpath (doc, "string(//disk[5]/source/@dev)", "/dev/vg0/data");
  assert_xpath (doc, "string(//disk[5]/target/@dev)", "vdd");
  assert_xpath (doc, "string(//disk[5]/alias/@name)", "ua-disk3");
  xmlFreeDoc (doc);
}

/* Target names continue the way libvirt counts: ..., vdz, vdaa, ... */
static void
test_many_disks (void)
{
  g_autoptr (VtDomcaps) caps = fixture_caps (BUNDLED_CAPS);
  g_autoptr (VtSettings) settings = base_new ();
  g_autoptr (VtDescription) desc = desc_new ("many");
  xmlDocPtr doc;

  for (guint i = 0; i < 32; i++)
    add_disk (desc, VT_DISK_NEW, "default");
  doc = build_checked (desc, settings, caps, NULL, NULL);
  assert_xpath (doc, "string(//disk[26]/target/@dev)", "vdz");
  assert_xpath (doc, "string(//disk[27]/target/@dev)", "vdaa");
  assert_xpath (doc, "string(//disk[32]/target/@dev)", "vdaf");
  assert_xpath (doc, "string(//disk[32]/source/@volume)", "many-disk31.qcow2");
  xmlFreeDoc (doc);
}

static void
test_scsi_bus (void)
{
  g_autoptr (VtDomcaps) caps = fixture_caps (BUNDLED_CAPS);
  g_autoptr (VtSettings) settings = base_new ();
  g_autoptr (VtDescription) desc = simple_desc ("scsi");
  xmlDocPtr doc;

  add_disk (desc, VT_DISK_CDROM, "isos/install.iso");
  vt_settings_set (settings, "storage.bus", "scsi", "user");
  vt_settings_set (settings, "guest.iothreads", "1", "user");
  doc = build_checked (desc, settings, caps, NULL, NULL);
  assert_xpath (doc, "string(//disk[1]/target/@dev)", "sda");
  assert_xpath (doc, "string(//disk[1]/target/@bus)", "scsi");
  assert_xpath (doc, "string(//disk[2]/target/@dev)", "sdb");
  assert_xpath (doc, "count(//disk[1]/driver/@iothread)", "0");
  assert_xpath (doc, "string(//controller[@type='scsi']/@model)", "virtio-scsi");
  assert_xpath (doc, "string(//controller[@type='scsi']/driver/@iothread)", "1");
  xmlFreeDoc (doc);
}

/* What Define resolved: a file, a block device, a LUKS secret. */
static void
test_bindings (void)
{
  g_autoptr (VtDomcaps) caps = fixture_caps (BUNDLED_CAPS);
  g_autoptr (VtSettings) settings = base_new ();
  g_autoptr (VtDescription) desc = desc_new ("bound");
  VtDiskBinding bindings[] = {
    { "/var/lib/libvirt/images/bound-disk0.qcow2", NULL, "qcow2",
      "0a81f5b2-8403-7b23-c8d6-21ccc2f80d6f" },
    { NULL, "/dev/sdx", "raw", NULL },
    { NULL, NULL, NULL, NULL },
  };
  xmlDocPtr doc;

  add_disk (desc, VT_DISK_NEW, "default");
  add_disk (desc, VT_DISK_VOLUME, "lvm/data");
  add_disk (desc, VT_DISK_VOLUME, "default/other.qcow2");
  doc = build_checked (desc, settings, caps, bindings, NULL);
  assert_xpath (doc, "string(//disk[1]/@type)", "file");
  assert_xpath (doc, "string(//disk[1]/source/@file)", bindings[0].file);
  assert_xpath (doc, "string(//disk[1]/source/encryption/@format)", "luks");
  assert_xpath (doc, "string(//disk[1]/source/encryption/secret/@type)", "passphrase");
  assert_xpath (doc, "string(//disk[1]/source/encryption/secret/@uuid)", bindings[0].secret_uuid);
  assert_xpath (doc, "string(//disk[2]/@type)", "block");
  assert_xpath (doc, "string(//disk[2]/source/@dev)", "/dev/sdx");
  assert_xpath (doc, "string(//disk[2]/driver/@type)", "raw");
  assert_xpath (doc, "count(//disk[2]/source/encryption)", "0");
  assert_xpath (doc, "string(//disk[3]/@type)", "volume");
  xmlFreeDoc (doc);
}

static void
test_secure_boot (void)
{
  g_autoptr (VtDomcaps) caps = fixture_caps (BUNDLED_CAPS);
  g_autoptr (VtSettings) settings = base_new ();
  g_autoptr (VtDescription) desc = simple_desc ("secboot");
  xmlDocPtr doc;

  vt_settings_set (settings, "guest.secure_boot", "on", "user");
  /* The builder writes what the settings say: without the requirements step, secure
   * boot alone gives no UEFI and no SMM. */
  doc = build_checked (desc, settings, caps, NULL, NULL);
  assert_xpath (doc, "count(/domain/os/@firmware)", "0");
  assert_xpath (doc, "count(/domain/features/smm)", "0");
  xmlFreeDoc (doc);
  g_ptr_array_unref (host_layer (settings, desc, caps));
  g_assert_cmpstr (vt_settings_lookup (settings, "guest.firmware")->layer, ==,
                   "requires:guest.secure_boot");
  doc = build_checked (desc, settings, caps, NULL, NULL);
  assert_xpath (doc, "string(/domain/os/@firmware)", "efi");
  assert_xpath (doc, "string(/domain/os/firmware/feature[@name='secure-boot']/@enabled)", "yes");
  assert_xpath (doc, "string(/domain/os/firmware/feature[@name='enrolled-keys']/@enabled)",
                "yes");
  assert_xpath (doc, "string(/domain/features/smm/@state)", "on");
  xmlFreeDoc (doc);

  vt_settings_set (settings, "guest.secure_boot", "off", "user");
  vt_settings_set (settings, "guest.firmware", "efi", "user");
  vt_settings_set (settings, "guest.features", "acpi apic pae", "user");
  doc = build_checked (desc, settings, caps, NULL, NULL);
  assert_xpath (doc, "string(/domain/os/@firmware)", "efi");
  assert_xpath (doc, "string(/domain/os/firmware/feature[@name='secure-boot']/@enabled)", "no");
  assert_xpath (doc, "count(/domain/features/smm)", "0");
  xmlFreeDoc (doc);
}

/* Every feature word, bridge + MAC, tablet, usb keyboard, vnc, host-model CPU, topology. */
static void
test_device_variants (void)
{
  g_autoptr (VtDomcaps) caps = fixture_caps (BUNDLED_CAPS);
  g_autoptr (VtSettings) settings = base_new ();
  g_autoptr (VtDescription) desc = simple_desc ("variants");
  xmlDocPtr doc;

  add_net (desc, VT_NET_BRIDGE, "br0", "52:54:00:12:34:56");
  desc->sockets = 1, desc->cores = 2, desc->threads = 1;
  vt_settings_set (settings, "guest.features",
                   "acpi apic pae smm vmcoreinfo hyperv kvm-hidden", "user");
  vt_settings_set (settings, "guest.pmu", "on", "user");
  vt_settings_set (settings, "guest.mouse", "tablet", "user");
  vt_settings_set (settings, "guest.keyboard", "usb", "user");
  vt_settings_set (settings, "guest.graphics", "vnc", "user");
  vt_settings_set (settings, "guest.cpu.mode", "host-model", "user");
  vt_settings_set (settings, "guest.hugepages", "on", "user");
  vt_settings_set (settings, "guest.memory.locked", "on", "user");
  vt_settings_set (settings, "guest.video", "none", "user");
  vt_settings_set (settings, "guest.rng", "off", "user");
  vt_settings_set (settings, "guest.memballoon", "off", "user");
  vt_settings_set (settings, "guest.watchdog", "i6300esb", "user");
  vt_settings_set (settings, "guest.watchdog.action", "reset", "user");
  doc = build_checked (desc, settings, caps, NULL, NULL);
  assert_xpath (doc, "count(/domain/features/*)", "9");   /* the 8 words and vmport */
  assert_xpath (doc, "string(/domain/features/pmu/@state)", "on");
  assert_xpath (doc, "string(/domain/features/hyperv/@mode)", "custom");
  assert_xpath (doc, "string(/domain/features/kvm/hidden/@state)", "on");
  assert_xpath (doc, "string(/domain/devices/interface[2]/@type)", "bridge");
  assert_xpath (doc, "string(/domain/devices/interface[2]/source/@bridge)", "br0");
  assert_xpath (doc, "string(/domain/devices/interface[2]/mac/@address)", "52:54:00:12:34:56");
  assert_xpath (doc, "string(/domain/devices/interface[2]/alias/@name)", "ua-net1");
  assert_xpath (doc, "string(//input[@type='tablet']/@bus)", "usb");
  assert_xpath (doc, "string(//input[@type='keyboard']/@bus)", "usb");
  assert_xpath (doc, "string(//graphics/@type)", "vnc");
  assert_xpath (doc, "string(/domain/cpu/@mode)", "host-model");
  assert_xpath (doc, "count(/domain/cpu/@migratable)", "0");
  assert_xpath (doc, "string(/domain/cpu/topology/@cores)", "2");
  assert_xpath (doc, "count(/domain/memoryBacking/hugepages)", "1");
  assert_xpath (doc, "count(/domain/memoryBacking/locked)", "1");
  assert_xpath (doc, "string(//video/model/@type)", "none");
  assert_xpath (doc, "count(//rng)", "0");
  assert_xpath (doc, "string(//memballoon/@model)", "none");
  assert_xpath (doc, "count(//memballoon/alias)", "0");
  assert_xpath (doc, "string(//watchdog/@action)", "reset");
  xmlFreeDoc (doc);

  vt_settings_set (settings, "guest.graphics", "none", "user");
  vt_settings_set (settings, "guest.keyboard", "none", "user");
  vt_settings_set (settings, "guest.mouse", "none", "user");
  doc = build_checked (desc, settings, caps, NULL, NULL);
  assert_xpath (doc, "count(//graphics)", "0");
  assert_xpath (doc, "count(//input)", "0");
  xmlFreeDoc (doc);
}

/* Markup characters in caller strings are escaped by libxml2 and come back intact. */
static void
test_escaping (void)
{
  const char *mac = "52:54:00:<&'\">";
  const char *path = "/srv/a<b>&'\"]]>.qcow2";
  g_autoptr (VtDomcaps) caps = fixture_caps (BUNDLED_CAPS);
  g_autoptr (VtSettings) settings = base_new ();
  g_autoptr (VtDescription) desc = desc_new ("esc");
  g_autoptr (GError) error = NULL;
  g_autofree char *xml = NULL;
  xmlDocPtr doc;

  add_disk (desc, VT_DISK_PATH, path);
  add_net (desc, VT_NET_NETWORK, "net&<work>", mac);
  doc = vt_domain_build (desc, settings, caps, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  xml = vt_xml_to_string (doc);
  xmlFreeDoc (doc);
  g_assert_null (strstr (xml, "<&"));
  g_assert_null (strstr (xml, "a<b"));
  doc = parse_domain (xml);
  assert_xpath (doc, "string(//interface/mac/@address)", mac);
  assert_xpath (doc, "string(//interface/source/@network)", "net&<work>");
  assert_xpath (doc, "string(//disk/source/@file)", path);
  xmlFreeDoc (doc);
}

/* Control characters cannot appear in XML 1.0 at all: refused, never written. */
static void
test_unrepresentable (void)
{
  g_autoptr (VtDomcaps) caps = fixture_caps (BUNDLED_CAPS);
  g_autoptr (VtSettings) settings = base_new ();
  g_autoptr (VtDescription) desc = desc_new ("ctl");
  g_autoptr (GError) error = NULL;
  xmlDocPtr doc;

  add_disk (desc, VT_DISK_PATH, "/srv/a\001b");
  doc = vt_domain_build (desc, settings, caps, NULL, NULL, NULL, &error);
  g_assert_null (doc);
  g_assert_error (error, VT_ERROR, VT_ERROR_INVALID_DESCRIPTION);
  g_assert_nonnull (strstr (error->message, "disks path"));
}

static void
test_no_memory (void)
{
  g_autoptr (VtDomcaps) caps = fixture_caps (BUNDLED_CAPS);
  g_autoptr (VtSettings) settings = vt_settings_new ();
  g_autoptr (VtDescription) desc = desc_new ("empty");
  g_autoptr (GError) error = NULL;
  xmlDocPtr doc = vt_domain_build (desc, settings, caps, NULL, NULL, NULL, &error);

  g_assert_null (doc);
  g_assert_error (error, VT_ERROR, VT_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "guest.memory"));
}

/* ---- SEV ------------------------------------------------------------------------------ */

static xmlDocPtr
build_sev (const VtDomcaps *caps, const char *sev, const char *policy)
{
  g_autoptr (VtSettings) settings = base_new ();
  g_autoptr (VtDescription) desc = simple_desc ("sev");
  g_autoptr (GPtrArray) warnings = NULL;

  vt_settings_set (settings, "guest.sev", sev, "scenario:securevm");
  vt_settings_lock (settings, "guest.sev", "securevm");
  if (policy)
    vt_settings_set (settings, "guest.sev.policy", policy, "user");
  warnings = host_layer (settings, desc, caps);
  g_assert_cmpuint (warnings->len, ==, 0);
  return build_checked (desc, settings, caps, NULL, NULL);
}

static void
test_sev_es (void)
{
  g_autoptr (VtDomcaps) caps = fixture_caps (FIXTURE_SEV);
  xmlDocPtr doc;

  /* A host whose firmware descriptors offer SEV-ES: auto takes it, and says nothing. */
  fixture_attach_firmware (caps, FW_FEATURES_SEV_ES);
  doc = build_sev (caps, "auto", NULL);
  assert_sev_es_on_fixture (doc);
  assert_xpath (doc, "string(//interface/driver/@iommu)", "on");
  assert_xpath (doc, "string(//interface/rom/@enabled)", "no");
  assert_xpath (doc, "string(//rng/driver/@iommu)", "on");
  assert_xpath (doc, "string(//video/driver/@iommu)", "on");
  assert_xpath (doc, "string(//controller[@type='virtio-serial']/driver/@iommu)", "on");
  xmlFreeDoc (doc);
}

static void
test_sev_without_es (void)
{
  g_autoptr (VtDomcaps) caps = fixture_variant (FIXTURE_SEV, STRV ("<maxESGuests>450<"),
                                                STRV ("<maxESGuests>0<"));
  xmlDocPtr doc = build_sev (caps, "auto", NULL);

  assert_xpath (doc, "string(/domain/launchSecurity/policy)", "0x0003");
  xmlFreeDoc (doc);
  doc = build_sev (caps, "sev", "0x0001");
  assert_xpath (doc, "string(/domain/launchSecurity/policy)", "0x0001");
  xmlFreeDoc (doc);
}

/* The builder refuses SEV settings on a host without SEV even if no host layer ran. */
static void
test_sev_needs_host (void)
{
  g_autoptr (VtDomcaps) caps = fixture_caps (BUNDLED_CAPS);
  g_autoptr (VtSettings) settings = base_new ();
  g_autoptr (VtDescription) desc = simple_desc ("nosev");
  g_autoptr (GError) error = NULL;
  xmlDocPtr doc;

  vt_settings_set (settings, "guest.sev", "sev", "user");
  doc = vt_domain_build (desc, settings, caps, NULL, NULL, NULL, &error);
  g_assert_null (doc);
  g_assert_error (error, VT_ERROR, VT_ERROR_UNSUPPORTED);
}

/* Likewise a device the host cannot do: the device builder's error ends the build. */
static void
test_device_needs_host (void)
{
  g_autoptr (VtDomcaps) caps = fixture_variant (BUNDLED_CAPS, STRV ("<value>qxl</value>"),
                                                STRV (""));
  g_autoptr (VtSettings) settings = base_new ();
  g_autoptr (VtDescription) desc = simple_desc ("noqxl");
  g_autoptr (GError) error = NULL;
  xmlDocPtr doc;

  vt_settings_set (settings, "guest.video", "qxl", "user");
  doc = vt_domain_build (desc, settings, caps, NULL, NULL, NULL, &error);
  g_assert_null (doc);
  g_assert_error (error, VT_ERROR, VT_ERROR_UNSUPPORTED);
  g_assert_nonnull (strstr (error->message, "guest.video: 'qxl' is not supported by this host"));
}

/* ---- the host layer -------------------------------------------------------------------- */

/* UEFI firmware offers no ACPI S4: suspend-to-disk goes when the guest boots UEFI, and
 * stays when it does not. */
static void
test_suspend_to_disk_with_efi (void)
{
  static const char *const efi_reasons[][2] = {
    { "guest.firmware", "efi" }, { "guest.secure_boot", "on" }, { "guest.firmware", "bios" },
  };
  g_autoptr (VtDomcaps) caps = fixture_caps (BUNDLED_CAPS);

  for (gsize i = 0; i < G_N_ELEMENTS (efi_reasons); i++)
    {
      gboolean efi = !g_str_equal (efi_reasons[i][1], "bios");
      g_autoptr (VtSettings) settings = base_new ();
      g_autoptr (GPtrArray) warnings = NULL;
      g_autoptr (GError) error = NULL;

      vt_settings_set (settings, "guest.suspend_to_disk", "on", "scenario:desktop");
      vt_settings_set (settings, efi_reasons[i][0], efi_reasons[i][1], "scenario:other");
      warnings = host_layer (settings, NULL, caps);
      g_assert_cmpstr (vt_settings_get (settings, "guest.suspend_to_disk"), ==,
                       efi ? "off" : "on");
      g_assert_cmpuint (warnings->len, ==, efi ? 1 : 0);
      if (efi)
        g_assert_nonnull (strstr (g_ptr_array_index (warnings, 0),
                                  "guest.suspend_to_disk: 'on' (from scenario:desktop) is not "
                                  "supported by this host (its UEFI firmware does not offer "
                                  "ACPI S4 suspend-to-disk); using 'off'"));
      /* Asked for by the user, it is an error instead. */
      vt_settings_set (settings, "guest.suspend_to_disk", "on", "user");
      g_assert_cmpint (vt_caps_layer_apply (settings, NULL, caps, warnings, &error), ==, !efi);
      if (efi)
        g_assert_error (error, VT_ERROR, VT_ERROR_UNSUPPORTED);
    }
}

typedef struct {
  const char *name;
  const char *caps;        /* fixture */
  const char *from, *to;   /* one substitution making the host lack something, or NULL */
  const char *key, *value, *layer;
  const char *lock;        /* locking policy, or NULL */
  const char *expect;      /* value afterwards; NULL: VT_ERROR_UNSUPPORTED */
  const char *expect_layer;
  const char *message;     /* in the one warning or the error; NULL: no warning */
} CapsCase;

#define POLICY "scenario:desktop"
#define NO_QXL "<value>qxl</value>", ""

static const CapsCase caps_cases[] = {
  { "video-supported", BUNDLED_CAPS, NULL, NULL, "guest.video", "qxl", POLICY, NULL, "qxl",
    POLICY, NULL },
  { "video-policy-falls-back", BUNDLED_CAPS, NO_QXL, "guest.video", "qxl", POLICY, NULL, "vga",
    "host", "guest.video: 'qxl' (from scenario:desktop) is not supported by this host "
    "(video.modelType lists vga, cirrus, vmvga, virtio, none, bochs, ramfb); using 'vga'" },
  { "video-user-refused", BUNDLED_CAPS, NO_QXL, "guest.video", "qxl", "user", NULL, NULL, NULL,
    "guest.video: 'qxl' (requested explicitly) is not supported by this host "
    "(video.modelType lists vga, cirrus, vmvga, virtio, none, bochs, ramfb)" },
  { "video-locked-refused", BUNDLED_CAPS, NO_QXL, "guest.video", "qxl", POLICY, "desktop", NULL,
    NULL, "guest.video: 'qxl' (locked by policy 'desktop') is not supported" },
  { "sev-locked-refused", BUNDLED_CAPS, NULL, NULL, "guest.sev", "sev", "scenario:securevm",
    "securevm", NULL, NULL, "guest.sev: 'sev' (locked by policy 'securevm') is not supported "
    "by this host (no AMD SEV: features/sev is not supported)" },
  { "sev-es-falls-back-to-sev", FIXTURE_SEV, "<maxESGuests>450<", "<maxESGuests>0<",
    "guest.sev", "sev-es", POLICY, NULL, "sev", "host", "SEV without SEV-ES: maxESGuests is 0" },
  /* No firmware descriptors seen (a saved document): SEV-ES, with a warning. */
  { "sev-auto-es", FIXTURE_SEV, NULL, NULL, "guest.sev", "auto", POLICY, "securevm", "sev-es",
    "host", "guest.sev: 'auto' chose sev-es from the domain capabilities (" FIXTURE_SEV
    ") without seeing the host's QEMU firmware descriptors" },
  { "sev-auto-sev", FIXTURE_SEV, "<maxESGuests>450<", "<maxESGuests>0<", "guest.sev", "auto",
    POLICY, NULL, "sev", "host", NULL },
  { "sev-auto-off", BUNDLED_CAPS, NULL, NULL, "guest.sev", "auto", POLICY, NULL, "off",
    "host", "guest.sev: 'auto' found no AMD SEV on this host" },
  { "sev-auto-locked-refused", BUNDLED_CAPS, NULL, NULL, "guest.sev", "auto",
    "scenario:securevm", "securevm", NULL, NULL, "guest.sev: 'auto' (locked by policy "
    "'securevm') is not supported by this host (no AMD SEV: features/sev is not supported)" },
  { "cluster-size-capped", BUNDLED_CAPS, NULL, NULL, "storage.cluster_size", "8MiB", POLICY, NULL,
    "2MiB", "host", "storage.cluster_size: '8MiB' (from scenario:desktop) is not supported by "
    "this host (QEMU's qcow2 clusters go up to 2MiB); using '2MiB'" },
  { "cluster-size-user", BUNDLED_CAPS, NULL, NULL, "storage.cluster_size", "4MiB", "user", NULL,
    NULL, NULL, "QEMU's qcow2 clusters go up to 2MiB" },
  { "cluster-size-default", BUNDLED_CAPS, NULL, NULL, "storage.cluster_size", "default", POLICY,
    NULL, "default", POLICY, NULL },
  { "vcpus-capped", BUNDLED_CAPS, NULL, NULL, "guest.vcpus", "300", POLICY, NULL, "288", "host",
    "vcpu max is 288" },
  { "vcpus-user", BUNDLED_CAPS, NULL, NULL, "guest.vcpus", "300", "user", NULL, NULL, NULL,
    "guest.vcpus: '300' (requested explicitly) is not supported by this host (vcpu max is 288)" },
  { "machine-q35", BUNDLED_CAPS, NULL, NULL, "guest.machine", "q35", POLICY, NULL, "pc-q35-7.2",
    "host", NULL },
  { "machine-pc", BUNDLED_CAPS, NULL, NULL, "guest.machine", "pc", "user", NULL, "pc", "user",
    "guest.machine: 'pc' cannot be expanded from domain capabilities for machine pc-q35-7.2" },
  { "machine-versioned", BUNDLED_CAPS, NULL, NULL, "guest.machine", "pc-q35-6.2", "user", NULL,
    "pc-q35-6.2", "user", NULL },
  { "machine-newer-than-host", BUNDLED_CAPS, NULL, NULL, "guest.machine", "pc-q35-99.0", POLICY,
    NULL, "pc-q35-7.2", "host", "guest.machine: 'pc-q35-99.0' (from scenario:desktop) is not "
    "supported by this host (its newest q35 machine is pc-q35-7.2); using 'pc-q35-7.2'" },
  /* Versions compare as numbers: 7.10 is newer than 7.2. */
  { "machine-newer-user", BUNDLED_CAPS, NULL, NULL, "guest.machine", "pc-q35-7.10", "user", NULL,
    NULL, NULL, "guest.machine: 'pc-q35-7.10' (requested explicitly) is not supported by this "
    "host (its newest q35 machine is pc-q35-7.2)" },
  { "machine-same-as-host", BUNDLED_CAPS, NULL, NULL, "guest.machine", "pc-q35-7.2", "user", NULL,
    "pc-q35-7.2", "user", NULL },
  { "firmware-efi-falls-back", BUNDLED_CAPS, "<value>efi</value>", "", "guest.firmware", "efi",
    POLICY, NULL, "bios", "host", "os.firmware lists nothing" },
  { "firmware-efi-user", BUNDLED_CAPS, "<value>efi</value>", "", "guest.firmware", "efi", "user",
    NULL, NULL, NULL, "guest.firmware: 'efi' (requested explicitly)" },
  { "secure-boot-falls-back", BUNDLED_CAPS, "<enum name='secure'>\n        <value>yes</value>",
    "<enum name='secure'>", "guest.secure_boot", "on", POLICY, NULL, "off", "host",
    "loader.secure lists no" },
  { "secure-boot-needs-efi", BUNDLED_CAPS, "<value>efi</value>", "", "guest.secure_boot", "on",
    "user", NULL, NULL, NULL, "no UEFI firmware: os.firmware lacks efi" },
  { "tpm-crb-to-tis", BUNDLED_CAPS, "<value>tpm-crb</value>", "", "guest.tpm", "tpm-crb", POLICY,
    NULL, "tpm-tis", "host", "tpm.model lists tpm-tis" },
  { "tpm-no-emulator", BUNDLED_CAPS, "<value>emulator</value>", "", "guest.tpm", "tpm-crb",
    POLICY, NULL, "none", "host", "no emulated TPM: tpm.backendModel lacks emulator" },
  { "cpu-mode-falls-back", BUNDLED_CAPS, "<mode name='host-passthrough' supported='yes'>",
    "<mode name='host-passthrough' supported='no'>", "guest.cpu.mode", "host-passthrough",
    POLICY, NULL, "host-model", "host", "cpu.mode lists maximum, host-model, custom" },
  { "graphics-spice-to-vnc", BUNDLED_CAPS, "<value>spice</value>", "", "guest.graphics", "spice",
    POLICY, NULL, "vnc", "host", "graphics.type lists sdl, vnc, egl-headless, dbus" },
  { "tpm-device-unsupported", BUNDLED_CAPS, "<tpm supported='yes'>", "<tpm supported='no'>",
    "guest.tpm", "tpm-crb", POLICY, NULL, "none", "host", "tpm.model lists nothing" },
  { "tpm-device-unsupported-user", BUNDLED_CAPS, "<tpm supported='yes'>", "<tpm supported='no'>",
    "guest.tpm", "tpm-crb", "user", NULL, NULL, NULL,
    "guest.tpm: 'tpm-crb' (requested explicitly) is not supported by this host (tpm.model lists "
    "nothing)" },
  { "graphics-device-unsupported", BUNDLED_CAPS, "<graphics supported='yes'>",
    "<graphics supported='no'>", "guest.graphics", "spice", POLICY, NULL, "none", "host",
    "graphics.type lists nothing" },
  { "graphics-device-unsupported-user", BUNDLED_CAPS, "<graphics supported='yes'>",
    "<graphics supported='no'>", "guest.graphics", "vnc", "user", NULL, NULL, NULL,
    "guest.graphics: 'vnc' (requested explicitly)" },
  { "graphics-none-always", BUNDLED_CAPS, "<value>spice</value>", "", "guest.graphics", "none",
    "user", NULL, "none", "user", NULL },
  { "rng-off", BUNDLED_CAPS, "<value>virtio</value>\n        <value>virtio-transitional</value>",
    "<value>virtio-transitional</value>", "guest.rng", "on", POLICY, NULL, "off", "host",
    "rng.model lists virtio-transitional" },
  { "bus-virtio-to-scsi", BUNDLED_CAPS, "<value>virtio</value>\n        <value>usb</value>",
    "<value>usb</value>", "storage.bus", "virtio", POLICY, NULL, "scsi", "host",
    "disk.bus lists fdc, scsi, usb, sata" },
  { "features-drop-hyperv", BUNDLED_CAPS, "<hyperv supported='yes'>", "<hyperv supported='no'>",
    "guest.features", "acpi apic hyperv vmcoreinfo", POLICY, NULL, "acpi apic vmcoreinfo", "host",
    "features lists vmcoreinfo, genid, backingStoreInput, backup" },
  { "locked-but-supported", BUNDLED_CAPS, NULL, NULL, "guest.cpu.migratable", "off", POLICY,
    "securevm", "off", POLICY, NULL },
};

static void
test_caps_case (gconstpointer data)
{
  const CapsCase *c = data;
  g_autoptr (VtDomcaps) caps = c->from ? fixture_variant (c->caps, STRV (c->from), STRV (c->to))
                                       : fixture_caps (c->caps);
  g_autoptr (VtSettings) settings = vt_settings_new ();
  g_autoptr (GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (VtDescription) desc = simple_desc ("caps");
  g_autoptr (GError) error = NULL;
  const VtSetting *after;
  gboolean ok;

  /* The description creates a qcow2 volume, so qcow2 settings are judged too. */
  vt_settings_set (settings, "storage.format", "qcow2", "default");
  vt_settings_set (settings, c->key, c->value, c->layer);
  if (c->lock)
    vt_settings_lock (settings, c->key, c->lock);
  ok = vt_caps_layer_apply (settings, desc, caps, warnings, &error);
  if (!c->expect)
    {
      g_assert_false (ok);
      g_assert_error (error, VT_ERROR, VT_ERROR_UNSUPPORTED);
      if (!strstr (error->message, c->message))
        g_error ("'%s' lacks '%s'", error->message, c->message);
      return;
    }
  g_assert_no_error (error);
  g_assert_true (ok);
  after = vt_settings_lookup (settings, c->key);
  g_assert_cmpstr (after->value, ==, c->expect);
  g_assert_cmpstr (after->layer, ==, c->expect_layer);
  g_assert_cmpstr (after->locked_by, ==, c->lock);
  g_assert_cmpuint (warnings->len, ==, c->message ? 1 : 0);
  if (c->message && !strstr (g_ptr_array_index (warnings, 0), c->message))
    g_error ("'%s' lacks '%s'", (char *) g_ptr_array_index (warnings, 0), c->message);
}

/* The validators are real: an invalid domain makes each of them fail the test. */
static void
test_validators_reject (void)
{
  const char *bogus = "<domain type='kvm'><name>x</name><memory>1</memory>"
                      "<os><type>hvm</type></os><bogus/></domain>";
  const char *undefinable = "<domain type='kvm'><name>-x</name><memory>1024</memory>"
                            "<os><type>hvm</type></os><devices><disk type='file' "
                            "device='disk'><target dev='vda' bus='nosuchbus'/></disk>"
                            "</devices></domain>";

  if (g_test_subprocess ())
    {
      if (g_strcmp0 (g_getenv ("VT_VALIDATOR"), "define") == 0)
        assert_test_driver_defines (undefinable);
      else
        assert_schema_valid (bogus);
      return;
    }
  g_setenv ("VT_VALIDATOR", "schema", TRUE);
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
  g_test_trap_assert_stderr ("*virt-xml-validate rejected the domain*");
  g_setenv ("VT_VALIDATOR", "define", TRUE);
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
  g_test_trap_assert_stderr ("*libvirt refused the domain*");
}

int
main (int argc, char **argv)
{
  int rc;

  g_test_init (&argc, &argv, NULL);
  for (gsize i = 0; i < G_N_ELEMENTS (seed_scenarios); i++)
    {
      g_autofree char *path = g_strdup_printf ("/domain/seed/%s", seed_scenarios[i].name);
      g_test_add_data_func (path, &seed_scenarios[i], test_seed_scenario);
    }
  g_test_add_func ("/domain/identity-and-metadata", test_identity_and_metadata);
  g_test_add_func ("/domain/aliases", test_aliases);
  g_test_add_func ("/domain/deterministic", test_deterministic);
  g_test_add_func ("/domain/disks", test_disks);
  g_test_add_func ("/domain/many-disks", test_many_disks);
  g_test_add_func ("/domain/scsi-bus", test_scsi_bus);
  g_test_add_func ("/domain/bindings", test_bindings);
  g_test_add_func ("/domain/secure-boot", test_secure_boot);
  g_test_add_func ("/domain/device-variants", test_device_variants);
  g_test_add_func ("/domain/escaping", test_escaping);
  g_test_add_func ("/domain/unrepresentable", test_unrepresentable);
  g_test_add_func ("/domain/no-memory", test_no_memory);
  g_test_add_func ("/domain/validators-reject", test_validators_reject);
  g_test_add_func ("/domain/sev/es", test_sev_es);
  g_test_add_func ("/domain/sev/without-es", test_sev_without_es);
  g_test_add_func ("/domain/sev/needs-host", test_sev_needs_host);
  g_test_add_func ("/domain/device-needs-host", test_device_needs_host);
  g_test_add_func ("/caps-layer/suspend-to-disk-with-efi", test_suspend_to_disk_with_efi);
  for (gsize i = 0; i < G_N_ELEMENTS (caps_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/caps-layer/%s", caps_cases[i].name);
      g_test_add_data_func (path, &caps_cases[i], test_caps_case);
    }
  rc = g_test_run ();
  xmlCleanupParser ();
  return rc;
}
