/* virtuned — durable file replacement. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Replaces @path atomically and durably: a temporary file in the same directory,
 * fsync, rename over @path, fsync of the directory. No temporary file survives a
 * failure. Errors are G_FILE_ERROR naming the path. */
gboolean vt_write_file_atomic (const char *path, const char *contents, gsize len, guint mode,
                               GError **error);

/* fsync of a directory, so a rename or unlink in it survives a crash. EINVAL (a file
 * system that cannot sync directories) counts as success. */
gboolean vt_fsync_directory (const char *dir, GError **error);

G_END_DECLS
