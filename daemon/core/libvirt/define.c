/* virtuned — Define (SPEC §5): the transaction that creates a domain's new storage
 * and the domain itself.
 *
 * Order of work: existing disks were resolved before (vt_storage_resolve_disks,
 * read-only and before authorization: the caller's authorization depends on what they
 * are); then cheap checks (networks, the domain name), so most refusals create nothing;
 * then new volumes (and their LUKS secrets) in disk order, through storage.c and
 * secrets.c; then the domain. Every object this call creates is recorded in an undo
 * list the moment it exists, and a failure anywhere removes exactly those, newest
 * first. The steps before the first creation are read-only, so the request may redo
 * them once on a fresh connection when libvirt lost the old one; the ones after never. */
#include "libvirt/define.h"

#include <libvirt/virterror.h>

#include "libvirt/new-disk.h"
#include "libvirt/virt-error.h"
#include "util/error.h"
#include "util/xml.h"

/* One object created by this call; exactly one pointer is set. */
typedef struct {
  virStorageVolPtr vol;
  virSecretPtr secret;
  virDomainPtr dom;
} VtUndo;

typedef struct {
  virConnectPtr conn;
  const VtResolved *resolved;
  GArray *undo;             /* VtUndo, in creation order */
  VtDiskBinding *bindings;  /* one per disk, owned by the VtDiskResolution */
  GPtrArray *notes;
  VtDefineStart start;
} VtDefineTx;

G_DEFINE_AUTOPTR_CLEANUP_FUNC (virNetwork, virNetworkFree)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (virDomain, virDomainFree)

void
vt_define_result_free (VtDefineResult *result)
{
  if (result == NULL)
    return;
  g_free (result->name);
  g_free (result->uuid);
  g_free (result->xml);
  /* Unset on a result that failed half-way (define_domain), set once it succeeded. */
  if (result->notes != NULL)
    g_ptr_array_unref (result->notes);
  g_free (result);
}

/* ---- checks that create nothing ---- */

gboolean
vt_define_check_network (virConnectPtr conn, guint index, const VtNetDesc *net, GError **error)
{
  g_autoptr (virNetwork) network = NULL;
  int autostart = 0;

  if (net->kind != VT_NET_NETWORK)
    return TRUE;   /* bridges are the host's; access control already judged them */
  network = virNetworkLookupByName (conn, net->source);
  if (network == NULL)
    {
      g_autofree char *what = g_strdup_printf ("networks[%u]: network '%s'", index,
                                               net->source);
      return vt_set_libvirt_error (error, what);
    }
  if (virNetworkIsActive (network) == 1)
    return TRUE;
  if (virNetworkGetAutostart (network, &autostart) == 0 && autostart)
    return TRUE;
  g_set_error (error, VT_ERROR, VT_ERROR_FAILED,
               "networks[%u]: network '%s' is neither active nor set to autostart "
               "(start it with `virsh net-start %s`)", index, net->source, net->source);
  return FALSE;
}

static gboolean
check_domain_absent (virConnectPtr conn, const char *name, GError **error)
{
  g_autoptr (virDomain) dom = virDomainLookupByName (conn, name);

  if (dom == NULL)
    {
      virErrorPtr err = virGetLastError ();

      if (err != NULL && err->code == VIR_ERR_NO_DOMAIN)
        {
          virResetLastError ();
          return TRUE;
        }
      return vt_set_libvirt_error (error, "looking up the domain name");
    }
  g_set_error (error, VT_ERROR, VT_ERROR_CONFLICT,
               "name: a domain called '%s' already exists; virtuned never replaces "
               "an existing domain", name);
  return FALSE;
}

/* ---- new disks, each created object recorded for undo ---- */

static void
record_undo (VtDefineTx *tx, virStorageVolPtr vol, virSecretPtr secret, virDomainPtr dom)
{
  VtUndo undo = { vol, secret, dom };

  g_array_append_val (tx->undo, undo);
}

