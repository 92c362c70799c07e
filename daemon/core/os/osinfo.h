/* virtuned — the osinfo database read into virtuned's OS table (model/os-table.h).
 *
 * The only part that links libosinfo. The database is large (~800 OSes, ~50 MB of
 * GObjects once loaded), so it is read once at start, every OS is reduced to the few
 * facts the OS layer uses, and libosinfo's objects are dropped again. */
#pragma once

#include <glib.h>

#include "model/os-table.h"

G_BEGIN_DECLS

/* Loads libosinfo's default path, as virt-install does: the system database
 * (/usr/share/osinfo or $OSINFO_SYSTEM_DIR), local additions (/etc/osinfo or
 * $OSINFO_LOCAL_DIR) and the user's ($OSINFO_USER_DIR or ~/.config/osinfo), later ones
 * overriding earlier ones. @dir non-NULL loads that one directory instead. Errors are
 * VT_ERROR_FAILED with libosinfo's message (a broken file); a missing database gives an
 * empty table. */
VtOsTable *vt_osinfo_load (const char *dir, GError **error);

G_END_DECLS
