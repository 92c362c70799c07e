/* virtuned — one libvirt host: its connection and the capabilities read over it. */
#include "libvirt/hypervisor.h"

#include "libvirt/host-caps.h"
#include "util/error.h"

struct _VtHypervisor {
  VtConnectionConfig *config;
  VtConnection *conn;
  char *sysroot;
  char *fallback_domcaps;
  GMutex fetch_lock;        /* one reading of the capabilities at a time, per host */
  GMutex caps_lock;         /* guards caps; held only to swap or take a reference */
  VtHostCaps *caps;         /* nullable */
  VtHypervisorWatch watch;  /* nullable */
  gpointer watch_data;
};

/* ---- the capabilities ---- */

static void
host_caps_clear (VtHostCaps *caps)
{
  vt_domcaps_free (caps->domcaps);
  g_free (caps->warning);
}

static VtHostCaps *
host_caps_new (VtDomcaps *domcaps, char *warning, guint generation)
{
  VtHostCaps *caps = g_atomic_rc_box_new0 (VtHostCaps);

  caps->domcaps = domcaps;
  caps->warning = warning;
  caps->generation = generation;
  return caps;
}

VtHostCaps *
vt_host_caps_ref (VtHostCaps *caps)
{
  return g_atomic_rc_box_acquire (caps);
}

void
vt_host_caps_unref (VtHostCaps *caps)
{
  if (caps != NULL)
    g_atomic_rc_box_release_full (caps, (GDestroyNotify) host_caps_clear);
}

/* ---- the host ---- */

VtHypervisor *
vt_hypervisor_new (const VtConnectionConfig *config, const char *sysroot,
                   const char *fallback_domcaps)
{
  VtHypervisor *hv = g_new0 (VtHypervisor, 1);

  hv->config = vt_connection_config_copy (config);
  hv->conn = vt_connection_new (config->uri);
  vt_connection_set_open_timeout (hv->conn, config->open_timeout);
  hv->sysroot = g_strdup (sysroot);
  hv->fallback_domcaps = g_strdup (fallback_domcaps);
  g_mutex_init (&hv->fetch_lock);
  g_mutex_init (&hv->caps_lock);
  return hv;
}

void
vt_hypervisor_free (VtHypervisor *hv)
{
  if (hv == NULL)
    return;
  vt_host_caps_unref (hv->caps);
  vt_connection_free (hv->conn);
  g_mutex_clear (&hv->fetch_lock);
  g_mutex_clear (&hv->caps_lock);
  vt_connection_config_free (hv->config);
  g_free (hv->sysroot);
  g_free (hv->fallback_domcaps);
  g_free (hv);
}

const VtConnectionConfig *
vt_hypervisor_config (const VtHypervisor *hv)
{
  return hv->config;
}

const char *
vt_hypervisor_name (const VtHypervisor *hv)
{
  return hv->config->name;
}

VtConnection *
vt_hypervisor_connection (VtHypervisor *hv)
{
  return hv->conn;
}

static void
on_reachability (VtConnection *conn, gboolean reachable, gpointer data)
{
  VtHypervisor *hv = data;

  hv->watch (hv, reachable, hv->watch_data);
}

void
vt_hypervisor_set_watch (VtHypervisor *hv, VtHypervisorWatch watch, gpointer data)
{
  hv->watch = watch;
  hv->watch_data = data;
  vt_connection_set_watch (hv->conn, watch != NULL ? on_reachability : NULL, hv);
}

gboolean
vt_hypervisor_is_local (const VtHypervisor *hv)
{
  return vt_connection_uri_is_local (hv->config->uri);
}

void
vt_hypervisor_prefix_error (const VtHypervisor *hv, GError **error)
{
  g_autofree char *prefix = g_strdup_printf ("connection '%s': ", hv->config->name);

  if (error != NULL && *error != NULL && !g_str_has_prefix ((*error)->message, prefix))
    g_prefix_error (error, "%s", prefix);
}

VtHostCaps *
vt_hypervisor_cached_caps (VtHypervisor *hv)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&hv->caps_lock);

  return hv->caps != NULL ? vt_host_caps_ref (hv->caps) : NULL;
}

/* Keeps @caps (taken) as the host's and returns a new reference to it. */
static VtHostCaps *
store (VtHypervisor *hv, VtHostCaps *caps)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&hv->caps_lock);

  vt_host_caps_unref (hv->caps);
  hv->caps = caps;
  return vt_host_caps_ref (caps);
}

