/* virtuned — fuzz target for vt_description_parse (SPEC §3: descriptions are untrusted). */
#include "fuzz-description.h"

#include <glib.h>
#include <string.h>

#include "model/description.h"
#include "util/error.h"

/* A parsed description must hold only what the parser promises to let through. */
static void
check_result (const VtDescription *desc)
{
  g_assert_true (vt_name_is_valid (desc->name));
  g_assert_cmpuint (desc->disks->len, <=, VT_DESCRIPTION_MAX_DISKS);
  g_assert_cmpuint (desc->networks->len, <=, VT_DESCRIPTION_MAX_NETWORKS);
  if (desc->sockets)
    g_assert_cmpuint ((guint64) desc->sockets * desc->cores * desc->threads, ==, desc->vcpus);
  for (guint i = 0; i < desc->disks->len; i++)
    {
      const VtDiskDesc *disk = g_ptr_array_index (desc->disks, i);

      if (disk->kind == VT_DISK_PATH)
        g_assert_true (disk->path[0] == '/' && !strstr (disk->path, "/../") &&
                       !g_str_has_suffix (disk->path, "/.."));
      else
        g_assert_true (vt_name_is_valid (disk->pool));
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (VtDescription) desc = vt_description_parse ((const char *) data, size, &error);

  g_assert_true ((desc == NULL) != (error == NULL));
  if (error)
    {
      g_assert_error (error, VT_ERROR, VT_ERROR_INVALID_DESCRIPTION);
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
    }
  else
    check_result (desc);
  return 0;
}
