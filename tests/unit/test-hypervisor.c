/* The libvirt hosts' core (issue 13) against libvirt's in-process test driver and saved
 * documents: where a host's capabilities come from and when they are read again, the
 * errors that name a host, the parallel runner, and Plan's verdicts. Real remote hosts
 * are tests/system/test-connections-remote.sh's. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "domcaps-fixtures.h"
#include "libvirt/hypervisors.h"
#include "libvirt/placement.h"
#include "util/error.h"

static VtConnectionConfig *
connection (const char *name, const char *uri, const char *saved)
{
  VtConnectionConfig *config = vt_connection_config_new (name, uri);

  config->domcaps_path = saved != NULL ? fixture_path (saved) : NULL;
  return config;
}

static VtHypervisor *
hypervisor (const char *name, const char *uri, const char *saved)
{
  g_autoptr (VtConnectionConfig) config = connection (name, uri, saved);
  g_autofree char *fallback = fixture_path (BUNDLED_CAPS);

  return vt_hypervisor_new (config, "/", fallback);
}

/* A saved document is the host's capabilities: read once, no connection opened. */
static void
test_saved_caps (void)
{
  g_autoptr (VtHypervisor) hv = hypervisor ("sev", "qemu+tcp://127.0.0.1:1/system", FIXTURE_SEV);
  g_autoptr (GError) error = NULL;
  g_autoptr (VtHostCaps) caps = vt_hypervisor_caps (hv, &error);
  g_autoptr (VtHostCaps) again = vt_hypervisor_caps (hv, &error);

  g_assert_no_error (error);
  g_assert_true (caps->domcaps->sev);
  g_assert_null (caps->warning);
  g_assert_true (caps == again);
  g_assert_cmpint (vt_connection_reachability (vt_hypervisor_connection (hv)), ==,
                   VT_REACHABILITY_UNKNOWN);
  g_assert_false (vt_hypervisor_is_local (hv));
}

/* A driver without domain capabilities gets the generic document with a warning, kept
 * while the connection stays the same. */
static void
test_driver_without_caps (void)
{
  g_autoptr (VtHypervisor) hv = hypervisor ("t", "test:///default", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (VtHostCaps) none = vt_hypervisor_cached_caps (hv);
  g_autoptr (VtHostCaps) caps = NULL;
  g_autoptr (VtHostCaps) again = NULL;
  g_autoptr (VtHostCaps) cached = NULL;

  /* Logged once: the second call finds it cached. */
  g_test_expect_message ("virtuned", G_LOG_LEVEL_WARNING, "host capabilities unavailable*");
  caps = vt_hypervisor_caps (hv, &error);
  again = vt_hypervisor_caps (hv, &error);
  cached = vt_hypervisor_cached_caps (hv);
  g_test_assert_expected_messages ();
  g_assert_no_error (error);
  g_assert_null (none);
  g_assert_nonnull (strstr (caps->warning, "host capabilities unavailable"));
  g_assert_cmpuint (caps->generation, ==, 1);
  g_assert_true (caps == again && caps == cached);
  g_assert_true (vt_hypervisor_is_local (hv));
  g_assert_cmpint (vt_connection_reachability (vt_hypervisor_connection (hv)), ==,
                   VT_REACHABILITY_YES);
}

static void
on_reachability (VtHypervisor *hv, gboolean reachable, gpointer data)
{
  g_ptr_array_add (data, g_strdup_printf ("%s %s", vt_hypervisor_name (hv),
                                          reachable ? "up" : "down"));
}

/* A host that cannot be reached: an error naming it, no generic document, and the
 * watch told once. */
static void
test_unreachable (void)
{
  g_autoptr (VtHypervisor) hv = hypervisor ("gone", "qemu+tcp://127.0.0.1:1/system", NULL);
  g_autoptr (GPtrArray) changes = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GError) error = NULL;
  g_autoptr (GError) second = NULL;
  g_autoptr (VtHostCaps) caps = NULL;

  vt_hypervisor_set_watch (hv, on_reachability, changes);
  caps = vt_hypervisor_caps (hv, &error);
  g_assert_null (caps);
  g_assert_error (error, VT_ERROR, VT_ERROR_LIBVIRT);
  g_assert_true (g_str_has_prefix (error->message, "connection 'gone': cannot connect to "
                                   "qemu+tcp://127.0.0.1:1/system"));
  g_assert_null (vt_hypervisor_caps (hv, &second));
  g_assert_nonnull (second);
  g_assert_cmpuint (changes->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (changes, 0), ==, "gone down");
}

