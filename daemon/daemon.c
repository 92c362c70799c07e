/* virtuned — the daemon's lifecycle: start-up (configuration, policies, the osinfo
 * database, host capabilities), the bus name, systemd notification, idle exit, the watchdog and an
 * orderly stop: calls in flight finish before anything they use is freed. The
 * connection's filter also runs the bus layer's screen (VtDaemon.screen), which may
 * answer a call there. */
#include "daemon.h"

#include <errno.h>
#include <glib-unix.h>
#include <sys/socket.h>
#include <unistd.h>
#include <systemd/sd-daemon.h>

#include "bus-owner.h"
#include "util/error.h"
#include "vt-config.h"

#define VT_FALLBACK_DOMCAPS "x86_64-kvm-q35.xml"
/* GIO's name for G_DBUS_ERROR_NO_SERVER, which the dispatch's refusal carries too. */
#define VT_STOPPING_ERROR_NAME "org.freedesktop.DBus.Error.NoServer"
/* How long the last round trip to the bus may take when stopping (see finish_stop). */
#define VT_STOP_BARRIER_TIMEOUT_MS 10000

/* What the connection's filter reads in GDBus's worker thread. Reference-counted on its
 * own: GDBus may still run a filter after it was removed, and the filter outlives the
 * daemon's teardown on purpose (see on_bus_acquired). */
typedef struct {
  /* Held shared by the filter while it screens a call, exclusively to set refusing: once
   * the daemon stops, no screen runs or starts, so teardown may free what it reads. */
  GRWLock lock;
  gint refusing;            /* answer every incoming call with NoServer */
  gint refused;             /* atomic: how many calls the filter answered so */
  gint last_answer_s;       /* atomic: monotonic second of the screen's last answer */
  VtScreenFunc screen;      /* the bus layer's, copied before the filter is installed */
  gpointer screen_data;
} StopGate;

/* The shared state plus what only this file touches (main thread only, but busy). */
typedef struct {
  VtDaemon base;
  GMainLoop *loop;
  gint busy;                /* calls in flight (atomic): idle exit and stop wait for 0 */
  VtBusOwner *owner;
  guint idle_source;
  guint watchdog_source;
  guint sigterm_source;
  guint sigint_source;
  int exit_status;
  gboolean name_acquired;
  gboolean stopping;        /* no new calls; quit once busy is 0 and the queue drained */
  gboolean draining;        /* finish_stop ran: the barrier round trip is on its way */
  StopGate *gate;
} VtDaemonPriv;

static VtDaemonPriv *
priv (VtDaemon *daemon)
{
  /* base is the first member. */
  return (VtDaemonPriv *) daemon;
}

/* --- start-up ------------------------------------------------------------------------ */

/* Installed data when present, else the source tree's (uninstalled runs);
 * VIRTUNED_DATADIR overrides both (tests). */
static char *
data_path (const char *subdir)
{
  const char *override = g_getenv ("VIRTUNED_DATADIR");
  g_autofree char *installed = NULL;

  if (override != NULL && *override != '\0')
    return g_build_filename (override, subdir, NULL);
  installed = g_build_filename (VT_PKGDATADIR, subdir, NULL);
  if (g_file_test (installed, G_FILE_TEST_IS_DIR))
    return g_steal_pointer (&installed);
  return g_build_filename (VT_SOURCE_DATADIR, subdir, NULL);
}

static void
replace_string (char **field, const char *value)
{
  if (value == NULL)
    return;
  g_free (*field);
  *field = g_strdup (value);
}

static gboolean
load_config (VtDaemon *daemon, const VtDaemonOptions *options, GError **error)
{
  const char *path = options->config_path != NULL ? options->config_path : VT_DEFAULT_CONFIG;

  daemon->config = vt_config_new ();
  if (!vt_config_load (daemon->config, path, options->config_path == NULL, error))
    return FALSE;
  replace_string (&daemon->config->sysroot, options->sysroot);
  replace_string (&daemon->config->state_dir, options->state_dir);
  if (options->idle_exit >= 0)
    daemon->config->idle_exit = (guint) options->idle_exit;
  daemon->session_bus = options->session;
  return TRUE;
}

/* The largest table the reader process may hand over (Debian 12's is about 150 KB). */
#define OSINFO_TABLE_MAX_BYTES (16 * 1024 * 1024)

