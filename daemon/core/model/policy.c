#include "model/policy.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>
#include <yaml.h>

#include "model/catalog.h"
#include "model/limits.h"
#include "model/settings.h"
#include "util/echo.h"
#include "util/error.h"
#include "util/yaml-tree.h"

/* Policies are administrator files, not caller input, but they are still read through
 * the bounded YAML reader: a runaway file must not take the daemon down. */
#define POLICY_MAX_BYTES (256 * 1024)

static const VtYamlLimits policy_limits = {
  .max_bytes = POLICY_MAX_BYTES,
  .max_depth = 8,
  .max_nodes = 16384,
  .max_scalar = 4096,
};

struct _VtPolicySet {
  GHashTable *by_name;   /* name -> VtPolicy* (owned); only looked up, never iterated for output */
};

/* ---- one policy ------------------------------------------------------------------ */

static void
policy_setting_free (VtPolicySetting *setting)
{
  g_free (setting->value);
  g_free (setting);
}

void
vt_policy_free (VtPolicy *policy)
{
  if (!policy)
    return;
  g_free (policy->name);
  g_free (policy->summary);
  g_strfreev (policy->include);
  g_strfreev (policy->conflicts);
  g_strfreev (policy->locks);
  g_clear_pointer (&policy->settings, g_ptr_array_unref);
  g_free (policy->origin);
  g_free (policy);
}

gboolean
vt_policy_name_is_valid (const char *name)
{
  gsize len = strlen (name);

  if (len == 0 || len > VT_SCENARIO_NAME_MAX)
    return FALSE;
  for (const char *p = name; *p; p++)
    if (!g_ascii_islower (*p) && !g_ascii_isdigit (*p) && *p != '_' && *p != '-')
      return FALSE;
  return TRUE;
}

static gboolean
policy_error (GError **error, const char *path, const VtYamlNode *node, const char *message)
{
  vt_yaml_set_error (error, VT_ERROR_INVALID_DESCRIPTION, path, node, "%s", message);
  return FALSE;
}

/* A list of policy names (@catalog_keys FALSE) or of catalog keys (TRUE). */
static gboolean
parse_name_list (const VtYamlNode *node, const char *path, gboolean catalog_keys, GStrv *out,
                 GError **error)
{
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);

  if (node->kind != VT_YAML_SEQUENCE)
    {
      vt_yaml_set_error (error, VT_ERROR_INVALID_DESCRIPTION, path, node,
                         "must be a list, not %s", vt_yaml_kind_name (node->kind));
      return FALSE;
    }
  for (guint i = 0; i < node->items->len; i++)
    {
      const VtYamlNode *item = g_ptr_array_index (node->items, i);
      g_autofree char *item_path = g_strdup_printf ("%s[%u]", path, i);
      g_autofree char *shown = NULL;

      if (item->kind != VT_YAML_SCALAR)
        {
          vt_yaml_set_error (error, VT_ERROR_INVALID_DESCRIPTION, item_path, item,
                             "must be a name, not %s", vt_yaml_kind_name (item->kind));
          return FALSE;
        }
      shown = vt_echo (item->value);
      if (catalog_keys && !vt_catalog_lookup (item->value))
        {
          vt_yaml_set_error (error, VT_ERROR_INVALID_DESCRIPTION, item_path, item,
                             "unknown setting '%s'", shown);
          return FALSE;
        }
      if (!catalog_keys && !vt_policy_name_is_valid (item->value))
        {
          vt_yaml_set_error (error, VT_ERROR_INVALID_DESCRIPTION, item_path, item,
                             "'%s' is not a valid policy name", shown);
          return FALSE;
        }
      if (g_ptr_array_find_with_equal_func (names, item->value, g_str_equal, NULL))
        {
          vt_yaml_set_error (error, VT_ERROR_INVALID_DESCRIPTION, item_path, item,
                             "'%s' is listed twice", shown);
          return FALSE;
        }
      g_ptr_array_add (names, g_strdup (item->value));
    }
  g_ptr_array_add (names, NULL);
  *out = (GStrv) g_ptr_array_free (g_steal_pointer (&names), FALSE);
  return TRUE;
}

static void
add_policy_setting (const VtCatalogEntry *entry, char *canonical, const VtYamlNode *node,
                    gpointer data)
{
  GPtrArray *settings = data;
  VtPolicySetting *setting = g_new0 (VtPolicySetting, 1);

  setting->entry = entry;
  setting->value = canonical;
  g_ptr_array_add (settings, setting);
}

