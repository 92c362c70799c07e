/* The render pipeline with its real parts: the description parser, the built-in policies
 * in data/policies, the merge engine with its host layer, the domain builder; each result
 * checked by XPath against the seed tables, by virt-xml-validate and by a define in
 * libvirt's test driver. */
#include <string.h>

#include "model/limits.h"
#include "render-fixture.h"

#define STRV(...) ((const char *const[]) { __VA_ARGS__, NULL })

/* Each seed scenario from the real policies: every row's value and provenance, then XML. */
static void
test_seed_scenario (gconstpointer data)
{
  const SeedScenario *scenario = data;
  g_autoptr (VtDomcaps) caps = seed_scenario_caps (scenario);
  g_autofree char *text = description ("seed-vm", scenario->name, NULL);
  g_autoptr (VtResolved) plan = plan_ok (caps, text);
  xmlDocPtr doc;

  for (const SeedRow *r = scenario->rows; r->row; r++)
    {
      const VtSetting *s = r->key ? vt_settings_lookup (plan->merge->settings, r->key) : NULL;
      if (!r->key)
        continue;
      g_assert_nonnull (s);
      if (g_strcmp0 (s->value, r->host ? r->host : r->value) != 0)
        g_error ("%s, row '%s': %s is '%s' (from %s)", scenario->name, r->row, r->key, s->value,
                 s->layer);
      if (r->host)
        g_assert_true (g_str_equal (s->layer, "host") || g_str_has_prefix (s->layer, "requires:"));
      else
        g_assert_true (g_str_has_prefix (s->layer, "scenario:"));
    }
  g_assert_cmpstr (g_ptr_array_index (plan->merge->applied, 0), ==, "default");
  doc = render_checked (plan, caps, NULL);
  assert_seed_rows (doc, scenario);
  assert_xpath (doc, "string(/domain/metadata/vt:vm/vt:scenario[last()])", scenario->name);
  xmlFreeDoc (doc);
}

/* The seed's 8M qcow2 clusters are above QEMU's limit: the host layer says so. */
static void
test_cluster_size_warning (void)
{
  g_autoptr (VtDomcaps) caps = fixture_caps (BUNDLED_CAPS);
  g_autofree char *text = description ("desk", "desktop", NULL);
  g_autoptr (VtResolved) plan = plan_ok (caps, text);

  g_assert_true (has_warning (plan, "storage.cluster_size: '8MiB' (from scenario:desktop) is not "
                                    "supported by this host (QEMU's qcow2 clusters go up to "
                                    "2MiB); using '2MiB'"));
}

/* securevm on a host with SEV-ES (libvirt's QEMU 9.2 AMD SEV capabilities). */
static void
test_securevm_on_sev_host (void)
{
  g_autoptr (VtDomcaps) caps = fixture_caps (FIXTURE_SEV);
  g_autofree char *text = description ("secure01", "securevm", NULL);
  g_autoptr (VtResolved) plan = NULL;
  xmlDocPtr doc;

  fixture_attach_firmware (caps, FW_FEATURES_SEV_ES);
  plan = plan_ok (caps, text);
  g_assert_cmpstr (vt_settings_get (plan->merge->settings, "guest.sev"), ==, "sev-es");
  g_assert_false (has_warning (plan, "guest.sev"));
  doc = render_checked (plan, caps, NULL);
  assert_sev_es_on_fixture (doc);
  assert_xpath (doc, "string(//rng/driver/@iommu)", "on");
  assert_xpath (doc, "string(//tpm/@model)", "tpm-crb");
  assert_xpath (doc, "string(/domain/cpu/@migratable)", "off");
  xmlFreeDoc (doc);
}

/* securevm where there is no SEV: its lock on guest.sev turns the missing feature into an
 * Unsupported error instead of an unencrypted "secure" VM. */
