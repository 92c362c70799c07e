/* The OS layer against an osinfo database (SPEC §4.1 layer 2): core/os reads the fixture
 * database of tests/data/osinfo through libosinfo's own directory overrides (plus a local
 * addition), and the render pipeline with the real policies applies it; each rule checked
 * by provenance, by XPath, by virt-xml-validate and by a define in libvirt's test driver. */
#include <string.h>

#include "domain-checks.h"
#include "domain/render.h"
#include "domcaps-fixtures.h"
#include "os/osinfo.h"
#include "util/error.h"

#define GiB (G_GUINT64_CONSTANT (1) << 30)

static VtPolicySet *policies;
static VtOsTable *oses;

/* The daemon's loader (libosinfo's default path), pointed at the fixtures by the
 * environment variables libosinfo itself reads: the system database, local additions
 * (as /etc/osinfo) and no user directory. */
static void
load_fixtures (void)
{
  g_autofree char *policy_dir = fixture_path ("data/policies");
  g_autofree char *system = fixture_path ("tests/data/osinfo");
  g_autofree char *local = fixture_path ("tests/data/osinfo-local");
  const char *dirs[] = { policy_dir, NULL };
  g_autoptr (GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GError) error = NULL;

  g_setenv ("OSINFO_SYSTEM_DIR", system, TRUE);
  g_setenv ("OSINFO_LOCAL_DIR", local, TRUE);
  g_setenv ("OSINFO_USER_DIR", "/nonexistent/virtuned-test-osinfo", TRUE);
  oses = vt_osinfo_load (NULL, &error);
  g_assert_no_error (error);
  policies = vt_policy_set_load (dirs, problems);
  g_assert_cmpuint (problems->len, ==, 0);
}

static const VtOsInfo *
os_ok (const char *short_id)
{
  const VtOsInfo *os = vt_os_table_lookup (oses, short_id);

  if (!os)
    g_error ("%s is not in the fixture table", short_id);
  return os;
}

/* ---- the database read ---------------------------------------------------------------- */

static void
test_load_facts (void)
{
  const guint virtio = VT_OS_VIRTIO_DISK | VT_OS_VIRTIO_NET | VT_OS_VIRTIO_GPU |
                       VT_OS_VIRTIO_RNG | VT_OS_VIRTIO_BALLOON | VT_OS_VIRTIO_INPUT;
  const VtOsInfo *win = os_ok ("winlike11");
  const VtOsInfo *linux2 = os_ok ("virtlinux2");
  const VtOsInfo *old = os_ok ("oldos1");

  /* Four OSes in the system directory, one local addition. */
  g_assert_cmpuint (vt_os_table_size (oses), ==, 5);
  g_assert_cmpstr (win->id, ==, "http://virtuned.test/winlike/11");
  g_assert_cmpuint (win->flags, ==, VT_OS_EFI_REQUIRED | VT_OS_EFI_SUPPORTED |
                                    VT_OS_SECURE_BOOT | VT_OS_TPM2 | VT_OS_LOCALTIME);
  g_assert_cmpstr (win->video, ==, "qxl");
  g_assert_cmpstr (win->nic, ==, "e1000e");
  g_assert_cmpuint (win->min_vcpus, ==, 2);
  g_assert_cmpuint (win->min_memory, ==, 4 * GiB);
  g_assert_cmpuint (win->min_storage, ==, 64 * GiB);
  g_assert_cmpuint (win->rec_memory, ==, 0);
  /* virtio drivers inherited through derives-from; UEFI supported, BIOS not refused. */
  g_assert_cmpuint (linux2->flags, ==, virtio | VT_OS_EFI_SUPPORTED);
  g_assert_cmpuint (linux2->rec_vcpus, ==, 3);
  g_assert_cmpuint (linux2->rec_memory, ==, 3 * GiB);
  g_assert_cmpuint (linux2->rec_storage, ==, 30 * GiB);
  g_assert_true (vt_os_table_lookup (oses, "virtlinux-stable") == linux2);
  g_assert_cmpuint (old->flags, ==, VT_OS_LOCALTIME);
  g_assert_cmpstr (old->nic, ==, "rtl8139");
  g_assert_cmpstr (old->video, ==, "vga");
  g_assert_cmpuint (os_ok ("virtlinux3")->flags, ==, virtio | VT_OS_EFI_SUPPORTED);
}

