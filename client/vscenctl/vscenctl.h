/* vscenctl — shared client state and the per-area command entry points. */
#pragma once

#include <gio/gio.h>
#include <stdio.h>

G_BEGIN_DECLS

/* Exit codes (SPEC §6). */
enum {
  VT_EXIT_OK = 0,
  VT_EXIT_FAILED = 1,
  VT_EXIT_USAGE = 2,
  VT_EXIT_DENIED = 4,
};

typedef struct {
  GBusType bus_type;
  GDBusConnection *bus;    /* connected by the first call, or NULL */
  int timeout_ms;          /* of every call; G_MAXINT (none) for mutating commands */
  gboolean json;           /* --json: machine-readable output */
  gboolean interactive;    /* stdin is a terminal: allow polkit interaction */
  GSubprocess *agent;      /* pkttyagent while mutating calls may need it, or NULL */
  const char *connection;  /* --connection NAME: the libvirt host calls are for, or NULL */
} VtCtl;

/* Prints @error as one sentence on stderr (D-Bus error names stripped) and returns the
 * exit code it maps to (AccessDenied -> 4, else 1). Implemented in vscenctl.c. */
int vt_ctl_fail (const GError *error);
/* Prints a usage sentence on stderr and returns VT_EXIT_USAGE. */
int vt_ctl_usage (const char *message);

/* Calls @method of org.virtscenario.Manager (parameters floating or NULL) and returns the
 * reply tuple, checked against the method's out arguments in the introspection XML. One
 * message to the well-known name: no proxy, so no name-owner look-up, property load or
 * signal subscription before it; the bus starts the daemon if it is activatable. The
 * connection is made by the first call, so usage errors never touch the bus. */
GVariant *vt_ctl_call (VtCtl *ctl, const char *method, GVariant *parameters,
                       GDBusCallFlags flags, GError **error);

/* Adds the option "connection" (--connection NAME) to @options when one was given. */
void vt_ctl_add_connection (const VtCtl *ctl, GVariantDict *options);
void vt_ctl_build_connection (const VtCtl *ctl, GVariantBuilder *options);

/* A new floating a{sv} holding only the option "connection", when one was given: the
 * options of calls that take no other. */
GVariant *vt_ctl_connection_options (const VtCtl *ctl);

/* Reads a description from @path ("-" = stdin): at most 64 KiB of UTF-8 text without NUL
 * bytes; anything else is an error naming the file. */
char *vt_ctl_read_description (const char *path, GError **error);

/* --- output.c ----------------------------------------------------------------------- */

/* Appends @text to @out as a JSON string literal (quotes included; control characters,
 * C1 ones too, as \u00XX). --json output is built with it. */
void vt_ctl_json_string (GString *out, const char *text);

/* Appends any reply value as JSON: booleans, numbers, strings; variants unboxed;
 * dictionaries as objects; other arrays and tuples as arrays. */
void vt_ctl_json_append_value (GString *out, GVariant *value);

/* Appends a JSON array with one object per tuple of @array, member i named @fields[i]
 * (NULL-terminated). */
void vt_ctl_json_append_tuples (GString *out, GVariant *array, const char *const *fields);

/* Prints @json and a newline on stdout. */
void vt_ctl_print_json (GString *json);

/* A reply value as table or text output: booleans yes/no, an empty string "-", strings
 * made printable (vt_ctl_printable, keeping nothing), anything else as JSON. */
char *vt_ctl_text (GVariant *value);

/* @text from the bus made safe for a terminal: every control character (C0, DEL, C1) and
 * invalid UTF-8 byte as \xNN, except the ASCII characters in @keep ("\n\t" for
 * multi-line text such as domain XML; NULL for one-line fields and messages). The
 * daemon's own echo of caller text uses the same definition (util/echo.h). Text output
 * always goes through it, to a terminal or not, so what a pipe sees is what a terminal
 * would show; --json escapes in JSON's own way. */
char *vt_ctl_printable (const char *text, const char *keep);

/* Prints @array's tuples as left-aligned columns under @header (one column per header
 * word, NULL-terminated), cells as vt_ctl_text() shows them. */
void vt_ctl_print_tuples (GVariant *array, const char *const *header);

/* An array of tuples as the command's output: with --json the objects of
 * vt_ctl_json_append_tuples (@fields), else the table of vt_ctl_print_tuples (@header). */
void vt_ctl_print_rows (VtCtl *ctl, GVariant *rows, const char *const *fields,
                        const char *const *header);

/* --- agent.c ------------------------------------------------------------------------ */

/* Calls @method (parameters floating or NULL) for a command that may need polkit
 * authorization: from a terminal with the allow-interactive-authorization flag, and on
 * the system bus with a pkttyagent for this process running (when installed) so polkit
 * can ask for a password here. Returns the reply tuple. */
GVariant *vt_ctl_call_mutating (VtCtl *ctl, const char *method, GVariant *parameters,
                                GError **error);

/* Stops the agent vt_ctl_call_mutating() may have started. */
void vt_ctl_stop_agent (VtCtl *ctl);

/* Command groups living in their own files; argv[0] is the group word ("host", "define"). */
int vt_cmd_host (VtCtl *ctl, int argc, char **argv);     /* cmd-host.c */
int vt_cmd_define (VtCtl *ctl, int argc, char **argv);   /* cmd-define.c */
int vt_cmd_sev (VtCtl *ctl, int argc, char **argv);      /* cmd-sev.c */
int vt_cmd_os (VtCtl *ctl, int argc, char **argv);       /* cmd-os.c */
int vt_cmd_connections (VtCtl *ctl, int argc, char **argv);   /* cmd-connections.c */
int vt_cmd_plan (VtCtl *ctl, int argc, char **argv);          /* cmd-connections.c */
int vt_cmd_domain (VtCtl *ctl, int argc, char **argv);   /* cmd-domain.c */
int vt_cmd_device (VtCtl *ctl, int argc, char **argv);   /* cmd-device.c */
int vt_cmd_diff (VtCtl *ctl, int argc, char **argv);     /* cmd-update.c */
int vt_cmd_upgrade (VtCtl *ctl, int argc, char **argv);  /* cmd-update.c */
int vt_cmd_pools (VtCtl *ctl, int argc, char **argv);         /* cmd-inventory.c */
int vt_cmd_networks (VtCtl *ctl, int argc, char **argv);      /* cmd-inventory.c */

/* cmd-sev-offline.c: `sev verify` and `sev build-secret` run on the guest owner's
 * machine and need no bus; argv[0] is "sev". */
gboolean vt_cmd_sev_is_offline (int argc, char **argv);
int vt_cmd_sev_offline (gboolean json, int argc, char **argv);

G_END_DECLS
