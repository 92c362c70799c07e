/* virtuned — the daemon's state and lifecycle: configuration, policies, the libvirt
 * connection and host capabilities loaded at start; the bus name; calls in flight,
 * idle exit, the watchdog and an orderly stop. Knows nothing of the methods: main.c
 * hands it the exported object the bus layer built. */
#pragma once

#include <gio/gio.h>

#include "host/tuner.h"
#include "libvirt/hypervisors.h"
#include "model/config.h"
#include "model/domcaps.h"
#include "model/os-table.h"
#include "model/policy.h"
#include "vt-config.h"

G_BEGIN_DECLS

/* What the command line may override in the configuration; NULL/-1: keep it. */
typedef struct {
  gboolean session;           /* own the name on the session bus */
  const char *config_path;    /* NULL: the default path, which may be missing */
  const char *uri;
  const char *domcaps_path;
  const char *sysroot;
  const char *state_dir;
  const char *const *policy_dirs;
  gint idle_exit;
} VtDaemonOptions;

/* Screens an incoming method call in GDBus's worker thread, before it is queued for
 * dispatch: NULL lets it through, else the reply to send instead, an error (a call
 * refused there) or the answer to a call served there. Never blocks; the daemon's
 * state it reads stays valid while it runs (daemon.c's stop gate). */
typedef GDBusMessage *(*VtScreenFunc) (GDBusMessage *call, gpointer user_data);

/* Read by the bus layer; set at start, immutable while calls run. */
typedef struct {
  VtConfig *config;
  gboolean session_bus;       /* --session: mutating calls only from our own uid */
  VtPolicySet *policies;
  VtOsTable *oses;            /* the osinfo database, read once at start (may be empty) */
  /* The libvirt hosts ([connection NAME] groups, or [libvirt]), the default first; its
   * capabilities are read at start, the others' on first use. */
  VtHypervisors *hypervisors;
  VtHostTuner *tuner;         /* host tuning under --sysroot, with its own lock */
  VtScreenFunc screen;        /* set by the bus layer before vt_daemon_run; nullable */
  gpointer screen_data;
} VtDaemon;

/* Loads configuration, policies, the default host's capabilities; opens
 * nothing on the bus. */
VtDaemon *vt_daemon_new (const VtDaemonOptions *options, GError **error);
void vt_daemon_free (VtDaemon *daemon);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VtDaemon, vt_daemon_free)

/* Owns the bus name, exports @object at VT_OBJECT_PATH, tells systemd it is ready and
 * runs until stopped (signal, idle exit, lost name). Returns the exit status. */
int vt_daemon_run (VtDaemon *daemon, GDBusInterfaceSkeleton *object);

/* A call in flight / finished: idle exit and stopping wait for the last release.
 * Any thread. vt_daemon_hold refuses (FALSE) once the daemon is stopping. */
gboolean vt_daemon_hold (VtDaemon *daemon);
void vt_daemon_release (VtDaemon *daemon);

/* The answer to every call that reaches a stopping daemon, G_DBUS_ERROR_NO_SERVER
 * (org.freedesktop.DBus.Error.NoServer) with this sentence, whether the dispatch refuses
 * it or the connection's filter does (daemon.c). */
#define VT_STOPPING_MESSAGE \
  "virtuned is stopping and takes no new calls; call again to reach a new instance"

#define VT_BUS_NAME "org.virtscenario.Manager"
#define VT_OBJECT_PATH "/org/virtscenario/Manager"
#define VT_DEFAULT_CONFIG VT_SYSCONFDIR "/virtuned/virtuned.conf"

G_END_DECLS
