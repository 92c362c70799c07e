/* vscenctl — shared client state and the per-area command entry points. */
#pragma once

#include <gio/gio.h>
#include <stdio.h>

#include "vt-manager-generated.h"

G_BEGIN_DECLS

/* Exit codes (SPEC §6). */
enum {
  VT_EXIT_OK = 0,
  VT_EXIT_FAILED = 1,
  VT_EXIT_USAGE = 2,
  VT_EXIT_DENIED = 4,
};

typedef struct {
  VtDbusManager *proxy;
  gboolean json;           /* --json: machine-readable output */
  gboolean interactive;    /* stdin is a terminal: allow polkit interaction */
} VtCtl;

/* Prints @error as one sentence on stderr (D-Bus error names stripped) and returns the
 * exit code it maps to (AccessDenied -> 4, else 1). Implemented in vscenctl.c. */
int vt_ctl_fail (const GError *error);
/* Prints a usage sentence on stderr and returns VT_EXIT_USAGE. */
int vt_ctl_usage (const char *message);

/* Reads a description from @path ("-" = stdin): at most 64 KiB of UTF-8 text without NUL
 * bytes; anything else is an error naming the file. */
char *vt_ctl_read_description (const char *path, GError **error);

/* Appends @text to @out as a JSON string literal (quotes included; control characters
 * as \u00XX). --json output is built with it. */
void vt_ctl_json_string (GString *out, const char *text);

/* Prints @rows (GStrv each, as many cells as @header) as left-aligned columns
 * separated by two spaces, header first. */
void vt_ctl_print_table (FILE *out, const char *const *header, GPtrArray *rows);

/* Command groups living in their own files; argv[0] is the group word ("host", "define"). */
int vt_cmd_host (VtCtl *ctl, int argc, char **argv);     /* cmd-host.c */
int vt_cmd_define (VtCtl *ctl, int argc, char **argv);   /* cmd-define.c */

G_END_DECLS
