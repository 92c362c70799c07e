/* virtuned — a bounded YAML document tree with source positions.
 *
 * Descriptions come from untrusted D-Bus callers and policies from files; both are
 * loaded through this one reader so that size, depth and alias limits, and the
 * "key path, line, column" error format, are enforced in a single place. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  VT_YAML_SCALAR,
  VT_YAML_MAPPING,
  VT_YAML_SEQUENCE,
} VtYamlKind;

typedef struct _VtYamlNode VtYamlNode;
struct _VtYamlNode {
  VtYamlKind kind;
  guint line;            /* 1-based */
  guint column;          /* 1-based */
  char *value;           /* SCALAR: the text; otherwise NULL */
  gboolean quoted;       /* SCALAR: written with quotes (never a bare word like `on`) */
  /* MAPPING: keys[i] -> items[i]; SEQUENCE: items only. Keys are scalars. */
  GPtrArray *keys;       /* of VtYamlNode* (scalars), MAPPING only */
  GPtrArray *items;      /* of VtYamlNode* */
};

typedef struct {
  gsize max_bytes;       /* whole document */
  guint max_depth;       /* nesting of mappings/sequences */
  guint max_nodes;       /* total nodes */
  guint max_scalar;      /* bytes in one scalar */
} VtYamlLimits;

/* Parses exactly one document. Aliases and anchors are refused (no alias bombs);
 * duplicate mapping keys are refused; errors are VT_ERROR_INVALID_DESCRIPTION with
 * "line L, column C: ..." in the message. @what names the input in messages
 * ("description", a file name). */
VtYamlNode *vt_yaml_parse (const char *text, gsize len, const VtYamlLimits *limits,
                           const char *what, GError **error);
void vt_yaml_node_free (VtYamlNode *node);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VtYamlNode, vt_yaml_node_free)

/* Mapping lookup; NULL when absent or @map is not a mapping. */
VtYamlNode *vt_yaml_mapping_get (const VtYamlNode *map, const char *key);
/* The key node itself (for positions in messages about the key); NULL as above. */
VtYamlNode *vt_yaml_mapping_get_key (const VtYamlNode *map, const char *key);

const char *vt_yaml_kind_name (VtYamlKind kind);

/* Formats the canonical position error: "PATH (line L, column C): MESSAGE".
 * Used by every walker of a VtYamlNode tree so errors look the same everywhere. */
void vt_yaml_set_error (GError **error, gint code, const char *path, const VtYamlNode *node,
                        const char *format, ...) G_GNUC_PRINTF (5, 6);

G_END_DECLS
