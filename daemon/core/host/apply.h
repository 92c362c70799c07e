/* virtuned — applying a host plan to the host and restoring it exactly (SPEC §7): the
 * file writes, with each original recorded in the state file before its first write. */
#pragma once

#include <glib.h>

#include "host/plan.h"
#include "host/state-file.h"

G_BEGIN_DECLS

/* Called after every file virtuned writes on the host (one call per write(2), so the
 * KSM sequence run=2, merge_across_nodes, run is visible), before it reads the file
 * back. @value is NULL for a drop-in removed. For tests and the crash-test hook. */
typedef void (*VtHostWriteFunc) (const char *file, const char *value, gpointer user_data);

typedef struct {
  const char *sysroot;        /* "/" on a real host */
  const char *state_dir;      /* holds VT_HOST_STATE_FILE */
  VtHostWriteFunc on_write;   /* nullable */
  gpointer user_data;
} VtHostTarget;

typedef struct {
  char *setting;
  char *old_value;
  char *new_value;
} VtHostChange;

/* An empty list of VtHostChange*. */
GPtrArray *vt_host_changes_new (void);

typedef enum {
  VT_HOST_TUNE_DRY_RUN = 1 << 0,     /* report what would change; write nothing */
  VT_HOST_TUNE_PERSISTENT = 1 << 1,  /* also write sysctl.d/tmpfiles.d/modprobe.d drop-ins */
} VtHostTuneFlags;

/* Applies every row of @plan that differs from what is wanted. @scenarios are added to
 * the state's tuned list, and that list is saved before the first host write, so the
 * state a crash leaves names the tune its originals belong to. Before a file is first
 * written its original goes into the state file (saved atomically), so a crash at any
 * point can be reverted; originals already recorded are kept. Outside a dry run it
 * first removes the temporary files an interrupted save left (see vt_host_restore; a
 * failure there is only logged). With PERSISTENT the drop-ins replay @dropins (NULL: @plan):
 * what every tuned scenario wants together (the tuner merges it). *@changes
 * (VtHostChange*) lists what changed (with DRY_RUN: what would change; then nothing is
 * written, not even the state) and is set even when this fails. Fails with
 * VT_ERROR_HOST_TUNING naming every setting that could not be set and why; the others
 * are applied and recorded. @plan must be read under the same lock as this call: its
 * current values become the recorded originals. */
gboolean vt_host_apply (const VtHostTarget *target, const VtHostPlan *plan,
                        const VtHostPlan *dropins, const char *const *scenarios,
                        VtHostTuneFlags flags, GPtrArray **changes, GError **error);

/* Restores every recorded original, last changed first (merge_across_nodes with the
 * KSM sequence), removes drop-ins virtuned created and deletes the state. Then, with a
 * state or without, it removes what a kill during an atomic save left next to the state
 * file and the drop-ins: their temporary files (vt_remove_atomic_leftovers), never
 * anything else. Both run under the host lock, where no save of ours is in flight; not
 * at daemon start, which writes nothing on the host. On failure the state keeps the originals that could
 * not be restored, so a later revert retries them; VT_ERROR_HOST_TUNING names them.
 * *@changes is set as by vt_host_apply. */
gboolean vt_host_restore (const VtHostTarget *target, GPtrArray **changes, GError **error);

G_END_DECLS
