/* virtuned — one host's summary, asked over its own connection. */
#include "libvirt/host-summary.h"

#include <libvirt/virterror.h>

#include "libvirt/virt-error.h"

void
vt_host_summary_free (VtHostSummary *summary)
{
  if (summary == NULL)
    return;
  g_free (summary->name);
  g_free (summary->uri);
  g_free (summary->hypervisor);
  g_free (summary->libvirt_version);
  g_free (summary->cpu_model);
  g_free (summary->problem);
  g_free (summary);
}

/* libvirt's versions are major * 1,000,000 + minor * 1,000 + release. */
static char *
version_text (unsigned long version)
{
  return g_strdup_printf ("%lu.%lu.%lu", version / 1000000, version / 1000 % 1000,
                          version % 1000);
}

/* The hypervisor's name and version, "QEMU 7.2.0"; best effort (the test driver has
 * both, other drivers may lack the version). */
static char *
hypervisor_text (virConnectPtr conn)
{
  const char *type = virConnectGetType (conn);
  unsigned long version = 0;
  g_autofree char *number = NULL;

  if (type == NULL)
    return g_strdup ("");
  if (virConnectGetVersion (conn, &version) < 0 || version == 0)
    return g_strdup (type);
  number = version_text (version);
  return g_strdup_printf ("%s %s", type, number);
}

static void
read_node (VtHostSummary *summary, virConnectPtr conn)
{
  virNodeInfo node = { 0 };
  unsigned long libvirt_version = 0;

  summary->hypervisor = hypervisor_text (conn);
  summary->libvirt_version = virConnectGetLibVersion (conn, &libvirt_version) == 0
                               ? version_text (libvirt_version) : g_strdup ("");
  if (virNodeGetInfo (conn, &node) == 0)
    {
      summary->cpu_model = g_strndup (node.model, sizeof node.model);
      summary->memory_kib = node.memory;
    }
  else
    summary->cpu_model = g_strdup ("");
  virResetLastError ();
}

VtHostSummary *
vt_host_summary_get (VtHypervisor *hv)
{
  VtHostSummary *summary = g_new0 (VtHostSummary, 1);
  g_autoptr (GError) error = NULL;
  g_autoptr (VtHostCaps) caps = vt_hypervisor_caps (hv, NULL);
  virConnectPtr conn = vt_connection_get (vt_hypervisor_connection (hv), &error);

  summary->name = g_strdup (vt_hypervisor_name (hv));
  summary->uri = g_strdup (vt_hypervisor_config (hv)->uri);
  summary->sev = caps != NULL && caps->domcaps->sev;
  if (conn == NULL)
    {
      summary->hypervisor = g_strdup ("");
      summary->libvirt_version = g_strdup ("");
      summary->cpu_model = g_strdup ("");
      summary->problem = g_strdup (error->message);
      return summary;
    }
  summary->reachable = TRUE;
  read_node (summary, conn);
  virConnectClose (conn);
  return summary;
}
