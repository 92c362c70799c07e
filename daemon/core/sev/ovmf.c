/* virtuned — the GUIDed table at the end of an OVMF image.
 *
 * The image ends with 32 bytes of reset vector; just before them stands the table's
 * footer (its GUID, and before that the u16 length of the whole table, footer
 * included). The entries lie before the footer and are walked backwards: each is its
 * data, a u16 length (data + 18) and its GUID. */
#include "sev/ovmf.h"

#include "util/error.h"

#define TRAILER_BYTES 32                    /* the reset vector after the table */
#define ENTRY_HEADER_BYTES (2 + VT_SEV_GUID_SIZE)
#define FOOTER_END (TRAILER_BYTES + ENTRY_HEADER_BYTES)

static const VtSevGuid footer_guid =
  VT_SEV_GUID_INIT (0x96b582de, 0x1fb2, 0x45f7, 0xba, 0xea, 0xa3, 0x66, 0xc5, 0x5a, 0x08, 0x2d);

static gsize
read_u16 (const guint8 *p)
{
  return (gsize) p[0] | (gsize) p[1] << 8;
}

static gboolean
malformed (GError **error, const char *why)
{
  g_set_error (error, VT_ERROR, VT_ERROR_FAILED,
               "the firmware is not an OVMF image with SEV support: %s", why);
  return FALSE;
}

/* The entries of the table: [*start, *end) of @image. */
static gboolean
table_bounds (const guint8 *image, gsize len, gsize *start, gsize *end, GError **error)
{
  gsize table_len;

  if (len < FOOTER_END)
    return malformed (error, "it is too short to hold the GUIDed table");
  if (!vt_sev_guid_is (&footer_guid, image + len - FOOTER_END + 2))
    return malformed (error, "it has no GUIDed table footer at its end");
  table_len = read_u16 (image + len - FOOTER_END);
  if (table_len < ENTRY_HEADER_BYTES || table_len > len - TRAILER_BYTES)
    return malformed (error, "its GUIDed table length is out of bounds");
  *start = len - TRAILER_BYTES - table_len;
  *end = len - FOOTER_END;
  return TRUE;
}

gboolean
vt_sev_ovmf_find (const guint8 *image, gsize len, const VtSevGuid *guid, const char *what,
                  const guint8 **data, gsize *data_len, GError **error)
{
  gsize start, end;

  if (!table_bounds (image, len, &start, &end, error))
    return FALSE;
  while (end > start)
    {
      gsize entry_len;

      if (end - start < ENTRY_HEADER_BYTES)
        return malformed (error, "an entry of its GUIDed table is truncated");
      entry_len = read_u16 (image + end - ENTRY_HEADER_BYTES);
      if (entry_len < ENTRY_HEADER_BYTES || entry_len > end - start)
        return malformed (error, "an entry of its GUIDed table has a bad length");
      if (vt_sev_guid_is (guid, image + end - VT_SEV_GUID_SIZE))
        {
          *data = image + end - entry_len;
          *data_len = entry_len - ENTRY_HEADER_BYTES;
          return TRUE;
        }
      end -= entry_len;
    }
  g_autofree char *name = vt_sev_guid_to_string (guid);

  g_set_error (error, VT_ERROR, VT_ERROR_FAILED,
               "the firmware's GUIDed table has no %s (GUID %s)", what, name);
  return FALSE;
}

gboolean
vt_sev_ovmf_reset_address (const guint8 *image, gsize len, guint32 *address,
                           GError **error)
{
  static const VtSevGuid reset_block = VT_SEV_OVMF_RESET_BLOCK_GUID;
  const guint8 *data;
  gsize data_len;

  if (!vt_sev_ovmf_find (image, len, &reset_block, "SEV-ES reset block", &data, &data_len,
                         error))
    return FALSE;
  if (data_len != 4)
    return malformed (error, "its SEV-ES reset block is not 4 bytes long");
  *address = (guint32) data[0] | (guint32) data[1] << 8 | (guint32) data[2] << 16
             | (guint32) data[3] << 24;
  return TRUE;
}
