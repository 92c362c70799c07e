/* vscenctl — calls that may need polkit authentication (define, host tune/revert, sev
 * attest). From a terminal they carry D-Bus's allow-interactive-authorization flag, and
 * on the system bus a text agent (pkttyagent, for this process only) asks for the
 * password on the terminal when no desktop agent does. */
#include "vscenctl.h"

#include <errno.h>
#include <signal.h>
#include <unistd.h>

#include <glib-unix.h>

/* The fd number pkttyagent gets for --notify-fd; 0-2 are its terminal. */
#define AGENT_NOTIFY_FD 3

/* pkttyagent closes the notify fd once it is registered with polkitd (or dies, which
 * closes it too): either way the call may go ahead. */
static void
wait_for_close (int fd)
{
  char byte;
  ssize_t n;

  do
    n = read (fd, &byte, 1);
  while (n > 0 || (n < 0 && errno == EINTR));
}

static GSubprocess *
start_tty_agent (void)
{
  g_autofree char *program = g_find_program_in_path ("pkttyagent");
  g_autofree char *pid = g_strdup_printf ("%d", (int) getpid ());
  g_autoptr (GSubprocessLauncher) launcher = NULL;
  g_autoptr (GError) error = NULL;
  GSubprocess *agent;
  int notify[2];

  /* Without polkit's agent (package polkitd) a desktop agent may still answer. */
  if (program == NULL || !g_unix_open_pipe (notify, FD_CLOEXEC, NULL))
    return NULL;
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_subprocess_launcher_take_fd (launcher, notify[1], AGENT_NOTIFY_FD);
  agent = g_subprocess_launcher_spawn (launcher, &error, program, "--process", pid,
                                       "--notify-fd", G_STRINGIFY (AGENT_NOTIFY_FD),
                                       "--fallback", NULL);
  /* Our copy of the write end must go, or the close we wait for never comes. */
  g_clear_object (&launcher);
  if (agent != NULL)
    wait_for_close (notify[0]);
  close (notify[0]);
  return agent;
}

void
vt_ctl_stop_agent (VtCtl *ctl)
{
  if (ctl->agent == NULL)
    return;
  g_subprocess_send_signal (ctl->agent, SIGTERM);
  g_subprocess_wait (ctl->agent, NULL, NULL);
  g_clear_object (&ctl->agent);
}

GVariant *
vt_ctl_call_mutating (VtCtl *ctl, const char *method, GVariant *parameters, GError **error)
{
  GDBusCallFlags flags = G_DBUS_CALL_FLAGS_NONE;

  if (ctl->interactive)
    {
      flags |= G_DBUS_CALL_FLAGS_ALLOW_INTERACTIVE_AUTHORIZATION;
      /* polkit judges only system-bus callers; the session bus checks the uid. */
      if (ctl->bus_type == G_BUS_TYPE_SYSTEM && ctl->agent == NULL)
        ctl->agent = start_tty_agent ();
    }
  return vt_ctl_call (ctl, method, parameters, flags, error);
}
