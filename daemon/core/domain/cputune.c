/* <cputune> (libvirt kbase "KVM real time", guest CPU pinning): each vCPU on a host CPU
 * of its own, the emulator and I/O threads on the housekeeping CPUs, the vCPU threads
 * under a real-time scheduler. The merge's host layer chose the CPUs; this only writes
 * them down. */
#include "domain/cputune.h"

#include "domain/xml-tree.h"
#include "model/cpuset.h"
#include "util/error.h"

static GArray *
resolved_list (const VtDeviceContext *ctx, const char *key, guint want, GError **error)
{
  const char *value = vt_settings_get (ctx->settings, key);
  GArray *cpus = value && !g_str_equal (value, "auto") ? vt_cpuset_parse (value, NULL) : NULL;

  if (cpus && (want == 0 || cpus->len == want))
    return cpus;
  g_clear_pointer (&cpus, g_array_unref);
  g_set_error (error, VT_ERROR, VT_ERROR_FAILED,
               "%s: '%s' was not resolved to %s host CPUs (the merge's host layer does that "
               "from the host's topology)", key, value ? value : "unset",
               want ? "one per vCPU" : "concrete");
  return NULL;
}

static gboolean
add_pins (xmlNodePtr cputune, const VtDeviceContext *ctx, guint vcpus, GError **error)
{
  g_autoptr (GArray) vcpu_cpus = resolved_list (ctx, "guest.cpu.pinning.vcpus", vcpus, error);
  g_autoptr (GArray) emulator_cpus = NULL;
  g_autofree char *housekeeping = NULL;

  if (!vcpu_cpus)
    return FALSE;
  emulator_cpus = resolved_list (ctx, "guest.cpu.pinning.emulator", 0, error);
  if (!emulator_cpus)
    return FALSE;
  for (guint i = 0; i < vcpus; i++)
    {
      xmlNodePtr pin = vt_tree_add (cputune, "vcpupin");
      vt_tree_set_uint (pin, "vcpu", i);
      vt_tree_set_uint (pin, "cpuset", g_array_index (vcpu_cpus, guint, i));
    }
  housekeeping = vt_cpuset_format ((const guint *) emulator_cpus->data, emulator_cpus->len);
  vt_tree_add_with (cputune, "emulatorpin", "cpuset", housekeeping);
  for (guint i = 1; i <= ctx->iothreads; i++)
    {
      xmlNodePtr pin = vt_tree_add (cputune, "iothreadpin");
      vt_tree_set_uint (pin, "iothread", i);
      vt_tree_set (pin, "cpuset", housekeeping);
    }
  return TRUE;
}

static void
add_vcpusched (xmlNodePtr cputune, const char *scheduler, guint vcpus)
{
  xmlNodePtr sched = vt_tree_add (cputune, "vcpusched");

  if (vcpus > 1)
    vt_tree_setf (sched, "vcpus", "0-%u", vcpus - 1);
  else
    vt_tree_set (sched, "vcpus", "0");
  vt_tree_set (sched, "scheduler", scheduler);
  vt_tree_set (sched, "priority", "1");
}

/* Called right after <vcpu> and <iothreads>, where libvirt writes <cputune>; on error
 * the caller frees the whole document. */
gboolean
vt_domain_add_cputune (xmlNodePtr domain, const VtDeviceContext *ctx, guint vcpus,
                       GError **error)
{
  const char *scheduler = vt_device_setting (ctx, "guest.cpu.scheduler", "default");
  gboolean pinning = vt_settings_get_bool (ctx->settings, "guest.cpu.pinning");
  gboolean realtime = !g_str_equal (scheduler, "default");
  xmlNodePtr cputune;

  if (!pinning && !realtime)
    return TRUE;
  cputune = vt_tree_add (domain, "cputune");
  if (pinning && !add_pins (cputune, ctx, vcpus, error))
    return FALSE;
  if (realtime)
    add_vcpusched (cputune, scheduler, vcpus);
  return TRUE;
}
