/* A fake kernel for tests that run the real daemon against a fake --sysroot tree.
 * Preloaded into the daemon (LD_PRELOAD), it makes the tree's choice files answer writes
 * the way sysfs does: virtuned writes only the word ("always\n"), and the file then
 * lists the choices with that one bracketed ("[always] madvise never"); a word the file
 * does not offer fails with EINVAL and changes nothing. Without it a fake tree would
 * hold "always" afterwards, which no kernel shows.
 *
 * It touches only files under $VT_FAKE_KERNEL_ROOT that are opened write-only, without
 * O_CREAT, and whose text is a choice list (one word of it bracketed); every other call
 * goes straight to libc. The daemon opens with open64 (glibc, _FILE_OFFSET_BITS=64) or
 * open: both are wrapped. */
#undef _FILE_OFFSET_BITS   /* open and open64 are two functions here, not one */
#undef _FORTIFY_SOURCE     /* which would define open inline */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#define MAX_TEXT 4096
#define MAX_WORDS 32
#define MAX_OPEN 16

typedef int (*OpenFunc) (const char *path, int flags, ...);

/* A choice file open for writing: its fd and its text as the kernel shows it. */
typedef struct {
  int fd;
  char text[MAX_TEXT];
} ChoiceFile;

static OpenFunc real_open, real_open64;   /* libc's, looked up on first use */
static ChoiceFile open_files[MAX_OPEN];
static int n_open;   /* atomic: write() and close() pass straight through while 0 */
static pthread_mutex_t open_lock = PTHREAD_MUTEX_INITIALIZER;

static void *
next (const char *name)
{
  return dlsym (RTLD_NEXT, name);
}

static ssize_t
real_write (int fd, const void *buf, size_t count)
{
  static ssize_t (*func) (int, const void *, size_t);

  if (!func)
    func = (ssize_t (*) (int, const void *, size_t)) next ("write");
  return func (fd, buf, count);
}

static int
real_close (int fd)
{
  static int (*func) (int);

  if (!func)
    func = (int (*) (int)) next ("close");
  return func (fd);
}

/* Splits @text into its words without brackets; returns the count, -1 when it is not a
 * choice list (no bracketed word, or too long). @copy holds the words. */
static int
choice_words (const char *text, char *copy, char **words, int *selected)
{
  int n = 0;

  *selected = -1;
  strcpy (copy, text);
  for (char *save = NULL, *w = strtok_r (copy, " \t\n", &save); w;
       w = strtok_r (NULL, " \t\n", &save))
    {
      size_t len = strlen (w);

      if (n == MAX_WORDS)
        return -1;
      if (len > 2 && w[0] == '[' && w[len - 1] == ']')
        {
          w[len - 1] = '\0';
          w++;
          *selected = n;
        }
      words[n++] = w;
    }
  return *selected < 0 ? -1 : n;
}

/* Reads @path into @text when it is a choice list under the fake root. */
static bool
read_choice_file (const char *path, int flags, char *text)
{
  const char *root = getenv ("VT_FAKE_KERNEL_ROOT");
  size_t root_len = root ? strlen (root) : 0;
  char copy[MAX_TEXT], *words[MAX_WORDS];
  ssize_t len;
  int fd, selected;

  if (!root || !*root || strncmp (path, root, root_len) != 0 || path[root_len] != '/'
      || (flags & O_ACCMODE) != O_WRONLY || (flags & O_CREAT))
    return false;
  fd = open (path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);   /* read-only: passes through */
  if (fd < 0)
    return false;
  len = read (fd, text, MAX_TEXT - 1);
  real_close (fd);
  if (len < 0)
    return false;
  text[len] = '\0';
  return choice_words (text, copy, words, &selected) > 0;
}

/* The tracked file open as @fd; with 0, a free slot (fd 0 is never one of ours). */
static ChoiceFile *
find_open (int fd)
{
  for (int i = 0; i < MAX_OPEN; i++)
    if (open_files[i].fd == fd)
      return &open_files[i];
  return NULL;
}

