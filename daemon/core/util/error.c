#include "util/error.h"

G_DEFINE_QUARK (vt-error-quark, vt_error)

gboolean
vt_set_errno_error (GError **error, int saved_errno, const char *what, const char *path)
{
  g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno), "%s %s: %s", what,
               path, g_strerror (saved_errno));
  return FALSE;
}
