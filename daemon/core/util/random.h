/* virtuned — bytes from the kernel's random source. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Fills @buf with @len bytes from getrandom(2), blocking until the pool is ready.
 * Errors: VT_ERROR_FAILED naming the cause. */
gboolean vt_random_fill (guint8 *buf, gsize len, GError **error);

G_END_DECLS
