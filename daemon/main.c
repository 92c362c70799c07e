/* virtuned — entry point: options, configuration, policies, host capabilities, the bus
 * name, systemd notification, idle exit and an orderly stop: calls in flight finish
 * before anything they use is freed. */
#include "daemon.h"

#include <glib-unix.h>
#include <libvirt/virterror.h>
#include <stdio.h>
#include <systemd/sd-daemon.h>

#include "libvirt/host-caps.h"
#include "model/catalog.h"
#include "util/error.h"
#include "vt-config.h"

#define VT_BUS_NAME "org.virtscenario.Manager"
#define VT_OBJECT_PATH "/org/virtscenario/Manager"
#define VT_DEFAULT_CONFIG VT_SYSCONFDIR "/virtuned/virtuned.conf"
#define VT_FALLBACK_DOMCAPS "x86_64-kvm-q35.xml"

/* The shared state plus what only main.c touches. Fronts see the VtDaemon member. */
typedef struct {
  VtDaemon base;
  guint owner_id;
  guint idle_source;
  guint watchdog_source;
  guint sigterm_source;
  guint sigint_source;
  int exit_status;
  gboolean name_acquired;
  gboolean stopping;        /* main thread only: no new calls, quit once busy is 0 */
} VtDaemonMain;

typedef struct {
  gboolean session;
  gboolean system;
  gboolean print_catalog;
  char *uri;
  char *config_path;
  char *domcaps_path;
  char *sysroot;
  char *state_dir;
  char **policy_dirs;
  gint idle_exit;
} VtOptions;

static void
vt_options_clear (VtOptions *options)
{
  g_free (options->uri);
  g_free (options->config_path);
  g_free (options->domcaps_path);
  g_free (options->sysroot);
  g_free (options->state_dir);
  g_strfreev (options->policy_dirs);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (VtOptions, vt_options_clear)

static gboolean
options_fail (GError **error, const char *message)
{
  g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED, message);
  return FALSE;
}

static gboolean
parse_options (VtOptions *options, int *argc, char ***argv, GError **error)
{
  const GOptionEntry entries[] = {
    { "session", 0, 0, G_OPTION_ARG_NONE, &options->session,
      "Own the name on the session bus (tests, demos, unprivileged use)", NULL },
    { "system", 0, 0, G_OPTION_ARG_NONE, &options->system,
      "Own the name on the system bus (the default)", NULL },
    { "connect", 'c', 0, G_OPTION_ARG_STRING, &options->uri,
      "libvirt URI (default from the configuration: qemu:///system)", "URI" },
    { "config", 0, 0, G_OPTION_ARG_FILENAME, &options->config_path,
      "Configuration file (default " VT_DEFAULT_CONFIG ")", "FILE" },
    { "domcaps", 0, 0, G_OPTION_ARG_FILENAME, &options->domcaps_path,
      "Render for the host described by this saved domain capabilities document", "FILE" },
    { "sysroot", 0, 0, G_OPTION_ARG_FILENAME, &options->sysroot,
      "Root of the host tuning paths (default /)", "DIR" },
    { "state-dir", 0, 0, G_OPTION_ARG_FILENAME, &options->state_dir,
      "Where host tuning records original values", "DIR" },
    { "policy-dir", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &options->policy_dirs,
      "Extra policy directory, searched last (repeatable)", "DIR" },
    { "idle-exit", 0, 0, G_OPTION_ARG_INT, &options->idle_exit,
      "Exit after SECONDS with no call in flight (0 = never)", "SECONDS" },
    { "print-catalog", 0, 0, G_OPTION_ARG_NONE, &options->print_catalog,
      "Print the settings catalog as a Markdown table and exit", NULL },
    { NULL }
  };
  g_autoptr (GOptionContext) context = g_option_context_new ("- virtual machine scenario daemon");

  options->idle_exit = -1;
  g_option_context_set_summary (context, "Serves org.virtscenario.Manager: renders and defines "
                                "libvirt domains from abstract descriptions and tunes the host.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, argc, argv, error))
    return FALSE;
  if (*argc > 1)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED, "unexpected argument '%s'",
                   (*argv)[1]);
      return FALSE;
    }
  if (options->session && options->system)
    return options_fail (error, "--session and --system exclude each other");
  if (options->idle_exit < -1)
    return options_fail (error, "--idle-exit takes a number of seconds, 0 or more");
  return TRUE;
}

