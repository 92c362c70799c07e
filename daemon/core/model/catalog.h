/* virtuned — the settings catalog: every policy/user setting key, its type and its
 * allowed values, defined once (SPEC §4.2). Policies, descriptions, the merge engine
 * and the README table all derive from this table. */
#pragma once

#include <glib.h>

#include "util/yaml-tree.h"

G_BEGIN_DECLS

typedef enum {
  VT_TYPE_BOOL,        /* on|off (also true/false/yes/no); canonical "on"/"off" */
  VT_TYPE_ENUM,        /* one of choices */
  VT_TYPE_INT,         /* decimal in [min, max], no leading zero (vt_parse_decimal) */
  VT_TYPE_SIZE,        /* size with unit in [min, max] bytes; canonical e.g. "8MiB" */
  VT_TYPE_WORDS,       /* space-separated (or YAML list) subset of choices, order kept */
  VT_TYPE_MACHINE,     /* machine type name: q35, pc, pc-q35-X.Y, pc-i440fx-X.Y
                          (model/machine.h); the host layer judges it against the host */
  VT_TYPE_HEX,         /* 0x-prefixed 32-bit number; canonical "0x%04x" */
  VT_TYPE_CPUSET,      /* host CPU list "2-7,10" (model/cpuset.h); canonical ranges */
} VtSettingType;

typedef struct {
  const char *key;
  VtSettingType type;
  const char *const *choices;  /* ENUM, WORDS: NULL-terminated */
  gint64 min, max;             /* INT; SIZE in bytes */
  const char *special;         /* one extra literal accepted as is ("auto", "default"), or NULL */
  const char *help;            /* one line for the README and `vscenctl scenario` */
  /* ENUM with an "auto" choice: what auto may resolve to, best first. A policy's lock on
   * auto accepts these (it locks "whatever the host offers", not the word). */
  const char *const *auto_means;
  gboolean power_of_two;       /* SIZE: only powers of two are valid */
  gint64 granularity;          /* SIZE: the unit the value reaches libvirt in (guest.memory:
                                  KiB); a value must be a whole number of it, never rounded
                                  silently. 0: bytes */
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

/* Checks that @bytes, read from @raw, is a whole number of @entry's granularity (the
 * unit libvirt takes it in); else VT_ERROR_INVALID_DESCRIPTION naming the key. Settings
 * and the description's own sizes (memory:) share this check. */
gboolean vt_catalog_check_granularity (const VtCatalogEntry *entry, const char *raw,
                                       guint64 bytes, GError **error);

/* TRUE when a key locked to @locked accepts @value: the same value, or one that
 * @entry's "auto" stands for when @locked is auto. */
gboolean vt_catalog_lock_accepts (const VtCatalogEntry *entry, const char *locked,
                                  const char *value);

/* Parses a boolean spelled on|off, true|false or yes|no (any case): the one place that
 * defines these spellings, for VT_TYPE_BOOL settings and the description's own flags.
 * Returns FALSE when @raw is none of them. */
gboolean vt_catalog_parse_bool (const char *raw, gboolean *value);

/* Receives one setting read by vt_catalog_read_settings(): @canonical is the callee's;
 * @node is the value's node (for positions). */
typedef void (*VtCatalogSettingFunc) (const VtCatalogEntry *entry, char *canonical,
                                      const VtYamlNode *node, gpointer data);

/* Reads a `settings:` mapping (descriptions and policies share it): each key must be in
 * the catalog, each value a scalar or, for word lists, a list of scalars (each word is
 * checked on its own so an error points at it). Calls @add for each in document order.
 * Errors are VT_ERROR_INVALID_DESCRIPTION "PATH.KEY (line L, column C): sentence", with
 * the caller's key and value text echoed escaped (vt_echo). */
gboolean vt_catalog_read_settings (const VtYamlNode *map, const char *path,
                                   VtCatalogSettingFunc add, gpointer data, GError **error);

/* Human description of the allowed values ("on|off", "0..200", "size 512B..1GiB or default"). */
char *vt_catalog_describe_values (const VtCatalogEntry *entry);

/* The catalog as a Markdown table: the README's settings table is this text verbatim
 * (virtuned --print-catalog; a test compares them). */
char *vt_catalog_markdown (void);

G_END_DECLS
