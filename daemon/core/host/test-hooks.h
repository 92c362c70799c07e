/* virtuned — the host tuner's test hooks (README "Host tuning"). They exist only in a
 * -Dtest_hooks=true build, where test-hooks.c reads them from the environment; in any
 * other build these are empty inline functions and the daemon carries no trace of them. */
#pragma once

#include <glib.h>

#include "vt-config.h"

G_BEGIN_DECLS

#if VT_TEST_HOOKS

/* VIRTUNED_TEST_LOCK_FIFOS=DIR: each tune (a dry run too) or revert writes "@call
 * waiting" to the FIFO DIR/events right before it waits for the host lock, "@call
 * locked" once it holds it, and then reads the FIFO DIR/continue to its end before
 * going on. A test can so keep one call inside the lock while another queues, without
 * sleeping. @event is "waiting" or "locked". */
void vt_host_test_hook_lock (const char *call, const char *event);

/* VIRTUNED_TEST_CRASH_AFTER_WRITES=N: the process SIGKILLs itself right after the Nth
 * host file write of one tune (@writes counts them), the moment a crash leaves the
 * state file written and the host half tuned. */
void vt_host_test_hook_wrote (const char *call, guint writes);

#else

static inline void
vt_host_test_hook_lock (const char *call, const char *event)
{
}

static inline void
vt_host_test_hook_wrote (const char *call, guint writes)
{
}

#endif

G_END_DECLS
