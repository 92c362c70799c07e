/* virtuned — GUIDs as SEV firmware tables store them (EFI byte order). */
#include "sev/guid.h"

#include <string.h>

#include "util/echo.h"
#include "util/error.h"

#define GUID_TEXT_LEN 36

/* Position in the text form of each byte of the canonical (big-endian) order. */
static const guint8 text_offsets[VT_SEV_GUID_SIZE] = {
  0, 2, 4, 6, 9, 11, 14, 16, 19, 21, 24, 26, 28, 30, 32, 34,
};

/* Where canonical byte i goes in EFI order: the first three fields are byte-swapped. */
static const guint8 efi_order[VT_SEV_GUID_SIZE] = {
  3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15,
};

static gboolean
is_guid_text (const char *text)
{
  if (strlen (text) != GUID_TEXT_LEN)
    return FALSE;
  for (guint i = 0; i < GUID_TEXT_LEN; i++)
    {
      gboolean dash = i == 8 || i == 13 || i == 18 || i == 23;

      if (dash ? text[i] != '-' : !g_ascii_isxdigit (text[i]))
        return FALSE;
    }
  return TRUE;
}

gboolean
vt_sev_guid_parse (const char *text, VtSevGuid *guid, GError **error)
{
  if (!is_guid_text (text))
    {
      g_autofree char *shown = vt_echo (text);

      g_set_error (error, VT_ERROR, VT_ERROR_FAILED,
                   "'%s' is not a GUID (expected the form "
                   "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)", shown);
      return FALSE;
    }
  for (guint i = 0; i < VT_SEV_GUID_SIZE; i++)
    {
      const char *pair = text + text_offsets[i];

      guid->bytes[efi_order[i]] = (guint8) (g_ascii_xdigit_value (pair[0]) << 4
                                            | g_ascii_xdigit_value (pair[1]));
    }
  return TRUE;
}

char *
vt_sev_guid_to_string (const VtSevGuid *guid)
{
  GString *text = g_string_sized_new (GUID_TEXT_LEN);

  for (guint i = 0; i < VT_SEV_GUID_SIZE; i++)
    {
      if (i == 4 || i == 6 || i == 8 || i == 10)
        g_string_append_c (text, '-');
      g_string_append_printf (text, "%02x", guid->bytes[efi_order[i]]);
    }
  return g_string_free (text, FALSE);
}

gboolean
vt_sev_guid_is (const VtSevGuid *guid, const guint8 *bytes)
{
  return memcmp (guid->bytes, bytes, VT_SEV_GUID_SIZE) == 0;
}
