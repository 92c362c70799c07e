/* bench-render — in-process render latency (SPEC §13, first row).
 *
 * Loads the built-in policies and the bundled host capabilities once, then times
 * complete renders (parse -> merge -> domain tree -> serialised XML) of a desktop VM
 * with one disk and one NIC. Prints the median and p99 in microseconds.
 *
 * With --once it renders twice and prints nothing: a warm-up render, then one in
 * measured_render(), for valgrind --tool=callgrind --toggle-collect='measured_render*'
 * to count the instructions of exactly one warm render (bench/run). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench-util.h"
#include "domain/render.h"

static const char description[] =
  "name: bench01\n"
  "scenario: desktop\n"
  "vcpus: 4\n"
  "memory: 4GiB\n"
  "disks:\n"
  "  - pool: default\n"
  "    size: 20GiB\n"
  "networks:\n"
  "  - network: default\n";

/* One complete render: the XML, or NULL with @error set. */
static char *
render_once (VtPolicySet *policies, VtDomcaps *caps, GError **error)
{
  g_autoptr (VtResolved) plan = vt_resolve (policies, NULL, caps, description,
                                            sizeof description - 1, error);

  return plan ? vt_domain_render (plan, caps, NULL, error) : NULL;
}

/* A symbol of its own for callgrind to collect (never inlined into main; the wildcard
 * in bench/run also matches a clone the compiler may make of it). */
static G_GNUC_NO_INLINE char *
measured_render (VtPolicySet *policies, VtDomcaps *caps, GError **error)
{
  return render_once (policies, caps, error);
}

static int
render_failed (const GError *error)
{
  fprintf (stderr, "bench-render: render failed: %s\n", error->message);
  return 1;
}

static double
percentile (const double *sorted, guint n, double p)
{
  guint idx = (guint) (p * (n - 1) + 0.5);
  return sorted[idx];
}

int
main (int argc, char **argv)
{
  const char *root = g_getenv ("VT_SOURCE_ROOT");
  gboolean once = argc > 1 && strcmp (argv[1], "--once") == 0;
  guint iterations = argc > 1 && !once ? (guint) atoi (argv[1]) : 20000;
  g_autofree char *policy_dir = NULL, *caps_path = NULL;
  g_autoptr (GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (VtPolicySet) policies = NULL;
  g_autoptr (VtDomcaps) caps = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree double *samples = NULL;

  if (!root || iterations < 10)
    {
      fprintf (stderr, "usage: VT_SOURCE_ROOT=DIR bench-render [ITERATIONS>=10|--once]\n");
      return 2;
    }
  policy_dir = g_build_filename (root, "data", "policies", NULL);
  caps_path = g_build_filename (root, "data", "domcaps", "x86_64-kvm-q35.xml", NULL);
  const char *dirs[] = { policy_dir, NULL };
  policies = vt_policy_set_load (dirs, problems);
  caps = vt_domcaps_load_file (caps_path, &error);
  if (!caps || problems->len > 0)
    {
      fprintf (stderr, "bench-render: cannot load data: %s\n",
               error ? error->message : (char *) problems->pdata[0]);
      return 1;
    }

  if (once)
    {
      g_autofree char *warm = render_once (policies, caps, &error);
      g_autofree char *xml = warm ? measured_render (policies, caps, &error) : NULL;

      return xml ? 0 : render_failed (error);
    }
  samples = g_new (double, iterations);
  for (guint i = 0; i < iterations + iterations / 10; i++)
    {
      double start = bench_now_us ();
      g_autofree char *xml = render_once (policies, caps, &error);
      double elapsed = bench_now_us () - start;

      if (!xml)
        return render_failed (error);
      /* The first tenth warms caches and allocator and is not recorded. */
      if (i >= iterations / 10)
        samples[i - iterations / 10] = elapsed;
    }
  qsort (samples, iterations, sizeof (double), bench_compare_doubles);
  printf ("render_inprocess_median_us %.1f\n", percentile (samples, iterations, 0.5));
  printf ("render_inprocess_p99_us %.1f\n", percentile (samples, iterations, 0.99));
  printf ("render_inprocess_iterations %u\n", iterations);
  return 0;
}
