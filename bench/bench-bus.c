/* bench-bus — virtuned over D-Bus (SPEC §13): start to READY=1, Render throughput and
 * p99 latency with concurrent clients, daemon RSS after many renders and after a flood of
 * 16 MiB requests (each refused; the figure is what memory they leave behind).
 *
 * Runs on the session bus named by DBUS_SESSION_BUS_ADDRESS (bench/run starts a private
 * one; its dbus-daemon's pid in BENCH_DBUS_PID lets the CPU split include it). It starts
 * the daemon itself with a private NOTIFY_SOCKET so READY=1 is timed exactly as systemd
 * would see it.
 *
 * The clients run in this process and share the machine with what they measure, so they
 * are written twice: with GDBus, as vscenctl and Cockpit's bridge call, and with sd-bus,
 * whose client does its own I/O in the calling thread and leaves more of the cores to
 * the daemon. Each measured run reports where the CPU time per call went. */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gio/gio.h>
#include <systemd/sd-bus.h>

#include "bench-util.h"

static const char description[] =
  "name: bench01\nscenario: desktop\nvcpus: 4\nmemory: 4GiB\n"
  "disks:\n  - pool: default\n    size: 20GiB\nnetworks:\n  - network: default\n";

typedef enum { CLIENT_GDBUS, CLIENT_SDBUS } ClientKind;

typedef struct {
  const char *address;
  ClientKind kind;
  gboolean xml_only;      /* Render option provenance: false, as vscenctl render sends */
  guint calls;
  double *latencies_us;   /* calls entries */
  gboolean failed;
} Client;

/* Binds an abstract-namespace datagram socket and returns its fd; @name receives the
 * NOTIFY_SOCKET value ("@...") the daemon should use. */
static int
notify_socket_open (char **name)
{
  struct sockaddr_un sa = { .sun_family = AF_UNIX };
  g_autofree char *abstract = g_strdup_printf ("virtuned-bench-%d", getpid ());
  int fd = socket (AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);

  if (fd < 0)
    return -1;
  memcpy (sa.sun_path + 1, abstract, strlen (abstract));
  if (bind (fd, (struct sockaddr *) &sa,
            (socklen_t) (offsetof (struct sockaddr_un, sun_path) + 1 + strlen (abstract))) < 0)
    {
      close (fd);
      return -1;
    }
  *name = g_strdup_printf ("@%s", abstract);
  return fd;
}

/* Waits (bounded) for a datagram containing READY=1. */
static gboolean
wait_ready (int fd, int timeout_ms)
{
  char buf[4096];
  struct pollfd pfd = { .fd = fd, .events = POLLIN };

  while (poll (&pfd, 1, timeout_ms) > 0)
    {
      ssize_t n = recv (fd, buf, sizeof buf - 1, 0);
      if (n <= 0)
        return FALSE;
      buf[n] = '\0';
      if (strstr (buf, "READY=1"))
        return TRUE;
    }
  return FALSE;
}

static gpointer
client_run_gdbus (gpointer data)
{
  Client *c = data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GDBusConnection) bus = g_dbus_connection_new_for_address_sync (
    c->address,
    G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT | G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
    NULL, NULL, &error);

  if (!bus)
    {
      c->failed = TRUE;
      return NULL;
    }
  for (guint i = 0; i < c->calls; i++)
    {
      double start = bench_now_us ();
      GVariantDict options;
      g_autoptr (GVariant) reply = NULL;

      g_variant_dict_init (&options, NULL);
      if (c->xml_only)
        g_variant_dict_insert (&options, "provenance", "b", FALSE);
      reply = g_dbus_connection_call_sync (
        bus, "org.virtscenario.Manager", "/org/virtscenario/Manager",
        "org.virtscenario.Manager", "Render",
        g_variant_new ("(s@a{sv})", description, g_variant_dict_end (&options)),
        NULL, G_DBUS_CALL_FLAGS_NONE, 10000, NULL, &error);

      if (!reply)
        {
          fprintf (stderr, "bench-bus: Render failed: %s\n", error->message);
          c->failed = TRUE;
          return NULL;
        }
      c->latencies_us[i] = bench_now_us () - start;
    }
  return NULL;
}