static gboolean
create_new_disk (VtDefineTx *tx, guint index, const VtDiskDesc *disk, GError **error)
{
  const VtSettings *settings = tx->resolved->merge->settings;
  const char *format = vt_settings_get (settings, "storage.format");
  g_autofree char *name = vt_domain_new_volume_name (tx->resolved->desc, index,
                                                     format ? format : "qcow2");
  VtNewDisk made = { NULL, NULL };
  gboolean ok = vt_new_disk_create (tx->conn, settings, index, disk, name,
                                    &tx->bindings[index], tx->notes, &made, error);

  /* The secret first: undo runs newest first, and the volume is newer. */
  if (made.secret != NULL)
    record_undo (tx, NULL, made.secret, NULL);
  if (made.vol != NULL)
    record_undo (tx, made.vol, NULL, NULL);
  return ok;
}

/* ---- the domain ---- */

/* Drops any <uuid> from the rendered XML so libvirt assigns a fresh random one: with a
 * new UUID, virDomainDefineXML refuses a name that already exists instead of updating
 * that domain, which closes the window between our name check and the define. */
static char *
without_uuid (const char *xml, GError **error)
{
  xmlDocPtr doc = vt_xml_parse (xml);
  xmlNodePtr root, child, next;
  char *text;

  if (doc == NULL || (root = xmlDocGetRootElement (doc)) == NULL)
    {
      xmlFreeDoc (doc);
      g_set_error (error, VT_ERROR, VT_ERROR_FAILED, "the rendered domain is not XML");
      return NULL;
    }
  for (child = root->children; child != NULL; child = next)
    {
      next = child->next;
      if (child->type == XML_ELEMENT_NODE && xmlStrEqual (child->name, (const xmlChar *) "uuid"))
        {
          xmlUnlinkNode (child);
          xmlFreeNode (child);
        }
    }
  text = vt_xml_to_string (doc);
  xmlFreeDoc (doc);
  return text;
}

/* The last step of the transaction: a domain that cannot start is undefined again with
 * everything made for it, so the caller is left with what it had before. */
static gboolean
start_domain (virDomainPtr dom, VtDefineStart start, GError **error)
{
  unsigned int flags = start == VT_DEFINE_START_PAUSED ? VIR_DOMAIN_START_PAUSED : 0;

  if (start == VT_DEFINE_START_NONE || virDomainCreateWithFlags (dom, flags) == 0)
    return TRUE;
  vt_set_libvirt_error (error, start == VT_DEFINE_START_PAUSED
                                 ? "starting the domain paused (it was not kept)"
                                 : "starting the domain (it was not kept)");
  return FALSE;
}

static VtDefineResult *
define_domain (VtDefineTx *tx, const VtDomcaps *caps, GError **error)
{
  g_autofree char *rendered = NULL;
  g_autofree char *xml = NULL;
  g_autoptr (VtDefineResult) result = g_new0 (VtDefineResult, 1);
  char uuid[VIR_UUID_STRING_BUFLEN];
  virDomainPtr dom;

  rendered = vt_domain_render (tx->resolved, caps, tx->bindings, error);
  if (rendered == NULL || (xml = without_uuid (rendered, error)) == NULL)
    return NULL;
  /* Checked again right before defining: the first check saved the storage work. */
  if (!check_domain_absent (tx->conn, tx->resolved->desc->name, error))
    return NULL;
  dom = virDomainDefineXMLFlags (tx->conn, xml, VIR_DOMAIN_DEFINE_VALIDATE);
  if (dom == NULL)
    {
      vt_set_libvirt_error (error, "defining the domain");
      return NULL;
    }
  record_undo (tx, NULL, NULL, dom);
  result->name = g_strdup (virDomainGetName (dom));
  result->xml = virDomainGetXMLDesc (dom, VIR_DOMAIN_XML_INACTIVE);
  if (result->xml == NULL || virDomainGetUUIDString (dom, uuid) < 0)
    {
      vt_set_libvirt_error (error, "reading the defined domain back");
      return NULL;
    }
  result->uuid = g_strdup (uuid);
  if (!start_domain (dom, tx->start, error))
    return NULL;
  return g_steal_pointer (&result);
}

/* ---- the transaction ---- */