static gboolean
parse_settings (const VtYamlNode *node, GPtrArray *settings, GError **error)
{
  return vt_catalog_read_settings (node, "settings", add_policy_setting, settings, error);
}

static gboolean
parse_summary (const VtYamlNode *node, VtPolicy *policy, GError **error)
{
  g_autofree char *stripped = NULL;

  if (node->kind != VT_YAML_SCALAR)
    {
      vt_yaml_set_error (error, VT_ERROR_INVALID_DESCRIPTION, "summary", node,
                         "must be text, not %s", vt_yaml_kind_name (node->kind));
      return FALSE;
    }
  stripped = g_strstrip (g_strdup (node->value));
  if (!*stripped || strchr (node->value, '\n'))
    return policy_error (error, "summary", node, "must be one non-empty line of text");
  policy->summary = g_strdup (node->value);
  return TRUE;
}

static gboolean
policy_sets_key (const VtPolicy *policy, const char *key)
{
  for (guint i = 0; i < policy->settings->len; i++)
    {
      const VtPolicySetting *s = g_ptr_array_index (policy->settings, i);
      if (g_str_equal (s->entry->key, key))
        return TRUE;
    }
  return FALSE;
}

/* Cross-field rules, checked once every field is parsed: a policy neither includes
 * itself nor includes what it conflicts with. (Locks are checked against the set, as
 * a lock may hold a value an include sets.) */
static gboolean
check_policy_consistency (const VtPolicy *policy, const VtYamlNode *root, GError **error)
{
  const VtYamlNode *include = vt_yaml_mapping_get (root, "include");
  const VtYamlNode *conflicts = vt_yaml_mapping_get (root, "conflicts");

  for (guint i = 0; policy->include[i]; i++)
    if (g_str_equal (policy->include[i], policy->name) ||
        g_strv_contains ((const char *const *) policy->conflicts, policy->include[i]))
      {
        g_autofree char *path = g_strdup_printf ("include[%u]", i);
        vt_yaml_set_error (error, VT_ERROR_INVALID_DESCRIPTION, path,
                           g_ptr_array_index (include->items, i),
                           "policy '%s' cannot include '%s'", policy->name, policy->include[i]);
        return FALSE;
      }
  for (guint i = 0; policy->conflicts[i]; i++)
    if (g_str_equal (policy->conflicts[i], policy->name))
      {
        g_autofree char *path = g_strdup_printf ("conflicts[%u]", i);
        return policy_error (error, path, g_ptr_array_index (conflicts->items, i),
                             "a policy cannot conflict with itself");
      }
  return TRUE;
}

static gboolean
parse_policy_field (const VtYamlNode *key, const VtYamlNode *value, VtPolicy *policy,
                    GError **error)
{
  const char *name = key->value;
  g_autofree char *shown = NULL;

  if (g_str_equal (name, "summary"))
    return parse_summary (value, policy, error);
  if (g_str_equal (name, "include"))
    {
      g_clear_pointer (&policy->include, g_strfreev);
      return parse_name_list (value, name, FALSE, &policy->include, error);
    }
  if (g_str_equal (name, "conflicts"))
    {
      g_clear_pointer (&policy->conflicts, g_strfreev);
      return parse_name_list (value, name, FALSE, &policy->conflicts, error);
    }
  if (g_str_equal (name, "locks"))
    {
      g_clear_pointer (&policy->locks, g_strfreev);
      return parse_name_list (value, name, TRUE, &policy->locks, error);
    }
  if (g_str_equal (name, "settings"))
    return parse_settings (value, policy->settings, error);
  shown = vt_echo (name);
  vt_yaml_set_error (error, VT_ERROR_INVALID_DESCRIPTION, shown, key,
                     "unknown key '%s' (a policy has summary, include, conflicts, locks "
                     "and settings)", shown);
  return FALSE;
}

static VtPolicy *
policy_new (const char *name, const char *origin)
{
  VtPolicy *policy = g_new0 (VtPolicy, 1);

  policy->name = g_strdup (name);
  policy->origin = g_strdup (origin);
  policy->include = g_new0 (char *, 1);
  policy->conflicts = g_new0 (char *, 1);
  policy->locks = g_new0 (char *, 1);
  policy->settings = g_ptr_array_new_with_free_func ((GDestroyNotify) policy_setting_free);
  return policy;
}

