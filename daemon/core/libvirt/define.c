/* virtuned — Define (SPEC §5): storage, secrets and the domain, transactionally.
 *
 * Order of work: existing disks are resolved first, read-only and before authorization
 * (vt_define_resolve_disks: the caller's authorization depends on what they are); then
 * cheap checks (networks, the domain name), so most refusals create nothing; then new
 * volumes (and their LUKS secrets) in disk order; then the domain. Every object this call creates is recorded in an undo list
 * the moment it exists, and a failure anywhere removes exactly those, newest first. */
#include "libvirt/define.h"

#include <errno.h>
#include <string.h>

#include <libvirt/virterror.h>
#include <libxml/parser.h>
#include <libxml/xpath.h>

#include "libvirt/virt-error.h"
#include "model/limits.h"
#include "util/error.h"
#include "util/random.h"

#define LUKS_KEY_BYTES 32

/* A heap string holding a secret: wiped before it is freed. */
typedef char char_passphrase;

/* One object created by this call; exactly one pointer is set. */
typedef struct {
  virStorageVolPtr vol;
  virSecretPtr secret;
  virDomainPtr dom;
} VtUndo;

typedef struct {
  virConnectPtr conn;
  const VtResolved *plan;
  GArray *undo;             /* VtUndo, in creation order */
  VtDiskBinding *bindings;  /* one per disk, owned by the VtDiskResolution */
  GPtrArray *notes;
} VtDefineTx;

G_DEFINE_AUTOPTR_CLEANUP_FUNC (virStoragePool, virStoragePoolFree)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (virStorageVol, virStorageVolFree)
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
  g_ptr_array_unref (result->notes);
  g_free (result);
}

/* ---- small XML helpers (libvirt hands us documents; we read them with libxml2) ---- */

static xmlDocPtr
parse_libvirt_xml (const char *xml)
{
  return xmlReadMemory (xml, (int) strlen (xml), NULL, NULL,
                        XML_PARSE_NONET | XML_PARSE_NOBLANKS);
}

/* The string value of @expr in @xml, or NULL when it selects nothing. */
static char *
xml_xpath_string (const char *xml, const char *expr)
{
  xmlDocPtr doc = parse_libvirt_xml (xml);
  xmlXPathContextPtr ctx;
  xmlXPathObjectPtr obj;
  char *value = NULL;

  if (doc == NULL)
    return NULL;
  ctx = xmlXPathNewContext (doc);
  obj = xmlXPathEvalExpression ((const xmlChar *) expr, ctx);
  if (obj != NULL && obj->type == XPATH_NODESET && !xmlXPathNodeSetIsEmpty (obj->nodesetval))
    {
      xmlChar *content = xmlNodeGetContent (obj->nodesetval->nodeTab[0]);

      value = g_strdup ((const char *) content);
      xmlFree (content);
    }
  xmlXPathFreeObject (obj);
  xmlXPathFreeContext (ctx);
  xmlFreeDoc (doc);
  return value;
}

static char *
doc_to_string (xmlDocPtr doc)
{
  xmlChar *mem = NULL;
  int len = 0;
  char *text;

  xmlDocDumpFormatMemory (doc, &mem, &len, 1);
  text = g_strndup ((const char *) mem, (gsize) len);
  xmlFree (mem);
  return text;
}

/* ---- checks that create nothing ---- */

static gboolean
check_network (virConnectPtr conn, guint index, const VtNetDesc *net, GError **error)
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

static virStoragePoolPtr
lookup_active_pool (virConnectPtr conn, guint index, const char *name, GError **error)
{
  g_autoptr (virStoragePool) pool = virStoragePoolLookupByName (conn, name);

  if (pool == NULL)
    {
      g_autofree char *what = g_strdup_printf ("disks[%u]: storage pool '%s'", index, name);
      vt_set_libvirt_error (error, what);
      return NULL;
    }
  if (virStoragePoolIsActive (pool) != 1)
    {
      g_set_error (error, VT_ERROR, VT_ERROR_FAILED,
                   "disks[%u]: storage pool '%s' is not active (start it with "
                   "`virsh pool-start %s`)", index, name, name);
      return NULL;
    }
  return g_steal_pointer (&pool);
}