static void
test_list (void)
{
  g_autoptr (GPtrArray) virt = vt_os_table_list (oses, "virt");
  g_autoptr (GPtrArray) win = vt_os_table_list (oses, "WINLIKE");
  g_autoptr (GPtrArray) by_name = vt_os_table_list (oses, "old os");
  g_autoptr (GPtrArray) all = vt_os_table_list (oses, "");
  const char *newest_first[] = { "virtlinux3", "virtlinux2", "virtlinux1" };

  g_assert_cmpuint (virt->len, ==, 3);
  for (guint i = 0; i < virt->len; i++)
    g_assert_cmpstr (((VtOsInfo *) virt->pdata[i])->short_id, ==, newest_first[i]);
  g_assert_cmpuint (win->len, ==, 1);
  g_assert_cmpuint (by_name->len, ==, 1);
  g_assert_cmpuint (all->len, ==, 5);
  g_assert_true (vt_os_info_is_eol (os_ok ("virtlinux1"), "2024-01-01"));
  g_assert_false (vt_os_info_is_eol (os_ok ("virtlinux1"), "2021-04-30"));
  g_assert_false (vt_os_info_is_eol (os_ok ("virtlinux2"), "2024-01-01"));
}

/* ---- the layer ------------------------------------------------------------------------- */

static VtResolved *
resolve (const char *text, GError **error)
{
  g_autoptr (VtDomcaps) caps = fixture_caps (BUNDLED_CAPS);

  return vt_resolve (policies, oses, caps, text, strlen (text), error);
}

static VtResolved *
resolve_ok (const char *text)
{
  g_autoptr (GError) error = NULL;
  VtResolved *plan = resolve (text, &error);

  g_assert_no_error (error);
  return plan;
}

static void
assert_setting (const VtResolved *plan, const char *key, const char *value, const char *layer)
{
  const VtSetting *s = vt_settings_lookup (plan->merge->settings, key);

  if (!s || g_strcmp0 (s->value, value) != 0 || g_strcmp0 (s->layer, layer) != 0)
    g_error ("%s is '%s' [%s], expected '%s' [%s]", key, s ? s->value : "(unset)",
             s ? s->layer : "-", value, layer);
}

static void
assert_warning (const VtResolved *plan, const char *fragment)
{
  for (guint i = 0; i < plan->merge->warnings->len; i++)
    if (strstr (g_ptr_array_index (plan->merge->warnings, i), fragment))
      return;
  g_error ("no warning contains '%s'", fragment);
}

/* Renders @plan, validates it twice (schema, test driver) and returns the tree. */
static xmlDocPtr
render_valid (const VtResolved *plan)
{
  g_autoptr (VtDomcaps) caps = fixture_caps (BUNDLED_CAPS);
  g_autoptr (GError) error = NULL;
  g_autofree char *xml = vt_domain_render (plan, caps, NULL, &error);

  g_assert_no_error (error);
  assert_schema_valid (xml);
  assert_test_driver_defines (xml);
  return parse_domain (xml);
}

#define OS_META "/domain/metadata/*[local-name()='libosinfo']/*[local-name()='os']/@id"

/* A Windows 11-like OS: no virtio drivers, UEFI with secure boot and a TPM 2.0, local
 * time, twice its minimum resources (it has no recommended ones, and virt-install
 * doubles the minimum then); every value from os:winlike11. */
