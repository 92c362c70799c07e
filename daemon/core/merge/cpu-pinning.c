/* The realtime CPU pinning (libvirt kbase "KVM real time", host partitioning plan), part
 * of the host layer: guest.cpu.pinning.vcpus and .emulator become concrete host CPU
 * lists chosen from the host's topology, with provenance "host". Housekeeping CPUs run
 * the emulator and I/O threads (and the host); every vCPU gets a host CPU of its own
 * among the rest, whole cores first, so no vCPU shares a core with the emulator or with
 * another guest. */
#include "merge/merge.h"

#include "model/cpuset.h"
#include "util/error.h"

#define HOST_LAYER "host"
#define VCPUS_KEY "guest.cpu.pinning.vcpus"
#define EMULATOR_KEY "guest.cpu.pinning.emulator"

static GArray *
new_list (void)
{
  return g_array_new (FALSE, FALSE, sizeof (guint));
}

static char *
format_list (const GArray *cpus)
{
  return vt_cpuset_format ((const guint *) cpus->data, cpus->len);
}

/* The CPUs of @from that are not in @minus, ascending. */
static GArray *
without (const GArray *from, const GArray *minus)
{
  GArray *rest = new_list ();

  for (guint i = 0; i < from->len; i++)
    if (!vt_cpuset_has (minus, g_array_index (from, guint, i)))
      g_array_append_val (rest, g_array_index (from, guint, i));
  return rest;
}

static GArray *
online_cpus (const VtHostTopology *topology)
{
  GArray *ids = new_list ();

  for (guint i = 0; i < topology->cpus->len; i++)
    g_array_append_val (ids, g_array_index (topology->cpus, VtHostCpu, i).id);
  return ids;
}

/* The admin's list in @key, checked against the host; NULL in @list for auto. */
static gboolean
read_admin_list (const VtSettings *settings, const char *key, const GArray *online,
                 GArray **list, GError **error)
{
  const char *value = vt_settings_get (settings, key);
  g_autoptr (GArray) missing = NULL;
  g_autofree char *missing_text = NULL;
  g_autofree char *online_text = NULL;

  *list = NULL;
  if (!value || g_str_equal (value, "auto"))
    return TRUE;
  *list = vt_cpuset_parse (value, error);   /* canonical already: the catalog read it */
  if (!*list)
    return FALSE;
  missing = without (*list, online);
  if (missing->len == 0)
    return TRUE;
  missing_text = format_list (missing);
  online_text = format_list (online);
  g_set_error (error, VT_ERROR, VT_ERROR_UNSUPPORTED,
               "%s: '%s' names CPU%s %s, which this host does not have online (it has %s)",
               key, value, missing->len == 1 ? "" : "s", missing_text, online_text);
  g_clear_pointer (list, g_array_unref);
  return FALSE;
}

/* auto housekeeping: the core of the host's first CPU (CPU 0 and its SMT siblings),
 * where the host's own boot-time work runs anyway. */
static GArray *
first_core (const VtHostTopology *topology, const GArray *online)
{
  const VtHostCpu *first = &g_array_index (topology->cpus, VtHostCpu, 0);
  GArray *core = new_list ();

  /* A sibling may be offline: it is listed but runs nothing. */
  for (guint i = 0; i < first->siblings->len; i++)
    if (vt_cpuset_has (online, g_array_index (first->siblings, guint, i)))
      g_array_append_val (core, g_array_index (first->siblings, guint, i));
  return core;
}

/* How good a vCPU CPU @id is, lower is better: 0 when its whole core is free for vCPUs,
 * 1 when another sibling is unavailable, 2 when a sibling is a housekeeping CPU (the
 * emulator's work would disturb it through the shared core). */
