/* Define: the security-model classification, the volume and secret documents, the
 * storage primitives and the transaction against libvirt's in-process test driver
 * (test:///default), including rollback and the never-overwrite rule. Creating LUKS
 * volumes needs real secrets, which the test driver lacks (tests/system/
 * test-define-qemu.sh covers it with libvirtd); it does keep an existing volume's
 * <encryption>, so attaching one is classified here. */
#include <string.h>

#include <libvirt/virterror.h>
#include <libxml/parser.h>
#include <libxml/xpath.h>

#include "libvirt/access.h"
#include "libvirt/define.h"
#include "libvirt/secrets.h"
#include "libvirt/storage.h"
#include "util/error.h"
#include "model/config.h"
#include "util/xml.h"
#include "vt-config.h"

/* ---- helpers ---- */

static VtDescription *
parse_description (const char *text)
{
  g_autoptr (GError) error = NULL;
  VtDescription *desc = vt_description_parse (text, strlen (text), &error);

  g_assert_no_error (error);
  return desc;
}

static VtConnectionConfig *
config_allowing (const char *pool, const char *network)
{
  VtConnectionConfig *config = vt_connection_config_new ("default", "test:///default");

  g_strfreev (config->allowed_pools);
  g_strfreev (config->allowed_networks);
  config->allowed_pools = g_strsplit (pool, ";", -1);
  config->allowed_networks = g_strsplit (network, ";", -1);
  return config;
}

static char *
xpath (const char *xml, const char *expr)
{
  xmlDocPtr doc = xmlReadMemory (xml, (int) strlen (xml), NULL, NULL, XML_PARSE_NONET);
  xmlXPathContextPtr ctx;
  xmlXPathObjectPtr obj;
  char *value = NULL;

  g_assert_nonnull (doc);
  ctx = xmlXPathNewContext (doc);
  obj = xmlXPathEvalExpression ((const xmlChar *) expr, ctx);
  if (obj && obj->type == XPATH_NODESET && !xmlXPathNodeSetIsEmpty (obj->nodesetval))
    {
      xmlChar *c = xmlNodeGetContent (obj->nodesetval->nodeTab[0]);
      value = g_strdup ((const char *) c);
      xmlFree (c);
    }
  else if (obj && obj->type == XPATH_NUMBER)
    value = g_strdup_printf ("%g", obj->floatval);
  xmlXPathFreeObject (obj);
  xmlXPathFreeContext (ctx);
  xmlFreeDoc (doc);
  return value;
}

#define assert_xpath(xml, expr, expected) \
  G_STMT_START { \
    g_autofree char *value_ = xpath ((xml), (expr)); \
    g_assert_cmpstr (value_, ==, (expected)); \
  } G_STMT_END

/* ---- access (SPEC §9) ---- */

static void
test_access_restricted (void)
{
  g_autoptr (VtDescription) desc = parse_description (
      "name: web01\nscenario: desktop\n"
      "disks:\n  - pool: default\n    size: 1GiB\n  - volume: default/base.qcow2\n"
      "  - cdrom: default/install.iso\n"
      "networks:\n  - network: default\n");
  g_autoptr (VtConnectionConfig) config = config_allowing ("default", "default");
  char *reason = (char *) "unset";

  g_assert_cmpint (vt_access_define_level (desc, config, NULL, &reason), ==, VT_ACCESS_RESTRICTED);
  g_assert_null (reason);
}

static void
test_access_unrestricted (void)
{
  g_autoptr (VtDescription) desc = parse_description (
      "name: web01\n"
      "disks:\n  - path: /etc/shadow\n  - pool: secret-pool\n    size: 1GiB\n"
      "networks:\n  - bridge: br0\n  - network: lab\n");
  g_autoptr (VtConnectionConfig) config = config_allowing ("default", "default");
  g_autofree char *reason = NULL;

  g_assert_cmpint (vt_access_define_level (desc, config, NULL, &reason), ==,
                   VT_ACCESS_UNRESTRICTED);
  g_assert_cmpstr (reason, ==,
                   "disks[0] uses the host path /etc/shadow; "
                   "disks[1] uses storage pool 'secret-pool', which virtuned.conf does not "
                   "list in allowed_pools; "
                   "networks[0] uses the host bridge br0; "
                   "networks[1] uses network 'lab', which virtuned.conf does not list in "
                   "allowed_networks.");
}

/* Settings shape guest hardware, never a host backend: locking memory is what the
 * sev, securevm and realtime scenarios do anyway, so asking for it needs no more than
 * org.virtscenario.define (access.c says why no catalog key is classified). */
static void
test_access_settings_unclassified (void)
{
  g_autoptr (VtDescription) desc = parse_description (
      "name: web01\nscenario: realtime\ndisks:\n  - pool: default\n    size: 1GiB\n"
      "settings:\n  guest.memory.locked: on\n  storage.encryption: on\n");
  g_autoptr (VtConnectionConfig) config = config_allowing ("default", "default");
  char *reason = (char *) "unset";

  g_assert_cmpint (vt_access_define_level (desc, config, NULL, &reason), ==, VT_ACCESS_RESTRICTED);
  g_assert_null (reason);
}

/* Without a configuration file nothing is open to ordinary callers. */
static void
test_access_empty_config (void)
{
  g_autoptr (VtDescription) desc = parse_description (
      "name: web01\ndisks:\n  - pool: default\n    size: 1GiB\n");
  g_autoptr (VtConfig) file = vt_config_new ();
  g_autoptr (GPtrArray) connections = vt_config_resolve_connections (file, NULL);
  const VtConnectionConfig *config = g_ptr_array_index (connections, 0);

  g_assert_cmpint (vt_access_define_level (desc, config, NULL, NULL), ==,
                   VT_ACCESS_UNRESTRICTED);
}

