/* virtuned — catalog values that were once accepted and now have a better spelling: an
 * old description using one gets an error naming its replacement instead of the
 * generic "not a valid value". */
#pragma once

#include <glib.h>

#include "model/catalog.h"

G_BEGIN_DECLS

/* FALSE, with VT_ERROR_INVALID_DESCRIPTION naming the replacement, when @raw (a value of
 * @entry) holds a retired word; TRUE otherwise. */
gboolean vt_catalog_check_retired (const VtCatalogEntry *entry, const char *raw,
                                   GError **error);

G_END_DECLS
