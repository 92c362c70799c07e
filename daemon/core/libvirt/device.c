/* One device of a domain virtuned defined: render, attach, detach.
 *
 * A device is built by the domain's own builders from the settings its recorded
 * description resolves to today, named after every name the domain's definitions
 * (configuration and, when it runs, live) already use. An attach is a small Define: the
 * fragment's existing volume is resolved before the authorization (it decides the polkit
 * action), a new volume and its secret are made just before libvirt attaches, and
 * removed again, newest first, when the attach fails. */
#include "libvirt/device.h"

#include <string.h>

#include <libvirt/virterror.h>

#include "domain/device-render.h"
#include "domain/inventory.h"
#include "libvirt/define.h"
#include "libvirt/domains.h"
#include "libvirt/new-disk.h"
#include "libvirt/storage.h"
#include "libvirt/target.h"
#include "libvirt/virt-error.h"
#include "libvirt/volume-users.h"
#include "util/echo.h"
#include "util/error.h"

/* Every name the configuration and, when it runs, the live domain use. */
static gboolean
target_slots (const VtTarget *target, VtDeviceSlots *slots, GError **error)
{
  g_autofree char *config = vt_target_xml (target, FALSE, error);
  g_autofree char *live = NULL;

  *slots = (VtDeviceSlots) { { 0 } };
  if (config == NULL || !vt_device_slots_add_xml (slots, config, error))
    return FALSE;
  if (!vt_target_is_running (target))
    return TRUE;
  live = vt_target_xml (target, TRUE, error);
  return live != NULL && vt_device_slots_add_xml (slots, live, error);
}

/* libvirt's flags for @scope: by default the configuration, and the live domain when
 * it runs. */
static unsigned int
scope_flags (const VtTarget *target, VtDeviceScope scope)
{
  unsigned int flags = 0;

  if (scope.live < 0 && scope.config < 0)
    return VIR_DOMAIN_AFFECT_CONFIG | (vt_target_is_running (target) ? VIR_DOMAIN_AFFECT_LIVE : 0);
  if (scope.live > 0)
    flags |= VIR_DOMAIN_AFFECT_LIVE;
  if (scope.config > 0 || (scope.config < 0 && scope.live <= 0))
    flags |= VIR_DOMAIN_AFFECT_CONFIG;
  return flags;
}

/* ---- the request ---- */

struct _VtDeviceRequest {
  VtTarget target;
  const VtDeviceInputs *inputs;
  VtDescription *fragment;
  VtDiskResolution *disks;     /* the fragment's disk, resolved; NULL when lookup failed */
  GError *lookup_error;
  VtAccessLevel level;
  char *reason;
};

void
vt_device_request_free (VtDeviceRequest *request)
{
  if (request == NULL)
    return;
  vt_target_clear (&request->target);
  vt_description_free (request->fragment);
  vt_disk_resolution_free (request->disks);
  g_clear_error (&request->lookup_error);
  g_free (request->reason);
  g_free (request);
}

/* The fragment with the domain's settings: what storage and access read. */
static VtResolved
fragment_view (const VtDeviceRequest *request)
{
  return (VtResolved) { request->fragment, request->target.resolved->merge };
}

VtDeviceRequest *
vt_device_request_new (VtConnection *conn, const VtDeviceInputs *inputs, const char *domain,
                       const char *fragment, GError **error)
{
  g_autoptr (VtDeviceRequest) request = g_new0 (VtDeviceRequest, 1);
  VtResolved view;

  request->inputs = inputs;
  request->fragment = vt_description_parse_device (fragment, strlen (fragment), domain, error);
  if (request->fragment == NULL
      || !vt_target_open (&request->target, conn, inputs, domain, error))
    return NULL;
  view = fragment_view (request);
  request->disks = vt_storage_resolve_disks (&view, request->target.conn,
                                            &request->lookup_error);
  request->level = vt_access_define_level (request->fragment, inputs->config, request->disks,
                                           &request->reason);
  return g_steal_pointer (&request);
}

VtAccessLevel
vt_device_request_access (const VtDeviceRequest *request, const char **reason)
{
  *reason = request->reason;
  return request->level;
}

static gboolean
is_new_disk (const VtDeviceRequest *request)
{
  const GPtrArray *disks = request->fragment->disks;

  return disks->len > 0 && ((const VtDiskDesc *) g_ptr_array_index (disks, 0))->kind == VT_DISK_NEW;
}

/* The position the device takes at the end of the recorded description, which names a
 * new volume as Define would have. */
