/* virtuned — libxml2 set-up and the few read and write helpers every XML user of the
 * core shares. */
#pragma once

#include <glib.h>
#include <libxml/tree.h>

G_BEGIN_DECLS

/* Initialises libxml2 once, thread-safely, for the core's XML users (domain
 * capabilities, the domain builder). Cleanup is left to the process exit. */
void vt_xml_init (void);

/* Parses @xml, a document libvirt or virtuned itself produced: never touches the
 * network, drops ignorable blanks. NULL when it is not well-formed (libxml2 reports
 * why on its error channel). Free with xmlFreeDoc. */
xmlDocPtr vt_xml_parse (const char *xml);

/* The text content of the first node XPath @expr selects in @doc, or NULL when it
 * selects no node (an empty element gives ""). */
char *vt_xml_xpath_string (xmlDocPtr doc, const char *expr);

/* The first element child of @node named @name; NULL when there is none or @node is
 * NULL. */
xmlNodePtr vt_xml_child (xmlNodePtr node, const char *name);

/* Attribute @name of @node as a new string; NULL when it is missing or @node is NULL. */
char *vt_xml_prop (xmlNodePtr node, const char *name);

/* Whether @node has attribute @name equal to @value (FALSE when @value is NULL). */
gboolean vt_xml_prop_is (xmlNodePtr node, const char *name, const char *value);

/* The text content of @node as a new string; NULL when @node is NULL. */
char *vt_xml_text (xmlNodePtr node);

/* @doc as UTF-8 text with two-space indentation; byte-identical for identical trees. */
char *vt_xml_to_string (xmlDocPtr doc);

G_END_DECLS
