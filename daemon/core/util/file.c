/* virtuned — durable file replacement, shared by host tuning's state and drop-ins. */
#include "util/file.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
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
  g_autofree char *tmp = g_strconcat (path, VT_ATOMIC_TEMP_SUFFIX, NULL);
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

/* @name is @base followed by VT_ATOMIC_TEMP_SUFFIX with each X filled in as mkstemp
 * fills it (GLib draws from [A-Za-z0-9]). */
static gboolean
is_atomic_temp_name (const char *name, const char *base)
{
  const char *suffix;

  if (!g_str_has_prefix (name, base))
    return FALSE;
  suffix = name + strlen (base);
  if (strlen (suffix) != strlen (VT_ATOMIC_TEMP_SUFFIX))
    return FALSE;
  for (const char *t = VT_ATOMIC_TEMP_SUFFIX; *t; t++, suffix++)
    if (*t == 'X' ? !g_ascii_isalnum (*suffix) : *suffix != *t)
      return FALSE;
  return TRUE;
}

/* Only a regular file can be one of our temporary files; lstat, so a symlink of that
 * name (someone else's) is never followed nor removed. *@unlinked says whether it was. */
static gboolean
remove_leftover (const char *path, gboolean *unlinked, GError **error)
{
  struct stat st;

  *unlinked = FALSE;
  if (lstat (path, &st) < 0)
    return errno == ENOENT || vt_set_errno_error (error, errno, "cannot inspect", path);
  if (!S_ISREG (st.st_mode))
    return TRUE;
  if (g_unlink (path) < 0)
    return errno == ENOENT || vt_set_errno_error (error, errno, "cannot remove the leftover",
                                                  path);
  *unlinked = TRUE;
  return TRUE;
}

gboolean
vt_remove_atomic_leftovers (const char *path, GPtrArray *removed, GError **error)
{
  g_autofree char *dir_path = g_path_get_dirname (path);
  g_autofree char *base = g_path_get_basename (path);
  g_autoptr(GError) local = NULL;
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, &local);
  gboolean ok = TRUE, any = FALSE;
  const char *name;

  if (dir == NULL)
    {
      if (g_error_matches (local, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return TRUE;
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  while ((name = g_dir_read_name (dir)))
    {
      g_autofree char *child = NULL;
      gboolean unlinked;

      if (!is_atomic_temp_name (name, base))
        continue;
      child = g_build_filename (dir_path, name, NULL);
      if (!remove_leftover (child, &unlinked, ok ? error : NULL))
        ok = FALSE;
      if (!unlinked)
        continue;
      any = TRUE;
      if (removed)
        g_ptr_array_add (removed, g_steal_pointer (&child));
    }
  /* The removals survive a crash like the writes they undo. */
  if (any && !vt_fsync_directory (dir_path, ok ? error : NULL))
    ok = FALSE;
  return ok;
}
