#include "util/yaml-tree.h"

#include <stdarg.h>
#include <string.h>
#include <yaml.h>

#include "util/echo.h"
#include "util/error.h"

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

/* Index of @key in @map, or -1. */
static gint
mapping_find (const VtYamlNode *map, const char *key)
{
  if (!map || map->kind != VT_YAML_MAPPING)
    return -1;
  for (guint i = 0; i < map->keys->len; i++)
    {
      const VtYamlNode *k = g_ptr_array_index (map->keys, i);
      if (g_strcmp0 (k->value, key) == 0)
        return (gint) i;
    }
  return -1;
}

VtYamlNode *
vt_yaml_mapping_get (const VtYamlNode *map, const char *key)
{
  gint i = mapping_find (map, key);

  return i < 0 ? NULL : g_ptr_array_index (map->items, i);
}

VtYamlNode *
vt_yaml_mapping_get_key (const VtYamlNode *map, const char *key)
{
  gint i = mapping_find (map, key);

  return i < 0 ? NULL : g_ptr_array_index (map->keys, i);
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

/* Frees @node and reports @message at its position. */
static gboolean
node_error (Builder *b, VtYamlNode *node, GError **error, const char *message)
{
  g_set_error (error, VT_ERROR, VT_ERROR_INVALID_DESCRIPTION, "%s (line %u, column %u): %s",
               b->what, node->line, node->column, message);
  vt_yaml_node_free (node);
  return FALSE;
}

/* In a mapping nodes alternate: a scalar key is held until its value arrives. */
static gboolean
mapping_attach (Builder *b, VtYamlNode *map, guint level, VtYamlNode *node, GError **error)
{
  VtYamlNode *key = g_ptr_array_index (b->pending_keys, level);

  if (key)
    {
      g_ptr_array_add (map->keys, key);
      g_ptr_array_add (map->items, node);
      g_ptr_array_index (b->pending_keys, level) = NULL;
      return TRUE;
    }
  if (node->kind != VT_YAML_SCALAR)
    return node_error (b, node, error, "mapping keys must be plain scalars");
  if (vt_yaml_mapping_get (map, node->value))
    {
      g_autofree char *shown = vt_echo (node->value);
      g_autofree char *msg = g_strdup_printf ("duplicate key '%s'", shown);
      return node_error (b, node, error, msg);
    }
  g_ptr_array_index (b->pending_keys, level) = node;
  return TRUE;
}

/* Attaches @node (ownership taken) to the innermost open collection. */
static gboolean
builder_attach (Builder *b, VtYamlNode *node, GError **error)
{
  VtYamlNode *parent;

  if (++b->n_nodes > b->limits->max_nodes)
    {
      g_autofree char *msg = g_strdup_printf ("too many YAML nodes (limit %u)",
                                              b->limits->max_nodes);
      return node_error (b, node, error, msg);
    }
  if (b->stack->len == 0)
    {
      b->root = node;
      return TRUE;
    }
  parent = g_ptr_array_index (b->stack, b->stack->len - 1);
  if (parent->kind == VT_YAML_MAPPING)
    return mapping_attach (b, parent, b->stack->len - 1, node, error);
  g_ptr_array_add (parent->items, node);
  return TRUE;
}

static gboolean
builder_scalar (Builder *b, const yaml_event_t *ev, GError **error)
{
  VtYamlNode *node;

  if (ev->data.scalar.anchor)
    return position_error (error, b->what, &ev->start_mark, "YAML anchors are not accepted");
  if (ev->data.scalar.length > b->limits->max_scalar)
    return position_error (error, b->what, &ev->start_mark, "value is too long");
  /* A "\0" escape would silently cut the C string short ("/etc/shadow\0.img"). */
  if (memchr (ev->data.scalar.value, '\0', ev->data.scalar.length))
    return position_error (error, b->what, &ev->start_mark, "value contains a NUL character");
  node = node_new (VT_YAML_SCALAR, &ev->start_mark);
  node->value = g_strndup ((const char *) ev->data.scalar.value, ev->data.scalar.length);
  node->quoted = ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE;
  return builder_attach (b, node, error);
}

static gboolean
builder_open (Builder *b, const yaml_event_t *ev, GError **error)
{
  gboolean is_map = ev->type == YAML_MAPPING_START_EVENT;
  const yaml_char_t *anchor = is_map ? ev->data.mapping_start.anchor
                                     : ev->data.sequence_start.anchor;
  VtYamlNode *node;

  if (anchor)
    return position_error (error, b->what, &ev->start_mark, "YAML anchors are not accepted");
  if (b->stack->len >= b->limits->max_depth)
    return position_error (error, b->what, &ev->start_mark, "nesting is too deep");
  node = node_new (is_map ? VT_YAML_MAPPING : VT_YAML_SEQUENCE, &ev->start_mark);
  if (!builder_attach (b, node, error))
    return FALSE;
  g_ptr_array_add (b->stack, node);
  g_ptr_array_add (b->pending_keys, NULL);
  return TRUE;
}

static gboolean
builder_event (Builder *b, const yaml_event_t *ev, GError **error)
{
  switch (ev->type)
    {
    case YAML_ALIAS_EVENT:
      return position_error (error, b->what, &ev->start_mark, "YAML aliases are not accepted");
    case YAML_SCALAR_EVENT:
      return builder_scalar (b, ev, error);
    case YAML_SEQUENCE_START_EVENT:
    case YAML_MAPPING_START_EVENT:
      return builder_open (b, ev, error);
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

/* Feeds every parser event to @b until the stream ends or something is refused. */
static gboolean
builder_run (Builder *b, yaml_parser_t *parser, GError **error)
{
  for (;;)
    {
      yaml_event_t ev;
      gboolean ok, done;

      if (!yaml_parser_parse (parser, &ev))
        {
          g_autofree char *msg = g_strdup_printf ("invalid YAML: %s%s%s%s",
                                                  parser->problem ? parser->problem
                                                                  : "syntax error",
                                                  parser->context ? " (" : "",
                                                  parser->context ? parser->context : "",
                                                  parser->context ? ")" : "");
          return position_error (error, b->what, &parser->problem_mark, msg);
        }
      ok = builder_event (b, &ev, error);
      done = ev.type == YAML_STREAM_END_EVENT;
      yaml_event_delete (&ev);
      if (!ok || done)
        return ok;
    }
}

VtYamlNode *
vt_yaml_parse (const char *text, gsize len, const VtYamlLimits *limits, const char *what,
               GError **error)
{
  yaml_parser_t parser;
  Builder b = { limits, what, NULL, NULL, NULL, 0 };
  gboolean ok;

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
  ok = builder_run (&b, &parser, error);
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
