/* virtuned — what ListConnections says of one libvirt host. */
#pragma once

#include <glib.h>

#include "libvirt/hypervisor.h"

G_BEGIN_DECLS

typedef struct {
  char *name;
  char *uri;
  gboolean reachable;
  char *hypervisor;         /* "QEMU 7.2.0"; "" when unreachable */
  char *libvirt_version;    /* the host's libvirtd, "9.0.0"; "" when unreachable */
  char *cpu_model;          /* virNodeGetInfo's model, "x86_64"; "" when unreachable */
  guint64 memory_kib;       /* host memory; 0 when unreachable */
  gboolean sev;             /* its domain capabilities offer AMD SEV */
  char *problem;            /* why it is unreachable, or NULL */
} VtHostSummary;

/* Asks @hv (blocking; its own lock only). Never fails: an unreachable host is
 * reachable = FALSE with the reason in @problem. */
VtHostSummary *vt_host_summary_get (VtHypervisor *hv);
void vt_host_summary_free (VtHostSummary *summary);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VtHostSummary, vt_host_summary_free)

G_END_DECLS