/* Runs this binary's --print-osinfo-table and reads the table it writes. */
static VtOsTable *
read_oses_in_child (GError **error)
{
  g_autofree char *self = g_file_read_link ("/proc/self/exe", error);
  g_autoptr (GSubprocess) reader = NULL;
  g_autoptr (GBytes) out = NULL;
  g_autoptr (GBytes) err = NULL;
  g_autoptr (GVariant) table = NULL;

  if (self == NULL)
    return NULL;
  reader = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                             error, self, "--print-osinfo-table", NULL);
  if (reader == NULL || !g_subprocess_communicate (reader, NULL, NULL, &out, &err, error))
    return NULL;
  if (!g_subprocess_get_successful (reader) || g_bytes_get_size (out) > OSINFO_TABLE_MAX_BYTES)
    {
      g_set_error (error, VT_ERROR, VT_ERROR_FAILED, "reading the osinfo database failed: %.*s",
                   (int) MIN (g_bytes_get_size (err), 512),
                   (const char *) g_bytes_get_data (err, NULL));
      return NULL;
    }
  table = g_variant_ref_sink (g_variant_new_from_bytes (G_VARIANT_TYPE (VT_OS_TABLE_TYPE), out,
                                                        FALSE));
  return vt_os_table_new_from_variant (table);
}

/* The osinfo database is read on the first use of os: (or ListOperatingSystems), not at
 * every start of a daemon the bus starts on demand, and in a process of its own: reading
 * it costs about a second of CPU, and libosinfo keeps some 45 MB after its loader is
 * freed, which would stay in the daemon for good; the reader hands over the reduced
 * table (~150 KB). A broken database is logged, not a failure: descriptions without os:
 * still render. */
static VtOsTable *
load_oses (gpointer unused)
{
  g_autoptr (GError) error = NULL;
  VtOsTable *oses = read_oses_in_child (&error);

  if (oses == NULL)
    {
      g_warning ("%s; os: cannot be used", error->message);
      oses = vt_os_table_new (NULL);
    }
  return oses;
}

/* Built-in policies first, then the configured directories, then --policy-dir. A broken
 * policy is logged and skipped; it never stops the daemon (SPEC §4.1). */