/* The firmware descriptors go with capabilities asked of a local libvirt only: they
 * decide whether guest.sev auto may take SEV-ES. Read under the sysroot, as the host
 * tuning files are, so tests can give a tree of their own. */
static void
add_firmware_descriptors (VtHypervisor *hv, virConnectPtr conn, VtDomcaps *domcaps)
{
  g_autoptr (GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);

  domcaps->firmware = vt_host_firmware_descriptors (conn, hv->sysroot, problems);
  for (guint i = 0; i < problems->len; i++)
    g_warning ("%s", (const char *) g_ptr_array_index (problems, i));
}

/* The generic document, with a warning saying @why, kept as the host's. */
static VtHostCaps *
store_generic (VtHypervisor *hv, const GError *why, guint generation, GError **error)
{
  g_autofree char *file = NULL;
  char *warning;
  VtDomcaps *domcaps;

  if (hv->fallback_domcaps == NULL)
    {
      g_propagate_error (error, g_error_copy (why));
      return NULL;
    }
  domcaps = vt_domcaps_load_file (hv->fallback_domcaps, error);
  if (domcaps == NULL)
    return NULL;
  /* Callers get the document's name; where the daemon keeps its data is the journal's
   * business, not theirs. */
  file = g_path_get_basename (hv->fallback_domcaps);
  warning = g_strdup_printf ("host capabilities unavailable (%s); rendering for a generic "
                             "x86_64 KVM q35 host (%s)", why->message, file);
  g_warning ("%s; read from %s", warning, hv->fallback_domcaps);
  return store (hv, host_caps_new (domcaps, warning, generation));
}

/* Reads the capabilities over the connection when the cache is older than the
 * connection's current opening. Called with fetch_lock held. */
static VtHostCaps *
read_over_connection (VtHypervisor *hv, gboolean fallback_on_any_error, GError **error)
{
  g_autoptr (GError) local = NULL;
  g_autoptr (VtHostCaps) cached = vt_hypervisor_cached_caps (hv);
  guint generation = 0;
  virConnectPtr conn = vt_connection_get_generation (hv->conn, &generation, &local);
  VtDomcaps *domcaps;

  if (conn == NULL && cached != NULL)
    return g_steal_pointer (&cached);           /* unreachable now: what it said before */
  if (conn == NULL && fallback_on_any_error)
    return store_generic (hv, local, 0, error);
  if (conn == NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }
  if (cached != NULL && cached->generation == generation)
    {
      virConnectClose (conn);
      return g_steal_pointer (&cached);
    }
  domcaps = vt_domcaps_from_connection (conn, &local);
  if (domcaps != NULL)
    add_firmware_descriptors (hv, conn, domcaps);
  virConnectClose (conn);
  if (domcaps != NULL)
    {
      g_message ("read the capabilities of connection '%s' over its opening %u",
                 hv->config->name, generation);
      return store (hv, host_caps_new (domcaps, NULL, generation));
    }
  /* Stamped with this opening: the driver will not do better until it is reopened. */
  if (fallback_on_any_error || g_error_matches (local, VT_ERROR, VT_ERROR_UNSUPPORTED))
    return store_generic (hv, local, generation, error);
  g_propagate_error (error, g_steal_pointer (&local));
  return NULL;
}

static VtHostCaps *
read_saved (VtHypervisor *hv, GError **error)
{
  VtHostCaps *cached = vt_hypervisor_cached_caps (hv);
  VtDomcaps *domcaps;

  if (cached != NULL)
    return cached;
  domcaps = vt_domcaps_load_file (hv->config->domcaps_path, error);
  return domcaps != NULL ? store (hv, host_caps_new (domcaps, NULL, 0)) : NULL;
}

static VtHostCaps *
get_caps (VtHypervisor *hv, gboolean fallback_on_any_error, GError **error)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&hv->fetch_lock);
  VtHostCaps *caps = hv->config->domcaps_path != NULL
                       ? read_saved (hv, error)
                       : read_over_connection (hv, fallback_on_any_error, error);

  if (caps == NULL)
    vt_hypervisor_prefix_error (hv, error);
  return caps;
}

VtHostCaps *
vt_hypervisor_caps (VtHypervisor *hv, GError **error)
{
  return get_caps (hv, FALSE, error);
}

VtHostCaps *
vt_hypervisor_caps_or_fallback (VtHypervisor *hv, GError **error)
{
  return get_caps (hv, TRUE, error);
}