/* ---- bindings: where a disk really lives ---- */

static void
binding_clear (VtDiskBinding *binding)
{
  g_clear_pointer (&binding->file, g_free);
  g_clear_pointer (&binding->dev, g_free);
  g_clear_pointer (&binding->format, g_free);
  g_clear_pointer (&binding->secret_uuid, g_free);
}

/* Fills @binding from what libvirt says about @vol: its path, its real format and,
 * for a LUKS volume, the secret that opens it. @encrypted (nullable): set when the
 * volume has any <encryption>, whatever its format. */
static gboolean
bind_volume (virStorageVolPtr vol, guint index, VtDiskBinding *binding, gboolean *encrypted,
             GError **error)
{
  g_autofree char *encryption = NULL;
  virStorageVolInfo info;
  g_autofree char *path = NULL;
  g_autofree char *xml = NULL;
  g_autofree char *what = g_strdup_printf ("disks[%u]: volume %s", index,
                                           virStorageVolGetName (vol));

  if (virStorageVolGetInfo (vol, &info) < 0 || (path = virStorageVolGetPath (vol)) == NULL
      || (xml = virStorageVolGetXMLDesc (vol, 0)) == NULL)
    return vt_set_libvirt_error (error, what);
  if (info.type != VIR_STORAGE_VOL_FILE && info.type != VIR_STORAGE_VOL_BLOCK)
    {
      g_set_error (error, VT_ERROR, VT_ERROR_UNSUPPORTED,
                   "%s is neither a file nor a block device; virtuned only attaches "
                   "local volumes", what);
      return FALSE;
    }
  binding_clear (binding);
  if (info.type == VIR_STORAGE_VOL_FILE)
    binding->file = g_steal_pointer (&path);
  else
    binding->dev = g_steal_pointer (&path);
  binding->format = xml_xpath_string (xml, "/volume/target/format/@type");
  /* libvirt's storage driver calls ISO 9660 images "iso"; QEMU reads them as raw. */
  if (g_strcmp0 (binding->format, "iso") == 0)
    {
      g_free (binding->format);
      binding->format = g_strdup ("raw");
    }
  binding->secret_uuid = xml_xpath_string (
      xml, "/volume/target/encryption[@format='luks']/secret/@uuid");
  /* libvirt requires the format attribute, so it marks every <encryption>. */
  encryption = xml_xpath_string (xml, "/volume/target/encryption/@format");
  if (encrypted != NULL)
    *encrypted = encryption != NULL;
  return TRUE;
}

static gboolean
bind_existing_disk (virConnectPtr conn, guint index, const VtDiskDesc *disk,
                    VtDiskBinding *binding, gboolean *encrypted, GError **error)
{
  g_autoptr (virStoragePool) pool = NULL;
  g_autoptr (virStorageVol) vol = NULL;

  pool = lookup_active_pool (conn, index, disk->pool, error);
  if (pool == NULL)
    return FALSE;
  vol = virStorageVolLookupByName (pool, disk->volume);
  if (vol == NULL)
    {
      g_autofree char *what = g_strdup_printf ("disks[%u]: volume %s/%s", index,
                                               disk->pool, disk->volume);
      return vt_set_libvirt_error (error, what);
    }
  return bind_volume (vol, index, binding, encrypted, error);
}

void
vt_disk_resolution_free (VtDiskResolution *disks)
{
  if (disks == NULL)
    return;
  for (guint i = 0; i < disks->n_disks; i++)
    binding_clear (&disks->bindings[i]);
  g_free (disks->bindings);
  g_free (disks->encrypted);
  g_free (disks);
}

