/* The realtime scenario (libvirt kbase "KVM real time"): the CPU-list grammar, the host
 * topology read from host capabilities, the pinning the host layer chooses from it, and
 * the domain it renders, from the real policies. Every rendered domain is checked by
 * XPath, by libvirt's RNG validator and by a define in libvirt's test driver. */
#include <string.h>

#include "domain/domain.h"
#include "merge/resolve.h"
#include "model/cpuset.h"
#include "model/host-topology.h"
#include "render-fixture.h"
#include "util/xml.h"

#define CAPS_2CPU "tests/data/domcaps/caps-qemu7.2-x86_64.xml"
#define CAPS_SMT8 "tests/data/domcaps/caps-smt8-x86_64.xml"
#define TSC_DEADLINE "<feature name='tsc-deadline'/>"

/* ---- the CPU-list grammar ------------------------------------------------------------ */

static void
test_cpuset_good (void)
{
  static const char *const cases[][2] = {
    { "0", "0" },         { "2-7,10", "2-7,10" }, { "1,0", "0-1" },   { "0,1,2", "0-2" },
    { "5,3-4", "3-5" },   { "2-3,3-6", "2-6" },   { "7-7", "7" },     { "8191", "8191" },
    { "0-8191", "0-8191" }, { "1,3,5", "1,3,5" }, { "0-1,3-4", "0-1,3-4" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autofree char *canonical = NULL;

      g_assert_true (vt_cpuset_normalize (cases[i][0], &canonical, &error));
      g_assert_no_error (error);
      g_assert_cmpstr (canonical, ==, cases[i][1]);
    }
}

static void
test_cpuset_bad (void)
{
  static const char *const cases[][2] = {
    { "", "it is empty" },
    { ",", "each item is a CPU id" },         { "1,", "each item is a CPU id" },
    { ",1", "each item is a CPU id" },        { "1,,2", "each item is a CPU id" },
    { "a", "each item is a CPU id" },         { "-1", "each item is a CPU id" },
    { "+1", "each item is a CPU id" },        { "01", "each item is a CPU id" },
    { "8192", "each item is a CPU id" },      { "99999999999999999999", "each item is" },
    { " 1", "each item is a CPU id" },        { "1-", "a range ends with a CPU id" },
    { "1-8192", "a range ends with" },        { "3-1", "a range N-M needs N <= M" },
    { "1 ,2", "separated by commas" },        { "1-2-3", "separated by commas" },
    { "1;2", "separated by commas" },         { "0x1", "separated by commas" },
    { "1\x1b[2J", "'1\\x1b[2J' is not a CPU list" },
  };
  g_autofree char *huge = g_strnfill (VT_CPUSET_MAX_CHARS + 1, '1');

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (GArray) cpus = vt_cpuset_parse (cases[i][0], &error);

      g_assert_null (cpus);
      g_assert_error (error, VT_ERROR, VT_ERROR_INVALID_DESCRIPTION);
      if (!strstr (error->message, cases[i][1]) || !strstr (error->message, "not a CPU list"))
        g_error ("'%s': %s", cases[i][0], error->message);
    }
  {
    g_autoptr (GError) error = NULL;
    g_assert_null (vt_cpuset_parse (huge, &error));
    g_assert_nonnull (strstr (error->message, "longer than 40000 characters"));
    /* The echo is bounded: the message does not carry the 40001 characters. */
    g_assert_cmpuint (strlen (error->message), <, 200);
  }
}

/* ---- the host topology --------------------------------------------------------------- */

static VtHostTopology *
topology_ok (const char *text)
{
  g_autoptr (GError) error = NULL;
  VtHostTopology *topology = vt_host_topology_parse (text, strlen (text), &error);

  g_assert_no_error (error);
  g_assert_nonnull (topology);
  return topology;
}

static void
assert_siblings (const VtHostTopology *topology, guint id, const char *expected)
{
  const VtHostCpu *cpu = vt_host_topology_cpu (topology, id);
  g_autofree char *text = NULL;

  g_assert_nonnull (cpu);
  text = vt_cpuset_format ((const guint *) cpu->siblings->data, cpu->siblings->len);
  g_assert_cmpstr (text, ==, expected);
}

