/* virtuned — Define (SPEC §5): creates a planned domain's storage and the domain
 * itself in libvirt, transactionally. */
#pragma once

#include <glib.h>
#include <libvirt/libvirt.h>

#include "domain/render.h"
#include "libvirt/access.h"
#include "libvirt/connection.h"
#include "libvirt/storage.h"
#include "model/connection-config.h"
#include "model/domcaps.h"

G_BEGIN_DECLS

typedef struct {
  char *name;
  char *uuid;
  char *xml;            /* libvirt's own inactive XML of the defined domain */
  GPtrArray *notes;     /* char*: adjustments made (e.g. a capped cluster size) */
} VtDefineResult;

void vt_define_result_free (VtDefineResult *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VtDefineResult, vt_define_result_free)

/* What Define does with the domain once it is defined. */
typedef enum {
  VT_DEFINE_START_NONE,      /* leave it shut off (the default) */
  VT_DEFINE_START_PAUSED,    /* start it with its vCPUs paused: SEV attestation first */
  VT_DEFINE_START_RUNNING,
} VtDefineStart;

/* Checks the networks, creates new volumes (and LUKS secrets) with the merged storage
 * settings, then defines the domain built from @resolved and @disks (from
 * vt_storage_resolve_disks for the same description; the new volumes are bound in it). A
 * domain with the same name is an error, never overwritten. On any failure every
 * volume and secret this call created is removed again, in reverse order; nothing
 * that existed before is touched. Blocking: run it in a worker thread.
 * Errors: VT_ERROR_LIBVIRT (libvirt's message), VT_ERROR_FAILED (a missing or
 * inactive object), VT_ERROR_CONFLICT (the domain exists), VT_ERROR_UNSUPPORTED,
 * VT_ERROR_INVALID_DESCRIPTION (a new disk without a size). */
VtDefineResult *vt_define (const VtResolved *resolved, VtDiskResolution *disks,
                           const VtDomcaps *caps, virConnectPtr conn, GError **error);

/* Network @net (entry @index of a description) exists and is active or starts with
 * the host; a bridge is not checked. Also AttachDevice's check (libvirt would attach
 * a NIC of a missing network to a configuration). Errors: VT_ERROR_LIBVIRT (missing),
 * VT_ERROR_FAILED (inactive). */
gboolean vt_define_check_network (virConnectPtr conn, guint index, const VtNetDesc *net,
                                  GError **error);

/* ---- the Define use case, around the caller's authorization ---- */

/* Define in two steps, because which polkit action it needs depends on what the
 * existing disks are (an encrypted volume needs the unrestricted one): first look them
 * up, read-only, and say which access level the description needs; then, once the
 * caller is authorized for it, define. */
typedef struct _VtDefineRequest VtDefineRequest;

/* Takes @resolved; opens @conn (borrowed: it must outlive the request) and resolves the
 * existing disks. Never fails: a connection or lookup error is kept and reported by
 * vt_define_request_run, after the authorization, so a refused caller learns nothing
 * from libvirt. Blocking.
 *
 * The read-only steps (the open, the disk lookup, the network and name checks) are
 * redone once on a fresh connection when they fail because the connection is gone
 * (vt_connection_lost): a libvirtd restart costs no failed Define. Nothing is retried
 * once a volume, secret or domain may have been created. */
VtDefineRequest *vt_define_request_new (VtResolved *resolved, VtConnection *conn,
                                        const VtConnectionConfig *config);
void vt_define_request_free (VtDefineRequest *request);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VtDefineRequest, vt_define_request_free)

/* The access @request needs and, for the unrestricted level, why (borrowed: one
 * sentence naming every backend the description reaches; else NULL). */
VtAccessLevel vt_define_request_access (const VtDefineRequest *request, const char **reason);

/* Whether the domain is started once defined (VT_DEFINE_START_NONE unless set). A start
 * that fails is a failed Define: the domain, its new volumes and secrets are removed
 * again, and the error says so. */
void vt_define_request_set_start (VtDefineRequest *request, VtDefineStart start);

/* For an authorized caller: the kept lookup error, or vt_define (its checks retried as
 * above) and the start asked for. Blocking. */
VtDefineResult *vt_define_request_run (VtDefineRequest *request, const VtDomcaps *caps,
                                       GError **error);

G_END_DECLS
