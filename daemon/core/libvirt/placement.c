/* virtuned — Plan: one description, several hosts, a verdict each. */
#include "libvirt/placement.h"

#include <libvirt/virterror.h>

#include "domain/render.h"
#include "merge/resolve.h"
#include "model/description.h"

void
vt_placement_free (VtPlacement *placement)
{
  if (placement == NULL)
    return;
  g_free (placement->name);
  g_ptr_array_unref (placement->reasons);
  g_ptr_array_unref (placement->warnings);
  g_free (placement);
}

static VtPlacement *
placement_new (VtHypervisor *hv)
{
  VtPlacement *placement = g_new0 (VtPlacement, 1);

  placement->name = g_strdup (vt_hypervisor_name (hv));
  placement->reasons = g_ptr_array_new_with_free_func (g_free);
  placement->warnings = g_ptr_array_new_with_free_func (g_free);
  return placement;
}

static void
add_warnings (VtPlacement *placement, const VtHostCaps *caps, const VtMergeResult *merge)
{
  if (caps->warning != NULL)
    g_ptr_array_add (placement->warnings, g_strdup (caps->warning));
  for (guint i = 0; merge->warnings != NULL && i < merge->warnings->len; i++)
    g_ptr_array_add (placement->warnings, g_strdup (g_ptr_array_index (merge->warnings, i)));
}

static gboolean
applies (const VtMergeResult *merge, const char *policy)
{
  for (guint i = 0; merge->applied != NULL && i < merge->applied->len; i++)
    if (g_str_equal (g_ptr_array_index (merge->applied, i), policy))
      return TRUE;
  return FALSE;
}

/* The host's memory and CPUs against the VM's. A realtime VM pins every vCPU to a host
 * CPU of its own and leaves the host at least one. */
static void
check_resources (VtPlacement *placement, virConnectPtr conn, const VtMergeResult *merge)
{
  guint64 wanted_bytes = vt_settings_get_size (merge->settings, "guest.memory");
  gint64 vcpus = vt_settings_get_int (merge->settings, "guest.vcpus", 1);
  gboolean realtime = applies (merge, "realtime");
  unsigned long long free_bytes = virNodeGetFreeMemory (conn);
  virNodeInfo node = { 0 };

  if (free_bytes > 0 && free_bytes < wanted_bytes)
    g_ptr_array_add (placement->reasons,
                     g_strdup_printf ("too little free memory: %llu MiB free, the VM needs "
                                      "%" G_GUINT64_FORMAT " MiB", free_bytes >> 20,
                                      wanted_bytes >> 20));
  if (virNodeGetInfo (conn, &node) == 0 && node.cpus < vcpus + (realtime ? 1 : 0))
    g_ptr_array_add (placement->reasons,
                     g_strdup_printf ("too few CPUs%s: the host has %u, the VM needs %"
                                      G_GINT64_FORMAT, realtime ? " for realtime pinning" : "",
                                      node.cpus, vcpus + (realtime ? 1 : 0)));
  virResetLastError ();
}

/* Renders for one host; every failure is a reason, never an error. */
static void
place (VtPlacement *placement, VtHypervisor *hv, const VtPlanRequest *request)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (VtHostCaps) caps = vt_hypervisor_caps (hv, &error);
  g_autoptr (VtResolved) resolved = NULL;
  g_autofree char *xml = NULL;
  virConnectPtr conn;

  if (caps == NULL)
    {
      g_ptr_array_add (placement->reasons, g_strdup (error->message));
      return;
    }
  resolved = vt_resolve (request->policies, request->oses, caps->domcaps,
                         request->description, request->len, &error);
  if (resolved != NULL)
    xml = vt_domain_render (resolved, caps->domcaps, NULL, &error);
  if (xml == NULL)
    {
      g_ptr_array_add (placement->reasons, g_strdup (error->message));
      return;
    }
  add_warnings (placement, caps, resolved->merge);
  conn = vt_connection_get (vt_hypervisor_connection (hv), &error);
  if (conn == NULL)
    {
      vt_hypervisor_prefix_error (hv, &error);
      g_ptr_array_add (placement->reasons, g_strdup (error->message));
      return;
    }
  check_resources (placement, conn, resolved->merge);
  virConnectClose (conn);
}

static gpointer
place_job (VtHypervisor *hv, gpointer data)
{
  VtPlacement *placement = placement_new (hv);

  place (placement, hv, data);
  placement->fits = placement->reasons->len == 0;
  return placement;
}

GPtrArray *
vt_plan (GPtrArray *hosts, const VtPlanRequest *request, GError **error)
{
  g_autoptr (VtDescription) desc = vt_description_parse (request->description, request->len,
                                                         error);

  if (desc == NULL)
    return NULL;
  return vt_hypervisors_run (hosts, place_job, (gpointer) request,
                             (GDestroyNotify) vt_placement_free);
}
