/* virtuned — the a{sv} options of mutating and rendering methods. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  const char *name;     /* option key, e.g. "dry-run" */
  gboolean *value;      /* set when the option is present */
} VtBoolOption;

/* Reads the boolean options listed in @known (ended by a NULL name) from @options.
 * Any other key, or a value that is not a boolean, is G_DBUS_ERROR_INVALID_ARGS naming
 * @method and what it accepts: a client relying on a newer option learns this daemon
 * lacks it instead of having it silently ignored. */
gboolean vt_options_parse_bools (GVariant *options, const char *method,
                                 const VtBoolOption *known, GError **error);

G_END_DECLS
