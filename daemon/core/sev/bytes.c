/* virtuned — the guest owner's inputs in memory: bounded reads, wiped buffers. */
#include "sev/bytes.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <nettle/sha2.h>

#include "util/base64.h"
#include "util/error.h"

/* Read size of vt_sev_hash_file, and the first allocation when a file's size is not
 * known in advance (a pipe). */
#define CHUNK_BYTES (64 * 1024)

void
vt_sev_wipe (void *data, gsize len)
{
  if (data != NULL)
    explicit_bzero (data, len);
}

VtSevBytes *
vt_sev_bytes_new (gsize len)
{
  VtSevBytes *bytes = g_malloc0 (sizeof (VtSevBytes) + len);

  bytes->len = len;
  return bytes;
}

VtSevBytes *
vt_sev_bytes_new_from (const guint8 *data, gsize len)
{
  VtSevBytes *bytes = vt_sev_bytes_new (len);

  if (len > 0)
    memcpy (bytes->data, data, len);
  return bytes;
}

void
vt_sev_bytes_free (VtSevBytes *bytes)
{
  if (bytes == NULL)
    return;
  vt_sev_wipe (bytes->data, bytes->len);
  g_free (bytes);
}

static int
open_input (const char *path, const char *what, GError **error)
{
  int fd = open (path, O_RDONLY | O_CLOEXEC);

  if (fd < 0)
    {
      int saved = errno;
      g_autofree char *doing = g_strdup_printf ("cannot open the %s", what);

      vt_set_errno_error (error, saved, doing, path);
    }
  return fd;
}

static gboolean
too_large (const char *path, const char *what, guint64 max, GError **error)
{
  g_set_error (error, VT_ERROR, VT_ERROR_FAILED,
               "the %s %s is larger than %" G_GUINT64_FORMAT " bytes", what, path, max);
  return FALSE;
}

/* One read(2), retried on EINTR; -1 with @error set on failure. */
static gssize
read_some (int fd, guint8 *buf, gsize len, const char *path, const char *what,
           GError **error)
{
  gssize got;

  do
    got = read (fd, buf, len);
  while (got < 0 && errno == EINTR);
  if (got < 0)
    {
      int saved = errno;
      g_autofree char *doing = g_strdup_printf ("cannot read the %s", what);

      vt_set_errno_error (error, saved, doing, path);
    }
  return got;
}

/* Grows @buf to at least @need bytes (never beyond @limit) without realloc, so the old
 * block is wiped instead of left in the heap with its content. */
static VtSevBytes *
grow (VtSevBytes *buf, gsize need, gsize limit)
{
  gsize size = MAX (need, MIN (buf->len * 2, limit));
  VtSevBytes *bigger = vt_sev_bytes_new (size);

  memcpy (bigger->data, buf->data, buf->len);
  vt_sev_bytes_free (buf);
  return bigger;
}

/* The first buffer: a regular file's size plus one byte (to see it grew), else a chunk;
 * NULL when a regular file is already too large. */
static VtSevBytes *
first_buffer (int fd, gsize max)
{
  struct stat st;
  gboolean regular = fstat (fd, &st) == 0 && S_ISREG (st.st_mode);

  if (regular && (guint64) st.st_size > max)
    return NULL;
  if (regular)
    return vt_sev_bytes_new ((gsize) st.st_size + 1);
  return vt_sev_bytes_new (MIN ((gsize) CHUNK_BYTES, max + 1));
}

/* Reads @fd to its end into a buffer of at most @max + 1 bytes; the length read. */
static VtSevBytes *
read_all (int fd, gsize max, const char *path, const char *what, gsize *len,
          GError **error)
{
  g_autoptr (VtSevBytes) buf = first_buffer (fd, max);
  gssize got;

  *len = 0;
  if (buf == NULL)
    {
      too_large (path, what, max, error);
      return NULL;
    }
  while ((got = read_some (fd, buf->data + *len, buf->len - *len, path, what, error)) > 0)
    {
      *len += (gsize) got;
      if (*len > max)
        {
          too_large (path, what, max, error);
          return NULL;
        }
      if (*len == buf->len)
        buf = grow (buf, *len + 1, max + 1);
    }
  return got < 0 ? NULL : g_steal_pointer (&buf);
}

VtSevBytes *
vt_sev_bytes_read_file (const char *path, gsize max, const char *what, GError **error)
{
  g_autoptr (VtSevBytes) buf = NULL;
  gsize len = 0;
  int fd = open_input (path, what, error);

  if (fd < 0)
    return NULL;
  buf = read_all (fd, max, path, what, &len, error);
  close (fd);
  if (buf == NULL)
    return NULL;
  /* The exact length; @buf (with its spare byte) is wiped as it goes. */
  return vt_sev_bytes_new_from (buf->data, len);
}

gboolean
vt_sev_hash_file (const char *path, guint64 max, const char *what,
                  guint8 digest[VT_SEV_SHA256_SIZE], GError **error)
{
  g_autofree guint8 *chunk = g_malloc (CHUNK_BYTES);
  struct sha256_ctx sha;
  guint64 total = 0;
  gssize got;
  int fd = open_input (path, what, error);

  if (fd < 0)
    return FALSE;
  sha256_init (&sha);
  while ((got = read_some (fd, chunk, CHUNK_BYTES, path, what, error)) > 0)
    {
      total += (guint64) got;
      if (total > max)
        break;
      sha256_update (&sha, (size_t) got, chunk);
    }
  close (fd);
  if (got < 0)
    return FALSE;
  if (total > max)
    return too_large (path, what, max, error);
  sha256_digest (&sha, VT_SEV_SHA256_SIZE, digest);
  return TRUE;
}

VtSevBytes *
vt_sev_base64_decode (const char *text, gsize expected, const char *what, GError **error)
{
  gsize len = strlen (text);
  g_autofree guint8 *raw = NULL;
  gsize raw_len = 0;
  VtSevBytes *bytes;

  /* A bound before decoding, so a huge argument costs nothing. */
  if (len > (expected + 2) / 3 * 4 || !vt_base64_check (text, len, NULL))
    {
      g_set_error (error, VT_ERROR, VT_ERROR_FAILED,
                   "the %s is not base64 of %" G_GSIZE_FORMAT " bytes", what, expected);
      return NULL;
    }
  raw = g_base64_decode (text, &raw_len);
  if (raw_len != expected)
    {
      vt_sev_wipe (raw, raw_len);
      g_set_error (error, VT_ERROR, VT_ERROR_FAILED,
                   "the %s is %" G_GSIZE_FORMAT " bytes of base64, not %" G_GSIZE_FORMAT,
                   what, raw_len, expected);
      return NULL;
    }
  bytes = vt_sev_bytes_new_from (raw, raw_len);
  vt_sev_wipe (raw, raw_len);
  return bytes;
}
