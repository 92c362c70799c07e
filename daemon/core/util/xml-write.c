/* virtuned — a tree written exactly as libxml2's formatted serialisation writes it
 * (xmlDocDumpFormatMemoryEnc with UTF-8), byte for byte, in a fraction of the
 * instructions. libxml2 sends every name, quote and escaped run through its output
 * buffer one call at a time: that was a quarter of a Render (README, "Performance").
 * Only the node kinds virtuned's and libvirt's domain trees hold are written here; any
 * other kind makes vt_xml_write give up, and vt_xml_to_string uses libxml2.
 * tests/unit/test-xml-write.c compares the two. */
#include "util/xml-write.h"

#include <string.h>

#include <libxml/parserInternals.h>

/* libxml2 indents by two spaces per level, up to 60 columns. */
#define INDENT_STEP 2
#define INDENT_MAX_LEVEL (60 / INDENT_STEP)

/* g_string_append_len without its generality (GLib 2.74 has no inline fast path for
 * it): a domain is written in about a thousand short appends. */
static inline void
put (GString *out, const char *text, gsize len)
{
  if (out->len + len >= out->allocated_len)
    {
      g_string_append_len (out, text, (gssize) len);
      return;
    }
  memcpy (out->str + out->len, text, len);
  out->len += len;
  out->str[out->len] = '\0';
}

static inline void
put_str (GString *out, const char *text)
{
  put (out, text, strlen (text));
}

/* libxml2's escaping: xmlEscapeContent for text, xmlBufAttrSerializeTxtContent for
 * attribute values (of a document being written as UTF-8, so non-ASCII is copied). */
static const char *
entity_of (char c, gboolean attribute)
{
  switch (c)
    {
    case '<': return "&lt;";
    case '>': return "&gt;";
    case '&': return "&amp;";
    case '\r': return "&#13;";
    case '"': return attribute ? "&quot;" : NULL;
    case '\n': return attribute ? "&#10;" : NULL;
    case '\t': return attribute ? "&#9;" : NULL;
    default: return NULL;
    }
}

static void
append_escaped (GString *out, const xmlChar *text, gboolean attribute)
{
  const char *specials = attribute ? "<>&\r\"\n\t" : "<>&\r";
  const char *p = (const char *) text;

  for (;;)
    {
      gsize run = strcspn (p, specials);

      put (out, p, run);
      p += run;
      if (*p == '\0')
        return;
      put_str (out, entity_of (*p, attribute));
      p++;
    }
}

static void
append_indent (GString *out, int level)
{
  static const char spaces[INDENT_MAX_LEVEL * INDENT_STEP + 1] =
    "                                                            ";

  put (out, spaces, (gsize) (MIN (level, INDENT_MAX_LEVEL) * INDENT_STEP));
}

static void
append_qname (GString *out, xmlNsPtr ns, const xmlChar *name)
{
  if (ns != NULL && ns->prefix != NULL)
    {
      put_str (out, (const char *) ns->prefix);
      g_string_append_c (out, ':');
    }
  put_str (out, (const char *) name);
}

/* A value libxml2 writes in double quotes (xmlBufWriteQuotedString), or FALSE for one
 * holding a double quote, which it quotes otherwise. */
static gboolean
append_quoted (GString *out, const xmlChar *value)
{
  if (strchr ((const char *) value, '"') != NULL)
    return FALSE;
  g_string_append_c (out, '"');
  put_str (out, (const char *) value);
  g_string_append_c (out, '"');
  return TRUE;
}

static gboolean
append_namespaces (GString *out, xmlNsPtr ns)
{
  for (; ns != NULL; ns = ns->next)
    {
      if (ns->type != XML_LOCAL_NAMESPACE || ns->href == NULL
          || xmlStrEqual (ns->prefix, BAD_CAST "xml"))
        return FALSE;
      put_str (out, ns->prefix != NULL ? " xmlns:" : " xmlns");
      if (ns->prefix != NULL)
        put_str (out, (const char *) ns->prefix);
      g_string_append_c (out, '=');
      if (!append_quoted (out, ns->href))
        return FALSE;
    }
  return TRUE;
}

static gboolean
append_attributes (GString *out, xmlAttrPtr attr)
{
  for (; attr != NULL; attr = attr->next)
    {
      g_string_append_c (out, ' ');
      append_qname (out, attr->ns, attr->name);
      put_str (out, "=\"");
      for (xmlNodePtr text = attr->children; text != NULL; text = text->next)
        {
          if (text->type != XML_TEXT_NODE)
            return FALSE;
          if (text->content != NULL)
            append_escaped (out, text->content, TRUE);
        }
      g_string_append_c (out, '"');
    }
  return TRUE;
}

/* libxml2 stops formatting inside an element with text among its children. */
static gboolean
has_text_child (xmlNodePtr element)
{
  for (xmlNodePtr child = element->children; child != NULL; child = child->next)
    if (child->type == XML_TEXT_NODE)
      return TRUE;
  return FALSE;
}

static gboolean append_node (GString *out, xmlNodePtr node, int level, gboolean format);

static gboolean
append_element (GString *out, xmlNodePtr element, int level, gboolean format)
{
  gboolean inner;

  if (format)
    append_indent (out, level);
  g_string_append_c (out, '<');
  append_qname (out, element->ns, element->name);
  if (!append_namespaces (out, element->nsDef) || !append_attributes (out, element->properties))
    return FALSE;
  if (element->children == NULL)
    {
      put_str (out, "/>");
      return TRUE;
    }
  inner = format && !has_text_child (element);
  put_str (out, inner ? ">\n" : ">");
  for (xmlNodePtr child = element->children; child != NULL; child = child->next)
    {
      if (!append_node (out, child, level + 1, inner))
        return FALSE;
      if (inner)
        g_string_append_c (out, '\n');
    }
  if (inner)
    append_indent (out, level);
  put_str (out, "</");
  append_qname (out, element->ns, element->name);
  g_string_append_c (out, '>');
  return TRUE;
}

static gboolean
append_node (GString *out, xmlNodePtr node, int level, gboolean format)
{
  switch (node->type)
    {
    case XML_ELEMENT_NODE:
      return append_element (out, node, level, format);
    case XML_TEXT_NODE:
      /* A text node made not to be escaped (xmlStringTextNoenc) is libxml2's to write. */
      if (node->name == xmlStringTextNoenc)
        return FALSE;
      if (node->content != NULL)
        append_escaped (out, node->content, FALSE);
      return TRUE;
    default:
      return FALSE;
    }
}

static gboolean
append_declaration (GString *out, xmlDocPtr doc)
{
  put_str (out, "<?xml version=");
  if (!append_quoted (out, doc->version != NULL ? doc->version : BAD_CAST "1.0"))
    return FALSE;
  put_str (out, " encoding=\"UTF-8\"");
  if (doc->standalone == 0 || doc->standalone == 1)
    put_str (out, doc->standalone ? " standalone=\"yes\"" : " standalone=\"no\"");
  put_str (out, "?>\n");
  return TRUE;
}

char *
vt_xml_write (xmlDocPtr doc)
{
  g_autoptr (GString) out = g_string_sized_new (8192);

  if (doc->type != XML_DOCUMENT_NODE || !append_declaration (out, doc))
    return NULL;
  for (xmlNodePtr child = doc->children; child != NULL; child = child->next)
    {
      if (child->type != XML_ELEMENT_NODE || !append_element (out, child, 0, TRUE))
        return NULL;
      g_string_append_c (out, '\n');
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}
