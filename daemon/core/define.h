/* virtuned — Define (SPEC §5): creates a planned domain's storage and the domain
 * itself in libvirt, transactionally. */
#pragma once

#include <glib.h>
#include <libvirt/libvirt.h>

#include "domcaps.h"
#include "render.h"

G_BEGIN_DECLS

/* QEMU's largest qcow2 cluster; larger storage.cluster_size values are capped. */
#define VT_QCOW2_MAX_CLUSTER_SIZE (2 * 1024 * 1024)

typedef struct {
  char *name;
  char *uuid;
  char *xml;            /* libvirt's own inactive XML of the defined domain */
  GPtrArray *notes;     /* char*: adjustments made (e.g. a capped cluster size) */
} VtDefineResult;

void vt_define_result_free (VtDefineResult *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VtDefineResult, vt_define_result_free)

/* Checks the networks, resolves existing volumes, creates new volumes (and LUKS
 * secrets) with the merged storage settings, then defines the domain built from
 * @plan. A domain with the same name is an error, never overwritten. On any failure
 * every volume and secret this call created is removed again, in reverse order;
 * nothing that existed before is touched. Blocking: run it in a worker thread.
 * Errors: VT_ERROR_LIBVIRT (libvirt's message), VT_ERROR_FAILED (a missing or
 * inactive object), VT_ERROR_CONFLICT (the domain exists), VT_ERROR_UNSUPPORTED. */
VtDefineResult *vt_define (const VtPlan *plan, const VtDomcaps *caps, virConnectPtr conn,
                           GError **error);

/* The <volume> document virtuned asks libvirt to create for a new disk (exposed for
 * unit tests). @secret_uuid: LUKS passphrase secret or NULL. @notes: nullable. */
char *vt_define_volume_xml (const char *name, guint64 capacity, const VtSettings *settings,
                            const char *secret_uuid, unsigned int *create_flags,
                            GPtrArray *notes);

G_END_DECLS