/* The start's variant renders for the generic host when the default one is down. */
static void
test_unreachable_at_start (void)
{
  g_autoptr (VtHypervisor) hv = hypervisor ("default", "qemu+tcp://127.0.0.1:1/system", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (VtHostCaps) caps = NULL;

  g_test_expect_message ("virtuned", G_LOG_LEVEL_WARNING, "host capabilities unavailable*");
  caps = vt_hypervisor_caps_or_fallback (hv, &error);
  g_test_assert_expected_messages ();
  g_assert_no_error (error);
  g_assert_nonnull (strstr (caps->warning, "cannot connect to qemu+tcp://127.0.0.1:1/system"));
  g_assert_cmpuint (caps->generation, ==, 0);
}

static GPtrArray *
set_configs (void)
{
  GPtrArray *configs = g_ptr_array_new_with_free_func ((GDestroyNotify) vt_connection_config_free);

  g_ptr_array_add (configs, connection ("default", "test:///default", NULL));
  g_ptr_array_add (configs, connection ("sev", "test:///default", FIXTURE_SEV));
  g_ptr_array_add (configs, connection ("gone", "qemu+tcp://127.0.0.1:1/system", NULL));
  return configs;
}

static void
test_set_lookup (void)
{
  g_autoptr (GPtrArray) configs = set_configs ();
  g_autoptr (VtHypervisors) set = vt_hypervisors_new (configs, "/", NULL);
  g_autofree char *names = vt_hypervisors_names (set);

  g_assert_cmpuint (vt_hypervisors_count (set), ==, 3);
  g_assert_true (vt_hypervisors_find (set, NULL) == vt_hypervisors_default (set));
  g_assert_cmpstr (vt_hypervisor_name (vt_hypervisors_find (set, "sev")), ==, "sev");
  g_assert_null (vt_hypervisors_find (set, "nosuch"));
  g_assert_null (vt_hypervisors_find (set, ""));
  g_assert_cmpstr (names, ==, "default, sev, gone");
}

static VtPolicySet *
policies (void)
{
  g_autofree char *dir = fixture_path ("data/policies");
  const char *dirs[] = { dir, NULL };
  g_autoptr (GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);

  return vt_policy_set_load (dirs, problems);
}

static GPtrArray *
all (VtHypervisors *set)
{
  GPtrArray *hosts = g_ptr_array_new ();

  for (guint i = 0; i < vt_hypervisors_count (set); i++)
    g_ptr_array_add (hosts, vt_hypervisors_nth (set, i));
  return hosts;
}

static const VtPlacement *
placement (GPtrArray *plan, guint i)
{
  return g_ptr_array_index (plan, i);
}

static gboolean
has_reason (const VtPlacement *p, const char *part)
{
  for (guint i = 0; i < p->reasons->len; i++)
    if (strstr (g_ptr_array_index (p->reasons, i), part) != NULL)
      return TRUE;
  return FALSE;
}

/* Plan of @text for the hosts of @configs, with the built-in policies. */
static GPtrArray *
plan_for (GPtrArray *configs, const char *text, GError **error)
{
  g_autoptr (VtHypervisors) set = vt_hypervisors_new (configs, "/", NULL);
  g_autoptr (VtPolicySet) set_policies = policies ();
  g_autoptr (GPtrArray) hosts = all (set);
  VtPlanRequest request = { set_policies, NULL, text, strlen (text) };

  return vt_plan (hosts, &request, error);
}

/* One verdict per host, in order: SEV only where the capabilities offer it, the dead
 * host named, and the test driver's resources (16 CPUs, 3 MiB free) counted. */
static void
test_plan (void)
{
  g_autoptr (GPtrArray) configs = set_configs ();
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) plan = plan_for (
      configs, "name: p1\nscenario: securevm\nvcpus: 20\nmemory: 1GiB\n", &error);

  g_assert_no_error (error);
  g_assert_cmpuint (plan->len, ==, 3);
  g_assert_cmpstr (placement (plan, 0)->name, ==, "default");
  g_assert_false (placement (plan, 0)->fits);
  /* No fallback document given: the test driver's missing capabilities are the reason. */
  g_assert_true (has_reason (placement (plan, 0), "cannot report domain capabilities"));
  g_assert_cmpstr (placement (plan, 1)->name, ==, "sev");
  g_assert_false (has_reason (placement (plan, 1), "SEV"));
  g_assert_true (has_reason (placement (plan, 1), "too few CPUs: the host has 16, the VM needs 20"));
  g_assert_true (has_reason (placement (plan, 1), "too little free memory"));
  g_assert_true (placement (plan, 1)->warnings->len > 0);
  g_assert_true (has_reason (placement (plan, 2), "connection 'gone': cannot connect"));
}