/* --- logging ------------------------------------------------------------------------- */

/* Structured logging to the journal when our stderr is connected to it (systemd sets
 * JOURNAL_STREAM for services), plain stderr otherwise. */
static GLogWriterOutput
log_writer (GLogLevelFlags level, const GLogField *fields, gsize n_fields, gpointer user_data)
{
  if (g_log_writer_default_would_drop (level, G_LOG_DOMAIN))
    return G_LOG_WRITER_HANDLED;
  if (g_log_writer_is_journald (fileno (stderr))
      && g_log_writer_journald (level, fields, n_fields, user_data) == G_LOG_WRITER_HANDLED)
    return G_LOG_WRITER_HANDLED;
  return g_log_writer_standard_streams (level, fields, n_fields, user_data);
}

/* libvirt prints every error to stderr by default; we report them ourselves. */
static void
silence_libvirt (void *user_data, virErrorPtr error)
{
}

/* --- data files ---------------------------------------------------------------------- */

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

/* --- start-up ------------------------------------------------------------------------ */

static void
replace_string (char **field, const char *value)
{
  if (value == NULL)
    return;
  g_free (*field);
  *field = g_strdup (value);
}

static gboolean
load_config (VtDaemon *daemon, const VtOptions *options, GError **error)
{
  const char *path = options->config_path != NULL ? options->config_path : VT_DEFAULT_CONFIG;

  daemon->config = vt_config_new ();
  if (!vt_config_load (daemon->config, path, options->config_path == NULL, error))
    return FALSE;
  replace_string (&daemon->config->uri, options->uri);
  replace_string (&daemon->config->domcaps_path, options->domcaps_path);
  replace_string (&daemon->config->sysroot, options->sysroot);
  replace_string (&daemon->config->state_dir, options->state_dir);
  if (options->idle_exit >= 0)
    daemon->config->idle_exit = (guint) options->idle_exit;
  daemon->session_bus = options->session;
  return TRUE;
}

/* Built-in policies first, then the configured directories, then --policy-dir. A broken
 * policy is logged and skipped; it never stops the daemon (SPEC §4.1). */
static void
load_policies (VtDaemon *daemon, const VtOptions *options)
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

static VtDomcaps *
domcaps_from_libvirt (VtDaemon *daemon, GError **error)
{
  virConnectPtr conn = vt_connection_get (daemon->conn, error);
  VtDomcaps *caps;

  if (conn == NULL)
    return NULL;
  caps = vt_domcaps_from_connection (conn, error);
  virConnectClose (conn);
  return caps;
}

/* --domcaps FILE, else the connection's own answer, else the bundled generic document
 * with a warning that every Render repeats (SPEC §10). */
static gboolean
load_domcaps (VtDaemon *daemon, GError **error)
{
  g_autoptr (GError) local = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *fallback = NULL;

  if (daemon->config->domcaps_path != NULL)
    {
      daemon->domcaps = vt_domcaps_load_file (daemon->config->domcaps_path, error);
      return daemon->domcaps != NULL;
    }
  daemon->domcaps = domcaps_from_libvirt (daemon, &local);
  if (daemon->domcaps != NULL)
    return TRUE;
  dir = data_path ("domcaps");
  fallback = g_build_filename (dir, VT_FALLBACK_DOMCAPS, NULL);
  daemon->domcaps_warning = g_strdup_printf (
      "host capabilities unavailable (%s); rendering for a generic x86_64 KVM q35 host "
      "(%s)", local->message, fallback);
  g_warning ("%s", daemon->domcaps_warning);
  daemon->domcaps = vt_domcaps_load_file (fallback, error);
  return daemon->domcaps != NULL;
}

/* --- stopping, idle exit and watchdog ------------------------------------------------ */

/* Stops taking calls: the name goes (the bus starts a fresh instance for the next
 * caller) and the method guard refuses what still arrives on our unique name. The loop
 * ends only when no call is in flight, so a Define or TuneHost worker finishes, or rolls
 * back, before teardown frees what it uses; systemd's TimeoutStopSec bounds the wait. */
