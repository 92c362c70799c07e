#include "host/probe.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "util/error.h"

#define MAX_KERNEL_FILE (16u << 20)

static char *
errno_error (GError **error, int saved_errno, const char *path)
{
  g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno), "%s: %s", path,
               g_strerror (saved_errno));
  return NULL;
}

char *
vt_host_read (const char *sysroot, const char *rel, GError **error)
{
  g_autofree char *path = g_build_filename (sysroot, rel, NULL);
  g_autoptr(GString) text = g_string_new (NULL);
  char chunk[4096];
  int fd;

  /* O_NONBLOCK: a FIFO planted in a fake tree must not hang the daemon. */
  fd = open (path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
  if (fd < 0)
    return errno_error (error, errno, path);
  for (;;)
    {
      ssize_t n = read (fd, chunk, sizeof chunk);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved_errno = errno;

          close (fd);
          return errno_error (error, saved_errno, path);
        }
      if (n == 0)
        break;
      if (text->len + (gsize) n > MAX_KERNEL_FILE)
        {
          close (fd);
          return errno_error (error, EFBIG, path);
        }
      g_string_append_len (text, chunk, n);
    }
  close (fd);
  if (memchr (text->str, '\0', text->len))
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL, "%s: not a text file", path);
      return NULL;
    }
  return g_strchomp (g_string_free (g_steal_pointer (&text), FALSE));
}

char *
vt_host_choice_selected (const char *text)
{
  const char *open = strchr (text, '[');
  const char *close = open ? strchr (open, ']') : NULL;
  g_auto(GStrv) words = NULL;

  if (close && close > open + 1)
    return g_strndup (open + 1, close - open - 1);
  words = vt_host_choice_words (text);
  return !open && g_strv_length (words) == 1 ? g_strdup (words[0]) : NULL;
}

char *
vt_host_choice_current (const char *file, const char *text, GError **error)
{
  char *selected = vt_host_choice_selected (text);

  if (!selected)
    g_set_error (error, VT_ERROR, VT_ERROR_HOST_TUNING, "no bracketed current value in %s",
                 file);
  return selected;
}

GStrv
vt_host_choice_words (const char *text)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) words = g_strsplit_set (text, " \t\n", -1);

  for (char **w = words; *w; w++)
    {
      char *word = g_strdelimit (*w, "[]", ' ');

      g_strstrip (word);
      if (*word)
        g_strv_builder_add (builder, word);
    }
  return g_strv_builder_end (builder);
}

gboolean
vt_host_choice_offers (const char *text, const char *word)
{
  g_auto(GStrv) words = vt_host_choice_words (text);

  return g_strv_contains ((const char *const *) words, word);
}

char *
vt_host_choice_plain (const char *text)
{
  g_auto(GStrv) words = vt_host_choice_words (text);

  return g_strjoinv (" ", words);
}

static gboolean
is_virtual_block_device (const char *name)
{
  static const char *const prefixes[] = { "loop", "ram", "zram", "dm-", "md", "sr", "nbd" };

  for (guint i = 0; i < G_N_ELEMENTS (prefixes); i++)
    if (g_str_has_prefix (name, prefixes[i]))
      return TRUE;
  return FALSE;
}

static gint
compare_names (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (*(char *const *) a, *(char *const *) b);
}

GStrv
vt_host_block_devices (const char *sysroot)
{
  g_autofree char *dir_path = g_build_filename (sysroot, "sys/block", NULL);
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  const char *name;

  while (dir && (name = g_dir_read_name (dir)))
    if (!is_virtual_block_device (name))
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);
  g_ptr_array_add (names, NULL);
  return (GStrv) g_ptr_array_free (g_steal_pointer (&names), FALSE);
}

guint64
vt_host_hugepage_kib (const char *sysroot)
{
  g_autofree char *meminfo = vt_host_read (sysroot, VT_HOST_MEMINFO_FILE, NULL);
  const char *line = meminfo ? strstr (meminfo, "Hugepagesize:") : NULL;
  guint64 kib;

  if (!line)
    return 2048;
  kib = g_ascii_strtoull (line + strlen ("Hugepagesize:"), NULL, 10);
  return kib ? kib : 2048;
}

gboolean
vt_host_cpu_has_flag (const char *cpuinfo, const char *flag)
{
  g_auto(GStrv) lines = g_strsplit (cpuinfo, "\n", -1);

  for (char **line = lines; *line; line++)
    {
      const char *colon = strchr (*line, ':');
      g_auto(GStrv) flags = NULL;

      if (!g_str_has_prefix (*line, "flags") || !colon)
        continue;
      flags = g_strsplit_set (colon + 1, " \t", -1);
      return g_strv_contains ((const char *const *) flags, flag);
    }
  return FALSE;
}

char *
vt_host_cmdline_value (const char *cmdline, const char *name)
{
  g_auto(GStrv) words = g_strsplit_set (cmdline, " \t\n", -1);
  g_autofree char *prefix = g_strconcat (name, "=", NULL);
  const char *value = NULL;

  for (char **w = words; *w; w++)
    if (g_str_has_prefix (*w, prefix))
      value = *w + strlen (prefix);
  return g_strdup (value);
}