static VtPolicy *
parse_policy_tree (const char *text, gsize len, const char *name, const char *origin,
                   GError **error)
{
  g_autoptr (VtYamlNode) root = NULL;
  g_autoptr (VtPolicy) policy = NULL;

  if (!vt_policy_name_is_valid (name))
    {
      g_set_error (error, VT_ERROR, VT_ERROR_INVALID_DESCRIPTION,
                   "'%s' is not a valid policy name (1 to %d of a-z, 0-9, '_' and '-')",
                   name, VT_SCENARIO_NAME_MAX);
      return NULL;
    }
  root = vt_yaml_parse (text, len, &policy_limits, "policy", error);
  if (!root)
    return NULL;
  if (root->kind != VT_YAML_MAPPING)
    {
      vt_yaml_set_error (error, VT_ERROR_INVALID_DESCRIPTION, "policy", root,
                         "must be a mapping, not %s", vt_yaml_kind_name (root->kind));
      return NULL;
    }
  policy = policy_new (name, origin);
  for (guint i = 0; i < root->keys->len; i++)
    if (!parse_policy_field (g_ptr_array_index (root->keys, i),
                             g_ptr_array_index (root->items, i), policy, error))
      return NULL;
  if (!policy->summary)
    {
      policy_error (error, "summary", root, "a policy needs a summary");
      return NULL;
    }
  if (!check_policy_consistency (policy, root, error))
    return NULL;
  return g_steal_pointer (&policy);
}

VtPolicy *
vt_policy_parse (const char *text, gsize len, const char *name, const char *origin,
                 GError **error)
{
  VtPolicy *policy = parse_policy_tree (text, len, name, origin, error);

  /* Every message starts with the file, so a problem list reads on its own. */
  if (!policy)
    g_prefix_error (error, "%s: ", origin);
  return policy;
}

/* ---- the policy set ---------------------------------------------------------------- */

/* The caller decides how to report problems (the daemon logs them at start). */
static void
add_problem (GPtrArray *problems, char *sentence)
{
  if (problems)
    g_ptr_array_add (problems, sentence);
  else
    g_free (sentence);
}

static VtPolicy *
load_policy_file (const char *path, const char *name, GError **error)
{
  GStatBuf st;
  g_autofree char *text = NULL;
  gsize len = 0;

  if (g_stat (path, &st) != 0)
    {
      int saved = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved), "%s: %s", path,
                   g_strerror (saved));
      return NULL;
    }
  if (!S_ISREG (st.st_mode))
    {
      g_set_error (error, VT_ERROR, VT_ERROR_INVALID_DESCRIPTION,
                   "%s: not a regular file", path);
      return NULL;
    }
  if (st.st_size > POLICY_MAX_BYTES)
    {
      g_set_error (error, VT_ERROR, VT_ERROR_INVALID_DESCRIPTION,
                   "%s: policy is too large (limit %d bytes)", path, POLICY_MAX_BYTES);
      return NULL;
    }
  if (!g_file_get_contents (path, &text, &len, error))
    return NULL;
  return vt_policy_parse (text, len, name, path, error);
}

static gint
compare_strings (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

/* Sorted *.yaml names of @dir, or NULL (with @error) when it cannot be read. */
static GPtrArray *
list_policy_files (const char *dir, GError **error)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, error);
  g_autoptr (GPtrArray) names = NULL;
  const char *entry;

  if (!d)
    return NULL;
  names = g_ptr_array_new_with_free_func (g_free);
  while ((entry = g_dir_read_name (d)))
    if (g_str_has_suffix (entry, ".yaml"))
      g_ptr_array_add (names, g_strdup (entry));
  /* Directory order is whatever the file system says; sort for the same problems list. */
  g_ptr_array_sort (names, compare_strings);
  return g_steal_pointer (&names);
}

static void
load_directory (VtPolicySet *set, const char *dir, GPtrArray *problems)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) files = list_policy_files (dir, &error);

  if (!files)
    {
      if (!g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        add_problem (problems, g_strdup_printf ("%s: cannot read the directory: %s", dir,
                                                error->message));
      return;
    }
  for (guint i = 0; i < files->len; i++)
    {
      const char *file = g_ptr_array_index (files, i);
      g_autofree char *path = g_build_filename (dir, file, NULL);
      g_autofree char *name = g_strndup (file, strlen (file) - strlen (".yaml"));
      g_autoptr (GError) local = NULL;
      VtPolicy *policy = load_policy_file (path, name, &local);

      if (!policy)
        {
          add_problem (problems, g_strdup (local->message));
          continue;
        }
      /* A later directory overrides: the administrator's copy replaces the built-in one. */
      g_hash_table_replace (set->by_name, policy->name, policy);
    }
}

