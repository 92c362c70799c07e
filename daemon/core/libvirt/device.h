/* virtuned — one device of a domain virtuned defined (issue #12): RenderDevice,
 * AttachDevice (storage made as Define makes it, and removed again when the attach
 * fails) and DetachDevice by alias. The domain's recorded description follows every
 * change to its configuration. Blocking: run in a worker thread. */
#pragma once

#include <glib.h>

#include "libvirt/access.h"
#include "libvirt/connection.h"
#include "libvirt/target.h"
#include "merge/resolve.h"
#include "model/config.h"
#include "model/os-table.h"
#include "model/policy.h"

G_BEGIN_DECLS

/* Which definitions a change affects: -1 = not given. Not given at all: the
 * configuration, and the running domain when it runs. */
typedef struct {
  int live;
  int config;
} VtDeviceScope;

typedef struct _VtDeviceRequest VtDeviceRequest;

/* Reads @fragment (vt_description_parse_device) for domain @domain, looks the domain and
 * its record up and resolves the recorded description with today's @inputs; then looks
 * up the fragment's existing volume, whose errors are kept for after the authorization
 * (as Define does). Errors: VT_ERROR_INVALID_DESCRIPTION (the fragment, naming
 * "device…"), VT_ERROR_UNKNOWN_DOMAIN, VT_ERROR_LIBVIRT, and the merge's errors when
 * the recorded description no longer resolves. */
VtDeviceRequest *vt_device_request_new (VtConnection *conn, const VtDeviceInputs *inputs,
                                        const char *domain, const char *fragment,
                                        GError **error);
void vt_device_request_free (VtDeviceRequest *request);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VtDeviceRequest, vt_device_request_free)

/* The access attaching the device needs (as vt_access_define_level for a description
 * of that one device). */
VtAccessLevel vt_device_request_access (const VtDeviceRequest *request, const char **reason);

/* The device's XML as AttachDevice would attach it (a new volume named as it would be
 * named, referenced in its pool), and its alias (out). Creates nothing. */
char *vt_device_request_render (VtDeviceRequest *request, char **alias, GError **error);

/* Attaches the device in @scope: creates its new volume (and LUKS secret) first, and
 * removes them again when the attach fails. Returns the alias. Errors: the kept lookup
 * error, VT_ERROR_LIBVIRT (libvirt refused: a missing network, a full pool, a domain not
 * running for live, …). */
char *vt_device_request_attach (VtDeviceRequest *request, VtDeviceScope scope,
                                GError **error);

/* What a detach left. */
typedef enum {
  VT_DETACH_REMOVED,   /* gone from every definition asked for */
  VT_DETACH_PENDING,   /* the running guest has not released it yet: DeviceRemoved follows */
} VtDetachState;

/* Detaches device @alias of domain @domain (virtuned's) in @scope
 * (virDomainDetachDeviceAlias). With @delete_storage the disk's volume (and its LUKS
 * secret) is deleted too, once the device is gone from every definition (state removed;
 * pending keeps it), and only a volume virtuned created (vt_domain_record_created_volume)
 * that no definition outside @scope and no other domain still uses: anything else is
 * refused before the detach. Errors: VT_ERROR_UNKNOWN_DOMAIN, VT_ERROR_FAILED (no such device in that
 * scope, storage that may not be deleted, a deletion that failed after the detach),
 * VT_ERROR_LIBVIRT. */
gboolean vt_device_detach (VtConnection *conn, const VtDeviceInputs *inputs,
                           const char *domain, const char *alias, VtDeviceScope scope,
                           gboolean delete_storage, VtDetachState *state, GError **error);

G_END_DECLS
