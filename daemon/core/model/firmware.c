/* QEMU firmware descriptors. They are JSON, which the bounded YAML reader reads (JSON is
 * YAML), so a huge or hostile file costs no more here than a description does. */
#include "model/firmware.h"

#include <string.h>

#include "util/yaml-tree.h"

/* In QEMU's order, lowest priority first: a later directory overrides an earlier one. */
static const char *const search_dirs[] = { "usr/share/qemu/firmware", "etc/qemu/firmware" };

/* Real descriptors are about 1 KiB. */
static const VtYamlLimits descriptor_limits = {
  .max_bytes = 64 * 1024,
  .max_depth = 8,
  .max_nodes = 1024,
  .max_scalar = 4096,
};

void
vt_firmware_descriptors_free (VtFirmwareDescriptors *firmware)
{
  if (!firmware)
    return;
  g_free (firmware->dirs);
  g_ptr_array_unref (firmware->names);
  g_ptr_array_unref (firmware->sev_es);
  g_free (firmware);
}

/* TRUE when the list @node holds the scalar @word. */
static gboolean
list_holds (const VtYamlNode *node, const char *word)
{
  if (!node || node->kind != VT_YAML_SEQUENCE)
    return FALSE;
  for (guint i = 0; i < node->items->len; i++)
    {
      const VtYamlNode *item = g_ptr_array_index (node->items, i);
      if (item->kind == VT_YAML_SCALAR && g_str_equal (item->value, word))
        return TRUE;
    }
  return FALSE;
}

static gboolean
targets_x86_64 (const VtYamlNode *targets)
{
  if (!targets || targets->kind != VT_YAML_SEQUENCE)
    return FALSE;
  for (guint i = 0; i < targets->items->len; i++)
    {
      const VtYamlNode *arch = vt_yaml_mapping_get (g_ptr_array_index (targets->items, i),
                                                    "architecture");
      if (arch && arch->kind == VT_YAML_SCALAR && g_str_equal (arch->value, "x86_64"))
        return TRUE;
    }
  return FALSE;
}

/* Reads one descriptor; FALSE with @error when it cannot be used. An empty file is a
 * descriptor switched off (QEMU's rule), not an error: *@masked says so. */
static gboolean
offers_sev_es (const char *path, gboolean *masked, gboolean *sev_es, GError **error)
{
  g_autofree char *text = NULL;
  g_autoptr (VtYamlNode) root = NULL;
  gsize len = 0;

  if (!g_file_get_contents (path, &text, &len, error))
    return FALSE;
  *masked = len == 0;
  if (*masked)
    return TRUE;
  root = vt_yaml_parse (text, len, &descriptor_limits, path, error);
  if (!root)
    return FALSE;
  *sev_es = list_holds (vt_yaml_mapping_get (root, "features"), "amd-sev-es") &&
            targets_x86_64 (vt_yaml_mapping_get (root, "targets"));
  return TRUE;
}

/* Adds DIR's *.json files to @in_effect (name -> path), replacing earlier ones. */
static void
collect (const char *dir, GHashTable *in_effect, GPtrArray *problems)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GDir) d = g_dir_open (dir, 0, &error);
  const char *entry;

  if (!d)
    {
      if (!g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        g_ptr_array_add (problems, g_strdup_printf ("%s: cannot read the firmware "
                                                    "descriptors: %s", dir, error->message));
      return;
    }
  while ((entry = g_dir_read_name (d)))
    if (g_str_has_suffix (entry, ".json"))
      g_hash_table_replace (in_effect, g_strdup (entry), g_build_filename (dir, entry, NULL));
}

static gint
compare_strings (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

/* libvirt tries descriptors in name order; so does this, and messages are stable too. */
static GPtrArray *
sorted_names (GHashTable *in_effect)
{
  GPtrArray *names = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer name;

  g_hash_table_iter_init (&iter, in_effect);
  while (g_hash_table_iter_next (&iter, &name, NULL))
    g_ptr_array_add (names, name);
  g_ptr_array_sort (names, compare_strings);
  return names;
}

static void
read_descriptors (VtFirmwareDescriptors *firmware, GHashTable *in_effect, GPtrArray *problems)
{
  g_autoptr (GPtrArray) names = sorted_names (in_effect);

  for (guint i = 0; i < names->len; i++)
    {
      const char *name = g_ptr_array_index (names, i);
      g_autoptr (GError) error = NULL;
      gboolean masked = FALSE, sev_es = FALSE;

      if (!offers_sev_es (g_hash_table_lookup (in_effect, name), &masked, &sev_es, &error))
        {
          g_ptr_array_add (problems, g_strdup_printf ("firmware descriptor skipped: %s",
                                                      error->message));
          continue;
        }
      if (masked)
        continue;
      g_ptr_array_add (firmware->names, g_strdup (name));
      if (sev_es)
        g_ptr_array_add (firmware->sev_es, g_strdup (name));
    }
}

VtFirmwareDescriptors *
vt_firmware_descriptors_load (const char *root, GPtrArray *problems)
{
  VtFirmwareDescriptors *firmware = g_new0 (VtFirmwareDescriptors, 1);
  g_autoptr (GHashTable) in_effect = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                            g_free);
  g_autoptr (GStrvBuilder) dirs = g_strv_builder_new ();
  g_auto (GStrv) dir_list = NULL;

  firmware->names = g_ptr_array_new_with_free_func (g_free);
  firmware->sev_es = g_ptr_array_new_with_free_func (g_free);
  for (gsize i = 0; i < G_N_ELEMENTS (search_dirs); i++)
    {
      g_autofree char *dir = g_build_filename (root, search_dirs[i], NULL);
      collect (dir, in_effect, problems);
      g_strv_builder_add (dirs, dir);
    }
  dir_list = g_strv_builder_end (dirs);
  firmware->dirs = g_strjoinv (", ", dir_list);
  read_descriptors (firmware, in_effect, problems);
  return firmware;
}