static void
test_topology_fixtures (void)
{
  g_autofree char *two = fixture_text (CAPS_2CPU);
  g_autofree char *smt = fixture_text (CAPS_SMT8);
  g_autofree char *no_tsc = fixture_text_variant (CAPS_SMT8, (const char *const[]) { TSC_DEADLINE,
                                            NULL }, (const char *const[]) { "", NULL });
  g_autoptr (VtHostTopology) a = topology_ok (two);
  g_autoptr (VtHostTopology) b = topology_ok (smt);
  g_autoptr (VtHostTopology) c = topology_ok (no_tsc);

  g_assert_cmpuint (a->cpus->len, ==, 2);
  assert_siblings (a, 0, "0");
  assert_siblings (a, 1, "1");
  g_assert_true (a->tsc_deadline);
  g_assert_cmpuint (b->cpus->len, ==, 8);
  assert_siblings (b, 0, "0,4");
  assert_siblings (b, 7, "3,7");
  g_assert_cmpuint (vt_host_topology_cpu (b, 5)->core_id, ==, 1);
  g_assert_null (vt_host_topology_cpu (b, 8));
  g_assert_true (b->tsc_deadline);
  g_assert_false (c->tsc_deadline);
}

/* What libvirt itself writes: its test driver's host, two NUMA cells of 8 CPUs. */
static void
test_topology_from_libvirt (void)
{
  virConnectPtr conn = virConnectOpen ("test:///default");
  char *xml;
  g_autoptr (VtHostTopology) topology = NULL;

  g_assert_nonnull (conn);
  xml = virConnectGetCapabilities (conn);
  g_assert_nonnull (xml);
  topology = topology_ok (xml);
  free (xml);
  virConnectClose (conn);
  g_assert_cmpuint (topology->cpus->len, ==, 16);
  assert_siblings (topology, 0, "0");
  assert_siblings (topology, 15, "15");
}

/* An offline CPU is listed with its id only: it is left out, not an error. */
static void
test_topology_offline_cpu (void)
{
  g_autofree char *text = fixture_text_variant (
    CAPS_SMT8,
    (const char *const[]) { "<cpu id='3' socket_id='0' die_id='0' core_id='3' siblings='3,7'/>",
                            NULL },
    (const char *const[]) { "<cpu id='3'/>", NULL });
  g_autoptr (VtHostTopology) topology = topology_ok (text);

  g_assert_cmpuint (topology->cpus->len, ==, 7);
  g_assert_null (vt_host_topology_cpu (topology, 3));
}

static void
assert_topology_error (const char *text, const char *fragment)
{
  g_autoptr (GError) error = NULL;

  g_assert_null (vt_host_topology_parse (text, strlen (text), &error));
  g_assert_error (error, VT_ERROR, VT_ERROR_FAILED);
  if (!strstr (error->message, fragment))
    g_error ("expected '%s' in: %s", fragment, error->message);
}

