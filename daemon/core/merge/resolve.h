/* virtuned — the render pipeline: description -> merge -> domain XML + provenance. */
#pragma once

#include <glib.h>

#include "description.h"
#include "domain.h"
#include "domcaps.h"
#include "merge.h"
#include "policy.h"

G_BEGIN_DECLS

typedef struct {
  VtDescription *desc;
  VtMergeResult *merge;
} VtPlan;

/* Parses @text and merges it; the first half of Render and Define. */
VtPlan *vt_plan_new (const VtPolicySet *policies, const VtDomcaps *caps, const char *text,
                     gsize len, GError **error);
void vt_plan_free (VtPlan *plan);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VtPlan, vt_plan_free)

/* Builds and serialises the domain for @plan (bindings as for vt_domain_build). */
char *vt_plan_build_xml (const VtPlan *plan, const VtDomcaps *caps,
                         const VtDiskBinding *bindings, GError **error);

G_END_DECLS
