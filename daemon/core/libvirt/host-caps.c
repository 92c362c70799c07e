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
    return vt_domcaps_parse (xml, strlen (xml), "libvirt", error);
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