static guint
volume_index (const VtDeviceRequest *request)
{
  return request->target.resolved->desc->disks->len;
}

/* The first volume index from @first whose name @pool does not hold yet: a detached
 * disk's volume may still be there under the name an attach would pick. */
static guint
free_volume_index (VtDeviceRequest *request, guint first)
{
  const VtDiskDesc *disk = g_ptr_array_index (request->fragment->disks, 0);
  g_autoptr (virStoragePool) pool = virStoragePoolLookupByName (request->target.conn,
                                                                disk->pool);
  guint index = first;

  for (; pool != NULL && index < first + VT_DESCRIPTION_MAX_DISKS; index++)
    {
      g_autofree char *name = vt_domain_new_volume_name (request->fragment, index,
                                                         vt_target_storage_format (&request->target));
      g_autoptr (virStorageVol) vol = virStorageVolLookupByName (pool, name);

      if (vol == NULL)
        break;
    }
  virResetLastError ();
  return index;
}

/* The index a new volume of the device gets: named as Define would name it at the end
 * of the description, unless that name is taken. 0 for any other device. */
static guint
new_volume_index (VtDeviceRequest *request)
{
  return is_new_disk (request) ? free_volume_index (request, volume_index (request)) : 0;
}

char *
vt_device_request_render (VtDeviceRequest *request, char **alias, GError **error)
{
  VtDeviceSlots slots;

  if (!target_slots (&request->target, &slots, error))
    return NULL;
  return vt_device_render (request->target.resolved, request->fragment, request->inputs->caps,
                           &slots, new_volume_index (request), NULL, alias, error);
}

static void
remove_new_disk (VtNewDisk *made)
{
  if (made->vol != NULL && virStorageVolDelete (made->vol, 0) < 0)
    g_message ("a failed attach could not remove its volume %s: %s",
               virStorageVolGetName (made->vol), virGetLastErrorMessage ());
  if (made->secret != NULL && virSecretUndefine (made->secret) < 0)
    g_message ("a failed attach could not remove its LUKS secret: %s",
               virGetLastErrorMessage ());
  g_clear_pointer (&made->vol, virStorageVolFree);
  g_clear_pointer (&made->secret, virSecretFree);
}

/* Renders with the new volume (made first, for a pool: disk) and attaches. */
static char *
attach (VtDeviceRequest *request, unsigned int flags, guint index, VtNewDisk *made,
        GError **error)
{
  VtTarget *target = &request->target;
  VtDiskBinding *binding = request->disks->n_disks > 0 ? &request->disks->bindings[0] : NULL;
  g_autoptr (GPtrArray) notes = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *name = NULL;
  g_autofree char *xml = NULL;
  g_autofree char *alias = NULL;
  VtDeviceSlots slots;

  if (!target_slots (target, &slots, error))
    return NULL;
  if (request->fragment->networks->len > 0
      && !vt_define_check_network (target->conn, 0,
                                   g_ptr_array_index (request->fragment->networks, 0), error))
    return NULL;
  if (is_new_disk (request))
    {
      name = vt_domain_new_volume_name (request->fragment, index, vt_target_storage_format (target));
      if (!vt_new_disk_create (target->conn, target->resolved->merge->settings, 0,
                               g_ptr_array_index (request->fragment->disks, 0), name, binding,
                               notes, made, error))
        return NULL;
    }
  xml = vt_device_render (target->resolved, request->fragment, request->inputs->caps, &slots,
                          index, binding, &alias, error);
  if (xml == NULL)
    return NULL;
  if (virDomainAttachDeviceFlags (target->dom, xml, flags) < 0)
    {
      vt_set_libvirt_error (error, "attaching the device");
      return NULL;
    }
  for (guint i = 0; i < notes->len; i++)
    g_message ("AttachDevice %s: %s", target->name, (const char *) g_ptr_array_index (notes, i));
  return g_steal_pointer (&alias);
}

/* "POOL/NAME" of the volume an attach made, for the recorded description. */
static char *
made_volume (const VtDeviceRequest *request, const VtNewDisk *made)
{
  const VtDiskDesc *disk;

  if (made->vol == NULL)
    return NULL;
  disk = g_ptr_array_index (request->fragment->disks, 0);
  return g_strconcat (disk->pool, "/", virStorageVolGetName (made->vol), NULL);
}

