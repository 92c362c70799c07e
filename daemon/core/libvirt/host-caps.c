/* virtuned — the host's domain capabilities, asked of libvirt. */
#include "libvirt/host-caps.h"

#include <libvirt/virterror.h>
#include <string.h>

#include "libvirt/virt-error.h"
#include "util/error.h"

static gboolean
driver_cannot (virErrorPtr err)
{
  return err && (err->code == VIR_ERR_NO_SUPPORT || err->code == VIR_ERR_CONFIG_UNSUPPORTED ||
                 err->code == VIR_ERR_OPERATION_UNSUPPORTED);
}

/* The domain capabilities describe one machine type; the host capabilities list every
 * one the emulator has (and the host's CPUs), so a machine type is judged against what really exists. Best
 * effort: without them the host layer bounds versions by the newest machine instead. */
static VtDomcaps *
with_host_machines (virConnectPtr conn, VtDomcaps *caps)
{
  g_autoptr (GError) error = NULL;
  char *xml;

  if (caps == NULL)
    return NULL;
  xml = virConnectGetCapabilities (conn);
  if (xml == NULL || !vt_domcaps_add_host_machines (caps, xml, strlen (xml), &error))
    g_debug ("no machine list from the host capabilities: %s",
             error ? error->message : virGetLastErrorMessage ());
  g_clear_error (&error);
  /* The CPUs realtime pinning chooses from; without them it warns and does not pin. */
  if (xml != NULL && !vt_domcaps_add_host_topology (caps, xml, strlen (xml), &error))
    g_debug ("no CPU topology from the host capabilities: %s", error->message);
  virResetLastError ();
  free (xml);
  return caps;
}

VtDomcaps *
vt_domcaps_from_connection (virConnectPtr conn, GError **error)
{
  static const char *const virt_types[] = { "kvm", "qemu" };
  g_autofree char *xml = NULL;
  virErrorPtr err;

  for (gsize i = 0; i < G_N_ELEMENTS (virt_types) && !xml; i++)
    {
      char *raw = virConnectGetDomainCapabilities (conn, NULL, "x86_64", "q35",
                                                   virt_types[i], 0);
      xml = g_strdup (raw);
      free (raw);
    }
  if (xml)
    return with_host_machines (conn, vt_domcaps_parse (xml, strlen (xml), "libvirt", error));
  err = virGetLastError ();
  if (driver_cannot (err))
    {
      g_set_error (error, VT_ERROR, VT_ERROR_UNSUPPORTED,
                   "the hypervisor connection cannot report domain capabilities: %s",
                   err->message ? err->message : "not supported");
      return NULL;
    }
  vt_set_libvirt_error (error, "cannot read domain capabilities");
  return NULL;
}

/* TRUE when @conn's URI names no host: the driver runs on this machine. An ssh or tcp
 * URI names one, even "localhost", and is treated as remote: better a warning than
 * reading files that may not be the hypervisor's. */
static gboolean
connection_is_local (virConnectPtr conn)
{
  char *raw = virConnectGetURI (conn);
  g_autoptr (GUri) uri = raw ? g_uri_parse (raw, G_URI_FLAGS_NONE, NULL) : NULL;
  const char *host = uri ? g_uri_get_host (uri) : NULL;

  free (raw);
  return uri && (!host || !*host);
}

VtFirmwareDescriptors *
vt_host_firmware_descriptors (virConnectPtr conn, const char *root, GPtrArray *problems)
{
  if (!connection_is_local (conn))
    return NULL;
  return vt_firmware_descriptors_load (root, problems);
}