static void
log_rollback_failure (const char *what, const char *name)
{
  g_message ("rollback of a failed Define could not remove %s %s: %s", what, name,
             virGetLastErrorMessage ());
}

/* A domain's NVRAM goes with it (an EFI domain has one); drivers without NVRAM refuse the
 * flag (the test driver), and for them a plain undefine is the same thing. */
static gboolean
undefine_domain (virDomainPtr dom)
{
  if (virDomainUndefineFlags (dom, VIR_DOMAIN_UNDEFINE_NVRAM) == 0)
    return TRUE;
  if (virGetLastErrorCode () != VIR_ERR_INVALID_ARG
      && virGetLastErrorCode () != VIR_ERR_NO_SUPPORT)
    return FALSE;
  virResetLastError ();
  return virDomainUndefine (dom) == 0;
}

/* Frees @undo's object; with @rollback removes it from libvirt first. */
static void
undo_one (const VtUndo *undo, gboolean rollback)
{
  char uuid[VIR_UUID_STRING_BUFLEN];

  if (undo->dom != NULL)
    {
      if (rollback && !undefine_domain (undo->dom))
        log_rollback_failure ("domain", virDomainGetName (undo->dom));
      virDomainFree (undo->dom);
    }
  if (undo->vol != NULL)
    {
      if (rollback && virStorageVolDelete (undo->vol, 0) < 0)
        log_rollback_failure ("volume", virStorageVolGetName (undo->vol));
      virStorageVolFree (undo->vol);
    }
  if (undo->secret != NULL)
    {
      if (rollback && virSecretUndefine (undo->secret) < 0
          && virSecretGetUUIDString (undo->secret, uuid) == 0)
        log_rollback_failure ("secret", uuid);
      virSecretFree (undo->secret);
    }
}

/* Releases the transaction; on @rollback removes what it created, newest first.
 * Rollback failures are logged, never reported over the original error. */
static void
tx_finish (VtDefineTx *tx, gboolean rollback)
{
  for (guint i = tx->undo->len; i > 0; i--)
    undo_one (&g_array_index (tx->undo, VtUndo, i - 1), rollback);
  g_array_unref (tx->undo);
}

/* The checks that create nothing: every network, then the domain name. */
static gboolean
check (virConnectPtr conn, const VtDescription *desc, GError **error)
{
  for (guint i = 0; desc->networks != NULL && i < desc->networks->len; i++)
    if (!vt_define_check_network (conn, i, g_ptr_array_index (desc->networks, i), error))
      return FALSE;
  return check_domain_absent (conn, desc->name, error);
}

static gboolean
create_new_disks (VtDefineTx *tx, GError **error)
{
  const VtDescription *desc = tx->resolved->desc;

  for (guint i = 0; desc->disks != NULL && i < desc->disks->len; i++)
    {
      const VtDiskDesc *disk = g_ptr_array_index (desc->disks, i);

      if (disk->kind == VT_DISK_NEW && !create_new_disk (tx, i, disk, error))
        return FALSE;
    }
  return TRUE;
}

/* vt_define once check() passed: from here on every step may create something. */
static VtDefineResult *
define_checked (const VtResolved *resolved, VtDiskResolution *disks, const VtDomcaps *caps,
                virConnectPtr conn, VtDefineStart start, GError **error)
{
  g_autoptr (GPtrArray) notes = g_ptr_array_new_with_free_func (g_free);
  VtDefineTx tx = {
    .conn = conn,
    .resolved = resolved,
    .undo = g_array_new (FALSE, TRUE, sizeof (VtUndo)),
    .bindings = disks->bindings,
    .notes = notes,
    .start = start,
  };
  VtDefineResult *result = NULL;

  if (create_new_disks (&tx, error))
    result = define_domain (&tx, caps, error);
  tx_finish (&tx, result == NULL);
  if (result != NULL)
    result->notes = g_steal_pointer (&notes);
  return result;
}

