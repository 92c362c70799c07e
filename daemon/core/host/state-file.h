/* virtuned — the host tuning state file: the originals TuneHost replaced, so that
 * RevertHost can restore them, even from a fresh daemon after a crash. */
#pragma once

#include <glib.h>

#include "host/tunables.h"

G_BEGIN_DECLS

#define VT_HOST_STATE_FILE "host-state"

typedef struct {
  char *setting;      /* row name that first changed the file (host.thp, file:/etc/...) */
  char *file;         /* relative to the sysroot */
  VtHostKind kind;    /* how to write it back */
  char *original;     /* the value to restore; NULL: VT_HOST_FILE that did not exist */
} VtHostOriginal;

typedef struct {
  GPtrArray *originals;   /* VtHostOriginal*, in the order they were first changed */
  GPtrArray *scenarios;   /* char*, tuned scenarios in order, without duplicates */
} VtHostState;

VtHostState *vt_host_state_new (void);
void vt_host_state_free (VtHostState *state);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VtHostState, vt_host_state_free)

/* Loads STATE_DIR/host-state. A missing file is an empty state with *@found FALSE.
 * A damaged file (unknown version or kind, a missing value, a file virtuned never
 * writes or one recorded with another kind than virtuned writes it with) is
 * VT_ERROR_HOST_TUNING naming the [original N] entry: nothing is restored from a file
 * virtuned cannot trust. The files it writes are the tunables' and the drop-ins
 * (vt_host_file_kind). */
VtHostState *vt_host_state_load (const char *state_dir, gboolean *found, GError **error);
/* Writes the state atomically (creating @state_dir if needed). */
gboolean vt_host_state_save (const VtHostState *state, const char *state_dir, GError **error);
/* Removes the state file; a missing one is fine. */
gboolean vt_host_state_delete (const char *state_dir, GError **error);

const VtHostOriginal *vt_host_state_find (const VtHostState *state, const char *file);
/* Records @original for @file unless it has one already: the first-seen original
 * wins. Returns TRUE when it was recorded now (the state needs saving). */
gboolean vt_host_state_record (VtHostState *state, const char *setting, const char *file,
                               VtHostKind kind, const char *original);
/* Returns TRUE when @name was not listed yet. */
gboolean vt_host_state_add_scenario (VtHostState *state, const char *name);
/* The tuned scenario names, NULL-terminated (for the TunedScenarios property). */
GStrv vt_host_state_dup_scenarios (const VtHostState *state);
/* Every scenario tuned once @scenarios are tuned on top of @state, in merge order: the
 * recorded ones not listed again, then @scenarios, so that the latest call wins as it
 * does on the live host. */
GStrv vt_host_state_tuned_with (const VtHostState *state, const char *const *scenarios);

G_END_DECLS