char *
vt_device_request_attach (VtDeviceRequest *request, VtDeviceScope scope, GError **error)
{
  VtTarget *target = &request->target;
  unsigned int flags = scope_flags (target, scope);
  VtNewDisk made = { NULL, NULL };
  g_autofree char *alias = NULL;
  g_autofree char *volume = NULL;
  g_autoptr (GError) record_error = NULL;

  if (request->lookup_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&request->lookup_error));
      return NULL;
    }
  alias = attach (request, flags, new_volume_index (request), &made, error);
  if (alias == NULL)
    {
      remove_new_disk (&made);
      return NULL;
    }
  volume = made_volume (request, &made);
  g_clear_pointer (&made.vol, virStorageVolFree);
  g_clear_pointer (&made.secret, virSecretFree);
  if (!(flags & VIR_DOMAIN_AFFECT_CONFIG))
    return g_steal_pointer (&alias);
  if (vt_domain_record_add_device (target->record, request->fragment, alias, volume,
                                   vt_target_storage_format (target), &record_error))
    vt_target_save_record (target);
  else
    g_warning ("domain %s: %s", target->name, record_error->message);
  return g_steal_pointer (&alias);
}

/* ---- detach ---- */

static gboolean
has_alias (const char *xml, const char *alias)
{
  g_autoptr (GPtrArray) rows = vt_device_inventory (xml, NULL);

  for (guint i = 0; rows != NULL && i < rows->len; i++)
    if (g_str_equal (((VtDeviceRow *) g_ptr_array_index (rows, i))->alias, alias))
      return TRUE;
  return FALSE;
}

/* Whether the definition (@live or the configuration) holds @alias; NULL XML: error. */
static int
holds (const VtTarget *target, gboolean live, const char *alias, GError **error)
{
  g_autofree char *xml = vt_target_xml (target, live, error);

  if (xml == NULL)
    return -1;
  return has_alias (xml, alias) ? 1 : 0;
}

static gboolean
check_present (const VtTarget *target, unsigned int flags, const char *alias, GError **error)
{
  g_autofree char *shown = vt_echo (alias);
  int live = 1, config = 1;

  if ((flags & VIR_DOMAIN_AFFECT_LIVE) && (live = holds (target, TRUE, alias, error)) < 0)
    return FALSE;
  if ((flags & VIR_DOMAIN_AFFECT_CONFIG) && (config = holds (target, FALSE, alias, error)) < 0)
    return FALSE;
  if (live && config)
    return TRUE;
  g_set_error (error, VT_ERROR, VT_ERROR_FAILED, "domain %s has no device %s%s", target->name,
               shown, live ? " in its configuration" : config ? " while it runs" : "");
  return FALSE;
}

/* ---- delete-storage ---- */

/* Refuses when a definition outside @flags (the configuration of a persistent domain,
 * the live domain while it runs) still holds @alias: its volume stays in use. */
static gboolean
check_unused_elsewhere (const VtTarget *target, unsigned int flags, const char *alias,
                        GError **error)
{
  g_autofree char *shown = vt_echo (alias);
  int live = 0, config = 0;

  if (!(flags & VIR_DOMAIN_AFFECT_LIVE) && vt_target_is_running (target)
      && (live = holds (target, TRUE, alias, error)) < 0)
    return FALSE;
  if (!(flags & VIR_DOMAIN_AFFECT_CONFIG) && virDomainIsPersistent (target->dom) == 1
      && (config = holds (target, FALSE, alias, error)) < 0)
    return FALSE;
  if (!live && !config)
    return TRUE;
  g_set_error (error, VT_ERROR, VT_ERROR_FAILED,
               "delete-storage refused for device %s: the %s still uses its volume (detach "
               "it there too); nothing was detached", shown,
               live ? "running domain" : "configuration");
  return FALSE;
}

/* The volume's path, when it is still there; refuses when another domain names it. */
static char *
unshared_volume_path (const VtTarget *target, const char *pool_name, const char *volume,
                      const char *alias, GError **error)
{
  g_autoptr (virStoragePool) pool = virStoragePoolLookupByName (target->conn, pool_name);
  g_autoptr (virStorageVol) vol = pool != NULL ? virStorageVolLookupByName (pool, volume)
                                               : NULL;
  g_autofree char *path = vol != NULL ? virStorageVolGetPath (vol) : NULL;
  g_autofree char *user = NULL;
  g_autofree char *shown = vt_echo (alias);
  g_autoptr (GError) local = NULL;

  if (path == NULL)
    {
      vt_set_libvirt_error (error, "finding the disk's volume for delete-storage");
      return NULL;
    }
  user = vt_volume_other_user (target->conn, target->dom, pool_name, volume, path, &local);
  if (local != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }
  if (user == NULL)
    return g_steal_pointer (&path);
  g_set_error (error, VT_ERROR, VT_ERROR_FAILED, "delete-storage refused for device %s: "
               "domain %s also uses its volume %s/%s; nothing was detached", shown, user,
               pool_name, volume);
  return NULL;
}

