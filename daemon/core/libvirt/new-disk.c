/* One new disk's volume and secret. */
#include "libvirt/new-disk.h"

#include "libvirt/secrets.h"
#include "libvirt/storage.h"

/* The LUKS secret for new volume @name of @pool; returns its UUID. */
static char *
create_secret (virConnectPtr conn, virStoragePoolPtr pool, const char *name,
               VtNewDisk *made, GError **error)
{
  g_autofree char *path = vt_storage_pool_volume_path (pool, name, error);
  char *uuid = NULL;

  if (path == NULL)
    return NULL;
  vt_secrets_create_luks (conn, path, &made->secret, &uuid, error);
  return uuid;
}

gboolean
vt_new_disk_create (virConnectPtr conn, const VtSettings *settings, guint index,
                    const VtDiskDesc *disk, const char *name, VtDiskBinding *binding,
                    GPtrArray *notes, VtNewDisk *made, GError **error)
{
  guint64 capacity = vt_storage_new_capacity (settings, index, disk, error);
  g_autoptr (virStoragePool) pool = NULL;
  g_autofree char *secret_uuid = NULL;

  if (capacity == 0)
    return FALSE;
  pool = vt_storage_lookup_pool (conn, index, disk->pool, error);
  if (pool == NULL)
    return FALSE;
  if (vt_settings_get_bool (settings, "storage.encryption")
      && (secret_uuid = create_secret (conn, pool, name, made, error)) == NULL)
    return FALSE;
  made->vol = vt_storage_create_volume (pool, index, name, capacity, settings, secret_uuid,
                                        notes, error);
  return made->vol != NULL && vt_storage_bind_volume (made->vol, index, binding, NULL, error);
}
