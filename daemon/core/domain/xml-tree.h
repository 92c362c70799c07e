/* virtuned — the few libxml2 tree helpers every domain and device builder uses. */
#pragma once

#include <glib.h>
#include <libxml/tree.h>

G_BEGIN_DECLS

/* <NAME/> appended to @parent. */
xmlNodePtr vt_tree_add (xmlNodePtr parent, const char *name);

/* <NAME>TEXT</NAME> appended to @parent; @text is escaped. */
xmlNodePtr vt_tree_add_text (xmlNodePtr parent, const char *name, const char *text);

/* <NAME ATTR='VALUE'/> appended to @parent. */
xmlNodePtr vt_tree_add_with (xmlNodePtr parent, const char *name, const char *attr,
                             const char *value);

void vt_tree_set (xmlNodePtr node, const char *name, const char *value);
void vt_tree_setf (xmlNodePtr node, const char *name, const char *format, ...)
  G_GNUC_PRINTF (3, 4);
/* NAME='VALUE' with @value in decimal. */
void vt_tree_set_uint (xmlNodePtr node, const char *name, guint64 value);

/* The device's stable user alias (SPEC §4.4): <alias name='ua-SUFFIX'/>. */
void vt_tree_add_alias (xmlNodePtr device, const char *suffix);
/* The same with the suffix STEM followed by @index in decimal (ua-pcie-port3). */
void vt_tree_add_alias_index (xmlNodePtr device, const char *stem, guint64 index);

/* "yes" or "no", libvirt's spelling of most boolean attributes. */
const char *vt_tree_yes_no (gboolean on);

/* FALSE, with VT_ERROR_INVALID_DESCRIPTION naming @what, when @text (nullable) cannot
 * appear in an XML 1.0 document: not UTF-8, or a control character. */
gboolean vt_tree_check_text (const char *what, const char *text, GError **error);

G_END_DECLS