static void
test_topology_bad (void)
{
  static const char *const cpu1 =
    "<cpu id='1' socket_id='0' die_id='0' core_id='1' siblings='1,5'/>";
  static const struct { const char *to, *fragment; } edits[] = {
    { "<cpu id='1' socket_id='0' die_id='0' core_id='1' siblings='x'/>", "malformed siblings" },
    { "<cpu id='9000' socket_id='0' die_id='0' core_id='1' siblings='1'/>", "has no id up to" },
    { "<cpu id='0' socket_id='0' die_id='0' core_id='0' siblings='0,4'/>", "listed twice" },
    { "<cpu socket_id='0' core_id='1' siblings='1'/>", "has no id" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (edits); i++)
    {
      g_autofree char *text = fixture_text_variant (CAPS_SMT8, (const char *const[]) { cpu1, NULL },
                                              (const char *const[]) { edits[i].to, NULL });
      assert_topology_error (text, edits[i].fragment);
    }
  assert_topology_error ("<capabilities/>", "lists no online CPU");
  assert_topology_error ("<capabilities><host><topology>", "not a well-formed");
  assert_topology_error ("<domainCapabilities/>", "not a well-formed <capabilities>");
}

/* A failed read keeps what the document had. */
static void
test_domcaps_keeps_topology (void)
{
  g_autoptr (VtDomcaps) caps = fixture_caps (FIXTURE_KVM);
  g_autofree char *text = fixture_text (CAPS_SMT8);
  g_autoptr (GError) error = NULL;

  g_assert_null (caps->topology);
  g_assert_true (vt_domcaps_add_host_topology (caps, text, strlen (text), &error));
  g_assert_cmpuint (caps->topology->cpus->len, ==, 8);
  g_assert_false (vt_domcaps_add_host_topology (caps, "<capabilities/>", 15, &error));
  g_assert_error (error, VT_ERROR, VT_ERROR_FAILED);
  g_assert_cmpuint (caps->topology->cpus->len, ==, 8);
}

/* ---- resolution and rendering -------------------------------------------------------- */

/* FIXTURE_KVM's domain capabilities with @host_caps' topology (NULL: none). */
static VtDomcaps *
caps_with (const char *host_caps)
{
  VtDomcaps *caps = fixture_caps (FIXTURE_KVM);
  g_autoptr (GError) error = NULL;

  if (host_caps)
    g_assert_true (vt_domcaps_add_host_topology (caps, host_caps, strlen (host_caps), &error));
  g_assert_no_error (error);
  return caps;
}

static VtDomcaps *
caps_from (const char *relative)
{
  g_autofree char *text = relative ? fixture_text (relative) : NULL;

  return caps_with (text);
}

/* A realtime description of @vcpus vCPUs; @settings lines go under settings:. */
static char *
realtime_desc (const char *scenarios, guint vcpus, const char *settings)
{
  return g_strdup_printf ("name: rt\nscenario: %s\nvcpus: %u\nmemory: 2GiB\n"
                          "disks:\n  - pool: default\n    size: 1GiB\n%s%s",
                          scenarios, vcpus, settings ? "settings:\n" : "",
                          settings ? settings : "");
}

static VtResolved *
resolve (const VtDomcaps *caps, const char *scenarios, guint vcpus, const char *settings,
         GError **error)
{
  g_autofree char *text = realtime_desc (scenarios, vcpus, settings);

  return vt_resolve (policies, oses, caps, text, strlen (text), error);
}

static VtResolved *
resolve_ok (const VtDomcaps *caps, guint vcpus, const char *settings)
{
  g_autoptr (GError) error = NULL;
  VtResolved *plan = resolve (caps, "realtime", vcpus, settings, &error);

  g_assert_no_error (error);
  g_assert_nonnull (plan);
  return plan;
}

static void
assert_resolve_error (const VtDomcaps *caps, const char *scenarios, guint vcpus,
                      const char *settings, gint code, const char *fragment)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (VtResolved) plan = resolve (caps, scenarios, vcpus, settings, &error);

  g_assert_null (plan);
  g_assert_error (error, VT_ERROR, code);
  if (!strstr (error->message, fragment))
    g_error ("expected '%s' in: %s", fragment, error->message);
}

static void
assert_setting (const VtResolved *plan, const char *key, const char *value, const char *layer)
{
  const VtSetting *s = vt_settings_lookup (plan->merge->settings, key);

  g_assert_nonnull (s);
  g_assert_cmpstr (s->value, ==, value);
  g_assert_cmpstr (s->layer, ==, layer);
}

/* Everything the kbase asks for, on the 8-CPU SMT host with 2 vCPUs: housekeeping is
 * CPU 0's core (0 and its sibling 4), the vCPUs take the whole next core (1 and 5). */
