/* Unit tests: what lets a domain be found again after Define (issue #12) — the
 * description written back as YAML (and read back to the same description), the record
 * in <metadata>, the disk serials and NIC MACs derived from aliases, and the device rows
 * read from libvirt's domain XML. */
#include <glib.h>
#include <string.h>

#include "domain/domain.h"
#include "domain/identity.h"
#include "domain/inventory.h"
#include "domain/record.h"
#include "domain/update-diff.h"
#include "model/description-yaml.h"
#include "model/device-alias.h"
#include "util/error.h"

static VtDescription *
parse (const char *text)
{
  g_autoptr (GError) error = NULL;
  VtDescription *desc = vt_description_parse (text, strlen (text), &error);

  g_assert_no_error (error);
  return desc;
}

static char *
read_fixture (const char *name)
{
  const char *root = g_getenv ("VT_SOURCE_ROOT");
  g_autofree char *path = NULL;
  g_autoptr (GError) error = NULL;
  char *text = NULL;

  g_assert_nonnull (root);
  path = g_build_filename (root, "tests", "data", "descriptions", name, NULL);
  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  return text;
}

/* ---- the description as YAML ---- */

/* full.yaml has every field once: its YAML reads back to a description whose YAML is
 * the same text, and each field survived. */
static void
test_yaml_round_trip (void)
{
  g_autofree char *text = read_fixture ("full.yaml");
  g_autoptr (VtDescription) desc = parse (text);
  g_autofree char *yaml = vt_description_to_yaml (desc);
  g_autoptr (VtDescription) again = parse (yaml);
  g_autofree char *yaml_again = vt_description_to_yaml (again);
  const VtDiskDesc *new_disk = g_ptr_array_index (again->disks, 0);
  const VtNetDesc *net = g_ptr_array_index (again->networks, 0);

  g_assert_cmpstr (yaml, ==, yaml_again);
  g_assert_cmpstr (again->name, ==, "web01");
  g_assert_cmpuint (again->scenarios->len, ==, 2);
  g_assert_cmpstr (again->os, ==, "opensuse15.4");
  g_assert_cmpuint (again->vcpus, ==, 4);
  g_assert_cmpuint (again->memory, ==, desc->memory);
  g_assert_cmpuint (again->cores, ==, 2);
  g_assert_cmpuint (again->disks->len, ==, 4);
  g_assert_cmpuint (new_disk->size, ==, G_GUINT64_CONSTANT (20) << 30);
  g_assert_cmpint (((VtDiskDesc *) g_ptr_array_index (again->disks, 2))->kind, ==,
                   VT_DISK_CDROM);
  g_assert_cmpstr (((VtDiskDesc *) g_ptr_array_index (again->disks, 3))->path, ==,
                   "/srv/vm/x.qcow2");
  g_assert_cmpstr (net->mac, ==, "52:54:00:ab:cd:56");
  g_assert_cmpint (((VtNetDesc *) g_ptr_array_index (again->networks, 1))->kind, ==,
                   VT_NET_BRIDGE);
  g_assert_cmpstr (again->graphics, ==, "vnc");
  g_assert_cmpint (again->secure_boot, ==, 1);
  g_assert_cmpint (again->tpm, ==, 1);
  g_assert_cmpuint (again->settings->len, ==, desc->settings->len);
  g_assert_true (strstr (yaml, "guest.features: \"acpi apic smm\"") != NULL);
  g_assert_true (strstr (yaml, "guest.cpu.migratable: \"off\"") != NULL);
}

/* Unset fields stay unset: a minimal description writes back minimal. */
static void
test_yaml_minimal (void)
{
  g_autoptr (VtDescription) desc = parse ("name: vm1\n");
  g_autofree char *yaml = vt_description_to_yaml (desc);

  g_assert_cmpstr (yaml, ==, "name: \"vm1\"\n");
}