/* TRUE when @target is reachable from @from through include edges; @path collects the
 * names walked (for the message). @visited stops the walk on cycles elsewhere. */
static gboolean
include_path_to (const VtPolicySet *set, const VtPolicy *from, const char *target,
                 GHashTable *visited, GPtrArray *path)
{
  g_ptr_array_add (path, from->name);
  for (guint i = 0; from->include[i]; i++)
    {
      const char *name = from->include[i];
      const VtPolicy *next = vt_policy_set_lookup (set, name);

      if (g_str_equal (name, target))
        {
          g_ptr_array_add (path, (char *) name);
          return TRUE;
        }
      if (!next || !g_hash_table_add (visited, (gpointer) name))
        continue;
      if (include_path_to (set, next, target, visited, path))
        return TRUE;
    }
  g_ptr_array_remove_index (path, path->len - 1);
  return FALSE;
}

static char *
reference_problem (const VtPolicySet *set, const char *field, const char *name,
                   GHashTable *dropped)
{
  if (vt_policy_set_lookup (set, name))
    return NULL;
  if (g_hash_table_contains (dropped, name))
    return g_strdup_printf ("%s '%s', which was dropped", field, name);
  return g_strdup_printf ("%s unknown policy '%s'", field, name);
}

/* A lock holds the value its policy applies, so the key must be set by the policy or
 * one of its includes. */
static char *
unset_lock_problem (const VtPolicySet *set, const VtPolicy *policy)
{
  g_autoptr (GPtrArray) order = g_ptr_array_new ();

  vt_policy_set_expand (set, policy, order);
  for (guint i = 0; policy->locks[i]; i++)
    {
      gboolean set_somewhere = FALSE;

      for (guint j = 0; j < order->len && !set_somewhere; j++)
        set_somewhere = policy_sets_key (g_ptr_array_index (order, j), policy->locks[i]);
      if (!set_somewhere)
        return g_strdup_printf ("locks %s, which neither it nor its includes set",
                                policy->locks[i]);
    }
  return NULL;
}

/* Why @policy cannot be used in @set, or NULL when it can. */
static char *
policy_set_problem (const VtPolicySet *set, const VtPolicy *policy, GHashTable *dropped)
{
  g_autoptr (GHashTable) visited = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GPtrArray) path = g_ptr_array_new ();
  char *why;

  for (guint i = 0; policy->include[i]; i++)
    if ((why = reference_problem (set, "includes", policy->include[i], dropped)))
      return why;
  for (guint i = 0; policy->conflicts[i]; i++)
    if ((why = reference_problem (set, "conflicts with", policy->conflicts[i], dropped)))
      return why;
  if (include_path_to (set, policy, policy->name, visited, path))
    {
      g_autofree char *cycle = NULL;

      g_ptr_array_add (path, NULL);
      cycle = g_strjoinv (" -> ", (char **) path->pdata);
      return g_strdup_printf ("is in the include cycle %s", cycle);
    }
  return unset_lock_problem (set, policy);
}

/* Drops policies with dangling references or include cycles. Each pass judges every
 * policy against the same set (so all members of a cycle report the cycle), then
 * removes the bad ones; dropping may break others, hence repeat until stable. */
static void
drop_invalid_policies (VtPolicySet *set, GPtrArray *problems)
{
  g_autoptr (GHashTable) dropped = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                          NULL);
  gboolean changed = TRUE;

  while (changed)
    {
      g_autoptr (GPtrArray) list = vt_policy_set_list (set);
      g_autoptr (GPtrArray) bad = g_ptr_array_new ();

      for (guint i = 0; i < list->len; i++)
        {
          const VtPolicy *policy = g_ptr_array_index (list, i);
          g_autofree char *why = policy_set_problem (set, policy, dropped);

          if (!why)
            continue;
          add_problem (problems, g_strdup_printf ("%s: policy '%s' %s; it is not loaded",
                                                  policy->origin, policy->name, why));
          g_ptr_array_add (bad, policy->name);
        }
      for (guint i = 0; i < bad->len; i++)
        {
          char *name = g_strdup (g_ptr_array_index (bad, i));
          g_hash_table_remove (set->by_name, name);
          g_hash_table_add (dropped, name);
        }
      changed = bad->len > 0;
    }
}

