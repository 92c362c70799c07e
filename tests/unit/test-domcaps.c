/* Domain capabilities: parsing real libvirt documents, bounds, and the connection path. */
#include <string.h>

#include <libvirt/virterror.h>
#include <libxml/parser.h>

#include "domcaps-fixtures.h"
#include "libvirt/host-caps.h"
#include "util/error.h"

static void
assert_enum (const VtDomcaps *caps, const char *name, const char *const *expected)
{
  GPtrArray *values = g_hash_table_lookup (caps->enums, name);

  g_assert_nonnull (values);
  g_assert_cmpuint (values->len, ==, g_strv_length ((char **) expected));
  for (guint i = 0; expected[i]; i++)
    g_assert_cmpstr (g_ptr_array_index (values, i), ==, expected[i]);
}

#define STRV(...) ((const char *const[]) { __VA_ARGS__, NULL })

static void
test_bundled (void)
{
  g_autofree char *path = fixture_path (BUNDLED_CAPS);
  g_autoptr (GError) error = NULL;
  g_autoptr (VtDomcaps) caps = vt_domcaps_load_file (path, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (caps->source, ==, path);
  g_assert_cmpstr (caps->domain_type, ==, "kvm");
  g_assert_cmpstr (caps->machine, ==, "pc-q35-7.2");
  /* The machines the document offers: its own and that one's alias. */
  g_assert_cmpuint (caps->machines->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (caps->machines, 0), ==, "pc-q35-7.2");
  g_assert_cmpstr (g_ptr_array_index (caps->machines, 1), ==, "q35");
  g_assert_true (vt_domcaps_offers_machine (caps, "q35"));
  g_assert_true (vt_domcaps_offers_machine (caps, "pc-q35-7.2"));
  g_assert_false (vt_domcaps_offers_machine (caps, "pc-q35-7.2.1"));
  g_assert_false (vt_domcaps_offers_machine (caps, "pc"));
  g_assert_cmpstr (caps->arch, ==, "x86_64");
  g_assert_cmpstr (caps->emulator, ==, "/usr/bin/qemu-system-x86_64");
  g_assert_cmpuint (caps->max_vcpus, ==, 288);
  assert_enum (caps, "os.firmware", STRV ("efi"));
  assert_enum (caps, "loader.secure", STRV ("yes", "no"));
  assert_enum (caps, "loader.type", STRV ("rom", "pflash"));
  assert_enum (caps, "cpu.mode", STRV ("host-passthrough", "maximum", "host-model", "custom"));
  assert_enum (caps, "disk.bus", STRV ("fdc", "scsi", "virtio", "usb", "sata"));
  assert_enum (caps, "disk.diskDevice", STRV ("disk", "cdrom", "floppy", "lun"));
  assert_enum (caps, "graphics.type", STRV ("sdl", "vnc", "spice", "egl-headless", "dbus"));
  assert_enum (caps, "video.modelType",
               STRV ("vga", "cirrus", "vmvga", "qxl", "virtio", "none", "bochs", "ramfb"));
  assert_enum (caps, "tpm.model", STRV ("tpm-tis", "tpm-crb"));
  assert_enum (caps, "tpm.backendModel", STRV ("passthrough", "emulator", "external"));
  assert_enum (caps, "tpm.backendVersion", STRV ("1.2", "2.0"));
  assert_enum (caps, "rng.model", STRV ("virtio", "virtio-transitional",
                                        "virtio-non-transitional"));
  assert_enum (caps, "redirdev.bus", STRV ("usb"));
  assert_enum (caps, "channel.type", STRV ("pty", "unix", "spicevmc"));
  assert_enum (caps, "hostdev.capsType", (const char *const[]) { NULL });
  assert_enum (caps, "hyperv.features", STRV ("spinlocks", "vendor_id"));
  assert_enum (caps, "features", STRV ("vmcoreinfo", "genid", "backingStoreInput", "backup",
                                       "hyperv"));
  g_assert_false (caps->sev);
}

static void
test_supports (void)
{
  g_autoptr (VtDomcaps) caps = fixture_caps (BUNDLED_CAPS);

  g_assert_true (vt_domcaps_supports (caps, "video.modelType", "qxl"));
  g_assert_false (vt_domcaps_supports (caps, "video.modelType", "vbox"));
  /* Known but empty: nothing is supported. */
  g_assert_false (vt_domcaps_supports (caps, "hostdev.capsType", "storage"));
  /* An enum the document does not mention is unknown, and unknown is allowed. */
  g_assert_true (vt_domcaps_supports (caps, "firmwareFeatures.secureBoot", "yes"));
  g_assert_true (vt_domcaps_supports (caps, "no.such", "thing"));
}

static void
test_sev_fixture (void)
{
  g_autoptr (VtDomcaps) caps = fixture_caps (FIXTURE_SEV);

  g_assert_true (caps->sev);
  g_assert_cmpuint (caps->sev_cbitpos, ==, 51);
  g_assert_cmpuint (caps->sev_reduced_phys_bits, ==, 1);
  g_assert_cmpuint (caps->sev_max_guests, ==, 59);
  g_assert_cmpuint (caps->sev_max_es_guests, ==, 450);
  g_assert_cmpstr (caps->machine, ==, "pc-q35-9.2");
  g_assert_cmpuint (caps->max_vcpus, ==, 4096);
  assert_enum (caps, "os.firmware", STRV ("bios", "efi"));
  assert_enum (caps, "firmwareFeatures.secureBoot", STRV ("yes", "no"));
  g_assert_true (vt_domcaps_supports (caps, "features", "sev"));
  g_assert_true (vt_domcaps_supports (caps, "launchSecurity.sectype", "sev"));
}

static void
test_tcg_fixture (void)
{
  g_autoptr (VtDomcaps) caps = fixture_caps (FIXTURE_TCG);

  g_assert_cmpstr (caps->domain_type, ==, "qemu");
  g_assert_false (caps->sev);
}

/* Unsupported sections count as "known: nothing", not as unknown. */
static void
test_unsupported_sections (void)
{
  g_autoptr (VtDomcaps) caps = fixture_variant (
    BUNDLED_CAPS,
    STRV ("<tpm supported='yes'>", "<os supported='yes'>", "<mode name='maximum' supported='yes'>",
          "<graphics supported='yes'>"),
    STRV ("<tpm supported='no'>", "<os supported='no'>", "<mode name='maximum' supported='no'>",
          "<graphics supported='no'>"));

  g_assert_false (vt_domcaps_supports (caps, "devices", "tpm"));
  g_assert_true (vt_domcaps_supports (caps, "devices", "video"));
  /* The enums of an unsupported device list nothing, whatever its children say. */
  g_assert_false (vt_domcaps_supports (caps, "tpm.model", "tpm-crb"));
  g_assert_false (vt_domcaps_supports (caps, "tpm.backendModel", "emulator"));
  g_assert_false (vt_domcaps_supports (caps, "graphics.type", "spice"));
  g_assert_true (vt_domcaps_supports (caps, "video.modelType", "virtio"));
  /* An enum the document never mentions stays unknown, so it passes. */
  g_assert_true (vt_domcaps_supports (caps, "panic.model", "isa"));
  g_assert_false (vt_domcaps_supports (caps, "os.firmware", "efi"));
  g_assert_false (vt_domcaps_supports (caps, "loader.secure", "yes"));
  g_assert_false (vt_domcaps_supports (caps, "cpu.mode", "maximum"));
  g_assert_true (vt_domcaps_supports (caps, "cpu.mode", "host-model"));
}

static void
assert_parse_fails (const char *xml, const char *fragment)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (VtDomcaps) caps = vt_domcaps_parse (xml, strlen (xml), "test.xml", &error);

  g_assert_null (caps);
  g_assert_error (error, VT_ERROR, VT_ERROR_FAILED);
  g_assert_true (g_str_has_prefix (error->message, "test.xml: "));
  if (!strstr (error->message, fragment))
    g_error ("'%s' does not mention '%s'", error->message, fragment);
}

