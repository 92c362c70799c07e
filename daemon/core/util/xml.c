/* virtuned — libxml2 set-up and the read and write helpers shared by every XML user
 * of the core. */
#include "util/xml.h"

#include <string.h>

#include <libxml/parser.h>
#include <libxml/xpath.h>

#include "util/xml-write.h"

void
vt_xml_init (void)
{
  static gsize done = 0;

  if (g_once_init_enter (&done))
    {
      xmlInitParser ();
      g_once_init_leave (&done, 1);
    }
}

xmlDocPtr
vt_xml_parse (const char *xml)
{
  return xmlReadMemory (xml, (int) strlen (xml), NULL, NULL,
                        XML_PARSE_NONET | XML_PARSE_NOBLANKS);
}

char *
vt_xml_xpath_string (xmlDocPtr doc, const char *expr)
{
  xmlXPathContextPtr ctx = xmlXPathNewContext (doc);
  xmlXPathObjectPtr obj = xmlXPathEvalExpression ((const xmlChar *) expr, ctx);
  char *value = NULL;

  if (obj != NULL && obj->type == XPATH_NODESET && !xmlXPathNodeSetIsEmpty (obj->nodesetval))
    value = vt_xml_text (obj->nodesetval->nodeTab[0]);
  xmlXPathFreeObject (obj);
  xmlXPathFreeContext (ctx);
  return value;
}

xmlNodePtr
vt_xml_child (xmlNodePtr node, const char *name)
{
  for (xmlNodePtr c = node != NULL ? node->children : NULL; c != NULL; c = c->next)
    if (c->type == XML_ELEMENT_NODE && g_str_equal ((const char *) c->name, name))
      return c;
  return NULL;
}

char *
vt_xml_prop (xmlNodePtr node, const char *name)
{
  xmlChar *value = node != NULL ? xmlGetProp (node, (const xmlChar *) name) : NULL;
  char *copy = g_strdup ((const char *) value);

  xmlFree (value);
  return copy;
}

gboolean
vt_xml_prop_is (xmlNodePtr node, const char *name, const char *value)
{
  xmlChar *got = node != NULL ? xmlGetProp (node, (const xmlChar *) name) : NULL;
  gboolean same = got != NULL && value != NULL && g_str_equal ((const char *) got, value);

  xmlFree (got);
  return same;
}

char *
vt_xml_text (xmlNodePtr node)
{
  xmlChar *text = node != NULL ? xmlNodeGetContent (node) : NULL;
  char *copy = g_strdup ((const char *) text);

  xmlFree (text);
  return copy;
}

char *
vt_xml_to_string (xmlDocPtr doc)
{
  xmlChar *mem = NULL;
  int len = 0;
  char *text = vt_xml_write (doc);

  if (text != NULL)
    return text;
  /* An explicit encoding: without one libxml2 writes non-ASCII text as character
   * references, and documents of one tree would differ by who serialised them. */
  xmlDocDumpFormatMemoryEnc (doc, &mem, &len, "UTF-8", 1);
  text = g_strndup ((const char *) mem, (gsize) len);
  xmlFree (mem);
  return text;
}
