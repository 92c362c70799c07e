/* virtuned — writing a document as libxml2's formatted UTF-8 serialisation does, faster. */
#pragma once

#include <glib.h>
#include <libxml/tree.h>

G_BEGIN_DECLS

/* @doc as xmlDocDumpFormatMemoryEnc (doc, …, "UTF-8", 1) writes it, byte for byte; NULL
 * when @doc holds a node kind other than elements, attributes, namespace declarations
 * and text (a comment, CDATA, an entity reference, a DTD…), which libxml2 must write. */
char *vt_xml_write (xmlDocPtr doc);

G_END_DECLS
