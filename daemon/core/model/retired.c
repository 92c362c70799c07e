#include "model/retired.h"

#include "util/error.h"

static const struct {
  const char *key;
  const char *word;
  const char *instead;
} retired[] = {
  /* A feature word can only add <pmu state='on'/>; realtime needs it off, so the PMU
   * became a key of its own that says both. */
  { "guest.features", "pmu", "set guest.pmu: on (or off) instead" },
};

gboolean
vt_catalog_check_retired (const VtCatalogEntry *entry, const char *raw, GError **error)
{
  g_auto (GStrv) words = NULL;

  if (entry->type != VT_TYPE_WORDS)
    return TRUE;
  words = g_strsplit_set (raw, " ,", -1);
  for (gsize i = 0; i < G_N_ELEMENTS (retired); i++)
    if (g_str_equal (entry->key, retired[i].key) &&
        g_strv_contains ((const char *const *) words, retired[i].word))
      {
        g_set_error (error, VT_ERROR, VT_ERROR_INVALID_DESCRIPTION,
                     "'%s' is no longer a %s word: %s", retired[i].word, entry->key,
                     retired[i].instead);
        return FALSE;
      }
  return TRUE;
}