/* The owner's launch data (the session blob wraps its transport keys) is never
 * written: a domain's XML is for anyone with read access to libvirt. */
static void
test_yaml_leaves_out_sev (void)
{
  g_autofree guchar *zeros = g_malloc0 (2084);
  g_autofree char *dh = g_base64_encode (zeros, 2084);
  g_autofree char *session = g_base64_encode (zeros, 128);
  g_autofree char *text = g_strdup_printf ("name: s1\nsev:\n  policy: 0x0003\n  dh_cert: %s\n"
                                           "  session: %s\n", dh, session);
  g_autoptr (VtDescription) desc = parse (text);
  g_autofree char *yaml = vt_description_to_yaml (desc);

  g_assert_nonnull (desc->sev);
  g_assert_cmpstr (yaml, ==, "name: \"s1\"\n");
}

/* Strings are double-quoted and escaped: nothing in a value ends the scalar. */
static void
test_yaml_quotes (void)
{
  g_autoptr (VtDescription) desc = parse ("name: vm1\ndisks:\n  - path: '/srv/a \"b\" \\\\c'\n");
  g_autofree char *yaml = vt_description_to_yaml (desc);
  g_autoptr (VtDescription) again = parse (yaml);

  g_assert_cmpstr (((VtDiskDesc *) g_ptr_array_index (again->disks, 0))->path, ==,
                   "/srv/a \"b\" \\\\c");
}

/* ---- the record in <metadata> ---- */

static void
test_record_parse (void)
{
  /* As virDomainGetMetadata returns it: no namespace. */
  const char *xml = "<vm version=\"0.1.0\"><scenario>default</scenario><scenario>desktop"
                    "</scenario><description>name: \"vm1\"\n</description></vm>";
  g_autoptr (GError) error = NULL;
  g_autoptr (VtDomainRecord) record = vt_domain_record_parse (xml, "vm1", &error);

  g_assert_no_error (error);
  g_assert_cmpstr (record->version, ==, "0.1.0");
  g_assert_cmpuint (record->scenarios->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (record->scenarios, 1), ==, "desktop");
  g_assert_cmpstr (record->description, ==, "name: \"vm1\"\n");
}