/* The shipped virtuned.conf parses and opens exactly "default". */
static void
test_shipped_config (void)
{
  g_autofree char *path = g_build_filename (g_getenv ("VT_SOURCE_ROOT"), "data",
                                            "virtuned.conf", NULL);
  g_autoptr (VtConfig) config = vt_config_new ();
  g_autoptr (GError) error = NULL;

  g_assert_true (vt_config_load (config, path, FALSE, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (config->uri, ==, "qemu:///system");
  g_assert_cmpuint (g_strv_length (config->allowed_pools), ==, 1);
  g_assert_cmpstr (config->allowed_pools[0], ==, "default");
  g_assert_cmpstr (config->allowed_networks[0], ==, "default");
  g_assert_cmpuint (config->idle_exit, ==, 0);
  {
    g_autoptr (GPtrArray) connections = vt_config_resolve_connections (config, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (connections->len, ==, 1);
  }
}

/* ---- the volume document ---- */

static VtSettings *
storage_settings (const char *format, const char *prealloc, const char *cluster,
                  const char *lazy)
{
  VtSettings *settings = vt_settings_new ();

  vt_settings_set (settings, "storage.format", format, "test");
  vt_settings_set (settings, "storage.preallocation", prealloc, "test");
  vt_settings_set (settings, "storage.cluster_size", cluster, "test");
  vt_settings_set (settings, "storage.lazy_refcounts", lazy, "test");
  return settings;
}

static void
test_volume_qcow2 (void)
{
  g_autoptr (VtSettings) settings = storage_settings ("qcow2", "metadata", "64KiB", "on");
  g_autoptr (GPtrArray) notes = g_ptr_array_new_with_free_func (g_free);
  unsigned int flags = 0;
  g_autofree char *xml = vt_storage_volume_xml ("web01-disk0.qcow2", 1 << 30, settings, NULL,
                                                &flags, notes);

  g_assert_cmpuint (flags, ==, VIR_STORAGE_VOL_CREATE_PREALLOC_METADATA);
  assert_xpath (xml, "/volume/name", "web01-disk0.qcow2");
  assert_xpath (xml, "/volume/capacity", "1073741824");
  assert_xpath (xml, "/volume/allocation", "0");
  assert_xpath (xml, "/volume/target/format/@type", "qcow2");
  assert_xpath (xml, "/volume/target/compat", "1.1");
  assert_xpath (xml, "/volume/target/clusterSize", "65536");
  assert_xpath (xml, "/volume/target/clusterSize/@unit", "B");
  assert_xpath (xml, "count(/volume/target/features/lazy_refcounts)", "1");
  assert_xpath (xml, "count(/volume/target/encryption)", "0");
  g_assert_cmpuint (notes->len, ==, 0);
}

static void
test_volume_qcow2_capped (void)
{
  g_autoptr (VtSettings) settings = storage_settings ("qcow2", "full", "64MiB", "off");
  g_autoptr (GPtrArray) notes = g_ptr_array_new_with_free_func (g_free);
  unsigned int flags = 0;
  g_autofree char *xml = vt_storage_volume_xml ("v", 1 << 30, settings,
                                                "0a81f5b2-8403-7b23-c8d6-21ccc2f80d6f",
                                                &flags, notes);

  g_assert_cmpuint (flags, ==, VIR_STORAGE_VOL_CREATE_PREALLOC_METADATA);
  assert_xpath (xml, "/volume/allocation", "1073741824");      /* falloc via libvirt */
  assert_xpath (xml, "/volume/target/clusterSize", "2097152");
  assert_xpath (xml, "count(/volume/target/features)", "0");
  assert_xpath (xml, "/volume/target/encryption/@format", "luks");
  assert_xpath (xml, "/volume/target/encryption/secret/@type", "passphrase");
  assert_xpath (xml, "/volume/target/encryption/secret/@uuid",
                "0a81f5b2-8403-7b23-c8d6-21ccc2f80d6f");
  g_assert_cmpuint (notes->len, ==, 2);
  g_assert_true (strstr (g_ptr_array_index (notes, 0), "falloc") != NULL);
  g_assert_true (strstr (g_ptr_array_index (notes, 1), "2MiB") != NULL);
}

static void
test_volume_raw (void)
{
  g_autoptr (VtSettings) settings = storage_settings ("raw", "falloc", "default", "on");
  unsigned int flags = 42;
  g_autofree char *xml = vt_storage_volume_xml ("v.raw", 1 << 20, settings, NULL, &flags,
                                                NULL);

  g_assert_cmpuint (flags, ==, 0);
  assert_xpath (xml, "/volume/allocation", "1048576");
  assert_xpath (xml, "/volume/target/format/@type", "raw");
  /* qcow2-only parts stay out of raw volumes. */
  assert_xpath (xml, "count(/volume/target/compat)", "0");
  assert_xpath (xml, "count(/volume/target/clusterSize)", "0");
  assert_xpath (xml, "count(/volume/target/features)", "0");
}

/* Caller strings go into the document escaped, never as markup. */
static void
test_volume_escaped (void)
{
  g_autoptr (VtSettings) settings = storage_settings ("raw", "off", "default", "off");
  unsigned int flags;
  g_autofree char *xml = vt_storage_volume_xml ("a<b>&c", 1 << 20, settings, NULL, &flags,
                                                NULL);

  assert_xpath (xml, "/volume/name", "a<b>&c");
  assert_xpath (xml, "/volume/allocation", "0");
}

/* A new disk without a size: neither size: nor storage.capacity gives one. */
static void
test_volume_needs_capacity (void)
{
  g_autoptr (VtDescription) desc = parse_description (
      "name: web01\ndisks:\n  - pool: default\n    size: 1GiB\n  - pool: default\n");
  g_autoptr (VtSettings) settings = vt_settings_new ();
  g_autoptr (GError) error = NULL;

  g_assert_cmpuint (vt_storage_new_capacity (settings, 0, g_ptr_array_index (desc->disks, 0),
                                             &error), ==, 1 << 30);
  g_assert_no_error (error);
  g_assert_cmpuint (vt_storage_new_capacity (settings, 1, g_ptr_array_index (desc->disks, 1),
                                             &error), ==, 0);
  g_assert_error (error, VT_ERROR, VT_ERROR_INVALID_DESCRIPTION);
  g_assert_true (g_str_has_prefix (error->message, "disks[1] (line 5, column 5)"));
  g_clear_error (&error);
  vt_settings_set (settings, "storage.capacity", "20GiB", "test");
  g_assert_cmpuint (vt_storage_new_capacity (settings, 1, g_ptr_array_index (desc->disks, 1),
                                             &error), ==, G_GUINT64_CONSTANT (20) << 30);
  g_assert_no_error (error);
}

/* ---- the LUKS secret ---- */

/* Persistent, private, and tied to the new volume's path (escaped, never markup). */
static void
test_secret_xml (void)
{
  g_autofree char *xml = vt_secrets_xml ("/var/lib/vm/a<b>&c.qcow2");

  assert_xpath (xml, "/secret/@ephemeral", "no");
  assert_xpath (xml, "/secret/@private", "yes");
  assert_xpath (xml, "/secret/usage/@type", "volume");
  assert_xpath (xml, "/secret/usage/volume", "/var/lib/vm/a<b>&c.qcow2");
  assert_xpath (xml, "/secret/description",
                "virtuned LUKS passphrase of /var/lib/vm/a<b>&c.qcow2");
  assert_xpath (xml, "count(/secret/uuid)", "0");
}

/* 256 random bits as base64: 44 characters of text qemu-img reads as UTF-8. */
static void
test_secret_passphrase (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (VtPassphrase) one = vt_secrets_new_passphrase (&error);
  g_autoptr (VtPassphrase) two = vt_secrets_new_passphrase (&error);
  g_autofree guint8 *key = NULL;
  gsize len = 0;

  g_assert_no_error (error);
  g_assert_cmpuint (strlen (one), ==, 44);
  g_assert_true (g_str_is_ascii (one));
  key = g_base64_decode (one, &len);
  g_assert_cmpuint (len, ==, 32);
  g_assert_cmpstr (one, !=, two);
}

/* ---- the shared XML read helpers (util/xml.h) ---- */

static void
test_xml_helpers (void)
{
  xmlDocPtr doc = vt_xml_parse ("<pool><target><path>/srv/vm</path><empty/></target></pool>");
  g_autofree char *path = NULL;
  g_autofree char *empty = NULL;
  g_autofree char *missing = NULL;
  g_autofree char *text = NULL;

  g_assert_nonnull (doc);
  path = vt_xml_xpath_string (doc, "/pool/target/path");
  empty = vt_xml_xpath_string (doc, "/pool/target/empty");
  missing = vt_xml_xpath_string (doc, "/pool/source");
  g_assert_cmpstr (path, ==, "/srv/vm");
  g_assert_cmpstr (empty, ==, "");
  g_assert_null (missing);
  text = vt_xml_to_string (doc);
  g_assert_true (g_str_has_prefix (text, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<pool>\n"
                                         "  <target>\n    <path>/srv/vm</path>\n"));
  xmlFreeDoc (doc);
}

/* ---- the transaction, against test:///default ---- */

typedef struct {
  VtPolicySet *policies;
  VtDomcaps *caps;
  virConnectPtr conn;
  VtConnection *connection;   /* for requests, which borrow it */
} Fixture;

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autofree char *policies = g_build_filename (g_getenv ("VT_SOURCE_ROOT"), "data",
                                                "policies", NULL);
  g_autofree char *caps = g_build_filename (g_getenv ("VT_SOURCE_ROOT"), "data", "domcaps",
                                            "x86_64-kvm-q35.xml", NULL);
  const char *dirs[] = { policies, NULL };
  g_autoptr (GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GError) error = NULL;

  f->policies = vt_policy_set_load (dirs, problems);
  g_assert_cmpuint (problems->len, ==, 0);
  f->caps = vt_domcaps_load_file (caps, &error);
  g_assert_no_error (error);
  /* A fresh in-memory driver state per test: test:///default resets when its last
   * connection closes. */
  f->conn = virConnectOpen ("test:///default");
  f->connection = vt_connection_new ("test:///default");
  g_assert_nonnull (f->conn);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  vt_connection_free (f->connection);
  virConnectClose (f->conn);
  vt_domcaps_free (f->caps);
  vt_policy_set_free (f->policies);
}

static VtResolved *
plan_for (Fixture *f, const char *text)
{
  g_autoptr (GError) error = NULL;
  VtResolved *plan = vt_resolve (f->policies, NULL, f->caps, text, strlen (text), &error);

  g_assert_no_error (error);
  return plan;
}

/* What the daemon's worker does: resolve the existing disks, then define with them. */
static VtDefineResult *
define_plan (Fixture *f, const VtResolved *plan, GError **error)
{
  g_autoptr (VtDiskResolution) disks = vt_storage_resolve_disks (plan, f->conn, error);

  if (disks == NULL)
    return NULL;
  return vt_define (plan, disks, f->caps, f->conn, error);
}

static int
count_volumes (Fixture *f)
{
  virStoragePoolPtr pool = virStoragePoolLookupByName (f->conn, "default-pool");
  int n;

  g_assert_nonnull (pool);
  g_assert_cmpint (virStoragePoolRefresh (pool, 0), ==, 0);
  n = virStoragePoolNumOfVolumes (pool);
  virStoragePoolFree (pool);
  return n;
}

static gboolean
volume_exists (Fixture *f, const char *name)
{
  virStoragePoolPtr pool = virStoragePoolLookupByName (f->conn, "default-pool");
  virStorageVolPtr vol = virStorageVolLookupByName (pool, name);
  gboolean found = vol != NULL;

  if (vol)
    virStorageVolFree (vol);
  virResetLastError ();
  virStoragePoolFree (pool);
  return found;
}

static int
count_domains (Fixture *f)
{
  return virConnectNumOfDomains (f->conn) + virConnectNumOfDefinedDomains (f->conn);
}

/* Creates a volume in default-pool from @xml; it lives as long as the fixture's
 * connection (the test driver's state). */
static void
add_volume (Fixture *f, const char *xml)
{
  virStoragePoolPtr pool = virStoragePoolLookupByName (f->conn, "default-pool");
  virStorageVolPtr vol = virStorageVolCreateXML (pool, xml, 0);

  g_assert_nonnull (vol);
  virStorageVolFree (vol);
  virStoragePoolFree (pool);
}

#define VOLUME_XML(name, format, encryption) \
  "<volume><name>" name "</name><capacity>1048576</capacity><target><format type='" \
  format "'/>" encryption "</target></volume>"
#define LUKS(uuid) \
  "<encryption format='luks'><secret type='passphrase' uuid='" uuid "'/></encryption>"
#define BASE_UUID "0a81f5b2-8403-7b23-c8d6-21ccc2f80d6f"
#define ISO_UUID "5f0b6a1e-9c3d-4e2a-8b7f-1d2c3b4a5e6f"

/* libvirt's test driver refuses the PREALLOC_METADATA flag, so every description here
 * asks for no preallocation (the system test covers preallocation for real). */
#define SMALL "vcpus: 1\nmemory: 512MiB\nsettings:\n  storage.preallocation: off\n"

#define ONE_DISK \
  "scenario: desktop\nvcpus: 2\nmemory: 1GiB\nfirmware: bios\n" \
  "settings:\n  storage.preallocation: off\n" \
  "disks:\n  - pool: default-pool\n    size: 1GiB\nnetworks:\n  - network: default\n"

static void
test_define_success (Fixture *f, gconstpointer data)
{
  g_autoptr (VtResolved) plan = plan_for (f, "name: unit01\n" ONE_DISK);
  g_autoptr (GError) error = NULL;
  g_autoptr (VtDefineResult) result = NULL;
  int domains = count_domains (f);

  result = define_plan (f, plan, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (result->name, ==, "unit01");
  g_assert_true (g_uuid_string_is_valid (result->uuid));
  assert_xpath (result->xml, "/domain/name", "unit01");
  assert_xpath (result->xml, "/domain/uuid", result->uuid);
  assert_xpath (result->xml, "/domain/devices/disk[@device='disk']/source/@file",
                "/default-pool/unit01-disk0.qcow2");
  assert_xpath (result->xml, "/domain/devices/disk[@device='disk']/driver/@type", "qcow2");
  assert_xpath (result->xml, "/domain/devices/interface/source/@network", "default");
  g_assert_true (volume_exists (f, "unit01-disk0.qcow2"));
  g_assert_cmpint (count_domains (f), ==, domains + 1);
}

/* A second Define of the same name fails before any storage work and leaves the
 * first domain exactly as it was. */
static void
test_define_existing_name (Fixture *f, gconstpointer data)
{
  g_autoptr (VtResolved) plan = plan_for (f, "name: unit02\n" ONE_DISK);
  g_autoptr (VtResolved) again = plan_for (f, "name: unit02\n" SMALL
                                          "disks:\n  - pool: default-pool\n    size: 2GiB\n");
  g_autoptr (GError) error = NULL;
  g_autoptr (VtDefineResult) first = define_plan (f, plan, &error);
  g_autoptr (VtDefineResult) second = NULL;
  virDomainPtr dom;
  g_autofree char *after = NULL;
  int volumes;

  g_assert_no_error (error);
  volumes = count_volumes (f);
  second = define_plan (f, again, &error);
  g_assert_null (second);
  g_assert_error (error, VT_ERROR, VT_ERROR_CONFLICT);
  g_assert_true (strstr (error->message, "'unit02' already exists") != NULL);
  g_assert_cmpint (count_volumes (f), ==, volumes);
  dom = virDomainLookupByName (f->conn, "unit02");
  after = virDomainGetXMLDesc (dom, VIR_DOMAIN_XML_INACTIVE);
  virDomainFree (dom);
  g_assert_cmpstr (after, ==, first->xml);
}

/* A running domain's name is taken too. */
static void
test_define_running_name (Fixture *f, gconstpointer data)
{
  g_autoptr (VtResolved) plan = plan_for (f, "name: test\n" SMALL);
  g_autoptr (GError) error = NULL;
  g_autoptr (VtDefineResult) result = define_plan (f, plan, &error);

  /* "test" is the test driver's running domain. */
  g_assert_null (result);
  g_assert_error (error, VT_ERROR, VT_ERROR_CONFLICT);
}

/* Defines @plan, expecting a VT_ERROR_LIBVIRT whose message starts with @prefix, and
 * checks that no volume or domain is left behind. */
static void
assert_define_leaves_nothing (Fixture *f, const VtResolved *plan, const char *prefix)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (VtDefineResult) result = NULL;
  int volumes = count_volumes (f), domains = count_domains (f);

  result = define_plan (f, plan, &error);
  g_assert_null (result);
  g_assert_error (error, VT_ERROR, VT_ERROR_LIBVIRT);
  if (!g_str_has_prefix (error->message, prefix))
    g_error ("expected an error starting with '%s', got '%s'", prefix, error->message);
  g_assert_cmpint (count_volumes (f), ==, volumes);
  g_assert_cmpint (count_domains (f), ==, domains);
}

static void
test_define_missing_network (Fixture *f, gconstpointer data)
{
  g_autoptr (VtResolved) plan = plan_for (f, "name: unit03\n" SMALL
                                         "disks:\n  - pool: default-pool\n    size: 1GiB\n"
                                         "networks:\n  - network: nowhere\n");

  assert_define_leaves_nothing (f, plan, "networks[0]: network 'nowhere'");
}

static void
test_define_inactive_network (Fixture *f, gconstpointer data)
{
  g_autoptr (VtResolved) plan = plan_for (f, "name: unit04\n" SMALL
                                         "networks:\n  - network: default\n");
  virNetworkPtr net = virNetworkLookupByName (f->conn, "default");
  g_autoptr (GError) error = NULL;
  g_autoptr (VtDefineResult) result = NULL;

  g_assert_cmpint (virNetworkDestroy (net), ==, 0);
  virNetworkFree (net);
  result = define_plan (f, plan, &error);
  g_assert_null (result);
  g_assert_error (error, VT_ERROR, VT_ERROR_FAILED);
  g_assert_true (strstr (error->message, "neither active nor set to autostart") != NULL);
}

/* disk1's volume name is taken by a volume the caller owns: creating it fails after
 * disk0's volume exists; disk0's is removed again and the caller's is untouched. */
static void
test_define_rollback (Fixture *f, gconstpointer data)
{
  g_autoptr (VtResolved) plan = plan_for (f, "name: unit05\n" SMALL
                                         "disks:\n  - pool: default-pool\n    size: 1GiB\n"
                                         "  - pool: default-pool\n    size: 1GiB\n");
  virStoragePoolPtr pool = virStoragePoolLookupByName (f->conn, "default-pool");
  virStorageVolPtr owned = virStorageVolCreateXML (
      pool, "<volume><name>unit05-disk1.qcow2</name><capacity>4096</capacity>"
            "<target><format type='raw'/></target></volume>", 0);

  g_assert_nonnull (owned);
  assert_define_leaves_nothing (f, plan,
                                "disks[1]: creating volume default-pool/unit05-disk1.qcow2");
  g_assert_false (volume_exists (f, "unit05-disk0.qcow2"));
  g_assert_true (volume_exists (f, "unit05-disk1.qcow2"));
  virStorageVolFree (owned);
  virStoragePoolFree (pool);
}

/* Existing volumes resolve to their real path and format. */
static void
test_define_existing_volume (Fixture *f, gconstpointer data)
{
  g_autoptr (VtResolved) plan = plan_for (f, "name: unit06\n" SMALL
                                         "disks:\n  - volume: default-pool/base.img\n"
                                         "  - cdrom: default-pool/install.iso\n");
  virStoragePoolPtr pool = virStoragePoolLookupByName (f->conn, "default-pool");
  virStorageVolPtr base = virStorageVolCreateXML (
      pool, "<volume><name>base.img</name><capacity>1048576</capacity>"
            "<target><format type='raw'/></target></volume>", 0);
  virStorageVolPtr iso = virStorageVolCreateXML (
      pool, "<volume><name>install.iso</name><capacity>1048576</capacity>"
            "<target><format type='iso'/></target></volume>", 0);
  g_autoptr (GError) error = NULL;
  g_autoptr (VtDefineResult) result = NULL;

  result = define_plan (f, plan, &error);
  g_assert_no_error (error);
  assert_xpath (result->xml, "/domain/devices/disk[@device='disk']/source/@file",
                "/default-pool/base.img");
  assert_xpath (result->xml, "/domain/devices/disk[@device='disk']/driver/@type", "raw");
  assert_xpath (result->xml, "/domain/devices/disk[@device='cdrom']/source/@file",
                "/default-pool/install.iso");
  /* libvirt's "iso" volume format is raw to QEMU. */
  assert_xpath (result->xml, "/domain/devices/disk[@device='cdrom']/driver/@type", "raw");
  g_assert_true (volume_exists (f, "base.img"));
  g_assert_true (volume_exists (f, "install.iso"));
  virStorageVolFree (iso);
  virStorageVolFree (base);
  virStoragePoolFree (pool);
}

/* The test driver keeps a volume's <encryption> (it has no secret store, but the
 * volume document is libvirt's own): an existing encrypted volume or CD-ROM in an
 * allowed pool needs define-unrestricted, because the new domain would be handed its
 * secret. Resolving creates nothing, and vt_define uses that same resolution. */
static void
test_define_encrypted_volume (Fixture *f, gconstpointer data)
{
  g_autoptr (VtResolved) plan = plan_for (f, "name: unit10\n" SMALL
                                         "disks:\n  - volume: default-pool/plain.img\n"
                                         "  - volume: default-pool/base.qcow2\n"
                                         "  - cdrom: default-pool/secret.iso\n"
                                         "  - pool: default-pool\n    size: 1GiB\n");
  g_autoptr (VtConnectionConfig) allowed = config_allowing ("default-pool", "default");
  g_autoptr (VtConnectionConfig) other = config_allowing ("other-pool", "default");
  g_autoptr (GError) error = NULL;
  g_autoptr (VtDiskResolution) disks = NULL;
  g_autoptr (VtDefineResult) result = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *other_reason = NULL;
  int volumes, domains;

  add_volume (f, VOLUME_XML ("plain.img", "raw", ""));
  add_volume (f, VOLUME_XML ("base.qcow2", "qcow2", LUKS (BASE_UUID)));
  add_volume (f, VOLUME_XML ("secret.iso", "raw", LUKS (ISO_UUID)));
  volumes = count_volumes (f);
  domains = count_domains (f);

  disks = vt_storage_resolve_disks (plan, f->conn, &error);
  g_assert_no_error (error);
  g_assert_cmpint (count_volumes (f), ==, volumes);
  g_assert_cmpint (count_domains (f), ==, domains);
  g_assert_cmpuint (disks->n_disks, ==, 4);
  g_assert_false (disks->encrypted[0]);
  g_assert_true (disks->encrypted[1]);
  g_assert_true (disks->encrypted[2]);
  g_assert_false (disks->encrypted[3]);       /* new: nothing to resolve yet */
  g_assert_cmpstr (disks->bindings[1].secret_uuid, ==, BASE_UUID);
  g_assert_null (disks->bindings[3].file);

  g_assert_cmpint (vt_access_define_level (plan->desc, allowed, disks, &reason), ==,
                   VT_ACCESS_UNRESTRICTED);
  g_assert_cmpstr (reason, ==,
                   "disks[1] is the encrypted volume default-pool/base.qcow2; attaching it "
                   "shares its passphrase; "
                   "disks[2] is the encrypted volume default-pool/secret.iso; attaching it "
                   "shares its passphrase.");
  /* In a pool the caller may not use anyway, the refusal says nothing about what the
   * pool holds. */
  vt_access_define_level (plan->desc, other, disks, &other_reason);
  g_assert_null (strstr (other_reason, "encrypted"));
  /* The description alone (no resolution) would have passed. */
  g_assert_cmpint (vt_access_define_level (plan->desc, allowed, NULL, NULL), ==,
                   VT_ACCESS_RESTRICTED);

  result = vt_define (plan, disks, f->caps, f->conn, &error);
  g_assert_no_error (error);
  assert_xpath (result->xml, "/domain/devices/disk[source/@file='/default-pool/base.qcow2']"
                "/source/encryption/secret/@uuid", BASE_UUID);
  assert_xpath (result->xml, "/domain/devices/disk[@device='cdrom']/source/encryption/secret/@uuid",
                ISO_UUID);
  assert_xpath (result->xml, "count(/domain/devices/disk[source/@file='/default-pool/plain.img']"
                "/source/encryption)", "0");
  /* The new disk was bound by vt_define in the same resolution. */
  g_assert_cmpstr (disks->bindings[3].file, ==, "/default-pool/unit10-disk3.qcow2");
}

/* An existing image by path is raw unless its format: says otherwise; desktop's
 * storage.format qcow2 describes new volumes only. */
static void
test_define_path_format (Fixture *f, gconstpointer data)
{
  g_autoptr (VtResolved) plan = plan_for (f, "name: unit11\nscenario: desktop\nfirmware: bios\n"
                                         SMALL
                                         "disks:\n  - path: /srv/vm/x1.img\n"
                                         "  - path: /srv/vm/x2.qcow2\n    format: qcow2\n"
                                         "  - path: /dev/vt-unit-disk\n"
                                         "  - pool: default-pool\n    size: 1GiB\n");
  g_autoptr (GError) error = NULL;
  g_autoptr (VtDefineResult) result = define_plan (f, plan, &error);

  g_assert_no_error (error);
  assert_xpath (result->xml, "/domain/devices/disk[source/@file='/srv/vm/x1.img']/driver/@type",
                "raw");
  assert_xpath (result->xml, "/domain/devices/disk[source/@file='/srv/vm/x2.qcow2']/driver/@type",
                "qcow2");
  assert_xpath (result->xml, "/domain/devices/disk[source/@dev='/dev/vt-unit-disk']/@type",
                "block");
  assert_xpath (result->xml, "/domain/devices/disk[source/@dev='/dev/vt-unit-disk']/driver/@type",
                "raw");
  assert_xpath (result->xml,
                "/domain/devices/disk[source/@file='/default-pool/unit11-disk3.qcow2']/driver/@type",
                "qcow2");
}

static void
test_define_missing_volume (Fixture *f, gconstpointer data)
{
  g_autoptr (VtResolved) plan = plan_for (f, "name: unit07\n" SMALL
                                         "disks:\n  - pool: default-pool\n    size: 1GiB\n"
                                         "  - cdrom: default-pool/missing.iso\n");

  assert_define_leaves_nothing (f, plan, "disks[1]: volume default-pool/missing.iso");
}

/* The test driver has no secret store: an encrypted disk fails at the secret and
 * leaves nothing behind. */
static void
test_define_encryption_unavailable (Fixture *f, gconstpointer data)
{
  g_autoptr (VtResolved) plan = plan_for (f, "name: unit08\nvcpus: 1\nmemory: 512MiB\n"
                                         "disks:\n  - pool: default-pool\n    size: 1GiB\n"
                                         "settings:\n  storage.encryption: on\n  storage.preallocation: off\n");

  assert_define_leaves_nothing (f, plan, "defining the LUKS secret");
}

static void
test_define_missing_pool (Fixture *f, gconstpointer data)
{
  g_autoptr (VtResolved) plan = plan_for (f, "name: unit09\n" SMALL
                                         "disks:\n  - pool: nopool\n    size: 1GiB\n");

  assert_define_leaves_nothing (f, plan, "disks[0]: storage pool 'nopool'");
}

/* ---- the Define use case: access first, libvirt errors after authorization ---- */

static VtDefineRequest *
request_for (Fixture *f, const char *text, const VtConnectionConfig *config)
{
  return vt_define_request_new (plan_for (f, text), f->connection, config);
}

static void
test_request_encrypted (Fixture *f, gconstpointer data)
{
  g_autoptr (VtConnectionConfig) allowed = config_allowing ("default-pool", "default");
  g_autoptr (VtDefineRequest) request = NULL;
  g_autoptr (VtDefineResult) result = NULL;
  g_autoptr (GError) error = NULL;
  const char *reason = NULL;

  add_volume (f, VOLUME_XML ("base.qcow2", "qcow2", LUKS (BASE_UUID)));
  request = request_for (f, "name: unit12\n" SMALL
                            "disks:\n  - volume: default-pool/base.qcow2\n", allowed);
  g_assert_cmpint (vt_define_request_access (request, &reason), ==, VT_ACCESS_UNRESTRICTED);
  g_assert_nonnull (strstr (reason, "encrypted volume default-pool/base.qcow2"));
  result = vt_define_request_run (request, f->caps, &error);
  g_assert_no_error (error);
  assert_xpath (result->xml, "/domain/devices/disk/source/encryption/secret/@uuid", BASE_UUID);
}

/* A volume that does not exist: the description alone decides the access (restricted
 * here), and the lookup error comes only from run, which a refused caller never reaches. */
static void
test_request_lookup_error_after_access (Fixture *f, gconstpointer data)
{
  g_autoptr (VtConnectionConfig) allowed = config_allowing ("default-pool", "default");
  g_autoptr (VtDefineRequest) request = NULL;
  g_autoptr (VtDefineResult) result = NULL;
  g_autoptr (GError) error = NULL;
  const char *reason = "unset";
  int domains = count_domains (f);

  request = request_for (f, "name: unit13\n" SMALL
                            "disks:\n  - volume: default-pool/missing.img\n", allowed);
  g_assert_cmpint (vt_define_request_access (request, &reason), ==, VT_ACCESS_RESTRICTED);
  g_assert_null (reason);
  result = vt_define_request_run (request, f->caps, &error);
  g_assert_null (result);
  g_assert_error (error, VT_ERROR, VT_ERROR_LIBVIRT);
  g_assert_nonnull (strstr (error->message, "default-pool/missing.img"));
  g_assert_cmpint (count_domains (f), ==, domains);
}

/* start: running starts the defined domain; the test driver cannot start one paused
 * (VIR_DOMAIN_START_PAUSED is unsupported there), which shows the rollback: a domain
 * that cannot start is not kept, nor are the volumes made for it. */
static void
test_request_start (Fixture *f, gconstpointer data)
{
  g_autoptr (VtConnectionConfig) allowed = config_allowing ("default-pool", "default");
  g_autoptr (VtDefineRequest) running = NULL;
  g_autoptr (VtDefineRequest) paused = NULL;
  g_autoptr (VtDefineResult) result = NULL;
  g_autoptr (GError) error = NULL;
  int volumes = count_volumes (f), domains = count_domains (f);
  virDomainPtr dom;

  running = request_for (f, "name: unit15\n" SMALL, allowed);
  vt_define_request_set_start (running, VT_DEFINE_START_RUNNING);
  result = vt_define_request_run (running, f->caps, &error);
  g_assert_no_error (error);
  dom = virDomainLookupByName (f->conn, "unit15");
  g_assert_nonnull (dom);
  g_assert_cmpint (virDomainIsActive (dom), ==, 1);
  virDomainDestroy (dom);
  virDomainUndefine (dom);
  virDomainFree (dom);

  paused = request_for (f, "name: unit16\n" SMALL
                           "disks:\n  - pool: default-pool\n    size: 1GiB\n", allowed);
  vt_define_request_set_start (paused, VT_DEFINE_START_PAUSED);
  g_assert_null (vt_define_request_run (paused, f->caps, &error));
  g_assert_error (error, VT_ERROR, VT_ERROR_LIBVIRT);
  g_assert_nonnull (strstr (error->message, "starting the domain paused (it was not kept)"));
  g_assert_cmpint (count_domains (f), ==, domains);
  g_assert_cmpint (count_volumes (f), ==, volumes);
}

/* An unreachable hypervisor is reported by run too, not by the access step. */
static void
test_request_no_connection (Fixture *f, gconstpointer data)
{
  g_autoptr (VtConnectionConfig) allowed = config_allowing ("default-pool", "default");
  g_autoptr (VtConnection) conn = vt_connection_new ("test:///nosuch/file.xml");
  g_autoptr (VtDefineRequest) request = NULL;
  g_autoptr (GError) error = NULL;
  const char *reason = NULL;

  request = vt_define_request_new (plan_for (f, "name: unit14\n" ONE_DISK), conn, allowed);
  g_assert_cmpint (vt_define_request_access (request, &reason), ==, VT_ACCESS_RESTRICTED);
  g_assert_null (vt_define_request_run (request, f->caps, &error));
  g_assert_error (error, VT_ERROR, VT_ERROR_LIBVIRT);
}

/* ---- the connection and libvirt's event loop ---- */

static void
on_timer (int timer, void *opaque)
{
  GThread **fired_in = opaque;

  virEventRemoveTimeout (timer);
  *fired_in = g_thread_self ();
}

/* Whether libvirt's events run in the thread that iterates GLib's default main context
 * (the daemon's main loop), and only there: a timer due at once has not fired before
 * the iteration and fires during it. */
static gboolean
events_run_in_default_context (void)
{
  GThread *fired_in = NULL;
  guint iterations = 0;

  g_assert_cmpint (virEventAddTimeout (0, on_timer, &fired_in, NULL), >=, 0);
  g_assert_null (fired_in);
  while (fired_in == NULL && iterations++ < 100)
    g_main_context_iteration (NULL, TRUE);
  return fired_in == g_thread_self ();
}

/* Keepalive and the close callback need libvirt's event loop: it is registered with the
 * first VtConnection and runs wherever GLib's default main context is iterated, never in
 * a thread of its own that would take the daemon's sources (connection.c). A driver
 * without close callback or keepalive (test:///) still connects. */
static void
test_connection_event_loop (void)
{
  for (guint round = 0; round < 2; round++)
    {
      g_autoptr (VtConnection) first = vt_connection_new ("test:///default");
      g_autoptr (VtConnection) second = vt_connection_new ("test:///default");
      g_autoptr (GError) error = NULL;
      virConnectPtr conn = vt_connection_get (first, &error);

      g_assert_no_error (error);
      g_assert_false (vt_connection_lost (conn));
      virConnectClose (conn);
      g_assert_true (events_run_in_default_context ());
      g_clear_pointer (&first, vt_connection_free);
      g_assert_true (events_run_in_default_context ());
    }
}

/* ---- storage primitives, against test:///default ---- */

static void
test_storage_pool (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (virStoragePool) pool = vt_storage_lookup_pool (f->conn, 0, "default-pool", &error);
  g_autofree char *path = NULL;

  g_assert_no_error (error);
  g_assert_nonnull (pool);
  path = vt_storage_pool_volume_path (pool, "new.qcow2", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (path, ==, "/default-pool/new.qcow2");
  g_assert_cmpint (virStoragePoolDestroy (pool), ==, 0);
  g_assert_null (vt_storage_lookup_pool (f->conn, 3, "default-pool", &error));
  g_assert_error (error, VT_ERROR, VT_ERROR_FAILED);
  g_assert_true (g_str_has_prefix (error->message, "disks[3]: storage pool 'default-pool' is "
                                   "not active"));
}

/* A created volume binds to its real path and format; the caller owns it. */
static void
test_storage_create_volume (Fixture *f, gconstpointer data)
{
  g_autoptr (VtSettings) settings = storage_settings ("raw", "off", "default", "off");
  g_autoptr (GError) error = NULL;
  g_autoptr (virStoragePool) pool = vt_storage_lookup_pool (f->conn, 0, "default-pool", &error);
  g_autoptr (virStorageVol) vol = NULL;
  VtDiskBinding binding = { 0 };
  gboolean encrypted = TRUE;
  int volumes = count_volumes (f);

  vol = vt_storage_create_volume (pool, 2, "fresh.raw", 1 << 20, settings, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (count_volumes (f), ==, volumes + 1);
  g_assert_true (vt_storage_bind_volume (vol, 2, &binding, &encrypted, &error));
  g_assert_cmpstr (binding.file, ==, "/default-pool/fresh.raw");
  g_assert_null (binding.dev);
  g_assert_cmpstr (binding.format, ==, "raw");
  g_assert_null (binding.secret_uuid);
  g_assert_false (encrypted);
  g_free (binding.file);
  g_free (binding.format);
  /* The same name again: libvirt's refusal, named after the disk. */
  g_assert_null (vt_storage_create_volume (pool, 2, "fresh.raw", 1 << 20, settings, NULL, NULL,
                                           &error));
  g_assert_error (error, VT_ERROR, VT_ERROR_LIBVIRT);
  g_assert_true (g_str_has_prefix (error->message,
                                   "disks[2]: creating volume default-pool/fresh.raw"));
}

static void
quiet_libvirt (void *data, virErrorPtr error)
{
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  virSetErrorFunc (NULL, quiet_libvirt);

  g_test_add_func ("/access/restricted", test_access_restricted);
  g_test_add_func ("/access/unrestricted", test_access_unrestricted);
  g_test_add_func ("/access/settings-unclassified", test_access_settings_unclassified);
  g_test_add_func ("/access/empty-config", test_access_empty_config);
  g_test_add_func ("/access/shipped-config", test_shipped_config);
  g_test_add_func ("/volume/qcow2", test_volume_qcow2);
  g_test_add_func ("/volume/qcow2-capped", test_volume_qcow2_capped);
  g_test_add_func ("/volume/raw", test_volume_raw);
  g_test_add_func ("/volume/escaped", test_volume_escaped);
  g_test_add_func ("/volume/needs-capacity", test_volume_needs_capacity);
  g_test_add_func ("/secret/xml", test_secret_xml);
  g_test_add_func ("/secret/passphrase", test_secret_passphrase);
  g_test_add_func ("/xml/read-helpers", test_xml_helpers);
  g_test_add_func ("/connection/event-loop", test_connection_event_loop);
#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("/define/success", test_define_success);
  ADD ("/define/existing-name", test_define_existing_name);
  ADD ("/define/running-name", test_define_running_name);
  ADD ("/define/missing-network", test_define_missing_network);
  ADD ("/define/inactive-network", test_define_inactive_network);
  ADD ("/define/rollback", test_define_rollback);
  ADD ("/define/existing-volume", test_define_existing_volume);
  ADD ("/define/encrypted-volume", test_define_encrypted_volume);
  ADD ("/define/path-format", test_define_path_format);
  ADD ("/define/missing-volume", test_define_missing_volume);
  ADD ("/define/encryption-unavailable", test_define_encryption_unavailable);
  ADD ("/define/missing-pool", test_define_missing_pool);
  ADD ("/define/request/encrypted", test_request_encrypted);
  ADD ("/define/request/lookup-error-after-access", test_request_lookup_error_after_access);
  ADD ("/define/request/no-connection", test_request_no_connection);
  ADD ("/define/request/start", test_request_start);
  ADD ("/storage/pool", test_storage_pool);
  ADD ("/storage/create-volume", test_storage_create_volume);
#undef ADD
  return g_test_run ();
}