static void
track (int fd, const char *text)
{
  ChoiceFile *slot;

  pthread_mutex_lock (&open_lock);
  slot = find_open (0);
  if (slot == NULL)
    {
      fprintf (stderr, "fake-kernel: more than %d choice files open\n", MAX_OPEN);
      abort ();
    }
  slot->fd = fd;
  strcpy (slot->text, text);
  __atomic_add_fetch (&n_open, 1, __ATOMIC_SEQ_CST);
  pthread_mutex_unlock (&open_lock);
}

static int
fake_open (OpenFunc real, const char *path, int flags, mode_t mode)
{
  char text[MAX_TEXT];
  int fd;

  if (!read_choice_file (path, flags, text))
    return real (path, flags, mode);
  /* sysfs ignores O_TRUNC: a refused write leaves the file as it was. */
  fd = real (path, flags & ~O_TRUNC, mode);
  if (fd > 0)
    track (fd, text);
  return fd;
}

/* The mode argument is there only when the flags need one (glibc's __OPEN_NEEDS_MODE). */
static mode_t
mode_argument (int flags, va_list ap)
{
  bool needs_mode = (flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE;

  return needs_mode ? (mode_t) va_arg (ap, int) : 0;
}

int
open (const char *path, int flags, ...)
{
  va_list ap;
  mode_t mode;

  va_start (ap, flags);
  mode = mode_argument (flags, ap);
  va_end (ap);
  if (!real_open)
    real_open = (OpenFunc) next ("open");
  return fake_open (real_open, path, flags, mode);
}

int
open64 (const char *path, int flags, ...)
{
  va_list ap;
  mode_t mode;

  va_start (ap, flags);
  mode = mode_argument (flags, ap);
  va_end (ap);
  if (!real_open64)
    real_open64 = (OpenFunc) next ("open64");
  return fake_open (real_open64, path, flags, mode);
}

/* The kernel's answer to writing @buf: the word selected, or EINVAL. */
static ssize_t
select_word (ChoiceFile *file, const char *buf, size_t count)
{
  char wanted[MAX_TEXT], copy[MAX_TEXT], out[MAX_TEXT], *words[MAX_WORDS];
  int n, selected, chosen = -1;
  size_t len = count < MAX_TEXT - 1 ? count : MAX_TEXT - 1, used = 0;

  memcpy (wanted, buf, len);
  while (len > 0 && (wanted[len - 1] == '\n' || wanted[len - 1] == ' '))
    len--;
  wanted[len] = '\0';
  n = choice_words (file->text, copy, words, &selected);
  for (int i = 0; i < n; i++)
    if (strcmp (words[i], wanted) == 0)
      chosen = i;
  if (chosen < 0)
    {
      errno = EINVAL;
      return -1;
    }
  /* The words of @text, one space apart and one more bracket pair: it fits in @out. */
  for (int i = 0; i < n; i++)
    used += (size_t) snprintf (out + used, sizeof out - used, i == chosen ? "%s[%s]" : "%s%s",
                               i ? " " : "", words[i]);
  used += (size_t) snprintf (out + used, sizeof out - used, "\n");
  if (used >= sizeof out)
    abort ();
  if (pwrite (file->fd, out, used, 0) != (ssize_t) used || ftruncate (file->fd, (off_t) used) < 0)
    return -1;
  strcpy (file->text, out);
  return (ssize_t) count;
}

ssize_t
write (int fd, const void *buf, size_t count)
{
  ChoiceFile *file;
  ssize_t result = 0;

  if (fd <= 0 || __atomic_load_n (&n_open, __ATOMIC_SEQ_CST) == 0)
    return real_write (fd, buf, count);
  pthread_mutex_lock (&open_lock);
  file = find_open (fd);
  if (file)
    result = select_word (file, buf, count);
  pthread_mutex_unlock (&open_lock);
  return file ? result : real_write (fd, buf, count);
}

int
close (int fd)
{
  ChoiceFile *file;

  if (fd > 0 && __atomic_load_n (&n_open, __ATOMIC_SEQ_CST) != 0)
    {
      pthread_mutex_lock (&open_lock);
      file = find_open (fd);
      if (file)
        {
          file->fd = 0;
          __atomic_sub_fetch (&n_open, 1, __ATOMIC_SEQ_CST);
        }
      pthread_mutex_unlock (&open_lock);
    }
  return real_close (fd);
}