static void
test_render_smt8 (void)
{
  g_autoptr (VtDomcaps) caps = caps_from (CAPS_SMT8);
  g_autoptr (VtResolved) plan = resolve_ok (caps, 2, NULL);
  xmlDocPtr doc;

  assert_setting (plan, "guest.cpu.pinning", "on", "scenario:realtime");
  assert_setting (plan, "guest.cpu.pinning.vcpus", "1,5", "host");
  assert_setting (plan, "guest.cpu.pinning.emulator", "0,4", "host");
  doc = render_checked (plan, caps, NULL);
  assert_xpath (doc, "count(/domain/cputune/vcpupin)", "2");
  assert_xpath (doc, "string(/domain/cputune/vcpupin[@vcpu='0']/@cpuset)", "1");
  assert_xpath (doc, "string(/domain/cputune/vcpupin[@vcpu='1']/@cpuset)", "5");
  assert_xpath (doc, "string(/domain/cputune/emulatorpin/@cpuset)", "0,4");
  assert_xpath (doc, "string(/domain/cputune/iothreadpin[@iothread='1']/@cpuset)", "0,4");
  assert_xpath (doc, "string(/domain/cputune/vcpusched/@vcpus)", "0-1");
  assert_xpath (doc, "string(/domain/cputune/vcpusched/@scheduler)", "fifo");
  assert_xpath (doc, "string(/domain/cputune/vcpusched/@priority)", "1");
  assert_xpath (doc, "name(/domain/cputune/preceding-sibling::*[1])", "iothreads");
  assert_xpath (doc, "count(/domain/memoryBacking/hugepages)", "1");
  assert_xpath (doc, "count(/domain/memoryBacking/nosharepages)", "1");
  assert_xpath (doc, "count(/domain/memoryBacking/locked)", "1");
  assert_xpath (doc, "name(/domain/memoryBacking/nosharepages/following-sibling::*[1])",
                "locked");
  assert_xpath (doc, "string(/domain/features/pmu/@state)", "off");
  assert_xpath (doc, "string(/domain/cpu/@mode)", "host-passthrough");
  assert_xpath (doc, "string(/domain/cpu/feature[@name='tsc-deadline']/@policy)", "require");
  assert_xpath (doc, "string(//memballoon/@model)", "none");
  assert_xpath (doc, "count(//graphics)", "0");
  assert_xpath (doc, "string(//video/model/@type)", "none");
  xmlFreeDoc (doc);
}

/* Whole free cores first: 3 vCPUs take core 1 (1, 5), then one CPU of core 2. */
static void
test_whole_cores_first (void)
{
  g_autoptr (VtDomcaps) caps = caps_from (CAPS_SMT8);
  g_autoptr (VtResolved) three = resolve_ok (caps, 3, NULL);
  g_autoptr (VtResolved) six = resolve_ok (caps, 6, NULL);
  xmlDocPtr doc;

  assert_setting (three, "guest.cpu.pinning.vcpus", "1-2,5", "host");
  assert_setting (six, "guest.cpu.pinning.vcpus", "1-3,5-7", "host");
  doc = render_checked (six, caps, NULL);
  assert_xpath (doc, "string(/domain/cputune/vcpupin[@vcpu='5']/@cpuset)", "7");
  assert_xpath (doc, "string(/domain/cputune/vcpusched/@vcpus)", "0-5");
  xmlFreeDoc (doc);
}

static void
test_too_few_cpus (void)
{
  g_autoptr (VtDomcaps) smt8 = caps_from (CAPS_SMT8);
  g_autoptr (VtDomcaps) two = caps_from (CAPS_2CPU);
  g_autoptr (VtResolved) one = resolve_ok (two, 1, NULL);
  xmlDocPtr doc;

  assert_resolve_error (smt8, "realtime", 7, NULL, VT_ERROR_UNSUPPORTED,
                        "guest.cpu.pinning needs 9 host CPUs for 7 vCPUs (2 housekeeping for "
                        "the emulator and I/O threads, one of its own for each vCPU), and this "
                        "host has 8");
  assert_resolve_error (two, "realtime", 2, NULL, VT_ERROR_UNSUPPORTED,
                        "needs 3 host CPUs for 2 vCPUs (1 housekeeping");
  /* The 2-CPU host (the CI machine's shape) fits one vCPU. */
  assert_setting (one, "guest.cpu.pinning.vcpus", "1", "host");
  assert_setting (one, "guest.cpu.pinning.emulator", "0", "host");
  doc = render_checked (one, two, NULL);
  assert_xpath (doc, "string(/domain/cputune/vcpupin[@vcpu='0']/@cpuset)", "1");
  assert_xpath (doc, "string(/domain/cputune/vcpusched/@vcpus)", "0");
  xmlFreeDoc (doc);
}