static void
test_windows_like (void)
{
  g_autoptr (VtResolved) plan = resolve_ok ("name: w\nos: winlike11\n"
                                            "disks:\n  - pool: default\n"
                                            "networks:\n  - network: default\n");
  static const char *const expected[][2] = {
    { "storage.bus", "sata" }, { "guest.nic", "e1000e" }, { "guest.video", "qxl" },
    { "guest.rng", "off" }, { "guest.memballoon", "off" }, { "guest.keyboard", "ps2" },
    { "guest.mouse", "tablet" }, { "guest.firmware", "efi" }, { "guest.secure_boot", "on" },
    { "guest.tpm", "tpm-crb" }, { "guest.clock", "localtime" }, { "guest.vcpus", "4" },
    { "guest.memory", "8GiB" }, { "storage.capacity", "128GiB" },
  };
  xmlDocPtr doc;

  for (gsize i = 0; i < G_N_ELEMENTS (expected); i++)
    assert_setting (plan, expected[i][0], expected[i][1], "os:winlike11");
  g_assert_cmpuint (plan->merge->warnings->len, ==, 0);
  doc = render_valid (plan);
  assert_xpath (doc, "string(/domain/os/@firmware)", "efi");
  assert_xpath (doc, "string(/domain/os/firmware/feature[@name='secure-boot']/@enabled)", "yes");
  assert_xpath (doc, "string(/domain/devices/tpm/@model)", "tpm-crb");
  assert_xpath (doc, "string(/domain/devices/tpm/backend/@version)", "2.0");
  assert_xpath (doc, "string(/domain/clock/@offset)", "localtime");
  assert_xpath (doc, "string(/domain/devices/disk[1]/target/@bus)", "sata");
  assert_xpath (doc, "string(/domain/devices/interface/model/@type)", "e1000e");
  assert_xpath (doc, "string(/domain/devices/video/model/@type)", "qxl");
  assert_xpath (doc, "count(/domain/devices/rng)", "0");
  assert_xpath (doc, "string(/domain/devices/memballoon/@model)", "none");
  assert_xpath (doc, "string(/domain/memory)", "8388608");
  assert_xpath (doc, "string(/domain/vcpu)", "4");
  assert_xpath (doc, "string(" OS_META ")", "http://virtuned.test/winlike/11");
  xmlFreeDoc (doc);
}

/* A Linux with virtio drivers (inherited): virtio everywhere, its recommended resources,
 * UTC; an alias short-id names the layer as given. */
static void
test_virtio_linux (void)
{
  g_autoptr (VtResolved) plan = resolve_ok ("name: l\nos: virtlinux-stable\n"
                                            "disks:\n  - pool: default\n");
  static const char *const expected[][2] = {
    { "storage.bus", "virtio" }, { "guest.nic", "virtio" }, { "guest.video", "virtio" },
    { "guest.rng", "on" }, { "guest.memballoon", "on" }, { "guest.keyboard", "virtio" },
    { "guest.mouse", "virtio" }, { "guest.vcpus", "3" }, { "guest.memory", "3GiB" },
    { "storage.capacity", "30GiB" },
  };
  xmlDocPtr doc;

  for (gsize i = 0; i < G_N_ELEMENTS (expected); i++)
    assert_setting (plan, expected[i][0], expected[i][1], "os:virtlinux-stable");
  assert_setting (plan, "guest.clock", "utc", "default");
  /* auto: the OS boots UEFI (its database entry says so) and the host has it. */
  assert_setting (plan, "guest.firmware", "efi", "host");
  doc = render_valid (plan);
  assert_xpath (doc, "string(/domain/os/@firmware)", "efi");
  assert_xpath (doc, "string(/domain/devices/disk[1]/target/@bus)", "virtio");
  assert_xpath (doc, "string(/domain/devices/rng/@model)", "virtio");
  assert_xpath (doc, "string(/domain/clock/@offset)", "utc");
  assert_xpath (doc, "string(" OS_META ")", "http://virtuned.test/virtlinux/2");
  xmlFreeDoc (doc);
}

/* An old OS: its own NIC and VGA, memory raised to virtuned's floor, local time. */
static void
test_old_os (void)
{
  g_autoptr (VtResolved) plan = resolve_ok ("name: d\nos: oldos1\n"
                                            "networks:\n  - network: default\n");
  xmlDocPtr doc;

  assert_setting (plan, "guest.nic", "rtl8139", "os:oldos1");
  assert_setting (plan, "guest.video", "vga", "os:oldos1");
  assert_setting (plan, "storage.bus", "sata", "os:oldos1");
  assert_setting (plan, "guest.memory", "64MiB", "os:oldos1");
  assert_setting (plan, "storage.capacity", "512MiB", "os:oldos1");
  assert_setting (plan, "guest.clock", "localtime", "os:oldos1");
  assert_setting (plan, "guest.vcpus", "2", "default");
  /* auto: its database entry lists no UEFI support, so BIOS. */
  assert_setting (plan, "guest.firmware", "bios", "host");
  doc = render_valid (plan);
  assert_xpath (doc, "string(/domain/devices/interface/model/@type)", "rtl8139");
  assert_xpath (doc, "string(/domain/devices/video/model/@type)", "vga");
  xmlFreeDoc (doc);
}

