#include "merge/merge.h"

#include <string.h>

#include "util/error.h"
#include "util/units.h"

#define SCENARIO_LAYER "scenario:"

/* State of one merge. Everything is walked in list or catalog order: nothing here
 * iterates a hash table, so the same inputs always give the same result. */
typedef struct {
  const VtPolicySet *policies;
  VtMergeResult *result;
} Merge;

void
vt_merge_result_free (VtMergeResult *result)
{
  if (!result)
    return;
  vt_settings_free (result->settings);
  g_clear_pointer (&result->warnings, g_ptr_array_unref);
  g_clear_pointer (&result->applied, g_ptr_array_unref);
  g_free (result->os_id);
  g_free (result);
}

/* Stores @value (canonical) for @key unless an earlier policy locked the key to a
 * value that does not accept it (a lock on auto accepts what auto may become).
 * @who names the asking layer in the message. */
static gboolean
set_unless_locked (VtSettings *settings, const VtCatalogEntry *entry, const char *value,
                   const char *layer, const char *who, GError **error)
{
  const VtSetting *current = vt_settings_lookup_entry (settings, entry);

  if (current && current->locked_by &&
      !vt_catalog_lock_accepts (entry, current->value, value))
    {
      g_set_error (error, VT_ERROR, VT_ERROR_CONFLICT,
                   "%s is locked to %s by policy %s; %s asked for %s", entry->key,
                   current->value, current->locked_by, who, value);
      return FALSE;
    }
  vt_settings_set_entry (settings, entry, value, layer);
  return TRUE;
}

/* TRUE when applying @policy applies @other first (an include, at any depth). */
static gboolean
policy_includes (const VtPolicySet *set, const VtPolicy *policy, const VtPolicy *other)
{
  g_autoptr (GPtrArray) order = g_ptr_array_new ();

  vt_policy_set_expand (set, policy, order);
  return other != policy && g_ptr_array_find (order, other, NULL);
}

/* The scenario policy whose layer set @setting, or NULL (unset, or set by another layer). */
static const VtPolicy *
scenario_setter (const Merge *m, const VtSetting *setting)
{
  if (!setting || !g_str_has_prefix (setting->layer, SCENARIO_LAYER))
    return NULL;
  return vt_policy_set_lookup (m->policies, setting->layer + strlen (SCENARIO_LAYER));
}

/* @before's words, then those of @added it lacks: application order is kept. */
static char *
words_union (const char *before, const char *added)
{
  g_auto (GStrv) have = g_strsplit (before, " ", -1);
  g_auto (GStrv) more = g_strsplit (added, " ", -1);
  GString *out = g_string_new (before);

  for (guint i = 0; more[i]; i++)
    if (*more[i] && !g_strv_contains ((const char *const *) have, more[i]))
      g_string_append_printf (out, "%s%s", out->len ? " " : "", more[i]);
  return g_string_free (out, FALSE);
}

/* The value @policy's @setting leaves. Word lists (guest.features) of scenario policies
 * add up: windows' hyperv and uefi-secureboot's needs do not cancel each other. A
 * scenario still replaces the default policy's list, so it can drop a default word. */
static char *
policy_value (const VtSetting *current, const VtPolicy *previous,
              const VtPolicySetting *setting)
{
  if (previous && current->entry->type == VT_TYPE_WORDS)
    return words_union (current->value, setting->value);
  return g_strdup (setting->value);
}

/* The later-wins warning between two scenario policies. A policy overriding what its
 * own include set is the point of including it, so that stays quiet; so does a word
 * list, which adds up instead of overriding. */
static char *
override_warning (Merge *m, const VtPolicy *policy, const VtPolicy *previous,
                  const VtSetting *current, const VtPolicySetting *setting)
{
  if (!previous || current->entry->type == VT_TYPE_WORDS ||
      g_str_equal (current->value, setting->value) ||
      policy_includes (m->policies, policy, previous))
    return NULL;
  return g_strdup_printf ("%s: scenario '%s' (%s) overrides scenario '%s' (%s)",
                          setting->entry->key, policy->name, setting->value, previous->name,
                          current->value);
}

