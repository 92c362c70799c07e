/* virtuned — bytes from the kernel's random source. */
#include "util/random.h"

#include <errno.h>
#include <sys/random.h>

#include "util/error.h"

gboolean
vt_random_fill (guint8 *buf, gsize len, GError **error)
{
  gsize done = 0;

  while (done < len)
    {
      ssize_t got = getrandom (buf + done, len - done, 0);

      if (got < 0 && errno == EINTR)
        continue;
      if (got < 0)
        {
          int saved = errno;

          g_set_error (error, VT_ERROR, VT_ERROR_FAILED,
                       "cannot read random bytes: %s",
                       g_strerror (saved));
          return FALSE;
        }
      done += (gsize) got;
    }
  return TRUE;
}