VtDiskResolution *
vt_define_resolve_disks (const VtResolved *plan, virConnectPtr conn, GError **error)
{
  const VtDescription *desc = plan->desc;
  g_autoptr (VtDiskResolution) disks = g_new0 (VtDiskResolution, 1);

  disks->n_disks = desc->disks != NULL ? desc->disks->len : 0;
  disks->bindings = g_new0 (VtDiskBinding, MAX (disks->n_disks, 1));
  disks->encrypted = g_new0 (gboolean, MAX (disks->n_disks, 1));
  for (guint i = 0; i < disks->n_disks; i++)
    {
      const VtDiskDesc *disk = g_ptr_array_index (desc->disks, i);

      /* path: disks need no lookup: the builder places the path (a file, or a block
       * device under /dev) with the description's format:, raw unless given, exactly
       * as Render does; never storage.format, which describes new volumes. */
      if ((disk->kind == VT_DISK_VOLUME || disk->kind == VT_DISK_CDROM)
          && !bind_existing_disk (conn, i, disk, &disks->bindings[i], &disks->encrypted[i],
                                  error))
        return NULL;
    }
  return g_steal_pointer (&disks);
}

/* ---- creation, each recorded for undo ---- */

static void
record_undo (VtDefineTx *tx, virStorageVolPtr vol, virSecretPtr secret, virDomainPtr dom)
{
  VtUndo undo = { vol, secret, dom };

  g_array_append_val (tx->undo, undo);
}

static char *
secret_xml (const char *volume_path)
{
  xmlDocPtr doc = xmlNewDoc ((const xmlChar *) "1.0");
  xmlNodePtr root = xmlNewNode (NULL, (const xmlChar *) "secret");
  xmlNodePtr usage;
  g_autofree char *description = g_strdup_printf ("virtuned LUKS passphrase of %s",
                                                  volume_path);
  char *text;

  xmlDocSetRootElement (doc, root);
  /* Persistent (the volume outlives the daemon) and private (never readable back
   * through the API: only libvirt itself uses it to open the volume). */
  xmlSetProp (root, (const xmlChar *) "ephemeral", (const xmlChar *) "no");
  xmlSetProp (root, (const xmlChar *) "private", (const xmlChar *) "yes");
  xmlNewTextChild (root, NULL, (const xmlChar *) "description", (const xmlChar *) description);
  usage = xmlNewChild (root, NULL, (const xmlChar *) "usage", NULL);
  xmlSetProp (usage, (const xmlChar *) "type", (const xmlChar *) "volume");
  xmlNewTextChild (usage, NULL, (const xmlChar *) "volume", (const xmlChar *) volume_path);
  text = doc_to_string (doc);
  xmlFreeDoc (doc);
  return text;
}

/* The passphrase: 32 random bytes (256 bits), base64-encoded because qemu-img reads a
 * LUKS passphrase as UTF-8 text. Wiped by the caller. */
static char *
new_passphrase (GError **error)
{
  guint8 key[LUKS_KEY_BYTES];
  char *text;

  if (!vt_random_fill (key, sizeof key, error))
    return NULL;
  text = g_base64_encode (key, sizeof key);
  explicit_bzero (key, sizeof key);
  return text;
}

