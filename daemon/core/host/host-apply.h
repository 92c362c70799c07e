/* virtuned — applying a host plan and reverting it exactly (SPEC §7). */
#pragma once

#include <glib.h>

#include "host/host-plan.h"
#include "host/host-state.h"
#include "model/policy.h"

G_BEGIN_DECLS

/* Called after every file virtuned writes on the host (one call per write(2), so the
 * KSM sequence run=2, merge_across_nodes, run is visible). For tests and the daemon's
 * crash-test hook. */
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

typedef enum {
  VT_HOST_TUNE_DRY_RUN = 1 << 0,     /* report what would change; write nothing */
  VT_HOST_TUNE_PERSISTENT = 1 << 1,  /* also write sysctl.d/tmpfiles.d/modprobe.d drop-ins */
} VtHostTuneFlags;

/* The drop-ins persistent tuning writes, relative to the sysroot. */
#define VT_HOST_SYSCTL_DROPIN "etc/sysctl.d/90-virtuned.conf"
#define VT_HOST_TMPFILES_DROPIN "etc/tmpfiles.d/virtuned.conf"

/* Applies every row of @plan that differs from what is wanted. Before a file is first
 * written its original goes into the state file (saved atomically), so a crash at any
 * point can be reverted; originals already recorded are kept. @scenarios are added to
 * the state's tuned list. With PERSISTENT the drop-ins replay @dropins (NULL: @plan):
 * what every tuned scenario wants together, see vt_host_dropin_plan. *@changes
 * (VtHostChange*) lists what changed (with DRY_RUN: what would change; then nothing is
 * written, not even the state) and is set even when this fails. Fails with
 * VT_ERROR_HOST_TUNING naming every setting that could not be set and why; the others
 * are applied and recorded. @plan must be read under the same lock as this call: its
 * current values become the recorded originals. */
gboolean vt_host_tune (const VtHostTarget *target, const VtHostPlan *plan,
                       const VtHostPlan *dropins, const char *const *scenarios,
                       VtHostTuneFlags flags, GPtrArray **changes, GError **error);

/* What the persistent drop-ins of a tune of @scenarios replay: the scenarios the state
 * already lists and @scenarios, merged as one tune of them all would merge them
 * (vt_host_state_tuned_with order), so a second persistent tune keeps the first one's
 * lines. Fails when they cannot be merged (VT_ERROR_CONFLICT, UNKNOWN_SCENARIO) or the
 * state cannot be read (VT_ERROR_HOST_TUNING). Call it under vt_host_tune's lock. */
VtHostPlan *vt_host_dropin_plan (const VtHostTarget *target, const VtPolicySet *policies,
                                 const char *const *scenarios, GError **error);

/* Restores every recorded original, last changed first (merge_across_nodes with the
 * KSM sequence), removes drop-ins virtuned created and deletes the state. Without a
 * state there is nothing to do. On failure the state keeps the originals that could
 * not be restored, so a later revert retries them; VT_ERROR_HOST_TUNING names them. */
gboolean vt_host_revert (const VtHostTarget *target, GPtrArray **changes, GError **error);

/* Shell commands that would apply @plan by hand on the host (for containers). */
char *vt_host_tune_commands (const VtHostPlan *plan);

G_END_DECLS