/* One Render with sd-bus; reads the whole reply, as the GDBus client's parsing does. */
static int
sdbus_render (sd_bus *bus, gboolean xml_only)
{
  __attribute__ ((cleanup (sd_bus_message_unrefp))) sd_bus_message *call = NULL;
  __attribute__ ((cleanup (sd_bus_message_unrefp))) sd_bus_message *reply = NULL;
  __attribute__ ((cleanup (sd_bus_error_free))) sd_bus_error error = SD_BUS_ERROR_NULL;
  const char *xml, *a, *b, *c;
  int r;

  r = sd_bus_message_new_method_call (bus, &call, "org.virtscenario.Manager",
                                      "/org/virtscenario/Manager",
                                      "org.virtscenario.Manager", "Render");
  if (r >= 0)
    r = xml_only ? sd_bus_message_append (call, "sa{sv}", description, 1, "provenance", "b", 0)
                 : sd_bus_message_append (call, "sa{sv}", description, 0);
  if (r >= 0)
    r = sd_bus_call (bus, call, 10 * 1000 * 1000, &error, &reply);
  if (r < 0)
    {
      fprintf (stderr, "bench-bus: Render failed: %s\n", error.message ? error.message : g_strerror (-r));
      return r;
    }
  r = sd_bus_message_read (reply, "s", &xml);
  if (r >= 0)
    r = sd_bus_message_enter_container (reply, 'a', "(sss)");
  while (r > 0 && (r = sd_bus_message_read (reply, "(sss)", &a, &b, &c)) > 0)
    ;
  if (r >= 0)
    r = sd_bus_message_exit_container (reply);
  if (r >= 0)
    r = sd_bus_message_skip (reply, "as");
  return r < 0 || *xml == '\0' ? -EBADMSG : 0;
}

static gpointer
client_run_sdbus (gpointer data)
{
  Client *c = data;
  __attribute__ ((cleanup (sd_bus_flush_close_unrefp))) sd_bus *bus = NULL;
  int r = sd_bus_new (&bus);

  if (r >= 0)
    r = sd_bus_set_address (bus, c->address);
  if (r >= 0)
    r = sd_bus_set_bus_client (bus, 1);
  if (r >= 0)
    r = sd_bus_start (bus);
  for (guint i = 0; r >= 0 && i < c->calls; i++)
    {
      double start = bench_now_us ();

      r = sdbus_render (bus, c->xml_only);
      c->latencies_us[i] = bench_now_us () - start;
    }
  c->failed = r < 0;
  return NULL;
}

/* CPU time, in clock ticks, of what serves the calls: the daemon's main thread (where
 * calls the filter does not answer run), its other threads (GDBus's worker: the socket
 * I/O, the parsing of messages, and the Renders its filter answers), the dbus-daemon,
 * and this process (the clients). Also the daemon's context switches, over all its
 * threads: unlike CPU time they hardly move with the machine's speed, and each hop of
 * a call between threads shows in them. */
typedef struct {
  GPid daemon;
  GPid bus;                 /* 0: unknown */
  long daemon_main, daemon_rest, dbus_daemon, clients;
  long daemon_switches;
} CpuSplit;