static void
passphrase_free (char *passphrase)
{
  if (passphrase != NULL)
    explicit_bzero (passphrase, strlen (passphrase));
  g_free (passphrase);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (char_passphrase, passphrase_free)

/* Defines a fresh secret tied to @volume_path and gives it a random passphrase. The
 * passphrase only ever lives in this process's memory (wiped after use) and in
 * libvirt: never in a log, a file of ours or a command line. */
static char *
create_luks_secret (VtDefineTx *tx, const char *volume_path, GError **error)
{
  g_autofree char *xml = secret_xml (volume_path);
  g_autoptr (char_passphrase) passphrase = new_passphrase (error);
  char uuid[VIR_UUID_STRING_BUFLEN];
  virSecretPtr secret;

  if (passphrase == NULL)
    return NULL;
  secret = virSecretDefineXML (tx->conn, xml, 0);
  if (secret == NULL)
    {
      vt_set_libvirt_error (error, "defining the LUKS secret");
      return NULL;
    }
  record_undo (tx, NULL, secret, NULL);
  if (virSecretSetValue (secret, (const unsigned char *) passphrase, strlen (passphrase), 0) < 0
      || virSecretGetUUIDString (secret, uuid) < 0)
    {
      vt_set_libvirt_error (error, "storing the LUKS passphrase");
      return NULL;
    }
  return g_strdup (uuid);
}

static guint64
cluster_size_for (const VtSettings *settings, GPtrArray *notes)
{
  guint64 size = vt_settings_get_size (settings, "storage.cluster_size");

  if (size > VT_QCOW2_MAX_CLUSTER_SIZE)
    {
      if (notes != NULL)
        g_ptr_array_add (notes, g_strdup_printf (
            "storage.cluster_size %s is larger than QEMU's qcow2 maximum; 2MiB is used",
            vt_settings_get (settings, "storage.cluster_size")));
      size = VT_QCOW2_MAX_CLUSTER_SIZE;
    }
  return size;
}

static void
add_size_child (xmlNodePtr parent, const char *name, const char *unit, guint64 value)
{
  char text[G_ASCII_DTOSTR_BUF_SIZE];
  xmlNodePtr node;

  g_snprintf (text, sizeof text, "%" G_GUINT64_FORMAT, value);
  node = xmlNewTextChild (parent, NULL, (const xmlChar *) name, (const xmlChar *) text);
  xmlSetProp (node, (const xmlChar *) "unit", (const xmlChar *) unit);
}

/* The qcow2-only parts of a volume target: modern compat (libvirt would otherwise
 * pick 0.10, which has neither lazy refcounts nor LUKS), cluster size, features. */
static void
add_qcow2_target (xmlNodePtr target, const VtSettings *settings, GPtrArray *notes)
{
  guint64 cluster = cluster_size_for (settings, notes);

  xmlNewTextChild (target, NULL, (const xmlChar *) "compat", (const xmlChar *) "1.1");
  if (cluster > 0)
    add_size_child (target, "clusterSize", "B", cluster);
  if (vt_settings_get_bool (settings, "storage.lazy_refcounts"))
    {
      xmlNodePtr features = xmlNewChild (target, NULL, (const xmlChar *) "features", NULL);

      xmlNewChild (features, NULL, (const xmlChar *) "lazy_refcounts", NULL);
    }
}

/* storage.preallocation as libvirt can express it. For qcow2 libvirt turns the
 * PREALLOC_METADATA flag into qemu-img preallocation=metadata when allocation is below
 * capacity and preallocation=falloc when it equals it ("full" has no spelling there, so
 * falloc is the closest). Raw files take no flag: libvirt allocates @allocation bytes. */
static guint64
preallocation_for (const VtSettings *settings, gboolean qcow2, guint64 capacity,
                   unsigned int *flags, GPtrArray *notes)
{
  const char *mode = vt_settings_get (settings, "storage.preallocation");

  *flags = 0;
  if (mode == NULL || g_str_equal (mode, "off"))
    return 0;
  if (!qcow2)
    return g_str_equal (mode, "metadata") ? 0 : capacity;
  *flags = VIR_STORAGE_VOL_CREATE_PREALLOC_METADATA;
  if (g_str_equal (mode, "metadata"))
    return 0;
  if (g_str_equal (mode, "full") && notes != NULL)
    g_ptr_array_add (notes, g_strdup ("storage.preallocation full: libvirt preallocates "
                                      "qcow2 volumes with falloc"));
  return capacity;
}

char *
vt_define_volume_xml (const char *name, guint64 capacity, const VtSettings *settings,
                      const char *secret_uuid, unsigned int *create_flags, GPtrArray *notes)
{
  const char *format = vt_settings_get (settings, "storage.format");
  gboolean qcow2 = format == NULL || g_str_equal (format, "qcow2");
  xmlDocPtr doc = xmlNewDoc ((const xmlChar *) "1.0");
  xmlNodePtr root = xmlNewNode (NULL, (const xmlChar *) "volume");
  xmlNodePtr target, node;
  guint64 allocation = preallocation_for (settings, qcow2, capacity, create_flags, notes);
  char *text;

  xmlDocSetRootElement (doc, root);
  xmlNewTextChild (root, NULL, (const xmlChar *) "name", (const xmlChar *) name);
  add_size_child (root, "capacity", "bytes", capacity);
  add_size_child (root, "allocation", "bytes", allocation);
  target = xmlNewChild (root, NULL, (const xmlChar *) "target", NULL);
  node = xmlNewChild (target, NULL, (const xmlChar *) "format", NULL);
  xmlSetProp (node, (const xmlChar *) "type", (const xmlChar *) (qcow2 ? "qcow2" : "raw"));
  if (qcow2)
    add_qcow2_target (target, settings, notes);
  if (secret_uuid != NULL)
    {
      xmlNodePtr enc = xmlNewChild (target, NULL, (const xmlChar *) "encryption", NULL);

      xmlSetProp (enc, (const xmlChar *) "format", (const xmlChar *) "luks");
      node = xmlNewChild (enc, NULL, (const xmlChar *) "secret", NULL);
      xmlSetProp (node, (const xmlChar *) "type", (const xmlChar *) "passphrase");
      xmlSetProp (node, (const xmlChar *) "uuid", (const xmlChar *) secret_uuid);
    }
  text = doc_to_string (doc);
  xmlFreeDoc (doc);
  return text;
}

static char *
pool_volume_path (virStoragePoolPtr pool, const char *volume, GError **error)
{
  g_autofree char *xml = virStoragePoolGetXMLDesc (pool, 0);
  g_autofree char *dir = NULL;

  if (xml == NULL)
    {
      vt_set_libvirt_error (error, "reading the storage pool");
      return NULL;
    }
  dir = xml_xpath_string (xml, "/pool/target/path");
  if (dir == NULL)
    {
      g_set_error (error, VT_ERROR, VT_ERROR_UNSUPPORTED,
                   "storage pool '%s' has no target path, so it cannot hold encrypted "
                   "volumes", virStoragePoolGetName (pool));
      return NULL;
    }
  return g_build_filename (dir, volume, NULL);
}

/* QEMU releases carrying the threaded PBKDF benchmark without its follow-up fix (Debian
 * 12's 7.2 among them) fail LUKS creation at random on fast machines: the benchmark's
 * first round can finish before getrusage() accounts any CPU time. Nothing was created
 * (libvirt removes the volume when qemu-img fails), so trying again is safe. */
#define LUKS_CREATE_ATTEMPTS 8

static gboolean
is_pbkdf_benchmark_glitch (void)
{
  const char *message = virGetLastErrorMessage ();

  return message != NULL && strstr (message, "Unable to get accurate CPU usage") != NULL;
}

static virStorageVolPtr
create_volume (virStoragePoolPtr pool, const char *xml, unsigned int flags, gboolean luks)
{
  virStorageVolPtr vol = virStorageVolCreateXML (pool, xml, flags);

  for (guint attempt = 1; vol == NULL && luks && attempt < LUKS_CREATE_ATTEMPTS
                          && is_pbkdf_benchmark_glitch (); attempt++)
    {
      g_message ("qemu-img's LUKS benchmark measured no CPU time; creating the volume "
                 "again (attempt %u of %u)", attempt + 1, LUKS_CREATE_ATTEMPTS);
      vol = virStorageVolCreateXML (pool, xml, flags);
    }
  return vol;
}

static gboolean
create_new_disk (VtDefineTx *tx, guint index, const VtDiskDesc *disk, GError **error)
{
  const VtDescription *desc = tx->plan->desc;
  const VtSettings *settings = tx->plan->merge->settings;
  const char *format = vt_settings_get (settings, "storage.format");
  guint64 capacity = disk->size ? disk->size
                                : vt_settings_get_size (settings, "storage.capacity");
  g_autoptr (virStoragePool) pool = NULL;
  g_autofree char *name = vt_domain_new_volume_name (desc, index, format ? format : "qcow2");
  g_autofree char *secret_uuid = NULL;
  g_autofree char *xml = NULL;
  unsigned int flags = 0;
  virStorageVolPtr vol;

  if (capacity == 0)
    {
      g_set_error (error, VT_ERROR, VT_ERROR_INVALID_DESCRIPTION,
                   "disks[%u] (line %u, column %u): a new disk needs a size (or the "
                   "storage.capacity setting)", index, disk->line, disk->column);
      return FALSE;
    }
  pool = lookup_active_pool (tx->conn, index, disk->pool, error);
  if (pool == NULL)
    return FALSE;
  if (vt_settings_get_bool (settings, "storage.encryption"))
    {
      g_autofree char *path = pool_volume_path (pool, name, error);

      if (path == NULL || (secret_uuid = create_luks_secret (tx, path, error)) == NULL)
        return FALSE;
    }
  xml = vt_define_volume_xml (name, capacity, settings, secret_uuid, &flags, tx->notes);
  vol = create_volume (pool, xml, flags, secret_uuid != NULL);
  if (vol == NULL)
    {
      g_autofree char *what = g_strdup_printf ("disks[%u]: creating volume %s/%s", index,
                                               disk->pool, name);
      return vt_set_libvirt_error (error, what);
    }
  record_undo (tx, vol, NULL, NULL);
  return bind_volume (vol, index, &tx->bindings[index], NULL, error);
}

/* ---- the domain ---- */

/* Drops any <uuid> from the rendered XML so libvirt assigns a fresh random one: with a
 * new UUID, virDomainDefineXML refuses a name that already exists instead of updating
 * that domain, which closes the window between our name check and the define. */
static char *
without_uuid (const char *xml, GError **error)
{
  xmlDocPtr doc = parse_libvirt_xml (xml);
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
  text = doc_to_string (doc);
  xmlFreeDoc (doc);
  return text;
}

static VtDefineResult *
define_domain (VtDefineTx *tx, const VtDomcaps *caps, GError **error)
{
  g_autofree char *rendered = NULL;
  g_autofree char *xml = NULL;
  g_autoptr (VtDefineResult) result = g_new0 (VtDefineResult, 1);
  char uuid[VIR_UUID_STRING_BUFLEN];
  virDomainPtr dom;

  rendered = vt_domain_render (tx->plan, caps, tx->bindings, error);
  if (rendered == NULL || (xml = without_uuid (rendered, error)) == NULL)
    return NULL;
  /* Checked again right before defining: the first check saved the storage work. */
  if (!check_domain_absent (tx->conn, tx->plan->desc->name, error))
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
  return g_steal_pointer (&result);
}

/* ---- the transaction ---- */

static void
log_rollback_failure (const char *what, const char *name)
{
  g_message ("rollback of a failed Define could not remove %s %s: %s", what, name,
             virGetLastErrorMessage ());
}

/* Frees @undo's object; with @rollback removes it from libvirt first. */
static void
undo_one (const VtUndo *undo, gboolean rollback)
{
  char uuid[VIR_UUID_STRING_BUFLEN];

  if (undo->dom != NULL)
    {
      if (rollback && virDomainUndefineFlags (undo->dom, VIR_DOMAIN_UNDEFINE_NVRAM) < 0)
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

static gboolean
prepare (VtDefineTx *tx, GError **error)
{
  const VtDescription *desc = tx->plan->desc;

  for (guint i = 0; desc->networks != NULL && i < desc->networks->len; i++)
    if (!check_network (tx->conn, i, g_ptr_array_index (desc->networks, i), error))
      return FALSE;
  if (!check_domain_absent (tx->conn, desc->name, error))
    return FALSE;
  for (guint i = 0; desc->disks != NULL && i < desc->disks->len; i++)
    {
      const VtDiskDesc *disk = g_ptr_array_index (desc->disks, i);

      if (disk->kind == VT_DISK_NEW && !create_new_disk (tx, i, disk, error))
        return FALSE;
    }
  return TRUE;
}

VtDefineResult *
vt_define (const VtResolved *plan, VtDiskResolution *disks, const VtDomcaps *caps,
           virConnectPtr conn, GError **error)
{
  g_autoptr (GPtrArray) notes = g_ptr_array_new_with_free_func (g_free);
  VtDefineTx tx = {
    .conn = conn,
    .plan = plan,
    .undo = g_array_new (FALSE, TRUE, sizeof (VtUndo)),
    .bindings = disks->bindings,
    .notes = notes,
  };
  VtDefineResult *result = NULL;

  g_return_val_if_fail (disks->n_disks == (plan->desc->disks ? plan->desc->disks->len : 0),
                        NULL);
  if (prepare (&tx, error))
    result = define_domain (&tx, caps, error);
  tx_finish (&tx, result == NULL);
  if (result != NULL)
    result->notes = g_steal_pointer (&notes);
  return result;
}