static void
test_malformed (void)
{
  assert_parse_fails ("<domainCapabilities><path>x</domainCapabilities>", "malformed");
  assert_parse_fails ("", "malformed");
  assert_parse_fails ("<capabilities/>", "root element");
  assert_parse_fails ("<domainCapabilities><path>/q</path><domain>kvm</domain>"
                      "<arch>x86_64</arch></domainCapabilities>",
                      "<machine> is missing");
}

static void
test_too_large (void)
{
  gsize len = 1024 * 1024 + 1;
  g_autofree char *big = g_malloc (len + 1);
  g_autoptr (GError) error = NULL;
  g_autoptr (VtDomcaps) caps = NULL;

  memset (big, ' ', len);
  big[len] = '\0';
  memcpy (big, "<domainCapabilities>", 20);
  caps = vt_domcaps_parse (big, len, "big.xml", &error);
  g_assert_null (caps);
  g_assert_error (error, VT_ERROR, VT_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "larger than"));
}

/* An external entity must not pull a host file into the capabilities. */
static void
test_no_external_entities (void)
{
  const char *xml =
    "<?xml version='1.0'?>\n"
    "<!DOCTYPE domainCapabilities [<!ENTITY leak SYSTEM 'file:///etc/passwd'>]>\n"
    "<domainCapabilities><path>/usr/bin/qemu&leak;</path><domain>kvm</domain>"
    "<machine>pc-q35-7.2</machine><arch>x86_64</arch></domainCapabilities>";
  g_autoptr (GError) error = NULL;
  g_autoptr (VtDomcaps) caps = vt_domcaps_parse (xml, strlen (xml), "xxe.xml", &error);

  g_assert_no_error (error);
  g_assert_null (strstr (caps->emulator, "root"));
  g_assert_true (g_str_has_prefix (caps->emulator, "/usr/bin/qemu"));
}

