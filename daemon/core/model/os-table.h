/* virtuned — what virtuned knows of guest operating systems (SPEC §4.1 layer 2), as plain
 * data: one entry per OS, found by any of its libosinfo short-ids.
 *
 * The os part (core/os) fills a table from the osinfo database once at start; the merge
 * engine reads it per call. Keeping the table here, free of libosinfo, lets the merge and
 * its tests work from a table built by hand, and makes a lookup one hash probe. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* What the OS has drivers for or needs. */
typedef enum {
  VT_OS_VIRTIO_DISK = 1 << 0,     /* virtio-blk (legacy or 1.0) */
  VT_OS_VIRTIO_NET = 1 << 1,
  VT_OS_VIRTIO_GPU = 1 << 2,
  VT_OS_VIRTIO_RNG = 1 << 3,
  VT_OS_VIRTIO_BALLOON = 1 << 4,
  VT_OS_VIRTIO_INPUT = 1 << 5,
  VT_OS_EFI_REQUIRED = 1 << 6,    /* UEFI supported and BIOS not */
  VT_OS_SECURE_BOOT = 1 << 7,     /* requires UEFI secure boot */
  VT_OS_TPM2 = 1 << 8,            /* requires a TPM 2.0 */
  VT_OS_LOCALTIME = 1 << 9,       /* keeps the RTC in local time (Windows) */
  VT_OS_EFI_SUPPORTED = 1 << 10,  /* boots from x86_64 UEFI (required or not) */
} VtOsFlags;

typedef struct {
  char *id;              /* libosinfo's URI, e.g. http://microsoft.com/win/11 */
  char *short_id;        /* the first short-id */
  char *name;
  char *vendor;          /* "" when the database has none */
  char *release_date;    /* YYYY-MM-DD, or "" */
  char *eol_date;        /* YYYY-MM-DD, or "" */
  guint flags;           /* VtOsFlags */
  /* Devices for an OS without the virtio driver, as catalog values; NULL: no preference
   * (the layer's own fallback applies). */
  const char *video;     /* guest.video: qxl|vga */
  const char *nic;       /* guest.nic: e1000e|e1000|rtl8139 */
  /* Resources for x86_64 (else "all" architectures); 0 = the database has none. */
  guint min_vcpus, rec_vcpus;
  guint64 min_memory, rec_memory;      /* bytes */
  guint64 min_storage, rec_storage;    /* bytes */
} VtOsInfo;

typedef struct _VtOsTable VtOsTable;

/* @source names the database in messages ("osinfo-db 20221203"); nullable. */
VtOsTable *vt_os_table_new (const char *source);

/* A table filled on first use (any lookup, list, size or explanation, from any thread,
 * once) with what @load returns: reading the osinfo database costs about a second of
 * CPU and 10 MB, which a daemon that is started on demand and never sees os: should not
 * pay at every start. @load never fails (it returns an empty table instead). */
typedef VtOsTable *(*VtOsTableLoad) (gpointer data);
VtOsTable *vt_os_table_new_lazy (VtOsTableLoad load, gpointer data);
void vt_os_table_free (VtOsTable *table);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VtOsTable, vt_os_table_free)

/* Takes @os (allocated with g_new0, strings with g_strdup); @short_ids (at least its
 * short_id) all find it. A short-id already taken keeps its first OS. */
void vt_os_table_add (VtOsTable *table, VtOsInfo *os, const char *const *short_ids);

guint vt_os_table_size (const VtOsTable *table);

/* The table as one GVariant of VT_OS_TABLE_TYPE (the source, then per OS its strings,
 * flags, devices, resources and other short-ids), and back: how the daemon's reader
 * process hands the table over. vt_os_table_new_from_variant takes any value of the type
 * (missing or odd fields read as empty) and checks nothing else: the reader is virtuned. */
#define VT_OS_TABLE_TYPE "(sa(ssssssussuuttttas))"
GVariant *vt_os_table_to_variant (const VtOsTable *table);
VtOsTable *vt_os_table_new_from_variant (GVariant *variant);

/* The OS with short-id @short_id, or NULL. */
const VtOsInfo *vt_os_table_lookup (const VtOsTable *table, const char *short_id);

/* The OSes whose short-id or name contains @filter (ASCII case-insensitive; "" = all),
 * newest release first, then by short-id (borrowed VtOsInfo*). */
GPtrArray *vt_os_table_list (const VtOsTable *table, const char *filter);

/* TRUE when @os's end-of-life date is before @today (YYYY-MM-DD). */
gboolean vt_os_info_is_eol (const VtOsInfo *os, const char *today);

/* Why @short_id is not in the table, as a sentence: the database it was looked up in,
 * close matches (edit distance, same name stem), and the newest OS of the same stem the
 * database knows, so a user of an older database sees where it ends. */
char *vt_os_table_explain_unknown (const VtOsTable *table, const char *short_id);

G_END_DECLS
