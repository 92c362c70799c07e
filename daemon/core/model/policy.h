/* virtuned — policies (scenarios and feature policies) loaded from YAML files. */
#pragma once

#include <glib.h>

#include "model/catalog.h"

G_BEGIN_DECLS

typedef struct {
  const VtCatalogEntry *entry;  /* the key's catalog entry (entry->key names it) */
  char *value;                  /* canonical */
} VtPolicySetting;

typedef struct {
  char *name;           /* file stem: desktop.yaml -> desktop */
  char *summary;
  GStrv include;        /* policies applied before this one */
  GStrv conflicts;      /* policies it cannot be combined with */
  GStrv locks;          /* catalog keys later layers may not change */
  GPtrArray *settings;  /* VtPolicySetting*, in file order */
  char *origin;         /* file it came from */
} VtPolicy;

typedef struct _VtPolicySet VtPolicySet;

/* The one policy-name rule, [a-z0-9_-]{1,64}: policy names are file stems and appear in
 * domain metadata; a description's scenario names follow it too. */
gboolean vt_policy_name_is_valid (const char *name);

/* Parses one policy document; @name is the policy name, @origin names the source in
 * messages. Keys and values are validated against the catalog. */
VtPolicy *vt_policy_parse (const char *text, gsize len, const char *name, const char *origin,
                           GError **error);
void vt_policy_free (VtPolicy *policy);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VtPolicy, vt_policy_free)

/* Loads every *.yaml in @dirs, in order; a later directory's file of the same name
 * replaces an earlier one. A broken file is skipped and a sentence about it appended
 * to @problems (char*); missing directories are ignored. Include/conflict references
 * to unknown policies and include cycles are reported as problems too, and the
 * offending policy is dropped. Never fails. */
VtPolicySet *vt_policy_set_load (const char *const *dirs, GPtrArray *problems);
void vt_policy_set_free (VtPolicySet *set);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VtPolicySet, vt_policy_set_free)

const VtPolicy *vt_policy_set_lookup (const VtPolicySet *set, const char *name);
/* As vt_policy_set_lookup(), for a name a caller asked for: when there is no such policy,
 * VT_ERROR_UNKNOWN_SCENARIO "unknown scenario 'NAME'" with the name echoed bounded and
 * escaped (vt_echo), since it may be any bytes of any length. */
const VtPolicy *vt_policy_set_require (const VtPolicySet *set, const char *name,
                                       GError **error);
/* All policies sorted by name (borrowed VtPolicy*). */
GPtrArray *vt_policy_set_list (const VtPolicySet *set);

/* Appends to @order (borrowed VtPolicy*) the policies applying @policy means: its
 * includes first (recursively, in list order), then @policy itself, skipping any
 * policy @order already holds, so each is applied at most once. The merge engine and
 * vt_policy_set_describe() share this one definition of include order. */
void vt_policy_set_expand (const VtPolicySet *set, const VtPolicy *policy, GPtrArray *order);

/* YAML text of @name with its includes resolved: the settings it ends up applying
 * (includes first, then its own), its locks and conflicts. VT_ERROR_UNKNOWN_SCENARIO
 * when absent. */
char *vt_policy_set_describe (const VtPolicySet *set, const char *name, GError **error);

G_END_DECLS
