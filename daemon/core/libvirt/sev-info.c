/* virtuned — the host's AMD SEV platform (libvirt/sev-info.h). */
#include "libvirt/sev-info.h"

#include <libvirt/virterror.h>

#include "libvirt/connection.h"
#include "libvirt/virt-error.h"

void
vt_sev_info_free (VtSevInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->pdh);
  g_free (info->cert_chain);
  g_free (info->cpu0_id);
  g_free (info);
}

static char *
typed_string (virTypedParameterPtr params, int n, const char *name)
{
  const char *value = NULL;

  if (virTypedParamsGetString (params, n, name, &value) <= 0 || value == NULL || !*value)
    return NULL;
  return g_strdup (value);
}

static guint
typed_uint (virTypedParameterPtr params, int n, const char *name)
{
  unsigned int value = 0;

  if (virTypedParamsGetUInt (params, n, name, &value) <= 0)
    return 0;
  return value;
}

static void
fill_from_node (VtSevInfo *info, virTypedParameterPtr params, int n)
{
  info->supported = TRUE;
  info->source = "node";
  info->cbitpos = typed_uint (params, n, VIR_NODE_SEV_CBITPOS);
  info->reduced_phys_bits = typed_uint (params, n, VIR_NODE_SEV_REDUCED_PHYS_BITS);
  info->max_guests = typed_uint (params, n, VIR_NODE_SEV_MAX_GUESTS);
  info->max_es_guests = typed_uint (params, n, VIR_NODE_SEV_MAX_ES_GUESTS);
  info->sev_es = info->max_es_guests > 0;
  info->pdh = typed_string (params, n, VIR_NODE_SEV_PDH);
  info->cert_chain = typed_string (params, n, VIR_NODE_SEV_CERT_CHAIN);
#ifdef VIR_NODE_SEV_CPU0_ID      /* libvirt 8.4 */
  info->cpu0_id = typed_string (params, n, VIR_NODE_SEV_CPU0_ID);
#endif
}

/* Domain capabilities carry no certificates: the platform's keys come only from the
 * node call. SEV-ES counts as supported when SEV is and ES guests may run, as
 * virt-manager and KubeVirt decide it. */
static void
fill_from_domcaps (VtSevInfo *info, const VtDomcaps *domcaps)
{
  info->source = "domcaps";
  info->supported = domcaps->sev;
  if (!info->supported)
    return;
  info->cbitpos = domcaps->sev_cbitpos;
  info->reduced_phys_bits = domcaps->sev_reduced_phys_bits;
  info->max_guests = domcaps->sev_max_guests;
  info->max_es_guests = domcaps->sev_max_es_guests;
  info->sev_es = info->max_es_guests > 0;
}

VtSevInfo *
vt_sev_info_get (virConnectPtr conn, const VtDomcaps *domcaps, GError **error)
{
  g_autoptr (VtSevInfo) info = g_new0 (VtSevInfo, 1);
  virTypedParameterPtr params = NULL;
  int n = 0;

  if (virNodeGetSEVInfo (conn, &params, &n, 0) == 0)
    {
      fill_from_node (info, params, n);
      virTypedParamsFree (params, n);
      return g_steal_pointer (&info);
    }
  /* A host without SEV makes the QEMU driver fail the call ("QEMU does not support
   * SEV guest"), a driver without it says so: both mean "ask the capabilities". A lost
   * connection means nothing about SEV. */
  if (vt_connection_lost (conn))
    {
      vt_set_libvirt_error (error, "cannot read the host's SEV information");
      return NULL;
    }
  g_debug ("virNodeGetSEVInfo: %s; using domain capabilities", virGetLastErrorMessage ());
  virResetLastError ();
  fill_from_domcaps (info, domcaps);
  return g_steal_pointer (&info);
}