/* utime + stime of /proc/@path (a stat file); the command name may hold spaces. */
static long
stat_ticks (const char *path)
{
  g_autofree char *text = NULL;
  const char *end;
  unsigned long utime, stime;

  if (!g_file_get_contents (path, &text, NULL, NULL) || !(end = strrchr (text, ')')))
    return 0;
  /* after ")": state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime */
  if (sscanf (end + 1, " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &utime, &stime) != 2)
    return 0;
  return (long) (utime + stime);
}

/* The number after @field in @text, a /proc status file; -1 when the field is missing. */
static long
status_number (const char *text, const char *field)
{
  const char *line = strstr (text, field);

  return line != NULL ? strtol (line + strlen (field), NULL, 10) : -1;
}

/* Voluntary plus involuntary context switches of every thread of @pid. */
static long
context_switches (GPid pid)
{
  g_autofree char *dir_path = g_strdup_printf ("/proc/%d/task", pid);
  g_autoptr (GDir) dir = g_dir_open (dir_path, 0, NULL);
  const char *task;
  long sum = 0;

  while (dir != NULL && (task = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_strdup_printf ("%s/%s/status", dir_path, task);
      g_autofree char *text = NULL;
      long voluntary, involuntary;

      if (!g_file_get_contents (path, &text, NULL, NULL))
        continue;   /* the thread ended meanwhile */
      /* The newline: "voluntary_ctxt_switches:" is also the end of the involuntary one. */
      voluntary = status_number (text, "\nvoluntary_ctxt_switches:");
      involuntary = status_number (text, "\nnonvoluntary_ctxt_switches:");
      if (voluntary >= 0 && involuntary >= 0)
        sum += voluntary + involuntary;
    }
  return sum;
}

static void
cpu_sample (CpuSplit *s, int sign)
{
  g_autofree char *main_path = g_strdup_printf ("/proc/%d/task/%d/stat", s->daemon, s->daemon);
  g_autofree char *daemon_path = g_strdup_printf ("/proc/%d/stat", s->daemon);
  g_autofree char *bus_path = g_strdup_printf ("/proc/%d/stat", s->bus);
  long main_ticks = stat_ticks (main_path);

  s->daemon_main += sign * main_ticks;
  s->daemon_rest += sign * (stat_ticks (daemon_path) - main_ticks);
  s->dbus_daemon += s->bus ? sign * stat_ticks (bus_path) : 0;
  s->clients += sign * stat_ticks ("/proc/self/stat");
  s->daemon_switches += sign * context_switches (s->daemon);
}

static void
cpu_report (const CpuSplit *s, const char *report, gsize calls)
{
  double us_per_tick = 1e6 / (double) sysconf (_SC_CLK_TCK);

  printf ("%s_cpu_us_daemon_main %.0f\n", report, s->daemon_main * us_per_tick / calls);
  printf ("%s_cpu_us_daemon_gdbus %.0f\n", report, s->daemon_rest * us_per_tick / calls);
  if (s->bus)
    printf ("%s_cpu_us_dbus_daemon %.0f\n", report, s->dbus_daemon * us_per_tick / calls);
  printf ("%s_cpu_us_clients %.0f\n", report, s->clients * us_per_tick / calls);
  printf ("%s_daemon_switches_per_call %.2f\n", report, (double) s->daemon_switches / calls);
}

/* What one run of concurrent clients does and where its figures go. */
typedef struct {
  const char *address;
  ClientKind kind;
  gboolean xml_only;
  GPid daemon, bus;
} Workload;

/* Runs @n_clients threads of @calls Renders each; prints calls/s, median, p99 and the CPU
 * time per call under names starting with @report (NULL: prints nothing). */
static gboolean
run_clients (const Workload *w, guint n_clients, guint calls, const char *report)
{
  g_autofree Client *clients = g_new0 (Client, n_clients);
  g_autofree GThread **threads = g_new0 (GThread *, n_clients);
  g_autofree double *all = g_new (double, (gsize) n_clients * calls);
  GThreadFunc run = w->kind == CLIENT_SDBUS ? client_run_sdbus : client_run_gdbus;
  CpuSplit cpu = { .daemon = w->daemon, .bus = w->bus };
  gboolean ok = TRUE;
  double start, elapsed;

  cpu_sample (&cpu, -1);
  start = bench_now_us ();
  for (guint i = 0; i < n_clients; i++)
    {
      clients[i] = (Client) { w->address, w->kind, w->xml_only, calls,
                              all + (gsize) i * calls, FALSE };
      threads[i] = g_thread_new ("client", run, &clients[i]);
    }
  for (guint i = 0; i < n_clients; i++)
    {
      g_thread_join (threads[i]);
      ok = ok && !clients[i].failed;
    }
  elapsed = bench_now_us () - start;
  cpu_sample (&cpu, +1);
  if (ok && report != NULL)
    {
      gsize n = (gsize) n_clients * calls;
      qsort (all, n, sizeof (double), bench_compare_doubles);
      printf ("%s_clients %u\n", report, n_clients);
      printf ("%s_calls_per_s %.0f\n", report, n / (elapsed / 1e6));
      printf ("%s_median_ms %.3f\n", report, all[n / 2] / 1000.0);
      printf ("%s_p99_ms %.3f\n", report, all[(gsize) (0.99 * (n - 1))] / 1000.0);
      cpu_report (&cpu, report, n);
    }
  return ok;
}

/* Calls per client in each measured run: 16,000 calls, a few seconds, so that the CPU
 * split (counted in 10 ms clock ticks) is within a percent. */
#define MEASURED_CALLS 2000

#define FLOOD_CALLS 10
#define FLOOD_BYTES (16 * 1024 * 1024)

/* FLOOD_CALLS Renders of a FLOOD_BYTES description: each must be refused (the daemon
 * takes 64 KiB), with a named error rather than a timeout or a lost connection. */
static gboolean
flood_large (const char *address)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GDBusConnection) bus = g_dbus_connection_new_for_address_sync (
    address,
    G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT | G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
    NULL, NULL, &error);
  g_autofree char *large = g_malloc (FLOOD_BYTES + 1);

  if (!bus)
    return FALSE;
  memset (large, 'a', FLOOD_BYTES);
  large[FLOOD_BYTES] = '\0';
  for (guint i = 0; i < FLOOD_CALLS; i++)
    {
      g_autoptr (GError) call_error = NULL;
      g_autoptr (GVariant) reply = g_dbus_connection_call_sync (
        bus, "org.virtscenario.Manager", "/org/virtscenario/Manager",
        "org.virtscenario.Manager", "Render",
        g_variant_new ("(s@a{sv})", large, g_variant_new_array (G_VARIANT_TYPE ("{sv}"), NULL, 0)),
        NULL, G_DBUS_CALL_FLAGS_NONE, 60000, NULL, &call_error);

      if (reply || !g_dbus_error_is_remote_error (call_error))
        {
          fprintf (stderr, "bench-bus: a 16 MiB Render was not refused by name\n");
          return FALSE;
        }
    }
  /* A refusal is sent before its call is freed and trimmed; GDBus reads the next call
   * only after that, so one more round trip orders the caller's reading after it. */
  g_autoptr (GVariant) settled = g_dbus_connection_call_sync (
    bus, "org.virtscenario.Manager", "/org/virtscenario/Manager", "org.virtscenario.Manager",
    "ListScenarios", NULL, NULL, G_DBUS_CALL_FLAGS_NONE, 60000, NULL, NULL);

  return settled != NULL;
}

/* A field of /proc/PID/status in KiB: VmRSS (all resident pages, including shared
 * library text) or RssAnon (the daemon's own heap and stacks: where a leak would show). */
static long
status_kib (GPid pid, const char *field)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/status", pid);
  g_autofree char *text = NULL;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return -1;
  return status_number (text, field);
}

