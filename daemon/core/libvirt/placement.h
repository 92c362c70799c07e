/* virtuned — Plan: where can this VM run? One description rendered for several libvirt
 * hosts in parallel, each with its verdict. */
#pragma once

#include <glib.h>

#include "libvirt/hypervisors.h"
#include "model/os-table.h"
#include "model/policy.h"

G_BEGIN_DECLS

typedef struct {
  char *name;               /* the connection's */
  gboolean fits;
  GPtrArray *reasons;       /* char*: why it does not fit (empty when it fits) */
  GPtrArray *warnings;      /* char*: the render's warnings for this host */
} VtPlacement;

void vt_placement_free (VtPlacement *placement);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VtPlacement, vt_placement_free)

typedef struct {
  const VtPolicySet *policies;
  const VtOsTable *oses;            /* nullable */
  const char *description;
  gsize len;
} VtPlanRequest;

/* Renders @request for each of @hosts (VtHypervisor*) in parallel (blocking) and
 * returns one VtPlacement per host, in order. A host does not fit when it cannot be
 * reached, when the render fails there (no SEV for a scenario that needs it, a machine
 * type it lacks, ...), when its free memory is below the VM's memory, or when it has
 * fewer CPUs than the VM has vCPUs (for the realtime scenario, which pins each vCPU, at
 * least one more, left to the host). A description that does not parse is an error
 * for the whole plan (VT_ERROR_INVALID_DESCRIPTION). */
GPtrArray *vt_plan (GPtrArray *hosts, const VtPlanRequest *request, GError **error);

G_END_DECLS