static void
begin_stop (VtDaemonMain *main_state, const char *why)
{
  gint busy = g_atomic_int_get (&main_state->base.busy);

  if (main_state->stopping)
    {
      g_message ("%s while stopping; still %d call(s) in flight", why, busy);
      return;
    }
  main_state->stopping = TRUE;
  g_clear_handle_id (&main_state->idle_source, g_source_remove);
  g_clear_handle_id (&main_state->owner_id, g_bus_unown_name);
  if (busy == 0)
    {
      g_info ("%s; exiting", why);
      sd_notify (0, "STOPPING=1");
      g_main_loop_quit (main_state->base.loop);
      return;
    }
  g_message ("%s; finishing %d call(s) in flight before exiting", why, busy);
  sd_notifyf (0, "STOPPING=1\nSTATUS=Stopping: finishing %d call(s) in flight", busy);
}

static gboolean
idle_timeout_cb (gpointer user_data)
{
  VtDaemonMain *main_state = user_data;
  g_autofree char *why = NULL;

  main_state->idle_source = 0;
  /* A call still running will rearm the timer when it is released. */
  if (g_atomic_int_get (&main_state->base.busy) > 0)
    return G_SOURCE_REMOVE;
  why = g_strdup_printf ("idle for %u s", main_state->base.config->idle_exit);
  begin_stop (main_state, why);
  return G_SOURCE_REMOVE;
}

static void
idle_rearm (VtDaemonMain *main_state)
{
  if (main_state->base.config->idle_exit == 0)
    return;
  g_clear_handle_id (&main_state->idle_source, g_source_remove);
  main_state->idle_source = g_timeout_add_seconds (main_state->base.config->idle_exit,
                                                   idle_timeout_cb, main_state);
}

/* In the main thread after the last call in flight was released. */
static gboolean
calls_drained (gpointer user_data)
{
  VtDaemonMain *main_state = user_data;

  if (g_atomic_int_get (&main_state->base.busy) > 0)
    return G_SOURCE_REMOVE;
  if (!main_state->stopping)
    idle_rearm (main_state);
  else
    {
      g_message ("the last call in flight finished; exiting");
      g_main_loop_quit (main_state->base.loop);
    }
  return G_SOURCE_REMOVE;
}

void
vt_daemon_hold (VtDaemon *daemon)
{
  g_atomic_int_inc (&daemon->busy);
}

void
vt_daemon_release (VtDaemon *daemon)
{
  /* base is the first member, so the daemon is our VtDaemonMain. */
  if (g_atomic_int_dec_and_test (&daemon->busy))
    g_main_context_invoke (NULL, calls_drained, (VtDaemonMain *) daemon);
}

static gboolean
watchdog_cb (gpointer user_data)
{
  sd_notify (0, "WATCHDOG=1");
  return G_SOURCE_CONTINUE;
}

static void
start_watchdog (VtDaemonMain *main_state)
{
  uint64_t usec = 0;

  if (sd_watchdog_enabled (0, &usec) <= 0 || usec == 0)
    return;
  main_state->watchdog_source = g_timeout_add (MAX (usec / 2000, 1), watchdog_cb, NULL);
}

/* --- the bus ------------------------------------------------------------------------- */

static void
on_bus_acquired (GDBusConnection *bus, const char *name, gpointer user_data)
{
  VtDaemonMain *main_state = user_data;
  VtDaemon *daemon = &main_state->base;
  g_autoptr (GError) error = NULL;

  daemon->bus = g_object_ref (bus);
  if (!g_dbus_interface_skeleton_export (G_DBUS_INTERFACE_SKELETON (daemon->skeleton), bus,
                                         VT_OBJECT_PATH, &error))
    {
      g_printerr ("virtuned: cannot export %s: %s\n", VT_OBJECT_PATH, error->message);
      main_state->exit_status = 1;
      g_main_loop_quit (daemon->loop);
    }
}