/* The builder's own element (with its namespace) reads back the same way. */
static void
test_record_written (void)
{
  g_autoptr (VtDescription) desc = parse ("name: vm1\nvcpus: 2\n");
  xmlDocPtr doc = xmlNewDoc ((const xmlChar *) "1.0");
  xmlNodePtr vm = xmlNewDocNode (doc, NULL, (const xmlChar *) "vm", NULL);
  xmlNsPtr ns = xmlNewNs (vm, (const xmlChar *) VT_METADATA_NS, (const xmlChar *) "virtuned");
  xmlChar *text = NULL;
  int len = 0;
  g_autoptr (GError) error = NULL;
  g_autoptr (VtDomainRecord) record = NULL;

  xmlSetNs (vm, ns);
  xmlDocSetRootElement (doc, vm);
  xmlSetProp (vm, (const xmlChar *) "version", (const xmlChar *) "9");
  vt_domain_record_add_description (vm, ns, desc);
  xmlDocDumpMemory (doc, &text, &len);
  record = vt_domain_record_parse ((const char *) text, "vm1", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (record->description, ==, "name: \"vm1\"\nvcpus: 2\n");
  g_assert_cmpstr (record->version, ==, "9");
  xmlFree (text);
  xmlFreeDoc (doc);
}

/* Anything else is a domain virtuned did not define, named, escaped. */
static void
test_record_refused (void)
{
  const char *bad[] = {
    NULL, "", "not xml <", "<other/>", "<vm version=\"1\"><scenario>x</scenario></vm>",
    "<vm xmlns=\"https://example.org/other\"><description>x</description></vm>",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (VtDomainRecord) record = vt_domain_record_parse (bad[i], "a\033b", &error);

      g_assert_null (record);
      g_assert_error (error, VT_ERROR, VT_ERROR_UNKNOWN_DOMAIN);
      g_assert_true (strstr (error->message, "domain a\\x1bb was not defined by virtuned"));
    }
}

/* ---- identities ---- */

static void
test_serial (void)
{
  g_autofree char *serial = vt_device_serial_for ("ua-disk0");
  g_autofree char *longest = vt_device_serial_for ("ua-disk-123456789012");
  g_autofree char *too_long = vt_device_serial_for ("ua-disk-1234567890123");

  g_assert_cmpstr (serial, ==, "ua-disk0");
  g_assert_cmpstr (longest, ==, "ua-disk-123456789012");
  g_assert_null (too_long);
}

/* Fixed vectors computed with Python's hashlib: 52:54:00 + SHA-256("DOMAIN\nALIAS")[0:3]. */
static void
test_mac (void)
{
  g_autofree char *web01 = vt_device_mac_for ("web01", "ua-net0");
  g_autofree char *again = vt_device_mac_for ("web01", "ua-net0");
  g_autofree char *no_name = vt_device_mac_for ("", "ua-net1");
  g_autofree char *other = vt_device_mac_for ("web02", "ua-net0");

  g_assert_cmpstr (web01, ==, "52:54:00:07:b0:04");
  g_assert_cmpstr (again, ==, web01);
  g_assert_cmpstr (no_name, ==, "52:54:00:e7:ad:d0");
  g_assert_cmpstr (other, !=, web01);
}

/* ---- device rows ---- */

static const char inventory_xml[] =
  "<domain type='kvm'><name>vm1</name><devices>"
  "<emulator>/usr/bin/qemu-system-x86_64</emulator>"
  "<disk type='volume' device='disk'><source pool='default' volume='vm1-disk0.qcow2'/>"
  "<target dev='vda' bus='virtio'/><serial>ua-disk0</serial><alias name='ua-disk0'/></disk>"
  "<disk type='file' device='cdrom'><source file='/isos/x.iso'/><target dev='sda' bus='sata'/>"
  "<serial>ua-cdrom0</serial><alias name='ua-cdrom0'/></disk>"
  "<disk type='file' device='disk'><source file='/x'/><target dev='vdb' bus='virtio'/>"
  "<alias name='virtio-disk1'/></disk>"
  "<controller type='usb'><alias name='usb'/></controller>"
  "<interface type='bridge'><mac address='52:54:00:11:22:33'/><source bridge='br0'/>"
  "<model type='virtio'/><alias name='ua-net0'/></interface>"
  "<video><model type='qxl'/><alias name='ua-video0'/></video>"
  "<memballoon model='none'/>"
  "</devices></domain>";

static void
test_inventory (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) rows = vt_device_inventory (inventory_xml, &error);
  const char *expected[][4] = {
    { "ua-disk0", "disk", "virtio vda, volume default/vm1-disk0.qcow2", "ua-disk0" },
    { "ua-cdrom0", "cdrom", "sata sda, /isos/x.iso", "ua-cdrom0" },
    { "ua-net0", "nic", "bridge br0, virtio", "52:54:00:11:22:33" },
    { "ua-video0", "video", "video qxl", "" },
  };

  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < rows->len; i++)
    {
      const VtDeviceRow *row = g_ptr_array_index (rows, i);

      g_assert_cmpstr (row->alias, ==, expected[i][0]);
      g_assert_cmpstr (row->kind, ==, expected[i][1]);
      g_assert_cmpstr (row->summary, ==, expected[i][2]);
      g_assert_cmpstr (row->identity, ==, expected[i][3]);
    }
}

static void
test_inventory_refused (void)
{
  const char *bad[] = { NULL, "", "<domain", "<network/>" };

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (GPtrArray) rows = vt_device_inventory (bad[i], &error);

      g_assert_null (rows);
      g_assert_error (error, VT_ERROR, VT_ERROR_FAILED);
    }
}

