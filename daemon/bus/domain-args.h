/* virtuned — the arguments the domain methods share (issue #12): a domain name and a
 * device alias from the caller, checked before they reach libvirt. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* InvalidArgs unless @domain is a name virtuned could have defined
 * (vt_name_is_valid). */
gboolean vt_bus_check_domain (const char *domain, GError **error);

/* InvalidArgs unless @alias is a user alias: ua- and 1..60 of [a-z0-9-]. */
gboolean vt_bus_check_alias (const char *alias, GError **error);

/* The presence of boolean option @name in @options: -1 absent, else its value (the
 * options were parsed, so a present value is a boolean). */
int vt_bus_option_tristate (GVariant *options, const char *name);

G_END_DECLS
