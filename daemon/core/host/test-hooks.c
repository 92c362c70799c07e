/* Compiled only with -Dtest_hooks=true (host/meson.build). */
#include "host/test-hooks.h"

#include <signal.h>
#include <stdio.h>

#define CRASH_HOOK_ENV "VIRTUNED_TEST_CRASH_AFTER_WRITES"
#define LOCK_HOOK_ENV "VIRTUNED_TEST_LOCK_FIFOS"

typedef struct {
  guint crash_after_writes;   /* 0: never */
  char *lock_fifos;           /* the FIFOs' directory, or NULL */
} Hooks;

/* Read once, on first use: the environment does not change while the daemon runs. */
static const Hooks *
hooks (void)
{
  static Hooks values;
  static gsize ready;

  if (g_once_init_enter (&ready))
    {
      const char *crash = g_getenv (CRASH_HOOK_ENV);

      values.crash_after_writes = crash ? (guint) g_ascii_strtoull (crash, NULL, 10) : 0;
      values.lock_fifos = g_strdup (g_getenv (LOCK_HOOK_ENV));
      g_once_init_leave (&ready, 1);
    }
  return &values;
}

void
vt_host_test_hook_lock (const char *call, const char *event)
{
  const char *dir = hooks ()->lock_fifos;
  g_autofree char *events = NULL;
  g_autofree char *go = NULL;
  g_autofree char *ignored = NULL;
  FILE *fifo;

  if (dir == NULL)
    return;
  events = g_build_filename (dir, "events", NULL);
  fifo = fopen (events, "we");
  if (fifo != NULL)
    {
      fprintf (fifo, "%s %s\n", call, event);
      fclose (fifo);
    }
  if (!g_str_equal (event, "locked"))
    return;
  go = g_build_filename (dir, "continue", NULL);
  g_file_get_contents (go, &ignored, NULL, NULL);
}

void
vt_host_test_hook_wrote (const char *call, guint writes)
{
  guint crash_after = hooks ()->crash_after_writes;

  if (g_str_equal (call, "tune") && crash_after != 0 && writes == crash_after)
    raise (SIGKILL);
}
