#include "render.h"

void
vt_plan_free (VtPlan *plan)
{
  if (!plan)
    return;
  vt_description_free (plan->desc);
  vt_merge_result_free (plan->merge);
  g_free (plan);
}

VtPlan *
vt_plan_new (const VtPolicySet *policies, const VtDomcaps *caps, const char *text, gsize len,
             GError **error)
{
  g_autoptr (VtDescription) desc = vt_description_parse (text, len, error);
  VtMergeResult *merge;
  VtPlan *plan;

  if (!desc)
    return NULL;
  merge = vt_merge (policies, NULL, desc, caps, error);
  if (!merge)
    return NULL;
  plan = g_new0 (VtPlan, 1);
  plan->desc = g_steal_pointer (&desc);
  plan->merge = merge;
  return plan;
}

char *
vt_plan_build_xml (const VtPlan *plan, const VtDomcaps *caps, const VtDiskBinding *bindings,
                   GError **error)
{
  xmlDocPtr doc = vt_domain_build (plan->desc, plan->merge->settings, caps,
                                   plan->merge->applied, bindings, error);
  char *xml;

  if (!doc)
    return NULL;
  xml = vt_domain_to_string (doc);
  xmlFreeDoc (doc);
  return xml;
}
