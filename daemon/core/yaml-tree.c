#include "yaml-tree.h"

#include <stdarg.h>
#include <string.h>
#include <yaml.h>

#include "error.h"

static VtYamlNode *
node_new (VtYamlKind kind, const yaml_mark_t *mark)
{
  VtYamlNode *node = g_new0 (VtYamlNode, 1);

  node->kind = kind;
  node->line = mark->line + 1;
  node->column = mark->column + 1;
  if (kind == VT_YAML_MAPPING)
    node->keys = g_ptr_array_new_with_free_func ((GDestroyNotify) vt_yaml_node_free);
  if (kind != VT_YAML_SCALAR)
    node->items = g_ptr_array_new_with_free_func ((GDestroyNotify) vt_yaml_node_free);
  return node;
}

void
vt_yaml_node_free (VtYamlNode *node)
{
  if (!node)
    return;
  g_free (node->value);
  g_clear_pointer (&node->keys, g_ptr_array_unref);
  g_clear_pointer (&node->items, g_ptr_array_unref);
  g_free (node);
}

const char *
vt_yaml_kind_name (VtYamlKind kind)
{
  switch (kind)
    {
    case VT_YAML_SCALAR:
      return "a scalar";
    case VT_YAML_MAPPING:
      return "a mapping";
    case VT_YAML_SEQUENCE:
      return "a list";
    }
  return "?";
}

VtYamlNode *
vt_yaml_mapping_get (const VtYamlNode *map, const char *key)
{
  if (!map || map->kind != VT_YAML_MAPPING)
    return NULL;
  for (guint i = 0; i < map->keys->len; i++)
    {
      const VtYamlNode *k = g_ptr_array_index (map->keys, i);
      if (g_strcmp0 (k->value, key) == 0)
        return g_ptr_array_index (map->items, i);
    }
  return NULL;
}

void
vt_yaml_set_error (GError **error, gint code, const char *path, const VtYamlNode *node,
                   const char *format, ...)
{
  va_list ap;
  g_autofree char *msg = NULL;

  va_start (ap, format);
  msg = g_strdup_vprintf (format, ap);
  va_end (ap);
  g_set_error (error, VT_ERROR, code, "%s (line %u, column %u): %s",
               path && *path ? path : "document", node ? node->line : 0,
               node ? node->column : 0, msg);
}

/* Parser state: a stack of open collections plus a pending mapping key. */
typedef struct {
  const VtYamlLimits *limits;
  const char *what;
  GPtrArray *stack;          /* VtYamlNode* (borrowed: owned by parent or root) */
  GPtrArray *pending_keys;   /* per stack level: VtYamlNode* key waiting for a value, or NULL */
  VtYamlNode *root;
  guint n_nodes;
} Builder;

static gboolean
position_error (GError **error, const char *what, const yaml_mark_t *mark, const char *msg)
{
  g_set_error (error, VT_ERROR, VT_ERROR_INVALID_DESCRIPTION,
               "%s (line %zu, column %zu): %s", what, (size_t) mark->line + 1,
               (size_t) mark->column + 1, msg);
  return FALSE;
}

/* Attaches @node (ownership taken) to the innermost open collection. */
static gboolean
builder_attach (Builder *b, VtYamlNode *node, GError **error)
{
  VtYamlNode *parent;
  guint top;

  if (++b->n_nodes > b->limits->max_nodes)
    {
      g_set_error (error, VT_ERROR, VT_ERROR_INVALID_DESCRIPTION,
                   "%s (line %u, column %u): too many YAML nodes (limit %u)", b->what,
                   node->line, node->column, b->limits->max_nodes);
      vt_yaml_node_free (node);
      return FALSE;
    }
  if (b->stack->len == 0)
    {
      b->root = node;
      return TRUE;
    }
  top = b->stack->len - 1;
  parent = g_ptr_array_index (b->stack, top);
  if (parent->kind == VT_YAML_SEQUENCE)
    {
      g_ptr_array_add (parent->items, node);
      return TRUE;
    }
  /* Mapping: alternate key, value. */
  VtYamlNode *key = g_ptr_array_index (b->pending_keys, top);
  if (!key)
    {
      if (node->kind != VT_YAML_SCALAR)
        {
          g_set_error (error, VT_ERROR, VT_ERROR_INVALID_DESCRIPTION,
                       "%s (line %u, column %u): mapping keys must be plain scalars",
                       b->what, node->line, node->column);
          vt_yaml_node_free (node);
          return FALSE;
        }
      if (vt_yaml_mapping_get (parent, node->value))
        {
          g_set_error (error, VT_ERROR, VT_ERROR_INVALID_DESCRIPTION,
                       "%s (line %u, column %u): duplicate key '%s'", b->what, node->line,
                       node->column, node->value);
          vt_yaml_node_free (node);
          return FALSE;
        }
      g_ptr_array_index (b->pending_keys, top) = node;
      return TRUE;
    }
  g_ptr_array_add (parent->keys, key);
  g_ptr_array_add (parent->items, node);
  g_ptr_array_index (b->pending_keys, top) = NULL;
  return TRUE;
}