VtPolicySet *
vt_policy_set_load (const char *const *dirs, GPtrArray *problems)
{
  VtPolicySet *set = g_new0 (VtPolicySet, 1);

  set->by_name = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                        (GDestroyNotify) vt_policy_free);
  for (guint i = 0; dirs && dirs[i]; i++)
    load_directory (set, dirs[i], problems);
  drop_invalid_policies (set, problems);
  return set;
}

void
vt_policy_set_free (VtPolicySet *set)
{
  if (!set)
    return;
  g_hash_table_unref (set->by_name);
  g_free (set);
}

const VtPolicy *
vt_policy_set_lookup (const VtPolicySet *set, const char *name)
{
  return g_hash_table_lookup (set->by_name, name);
}

const VtPolicy *
vt_policy_set_require (const VtPolicySet *set, const char *name, GError **error)
{
  const VtPolicy *policy = vt_policy_set_lookup (set, name);
  g_autofree char *shown = NULL;

  if (policy)
    return policy;
  shown = vt_echo (name);
  g_set_error (error, VT_ERROR, VT_ERROR_UNKNOWN_SCENARIO, "unknown scenario '%s'", shown);
  return NULL;
}

static gint
compare_policy_names (gconstpointer a, gconstpointer b)
{
  const VtPolicy *pa = *(const VtPolicy *const *) a;
  const VtPolicy *pb = *(const VtPolicy *const *) b;

  return strcmp (pa->name, pb->name);
}

GPtrArray *
vt_policy_set_list (const VtPolicySet *set)
{
  g_autoptr (GPtrArray) list = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer policy;

  g_hash_table_iter_init (&iter, set->by_name);
  while (g_hash_table_iter_next (&iter, NULL, &policy))
    g_ptr_array_add (list, policy);
  /* Sorting removes the hash table's order from everything built on this list. */
  g_ptr_array_sort (list, compare_policy_names);
  return g_steal_pointer (&list);
}

/* @visiting holds the policies whose includes are being expanded: a cycle (only
 * possible while the loader is still judging the set) then ends instead of recursing. */
static void
expand_policy (const VtPolicySet *set, const VtPolicy *policy, GPtrArray *order,
               GPtrArray *visiting)
{
  if (g_ptr_array_find (order, policy, NULL) || g_ptr_array_find (visiting, policy, NULL))
    return;
  g_ptr_array_add (visiting, (gpointer) policy);
  for (guint i = 0; policy->include[i]; i++)
    {
      const VtPolicy *included = vt_policy_set_lookup (set, policy->include[i]);
      if (included)
        expand_policy (set, included, order, visiting);
    }
  g_ptr_array_remove_index (visiting, visiting->len - 1);
  g_ptr_array_add (order, (gpointer) policy);
}

void
vt_policy_set_expand (const VtPolicySet *set, const VtPolicy *policy, GPtrArray *order)
{
  g_autoptr (GPtrArray) visiting = g_ptr_array_new ();

  expand_policy (set, policy, order, visiting);
}

/* ---- describe ---------------------------------------------------------------------- */

/* A small event writer over libyaml's emitter: it quotes and escapes as YAML requires. */
typedef struct {
  yaml_emitter_t emitter;
  GString *out;
  gboolean ok;
} Writer;

static int
writer_sink (void *data, unsigned char *buffer, size_t size)
{
  g_string_append_len (data, (const char *) buffer, (gssize) size);
  return 1;
}

static void
writer_emit (Writer *w, yaml_event_t *event, int initialized)
{
  if (!initialized)
    {
      w->ok = FALSE;
      return;
    }
  /* The emitter owns (and frees) events it accepts; after a failure we free them. */
  if (!w->ok)
    yaml_event_delete (event);
  else if (!yaml_emitter_emit (&w->emitter, event))
    w->ok = FALSE;
}

/* @quoted forces double quotes, so values like `on` or `2` stay strings for any reader. */
static void
write_scalar (Writer *w, const char *text, gboolean quoted)
{
  yaml_event_t ev;
  int init = yaml_scalar_event_initialize (&ev, NULL, NULL, (yaml_char_t *) text,
                                           (int) strlen (text), 1, 1,
                                           quoted ? YAML_DOUBLE_QUOTED_SCALAR_STYLE
                                                  : YAML_ANY_SCALAR_STYLE);
  writer_emit (w, &ev, init);
}

