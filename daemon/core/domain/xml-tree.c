/* The libxml2 tree helpers of the domain part. Everything goes through libxml2's tree
 * API, which escapes text and attributes, so no builder ever concatenates markup. */
#include "domain/xml-tree.h"

#include "util/error.h"

xmlNodePtr
vt_tree_add (xmlNodePtr parent, const char *name)
{
  return xmlNewChild (parent, NULL, (const xmlChar *) name, NULL);
}

/* xmlNewTextChild escapes @text (xmlNewChild would interpret entity references). */
xmlNodePtr
vt_tree_add_text (xmlNodePtr parent, const char *name, const char *text)
{
  return xmlNewTextChild (parent, NULL, (const xmlChar *) name, (const xmlChar *) text);
}

void
vt_tree_set (xmlNodePtr node, const char *name, const char *value)
{
  xmlNewProp (node, (const xmlChar *) name, (const xmlChar *) value);
}

void
vt_tree_setf (xmlNodePtr node, const char *name, const char *format, ...)
{
  va_list ap;
  g_autofree char *value = NULL;

  va_start (ap, format);
  value = g_strdup_vprintf (format, ap);
  va_end (ap);
  vt_tree_set (node, name, value);
}

xmlNodePtr
vt_tree_add_with (xmlNodePtr parent, const char *name, const char *attr, const char *value)
{
  xmlNodePtr node = vt_tree_add (parent, name);

  vt_tree_set (node, attr, value);
  return node;
}

/* @value in decimal, written backwards from the end of @buf (VT_TREE_UINT_BYTES);
 * returns where it starts. Render writes dozens of numbers, and printf costs ten times
 * as much per number. */
#define VT_TREE_UINT_BYTES 21
static const char *
format_uint (char *buf, guint64 value)
{
  char *p = buf + VT_TREE_UINT_BYTES - 1;

  *p = '\0';
  do
    *--p = (char) ('0' + value % 10);
  while ((value /= 10) != 0);
  return p;
}

void
vt_tree_set_uint (xmlNodePtr node, const char *name, guint64 value)
{
  char buf[VT_TREE_UINT_BYTES];

  vt_tree_set (node, name, format_uint (buf, value));
}

void
vt_tree_add_alias (xmlNodePtr device, const char *suffix)
{
  g_autofree char *name = g_strconcat ("ua-", suffix, NULL);

  vt_tree_add_with (device, "alias", "name", name);
}

void
vt_tree_add_alias_index (xmlNodePtr device, const char *stem, guint64 index)
{
  char buf[VT_TREE_UINT_BYTES];
  g_autofree char *name = g_strconcat ("ua-", stem, format_uint (buf, index), NULL);

  vt_tree_add_with (device, "alias", "name", name);
}

const char *
vt_tree_yes_no (gboolean on)
{
  return on ? "yes" : "no";
}

/* libxml2 would have to write control characters as character references, which XML 1.0
 * forbids, and text that is not UTF-8 cannot be written at all; so both are refused
 * before any node is made. */
gboolean
vt_tree_check_text (const char *what, const char *text, GError **error)
{
  if (!text)
    return TRUE;
  if (g_utf8_validate (text, -1, NULL))
    {
      const char *p = text;
      for (; *p; p++)
        if ((guchar) *p < 0x20 && *p != '\t' && *p != '\n' && *p != '\r')
          break;
      if (!*p)
        return TRUE;
    }
  g_set_error (error, VT_ERROR, VT_ERROR_INVALID_DESCRIPTION,
               "%s contains characters that cannot appear in a domain XML", what);
  return FALSE;
}