static gboolean
builder_event (Builder *b, const yaml_event_t *ev, GError **error)
{
  switch (ev->type)
    {
    case YAML_ALIAS_EVENT:
      return position_error (error, b->what, &ev->start_mark,
                             "YAML aliases are not accepted");
    case YAML_SCALAR_EVENT:
      {
        VtYamlNode *node;

        if (ev->data.scalar.anchor)
          return position_error (error, b->what, &ev->start_mark,
                                 "YAML anchors are not accepted");
        if (ev->data.scalar.length > b->limits->max_scalar)
          return position_error (error, b->what, &ev->start_mark, "value is too long");
        /* A "\0" escape would silently cut the C string short ("/etc/shadow\0.img"). */
        if (memchr (ev->data.scalar.value, '\0', ev->data.scalar.length))
          return position_error (error, b->what, &ev->start_mark,
                                 "value contains a NUL character");
        node = node_new (VT_YAML_SCALAR, &ev->start_mark);
        node->value = g_strndup ((const char *) ev->data.scalar.value, ev->data.scalar.length);
        node->quoted = ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE;
        return builder_attach (b, node, error);
      }
    case YAML_SEQUENCE_START_EVENT:
    case YAML_MAPPING_START_EVENT:
      {
        gboolean is_map = ev->type == YAML_MAPPING_START_EVENT;
        VtYamlNode *node;
        const yaml_char_t *anchor = is_map ? ev->data.mapping_start.anchor
                                           : ev->data.sequence_start.anchor;

        if (anchor)
          return position_error (error, b->what, &ev->start_mark,
                                 "YAML anchors are not accepted");
        if (b->stack->len >= b->limits->max_depth)
          return position_error (error, b->what, &ev->start_mark, "nesting is too deep");
        node = node_new (is_map ? VT_YAML_MAPPING : VT_YAML_SEQUENCE, &ev->start_mark);
        if (!builder_attach (b, node, error))
          return FALSE;
        g_ptr_array_add (b->stack, node);
        g_ptr_array_add (b->pending_keys, NULL);
        return TRUE;
      }
    case YAML_SEQUENCE_END_EVENT:
    case YAML_MAPPING_END_EVENT:
      g_ptr_array_remove_index (b->stack, b->stack->len - 1);
      g_ptr_array_remove_index (b->pending_keys, b->pending_keys->len - 1);
      return TRUE;
    case YAML_DOCUMENT_START_EVENT:
      if (b->root)
        return position_error (error, b->what, &ev->start_mark,
                               "only one YAML document is accepted");
      return TRUE;
    default:
      return TRUE;
    }
}

VtYamlNode *
vt_yaml_parse (const char *text, gsize len, const VtYamlLimits *limits, const char *what,
               GError **error)
{
  yaml_parser_t parser;
  Builder b = { limits, what, NULL, NULL, NULL, 0 };
  gboolean done = FALSE, ok = TRUE;

  if (len > limits->max_bytes)
    {
      g_set_error (error, VT_ERROR, VT_ERROR_INVALID_DESCRIPTION,
                   "%s is too large: %zu bytes (limit %zu)", what, (size_t) len,
                   (size_t) limits->max_bytes);
      return NULL;
    }
  if (!yaml_parser_initialize (&parser))
    {
      g_set_error (error, VT_ERROR, VT_ERROR_FAILED, "cannot initialize the YAML parser");
      return NULL;
    }
  yaml_parser_set_input_string (&parser, (const unsigned char *) text, len);
  yaml_parser_set_encoding (&parser, YAML_UTF8_ENCODING);
  b.stack = g_ptr_array_new ();
  b.pending_keys = g_ptr_array_new ();

  while (ok && !done)
    {
      yaml_event_t ev;

      if (!yaml_parser_parse (&parser, &ev))
        {
          g_autofree char *msg = g_strdup_printf ("invalid YAML: %s%s%s%s",
                                                  parser.problem ? parser.problem : "syntax error",
                                                  parser.context ? " (" : "",
                                                  parser.context ? parser.context : "",
                                                  parser.context ? ")" : "");
          ok = position_error (error, what, &parser.problem_mark, msg);
          break;
        }
      ok = builder_event (&b, &ev, error);
      done = ev.type == YAML_STREAM_END_EVENT;
      yaml_event_delete (&ev);
    }
  yaml_parser_delete (&parser);

  /* On error, open collections are reachable from the root; orphan keys are not. */
  for (guint i = 0; i < b.pending_keys->len; i++)
    vt_yaml_node_free (g_ptr_array_index (b.pending_keys, i));
  g_ptr_array_unref (b.pending_keys);
  g_ptr_array_unref (b.stack);
  if (!ok)
    {
      vt_yaml_node_free (b.root);
      return NULL;
    }
  if (!b.root)
    {
      g_set_error (error, VT_ERROR, VT_ERROR_INVALID_DESCRIPTION, "%s is empty", what);
      return NULL;
    }
  return b.root;
}
