/* virtuned — x86 machine type names (q35, pc, pc-q35-X.Y, pc-i440fx-X.Y): the one grammar
 * the catalog checks a guest.machine value against, the domain capabilities derive a
 * machine's alias with, and the host layer compares versions with. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  VT_MACHINE_Q35,       /* q35, pc-q35-X.Y */
  VT_MACHINE_I440FX,    /* pc, pc-i440fx-X.Y */
} VtMachineFamily;

typedef struct {
  VtMachineFamily family;
  gboolean versioned;   /* pc-q35-X.Y rather than the alias q35 */
  guint64 major, minor; /* versioned only */
} VtMachine;

/* Parses @name: exactly an alias (q35, pc) or PREFIX-X.Y with X and Y decimal numbers
 * of at most 4 digits without leading zeros (vt_parse_decimal). Anything else —
 * "pc-q35-", "pc-q35-8.0.1", "pc-q35-7.2_x", a 20-digit version — is FALSE: such a name
 * is no machine QEMU has, and it would otherwise reach <type machine=…> verbatim. */
gboolean vt_machine_parse (const char *name, VtMachine *machine);

/* The alias of @family: "q35" or "pc". */
const char *vt_machine_alias (VtMachineFamily family);

/* The alias a machine name of a known family goes by (q35 for any pc-q35-*, pc for any
 * pc-i440fx-*, including downstream spellings the grammar refuses), or NULL. */
const char *vt_machine_alias_of (const char *name);

/* <0, 0, >0 as @a's version is older than, the same as, newer than @b's (both versioned). */
int vt_machine_compare_versions (const VtMachine *a, const VtMachine *b);

G_END_DECLS