/* A machine type newer than a host's QEMU is that host's reason, not the other's. */
static void
test_plan_machine_too_old (void)
{
  g_autoptr (GPtrArray) configs =
    g_ptr_array_new_with_free_func ((GDestroyNotify) vt_connection_config_free);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) plan = NULL;

  g_ptr_array_add (configs, connection ("qemu72", "test:///default", FIXTURE_KVM));
  g_ptr_array_add (configs, connection ("qemu92", "test:///default", FIXTURE_SEV));
  plan = plan_for (configs, "name: p3\nsettings:\n  guest.machine: pc-q35-9.2\n", &error);
  g_assert_no_error (error);
  g_assert_true (has_reason (placement (plan, 0), "pc-q35-9.2"));
  g_assert_false (has_reason (placement (plan, 1), "pc-q35-9.2"));
}

static void
test_plan_bad_description (void)
{
  g_autoptr (GPtrArray) configs = set_configs ();
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) plan = plan_for (configs, "name: [", &error);

  g_assert_null (plan);
  g_assert_error (error, VT_ERROR, VT_ERROR_INVALID_DESCRIPTION);
}

/* A TCP listener on loopback that never accepts: the kernel completes the handshake,
 * libvirt sends its first call and waits for an answer that never comes. */
static int
silent_listener (guint16 *port)
{
  struct sockaddr_in address = { .sin_family = AF_INET };
  socklen_t length = sizeof address;
  int fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

  address.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (bind (fd, (struct sockaddr *) &address, sizeof address), ==, 0);
  g_assert_cmpint (listen (fd, 4), ==, 0);
  g_assert_cmpint (getsockname (fd, (struct sockaddr *) &address, &length), ==, 0);
  *port = ntohs (address.sin_port);
  return fd;
}

/* A host that never answers its open: the open gives up after the connection's
 * open_timeout, with an error naming the host, and the other hosts of a Plan are
 * answered meanwhile. */
static void
test_open_timeout (void)
{
  guint16 port = 0;
  int listener = silent_listener (&port);
  g_autofree char *uri = g_strdup_printf ("qemu+tcp://127.0.0.1:%u/system", port);
  g_autoptr (GPtrArray) configs =
    g_ptr_array_new_with_free_func ((GDestroyNotify) vt_connection_config_free);
  g_autoptr (GPtrArray) plan = NULL;
  VtConnectionConfig *silent = connection ("silent", uri, NULL);
  gint64 start = g_get_monotonic_time ();

  silent->open_timeout = 1;
  g_ptr_array_add (configs, connection ("sev", "test:///default", FIXTURE_SEV));
  g_ptr_array_add (configs, silent);
  plan = plan_for (configs, "name: p2\nvcpus: 1\nmemory: 1GiB\n", NULL);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 10 * G_TIME_SPAN_SECOND);
  g_assert_true (has_reason (placement (plan, 0), "too little free memory"));
  g_assert_false (has_reason (placement (plan, 0), "connection"));
  g_assert_true (has_reason (placement (plan, 1), "connection 'silent': cannot connect to "));
  g_assert_true (has_reason (placement (plan, 1), "no answer within 1 s"));
  /* The abandoned open ends when the host goes away. */
  close (listener);
}

static gpointer
name_job (VtHypervisor *hv, gpointer data)
{
  return g_strdup_printf ("%s%s", (const char *) data, vt_hypervisor_name (hv));
}

/* Results come back in the hosts' order, whatever order the threads end in. */
static void
test_run_order (void)
{
  g_autoptr (GPtrArray) configs = set_configs ();
  g_autoptr (VtHypervisors) set = vt_hypervisors_new (configs, "/", NULL);
  g_autoptr (GPtrArray) hosts = all (set);
  g_autoptr (GPtrArray) results = vt_hypervisors_run (hosts, name_job, (gpointer) "h:", g_free);
  g_autoptr (GPtrArray) one = g_ptr_array_new ();
  g_autoptr (GPtrArray) single = NULL;

  g_assert_cmpuint (results->len, ==, 3);
  g_assert_cmpstr (g_ptr_array_index (results, 0), ==, "h:default");
  g_assert_cmpstr (g_ptr_array_index (results, 2), ==, "h:gone");
  g_ptr_array_add (one, vt_hypervisors_nth (set, 1));
  single = vt_hypervisors_run (one, name_job, (gpointer) "", g_free);
  g_assert_cmpstr (g_ptr_array_index (single, 0), ==, "sev");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/hypervisor/saved-caps", test_saved_caps);
  g_test_add_func ("/hypervisor/driver-without-caps", test_driver_without_caps);
  g_test_add_func ("/hypervisor/unreachable", test_unreachable);
  g_test_add_func ("/hypervisor/unreachable-at-start", test_unreachable_at_start);
  g_test_add_func ("/hypervisors/lookup", test_set_lookup);
  g_test_add_func ("/hypervisors/run-order", test_run_order);
  g_test_add_func ("/plan/verdicts", test_plan);
  g_test_add_func ("/plan/machine-too-old", test_plan_machine_too_old);
  g_test_add_func ("/plan/bad-description", test_plan_bad_description);
  g_test_add_func ("/plan/open-timeout", test_open_timeout);
  return g_test_run ();
}