static gboolean
apply_policy (Merge *m, const VtPolicy *policy, gboolean is_default, GError **error)
{
  VtSettings *settings = m->result->settings;
  g_autofree char *layer = is_default ? g_strdup ("default")
                                      : g_strconcat (SCENARIO_LAYER, policy->name, NULL);
  g_autofree char *who = g_strdup_printf ("policy %s", policy->name);

  for (guint i = 0; i < policy->settings->len; i++)
    {
      const VtPolicySetting *s = g_ptr_array_index (policy->settings, i);
      const VtSetting *current = vt_settings_lookup_entry (settings, s->entry);
      const VtPolicy *previous = is_default ? NULL : scenario_setter (m, current);
      g_autofree char *value = policy_value (current, previous, s);
      g_autofree char *warning = override_warning (m, policy, previous, current, s);

      if (!set_unless_locked (settings, s->entry, value, layer, who, error))
        return FALSE;
      if (warning)
        g_ptr_array_add (m->result->warnings, g_steal_pointer (&warning));
    }
  /* The loader guarantees a policy locks only keys it or its includes set, so each
   * lock holds a value. */
  for (guint i = 0; policy->locks[i]; i++)
    vt_settings_lock (settings, policy->locks[i], policy->name);
  g_ptr_array_add (m->result->applied, g_strdup (policy->name));
  return TRUE;
}

/* The scenario names to apply: the explicit list, else the description's. */
static GPtrArray *
scenario_names (const char *const *scenarios, const VtDescription *desc)
{
  GPtrArray *names = g_ptr_array_new ();

  if (scenarios && scenarios[0])
    for (guint i = 0; scenarios[i]; i++)
      g_ptr_array_add (names, (char *) scenarios[i]);
  else if (desc && desc->scenarios)
    for (guint i = 0; i < desc->scenarios->len; i++)
      g_ptr_array_add (names, g_ptr_array_index (desc->scenarios, i));
  return names;
}

/* Both directions count: either policy may declare the conflict. */
static gboolean
check_conflicts (GPtrArray *order, GError **error)
{
  for (guint i = 0; i < order->len; i++)
    for (guint j = i + 1; j < order->len; j++)
      {
        const VtPolicy *a = g_ptr_array_index (order, i);
        const VtPolicy *b = g_ptr_array_index (order, j);
        const VtPolicy *declarer =
          g_strv_contains ((const char *const *) a->conflicts, b->name) ? a
          : g_strv_contains ((const char *const *) b->conflicts, a->name) ? b : NULL;

        if (!declarer)
          continue;
        g_set_error (error, VT_ERROR, VT_ERROR_CONFLICT,
                     "policies '%s' and '%s' cannot be combined ('%s' declares the conflict)",
                     a->name, b->name, declarer->name);
        return FALSE;
      }
  return TRUE;
}

/* Fills @order with every policy to apply, in order, each once: the default policy
 * and its includes (the first @n_default entries), then each scenario after its
 * includes. */
static gboolean
order_policies (const VtPolicySet *set, GPtrArray *names, GPtrArray *order,
                guint *n_default, GError **error)
{
  const VtPolicy *base = vt_policy_set_lookup (set, "default");

  if (!base)
    {
      g_set_error (error, VT_ERROR, VT_ERROR_FAILED,
                   "the 'default' policy is not loaded (see the daemon's start-up problems)");
      return FALSE;
    }
  vt_policy_set_expand (set, base, order);
  *n_default = order->len;
  for (guint i = 0; i < names->len; i++)
    {
      const char *name = g_ptr_array_index (names, i);
      const VtPolicy *policy = vt_policy_set_require (set, name, error);

      if (!policy)
        return FALSE;
      vt_policy_set_expand (set, policy, order);
    }
  return check_conflicts (order, error);
}

static gboolean
apply_user_value (VtSettings *settings, const char *key, const char *raw, GError **error)
{
  const VtCatalogEntry *entry = vt_catalog_lookup (key);
  g_autofree char *canonical = NULL;

  /* Description values arrive validated; normalizing again keeps this layer honest
   * about canonical spelling and catalog ranges whatever the caller did. */
  if (!vt_catalog_normalize (entry, raw, &canonical, error))
    return FALSE;
  return set_unless_locked (settings, entry, canonical, "user", "the user layer", error);
}

static const char *
bool_word (int flag)
{
  return flag < 0 ? NULL : flag ? "on" : "off";
}