/* RssAnon once the daemon has given back the flood's memory: it moves its bus name to a
 * fresh connection after a large message and drops the old one (with GDBus's read
 * buffer) after a grace period, so this polls until RssAnon is back within 1 MiB of
 * @baseline, for at most 15 s, and reports how long that took. */
static long
settled_anon_kib (GPid pid, long baseline, double *settle_ms)
{
  double start = bench_now_us ();
  long anon = status_kib (pid, "RssAnon:");

  while (anon > baseline + 1024 && bench_now_us () - start < 15e6)
    {
      g_usleep (50000);
      anon = status_kib (pid, "RssAnon:");
    }
  *settle_ms = (bench_now_us () - start) / 1000.0;
  return anon;
}

int
main (int argc, char **argv)
{
  const char *address = g_getenv ("DBUS_SESSION_BUS_ADDRESS");
  const char *daemon_path = argc > 1 ? argv[1] : NULL;
  const char *bus_pid_text = g_getenv ("BENCH_DBUS_PID");
  GPid bus_pid = bus_pid_text ? (GPid) atoi (bus_pid_text) : 0;
  guint total = argc > 2 ? (guint) atoi (argv[2]) : 100000;
  g_autofree char *notify_name = NULL;
  g_auto (GStrv) daemon_env = NULL;
  g_autoptr (GError) error = NULL;
  int notify_fd, status;
  GPid pid;
  double t0;
  long rss_warm, rss_end, anon_warm, anon_end, anon_peak, anon_flood;
  double settle_ms;
  gboolean ok;

  if (!address || !daemon_path || total < 8 * (1000 + 4 * MEASURED_CALLS))
    {
      fprintf (stderr, "usage: DBUS_SESSION_BUS_ADDRESS=... [BENCH_DBUS_PID=...] bench-bus "
               "VIRTUNED [RENDERS>=%d]\n", 8 * (1000 + 4 * MEASURED_CALLS));
      return 2;
    }
  notify_fd = notify_socket_open (&notify_name);
  if (notify_fd < 0)
    {
      fprintf (stderr, "bench-bus: cannot create notify socket: %s\n", g_strerror (errno));
      return 1;
    }
  daemon_env = g_environ_setenv (g_get_environ (), "NOTIFY_SOCKET", notify_name, TRUE);
  char *daemon_argv[] = { (char *) daemon_path, "--session", "--connect", "test:///default", NULL };
  t0 = bench_now_us ();
  if (!g_spawn_async (NULL, daemon_argv, daemon_env, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL, &pid, &error))
    {
      fprintf (stderr, "bench-bus: cannot start %s: %s\n", daemon_path, error->message);
      return 1;
    }
  if (!wait_ready (notify_fd, 10000))
    {
      fprintf (stderr, "bench-bus: daemon never sent READY=1\n");
      kill (pid, SIGKILL);
      return 1;
    }
  printf ("start_to_ready_ms %.1f\n", (bench_now_us () - t0) / 1000.0);

  /* Warm-up, then the measured concurrent run, then the rest of the soak. */
  Workload full = { address, CLIENT_GDBUS, FALSE, pid, bus_pid };
  Workload xml_only = { address, CLIENT_GDBUS, TRUE, pid, bus_pid };
  Workload sd_full = { address, CLIENT_SDBUS, FALSE, pid, bus_pid };
  Workload sd_xml_only = { address, CLIENT_SDBUS, TRUE, pid, bus_pid };

  ok = run_clients (&full, 8, 1000, NULL);
  rss_warm = status_kib (pid, "VmRSS:");
  anon_warm = status_kib (pid, "RssAnon:");
  ok = ok && run_clients (&full, 8, MEASURED_CALLS, "bus_render");
  ok = ok && run_clients (&xml_only, 8, MEASURED_CALLS, "bus_render_xml_only");
  ok = ok && run_clients (&sd_full, 8, MEASURED_CALLS, "bus_render_sdbus");
  ok = ok && run_clients (&sd_xml_only, 8, MEASURED_CALLS, "bus_render_sdbus_xml_only");
  ok = ok && run_clients (&full, 8, (total - 8 * (1000 + 4 * MEASURED_CALLS)) / 8, NULL);
  rss_end = status_kib (pid, "VmRSS:");
  anon_end = status_kib (pid, "RssAnon:");
  ok = ok && flood_large (address);
  anon_peak = status_kib (pid, "RssAnon:");
  anon_flood = settled_anon_kib (pid, anon_end, &settle_ms);
  printf ("daemon_rss_after_warmup_kib %ld\n", rss_warm);
  printf ("daemon_rss_after_%u_renders_kib %ld\n", total, rss_end);
  printf ("daemon_anon_after_warmup_kib %ld\n", anon_warm);
  printf ("daemon_anon_after_%u_renders_kib %ld\n", total, anon_end);
  printf ("daemon_anon_peak_16mib_flood_kib %ld\n", anon_peak);
  printf ("daemon_anon_after_16mib_flood_kib %ld\n", anon_flood);
  printf ("daemon_anon_settle_16mib_flood_ms %.0f\n", settle_ms);

  kill (pid, SIGTERM);
  waitpid (pid, &status, 0);
  g_spawn_close_pid (pid);
  close (notify_fd);
  return ok && WIFEXITED (status) && WEXITSTATUS (status) == 0 ? 0 : 1;
}