/* The admin's lists: chosen from, checked against the host and each other. */
static void
test_admin_lists (void)
{
  g_autoptr (VtDomcaps) caps = caps_from (CAPS_SMT8);
  g_autoptr (VtResolved) wide = resolve_ok (caps, 2, "  guest.cpu.pinning.vcpus: 2-3,6-7\n");
  g_autoptr (VtResolved) exact = resolve_ok (caps, 2, "  guest.cpu.pinning.vcpus: 2,6\n");
  g_autoptr (VtResolved) emu = resolve_ok (caps, 6, "  guest.cpu.pinning.emulator: 0\n");

  assert_setting (wide, "guest.cpu.pinning.vcpus", "2,6", "host");
  assert_setting (wide, "guest.cpu.pinning.emulator", "0-1,4-5", "host");
  assert_setting (exact, "guest.cpu.pinning.vcpus", "2,6", "user");
  /* CPU 4 shares CPU 0's core, where the emulator runs: the last one chosen. */
  assert_setting (emu, "guest.cpu.pinning.vcpus", "1-3,5-7", "host");
  assert_setting (emu, "guest.cpu.pinning.emulator", "0", "user");
  assert_resolve_error (caps, "realtime", 2, "  guest.cpu.pinning.vcpus: 6-11\n",
                        VT_ERROR_UNSUPPORTED, "guest.cpu.pinning.vcpus: '6-11' names CPUs 8-11, "
                        "which this host does not have online (it has 0-7)");
  assert_resolve_error (caps, "realtime", 2, "  guest.cpu.pinning.emulator: 8\n",
                        VT_ERROR_UNSUPPORTED, "names CPU 8, which");
  assert_resolve_error (caps, "realtime", 2, "  guest.cpu.pinning.vcpus: 0-7\n",
                        VT_ERROR_UNSUPPORTED, "leaves none for the emulator");
  assert_resolve_error (caps, "realtime", 2, "  guest.cpu.pinning.vcpus: 2\n",
                        VT_ERROR_UNSUPPORTED, "pinning 2 vCPUs takes 2 host CPUs of their own, "
                        "and the list leaves 1");
  assert_resolve_error (caps, "realtime", 2,
                        "  guest.cpu.pinning.vcpus: 1-3\n  guest.cpu.pinning.emulator: 3-4\n",
                        VT_ERROR_CONFLICT, "share CPU 3:");
  assert_resolve_error (caps, "realtime", 2, "  guest.cpu.pinning.vcpus: 1 - 3\n",
                        VT_ERROR_INVALID_DESCRIPTION, "is not a CPU list");
}

/* No topology (a saved domain-capabilities document): the scenario's pinning turns off
 * with a warning; the user's own is refused. Real-time scheduling stays. */
static void
test_no_topology (void)
{
  g_autoptr (VtDomcaps) caps = caps_from (NULL);
  g_autoptr (VtResolved) plan = resolve_ok (caps, 2, NULL);
  gboolean warned = FALSE;
  xmlDocPtr doc;

  for (guint i = 0; i < plan->merge->warnings->len; i++)
    warned |= strstr (g_ptr_array_index (plan->merge->warnings, i),
                      "the vCPUs are not pinned") != NULL;
  g_assert_true (warned);
  assert_setting (plan, "guest.cpu.pinning", "off", "host");
  doc = render_checked (plan, caps, NULL);
  assert_xpath (doc, "count(/domain/cputune/vcpupin)", "0");
  assert_xpath (doc, "count(/domain/cputune/emulatorpin)", "0");
  assert_xpath (doc, "string(/domain/cputune/vcpusched/@scheduler)", "fifo");
  assert_xpath (doc, "count(/domain/cpu/feature)", "0");
  xmlFreeDoc (doc);
  assert_resolve_error (caps, "realtime", 2, "  guest.cpu.pinning: on\n", VT_ERROR_UNSUPPORTED,
                        "guest.cpu.pinning: 'on' (requested explicitly) needs the host's CPU "
                        "topology");
}

