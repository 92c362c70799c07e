/* virtuned — Define (SPEC §5): creates a planned domain's storage and the domain
 * itself in libvirt, transactionally. */
#pragma once

#include <glib.h>
#include <libvirt/libvirt.h>

#include "domain/render.h"
#include "libvirt/storage.h"
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

/* Checks the networks, creates new volumes (and LUKS secrets) with the merged storage
 * settings, then defines the domain built from @plan and @disks (from
 * vt_storage_resolve_disks for the same plan; the new volumes are bound in it). A
 * domain with the same name is an error, never overwritten. On any failure every
 * volume and secret this call created is removed again, in reverse order; nothing
 * that existed before is touched. Blocking: run it in a worker thread.
 * Errors: VT_ERROR_LIBVIRT (libvirt's message), VT_ERROR_FAILED (a missing or
 * inactive object), VT_ERROR_CONFLICT (the domain exists), VT_ERROR_UNSUPPORTED,
 * VT_ERROR_INVALID_DESCRIPTION (a new disk without a size). */
VtDefineResult *vt_define (const VtResolved *plan, VtDiskResolution *disks, const VtDomcaps *caps,
                           virConnectPtr conn, GError **error);

G_END_DECLS
