/* virtuned — the merge engine (SPEC §4.1): default -> os -> scenarios -> user -> host. */
#pragma once

#include <glib.h>

#include "description.h"
#include "domcaps.h"
#include "policy.h"
#include "settings.h"

G_BEGIN_DECLS

typedef struct {
  VtSettings *settings;
  GPtrArray *warnings;    /* char*: later-wins between scenarios, host fallbacks */
  GPtrArray *applied;     /* char*: policy names in the order they were applied */
} VtMergeResult;

/* Resolves the settings for @scenarios (NULL-terminated; when NULL or empty, the
 * description's own scenario list) on top of the "default" policy, then the user layer
 * from @desc (nullable: host tuning merges policies only) and the host layer from @caps
 * (nullable: no host check). Errors: VT_ERROR_UNKNOWN_SCENARIO, VT_ERROR_CONFLICT
 * (conflicting policies, or a locked key changed), VT_ERROR_UNSUPPORTED (host cannot do
 * a value the user asked for or a policy locked). */
VtMergeResult *vt_merge (const VtPolicySet *policies, const char *const *scenarios,
                         const VtDescription *desc, const VtDomcaps *caps, GError **error);
void vt_merge_result_free (VtMergeResult *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VtMergeResult, vt_merge_result_free)

/* The host layer alone (used by vt_merge): adapts @settings to @caps, falling back
 * with a warning, or failing when the value is the user's or locked. */
gboolean vt_caps_layer_apply (VtSettings *settings, const VtDescription *desc,
                              const VtDomcaps *caps, GPtrArray *warnings, GError **error);

G_END_DECLS