static void
on_name_acquired (GDBusConnection *bus, const char *name, gpointer user_data)
{
  VtDaemonMain *main_state = user_data;
  g_autofree char *status = g_strdup_printf ("Serving %s on the %s bus for %s", name,
                                             main_state->base.session_bus ? "session" : "system",
                                             vt_connection_uri (main_state->base.conn));

  main_state->name_acquired = TRUE;
  g_info ("%s", status);
  sd_notifyf (0, "READY=1\nSTATUS=%s", status);
  start_watchdog (main_state);
  idle_rearm (main_state);
}

/* Runs before the fronts' handlers of every method (connected first; a TRUE return
 * ends the emission). While stopping it answers the call itself with an error. */
static void
guard_marshal (GClosure *closure, GValue *return_value, guint n_param_values,
               const GValue *param_values, gpointer invocation_hint, gpointer marshal_data)
{
  VtDaemonMain *main_state = closure->data;
  GDBusMethodInvocation *invocation = g_value_get_object (&param_values[1]);

  if (main_state->stopping)
    g_dbus_method_invocation_return_error_literal (
        invocation, G_DBUS_ERROR, G_DBUS_ERROR_NO_SERVER,
        "virtuned is stopping and takes no new calls; call again to reach a new instance");
  g_value_set_boolean (return_value, main_state->stopping);
}

static void
guard_methods (VtDaemonMain *main_state)
{
  guint n_ids = 0;
  g_autofree guint *ids = g_signal_list_ids (VT_DBUS_TYPE_MANAGER, &n_ids);

  for (guint i = 0; i < n_ids; i++)
    {
      GClosure *closure;

      if (!g_str_has_prefix (g_signal_name (ids[i]), "handle-"))
        continue;
      closure = g_closure_new_simple (sizeof (GClosure), main_state);
      g_closure_set_marshal (closure, guard_marshal);
      g_signal_connect_closure_by_id (main_state->base.skeleton, ids[i], 0, closure, FALSE);
    }
}

static void
on_name_lost (GDBusConnection *bus, const char *name, gpointer user_data)
{
  VtDaemonMain *main_state = user_data;

  if (bus == NULL)
    g_printerr ("virtuned: cannot connect to the %s bus\n",
                main_state->base.session_bus ? "session" : "system");
  else if (main_state->name_acquired)
    g_printerr ("virtuned: lost the bus name %s\n", name);
  else
    g_printerr ("virtuned: the bus name %s is already taken (is another virtuned "
                "running?)\n", name);
  main_state->exit_status = 1;
  begin_stop (main_state, "no bus name");
}

static void
create_skeleton (VtDaemonMain *main_state)
{
  VtDaemon *daemon = &main_state->base;
  const char *no_scenarios[] = { NULL };

  daemon->skeleton = vt_dbus_manager_skeleton_new ();
  vt_dbus_manager_set_version (daemon->skeleton, VT_VERSION);
  vt_dbus_manager_set_hypervisor_uri (daemon->skeleton, vt_connection_uri (daemon->conn));
  vt_dbus_manager_set_tuned_scenarios (daemon->skeleton, no_scenarios);
  guard_methods (main_state);
  vt_front_render_register (daemon);
  vt_front_define_register (daemon);
  vt_front_host_register (daemon);
  vt_front_sev_register (daemon);
}

static gboolean
on_quit_signal (gpointer user_data)
{
  /* Stays installed: a second signal must not fall back to the default (death). */
  begin_stop (user_data, "terminating on signal");
  return G_SOURCE_CONTINUE;
}

/* --- teardown ------------------------------------------------------------------------ */

static void
daemon_teardown (VtDaemonMain *main_state)
{
  VtDaemon *daemon = &main_state->base;

  g_clear_handle_id (&main_state->owner_id, g_bus_unown_name);
  g_clear_handle_id (&main_state->idle_source, g_source_remove);
  g_clear_handle_id (&main_state->watchdog_source, g_source_remove);
  g_clear_handle_id (&main_state->sigterm_source, g_source_remove);
  g_clear_handle_id (&main_state->sigint_source, g_source_remove);
  if (daemon->skeleton != NULL)
    {
      GDBusInterfaceSkeleton *iface = G_DBUS_INTERFACE_SKELETON (daemon->skeleton);

      if (g_dbus_interface_skeleton_get_connection (iface) != NULL)
        g_dbus_interface_skeleton_unexport (iface);
      g_clear_object (&daemon->skeleton);
    }
  if (daemon->bus != NULL)
    g_dbus_connection_flush_sync (daemon->bus, NULL, NULL);
  g_clear_object (&daemon->bus);
  g_clear_pointer (&daemon->loop, g_main_loop_unref);
  g_clear_pointer (&daemon->domcaps, vt_domcaps_free);
  g_clear_pointer (&daemon->domcaps_warning, g_free);
  g_clear_pointer (&daemon->policies, vt_policy_set_free);
  g_clear_pointer (&daemon->conn, vt_connection_free);
  g_clear_pointer (&daemon->config, vt_config_free);
}

