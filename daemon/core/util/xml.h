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

/* @doc as UTF-8 text with two-space indentation; byte-identical for identical trees. */
char *vt_xml_to_string (xmlDocPtr doc);

G_END_DECLS
