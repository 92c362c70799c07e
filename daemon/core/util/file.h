/* virtuned — durable file replacement. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The temporary file vt_write_file_atomic writes before renaming it over PATH is
 * PATH VT_ATOMIC_TEMP_SUFFIX, each X replaced by one of mkstemp's [A-Za-z0-9]. The
 * writer builds its template from it and vt_remove_atomic_leftovers matches it, so the
 * two cannot drift apart. */
#define VT_ATOMIC_TEMP_SUFFIX ".XXXXXX"

/* Replaces @path atomically and durably: a temporary file in the same directory
 * (VT_ATOMIC_TEMP_SUFFIX), fsync, rename over @path, fsync of the directory. No
 * temporary file survives a failure, but one survives a kill of the process before the
 * rename: vt_remove_atomic_leftovers removes those. Errors are G_FILE_ERROR naming the
 * path. */
gboolean vt_write_file_atomic (const char *path, const char *contents, gsize len, guint mode,
                               GError **error);

/* fsync of a directory, so a rename or unlink in it survives a crash. EINVAL (a file
 * system that cannot sync directories) counts as success. */
/* Removes the temporary files an interrupted vt_write_file_atomic (@path) left behind:
 * the regular files next to @path whose name is @path's own followed by exactly
 * VT_ATOMIC_TEMP_SUFFIX's shape. Nothing else is touched, not a symlink, a directory
 * or another name that merely looks alike. Only call it where no atomic write of @path
 * can be in flight (it would take that write's temporary file away). The full paths
 * removed are appended to @removed (nullable). A missing directory has no leftovers.
 * On the first failure it still tries the others and reports that one. */
gboolean vt_remove_atomic_leftovers (const char *path, GPtrArray *removed, GError **error);

gboolean vt_fsync_directory (const char *dir, GError **error);

G_END_DECLS