static void
test_missing_file (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (VtDomcaps) caps = vt_domcaps_load_file ("/nonexistent/domcaps.xml", &error);

  g_assert_null (caps);
  g_assert_error (error, VT_ERROR, VT_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "/nonexistent/domcaps.xml"));
}

/* libvirt's test driver cannot report domain capabilities: Unsupported, with its reason. */
static void
test_connection_unsupported (void)
{
  virConnectPtr conn = virConnectOpen ("test:///default");
  g_autoptr (GError) error = NULL;
  g_autoptr (VtDomcaps) caps = NULL;

  g_assert_nonnull (conn);
  caps = vt_domcaps_from_connection (conn, &error);
  g_assert_null (caps);
  g_assert_error (error, VT_ERROR, VT_ERROR_UNSUPPORTED);
  g_assert_nonnull (strstr (error->message, "cannot report domain capabilities"));
  virConnectClose (conn);
}

static void
silence_libvirt (void *data, virErrorPtr err)
{
}

/* ---- QEMU firmware descriptors ---- */

static gboolean
holds (GPtrArray *names, const char *name)
{
  return g_ptr_array_find_with_equal_func (names, name, g_str_equal, NULL);
}

/* QEMU's search order: /etc replaces a file of the same name in /usr/share, an empty file
 * hides it; only x86_64 descriptors listing amd-sev-es count; other files are ignored;
 * a broken one is skipped and reported. */
