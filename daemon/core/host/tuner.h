/* virtuned — the host tuner: checking, tuning and reverting the host as use cases
 * (SPEC §7). It merges the scenarios' host settings exactly as Render merges them,
 * refuses to change the host from inside a container, and serializes tune and revert
 * on one lock: reading the host for the plan, writing it and reading back the tuned
 * scenarios all happen under it, because a plan read before a concurrent revert would
 * record tuned values as originals. Every call blocks (polkit is the caller's business,
 * but kernel writes such as unmerging KSM can take long): call it from a worker
 * thread. Calls may come from several threads at once. */
#pragma once

#include <glib.h>

#include "host/apply.h"
#include "model/policy.h"

G_BEGIN_DECLS

typedef struct _VtHostTuner VtHostTuner;

/* @policies is borrowed and must outlive the tuner; every path is under @sysroot
 * ("/" on a real host); the state file lives in @state_dir. */
VtHostTuner *vt_host_tuner_new (const VtPolicySet *policies, const char *sysroot,
                                const char *state_dir);
void vt_host_tuner_free (VtHostTuner *tuner);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VtHostTuner, vt_host_tuner_free)

/* Observes every host file write (see VtHostWriteFunc); set it before the first call. */
void vt_host_tuner_set_write_func (VtHostTuner *tuner, VtHostWriteFunc func,
                                   gpointer user_data);

/* CheckHost: the rows (VtHostRow*) comparing the host with the host.* settings of
 * @scenarios (none: nothing is wanted). Fails only when the scenarios cannot be merged
 * (VT_ERROR_UNKNOWN_SCENARIO, VT_ERROR_CONFLICT). Takes no lock: it writes nothing. */
GPtrArray *vt_host_tuner_check (VtHostTuner *tuner, const char *const *scenarios,
                                GError **error);

/* TuneHost: applies what @scenarios want (vt_host_apply); with PERSISTENT the drop-ins
 * replay every tuned scenario, the recorded ones merged first and @scenarios last.
 * Outside a dry run, inside a container it refuses with VT_ERROR_IN_CONTAINER listing
 * the commands to run on the host. Both outputs are nullable. *@changes
 * (VtHostChange*) is set also when this fails: a partial failure still changed the
 * host. *@tuned_after is the state's tuned scenarios once the call is done, read under
 * the lock, or NULL when the call failed before taking the lock or the state cannot be
 * read. */
gboolean vt_host_tuner_tune (VtHostTuner *tuner, const char *const *scenarios,
                             VtHostTuneFlags flags, GPtrArray **changes, GStrv *tuned_after,
                             GError **error);

/* RevertHost: restores every recorded original (vt_host_restore); outputs as for
 * vt_host_tuner_tune. */
gboolean vt_host_tuner_revert (VtHostTuner *tuner, GPtrArray **changes, GStrv *tuned_after,
                               GError **error);

/* The tuned scenarios the state file lists (TunedScenarios), or NULL with
 * VT_ERROR_HOST_TUNING when it is damaged. */
GStrv vt_host_tuner_tuned_scenarios (VtHostTuner *tuner, GError **error);

G_END_DECLS