/* The user's values win over the OS layer; each one short of the OS is a warning naming
 * the minimum or the need. */
static void
test_user_wins_with_warnings (void)
{
  g_autoptr (VtResolved) plan = resolve_ok ("name: w\nos: winlike11\nvcpus: 1\nmemory: 1GiB\n"
                                            "firmware: bios\nsecure_boot: false\ntpm: false\n"
                                            "disks:\n  - pool: default\n    size: 20GiB\n"
                                            "settings:\n  storage.bus: virtio\n");
  xmlDocPtr doc;

  assert_setting (plan, "guest.memory", "1GiB", "user");
  assert_setting (plan, "guest.firmware", "bios", "user");
  assert_warning (plan, "guest.memory: 1GiB (from user) is below the minimum of os "
                        "'winlike11' (4GiB)");
  assert_warning (plan, "guest.vcpus: 1 (from user) is below the minimum of os 'winlike11' (2)");
  assert_warning (plan, "disks[0].size: 20GiB (from user) is below the minimum of os "
                        "'winlike11' (64GiB)");
  assert_warning (plan, "guest.firmware: 'bios' (from user) does not meet os 'winlike11', "
                        "which requires UEFI");
  assert_warning (plan, "guest.secure_boot: 'off' (from user) does not meet os 'winlike11', "
                        "which requires UEFI secure boot");
  assert_warning (plan, "guest.tpm: 'none' (from user) does not meet os 'winlike11', which "
                        "requires a TPM 2.0");
  assert_warning (plan, "storage.bus: 'virtio' (from user) needs a virtio driver os "
                        "'winlike11' does not have built in");
  doc = render_valid (plan);
  xmlFreeDoc (doc);
}

/* Scenarios come after the OS layer (SPEC §4.1): desktop's virtio disk wins, and says
 * what the OS lacks. */
static void
test_scenario_after_os (void)
{
  g_autoptr (VtResolved) plan = resolve_ok ("name: w\nos: winlike11\nscenario: desktop\n");

  assert_setting (plan, "storage.bus", "virtio", "scenario:desktop");
  assert_setting (plan, "guest.clock", "localtime", "os:winlike11");
  assert_warning (plan, "storage.bus: 'virtio' (from scenario:desktop) needs a virtio driver");
}

static void
assert_unknown (const char *description, const char *expected)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (VtResolved) plan = resolve (description, &error);

  g_assert_null (plan);
  g_assert_error (error, VT_ERROR, VT_ERROR_INVALID_DESCRIPTION);
  if (!strstr (error->message, expected))
    g_error ("'%s' lacks '%s'", error->message, expected);
}

/* An unknown id names os:, its position, close matches and where the database ends,
 * the newest computed from the database, local additions included. */
static void
test_unknown (void)
{
  assert_unknown ("name: u\nos: winlike12\n",
                  "os (line 2, column 5): 'winlike12' is not an OS short-id of osinfo-db "
                  "20990101; close matches: winlike11; the newest 'winlike' it knows is "
                  "winlike11 (released 2021-10-05)");
  assert_unknown ("name: u\nos: virtlinux9\n",
                  "close matches: virtlinux3, virtlinux2, virtlinux1; the newest 'virtlinux' "
                  "it knows is virtlinux3 (released 2024-05-01)");
  assert_unknown ("name: u\nos: oldso1\n", "close matches: oldos1.");
  assert_unknown ("name: u\nos: zzz\n", "'zzz' is not an OS short-id of osinfo-db 20990101. "
                                        "An OS newer than the database");
}

