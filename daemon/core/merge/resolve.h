/* virtuned — a description resolved: parsed, then merged with the policies and the host
 * (SPEC §4.1). The first half of Render and Define; the domain part builds from it. */
#pragma once

#include <glib.h>

#include "merge/merge.h"
#include "model/description.h"
#include "model/domcaps.h"
#include "model/policy.h"

G_BEGIN_DECLS

typedef struct {
  VtDescription *desc;
  VtMergeResult *merge;   /* every setting with its provenance, applied policies, warnings */
} VtResolved;

/* Parses @text (bounded by the parser) and merges it for the host @caps describes, with
 * the OSes of @oses (nullable). */
VtResolved *vt_resolve (const VtPolicySet *policies, const VtOsTable *oses,
                        const VtDomcaps *caps, const char *text, gsize len, GError **error);
void vt_resolved_free (VtResolved *resolved);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VtResolved, vt_resolved_free)

G_END_DECLS
