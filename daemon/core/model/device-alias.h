/* virtuned — the user aliases of a description's devices (SPEC §4.4, issue #12). A disk,
 * CD-ROM or NIC is named by its position among its kind (the third disk is ua-disk2,
 * the first CD-ROM ua-cdrom0, the second NIC ua-net1) unless its entry pins an alias
 * (`alias:`): virtuned pins them when a recorded description changes after Define, so
 * that adding or removing one device renames no other. */
#pragma once

#include <glib.h>

#include "model/description.h"

G_BEGIN_DECLS

/* N of an alias PREFIXN (N decimal, no leading zero, at most 65535), else -1. */
gint64 vt_device_alias_number (const char *alias, const char *prefix);

/* The alias disk @index / network @index of @desc has. */
char *vt_description_disk_alias (const VtDescription *desc, guint index);
char *vt_description_net_alias (const VtDescription *desc, guint index);

/* FALSE with VT_ERROR_INVALID_DESCRIPTION naming the second entry when two devices of
 * @desc would have the same alias. */
gboolean vt_description_check_aliases (const VtDescription *desc, GError **error);

/* Pins every entry of @desc to the alias it has now. */
void vt_description_pin_aliases (VtDescription *desc);

G_END_DECLS