/* ---- the daemon's lazy table ---------------------------------------------------------- */

static gint lazy_loads;

static VtOsTable *
load_counted (gpointer dir)
{
  g_autoptr (GError) error = NULL;
  VtOsTable *table;

  g_atomic_int_inc (&lazy_loads);
  table = vt_osinfo_load (dir, &error);
  g_assert_no_error (error);
  return table;
}

static gpointer
lookup_in_thread (gpointer table)
{
  return (gpointer) vt_os_table_lookup (table, "winlike11");
}

/* A daemon started on demand must not read the database at every start: the lazy table
 * loads nothing until first used, then exactly once, whichever thread asks first. */
static void
test_lazy_table (void)
{
  g_autofree char *dir = fixture_path ("tests/data/osinfo");
  g_autoptr (VtOsTable) table = vt_os_table_new_lazy (load_counted, dir);
  GThread *threads[4];

  g_assert_cmpint (g_atomic_int_get (&lazy_loads), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    threads[i] = g_thread_new ("lookup", lookup_in_thread, table);
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    g_assert_nonnull (g_thread_join (threads[i]));
  g_assert_cmpint (g_atomic_int_get (&lazy_loads), ==, 1);
  /* The fixture directory alone: the shared table also has the one local addition. */
  g_assert_cmpuint (vt_os_table_size (table), ==, vt_os_table_size (oses) - 1);
  g_assert_cmpint (g_atomic_int_get (&lazy_loads), ==, 1);
}

/* The reader process hands the table over as a GVariant: every OS, field and short-id
 * (aliases included) comes back the same. */
static void
test_table_variant (void)
{
  g_autoptr (GVariant) variant = g_variant_ref_sink (vt_os_table_to_variant (oses));
  g_autoptr (VtOsTable) copy = vt_os_table_new_from_variant (variant);
  g_autoptr (GPtrArray) all = vt_os_table_list (oses, "");
  g_autoptr (GVariant) again = NULL;

  g_assert_true (g_variant_is_of_type (variant, G_VARIANT_TYPE (VT_OS_TABLE_TYPE)));
  g_assert_cmpuint (vt_os_table_size (copy), ==, vt_os_table_size (oses));
  for (guint i = 0; i < all->len; i++)
    {
      const VtOsInfo *a = g_ptr_array_index (all, i);
      const VtOsInfo *b = vt_os_table_lookup (copy, a->short_id);

      g_assert_nonnull (b);
      g_assert_cmpstr (a->id, ==, b->id);
      g_assert_cmpstr (a->name, ==, b->name);
      g_assert_cmpstr (a->eol_date, ==, b->eol_date);
      g_assert_cmpuint (a->flags, ==, b->flags);
      g_assert_cmpstr (a->video, ==, b->video);
      g_assert_cmpstr (a->nic, ==, b->nic);
      g_assert_cmpuint (a->rec_memory, ==, b->rec_memory);
      g_assert_cmpuint (a->min_storage, ==, b->min_storage);
    }
  again = g_variant_ref_sink (vt_os_table_to_variant (copy));
  g_assert_true (g_variant_equal (variant, again));
}

int
main (int argc, char **argv)
{
  int rc;

  g_test_init (&argc, &argv, NULL);
  load_fixtures ();
  g_test_add_func ("/os/load/facts", test_load_facts);
  g_test_add_func ("/os/list", test_list);
  g_test_add_func ("/os/layer/windows-like", test_windows_like);
  g_test_add_func ("/os/layer/virtio-linux", test_virtio_linux);
  g_test_add_func ("/os/layer/old-os", test_old_os);
  g_test_add_func ("/os/layer/user-wins-with-warnings", test_user_wins_with_warnings);
  g_test_add_func ("/os/layer/scenario-after-os", test_scenario_after_os);
  g_test_add_func ("/os/unknown", test_unknown);
  g_test_add_func ("/os/lazy-table", test_lazy_table);
  g_test_add_func ("/os/table-variant", test_table_variant);
  rc = g_test_run ();
  vt_policy_set_free (policies);
  vt_os_table_free (oses);
  xmlCleanupParser ();
  return rc;
}