static void
load_policies (VtDaemon *daemon, const VtDaemonOptions *options)
{
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr (GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *builtin = data_path ("policies");
  g_auto (GStrv) dirs = NULL;

  g_strv_builder_add (builder, builtin);
  g_strv_builder_addv (builder, (const char **) daemon->config->policy_dirs);
  if (options->policy_dirs != NULL)
    g_strv_builder_addv (builder, (const char **) options->policy_dirs);
  dirs = g_strv_builder_end (builder);
  daemon->policies = vt_policy_set_load ((const char *const *) dirs, problems);
  for (guint i = 0; i < problems->len; i++)
    g_warning ("%s", (const char *) g_ptr_array_index (problems, i));
}

/* A remote connection in a sandbox without IP sockets (virtuned.service as shipped) can
 * never open: say at start what to install, rather than let each call fail with
 * libvirt's "Address family not supported". */
static void
warn_if_no_network (GPtrArray *connections)
{
  int probe;

  for (guint i = 0; i < connections->len; i++)
    {
      const VtConnectionConfig *c = g_ptr_array_index (connections, i);

      if (vt_connection_uri_is_local (c->uri))
        continue;
      probe = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
      if (probe >= 0)
        {
          close (probe);
          return;
        }
      g_warning ("connection '%s' (%s) is on another host, but this process may not open "
                 "IP sockets (%s): install the drop-in remote-hosts.conf from virtuned's "
                 "examples in /etc/systemd/system/virtuned.service.d/", c->name, c->uri,
                 g_strerror (errno));
      return;
    }
}

/* One host per connection of the configuration; --connect and --domcaps replace the
 * default one's URI and saved capabilities. Only the default host is asked for its
 * capabilities at start (the generic document with a warning when it cannot answer,
 * as a single-host daemon always did); the others are asked on first use, so a host
 * that is down does not hold the start. */
static gboolean
load_hypervisors (VtDaemon *daemon, const VtDaemonOptions *options, GError **error)
{
  g_autoptr (GPtrArray) connections = vt_config_resolve_connections (daemon->config, error);
  g_autofree char *dir = data_path ("domcaps");
  g_autofree char *fallback = g_build_filename (dir, VT_FALLBACK_DOMCAPS, NULL);
  g_autoptr (VtHostCaps) caps = NULL;
  VtConnectionConfig *first;

  if (connections == NULL)
    return FALSE;
  first = g_ptr_array_index (connections, 0);
  replace_string (&first->uri, options->uri);
  replace_string (&first->domcaps_path, options->domcaps_path);
  warn_if_no_network (connections);
  daemon->hypervisors = vt_hypervisors_new (connections, daemon->config->sysroot, fallback);
  caps = vt_hypervisor_caps_or_fallback (vt_hypervisors_default (daemon->hypervisors), error);
  return caps != NULL;
}

VtDaemon *
vt_daemon_new (const VtDaemonOptions *options, GError **error)
{
  VtDaemonPriv *p = g_new0 (VtDaemonPriv, 1);
  g_autoptr (VtDaemon) daemon = &p->base;

  p->gate = g_atomic_rc_box_new0 (StopGate);
  g_rw_lock_init (&p->gate->lock);
  p->gate->last_answer_s = G_MININT / 2;   /* no answer yet */

  if (!load_config (daemon, options, error))
    return NULL;
  load_policies (daemon, options);
  daemon->oses = vt_os_table_new_lazy (load_oses, NULL);
  if (!load_hypervisors (daemon, options, error))
    return NULL;
  daemon->tuner = vt_host_tuner_new (daemon->policies, daemon->config->sysroot,
                                     daemon->config->state_dir);
  return g_steal_pointer (&daemon);
}

/* --- stopping, idle exit and watchdog ------------------------------------------------ */

/* Every call that reaches the daemon must be answered, also the ones that arrive while
 * it stops. Exiting does not do that: the bus answers NoReply for every call it had
 * routed to us that we had not answered, and those are not only the calls in flight.
 * GDBus reads messages in its worker thread and queues each method call as an idle
 * source on the main loop, so when the last call in flight is released there may be
 * calls in that queue, in the socket, or still in the bus's queue for us (sent to the
 * well-known name just before we released it). Hence, once stopping:
 *
 *  1. the connection filter (worker thread, screen_incoming) answers every incoming
 *     method call with NoServer at once, without queueing it on the main loop;
 *  2. the calls that passed the filter before are still dispatched by the main loop,
 *     and vt_dispatch refuses them with the same NoServer;
 *  3. when no call is in flight, finish_stop makes a round trip to the bus. The bus
 *     sends us messages in order and processes our ReleaseName before the round trip,
 *     so every call routed to us by the well-known name comes before its reply: by then
 *     the worker thread has passed each through the filter, answered (1) or queued (2);
 *  4. the reply's callback adds a G_PRIORITY_LOW idle that quits the loop. It runs only
 *     when no default-priority source is ready, that is once every queued call of (2)
 *     was dispatched and answered;
 *  5. teardown flushes the answers to the socket. The filter stays installed until the
 *     process exits, so a call sent to our unique name meanwhile still gets NoServer.
 *
 * What is left is a call sent to the unique name after the round trip and arriving
 * after our last read: inherent to any exit, and no client that follows the well-known
 * name does that. The round trip has a timeout, so a stuck bus cannot hold the stop. */
static GDBusMessage *
stopping_refusal (GDBusMessage *call)
{
  return g_dbus_message_new_method_error_literal (call, VT_STOPPING_ERROR_NAME,
                                                  VT_STOPPING_MESSAGE);
}

static gint
monotonic_seconds (void)
{
  return (gint) (g_get_monotonic_time () / G_USEC_PER_SEC);
}

/* The connection's filter, in GDBus's worker thread: a call is answered here and never
 * queued for dispatch when the daemon stops (above), when the bus layer's screen refuses
 * it (an oversized call) before the skeleton copies its arguments, or when the screen
 * serves it right here (a Render for the default host: no hop to the main loop). */
static GDBusMessage *
screen_incoming (GDBusConnection *bus, GDBusMessage *message, gboolean incoming,
                 gpointer user_data)
{
  StopGate *gate = user_data;
  gboolean stopping;
  g_autoptr (GDBusMessage) answer = NULL;

  if (!incoming || g_dbus_message_get_message_type (message) != G_DBUS_MESSAGE_TYPE_METHOD_CALL)
    return message;
  g_rw_lock_reader_lock (&gate->lock);
  stopping = gate->refusing;
  if (stopping)
    answer = stopping_refusal (message);
  else if (gate->screen != NULL)
    answer = gate->screen (message, gate->screen_data);
  g_rw_lock_reader_unlock (&gate->lock);
  if (answer == NULL)
    return message;
  if (!stopping)
    g_atomic_int_set (&gate->last_answer_s, monotonic_seconds ());
  if (!(g_dbus_message_get_flags (message) & G_DBUS_MESSAGE_FLAGS_NO_REPLY_EXPECTED))
    {
      /* Sending is allowed here: GDBus runs filters without its connection lock. */
      g_dbus_connection_send_message (bus, answer, G_DBUS_SEND_MESSAGE_FLAGS_NONE, NULL,
                                      NULL);
      if (stopping)
        g_atomic_int_inc (&gate->refused);
    }
  /* The filter owns @message; NULL drops it, so it is never queued for dispatch. */
  g_object_unref (message);
  return NULL;
}

static gboolean
quit_when_answered (gpointer user_data)
{
  VtDaemonPriv *p = user_data;

  g_info ("every queued call answered (%d refused while stopping); exiting",
          g_atomic_int_get (&p->gate->refused));
  g_main_loop_quit (p->loop);
  return G_SOURCE_REMOVE;
}

static gboolean
on_stop_barrier (gpointer user_data)
{
  g_idle_add_full (G_PRIORITY_LOW, quit_when_answered, user_data, NULL);
  return G_SOURCE_REMOVE;
}

/* Main loop, stopping and no call in flight: steps 3 and 4 above, then the loop ends. */
static void
finish_stop (VtDaemonPriv *p)
{
  if (p->draining)
    return;
  p->draining = TRUE;
  if (p->owner == NULL
      || !vt_bus_owner_barrier (p->owner, VT_STOP_BARRIER_TIMEOUT_MS, on_stop_barrier, p))
    g_main_loop_quit (p->loop);
}

/* Stops taking calls: the name goes (the bus starts a fresh instance for the next
 * caller) and every call that still reaches us gets NoServer. The loop ends only when
 * no call is in flight, so a Define or TuneHost worker finishes, or rolls back, before
 * teardown frees what it uses, and only once every call received was answered (above);
 * systemd's TimeoutStopSec bounds the wait. */
static void
begin_stop (VtDaemonPriv *p, const char *why)
{
  gint busy = g_atomic_int_get (&p->busy);

  if (p->stopping)
    {
      g_message ("%s while stopping; still %d call(s) in flight", why, busy);
      return;
    }
  p->stopping = TRUE;
  /* Waits for a call the screen is serving: from here on it reads nothing of ours. */
  g_rw_lock_writer_lock (&p->gate->lock);
  p->gate->refusing = TRUE;
  g_rw_lock_writer_unlock (&p->gate->lock);
  g_clear_handle_id (&p->idle_source, g_source_remove);
  /* Synchronous ReleaseName: the bus routes nothing more to us by the name. */
  if (p->owner != NULL)
    vt_bus_owner_release (p->owner);
  if (busy == 0)
    {
      g_info ("%s; exiting", why);
      sd_notify (0, "STOPPING=1");
      finish_stop (p);
      return;
    }
  g_message ("%s; finishing %d call(s) in flight before exiting", why, busy);
  sd_notifyf (0, "STOPPING=1\nSTATUS=Stopping: finishing %d call(s) in flight", busy);
}

static gboolean idle_timeout_cb (gpointer user_data);

static void
idle_arm (VtDaemonPriv *p, guint seconds)
{
  g_clear_handle_id (&p->idle_source, g_source_remove);
  p->idle_source = g_timeout_add_seconds (seconds, idle_timeout_cb, p);
}

static gboolean
idle_timeout_cb (gpointer user_data)
{
  VtDaemonPriv *p = user_data;
  guint idle_exit = p->base.config->idle_exit;
  gint quiet = monotonic_seconds () - g_atomic_int_get (&p->gate->last_answer_s);
  g_autofree char *why = NULL;

  p->idle_source = 0;
  /* A call still running will rearm the timer when it is released. */
  if (g_atomic_int_get (&p->busy) > 0)
    return G_SOURCE_REMOVE;
  /* The filter answered a call meanwhile; it does not wake the main loop to say so. */
  if (quiet >= 0 && (guint) quiet < idle_exit)
    {
      idle_arm (p, idle_exit - (guint) quiet);
      return G_SOURCE_REMOVE;
    }
  why = g_strdup_printf ("idle for %u s", idle_exit);
  begin_stop (p, why);
  return G_SOURCE_REMOVE;
}

static void
idle_rearm (VtDaemonPriv *p)
{
  if (p->base.config->idle_exit != 0)
    idle_arm (p, p->base.config->idle_exit);
}

/* In the main thread after the last call in flight was released. */
static gboolean
calls_drained (gpointer user_data)
{
  VtDaemonPriv *p = user_data;

  if (g_atomic_int_get (&p->busy) > 0)
    return G_SOURCE_REMOVE;
  if (!p->stopping)
    idle_rearm (p);
  else
    {
      g_message ("the last call in flight finished; exiting");
      finish_stop (p);
    }
  return G_SOURCE_REMOVE;
}

gboolean
vt_daemon_hold (VtDaemon *daemon)
{
  if (priv (daemon)->stopping)
    return FALSE;
  g_atomic_int_inc (&priv (daemon)->busy);
  return TRUE;
}

void
vt_daemon_release (VtDaemon *daemon)
{
  if (g_atomic_int_dec_and_test (&priv (daemon)->busy))
    g_main_context_invoke (NULL, calls_drained, priv (daemon));
}

static gboolean
watchdog_cb (gpointer user_data)
{
  sd_notify (0, "WATCHDOG=1");
  return G_SOURCE_CONTINUE;
}

static void
start_watchdog (VtDaemonPriv *p)
{
  uint64_t usec = 0;

  if (sd_watchdog_enabled (0, &usec) <= 0 || usec == 0)
    return;
  p->watchdog_source = g_timeout_add (MAX (usec / 2000, 1), watchdog_cb, NULL);
}

static gboolean
on_quit_signal (gpointer user_data)
{
  /* Stays installed: a second signal must not fall back to the default (death). */
  begin_stop (user_data, "terminating on signal");
  return G_SOURCE_CONTINUE;
}

/* --- the bus name -------------------------------------------------------------------- */

static void
on_name_acquired (const char *name, gpointer user_data)
{
  VtDaemonPriv *p = user_data;
  g_autofree char *status = g_strdup_printf ("Serving %s on the %s bus for %s", name,
                                             p->base.session_bus ? "session" : "system",
                                             vt_hypervisor_config (vt_hypervisors_default (
                                               p->base.hypervisors))->uri);

  p->name_acquired = TRUE;
  g_info ("%s", status);
  sd_notifyf (0, "READY=1\nSTATUS=%s", status);
  start_watchdog (p);
  idle_rearm (p);
}

static void
on_name_lost (const char *why, gpointer user_data)
{
  VtDaemonPriv *p = user_data;

  g_printerr ("virtuned: %s\n", why);
  p->exit_status = 1;
  begin_stop (p, "no bus name");
}

static gpointer
gate_ref (gpointer gate)
{
  return g_atomic_rc_box_acquire (gate);
}

static void
gate_clear (gpointer data)
{
  StopGate *gate = data;

  g_rw_lock_clear (&gate->lock);
}

static void
gate_unref (gpointer gate)
{
  g_atomic_rc_box_release_full (gate, gate_clear);
}

int
vt_daemon_run (VtDaemon *daemon, GDBusInterfaceSkeleton *object)
{
  VtDaemonPriv *p = priv (daemon);
  /* Each connection gets the stop gate's filter before the export, so no call can slip
   * past it. It is never removed from the connection that owns the name: it keeps
   * answering NoServer while the daemon tears down, until the process exits and closes
   * the socket; a connection drops its reference to the gate when it is finalized. */
  VtBusOwnerSetup setup = {
    .bus_type = daemon->session_bus ? G_BUS_TYPE_SESSION : G_BUS_TYPE_SYSTEM,
    .name = VT_BUS_NAME,
    .object = object,
    .path = VT_OBJECT_PATH,
    .filter = screen_incoming,
    .filter_data = p->gate,
    .filter_data_ref = gate_ref,
    .filter_data_unref = gate_unref,
    .callbacks = { on_name_acquired, on_name_lost },
    .user_data = p,
  };

  p->gate->screen = daemon->screen;
  p->gate->screen_data = daemon->screen_data;
  p->loop = g_main_loop_new (NULL, FALSE);
  p->sigterm_source = g_unix_signal_add (SIGTERM, on_quit_signal, p);
  p->sigint_source = g_unix_signal_add (SIGINT, on_quit_signal, p);
  p->owner = vt_bus_owner_start (&setup);
  g_main_loop_run (p->loop);
  return p->exit_status;
}

/* --- teardown ------------------------------------------------------------------------ */

void
vt_daemon_free (VtDaemon *daemon)
{
  VtDaemonPriv *p = priv (daemon);

  if (daemon == NULL)
    return;
  g_clear_handle_id (&p->idle_source, g_source_remove);
  g_clear_handle_id (&p->watchdog_source, g_source_remove);
  g_clear_handle_id (&p->sigterm_source, g_source_remove);
  g_clear_handle_id (&p->sigint_source, g_source_remove);
  g_clear_pointer (&p->owner, vt_bus_owner_free);
  g_clear_pointer (&p->loop, g_main_loop_unref);
  g_clear_pointer (&daemon->tuner, vt_host_tuner_free);
  g_clear_pointer (&daemon->policies, vt_policy_set_free);
  g_clear_pointer (&daemon->oses, vt_os_table_free);
  g_clear_pointer (&daemon->hypervisors, vt_hypervisors_free);
  g_clear_pointer (&daemon->config, vt_config_free);
  g_clear_pointer (&p->gate, gate_unref);
  g_free (p);
}
