/* virtuned — the libvirt hosts of the configuration, the default one first. */
#pragma once

#include <glib.h>

#include "libvirt/hypervisor.h"

G_BEGIN_DECLS

typedef struct _VtHypervisors VtHypervisors;

/* One VtHypervisor per element of @configs (VtConnectionConfig*, the default first, as
 * vt_config_resolve_connections gives them). Opens nothing. */
VtHypervisors *vt_hypervisors_new (GPtrArray *configs, const char *sysroot,
                                   const char *fallback_domcaps);
void vt_hypervisors_free (VtHypervisors *set);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VtHypervisors, vt_hypervisors_free)

/* vt_hypervisor_set_watch on every host. */
void vt_hypervisors_set_watch (VtHypervisors *set, VtHypervisorWatch watch, gpointer data);

VtHypervisor *vt_hypervisors_default (VtHypervisors *set);
guint vt_hypervisors_count (const VtHypervisors *set);
VtHypervisor *vt_hypervisors_nth (VtHypervisors *set, guint i);

/* The host named @name, the default one for NULL; NULL when no host has that name. */
VtHypervisor *vt_hypervisors_find (VtHypervisors *set, const char *name);

/* "a, b, c": the names, for an error that lists what exists. */
char *vt_hypervisors_names (const VtHypervisors *set);

/* What vt_hypervisors_run does for one host, in a thread of its own. */
typedef gpointer (*VtHypervisorJob) (VtHypervisor *hv, gpointer data);

/* Runs @job for each host of @hosts (VtHypervisor*) in parallel, one thread per host,
 * and returns once all are done: element i of the result is @job's result for host i.
 * Each job takes only its own host's locks, so a slow host makes the whole call as slow
 * as itself, never slower. */
GPtrArray *vt_hypervisors_run (GPtrArray *hosts, VtHypervisorJob job, gpointer data,
                               GDestroyNotify free_result);

G_END_DECLS