static void
test_no_tsc_deadline (void)
{
  g_autofree char *text = fixture_text_variant (CAPS_SMT8, (const char *const[]) { TSC_DEADLINE,
                                          NULL }, (const char *const[]) { "", NULL });
  g_autoptr (VtDomcaps) caps = caps_with (text);
  g_autoptr (VtResolved) plan = resolve_ok (caps, 2, NULL);
  xmlDocPtr doc = render_checked (plan, caps, NULL);

  assert_xpath (doc, "count(/domain/cpu/feature)", "0");
  assert_xpath (doc, "count(/domain/cputune/vcpupin)", "2");
  xmlFreeDoc (doc);
}

static void
test_conflicts_migratable (void)
{
  g_autoptr (VtDomcaps) caps = caps_from (CAPS_SMT8);

  assert_resolve_error (caps, "[realtime, migratable]", 2, NULL, VT_ERROR_CONFLICT,
                        "policies 'realtime' and 'migratable' cannot be combined");
}

static void
test_deterministic (void)
{
  g_autoptr (VtDomcaps) caps = caps_from (CAPS_SMT8);
  g_autoptr (VtResolved) a = resolve_ok (caps, 4, NULL);
  g_autoptr (VtResolved) b = resolve_ok (caps, 4, NULL);
  g_autofree char *xa = NULL;
  g_autofree char *xb = NULL;

  xmlFreeDoc (render_checked (a, caps, &xa));
  xmlFreeDoc (render_checked (b, caps, &xb));
  g_assert_cmpstr (xa, ==, xb);
}

/* Settings no host layer saw (auto, or a list of the wrong length) are not written as
 * pinning: the builder refuses them. */
static void
test_builder_needs_resolved (void)
{
  g_autoptr (VtDomcaps) caps = caps_from (CAPS_SMT8);
  g_autoptr (VtResolved) plan = resolve_ok (caps, 2, NULL);
  static const char *const values[] = { "auto", "1", "1-3" };

  for (gsize i = 0; i < G_N_ELEMENTS (values); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autofree char *xml = NULL;

      vt_settings_set (plan->merge->settings, "guest.cpu.pinning.vcpus", values[i], "user");
      xml = vt_domain_render (plan, caps, NULL, &error);
      g_assert_null (xml);
      g_assert_error (error, VT_ERROR, VT_ERROR_FAILED);
      g_assert_nonnull (strstr (error->message, "was not resolved to one per vCPU"));
    }
}

/* The largest host a CPU list can name (8192 CPUs, 4096 SMT cores, siblings N,N+4096)
 * and the most vCPUs a guest can have: resolved whole cores first, in bounded time. */
static void
test_large_host (void)
{
  g_autoptr (GString) xml = g_string_new ("<capabilities><host><topology><cells num='1'>"
                                          "<cell id='0'><cpus num='8192'>");
  g_autoptr (VtDomcaps) caps = NULL;
  g_autoptr (VtResolved) plan = NULL;
  g_autoptr (GTimer) timer = NULL;

  for (guint id = 0; id <= VT_CPUSET_MAX_CPU; id++)
    g_string_append_printf (xml, "<cpu id='%u' socket_id='0' core_id='%u' siblings='%u,%u'/>",
                            id, id % 4096, id % 4096, id % 4096 + 4096);
  g_string_append (xml, "</cpus></cell></cells></topology></host></capabilities>");
  /* QEMU 7.2's q35 takes 288 vCPUs; a later one takes more. */
  caps = fixture_variant (FIXTURE_KVM, (const char *const[]) { "<vcpu max='288'/>", NULL },
                          (const char *const[]) { "<vcpu max='4096'/>", NULL });
  g_assert_true (vt_domcaps_add_host_topology (caps, xml->str, xml->len, NULL));
  timer = g_timer_new ();
  plan = resolve_ok (caps, 4096, NULL);
  g_test_message ("8192-CPU host, 4096 vCPUs: resolved in %.3f s", g_timer_elapsed (timer, NULL));
  assert_setting (plan, "guest.cpu.pinning.vcpus", "1-2048,4097-6144", "host");
  assert_setting (plan, "guest.cpu.pinning.emulator", "0,4096", "host");
  g_assert_cmpfloat (g_timer_elapsed (timer, NULL), <, 5.0);
}

