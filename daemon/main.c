/* virtuned — entry point: the command line, logging, then the daemon (daemon.c) serving
 * the Manager object the bus layer builds (bus/manager.c). */
#include "daemon.h"

#include <libvirt/virterror.h>
#include <stdio.h>

#include "bus/manager.h"
#include "model/catalog.h"
#include "os/osinfo.h"
#include "vt-config.h"


typedef struct {
  gboolean session;
  gboolean system;
  gboolean print_catalog;
  gboolean print_osinfo_table;
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
    /* The daemon's own reader process (daemon.c, load_oses): not for people. */
    { "print-osinfo-table", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_NONE,
      &options->print_osinfo_table, NULL, NULL },
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

/* --- main ---------------------------------------------------------------------------- */

static VtDaemonOptions
daemon_options (const VtOptions *options)
{
  return (VtDaemonOptions) {
    .session = options->session,
    .config_path = options->config_path,
    .uri = options->uri,
    .domcaps_path = options->domcaps_path,
    .sysroot = options->sysroot,
    .state_dir = options->state_dir,
    .policy_dirs = (const char *const *) options->policy_dirs,
    .idle_exit = options->idle_exit,
  };
}

/* Reads the osinfo database and writes the OS table, serialized, to stdout. The daemon
 * runs this in a process of its own: libosinfo keeps about 45 MB after its loader is
 * gone, which would otherwise stay in the daemon for good. */
static int
print_osinfo_table (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (VtOsTable) table = vt_osinfo_load (NULL, &error);
  g_autoptr (GVariant) variant = NULL;

  if (table == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  variant = g_variant_ref_sink (vt_os_table_to_variant (table));
  if (fwrite (g_variant_get_data (variant), 1, g_variant_get_size (variant), stdout)
        != g_variant_get_size (variant) || fflush (stdout) != 0)
    return 1;
  return 0;
}

static int
print_catalog (void)
{
  g_autofree char *table = vt_catalog_markdown ();

  g_print ("%s", table);
  return 0;
}

int
main (int argc, char **argv)
{
  g_auto (VtOptions) options = { 0 };
  g_autoptr (GError) error = NULL;
  g_autoptr (VtDaemon) daemon = NULL;
  g_autoptr (VtManager) manager = NULL;
  VtDaemonOptions daemon_opts;

  g_log_set_writer_func (log_writer, NULL, NULL);
  virSetErrorFunc (NULL, silence_libvirt);
  if (!parse_options (&options, &argc, &argv, &error))
    {
      g_printerr ("virtuned: %s (see --help)\n", error->message);
      return 2;
    }
  if (options.print_catalog)
    return print_catalog ();
  if (options.print_osinfo_table)
    return print_osinfo_table ();
  daemon_opts = daemon_options (&options);
  daemon = vt_daemon_new (&daemon_opts, &error);
  if (daemon == NULL)
    {
      g_printerr ("virtuned: %s\n", error->message);
      return 1;
    }
  manager = vt_manager_new (daemon);
  return vt_daemon_run (daemon, G_DBUS_INTERFACE_SKELETON (manager->skeleton));
}
