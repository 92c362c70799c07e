/* virtuned — Define (SPEC §5): creates a planned domain's storage and the domain
 * itself in libvirt, transactionally. */
#pragma once

#include <glib.h>
#include <libvirt/libvirt.h>

#include "domain/render.h"
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

/* The disks of a plan resolved against libvirt: what each existing disk really is. */
typedef struct {
  guint n_disks;
  VtDiskBinding *bindings;  /* n_disks entries (at least one allocated): volume: and
                             * cdrom: disks are bound; vt_define binds pool: disks when it
                             * creates their volumes; path: disks stay unbound */
  gboolean *encrypted;      /* n_disks entries: the existing volume's XML has <encryption>,
                             * so attaching it hands the new domain that volume's secret */
} VtDiskResolution;

void vt_disk_resolution_free (VtDiskResolution *disks);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VtDiskResolution, vt_disk_resolution_free)

/* Looks up every existing volume of @plan once (volume: and cdrom: disks): its real
 * path, its real format, whether it is encrypted and the LUKS secret that opens it.
 * path: disks need no lookup (the builder uses the path and its format: as given). Read-only: creates and changes
 * nothing, so it may run before authorization (access.c reads @encrypted). Errors:
 * VT_ERROR_LIBVIRT (a missing pool or volume), VT_ERROR_FAILED (an inactive pool),
 * VT_ERROR_UNSUPPORTED (a volume that is neither a file nor a block device). */
VtDiskResolution *vt_define_resolve_disks (const VtResolved *plan, virConnectPtr conn,
                                          GError **error);

/* Checks the networks, creates new volumes (and LUKS secrets) with the merged storage
 * settings, then defines the domain built from @plan and @disks (from
 * vt_define_resolve_disks for the same plan; the new volumes are bound in it). A
 * domain with the same name is an error, never overwritten. On any failure every
 * volume and secret this call created is removed again, in reverse order; nothing
 * that existed before is touched. Blocking: run it in a worker thread.
 * Errors: VT_ERROR_LIBVIRT (libvirt's message), VT_ERROR_FAILED (a missing or
 * inactive object), VT_ERROR_CONFLICT (the domain exists), VT_ERROR_UNSUPPORTED. */
VtDefineResult *vt_define (const VtResolved *plan, VtDiskResolution *disks, const VtDomcaps *caps,
                           virConnectPtr conn, GError **error);

/* The <volume> document virtuned asks libvirt to create for a new disk (exposed for
 * unit tests). @secret_uuid: LUKS passphrase secret or NULL. @notes: nullable. */
char *vt_define_volume_xml (const char *name, guint64 capacity, const VtSettings *settings,
                            const char *secret_uuid, unsigned int *create_flags,
                            GPtrArray *notes);

G_END_DECLS