/* An admin's CPU list for every guest: a local scenario that includes realtime. */
static void
test_local_policy (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("vt-rt-policy-XXXXXX", &error);
  g_autofree char *builtin = fixture_path ("data/policies");
  g_autofree char *file = g_build_filename (dir, "rt-lab.yaml", NULL);
  const char *dirs[] = { builtin, dir, NULL };
  g_autoptr (GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (VtPolicySet) set = NULL;
  g_autoptr (VtDomcaps) caps = caps_from (CAPS_SMT8);
  g_autofree char *text = realtime_desc ("rt-lab", 2, NULL);
  g_autoptr (VtResolved) plan = NULL;

  g_assert_no_error (error);
  g_file_set_contents (file, "summary: lab\ninclude: [realtime]\nsettings:\n"
                       "  guest.cpu.pinning.vcpus: 2-3,6-7\n", -1, &error);
  g_assert_no_error (error);
  set = vt_policy_set_load (dirs, problems);
  g_assert_cmpuint (problems->len, ==, 0);
  plan = vt_resolve (set, NULL, caps, text, strlen (text), &error);
  g_assert_no_error (error);
  assert_setting (plan, "guest.cpu.pinning.vcpus", "2,6", "host");
  assert_setting (plan, "guest.cpu.pinning.emulator", "0-1,4-5", "host");
  g_unlink (file);
  g_rmdir (dir);
}

/* guest.pmu alone, on a domain without feature words, makes <features>. */
static void
test_pmu_without_features (void)
{
  g_autoptr (VtDomcaps) caps = caps_from (NULL);
  g_autofree char *text = g_strdup ("name: p\nmemory: 1GiB\nsettings:\n  guest.features: []\n"
                                    "  guest.pmu: off\n");
  g_autoptr (GError) error = NULL;
  g_autoptr (VtResolved) plan = vt_resolve (policies, NULL, caps, text, strlen (text), &error);
  xmlDocPtr doc;

  g_assert_no_error (error);
  doc = render_checked (plan, caps, NULL);
  assert_xpath (doc, "count(/domain/features/*)", "2");   /* pmu and vmport */
  assert_xpath (doc, "string(/domain/features/pmu/@state)", "off");
  assert_xpath (doc, "name(/domain/features/preceding-sibling::*[1])", "os");
  xmlFreeDoc (doc);
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  load_policies ();
  g_test_add_func ("/realtime/cpuset/good", test_cpuset_good);
  g_test_add_func ("/realtime/cpuset/bad", test_cpuset_bad);
  g_test_add_func ("/realtime/topology/fixtures", test_topology_fixtures);
  g_test_add_func ("/realtime/topology/from-libvirt", test_topology_from_libvirt);
  g_test_add_func ("/realtime/topology/offline-cpu", test_topology_offline_cpu);
  g_test_add_func ("/realtime/topology/bad", test_topology_bad);
  g_test_add_func ("/realtime/topology/failed-read-keeps", test_domcaps_keeps_topology);
  g_test_add_func ("/realtime/render/smt8", test_render_smt8);
  g_test_add_func ("/realtime/pinning/whole-cores-first", test_whole_cores_first);
  g_test_add_func ("/realtime/pinning/too-few-cpus", test_too_few_cpus);
  g_test_add_func ("/realtime/pinning/admin-lists", test_admin_lists);
  g_test_add_func ("/realtime/pinning/no-topology", test_no_topology);
  g_test_add_func ("/realtime/pinning/large-host", test_large_host);
  g_test_add_func ("/realtime/pinning/local-policy", test_local_policy);
  g_test_add_func ("/realtime/render/no-tsc-deadline", test_no_tsc_deadline);
  g_test_add_func ("/realtime/conflicts-migratable", test_conflicts_migratable);
  g_test_add_func ("/realtime/render/deterministic", test_deterministic);
  g_test_add_func ("/realtime/render/builder-needs-resolved", test_builder_needs_resolved);
  g_test_add_func ("/realtime/render/pmu-without-features", test_pmu_without_features);
  status = g_test_run ();
  vt_policy_set_free (policies);
  return status;
}
