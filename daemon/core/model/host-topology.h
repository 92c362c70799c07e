/* virtuned — the host's CPUs as the host capabilities (virConnectGetCapabilities) list
 * them: which CPUs are online, which share a core (SMT siblings), and whether the CPU has
 * the TSC deadline timer. What the realtime pinning is chosen from. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  guint id;
  guint socket_id;
  guint core_id;
  GArray *siblings;   /* guint, ascending: the CPUs of its core, itself included */
} VtHostCpu;

typedef struct {
  GArray *cpus;            /* VtHostCpu, ascending id: the online CPUs of every cell */
  gboolean tsc_deadline;   /* <host><cpu><feature name='tsc-deadline'/> */
} VtHostTopology;

/* Reads <host><topology><cells>…<cpu id socket_id core_id siblings/> and the host CPU's
 * features from host capabilities XML @xml (@len bytes). A CPU listed without
 * socket_id, core_id or siblings is offline and left out. Errors: VT_ERROR_FAILED (not
 * well-formed, not <capabilities>, no online CPU, an id above VT_CPUSET_MAX_CPU or a
 * malformed siblings list). */
VtHostTopology *vt_host_topology_parse (const char *xml, gsize len, GError **error);
void vt_host_topology_free (VtHostTopology *topology);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VtHostTopology, vt_host_topology_free)

/* The CPU @id, or NULL when it is not an online CPU of the host. */
const VtHostCpu *vt_host_topology_cpu (const VtHostTopology *topology, guint id);

G_END_DECLS