/* The volume delete-storage will delete (@pool, @volume, its @path), checked before
 * anything is detached. */
static gboolean
storage_to_delete (const VtTarget *target, unsigned int flags, const char *alias,
                   char **pool, char **volume, char **path, GError **error)
{
  if (!vt_domain_record_created_volume (target->record, alias,
                                        vt_target_storage_format (target), pool, volume, error)
      || !check_unused_elsewhere (target, flags, alias, error))
    return FALSE;
  *path = unshared_volume_path (target, *pool, *volume, alias, error);
  return *path != NULL;
}

/* The LUKS secret virtuned made for the volume at @path, if any. */
static gboolean
delete_secret (virConnectPtr conn, const char *path, GError **error)
{
  virSecretPtr secret = virSecretLookupByUsage (conn, VIR_SECRET_USAGE_TYPE_VOLUME, path);
  gboolean deleted;

  if (secret == NULL)
    {
      virResetLastError ();
      return TRUE;
    }
  deleted = virSecretUndefine (secret) == 0
            || vt_set_libvirt_error (error, "deleting the volume's LUKS secret");
  virSecretFree (secret);
  return deleted;
}

static gboolean
delete_volume_and_secret (virConnectPtr conn, const char *pool_name, const char *volume,
                const char *path, GError **error)
{
  g_autoptr (virStoragePool) pool = virStoragePoolLookupByName (conn, pool_name);
  g_autoptr (virStorageVol) vol = pool != NULL ? virStorageVolLookupByName (pool, volume)
                                               : NULL;

  if (vol == NULL)
    return vt_set_libvirt_error (error, "finding the detached disk's volume");
  if (virStorageVolDelete (vol, 0) < 0)
    return vt_set_libvirt_error (error, "deleting the detached disk's volume");
  return delete_secret (conn, path, error);
}

/* Deletes the volume once the device is gone; a failure says the detach happened. */
static gboolean
delete_after_detach (const VtTarget *target, const char *pool, const char *volume,
                     const char *path, GError **error)
{
  g_autoptr (GError) local = NULL;

  if (delete_volume_and_secret (target->conn, pool, volume, path, &local))
    {
      g_message ("domain %s: deleted volume %s/%s of a detached disk", target->name, pool,
                 volume);
      return TRUE;
    }
  g_set_error (error, VT_ERROR, VT_ERROR_FAILED, "the device was detached, but its volume "
               "%s/%s was not deleted: %s", pool, volume, local->message);
  return FALSE;
}

static void
record_detach (VtTarget *target, const char *alias)
{
  g_autoptr (GError) record_error = NULL;

  if (vt_domain_record_remove_device (target->record, alias, vt_target_storage_format (target),
                                      &record_error))
    vt_target_save_record (target);
  else
    g_warning ("domain %s: %s", target->name, record_error->message);
}

gboolean
vt_device_detach (VtConnection *conn, const VtDeviceInputs *inputs, const char *domain,
                  const char *alias, VtDeviceScope scope, gboolean delete_storage,
                  VtDetachState *state, GError **error)
{
  g_auto (VtTarget) target = { NULL };
  g_autofree char *pool = NULL;
  g_autofree char *volume = NULL;
  g_autofree char *path = NULL;
  unsigned int flags;
  int still;

  if (!vt_target_open (&target, conn, inputs, domain, error))
    return FALSE;
  flags = scope_flags (&target, scope);
  if (!check_present (&target, flags, alias, error)
      || (delete_storage
          && !storage_to_delete (&target, flags, alias, &pool, &volume, &path, error)))
    return FALSE;
  if (virDomainDetachDeviceAlias (target.dom, alias, flags) < 0)
    return vt_set_libvirt_error (error, "detaching the device");
  /* libvirt asked the guest; the device is gone from the live domain once it agreed. */
  still = (flags & VIR_DOMAIN_AFFECT_LIVE) ? holds (&target, TRUE, alias, NULL) : 0;
  *state = still == 1 ? VT_DETACH_PENDING : VT_DETACH_REMOVED;
  if (flags & VIR_DOMAIN_AFFECT_CONFIG)
    record_detach (&target, alias);
  if (volume == NULL || *state == VT_DETACH_PENDING)
    return TRUE;
  return delete_after_detach (&target, pool, volume, path, error);
}
