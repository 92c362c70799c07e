#include "model/settings.h"

#include "util/units.h"

struct _VtSettings {
  /* Indexed by vt_catalog_index(): a fixed array keeps lookups O(1) and listing ordered. */
  VtSetting *slots;
  guint n_slots;
  /* Every slot's layer points into this pool: a merge sets a hundred keys from a handful
   * of layers, so each layer name is copied once, not once per key. */
  GPtrArray *layers;
};

VtSettings *
vt_settings_new (void)
{
  VtSettings *s = g_new0 (VtSettings, 1);
  const VtCatalogEntry *entries = vt_catalog_entries (&s->n_slots);

  s->slots = g_new0 (VtSetting, s->n_slots);
  for (guint i = 0; i < s->n_slots; i++)
    s->slots[i].entry = &entries[i];
  s->layers = g_ptr_array_new_with_free_func (g_free);
  return s;
}

void
vt_settings_free (VtSettings *settings)
{
  if (!settings)
    return;
  for (guint i = 0; i < settings->n_slots; i++)
    {
      g_free (settings->slots[i].value);
      g_free (settings->slots[i].locked_by);
    }
  g_ptr_array_unref (settings->layers);
  g_free (settings->slots);
  g_free (settings);
}

static VtSetting *
slot_for (const VtSettings *settings, const char *key)
{
  const VtCatalogEntry *entry = vt_catalog_lookup (key);

  if (!entry)
    return NULL;
  return &settings->slots[vt_catalog_index (entry)];
}

/* @layer's copy in the pool; layers arrive in runs (a policy sets all its keys in a
 * row), so the newest entry is tried first. */
static const char *
pooled_layer (VtSettings *settings, const char *layer)
{
  for (guint i = settings->layers->len; i > 0; i--)
    {
      const char *pooled = g_ptr_array_index (settings->layers, i - 1);
      if (g_str_equal (pooled, layer))
        return pooled;
    }
  g_ptr_array_add (settings->layers, g_strdup (layer));
  return g_ptr_array_index (settings->layers, settings->layers->len - 1);
}

void
vt_settings_set_entry (VtSettings *settings, const VtCatalogEntry *entry, const char *value,
                       const char *layer)
{
  VtSetting *slot = &settings->slots[vt_catalog_index (entry)];

  g_free (slot->value);
  slot->value = g_strdup (value);
  slot->layer = pooled_layer (settings, layer);
}

void
vt_settings_set (VtSettings *settings, const char *key, const char *value, const char *layer)
{
  const VtCatalogEntry *entry = vt_catalog_lookup (key);

  g_return_if_fail (entry != NULL);
  vt_settings_set_entry (settings, entry, value, layer);
}

void
vt_settings_lock (VtSettings *settings, const char *key, const char *policy)
{
  VtSetting *slot = slot_for (settings, key);

  g_return_if_fail (slot != NULL);
  g_free (slot->locked_by);
  slot->locked_by = g_strdup (policy);
}

const VtSetting *
vt_settings_lookup_entry (const VtSettings *settings, const VtCatalogEntry *entry)
{
  const VtSetting *slot = &settings->slots[vt_catalog_index (entry)];

  return slot->value ? slot : NULL;
}

const VtSetting *
vt_settings_lookup (const VtSettings *settings, const char *key)
{
  const VtSetting *slot = slot_for (settings, key);

  return slot && slot->value ? slot : NULL;
}

const char *
vt_settings_get (const VtSettings *settings, const char *key)
{
  const VtSetting *s = vt_settings_lookup (settings, key);

  return s ? s->value : NULL;
}

gboolean
vt_settings_is (const VtSettings *settings, const char *key, const char *value)
{
  return g_strcmp0 (vt_settings_get (settings, key), value) == 0;
}

gboolean
vt_settings_get_bool (const VtSettings *settings, const char *key)
{
  return vt_settings_is (settings, key, "on");
}

gint64
vt_settings_get_int (const VtSettings *settings, const char *key, gint64 fallback)
{
  const char *v = vt_settings_get (settings, key);
  gint64 n;

  if (!v || !g_ascii_string_to_signed (v, 10, G_MININT64, G_MAXINT64, &n, NULL))
    return fallback;
  return n;
}

guint64
vt_settings_get_size (const VtSettings *settings, const char *key)
{
  const char *v = vt_settings_get (settings, key);
  guint64 bytes = 0;

  if (!v || !vt_parse_size (v, G_GUINT64_CONSTANT (1) << 20, &bytes, NULL))
    return 0;
  return bytes;
}

GPtrArray *
vt_settings_list (const VtSettings *settings)
{
  GPtrArray *list = g_ptr_array_new ();

  for (guint i = 0; i < settings->n_slots; i++)
    if (settings->slots[i].value)
      g_ptr_array_add (list, &settings->slots[i]);
  return list;
}
