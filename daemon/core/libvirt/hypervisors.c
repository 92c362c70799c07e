/* virtuned — the set of libvirt hosts. Fixed at start: a host is added or removed by
 * editing virtuned.conf and restarting, so lookups need no lock. */
#include "libvirt/hypervisors.h"

struct _VtHypervisors {
  GPtrArray *members;       /* VtHypervisor*, the default first */
};

VtHypervisors *
vt_hypervisors_new (GPtrArray *configs, const char *sysroot, const char *fallback_domcaps)
{
  VtHypervisors *set = g_new0 (VtHypervisors, 1);

  /* vt_config_resolve_connections always gives the default one. */
  g_assert (configs->len > 0);
  set->members = g_ptr_array_new_with_free_func ((GDestroyNotify) vt_hypervisor_free);
  for (guint i = 0; i < configs->len; i++)
    g_ptr_array_add (set->members, vt_hypervisor_new (g_ptr_array_index (configs, i), sysroot,
                                                      fallback_domcaps));
  return set;
}

void
vt_hypervisors_free (VtHypervisors *set)
{
  if (set == NULL)
    return;
  g_ptr_array_unref (set->members);
  g_free (set);
}

void
vt_hypervisors_set_watch (VtHypervisors *set, VtHypervisorWatch watch, gpointer data)
{
  for (guint i = 0; i < set->members->len; i++)
    vt_hypervisor_set_watch (g_ptr_array_index (set->members, i), watch, data);
}

VtHypervisor *
vt_hypervisors_default (VtHypervisors *set)
{
  return g_ptr_array_index (set->members, 0);
}

guint
vt_hypervisors_count (const VtHypervisors *set)
{
  return set->members->len;
}

VtHypervisor *
vt_hypervisors_nth (VtHypervisors *set, guint i)
{
  return g_ptr_array_index (set->members, i);
}

VtHypervisor *
vt_hypervisors_find (VtHypervisors *set, const char *name)
{
  if (name == NULL)
    return vt_hypervisors_default (set);
  for (guint i = 0; i < set->members->len; i++)
    if (g_str_equal (vt_hypervisor_name (g_ptr_array_index (set->members, i)), name))
      return g_ptr_array_index (set->members, i);
  return NULL;
}

char *
vt_hypervisors_names (const VtHypervisors *set)
{
  g_autoptr (GString) names = g_string_new (NULL);

  for (guint i = 0; i < set->members->len; i++)
    g_string_append_printf (names, "%s%s", i ? ", " : "",
                            vt_hypervisor_name (g_ptr_array_index (set->members, i)));
  return g_string_free (g_steal_pointer (&names), FALSE);
}

typedef struct {
  VtHypervisor *hv;
  VtHypervisorJob job;
  gpointer data;
} JobThread;

static gpointer
run_one (gpointer user_data)
{
  JobThread *one = user_data;

  return one->job (one->hv, one->data);
}

GPtrArray *
vt_hypervisors_run (GPtrArray *hosts, VtHypervisorJob job, gpointer data,
                    GDestroyNotify free_result)
{
  g_autofree JobThread *jobs = g_new0 (JobThread, hosts->len);
  g_autofree GThread **threads = g_new0 (GThread *, hosts->len);
  GPtrArray *results = g_ptr_array_new_full (hosts->len, free_result);

  for (guint i = 0; i < hosts->len; i++)
    {
      jobs[i] = (JobThread) { g_ptr_array_index (hosts, i), job, data };
      /* One host alone runs here: no thread to start and join. */
      threads[i] = hosts->len > 1 ? g_thread_new ("vt-host", run_one, &jobs[i]) : NULL;
    }
  for (guint i = 0; i < hosts->len; i++)
    g_ptr_array_add (results, threads[i] != NULL ? g_thread_join (threads[i])
                                                 : run_one (&jobs[i]));
  return results;
}