static void
test_firmware_descriptors (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *root = g_dir_make_tmp ("vt-firmware-XXXXXX", &error);
  g_autofree char *sev = firmware_descriptor ("x86_64", FW_FEATURES_SEV);
  g_autofree char *sev_es = firmware_descriptor ("x86_64", FW_FEATURES_SEV_ES);
  g_autofree char *arm = firmware_descriptor ("aarch64", FW_FEATURES_SEV_ES);
  g_autoptr (VtFirmwareDescriptors) none = NULL;
  g_autoptr (VtFirmwareDescriptors) firmware = NULL;

  g_assert_no_error (error);
  none = vt_firmware_descriptors_load (root, problems);
  g_assert_cmpuint (none->names->len, ==, 0);
  g_assert_cmpuint (problems->len, ==, 0);

  fixture_write (root, "usr/share/qemu/firmware", "60-edk2-x86_64.json", sev);
  fixture_write (root, "usr/share/qemu/firmware", "50-sev-es.json", sev_es);
  fixture_write (root, "usr/share/qemu/firmware", "40-masked-es.json", sev_es);
  fixture_write (root, "usr/share/qemu/firmware", "30-aarch64.json", arm);
  fixture_write (root, "usr/share/qemu/firmware", "README", sev_es);
  fixture_write (root, "etc/qemu/firmware", "40-masked-es.json", "");
  fixture_write (root, "etc/qemu/firmware", "50-sev-es.json", sev);       /* admin: no ES */
  fixture_write (root, "etc/qemu/firmware", "70-local-es.json", sev_es);
  fixture_write (root, "etc/qemu/firmware", "80-broken.json", "{\"features\": [");
  firmware = vt_firmware_descriptors_load (root, problems);

  g_assert_cmpuint (firmware->names->len, ==, 4);
  g_assert_true (holds (firmware->names, "30-aarch64.json"));
  g_assert_false (holds (firmware->names, "40-masked-es.json"));
  g_assert_cmpuint (firmware->sev_es->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (firmware->sev_es, 0), ==, "70-local-es.json");
  g_assert_cmpuint (problems->len, ==, 1);
  g_assert_nonnull (strstr (g_ptr_array_index (problems, 0),
                            "firmware descriptor skipped: "));
  g_assert_nonnull (strstr (g_ptr_array_index (problems, 0), "80-broken.json"));
  g_assert_true (g_str_has_suffix (firmware->dirs, "/etc/qemu/firmware"));
  fixture_remove_tree (root);
}

/* A URI without a host is this machine: its descriptors are read under the root given. */
static void
test_firmware_local_connection (void)
{
  virConnectPtr conn = virConnectOpen ("test:///default");
  g_autoptr (GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (VtFirmwareDescriptors) firmware = NULL;

  g_assert_nonnull (conn);
  firmware = vt_host_firmware_descriptors (conn, "/nonexistent-root", problems);
  g_assert_nonnull (firmware);
  g_assert_cmpuint (firmware->names->len, ==, 0);
  g_assert_true (g_str_has_prefix (firmware->dirs, "/nonexistent-root/usr/share/qemu/firmware"));
  virConnectClose (conn);
}

int
main (int argc, char **argv)
{
  int rc;

  g_test_init (&argc, &argv, NULL);
  virSetErrorFunc (NULL, silence_libvirt);
  g_test_add_func ("/domcaps/bundled", test_bundled);
  g_test_add_func ("/domcaps/supports", test_supports);
  g_test_add_func ("/domcaps/sev-fixture", test_sev_fixture);
  g_test_add_func ("/domcaps/tcg-fixture", test_tcg_fixture);
  g_test_add_func ("/domcaps/unsupported-sections", test_unsupported_sections);
  g_test_add_func ("/domcaps/malformed", test_malformed);
  g_test_add_func ("/domcaps/too-large", test_too_large);
  g_test_add_func ("/domcaps/no-external-entities", test_no_external_entities);
  g_test_add_func ("/domcaps/missing-file", test_missing_file);
  g_test_add_func ("/domcaps/connection-unsupported", test_connection_unsupported);
  g_test_add_func ("/domcaps/firmware-descriptors", test_firmware_descriptors);
  g_test_add_func ("/domcaps/firmware-local-connection", test_firmware_local_connection);
  rc = g_test_run ();
  xmlCleanupParser ();
  return rc;
}
