#include "error.h"

#include <libvirt/virterror.h>

G_DEFINE_QUARK (vt-error-quark, vt_error)

gboolean
vt_set_libvirt_error (GError **error, const char *what)
{
  virErrorPtr err = virGetLastError ();

  g_set_error (error, VT_ERROR, VT_ERROR_LIBVIRT, "%s: %s", what,
               err && err->message ? err->message : "unknown libvirt error");
  return FALSE;
}