/* ---- pinned aliases and the record's changes ---- */

static void
assert_description_refused (const char *text, const char *fragment)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (VtDescription) desc = vt_description_parse (text, strlen (text), &error);

  g_assert_null (desc);
  g_assert_error (error, VT_ERROR, VT_ERROR_INVALID_DESCRIPTION);
  if (strstr (error->message, fragment) == NULL)
    g_error ("'%s' lacks '%s'", error->message, fragment);
}

static void
test_alias_pins (void)
{
  g_autoptr (VtDescription) desc = parse ("name: vm1\ndisks:\n  - {pool: p, alias: ua-disk3}\n"
                                          "  - {pool: p}\n  - {cdrom: p/x.iso, alias: ua-cdrom7}\n"
                                          "networks:\n  - {network: n, alias: ua-net4}\n");
  g_autofree char *first = vt_description_disk_alias (desc, 0);
  g_autofree char *second = vt_description_disk_alias (desc, 1);
  g_autofree char *cdrom = vt_description_disk_alias (desc, 2);
  g_autofree char *net = vt_description_net_alias (desc, 0);

  g_assert_cmpstr (first, ==, "ua-disk3");
  g_assert_cmpstr (second, ==, "ua-disk1");
  g_assert_cmpstr (cdrom, ==, "ua-cdrom7");
  g_assert_cmpstr (net, ==, "ua-net4");
  assert_description_refused ("name: vm1\ndisks:\n  - {pool: p}\n  - {pool: p, alias: ua-disk0}\n",
                              "disks[1].alias (line 4, column 5): 'ua-disk0' is already");
  assert_description_refused ("name: vm1\ndisks:\n  - {pool: p, alias: ua-net0}\n",
                              "disks[0].alias (line 3, column 22): 'ua-net0' is not an alias");
  assert_description_refused ("name: vm1\ndisks:\n  - {cdrom: p/x, alias: ua-disk0}\n",
                              "is not an alias of this device (ua-cdromN");
  assert_description_refused ("name: vm1\nnetworks:\n  - {network: n, alias: ua-net01}\n",
                              "'ua-net01' is not an alias");
  assert_description_refused ("name: vm1\nnetworks:\n  - {network: n, alias: ua-net65536}\n",
                              "at most 65535");
}

static VtDomainRecord *
record_of (const char *description)
{
  VtDomainRecord *record = g_new0 (VtDomainRecord, 1);

  record->version = g_strdup ("0.1.0");
  record->scenarios = g_ptr_array_new_with_free_func (g_free);
  record->description = g_strdup (description);
  return record;
}

/* An attach pins every alias, settles created volumes, appends the device; a detach
 * removes it; no other device is renamed. */