VtDefineResult *
vt_define (const VtResolved *resolved, VtDiskResolution *disks, const VtDomcaps *caps,
           virConnectPtr conn, GError **error)
{
  g_return_val_if_fail (disks->n_disks == (resolved->desc->disks ? resolved->desc->disks->len : 0),
                        NULL);
  if (!check (conn, resolved->desc, error))
    return NULL;
  return define_checked (resolved, disks, caps, conn, VT_DEFINE_START_NONE, error);
}

/* ---- the Define use case ---- */

struct _VtDefineRequest {
  VtResolved *resolved;
  VtConnection *connection;    /* borrowed: the daemon's, which outlives every call */
  virConnectPtr conn;          /* NULL when it could not be opened */
  gboolean reconnected;        /* the one fresh connection was used */
  VtDiskResolution *disks;     /* NULL when the lookup failed */
  GError *lookup_error;        /* why conn or disks is NULL */
  VtAccessLevel level;
  char *reason;
  VtDefineStart start;
};

/* A step of Define that creates and changes nothing in libvirt, so it may run twice. */
typedef gboolean (*ReadOnlyStep) (VtDefineRequest *request, GError **error);

static gboolean
step_on_connection (VtDefineRequest *request, ReadOnlyStep step, GError **error)
{
  if (request->conn == NULL)
    request->conn = vt_connection_get (request->connection, error);
  return request->conn != NULL && step (request, error);
}

/* Runs @step; when it failed for want of a connection (none could be opened, or libvirt
 * closed it: libvirtd restarted and libvirt noticed only on this call), runs it once
 * more on a fresh one, so a restart does not cost the caller a failed Define. Only the
 * read-only steps come here, so a retry never repeats a side effect; and only once per
 * request, so a libvirtd that is down costs one more attempt, not a loop. */
static gboolean
read_only (VtDefineRequest *request, ReadOnlyStep step, GError **error)
{
  g_autoptr (GError) first = NULL;

  if (step_on_connection (request, step, &first))
    return TRUE;
  if (request->reconnected || (request->conn != NULL && !vt_connection_lost (request->conn)))
    {
      g_propagate_error (error, g_steal_pointer (&first));
      return FALSE;
    }
  g_info ("Define: %s; retrying once on a fresh libvirt connection", first->message);
  request->reconnected = TRUE;
  if (request->conn != NULL)
    virConnectClose (g_steal_pointer (&request->conn));
  return step_on_connection (request, step, error);
}

static gboolean
resolve_disks (VtDefineRequest *request, GError **error)
{
  request->disks = vt_storage_resolve_disks (request->resolved, request->conn, error);
  return request->disks != NULL;
}

static gboolean
check_request (VtDefineRequest *request, GError **error)
{
  return check (request->conn, request->resolved->desc, error);
}

VtDefineRequest *
vt_define_request_new (VtResolved *resolved, VtConnection *conn, const VtConnectionConfig *config)
{
  VtDefineRequest *request = g_new0 (VtDefineRequest, 1);

  request->resolved = resolved;
  request->connection = conn;
  read_only (request, resolve_disks, &request->lookup_error);
  /* Without the lookup the description alone decides: the error comes after. */
  request->level = vt_access_define_level (resolved->desc, config, request->disks,
                                           &request->reason);
  return request;
}

void
vt_define_request_free (VtDefineRequest *request)
{
  if (request == NULL)
    return;
  vt_resolved_free (request->resolved);
  if (request->conn != NULL)
    virConnectClose (request->conn);
  vt_disk_resolution_free (request->disks);
  g_clear_error (&request->lookup_error);
  g_free (request->reason);
  g_free (request);
}

VtAccessLevel
vt_define_request_access (const VtDefineRequest *request, const char **reason)
{
  *reason = request->reason;
  return request->level;
}

void
vt_define_request_set_start (VtDefineRequest *request, VtDefineStart start)
{
  request->start = start;
}

VtDefineResult *
vt_define_request_run (VtDefineRequest *request, const VtDomcaps *caps, GError **error)
{
  if (request->lookup_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&request->lookup_error));
      return NULL;
    }
  if (!read_only (request, check_request, error))
    return NULL;
  return define_checked (request->resolved, request->disks, caps, request->conn,
                         request->start, error);
}
