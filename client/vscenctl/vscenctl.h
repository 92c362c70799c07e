/* vscenctl — shared client state and the per-area command entry points. */
#pragma once

#include <gio/gio.h>

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

/* Command groups living in their own files; argv[0] is the group word ("host", "define"). */
int vt_cmd_host (VtCtl *ctl, int argc, char **argv);     /* cmd-host.c */
int vt_cmd_define (VtCtl *ctl, int argc, char **argv);   /* cmd-define.c */

G_END_DECLS