/* --- the catalog as documentation ---------------------------------------------------- */

static const char *
type_name (VtSettingType type)
{
  switch (type)
    {
    case VT_TYPE_BOOL: return "bool";
    case VT_TYPE_ENUM: return "enum";
    case VT_TYPE_INT: return "int";
    case VT_TYPE_SIZE: return "size";
    case VT_TYPE_WORDS: return "words";
    case VT_TYPE_MACHINE: return "machine";
    case VT_TYPE_HEX: return "hex";
    }
  return "?";
}

/* Markdown table cell: '|' would end the cell, '<' would start HTML. */
static char *
markdown_cell (const char *text)
{
  GString *out = g_string_new (NULL);

  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '|')
        g_string_append (out, "\\|");
      else if (*p == '<')
        g_string_append (out, "&lt;");
      else if (*p == '>')
        g_string_append (out, "&gt;");
      else
        g_string_append_c (out, *p);
    }
  return g_string_free (out, FALSE);
}

/* The README's settings table is this output verbatim; a test compares them. */
static void
print_catalog (void)
{
  guint n = 0;
  const VtCatalogEntry *entries = vt_catalog_entries (&n);

  g_print ("| Key | Type | Allowed values | Meaning |\n");
  g_print ("|---|---|---|---|\n");
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *values = vt_catalog_describe_values (&entries[i]);
      g_autofree char *values_cell = markdown_cell (values);
      g_autofree char *help_cell = markdown_cell (entries[i].help);

      g_print ("| `%s` | %s | %s | %s |\n", entries[i].key, type_name (entries[i].type),
               values_cell, help_cell);
    }
}

/* --- main ---------------------------------------------------------------------------- */

static gboolean
daemon_start (VtDaemonMain *main_state, const VtOptions *options, GError **error)
{
  VtDaemon *daemon = &main_state->base;

  if (!load_config (daemon, options, error))
    return FALSE;
  load_policies (daemon, options);
  daemon->conn = vt_connection_new (daemon->config->uri);
  if (!load_domcaps (daemon, error))
    return FALSE;
  daemon->loop = g_main_loop_new (NULL, FALSE);
  create_skeleton (main_state);
  main_state->sigterm_source = g_unix_signal_add (SIGTERM, on_quit_signal, main_state);
  main_state->sigint_source = g_unix_signal_add (SIGINT, on_quit_signal, main_state);
  main_state->owner_id = g_bus_own_name (options->session ? G_BUS_TYPE_SESSION
                                                          : G_BUS_TYPE_SYSTEM,
                                         VT_BUS_NAME, G_BUS_NAME_OWNER_FLAGS_DO_NOT_QUEUE,
                                         on_bus_acquired, on_name_acquired, on_name_lost,
                                         main_state, NULL);
  return TRUE;
}

int
main (int argc, char **argv)
{
  g_auto (VtOptions) options = { 0 };
  VtDaemonMain main_state = { 0 };
  g_autoptr (GError) error = NULL;

  g_log_set_writer_func (log_writer, NULL, NULL);
  virSetErrorFunc (NULL, silence_libvirt);
  if (!parse_options (&options, &argc, &argv, &error))
    {
      g_printerr ("virtuned: %s (see --help)\n", error->message);
      return 2;
    }
  if (options.print_catalog)
    {
      print_catalog ();
      return 0;
    }
  if (!daemon_start (&main_state, &options, &error))
    {
      g_printerr ("virtuned: %s\n", error->message);
      daemon_teardown (&main_state);
      return 1;
    }
  g_main_loop_run (main_state.base.loop);
  daemon_teardown (&main_state);
  return main_state.exit_status;
}