static void
write_mapping (Writer *w, gboolean start)
{
  yaml_event_t ev;
  int init = start ? yaml_mapping_start_event_initialize (&ev, NULL, NULL, 1,
                                                          YAML_BLOCK_MAPPING_STYLE)
                   : yaml_mapping_end_event_initialize (&ev);
  writer_emit (w, &ev, init);
}

static void
write_list (Writer *w, const char *key, const char *const *items)
{
  yaml_event_t ev;

  write_scalar (w, key, FALSE);
  writer_emit (w, &ev, yaml_sequence_start_event_initialize (&ev, NULL, NULL, 1,
                                                             YAML_FLOW_SEQUENCE_STYLE));
  for (guint i = 0; items[i]; i++)
    write_scalar (w, items[i], FALSE);
  writer_emit (w, &ev, yaml_sequence_end_event_initialize (&ev));
}

static void
write_document (Writer *w, gboolean start)
{
  yaml_event_t ev;

  if (start)
    {
      writer_emit (w, &ev, yaml_stream_start_event_initialize (&ev, YAML_UTF8_ENCODING));
      writer_emit (w, &ev, yaml_document_start_event_initialize (&ev, NULL, NULL, NULL, 1));
      return;
    }
  writer_emit (w, &ev, yaml_document_end_event_initialize (&ev, 1));
  writer_emit (w, &ev, yaml_stream_end_event_initialize (&ev));
}

/* What applying @policy ends up setting: includes first, its own settings last. */
static VtSettings *
effective_settings (const VtPolicySet *set, const VtPolicy *policy)
{
  g_autoptr (GPtrArray) order = g_ptr_array_new ();
  VtSettings *settings = vt_settings_new ();

  vt_policy_set_expand (set, policy, order);
  for (guint i = 0; i < order->len; i++)
    {
      const VtPolicy *p = g_ptr_array_index (order, i);
      for (guint j = 0; j < p->settings->len; j++)
        {
          const VtPolicySetting *s = g_ptr_array_index (p->settings, j);
          vt_settings_set_entry (settings, s->entry, s->value, p->name);
        }
    }
  return settings;
}

static void
write_policy (Writer *w, const VtPolicySet *set, const VtPolicy *policy)
{
  g_autoptr (VtSettings) settings = effective_settings (set, policy);
  g_autoptr (GPtrArray) list = vt_settings_list (settings);

  write_mapping (w, TRUE);
  write_scalar (w, "name", FALSE);
  write_scalar (w, policy->name, FALSE);
  write_scalar (w, "summary", FALSE);
  write_scalar (w, policy->summary, TRUE);
  write_list (w, "include", (const char *const *) policy->include);
  write_list (w, "conflicts", (const char *const *) policy->conflicts);
  write_list (w, "locks", (const char *const *) policy->locks);
  write_scalar (w, "settings", FALSE);
  write_mapping (w, TRUE);
  for (guint i = 0; i < list->len; i++)
    {
      const VtSetting *s = g_ptr_array_index (list, i);
      write_scalar (w, s->entry->key, FALSE);
      write_scalar (w, s->value, TRUE);
    }
  write_mapping (w, FALSE);
  write_mapping (w, FALSE);
}

char *
vt_policy_set_describe (const VtPolicySet *set, const char *name, GError **error)
{
  const VtPolicy *policy = vt_policy_set_require (set, name, error);
  g_autoptr (GString) out = NULL;
  Writer w = { .ok = TRUE };

  if (!policy)
    return NULL;
  out = g_string_new (NULL);
  w.out = out;
  if (!yaml_emitter_initialize (&w.emitter))
    {
      g_set_error (error, VT_ERROR, VT_ERROR_FAILED, "cannot initialize the YAML writer");
      return NULL;
    }
  yaml_emitter_set_output (&w.emitter, writer_sink, out);
  yaml_emitter_set_unicode (&w.emitter, 1);
  yaml_emitter_set_width (&w.emitter, -1);
  write_document (&w, TRUE);
  write_policy (&w, set, policy);
  write_document (&w, FALSE);
  yaml_emitter_delete (&w.emitter);
  if (!w.ok)
    {
      g_set_error (error, VT_ERROR, VT_ERROR_FAILED, "cannot write the description of '%s'",
                   policy->name);
      return NULL;
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}
