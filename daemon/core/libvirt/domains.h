/* virtuned — the domains virtuned defined, read back after Define (issue #12):
 * DescribeDomain's record and ListDevices' rows. Read-only; blocking. */
#pragma once

#include <glib.h>
#include <libvirt/libvirt.h>

#include "domain/inventory.h"
#include "domain/record.h"
#include "libvirt/connection.h"

G_BEGIN_DECLS

G_DEFINE_AUTOPTR_CLEANUP_FUNC (virDomain, virDomainFree)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (virConnect, virConnectClose)

/* Domain @name. Errors: VT_ERROR_UNKNOWN_DOMAIN (libvirt has none of that name),
 * VT_ERROR_LIBVIRT. */
virDomainPtr vt_libvirt_lookup_domain (virConnectPtr conn, const char *name, GError **error);

/* The record Define left in @dom's configuration (@name for messages). Errors:
 * VT_ERROR_UNKNOWN_DOMAIN (none: not virtuned's), VT_ERROR_LIBVIRT. */
VtDomainRecord *vt_libvirt_read_record (virDomainPtr dom, const char *name, GError **error);

/* The record Define left in domain @name's <metadata>. Errors: VT_ERROR_UNKNOWN_DOMAIN
 * (no such domain, or one virtuned did not define), VT_ERROR_LIBVIRT. */
VtDomainRecord *vt_libvirt_domain_record (VtConnection *conn, const char *name,
                                          GError **error);

/* Which XML ListDevices reads. */
typedef enum {
  VT_DEVICES_CURRENT,    /* the running domain's, else its configuration */
  VT_DEVICES_LIVE,       /* the running domain's (an error when it is not running) */
  VT_DEVICES_CONFIG,     /* the configuration, what the next start uses */
} VtDevicesView;

/* The ua- devices (VtDeviceRow*) of domain @name, which virtuned must have defined.
 * Errors: as vt_libvirt_domain_record, and VT_ERROR_FAILED for LIVE on a domain that is
 * not running. */
GPtrArray *vt_libvirt_list_devices (VtConnection *conn, const char *name, VtDevicesView view,
                                    GError **error);

G_END_DECLS
