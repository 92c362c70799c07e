/* virtuned — durable file replacement, shared by host tuning's state and drop-ins. */
#include "util/file.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "util/error.h"

static gboolean
write_all (int fd, const char *data, gsize len)
{
  while (len > 0)
    {
      ssize_t n = write (fd, data, len);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        return FALSE;
      data += n;
      len -= (gsize) n;
    }
  return TRUE;
}

gboolean
vt_fsync_directory (const char *dir, GError **error)
{
  int fd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  int saved_errno;

  if (fd < 0)
    return vt_set_errno_error (error, errno, "cannot open directory", dir);
  if (fsync (fd) < 0 && errno != EINVAL)
    {
      saved_errno = errno;
      close (fd);
      return vt_set_errno_error (error, saved_errno, "cannot sync directory", dir);
    }
  close (fd);
  return TRUE;
}

gboolean
vt_write_file_atomic (const char *path, const char *contents, gsize len, guint mode,
                      GError **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *tmp = g_strconcat (path, ".XXXXXX", NULL);
  int fd = g_mkstemp_full (tmp, O_RDWR | O_CLOEXEC, (int) mode);
  int saved_errno;

  if (fd < 0)
    return vt_set_errno_error (error, errno, "cannot create a temporary file for", path);
  /* mkstemp honours the umask; drop-ins must be world-readable like their peers. */
  if (fchmod (fd, mode) < 0 || !write_all (fd, contents, len) || fsync (fd) < 0)
    {
      saved_errno = errno;
      close (fd);
      g_unlink (tmp);
      return vt_set_errno_error (error, saved_errno, "cannot write", tmp);
    }
  if (close (fd) < 0 || rename (tmp, path) < 0)
    {
      saved_errno = errno;
      g_unlink (tmp);
      return vt_set_errno_error (error, saved_errno, "cannot replace", path);
    }
  return vt_fsync_directory (dir, error);
}
