/* virtuned — a set of resolved settings, each remembering the layer that set it. */
#pragma once

#include <glib.h>

#include "model/catalog.h"

G_BEGIN_DECLS

typedef struct {
  const VtCatalogEntry *entry;
  char *value;        /* canonical spelling (vt_catalog_normalize) */
  const char *layer;  /* provenance (owned by the VtSettings): "default", "os:ID", "scenario:NAME", "user", "host", or
                         "requires:KEY" (set because the value of KEY needs it) */
  char *locked_by;    /* name of the policy that locked the key, or NULL */
} VtSetting;

typedef struct _VtSettings VtSettings;

VtSettings *vt_settings_new (void);
void vt_settings_free (VtSettings *settings);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VtSettings, vt_settings_free)

/* Stores @value (already canonical) for @key with provenance @layer. The lock, if any,
 * is kept; enforcing it is the merge engine's job. @key must be in the catalog. */
void vt_settings_set (VtSettings *settings, const char *key, const char *value,
                      const char *layer);
/* The same for a catalog entry the caller already holds (a policy's settings are
 * resolved to entries when it is loaded). */
void vt_settings_set_entry (VtSettings *settings, const VtCatalogEntry *entry,
                            const char *value, const char *layer);
void vt_settings_lock (VtSettings *settings, const char *key, const char *policy);

const VtSetting *vt_settings_lookup (const VtSettings *settings, const char *key);
const VtSetting *vt_settings_lookup_entry (const VtSettings *settings,
                                           const VtCatalogEntry *entry);
/* NULL when unset. */
const char *vt_settings_get (const VtSettings *settings, const char *key);
/* TRUE only when set to "on". */
gboolean vt_settings_get_bool (const VtSettings *settings, const char *key);
/* @fallback when unset or not a number. */
gint64 vt_settings_get_int (const VtSettings *settings, const char *key, gint64 fallback);
/* Bytes; 0 when unset or not a size (e.g. "default"). */
guint64 vt_settings_get_size (const VtSettings *settings, const char *key);
/* TRUE when @key is set to @value. */
gboolean vt_settings_is (const VtSettings *settings, const char *key, const char *value);

/* The set settings in catalog order (borrowed VtSetting*). */
GPtrArray *vt_settings_list (const VtSettings *settings);

G_END_DECLS