static guint
cpu_rank (const VtHostTopology *topology, guint id, const GArray *candidates,
          const GArray *housekeeping)
{
  const VtHostCpu *cpu = vt_host_topology_cpu (topology, id);
  guint rank = 0;

  for (guint i = 0; cpu && i < cpu->siblings->len; i++)
    {
      guint sibling = g_array_index (cpu->siblings, guint, i);
      if (vt_cpuset_has (housekeeping, sibling))
        return 2;
      if (!vt_cpuset_has (candidates, sibling))
        rank = 1;
    }
  return rank;
}

typedef struct {
  guint id;
  guint rank;
  guint core;   /* the core's lowest CPU: a core's CPUs are taken together */
} Choice;

static gint
compare_choices (gconstpointer a, gconstpointer b)
{
  const Choice *x = a, *y = b;

  if (x->rank != y->rank)
    return x->rank < y->rank ? -1 : 1;
  if (x->core != y->core)
    return x->core < y->core ? -1 : 1;
  return x->id < y->id ? -1 : x->id > y->id;
}

static gint
compare_ids (gconstpointer a, gconstpointer b)
{
  guint x = *(const guint *) a, y = *(const guint *) b;

  return x < y ? -1 : x > y;
}

/* The @n best CPUs of @candidates, ascending. */
static GArray *
choose_vcpu_cpus (const VtHostTopology *topology, const GArray *candidates,
                  const GArray *housekeeping, guint n)
{
  g_autoptr (GArray) choices = g_array_new (FALSE, FALSE, sizeof (Choice));
  GArray *chosen = new_list ();

  for (guint i = 0; i < candidates->len; i++)
    {
      guint id = g_array_index (candidates, guint, i);
      const VtHostCpu *cpu = vt_host_topology_cpu (topology, id);
      Choice c = { id, cpu_rank (topology, id, candidates, housekeeping),
                   g_array_index (cpu->siblings, guint, 0) };
      g_array_append_val (choices, c);
    }
  g_array_sort (choices, compare_choices);
  for (guint i = 0; i < n; i++)
    g_array_append_val (chosen, g_array_index (choices, Choice, i).id);
  g_array_sort (chosen, compare_ids);
  return chosen;
}

static gboolean
too_few (GError **error, const GArray *vcpu_list, guint candidates, guint housekeeping,
         guint online, guint vcpus)
{
  const char *plural = vcpus == 1 ? "" : "s";

  if (vcpu_list)
    g_set_error (error, VT_ERROR, VT_ERROR_UNSUPPORTED,
                 "%s: pinning %u vCPU%s takes %u host CPUs of their own, and the list leaves "
                 "%u outside the housekeeping CPUs", VCPUS_KEY, vcpus, plural, vcpus, candidates);
  else
    g_set_error (error, VT_ERROR, VT_ERROR_UNSUPPORTED,
                 "guest.cpu.pinning needs %u host CPUs for %u vCPU%s (%u housekeeping for the "
                 "emulator and I/O threads, one of its own for each vCPU), and this host has "
                 "%u", vcpus + housekeeping, vcpus, plural, housekeeping, online);
  return FALSE;
}

/* An admin's vCPU list and emulator list may not share a CPU: the vCPU pinned there
 * would wait for the emulator. */
static gboolean
check_disjoint (const GArray *vcpu_list, const GArray *emulator_list, GError **error)
{
  g_autoptr (GArray) apart = NULL;
  g_autoptr (GArray) shared = NULL;
  g_autofree char *text = NULL;

  if (!vcpu_list || !emulator_list)
    return TRUE;
  apart = without (vcpu_list, emulator_list);
  shared = without (vcpu_list, apart);
  if (shared->len == 0)
    return TRUE;
  text = format_list (shared);
  g_set_error (error, VT_ERROR, VT_ERROR_CONFLICT,
               "%s and %s share CPU%s %s: a vCPU pinned there would wait for the emulator",
               VCPUS_KEY, EMULATOR_KEY, shared->len == 1 ? "" : "s", text);
  return FALSE;
}

/* The emulator's CPUs: the admin's list, else the CPUs outside the admin's vCPU list,
 * else CPU 0's core. */
