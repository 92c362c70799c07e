/* virtuned — a domain virtuned defined, opened for a change after Define (issue #12):
 * the libvirt domain, the record Define left in it and that record's description
 * resolved with today's policies and host. Shared by device.c and update.c. */
#pragma once

#include <glib.h>
#include <libvirt/libvirt.h>

#include "domain/record.h"
#include "libvirt/connection.h"
#include "merge/resolve.h"
#include "model/connection-config.h"
#include "model/os-table.h"
#include "model/policy.h"

G_BEGIN_DECLS

/* What a domain's description is resolved with: the daemon's policies, OSes, and the
 * host's capabilities and configuration (all borrowed). */
typedef struct {
  const VtPolicySet *policies;
  const VtOsTable *oses;
  const VtDomcaps *caps;
  const VtConnectionConfig *config;
} VtDeviceInputs;

typedef struct {
  virConnectPtr conn;
  virDomainPtr dom;
  char *name;
  VtDomainRecord *record;
  VtResolved *resolved;
} VtTarget;

void vt_target_clear (VtTarget *target);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (VtTarget, vt_target_clear)

/* Opens domain @name of @conn. Errors: VT_ERROR_UNKNOWN_DOMAIN, VT_ERROR_LIBVIRT, and
 * the merge's errors (prefixed) when the recorded description no longer resolves. */
gboolean vt_target_open (VtTarget *target, VtConnection *conn, const VtDeviceInputs *inputs,
                         const char *name, GError **error);

gboolean vt_target_is_running (const VtTarget *target);

/* The domain's XML: its configuration, or (@live) what runs. Errors: VT_ERROR_LIBVIRT. */
char *vt_target_xml (const VtTarget *target, gboolean live, GError **error);

/* storage.format as the domain's description resolves it (qcow2 when unset). */
const char *vt_target_storage_format (const VtTarget *target);

/* Writes the record back into the configuration's <metadata>. A failure cannot undo
 * the change the caller made, so it is logged: DescribeDomain then shows the older
 * description. */
void vt_target_save_record (VtTarget *target);

G_END_DECLS
