/* virtuned — the storage side of Define (README "Define", steps 1 and 4): what the
 * existing disks of a description really are, and new volumes in libvirt's storage pools. */
#pragma once

#include <glib.h>
#include <libvirt/libvirt.h>

#include "domain/domain.h"
#include "merge/resolve.h"

G_BEGIN_DECLS

G_DEFINE_AUTOPTR_CLEANUP_FUNC (virStoragePool, virStoragePoolFree)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (virStorageVol, virStorageVolFree)

/* The disks of a description resolved against libvirt: what each existing disk really is. */
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

/* Looks up every existing volume of @resolved once (volume: and cdrom: disks): its real
 * path, its real format, whether it is encrypted and the LUKS secret that opens it.
 * path: disks need no lookup (the builder uses the path and its format: as given).
 * Read-only: creates and changes nothing, so it may run before authorization
 * (access.c reads @encrypted). Errors: VT_ERROR_LIBVIRT (a missing pool or volume),
 * VT_ERROR_FAILED (an inactive pool), VT_ERROR_UNSUPPORTED (a volume that is neither a
 * file nor a block device). */
VtDiskResolution *vt_storage_resolve_disks (const VtResolved *resolved, virConnectPtr conn,
                                           GError **error);

/* The active storage pool @name of disk @index. Errors: VT_ERROR_LIBVIRT (missing),
 * VT_ERROR_FAILED (inactive). */
virStoragePoolPtr vt_storage_lookup_pool (virConnectPtr conn, guint index, const char *name,
                                          GError **error);

/* Where volume @volume of @pool lives (or will live): the pool's target directory and
 * the name. Errors: VT_ERROR_LIBVIRT, VT_ERROR_UNSUPPORTED (a pool with no target
 * path). */
char *vt_storage_pool_volume_path (virStoragePoolPtr pool, const char *volume,
                                   GError **error);

/* The capacity of new disk @index: its size:, else storage.capacity. 0 (with
 * VT_ERROR_INVALID_DESCRIPTION) when neither gives one. */
guint64 vt_storage_new_capacity (const VtSettings *settings, guint index,
                                 const VtDiskDesc *disk, GError **error);

/* The <volume> document virtuned asks libvirt to create for a new disk, with the
 * merged storage settings (exposed for unit tests). @secret_uuid: LUKS passphrase
 * secret or NULL. @create_flags (out): for virStorageVolCreateXML. @notes (nullable):
 * gets the adjustments made (a capped cluster size, falloc for full). */
char *vt_storage_volume_xml (const char *name, guint64 capacity, const VtSettings *settings,
                             const char *secret_uuid, unsigned int *create_flags,
                             GPtrArray *notes);

/* Creates volume @name of disk @index in @pool (vt_storage_volume_xml's arguments),
 * retrying QEMU's spurious LUKS benchmark failure. The caller owns the volume and
 * deletes it should its work fail later. Errors: VT_ERROR_LIBVIRT. */
virStorageVolPtr vt_storage_create_volume (virStoragePoolPtr pool, guint index,
                                           const char *name, guint64 capacity,
                                           const VtSettings *settings,
                                           const char *secret_uuid, GPtrArray *notes,
                                           GError **error);

/* Fills @binding (replacing what it held) from what libvirt says about @vol of disk
 * @index: its path, its real format and, for a LUKS volume, the secret that opens it.
 * @encrypted (nullable out): set when the volume has any <encryption>, whatever its
 * format. Errors: VT_ERROR_LIBVIRT, VT_ERROR_UNSUPPORTED (neither file nor block). */
gboolean vt_storage_bind_volume (virStorageVolPtr vol, guint index, VtDiskBinding *binding,
                                 gboolean *encrypted, GError **error);

G_END_DECLS