static GArray *
housekeeping_cpus (const VtHostTopology *topology, const GArray *online,
                   const GArray *vcpu_list, const GArray *emulator_list, GError **error)
{
  g_autoptr (GArray) cpus = NULL;

  if (emulator_list)
    return g_array_ref ((GArray *) emulator_list);
  if (!vcpu_list)
    return first_core (topology, online);
  cpus = without (online, vcpu_list);
  if (cpus->len > 0)
    return g_steal_pointer (&cpus);
  g_set_error (error, VT_ERROR, VT_ERROR_UNSUPPORTED,
               "%s: the list holds every CPU of this host and leaves none for the emulator "
               "and I/O threads; name those in %s", VCPUS_KEY, EMULATOR_KEY);
  return NULL;
}

/* Stores @cpus as @key's value, with provenance "host" when that changes it. */
static void
record (VtSettings *settings, const char *key, const GArray *cpus)
{
  g_autofree char *text = format_list (cpus);

  if (g_strcmp0 (vt_settings_get (settings, key), text) != 0)
    vt_settings_set (settings, key, text, HOST_LAYER);
}

/* No topology (a saved domain-capabilities document without host capabilities): a
 * policy's pinning falls back to none with a warning, as other host fallbacks do; the
 * user's or a locked one is an error. */
static gboolean
without_topology (VtSettings *settings, const VtDomcaps *caps, GPtrArray *warnings,
                  GError **error)
{
  const VtSetting *pinning = vt_settings_lookup (settings, "guest.cpu.pinning");

  if (pinning->locked_by || g_str_equal (pinning->layer, "user"))
    {
      g_set_error (error, VT_ERROR, VT_ERROR_UNSUPPORTED,
                   "guest.cpu.pinning: 'on' (%s%s) needs the host's CPU topology, and the host "
                   "capabilities of %s were not read", pinning->locked_by ? "locked by policy "
                   : "requested explicitly", pinning->locked_by ? pinning->locked_by : "",
                   caps->source);
      return FALSE;
    }
  g_ptr_array_add (warnings, g_strdup_printf (
      "guest.cpu.pinning: 'on' (from %s) needs the host's CPU topology, and the host "
      "capabilities of %s were not read; the vCPUs are not pinned", pinning->layer,
      caps->source));
  vt_settings_set (settings, "guest.cpu.pinning", "off", HOST_LAYER);
  return TRUE;
}

gboolean
vt_cpu_pinning_apply (VtSettings *settings, const VtDomcaps *caps, GPtrArray *warnings,
                      GError **error)
{
  g_autoptr (GArray) online = NULL;
  g_autoptr (GArray) vcpu_list = NULL;
  g_autoptr (GArray) emulator_list = NULL;
  g_autoptr (GArray) housekeeping = NULL;
  g_autoptr (GArray) candidates = NULL;
  g_autoptr (GArray) chosen = NULL;
  guint vcpus = (guint) vt_settings_get_int (settings, "guest.vcpus", 1);

  if (!vt_settings_get_bool (settings, "guest.cpu.pinning"))
    return TRUE;
  if (!caps->topology)
    return without_topology (settings, caps, warnings, error);
  online = online_cpus (caps->topology);
  if (!read_admin_list (settings, VCPUS_KEY, online, &vcpu_list, error) ||
      !read_admin_list (settings, EMULATOR_KEY, online, &emulator_list, error) ||
      !check_disjoint (vcpu_list, emulator_list, error))
    return FALSE;
  housekeeping = housekeeping_cpus (caps->topology, online, vcpu_list, emulator_list, error);
  if (!housekeeping)
    return FALSE;
  candidates = without (vcpu_list ? vcpu_list : online, housekeeping);
  if (candidates->len < vcpus)
    return too_few (error, vcpu_list, candidates->len, housekeeping->len, online->len, vcpus);
  chosen = choose_vcpu_cpus (caps->topology, candidates, housekeeping, vcpus);
  record (settings, VCPUS_KEY, chosen);
  record (settings, EMULATOR_KEY, housekeeping);
  return TRUE;
}
