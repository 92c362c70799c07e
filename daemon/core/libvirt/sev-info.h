/* virtuned — the host's AMD SEV platform (GetSevInfo, SPEC §8): what libvirt's node SEV
 * information says, or, when the host cannot give it, its domain capabilities. */
#pragma once

#include <glib.h>
#include <libvirt/libvirt.h>

#include "model/domcaps.h"

G_BEGIN_DECLS

typedef struct {
  gboolean supported;
  gboolean sev_es;            /* SEV-ES guests can run: max_es_guests > 0 */
  guint cbitpos;
  guint reduced_phys_bits;
  guint max_guests;
  guint max_es_guests;
  char *pdh;                  /* base64, or NULL when the platform did not report it */
  char *cert_chain;           /* base64 (PEK, OCA, CEK), or NULL */
  char *cpu0_id;              /* base64, or NULL */
  const char *source;         /* "node": virNodeGetSEVInfo; "domcaps": capabilities only */
} VtSevInfo;

/* The SEV platform of @conn's host: virNodeGetSEVInfo when it answers, else @domcaps
 * (the capabilities the daemon renders for), so a host without SEV, or a driver without
 * the call, is { supported = FALSE }, not an error. Errors: VT_ERROR_LIBVIRT only when
 * the connection itself is lost. */
VtSevInfo *vt_sev_info_get (virConnectPtr conn, const VtDomcaps *domcaps, GError **error);
void vt_sev_info_free (VtSevInfo *info);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VtSevInfo, vt_sev_info_free)

G_END_DECLS