static void
test_record_changes (void)
{
  g_autoptr (VtDomainRecord) record =
    record_of ("name: vm1\ndisks:\n  - {pool: p, size: 1GiB}\n  - {volume: p/base}\n"
               "networks:\n  - {network: n}\n");
  g_autoptr (VtDescription) disk = vt_description_parse_device ("{pool: p, size: 2GiB}", 21,
                                                                "vm1", NULL);
  g_autoptr (VtDescription) nic = vt_description_parse_device ("{network: n}", 12, "vm1", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (VtDescription) after = NULL;

  g_assert_true (vt_domain_record_add_device (record, disk, "ua-disk2", "p/vm1-disk2.qcow2",
                                              "qcow2", &error));
  g_assert_true (vt_domain_record_add_device (record, nic, "ua-net1", NULL, "qcow2", &error));
  g_assert_no_error (error);
  g_assert_cmpstr (record->description, ==,
                   "name: \"vm1\"\ndisks:\n"
                   "  -\n    volume: \"p/vm1-disk0.qcow2\"\n    alias: \"ua-disk0\"\n"
                   "  -\n    volume: \"p/base\"\n    alias: \"ua-disk1\"\n"
                   "  -\n    volume: \"p/vm1-disk2.qcow2\"\n    alias: \"ua-disk2\"\n"
                   "networks:\n"
                   "  -\n    network: \"n\"\n    alias: \"ua-net0\"\n"
                   "  -\n    network: \"n\"\n    alias: \"ua-net1\"\n");
  g_assert_true (vt_domain_record_remove_device (record, "ua-disk1", "qcow2", &error));
  g_assert_true (vt_domain_record_remove_device (record, "ua-net0", "qcow2", &error));
  g_assert_true (vt_domain_record_remove_device (record, "ua-disk9", "qcow2", &error));
  after = parse (record->description);
  g_assert_cmpuint (after->disks->len, ==, 2);
  g_assert_cmpstr (((VtDiskDesc *) g_ptr_array_index (after->disks, 1))->alias, ==, "ua-disk2");
  g_assert_cmpuint (after->networks->len, ==, 1);
  g_assert_cmpstr (((VtNetDesc *) g_ptr_array_index (after->networks, 0))->alias, ==, "ua-net1");
}

/* ---- what delete-storage may delete ---- */

static void
assert_deletable (const VtDomainRecord *record, const char *alias, const char *expected)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *pool = NULL;
  g_autofree char *volume = NULL;
  g_autofree char *both = NULL;

  g_assert_true (vt_domain_record_created_volume (record, alias, "qcow2", &pool, &volume,
                                                  &error));
  g_assert_no_error (error);
  both = g_strconcat (pool, "/", volume, NULL);
  g_assert_cmpstr (both, ==, expected);
}

static void
assert_kept (const VtDomainRecord *record, const char *alias, const char *why)
{
  g_autoptr (GError) error = NULL;
  char *pool = NULL;
  char *volume = NULL;

  g_assert_false (vt_domain_record_created_volume (record, alias, "qcow2", &pool, &volume,
                                                   &error));
  g_assert_error (error, VT_ERROR, VT_ERROR_FAILED);
  g_assert_null (pool);
  g_assert_null (volume);
  if (strstr (error->message, why) == NULL || strstr (error->message, "nothing was detached") == NULL)
    g_error ("'%s' lacks '%s'", error->message, why);
}

#define MIXED_DISKS "name: vm1\ndisks:\n  - {pool: p, size: 1GiB}\n  - {volume: p/base}\n" \
                    "  - {cdrom: p/x.iso}\n  - {path: /srv/raw.img}\nnetworks:\n  - {network: n}\n"

/* Define's pool: entry is a volume virtuned created; an existing volume, a CD-ROM, a
 * path, a NIC or an unknown alias are not, each said. */
static void
test_created_by_kind (void)
{
  g_autoptr (VtDomainRecord) record = record_of (MIXED_DISKS);

  assert_deletable (record, "ua-disk0", "p/vm1-disk0.qcow2");
  assert_kept (record, "ua-disk1", "its volume existed before");
  assert_kept (record, "ua-cdrom0", "a CD-ROM's volume is never deleted");
  assert_kept (record, "ua-disk2", "a path: disk is a host file");
  assert_kept (record, "ua-net0", "the domain's record has no disk of that alias");
  assert_kept (record, "ua-disk\033", "device ua-disk\\x1b:");
}

/* A device change pins Define's pool: entry as volume: and the attached volume too: the
 * record lists both as created (<created>, read back from the XML), never the existing
 * volume; a detach forgets its alias. */
