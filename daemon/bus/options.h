/* virtuned — the a{sv} options of mutating and rendering methods. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  const char *name;     /* option key, e.g. "dry-run" */
  gboolean *value;      /* set when the option is present */
} VtBoolOption;

typedef struct {
  const char *name;              /* option key, e.g. "start" */
  const char *const *choices;    /* the strings it takes, NULL-ended; NULL: any string */
  const char **value;            /* set to the matching element of @choices (or, with
                                    no choices, to the string, borrowed from @options) */
} VtChoiceOption;

/* The "connection" option of every domain method: the name of a libvirt host of
 * virtuned.conf; bus/target.h turns it into the host. */
#define VT_CONNECTION_OPTION(name_ptr) { "connection", NULL, (name_ptr) }

/* Reads the options listed in @bools and @choices (each ended by a NULL name; @choices
 * may be NULL) from @options. Any other key, a value of another type, or a string not
 * among an option's choices is G_DBUS_ERROR_INVALID_ARGS naming @method and what it
 * accepts: a client relying on a newer option learns this daemon lacks it instead of
 * having it silently ignored. */
gboolean vt_options_parse (GVariant *options, const char *method, const VtBoolOption *bools,
                           const VtChoiceOption *choices, GError **error);

/* vt_options_parse for the methods whose one string option is "connection": sets
 * @connection to the name (borrowed from @options) when it is there. */
gboolean vt_options_parse_connection (GVariant *options, const char *method,
                                      const VtBoolOption *bools, const char **connection,
                                      GError **error);

/* vt_options_parse for methods with boolean options only. */
gboolean vt_options_parse_bools (GVariant *options, const char *method,
                                 const VtBoolOption *known, GError **error);

G_END_DECLS