/* SPEC §4.1 layer 4: the description's own fields, then its `settings:` in order. */
static gboolean
apply_user_layer (VtSettings *settings, const VtDescription *desc, GError **error)
{
  g_autofree char *vcpus = desc->vcpus ? g_strdup_printf ("%u", desc->vcpus) : NULL;
  g_autofree char *memory = desc->memory ? vt_format_size (desc->memory) : NULL;
  /* `tpm: true` keeps a TPM model the policies chose; otherwise CRB, the TPM 2.0 default. */
  const char *tpm = desc->tpm < 0 ? NULL
                    : desc->tpm == 0 ? "none"
                    : vt_settings_is (settings, "guest.tpm", "tpm-tis") ? "tpm-tis" : "tpm-crb";
  const char *fields[][2] = {
    { "guest.vcpus", vcpus },
    { "guest.memory", memory },
    { "guest.graphics", desc->graphics },
    { "guest.firmware", desc->firmware },
    { "guest.secure_boot", bool_word (desc->secure_boot) },
    { "guest.tpm", tpm },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (fields); i++)
    if (fields[i][1] && !apply_user_value (settings, fields[i][0], fields[i][1], error))
      return FALSE;
  for (guint i = 0; desc->settings && i < desc->settings->len; i++)
    {
      const VtUserSetting *s = g_ptr_array_index (desc->settings, i);
      if (!apply_user_value (settings, s->key, s->value, error))
        return FALSE;
    }
  return TRUE;
}

/* A CPU topology must multiply out to guest.vcpus as finally resolved: `settings:` may
 * change it after the vcpus: field the description parser checked, and libvirt refuses
 * a mismatch only when QEMU starts. */
static gboolean
check_topology (const VtSettings *settings, const VtDescription *desc, GError **error)
{
  const VtSetting *vcpus = vt_settings_lookup (settings, "guest.vcpus");
  guint64 product = (guint64) desc->sockets * desc->cores * desc->threads;

  if (desc->sockets == 0 || !vcpus ||
      vt_settings_get_int (settings, "guest.vcpus", 0) == (gint64) product)
    return TRUE;
  g_set_error (error, VT_ERROR, VT_ERROR_CONFLICT,
               "cpu.topology %ux%ux%u = %" G_GUINT64_FORMAT " vCPUs but guest.vcpus resolved "
               "to %s (from %s)", desc->sockets, desc->cores, desc->threads, product,
               vcpus->value, vcpus->layer);
  return FALSE;
}

static VtMergeResult *
merge_result_new (void)
{
  VtMergeResult *result = g_new0 (VtMergeResult, 1);

  result->settings = vt_settings_new ();
  result->warnings = g_ptr_array_new_with_free_func (g_free);
  result->applied = g_ptr_array_new_with_free_func (g_free);
  return result;
}

/* Applies order[from..to); the first @n_default entries are the default layer. */
static gboolean
apply_policies (Merge *m, GPtrArray *order, guint from, guint to, guint n_default,
                GError **error)
{
  for (guint i = from; i < to; i++)
    if (!apply_policy (m, g_ptr_array_index (order, i), i < n_default, error))
      return FALSE;
  return TRUE;
}

VtMergeResult *
vt_merge (const VtPolicySet *policies, const VtOsTable *oses, const char *const *scenarios,
          const VtDescription *desc, const VtDomcaps *caps, GError **error)
{
  g_autoptr (VtMergeResult) result = merge_result_new ();
  g_autoptr (GPtrArray) names = scenario_names (scenarios, desc);
  g_autoptr (GPtrArray) order = g_ptr_array_new ();
  Merge m = { policies, result };
  const VtOsInfo *os = NULL;
  guint n_default = 0;

  if (!order_policies (policies, names, order, &n_default, error))
    return NULL;
  /* An unknown os: fails before any work, like an unknown scenario. */
  if (desc && desc->os && !(os = vt_os_layer_lookup (oses, desc, error)))
    return NULL;
  if (!apply_policies (&m, order, 0, n_default, n_default, error))
    return NULL;
  if (os)
    {
      vt_os_layer_apply (result->settings, os, desc->os, caps);
      result->os_id = g_strdup (os->id);
    }
  if (!apply_policies (&m, order, n_default, order->len, n_default, error))
    return NULL;
  if (desc && !apply_user_layer (result->settings, desc, error))
    return NULL;
  if (caps)
    vt_firmware_auto_resolve (result->settings, os, caps);
  if (caps && !vt_caps_layer_apply (result->settings, desc, caps, result->warnings, error))
    return NULL;
  if (!vt_requirements_apply (result->settings, desc, caps, error))
    return NULL;
  if (desc && !check_topology (result->settings, desc, error))
    return NULL;
  if (os)
    vt_os_layer_check (result->settings, desc, os, result->warnings);
  return g_steal_pointer (&result);
}
