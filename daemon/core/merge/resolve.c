#include "merge/resolve.h"

void
vt_resolved_free (VtResolved *resolved)
{
  if (!resolved)
    return;
  vt_description_free (resolved->desc);
  vt_merge_result_free (resolved->merge);
  g_free (resolved);
}

VtResolved *
vt_resolve (const VtPolicySet *policies, const VtOsTable *oses, const VtDomcaps *caps,
            const char *text, gsize len, GError **error)
{
  g_autoptr (VtDescription) desc = vt_description_parse (text, len, error);
  VtMergeResult *merge;
  VtResolved *resolved;

  if (!desc)
    return NULL;
  merge = vt_merge (policies, oses, NULL, desc, caps, error);
  if (!merge)
    return NULL;
  resolved = g_new0 (VtResolved, 1);
  resolved->desc = g_steal_pointer (&desc);
  resolved->merge = merge;
  return resolved;
}