static void
test_created_survives_changes (void)
{
  g_autoptr (VtDomainRecord) record = record_of (MIXED_DISKS);
  g_autoptr (VtDescription) disk = vt_description_parse_device ("{pool: p}", 9, "vm1", NULL);
  g_autoptr (GError) error = NULL;
  g_autofree char *xml = NULL;
  g_autoptr (VtDomainRecord) back = NULL;

  g_assert_true (vt_domain_record_add_device (record, disk, "ua-disk4", "p/vm1-disk4.qcow2",
                                              "qcow2", &error));
  g_assert_no_error (error);
  g_assert_nonnull (strstr (record->description, "volume: \"p/vm1-disk0.qcow2\""));
  xml = vt_domain_record_xml (record);
  back = vt_domain_record_parse (xml, "vm1", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (back->created->len, ==, 2);
  assert_deletable (back, "ua-disk0", "p/vm1-disk0.qcow2");
  assert_deletable (back, "ua-disk4", "p/vm1-disk4.qcow2");
  assert_kept (back, "ua-disk1", "its volume existed before");
  g_assert_true (vt_domain_record_remove_device (back, "ua-disk4", "qcow2", &error));
  g_assert_cmpuint (back->created->len, ==, 1);
  assert_kept (back, "ua-disk4", "no disk of that alias");
}

/* A record written before <created> existed: its volume: entries are existing volumes
 * (kept), its pool: entries still created; a caller's description cannot mark one. */
static void
test_created_old_records (void)
{
  const char *xml = "<vm version=\"0.1.0\"><description>name: \"vm1\"\ndisks:\n"
                    "  - {volume: \"p/vm1-disk0.qcow2\", alias: \"ua-disk0\"}\n"
                    "  - {pool: \"p\", alias: \"ua-disk1\"}\n</description></vm>";
  g_autoptr (GError) error = NULL;
  g_autoptr (VtDomainRecord) record = vt_domain_record_parse (xml, "vm1", &error);

  g_assert_no_error (error);
  assert_kept (record, "ua-disk0", "its volume existed before");
  assert_deletable (record, "ua-disk1", "p/vm1-disk1.qcow2");
  assert_description_refused ("name: vm1\ndisks:\n  - {volume: p/base, created: true}\n",
                              "created");
}

/* Device fragments: the description's own entry parsers, key paths from "device". */
static void
test_device_fragments (void)
{
  const char *bad[][2] = {
    { "{pool: p, sise: 1GiB}", "device.sise (line 1, column 11): unknown key" },
    { "[{pool: p}]", "device (line 1, column 1): a device is one disks: or networks: entry" },
    { "", "device is empty" },
    { "{network: n, bridge: br0}", "takes only one of network or bridge" },
    { "{pool: p, size: 1GiB, format: raw}", "'format' only applies" },
    { "{path: relative.img}", "device.path" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (VtDescription) desc = vt_description_parse_device (bad[i][0],
                                                                    strlen (bad[i][0]), "vm1",
                                                                    &error);

      g_assert_null (desc);
      g_assert_error (error, VT_ERROR, VT_ERROR_INVALID_DESCRIPTION);
      if (strstr (error->message, bad[i][1]) == NULL)
        g_error ("'%s': '%s' lacks '%s'", bad[i][0], error->message, bad[i][1]);
    }
}

/* ---- RenderUpdate's comparison ---- */

#define DOMAIN_XML(machine, cache, model, extra)                                          \
  "<domain type='kvm'><name>vm1</name><memory unit='KiB'>1048576</memory>"                \
  "<os><type arch='x86_64' machine='" machine "'>hvm</type></os><devices>"               \
  "<disk type='file' device='disk'><driver name='qemu' type='qcow2' cache='" cache "'/>" \
  "<source file='/x'/><target dev='vda' bus='virtio'/><alias name='ua-disk0'/></disk>"    \
  "<interface type='network'><mac address='52:54:00:11:22:33'/>"                         \
  "<source network='default'/><model type='" model "'/><alias name='ua-net0'/>"          \
  "</interface>" extra "</devices></domain>"

static void
test_update_diff (void)
{
  const char *current = DOMAIN_XML ("pc-q35-7.1", "writeback", "virtio",
                                    "<controller type='pci' index='1' model='pcie-root-port'>"
                                    "<alias name='ua-pcie-port0'/></controller>");
  const char *rendered = DOMAIN_XML ("pc-q35-7.2", "none", "e1000",
                                     "<rng model='virtio'><alias name='ua-rng0'/></rng>");
  const char *expected[][4] = {
    { "guest", "machine", "pc-q35-7.1", "pc-q35-7.2" },
    { "guest", "ua-net0.model", "virtio", "e1000" },
    { "guest", "ua-rng0", "", "rng" },
    { "backend", "ua-disk0.cache", "writeback", "none" },
  };
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) changes = vt_domain_update_diff (current, rendered, &error);
  g_autoptr (GPtrArray) none = vt_domain_update_diff (current, current, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (none->len, ==, 0);
  g_assert_cmpuint (changes->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < changes->len; i++)
    {
      const VtChange *change = g_ptr_array_index (changes, i);

      g_assert_cmpstr (change->klass == VT_CHANGE_GUEST ? "guest" : "backend", ==,
                       expected[i][0]);
      g_assert_cmpstr (change->key, ==, expected[i][1]);
      g_assert_cmpstr (change->current, ==, expected[i][2]);
      g_assert_cmpstr (change->rendered, ==, expected[i][3]);
    }
}

/* A backend upgrade takes the cache mode and nothing the guest sees. */
static void
test_update_backend (void)
{
  const char *current = DOMAIN_XML ("pc-q35-7.1", "writeback", "virtio", "");
  const char *rendered = DOMAIN_XML ("pc-q35-7.2", "none", "e1000", "");
  g_autoptr (GError) error = NULL;
  g_autofree char *patched = vt_domain_update_backend (current, rendered, &error);
  g_autoptr (GPtrArray) left = NULL;

  g_assert_no_error (error);
  left = vt_domain_update_diff (patched, rendered, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (left->len, ==, 2);
  for (guint i = 0; i < left->len; i++)
    g_assert_cmpint (((VtChange *) g_ptr_array_index (left, i))->klass, ==, VT_CHANGE_GUEST);
  g_assert_nonnull (strstr (patched, "cache=\"none\""));
  g_assert_nonnull (strstr (patched, "pc-q35-7.1"));
}

static void
test_update_refused (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) changes = vt_domain_update_diff ("<network/>", "<domain/>", &error);

  g_assert_null (changes);
  g_assert_error (error, VT_ERROR, VT_ERROR_FAILED);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/record/yaml/round-trip", test_yaml_round_trip);
  g_test_add_func ("/record/yaml/minimal", test_yaml_minimal);
  g_test_add_func ("/record/yaml/no-sev", test_yaml_leaves_out_sev);
  g_test_add_func ("/record/yaml/quotes", test_yaml_quotes);
  g_test_add_func ("/record/metadata/parse", test_record_parse);
  g_test_add_func ("/record/metadata/written", test_record_written);
  g_test_add_func ("/record/metadata/refused", test_record_refused);
  g_test_add_func ("/record/identity/serial", test_serial);
  g_test_add_func ("/record/identity/mac", test_mac);
  g_test_add_func ("/record/inventory/rows", test_inventory);
  g_test_add_func ("/record/inventory/refused", test_inventory_refused);
  g_test_add_func ("/record/aliases", test_alias_pins);
  g_test_add_func ("/record/changes", test_record_changes);
  g_test_add_func ("/record/fragments", test_device_fragments);
  g_test_add_func ("/record/created/by-kind", test_created_by_kind);
  g_test_add_func ("/record/created/changes", test_created_survives_changes);
  g_test_add_func ("/record/created/old-records", test_created_old_records);
  g_test_add_func ("/record/update/diff", test_update_diff);
  g_test_add_func ("/record/update/backend", test_update_backend);
  g_test_add_func ("/record/update/refused", test_update_refused);
  return g_test_run ();
}
