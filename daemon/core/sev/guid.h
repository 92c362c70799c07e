/* virtuned — GUIDs as SEV firmware tables store them (EFI byte order). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define VT_SEV_GUID_SIZE 16

/* A GUID in EFI byte order: the first three fields little-endian, the last eight bytes
 * as written (Python's uuid.UUID(...).bytes_le). */
typedef struct {
  guint8 bytes[VT_SEV_GUID_SIZE];
} VtSevGuid;

/* A VtSevGuid initializer from the fields of the text form aaaaaaaa-bbbb-cccc-dddd-…,
 * so the well-known GUIDs are written in the form their specifications use. */
#define VT_SEV_GUID_INIT(a, b, c, d0, d1, d2, d3, d4, d5, d6, d7)                     \
  { { (a) & 0xff, ((a) >> 8) & 0xff, ((a) >> 16) & 0xff, ((a) >> 24) & 0xff,          \
      (b) & 0xff, ((b) >> 8) & 0xff, (c) & 0xff, ((c) >> 8) & 0xff,                   \
      d0, d1, d2, d3, d4, d5, d6, d7 } }

/* Parses the 36-character text form (hex digits in either case). Errors:
 * VT_ERROR_FAILED quoting the text (escaped, bounded). */
gboolean vt_sev_guid_parse (const char *text, VtSevGuid *guid, GError **error);

/* The lower-case text form. */
char *vt_sev_guid_to_string (const VtSevGuid *guid);

/* Whether the 16 bytes at @bytes are @guid. */
gboolean vt_sev_guid_is (const VtSevGuid *guid, const guint8 *bytes);

G_END_DECLS
