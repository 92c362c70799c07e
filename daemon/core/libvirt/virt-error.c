#include "libvirt/virt-error.h"

#include <libvirt/virterror.h>

#include "util/error.h"

gboolean
vt_set_libvirt_error (GError **error, const char *what)
{
  virErrorPtr err = virGetLastError ();

  g_set_error (error, VT_ERROR, VT_ERROR_LIBVIRT, "%s: %s", what,
               err && err->message ? err->message : "unknown libvirt error");
  return FALSE;
}
