/* virtuned — the arguments the domain methods share (issue #12): a domain name and a
 * device alias from the caller, checked before they reach libvirt. */
#pragma once

#include <gio/gio.h>

#include "daemon.h"
#include "libvirt/target.h"

G_BEGIN_DECLS

/* The libvirt host a domain method works on (its "connection" option), and what a
 * domain's description resolves with there. */
typedef struct {
  VtConnection *conn;         /* borrowed from the host */
  VtHostCaps *caps;           /* a reference: the host may read new ones meanwhile */
  VtDeviceInputs inputs;      /* caps->domcaps and the host's configuration */
} VtDomainHost;

/* Fills @host for the host named @connection (NULL: the default); FALSE with @error
 * when there is no such host (InvalidArgs naming @method, bus/target.h) or its
 * capabilities cannot be had. Clear it with vt_bus_domain_host_clear. */
gboolean vt_bus_domain_host (VtDaemon *daemon, const char *method, const char *connection,
                             VtDomainHost *host, GError **error);
void vt_bus_domain_host_clear (VtDomainHost *host);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (VtDomainHost, vt_bus_domain_host_clear)

/* InvalidArgs unless @domain is a name virtuned could have defined
 * (vt_name_is_valid). */
gboolean vt_bus_check_domain (const char *domain, GError **error);

/* InvalidArgs unless @alias is a user alias: ua- and 1..60 of [a-z0-9-]. */
gboolean vt_bus_check_alias (const char *alias, GError **error);

/* The presence of boolean option @name in @options: -1 absent, else its value (the
 * options were parsed, so a present value is a boolean). */
int vt_bus_option_tristate (GVariant *options, const char *name);

G_END_DECLS
