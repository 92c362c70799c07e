/* virtuned — libvirt's last error as a GError. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Sets a libvirt error (VT_ERROR_LIBVIRT) carrying libvirt's own last message,
 * prefixed with @what. Always returns FALSE so callers can `return vt_set_libvirt_error(...)`. */
gboolean vt_set_libvirt_error (GError **error, const char *what);

G_END_DECLS