static void
test_securevm_without_sev (void)
{
  g_autoptr (VtDomcaps) caps = fixture_caps (BUNDLED_CAPS);
  g_autofree char *text = description ("secure02", "securevm", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (VtResolved) plan = vt_resolve (policies, oses, caps, text, strlen (text), &error);

  g_assert_null (plan);
  g_assert_error (error, VT_ERROR, VT_ERROR_UNSUPPORTED);
  g_assert_nonnull (strstr (error->message, "guest.sev: 'auto' (locked by policy 'sev')"));
}

/* A user's explicit value the host cannot do is an error, not a silent change. */
static void
test_user_value_unsupported (void)
{
  g_autoptr (VtDomcaps) caps = fixture_variant (BUNDLED_CAPS, STRV ("<value>qxl</value>"),
                                                STRV (""));
  g_autofree char *text = description ("vid", "desktop", "settings:\n  guest.video: qxl\n");
  g_autoptr (GError) error = NULL;
  g_autoptr (VtResolved) plan = vt_resolve (policies, oses, caps, text, strlen (text), &error);

  g_assert_null (plan);
  g_assert_error (error, VT_ERROR, VT_ERROR_UNSUPPORTED);
  g_assert_nonnull (strstr (error->message, "guest.video: 'qxl' (requested explicitly)"));
}

/* A device the host marks supported='no' is refused when asked for, and a policy's
 * value for it falls back to none (securevm's vTPM on a host without TPM). */
static void
test_unsupported_devices (void)
{
  g_autoptr (VtDomcaps) caps = fixture_variant (
    FIXTURE_SEV, STRV ("<tpm supported='yes'>", "<graphics supported='yes'>"),
    STRV ("<tpm supported='no'>", "<graphics supported='no'>"));
  g_autofree char *tpm = description ("dev", NULL, "tpm: true\n");
  g_autofree char *graphics = description ("dev", NULL, "graphics: spice\n");
  g_autofree char *secure = description ("dev", "securevm", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (VtResolved) plan = vt_resolve (policies, oses, caps, tpm, strlen (tpm), &error);

  g_assert_null (plan);
  g_assert_error (error, VT_ERROR, VT_ERROR_UNSUPPORTED);
  g_assert_nonnull (strstr (error->message, "guest.tpm: 'tpm-crb' (requested explicitly)"));
  g_clear_error (&error);
  plan = vt_resolve (policies, oses, caps, graphics, strlen (graphics), &error);
  g_assert_null (plan);
  g_assert_error (error, VT_ERROR, VT_ERROR_UNSUPPORTED);
  g_clear_error (&error);
  plan = plan_ok (caps, secure);
  g_assert_cmpstr (vt_settings_get (plan->merge->settings, "guest.tpm"), ==, "none");
  g_assert_cmpstr (vt_settings_get (plan->merge->settings, "guest.graphics"), ==, "none");
  g_assert_true (has_warning (plan, "guest.tpm: 'tpm-crb' (from scenario:securevm)"));
}

/* The topology is checked against guest.vcpus as resolved, not the vcpus: field alone. */
static void
test_topology_resolved_vcpus (void)
{
  g_autoptr (VtDomcaps) caps = fixture_caps (BUNDLED_CAPS);
  const char *text = "name: t\nscenario: desktop\nvcpus: 4\n"
                     "cpu:\n  topology: {sockets: 1, cores: 2, threads: 2}\n"
                     "settings:\n  guest.vcpus: 8\n";

  assert_plan_fails (caps, text, VT_ERROR_CONFLICT,
                     "cpu.topology 1x2x2 = 4 vCPUs but guest.vcpus resolved to 8 (from user)");
}

/* SEV's needs are settings with provenance, enforced by the merge: the builder only
 * writes what the settings say. */
static void
test_sev_requirements (void)
{
  g_autoptr (VtDomcaps) caps = fixture_caps (FIXTURE_SEV);
  g_autofree char *secure = description ("s", "securevm", NULL);
  g_autofree char *bios = description ("s", "securevm", "firmware: bios\n");
  g_autofree char *balloon = description ("s", "sev", "settings:\n  guest.memballoon: on\n");
  g_autofree char *unlocked =
    description ("s", "sev", "settings:\n  guest.memory.locked: off\n");
  g_autofree char *i440fx =
    description ("s", "securevm", "settings:\n  guest.machine: pc-i440fx-7.2\n");
  g_autofree char *pc = description ("s", "[computation, sev]", "");
  g_autoptr (VtResolved) plan = plan_ok (caps, secure);
  xmlDocPtr doc;

  assert_provenance (plan, "guest.firmware", "efi", "requires:guest.sev");
  assert_provenance (plan, "guest.memballoon", "off", "scenario:sev");
  assert_provenance (plan, "guest.memory.locked", "on", "scenario:sev");
  assert_provenance (plan, "guest.machine", "pc-q35-9.2", "host");
  doc = render_checked (plan, caps, NULL);
  assert_xpath (doc, "string(/domain/os/@firmware)", "efi");
  assert_xpath (doc, "count(/domain/memoryBacking/locked)", "1");
  assert_xpath (doc, "string(//memballoon/@model)", "none");
  xmlFreeDoc (doc);

  assert_plan_fails (caps, bios, VT_ERROR_CONFLICT,
                     "guest.firmware: 'bios' (from user) contradicts guest.sev 'sev-es', "
                     "which needs efi");
  assert_plan_fails (caps, balloon, VT_ERROR_CONFLICT,
                     "guest.memballoon is locked to off by policy sev; the user layer asked "
                     "for on");
  assert_plan_fails (caps, unlocked, VT_ERROR_CONFLICT,
                     "guest.memory.locked is locked to on by policy sev");
  assert_plan_fails (caps, i440fx, VT_ERROR_CONFLICT,
                     "guest.machine: 'pc-i440fx-7.2' (from user) contradicts guest.sev "
                     "'sev-es', which needs q35");
  /* A policy's value gives way, and says why. */
  g_clear_pointer (&plan, vt_resolved_free);
  plan = plan_ok (caps, pc);
  assert_provenance (plan, "guest.firmware", "efi", "requires:guest.sev");
}

/* Secure boot needs UEFI and SMM: a user's bios is a conflict, a policy's gives way. */
static void
test_secure_boot_requirements (void)
{
  g_autoptr (VtDomcaps) caps = fixture_caps (BUNDLED_CAPS);
  g_autofree char *bios = description ("sb", "desktop", "firmware: bios\nsecure_boot: true\n");
  g_autofree char *windows = description ("w", "[windows, uefi-secureboot]", "tpm: true\n");
  g_autoptr (VtResolved) plan = NULL;

  assert_plan_fails (caps, bios, VT_ERROR_CONFLICT,
                     "guest.firmware: 'bios' (from user) contradicts guest.secure_boot 'on', "
                     "which needs efi");
  plan = plan_ok (caps, windows);
  assert_provenance (plan, "guest.features", "acpi apic pae hyperv smm",
                     "requires:guest.secure_boot");
  assert_provenance (plan, "guest.firmware", "efi", "scenario:uefi-secureboot");
  g_assert_false (has_warning (plan, "guest.features"));
}

/* Feature words of several scenarios add up in application order; a scenario replaces
 * the default's list and the user's list replaces everything. */
static void
test_features_union (void)
{
  g_autoptr (VtDomcaps) caps = fixture_caps (BUNDLED_CAPS);
  g_autofree char *both = description ("f", "[os-testing, windows]", NULL);
  g_autofree char *user = description ("f", "windows", "settings:\n  guest.features: [acpi]\n");
  g_autoptr (VtResolved) plan = plan_ok (caps, both);

  assert_provenance (plan, "guest.features", "acpi apic pae vmcoreinfo hyperv",
                     "scenario:windows");
  g_assert_false (has_warning (plan, "guest.features"));
  g_clear_pointer (&plan, vt_resolved_free);
  plan = plan_ok (caps, user);
  assert_provenance (plan, "guest.features", "acpi", "user");
}

/* A lock on guest.sev: auto accepts what auto may become (sev, sev-es), not off. */
static void
test_sev_lock_accepts_auto_values (void)
{
  g_autoptr (VtDomcaps) caps = fixture_caps (FIXTURE_SEV);
  g_autofree char *sev = description ("v", "sev", "settings:\n  guest.sev: sev\n");
  g_autofree char *off = description ("v", "sev", "settings:\n  guest.sev: off\n");
  g_autoptr (VtResolved) plan = plan_ok (caps, sev);
  xmlDocPtr doc;

  assert_provenance (plan, "guest.sev", "sev", "user");
  doc = render_checked (plan, caps, NULL);
  assert_xpath (doc, "string(/domain/launchSecurity/policy)", "0x0003");
  xmlFreeDoc (doc);
  assert_plan_fails (caps, off, VT_ERROR_CONFLICT,
                     "guest.sev is locked to auto by policy sev; the user layer asked for off");
}

/* os: is the OS layer, between the default policy and the scenarios: its values carry
 * os:ID, a scenario still overrides them, and the domain names the OS for libvirt tools.
 * An os: the table lacks is refused. */
static void
test_os_layer_applied (void)
{
  g_autoptr (VtDomcaps) caps = fixture_caps (BUNDLED_CAPS);
  g_autofree char *text = description ("o", "desktop", "os: opensuse15.4\n");
  g_autofree char *unknown = description ("o", NULL, "os: fedora39\n");
  g_autoptr (VtResolved) plan = plan_ok (caps, text);
  xmlDocPtr doc;

  assert_provenance (plan, "guest.rng", "on", "os:opensuse15.4");
  assert_provenance (plan, "guest.tpm", "none", "scenario:desktop");
  g_assert_false (has_warning (plan, "not applied"));
  doc = render_checked (plan, caps, NULL);
  assert_xpath (doc, "string(/domain/metadata/*[local-name()='libosinfo']"
                     "/*[local-name()='os']/@id)", "http://opensuse.org/opensuse/15.4");
  xmlFreeDoc (doc);
  assert_plan_fails (caps, unknown, VT_ERROR_INVALID_DESCRIPTION,
                     "os (line 9, column 5): 'fedora39' is not an OS short-id of a table made by "
                     "test-render");
}

/* The qcow2 cluster cap only matters for a qcow2 volume the description creates. */
static void
test_cluster_size_only_for_new_qcow2 (void)
{
  g_autoptr (VtDomcaps) caps = fixture_caps (BUNDLED_CAPS);
  const char *existing = "name: p\nscenario: desktop\ndisks:\n  - path: /srv/vm/x1.img\n";
  const char *raw = "name: p\nscenario: desktop\ndisks:\n  - pool: default\n"
                    "settings:\n  storage.format: raw\n";
  g_autoptr (VtResolved) plan = plan_ok (caps, existing);

  g_assert_false (has_warning (plan, "storage.cluster_size"));
  assert_provenance (plan, "storage.cluster_size", "8MiB", "scenario:desktop");
  g_clear_pointer (&plan, vt_resolved_free);
  plan = plan_ok (caps, raw);
  g_assert_false (has_warning (plan, "storage.cluster_size"));
}

/* The same value from a policy falls back with a warning (computation asks for qxl). */
static void
test_policy_value_falls_back (void)
{
  g_autoptr (VtDomcaps) caps = fixture_variant (BUNDLED_CAPS, STRV ("<value>qxl</value>"),
                                                STRV (""));
  g_autofree char *text = description ("vid", "computation", NULL);
  g_autoptr (VtResolved) plan = plan_ok (caps, text);
  const VtSetting *video = vt_settings_lookup (plan->merge->settings, "guest.video");
  xmlDocPtr doc;

  g_assert_cmpstr (video->value, ==, "vga");
  g_assert_cmpstr (video->layer, ==, "host");
  g_assert_true (has_warning (plan, "guest.video: 'qxl' (from scenario:computation)"));
  doc = render_checked (plan, caps, NULL);
  assert_xpath (doc, "string(//video/model/@type)", "vga");
  xmlFreeDoc (doc);
}

/* desktop wants suspend-to-disk, uefi-secureboot wants UEFI, whose firmware has no S4. */
static void
test_desktop_secure_boot (void)
{
  g_autoptr (VtDomcaps) caps = fixture_caps (BUNDLED_CAPS);
  g_autofree char *text = description ("sb", "[desktop, uefi-secureboot]", NULL);
  g_autoptr (VtResolved) plan = plan_ok (caps, text);
  xmlDocPtr doc;

  g_assert_true (has_warning (plan, "guest.suspend_to_disk: 'on' (from scenario:desktop)"));
  doc = render_checked (plan, caps, NULL);
  assert_xpath (doc, "string(/domain/pm/suspend-to-disk/@enabled)", "no");
  assert_xpath (doc, "string(/domain/pm/suspend-to-mem/@enabled)", "yes");
  assert_xpath (doc, "string(/domain/os/firmware/feature[@name='secure-boot']/@enabled)", "yes");
  assert_xpath (doc, "string(/domain/features/smm/@state)", "on");
  xmlFreeDoc (doc);
}

/* The sample description with every field (securevm: an SEV host) asks for 8M clusters
 * itself: refused. */
static void
test_full_sample_user_cluster (void)
{
  g_autoptr (VtDomcaps) caps = fixture_caps (FIXTURE_SEV);
  g_autofree char *text = fixture_text ("tests/data/descriptions/full.yaml");
  g_autoptr (GError) error = NULL;
  g_autoptr (VtResolved) plan = vt_resolve (policies, oses, caps, text, strlen (text), &error);

  g_assert_null (plan);
  g_assert_error (error, VT_ERROR, VT_ERROR_UNSUPPORTED);
  g_assert_nonnull (strstr (error->message, "storage.cluster_size: '8MiB' (requested "
                                            "explicitly)"));
}

/* The same sample with a cluster size QEMU can do renders and validates ... */
static void
test_full_sample (void)
{
  g_autoptr (VtDomcaps) caps = fixture_caps (FIXTURE_SEV);
  g_autofree char *raw = fixture_text ("tests/data/descriptions/full.yaml");
  g_autoptr (GString) text = g_string_new (raw);
  g_autoptr (VtResolved) plan = NULL;
  xmlDocPtr doc;

  /* ... and plain SEV: SEV-ES guests have no SMM for the sample's secure boot. */
  g_assert_cmpuint (g_string_replace (text, "storage.cluster_size: 8M",
                                      "storage.cluster_size: 2M\n  guest.sev: sev", 0), ==, 1);
  plan = plan_ok (caps, text->str);
  doc = render_checked (plan, caps, NULL);
  assert_xpath (doc, "string(/domain/os/@firmware)", "efi");
  assert_xpath (doc, "string(/domain/os/firmware/feature[@name='secure-boot']/@enabled)", "yes");
  assert_xpath (doc, "string(/domain/features/smm/@state)", "on");
  assert_xpath (doc, "string(/domain/cpu/topology/@threads)", "2");
  assert_xpath (doc, "string(/domain/vcpu)", "4");
  assert_xpath (doc, "string(/domain/memory)", "4194304");
  assert_xpath (doc, "string(//interface[source/@bridge='br0']/@type)", "bridge");
  assert_xpath (doc, "string(//interface/mac/@address)", "52:54:00:ab:cd:56");
  assert_xpath (doc, "string(//disk[@device='cdrom']/source/@volume)", "install.iso");
  assert_xpath (doc, "string(//disk[source/@file]/source/@file)", "/srv/vm/x.qcow2");
  assert_xpath (doc, "string(//video/model/@type)", "qxl");
  assert_xpath (doc, "count(/domain/memoryBacking/hugepages)", "1");
  xmlFreeDoc (doc);
}

/* ---- AMD SEV: guest-owner launch data and the SEV-ES rules (issue #9, parts 2 and 6) ---- */

/* Base64 of @len bytes of a pattern: sizes are what is checked, not content. */
static char *
blob (gsize len, guint8 seed)
{
  g_autofree guint8 *bytes = g_malloc (len);

  for (gsize i = 0; i < len; i++)
    bytes[i] = (guint8) (seed + i * 7);
  return g_base64_encode (bytes, len);
}

/* A description with launch data for @policy, after @extra (verbatim). */
static char *
launch_description (const char *scenarios, const char *policy, const char *extra)
{
  g_autofree char *cert = blob (VT_SEV_DH_CERT_BYTES, 1);
  g_autofree char *session = blob (VT_SEV_SESSION_BYTES, 2);
  g_autofree char *sev = g_strdup_printf ("%ssev:\n  dh_cert: %s\n  session: %s\n"
                                          "  policy: %s\n", extra ? extra : "", cert, session,
                                          policy);

  return description ("owner", scenarios, sev);
}

/* The owner's data goes into <launchSecurity> as it came, with exactly the owner's word. */
static void
test_launch_data_rendered (void)
{
  g_autoptr (VtDomcaps) caps = fixture_caps (FIXTURE_SEV);
  g_autofree char *text = launch_description ("securevm", "0x7", NULL);
  g_autofree char *cert = blob (VT_SEV_DH_CERT_BYTES, 1);
  g_autofree char *session = blob (VT_SEV_SESSION_BYTES, 2);
  g_autoptr (VtResolved) plan = NULL;
  xmlDocPtr doc;

  fixture_attach_firmware (caps, FW_FEATURES_SEV_ES);
  plan = plan_ok (caps, text);
  assert_provenance (plan, "guest.sev.policy", "0x0007", "user");
  doc = render_checked (plan, caps, NULL);
  assert_sev_es_on_fixture (doc);
  assert_xpath (doc, "string(/domain/launchSecurity/dhCert)", cert);
  assert_xpath (doc, "string(/domain/launchSecurity/session)", session);
  xmlFreeDoc (doc);
}

/* Extra owner bits (NOSEND, DOMAIN, SEV, a minimum firmware) are the owner's: kept. A
 * plain SEV word makes auto take SEV on an SEV-ES host, and it says why. */
static void
test_launch_data_steers_auto (void)
{
  g_autoptr (VtDomcaps) caps = fixture_caps (FIXTURE_SEV);
  g_autofree char *es = launch_description ("sev", "0x01180037", NULL);
  g_autofree char *plain = launch_description ("sev", "0x0003", NULL);
  g_autoptr (VtResolved) plan = NULL;
  xmlDocPtr doc;

  fixture_attach_firmware (caps, FW_FEATURES_SEV_ES);
  plan = plan_ok (caps, es);
  doc = render_checked (plan, caps, NULL);
  assert_xpath (doc, "string(/domain/launchSecurity/policy)", "0x1180037");
  xmlFreeDoc (doc);
  g_clear_pointer (&plan, vt_resolved_free);
  plan = plan_ok (caps, plain);
  assert_provenance (plan, "guest.sev", "sev", "host");
  g_assert_true (has_warning (plan, "guest.sev: 'auto' chose sev, not sev-es (sev-es: the "
                                    "launch data's sev.policy 0x0003 is a plain SEV policy)"));
  doc = render_checked (plan, caps, NULL);
  assert_xpath (doc, "string(/domain/launchSecurity/policy)", "0x0003");
  assert_xpath (doc, "string(/domain/on_reboot)", "restart");
  xmlFreeDoc (doc);
}

/* A setting that would need another word than the owner's is a Conflict naming it. */
static void
test_launch_data_conflicts (void)
{
  g_autoptr (VtDomcaps) caps = fixture_caps (FIXTURE_SEV);
  g_autofree char *es_on_sev = launch_description ("sev", "0x0007",
                                                   "settings:\n  guest.sev: sev\n");
  g_autofree char *plain_on_es = launch_description ("sev", "0x0003",
                                                     "settings:\n  guest.sev: sev-es\n");
  g_autofree char *debug = launch_description ("sev", "0x0006", NULL);
  g_autofree char *sharing = launch_description ("sev", "0x0005", NULL);
  g_autofree char *both = launch_description ("sev", "0x0004", NULL);
  g_autofree char *explicit_other = launch_description ("sev", "0x0007",
                                                        "settings:\n  guest.sev.policy: 0x3\n");
  g_autofree char *explicit_same = launch_description ("sev", "0x0005",
                                                       "settings:\n  guest.sev.policy: 0x5\n");
  g_autofree char *sev_off = launch_description (NULL, "0x0007", NULL);
  g_autoptr (VtResolved) plan = NULL;
  xmlDocPtr doc;

  assert_plan_fails (caps, es_on_sev, VT_ERROR_CONFLICT,
                     "guest.sev: 'sev' (locked by policy 'sev') needs a policy word without the SEV-ES "
                     "bit (0x4), but sev.policy 0x0007, the word the session was made for, "
                     "has it");
  assert_plan_fails (caps, plain_on_es, VT_ERROR_CONFLICT,
                     "guest.sev: 'sev-es' (locked by policy 'sev') needs a policy word with the "
                     "SEV-ES bit "
                     "(0x4), but sev.policy 0x0003");
  assert_plan_fails (caps, debug, VT_ERROR_CONFLICT,
                     "guest.sev.policy: 'auto' (from scenario:sev) means no debugging and no "
                     "key sharing, but sev.policy 0x0006, the word the session was made for, "
                     "allows debugging; to accept that, set guest.sev.policy: 0x0006 too");
  assert_plan_fails (caps, sharing, VT_ERROR_CONFLICT, "allows key sharing;");
  assert_plan_fails (caps, both, VT_ERROR_CONFLICT, "allows debugging and key sharing;");
  assert_plan_fails (caps, explicit_other, VT_ERROR_CONFLICT,
                     "guest.sev.policy: '0x0003' (from user) differs from sev.policy 0x0007, "
                     "the word the session was made for");
  assert_plan_fails (caps, sev_off, VT_ERROR_CONFLICT,
                     "guest.sev: 'off' (from default) turns SEV off, but the description "
                     "carries SEV launch data (sev:)");
  /* The owner's weaker word, accepted explicitly, renders as it is. */
  plan = plan_ok (caps, explicit_same);
  doc = render_checked (plan, caps, NULL);
  assert_xpath (doc, "string(/domain/launchSecurity/policy)", "0x0005");
  xmlFreeDoc (doc);
}

/* SEV-ES guests have no SMM: secure boot or the smm feature with SEV-ES is a Conflict
 * whichever layer set them; plain SEV and secure boot go together. */
static void
test_sev_es_without_smm (void)
{
  g_autoptr (VtDomcaps) caps = fixture_caps (FIXTURE_SEV);
  g_autofree char *scenarios = description ("sb", "[securevm, uefi-secureboot]", NULL);
  g_autofree char *user = description ("sb", "sev", "secure_boot: true\n"
                                       "settings:\n  guest.sev: sev-es\n");
  g_autofree char *smm = description ("sb", "sev", "settings:\n  guest.features: [acpi, smm]\n");
  g_autofree char *plain = description ("sb", "[securevm, uefi-secureboot]",
                                        "settings:\n  guest.sev: sev\n");
  g_autoptr (VtResolved) plan = NULL;
  xmlDocPtr doc;

  fixture_attach_firmware (caps, FW_FEATURES_SEV_ES);
  assert_plan_fails (caps, scenarios, VT_ERROR_CONFLICT,
                     "guest.secure_boot: 'on' (from scenario:uefi-secureboot) cannot be "
                     "combined with guest.sev 'sev-es' (locked by policy 'sev'): SEV-ES guests "
                     "have no SMM, which secure boot needs");
  assert_plan_fails (caps, user, VT_ERROR_CONFLICT,
                     "guest.secure_boot: 'on' (from user) cannot be combined with guest.sev "
                     "'sev-es' (locked by policy 'sev')");
  assert_plan_fails (caps, smm, VT_ERROR_CONFLICT,
                     "guest.features: 'acpi smm' (from user) cannot be combined with guest.sev "
                     "'sev-es'");
  plan = plan_ok (caps, plain);
  doc = render_checked (plan, caps, NULL);
  assert_xpath (doc, "string(/domain/launchSecurity/policy)", "0x0003");
  assert_xpath (doc, "string(/domain/features/smm/@state)", "on");
  xmlFreeDoc (doc);
}

/* An SEV-ES guest cannot reboot: a policy's restart gives way, a user's is a Conflict. */
static void
test_sev_es_on_reboot (void)
{
  g_autoptr (VtDomcaps) caps = fixture_caps (FIXTURE_SEV);
  g_autofree char *policy = description ("r", "sev", NULL);
  g_autofree char *user = description ("r", "sev", "settings:\n  guest.on_reboot: restart\n");
  g_autofree char *plain = description ("r", "sev", "settings:\n  guest.sev: sev\n");
  g_autoptr (VtResolved) plan = NULL;
  xmlDocPtr doc;

  fixture_attach_firmware (caps, FW_FEATURES_SEV_ES);
  plan = plan_ok (caps, policy);
  assert_provenance (plan, "guest.on_reboot", "destroy", "requires:guest.sev");
  doc = render_checked (plan, caps, NULL);
  assert_xpath (doc, "string(/domain/on_reboot)", "destroy");
  xmlFreeDoc (doc);
  assert_plan_fails (caps, user, VT_ERROR_CONFLICT,
                     "guest.on_reboot: 'restart' (from user) contradicts guest.sev 'sev-es', "
                     "which needs destroy");
  g_clear_pointer (&plan, vt_resolved_free);
  plan = plan_ok (caps, plain);
  assert_provenance (plan, "guest.on_reboot", "restart", "default");
}

/* Virtio keyboard and mouse reach guest memory through the IOMMU like every virtio
 * device of an SEV guest; without SEV they get no <driver>. */
static void
test_sev_virtio_input_iommu (void)
{
  g_autoptr (VtDomcaps) caps = fixture_caps (FIXTURE_SEV);
  g_autofree char *sev = description ("i", "sev", NULL);
  g_autofree char *plain = description ("i", NULL, NULL);
  g_autoptr (VtResolved) plan = plan_ok (caps, sev);
  xmlDocPtr doc = render_checked (plan, caps, NULL);

  assert_xpath (doc, "count(//input[@bus='virtio'])", "2");
  assert_xpath (doc, "count(//input[@bus='virtio']/driver[@iommu='on'])", "2");
  xmlFreeDoc (doc);
  g_clear_pointer (&plan, vt_resolved_free);
  plan = plan_ok (caps, plain);
  doc = render_checked (plan, caps, NULL);
  assert_xpath (doc, "count(//input[@bus='virtio'])", "2");
  assert_xpath (doc, "count(//input/driver)", "0");
  xmlFreeDoc (doc);
}

/* auto takes SEV-ES only when a firmware descriptor offers amd-sev-es; with Debian 12's
 * descriptors (amd-sev only) it takes SEV and says why; without descriptors to look at
 * it takes SEV-ES and warns. An explicit sev-es the firmware cannot boot is refused. */
static void
test_sev_auto_by_firmware (void)
{
  g_autoptr (VtDomcaps) caps = fixture_caps (FIXTURE_SEV);
  g_autofree char *text = description ("fw", "securevm", NULL);
  g_autofree char *user = description ("fw", "sev", "settings:\n  guest.sev: sev-es\n");
  g_autoptr (VtResolved) plan = plan_ok (caps, text);
  xmlDocPtr doc;

  assert_provenance (plan, "guest.sev", "sev-es", "host");
  g_assert_true (has_warning (plan, "guest.sev: 'auto' chose sev-es from the domain "
                                    "capabilities (" FIXTURE_SEV ") without seeing the host's "
                                    "QEMU firmware descriptors"));
  g_clear_pointer (&plan, vt_resolved_free);

  fixture_attach_firmware (caps, FW_FEATURES_SEV);
  plan = plan_ok (caps, text);
  assert_provenance (plan, "guest.sev", "sev", "host");
  g_assert_true (has_warning (plan, "guest.sev: 'auto' chose sev, not sev-es (sev-es: no QEMU "
                                    "firmware descriptor offers amd-sev-es, so libvirt finds "
                                    "no firmware to boot it; 1 descriptor in "));
  doc = render_checked (plan, caps, NULL);
  assert_xpath (doc, "string(/domain/launchSecurity/policy)", "0x0003");
  xmlFreeDoc (doc);
  assert_plan_fails (caps, user, VT_ERROR_UNSUPPORTED,
                     "guest.sev: 'sev-es' (locked by policy 'sev') is not supported by this host "
                     "(no QEMU firmware descriptor offers amd-sev-es");
  g_clear_pointer (&plan, vt_resolved_free);

  fixture_attach_firmware (caps, FW_FEATURES_SEV_ES);
  plan = plan_ok (caps, text);
  assert_provenance (plan, "guest.sev", "sev-es", "host");
  g_assert_false (has_warning (plan, "guest.sev"));
}

/* Built-in scenarios alone and combined: every one renders a valid, definable domain,
 * except that those locking guest.sev are refused where the host has no SEV, and those
 * declared incompatible are a Conflict everywhere. */
static const struct {
  const char *scenarios;
  gboolean needs_sev;
  gboolean conflict;
} combinations[] = {
  { NULL, FALSE }, { "default", FALSE }, { "desktop", FALSE }, { "computation", FALSE },
  { "securevm", TRUE }, { "realtime", FALSE }, { "os-testing", FALSE },
  { "migratable", FALSE }, { "windows", FALSE }, { "hugepages", FALSE },
  { "uefi-secureboot", FALSE }, { "sev", TRUE }, { "[desktop, hugepages]", FALSE },
  { "[computation, windows]", FALSE }, { "[desktop, uefi-secureboot]", FALSE },
  { "[securevm, hugepages]", TRUE }, { "[migratable, desktop]", FALSE },
  { "[realtime, uefi-secureboot]", FALSE }, { "[desktop, windows]", FALSE },
  { "[os-testing, desktop]", FALSE },
  /* os-testing's writeback cache would lose writes in a migration. */
  { "[migratable, os-testing]", FALSE, TRUE }, { "[migratable, hugepages]", FALSE, TRUE },
};

static void
test_combinations (void)
{
  const char *hosts[] = { BUNDLED_CAPS, FIXTURE_SEV, FIXTURE_TCG };

  for (gsize h = 0; h < G_N_ELEMENTS (hosts); h++)
    {
      g_autoptr (VtDomcaps) caps = fixture_caps (hosts[h]);
      for (gsize i = 0; i < G_N_ELEMENTS (combinations); i++)
        {
          g_autofree char *text = description ("combo", combinations[i].scenarios, NULL);
          g_autoptr (GError) error = NULL;
          g_autoptr (VtResolved) plan = NULL;

          if (combinations[i].conflict || (combinations[i].needs_sev && !caps->sev))
            {
              int code = combinations[i].conflict ? VT_ERROR_CONFLICT : VT_ERROR_UNSUPPORTED;
              plan = vt_resolve (policies, oses, caps, text, strlen (text), &error);
              g_assert_null (plan);
              g_assert_error (error, VT_ERROR, code);
              continue;
            }
          plan = plan_ok (caps, text);
          xmlFreeDoc (render_checked (plan, caps, NULL));
        }
    }
}

static void
test_deterministic (void)
{
  g_autoptr (VtDomcaps) caps = fixture_caps (FIXTURE_SEV);
  g_autofree char *text = description ("twice", "[securevm, hugepages]", NULL);
  g_autoptr (VtResolved) first = plan_ok (caps, text);
  g_autoptr (VtResolved) second = plan_ok (caps, text);
  g_autoptr (GError) error = NULL;
  g_autofree char *a = vt_domain_render (first, caps, NULL, &error);
  g_autofree char *b = vt_domain_render (second, caps, NULL, &error);
  g_autofree char *c = vt_domain_render (first, caps, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (a, ==, b);
  g_assert_cmpstr (a, ==, c);
}

static void
test_bindings (void)
{
  g_autoptr (VtDomcaps) caps = fixture_caps (FIXTURE_SEV);
  g_autofree char *text = description ("bound", "securevm", NULL);
  g_autoptr (VtResolved) plan = plan_ok (caps, text);
  VtDiskBinding binding = { "/var/lib/libvirt/images/bound-disk0.qcow2", NULL, "qcow2",
                            "d7a3c1e4-5b6f-4a8e-9c0d-1e2f3a4b5c6d" };
  g_autoptr (GError) error = NULL;
  g_autofree char *xml = vt_domain_render (plan, caps, &binding, &error);
  xmlDocPtr doc;

  g_assert_no_error (error);
  assert_schema_valid (xml);
  assert_test_driver_defines (xml);
  doc = parse_domain (xml);
  assert_xpath (doc, "string(//disk/source/@file)", binding.file);
  assert_xpath (doc, "string(//disk/source/encryption/secret/@uuid)", binding.secret_uuid);
  xmlFreeDoc (doc);
}

static void
test_errors_pass_through (void)
{
  g_autoptr (VtDomcaps) caps = fixture_caps (BUNDLED_CAPS);
  const char *bad = "name: x\nvcpus: many\n";
  g_autofree char *unknown = description ("u", "no-such-scenario", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (VtResolved) plan = vt_resolve (policies, oses, caps, bad, strlen (bad), &error);

  g_assert_null (plan);
  g_assert_error (error, VT_ERROR, VT_ERROR_INVALID_DESCRIPTION);
  g_assert_nonnull (strstr (error->message, "vcpus (line 2, column 8)"));
  g_clear_error (&error);
  plan = vt_resolve (policies, oses, caps, unknown, strlen (unknown), &error);
  g_assert_null (plan);
  g_assert_error (error, VT_ERROR, VT_ERROR_UNKNOWN_SCENARIO);
}

int
main (int argc, char **argv)
{
  int rc;

  g_test_init (&argc, &argv, NULL);
  load_policies ();
  make_oses ();
  for (gsize i = 0; i < G_N_ELEMENTS (seed_scenarios); i++)
    {
      g_autofree char *path = g_strdup_printf ("/render/seed/%s", seed_scenarios[i].name);
      g_test_add_data_func (path, &seed_scenarios[i], test_seed_scenario);
    }
  g_test_add_func ("/render/cluster-size-warning", test_cluster_size_warning);
  g_test_add_func ("/render/securevm/sev-host", test_securevm_on_sev_host);
  g_test_add_func ("/render/securevm/no-sev-host", test_securevm_without_sev);
  g_test_add_func ("/render/host/user-value-unsupported", test_user_value_unsupported);
  g_test_add_func ("/render/host/policy-value-falls-back", test_policy_value_falls_back);
  g_test_add_func ("/render/host/unsupported-devices", test_unsupported_devices);
  g_test_add_func ("/render/topology-resolved-vcpus", test_topology_resolved_vcpus);
  g_test_add_func ("/render/requirements/sev", test_sev_requirements);
  g_test_add_func ("/render/requirements/secure-boot", test_secure_boot_requirements);
  g_test_add_func ("/render/features-union", test_features_union);
  g_test_add_func ("/render/sev-lock-accepts-auto-values", test_sev_lock_accepts_auto_values);
  g_test_add_func ("/render/os-layer-applied", test_os_layer_applied);
  g_test_add_func ("/render/cluster-size-only-for-new-qcow2",
                   test_cluster_size_only_for_new_qcow2);
  g_test_add_func ("/render/desktop-secure-boot", test_desktop_secure_boot);
  g_test_add_func ("/render/full-sample/user-cluster", test_full_sample_user_cluster);
  g_test_add_func ("/render/full-sample/renders", test_full_sample);
  g_test_add_func ("/render/sev/launch-data", test_launch_data_rendered);
  g_test_add_func ("/render/sev/launch-data-steers-auto", test_launch_data_steers_auto);
  g_test_add_func ("/render/sev/launch-data-conflicts", test_launch_data_conflicts);
  g_test_add_func ("/render/sev/es-without-smm", test_sev_es_without_smm);
  g_test_add_func ("/render/sev/es-on-reboot", test_sev_es_on_reboot);
  g_test_add_func ("/render/sev/virtio-input-iommu", test_sev_virtio_input_iommu);
  g_test_add_func ("/render/sev/auto-by-firmware", test_sev_auto_by_firmware);
  g_test_add_func ("/render/combinations", test_combinations);
  g_test_add_func ("/render/deterministic", test_deterministic);
  g_test_add_func ("/render/bindings", test_bindings);
  g_test_add_func ("/render/errors-pass-through", test_errors_pass_through);
  rc = g_test_run ();
  vt_policy_set_free (policies);
  vt_os_table_free (oses);
  xmlCleanupParser ();
  return rc;
}
