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

gboolean
vt_set_errno_error (GError **error, int saved_errno, const char *what, const char *path)
{
  g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno), "%s %s: %s", what,
               path, g_strerror (saved_errno));
  return FALSE;
}
