/* virtuned — the settings catalog: every policy/user setting key, its type and its
 * allowed values, defined once (SPEC §4.2). Policies, descriptions, the merge engine
 * and the README table all derive from this table. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  VT_TYPE_BOOL,        /* on|off (also true/false/yes/no); canonical "on"/"off" */
  VT_TYPE_ENUM,        /* one of choices */
  VT_TYPE_INT,         /* decimal in [min, max] */
  VT_TYPE_SIZE,        /* size with unit in [min, max] bytes; canonical e.g. "8MiB" */
  VT_TYPE_WORDS,       /* space-separated (or YAML list) subset of choices, order kept */
  VT_TYPE_MACHINE,     /* machine type name: q35, pc, or a versioned pc-q35-X.Y */
  VT_TYPE_HEX,         /* 0x-prefixed 32-bit number; canonical "0x%04x" */
} VtSettingType;

typedef struct {
  const char *key;
  VtSettingType type;
  const char *const *choices;  /* ENUM, WORDS: NULL-terminated */
  gint64 min, max;             /* INT; SIZE in bytes */
  const char *special;         /* one extra literal accepted as is ("auto", "default"), or NULL */
  const char *help;            /* one line for the README and `vscenctl scenario` */
} VtCatalogEntry;

const VtCatalogEntry *vt_catalog_lookup (const char *key);

/* All entries in their fixed, documented order (provenance tables use this order). */
const VtCatalogEntry *vt_catalog_entries (guint *n_entries);

/* Index of @entry in vt_catalog_entries(); stable for the life of the process. */
guint vt_catalog_index (const VtCatalogEntry *entry);

/* Validates @raw against @entry and returns its canonical spelling in @canonical.
 * Errors are VT_ERROR_INVALID_DESCRIPTION with a short message and no position. */
gboolean vt_catalog_normalize (const VtCatalogEntry *entry, const char *raw, char **canonical,
                               GError **error);

/* Parses a boolean spelled on|off, true|false or yes|no (any case): the one place that
 * defines these spellings, for VT_TYPE_BOOL settings and the description's own flags.
 * Returns FALSE when @raw is none of them. */
gboolean vt_catalog_parse_bool (const char *raw, gboolean *value);

/* Human description of the allowed values ("on|off", "0..200", "size 512..1GiB or default"). */
char *vt_catalog_describe_values (const VtCatalogEntry *entry);

G_END_DECLS
