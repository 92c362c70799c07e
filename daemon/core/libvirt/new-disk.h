/* virtuned — the storage of one new disk (pool: NAME): its volume and, with
 * storage.encryption, its LUKS secret. Define creates one per new disk of a
 * description, AttachDevice one for an attached disk (issue #12). */
#pragma once

#include <glib.h>
#include <libvirt/libvirt.h>

#include "domain/domain.h"
#include "model/description.h"
#include "model/settings.h"

G_BEGIN_DECLS

/* What creating a new disk left in libvirt, for the caller's undo: set the moment each
 * object exists, so also after a failure. */
typedef struct {
  virStorageVolPtr vol;
  virSecretPtr secret;
} VtNewDisk;

/* Creates volume @name (capacity: @disk's size:, else storage.capacity) in @disk's pool
 * with @settings' storage settings, first a LUKS secret for it when storage.encryption
 * is on, and binds the volume into @binding. @index names the disk in errors. @notes
 * gets the adjustments made. The caller owns what @made holds and removes it when its
 * own work fails. Errors: VT_ERROR_LIBVIRT, VT_ERROR_FAILED (an inactive pool),
 * VT_ERROR_INVALID_DESCRIPTION (no size). */
gboolean vt_new_disk_create (virConnectPtr conn, const VtSettings *settings, guint index,
                             const VtDiskDesc *disk, const char *name, VtDiskBinding *binding,
                             GPtrArray *notes, VtNewDisk *made, GError **error);

G_END_DECLS
