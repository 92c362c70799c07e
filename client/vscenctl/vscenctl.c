/* vscenctl — command-line client of org.virtscenario.Manager (SPEC §6). This file holds
 * the global options, the shared input helpers and the read-only commands; define, host
 * and sev live in their own files, output helpers in output.c, authorization in agent.c. */
#include "vscenctl.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "model/limits.h"
#include "vt-config.h"
#include "vt-manager-generated.h"

#define VT_BUS_NAME "org.virtscenario.Manager"
#define VT_OBJECT_PATH "/org/virtscenario/Manager"
#define VT_INTERFACE "org.virtscenario.Manager"
#define READ_ONLY_TIMEOUT_MS (30 * 1000)

static const char usage_text[] =
  "Usage: vscenctl [--system|--session] [--json] [--connection NAME] COMMAND [ARGS]\n"
  "\n"
  "Renders, defines and host-tunes virtual machines through the virtuned daemon.\n"
  "\n"
  "Commands:\n"
  "  scenarios                        list the scenario policies\n"
  "  scenario NAME                    show one policy (includes resolved)\n"
  "  render FILE|- [--explain]        print the domain XML for a description\n"
  "  os list [FILTER]                 guest OSes os: accepts (short-id or name contains FILTER)\n"
  "  connections                      the libvirt hosts virtuned knows, and what they are\n"
  "  plan FILE|- [CONNECTION...]      which hosts the described VM fits, and why not\n"
  "  pools                            the host's storage pools; allowed: usable by define\n"
  "  networks                         the host's networks; allowed: usable by define\n"
  "  define FILE|- [--start paused|running]\n"
  "                                   define the domain in libvirt (and start it)\n"
  "  domain describe DOMAIN           the description a domain was defined from\n"
  "  device list DOMAIN [--live|--config]\n"
  "                                   its devices: alias, kind, summary, guest identity\n"
  "  device render DOMAIN DEVICE|-    the XML attach would attach (DEVICE: '{pool: P, size: S}')\n"
  "  device attach DOMAIN DEVICE|- [--live] [--config]   hot-plug it; prints its alias\n"
  "  device detach DOMAIN ALIAS [--live] [--config]      prints removed or pending\n"
  "          [--delete-storage]       and delete a volume virtuned created (once removed)\n"
  "  diff DOMAIN                      what re-rendering its description today changes\n"
  "  upgrade DOMAIN [--backend-only]  apply that with a redefine (next start)\n"
  "  host check [SCENARIO...]         compare host settings with what scenarios want\n"
  "  host tune SCENARIO... [--dry-run] [--persistent]\n"
  "  host revert                      restore the recorded original host settings\n"
  "  sev info                         AMD SEV platform information\n"
  "  sev export-pdh DIR               write the platform's pdh.b64 and cert-chain.b64\n"
  "  sev attest DOMAIN --tik FILE --tek FILE [--firmware FILE] [--secret FILE] ...\n"
  "                                   attest a paused SEV domain, inject, resume\n"
  "  sev measurement DOMAIN           a paused SEV domain's launch measurement\n"
  "  sev inject DOMAIN --secret-header FILE --secret-payload FILE [--resume]\n"
  "  sev verify --measurement B64 --tik FILE --tek FILE --firmware FILE ...\n"
  "                                   check a launch measurement offline (no daemon)\n"
  "  sev build-secret --measurement B64 --tik FILE --tek FILE --inject-secret NAME:FILE\n"
  "      --secret-header FILE --secret-payload FILE ...   build a launch secret offline\n"
  "\n"
  "Options:\n"
  "  --system     talk to the daemon on the system bus (default)\n"
  "  --session    talk to the daemon on the session bus\n"
  "  --json       machine-readable output\n"
  "  --connection NAME\n"
  "               the libvirt host (virtuned.conf [connection NAME]) of every command\n"
  "               that uses one (host: only this machine); default: the default one\n"
  "  --help       show this help\n"
  "  --version    show the version\n"
  "\n"
  "Exit status: 0 success, 1 failure, 2 usage error, 4 not authorized.\n";

/* --- shared helpers (vscenctl.h) ----------------------------------------------------- */

int
vt_ctl_fail (const GError *error)
{
  g_autoptr (GError) copy = g_error_copy (error);
  gboolean denied = g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_ACCESS_DENIED);

  if (!denied && g_dbus_error_is_remote_error (error))
    {
      g_autofree char *name = g_dbus_error_get_remote_error (error);

      denied = g_strcmp0 (name, "org.freedesktop.DBus.Error.AccessDenied") == 0;
    }
  g_autofree char *shown = NULL;

  g_dbus_error_strip_remote_error (copy);
  /* The message may quote text from anyone (the daemon bounds and escapes what it
   * echoes, but this is the last line before the terminal). */
  shown = vt_ctl_printable (copy->message, NULL);
  g_printerr ("vscenctl: %s\n", shown);
  return denied ? VT_EXIT_DENIED : VT_EXIT_FAILED;
}

int
vt_ctl_usage (const char *message)
{
  g_printerr ("vscenctl: %s (see vscenctl --help)\n", message);
  return VT_EXIT_USAGE;
}

/* The reply type of @method: its out arguments in the introspection XML, compiled in by
 * gdbus-codegen (static data, no GType). A reply of another type is an error, not a
 * crash in g_variant_get(). */
static GVariantType *
reply_type (const char *method)
{
  GDBusMethodInfo *info = g_dbus_interface_info_lookup_method (vt_dbus_manager_interface_info (),
                                                               method);
  g_autoptr (GString) signature = g_string_new ("(");

  g_assert (info != NULL);
  for (guint i = 0; info->out_args != NULL && info->out_args[i] != NULL; i++)
    g_string_append (signature, info->out_args[i]->signature);
  g_string_append_c (signature, ')');
  return g_variant_type_new (signature->str);
}

GVariant *
vt_ctl_call (VtCtl *ctl, const char *method, GVariant *parameters, GDBusCallFlags flags,
             GError **error)
{
  g_autoptr (GVariant) owned = parameters != NULL ? g_variant_ref_sink (parameters) : NULL;
  g_autoptr (GVariantType) type = reply_type (method);

  if (ctl->bus == NULL)
    ctl->bus = g_bus_get_sync (ctl->bus_type, NULL, error);
  if (ctl->bus == NULL)
    return NULL;
  /* Without G_DBUS_CALL_FLAGS_NO_AUTO_START: on the system bus, where virtuned is
   * D-Bus-activatable, the bus starts it for this very message, with no extra round trip. */
  return g_dbus_connection_call_sync (ctl->bus, VT_BUS_NAME, VT_OBJECT_PATH, VT_INTERFACE,
                                      method, owned, type, flags, ctl->timeout_ms, NULL,
                                      error);
}

void
vt_ctl_add_connection (const VtCtl *ctl, GVariantDict *options)
{
  if (ctl->connection != NULL)
    g_variant_dict_insert (options, "connection", "s", ctl->connection);
}

void
vt_ctl_build_connection (const VtCtl *ctl, GVariantBuilder *options)
{
  if (ctl->connection != NULL)
    g_variant_builder_add (options, "{sv}", "connection",
                           g_variant_new_string (ctl->connection));
}

GVariant *
vt_ctl_connection_options (const VtCtl *ctl)
{
  GVariantBuilder options;

  g_variant_builder_init (&options, G_VARIANT_TYPE_VARDICT);
  vt_ctl_build_connection (ctl, &options);
  return g_variant_builder_end (&options);
}

static gboolean
read_stream (FILE *stream, const char *path, GByteArray *buffer, GError **error)
{
  guint8 chunk[4096];
  size_t n;

  while ((n = fread (chunk, 1, sizeof chunk, stream)) > 0)
    {
      g_byte_array_append (buffer, chunk, (guint) n);
      if (buffer->len > VT_DESCRIPTION_MAX_BYTES)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE,
                       "%s is larger than 64 KiB", path);
          return FALSE;
        }
    }
  if (ferror (stream))
    {
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno), "cannot read %s: %s",
                   path, g_strerror (errno));
      return FALSE;
    }
  return TRUE;
}

char *
vt_ctl_read_description (const char *path, GError **error)
{
  g_autoptr (GByteArray) buffer = g_byte_array_new ();
  gboolean is_stdin = g_str_equal (path, "-");
  const char *label = is_stdin ? "standard input" : path;
  FILE *stream = is_stdin ? stdin : fopen (path, "rb");
  gboolean ok;

  if (stream == NULL)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), "cannot open %s: %s",
                   path, g_strerror (saved));
      return NULL;
    }
  ok = read_stream (stream, label, buffer, error);
  if (!is_stdin)
    fclose (stream);
  if (!ok)
    return NULL;
  /* D-Bus strings are NUL-free UTF-8; say so here rather than let the bus refuse. */
  if (memchr (buffer->data, '\0', buffer->len) != NULL
      || !g_utf8_validate ((const char *) buffer->data, buffer->len, NULL))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s is not UTF-8 text", label);
      return NULL;
    }
  g_byte_array_append (buffer, (const guint8 *) "", 1);
  return (char *) g_byte_array_free (g_steal_pointer (&buffer), FALSE);
}

/* --- commands ------------------------------------------------------------------------ */

static int
cmd_scenarios (VtCtl *ctl, int argc, char **argv)
{
  static const char *const fields[] = { "name", "summary", NULL };
  static const char *const header[] = { "NAME", "SUMMARY", NULL };
  g_autoptr (GVariant) reply = NULL;
  g_autoptr (GVariant) scenarios = NULL;
  g_autoptr (GError) error = NULL;

  if (argc != 1)
    return vt_ctl_usage ("'scenarios' takes no arguments");
  reply = vt_ctl_call (ctl, "ListScenarios", NULL, G_DBUS_CALL_FLAGS_NONE, &error);
  if (reply == NULL)
    return vt_ctl_fail (error);
  g_variant_get (reply, "(@a(ss))", &scenarios);
  vt_ctl_print_rows (ctl, scenarios, fields, header);
  return VT_EXIT_OK;
}

static int
cmd_scenario (VtCtl *ctl, int argc, char **argv)
{
  g_autoptr (GVariant) reply = NULL;
  g_autofree char *policy = NULL;
  g_autoptr (GError) error = NULL;

  if (argc != 2)
    return vt_ctl_usage ("'scenario' takes exactly one NAME");
  reply = vt_ctl_call (ctl, "DescribeScenario", g_variant_new ("(s)", argv[1]),
                       G_DBUS_CALL_FLAGS_NONE, &error);
  if (reply == NULL)
    return vt_ctl_fail (error);
  g_variant_get (reply, "(s)", &policy);
  if (ctl->json)
    {
      g_autoptr (GString) json = g_string_new ("{\"name\": ");

      vt_ctl_json_string (json, argv[1]);
      g_string_append (json, ", \"policy\": ");
      vt_ctl_json_string (json, policy);
      g_string_append_c (json, '}');
      vt_ctl_print_json (json);
    }
  else
    {
      g_autofree char *shown = vt_ctl_printable (policy, "\n\t");

      g_print ("%s%s", shown, g_str_has_suffix (shown, "\n") ? "" : "\n");
    }
  return VT_EXIT_OK;
}

static void
print_render_json (const char *xml, GVariant *provenance, GVariant *warnings)
{
  static const char *const fields[] = { "key", "value", "layer", NULL };
  g_autoptr (GString) json = g_string_new ("{\"domain_xml\": ");

  vt_ctl_json_string (json, xml);
  g_string_append (json, ", \"provenance\": ");
  vt_ctl_json_append_tuples (json, provenance, fields);
  g_string_append (json, ", \"warnings\": ");
  vt_ctl_json_append_value (json, warnings);
  g_string_append_c (json, '}');
  vt_ctl_print_json (json);
}

static void
print_render_text (const char *xml, GVariant *provenance, GVariant *warnings, gboolean explain)
{
  g_autofree char *shown = vt_ctl_printable (xml, "\n\t");
  GVariantIter iter;
  const char *warning;

  g_print ("%s%s", shown, g_str_has_suffix (shown, "\n") ? "" : "\n");
  if (explain)
    {
      static const char *const header[] = { "KEY", "VALUE", "LAYER", NULL };

      g_print ("\n");
      vt_ctl_print_tuples (provenance, header);
    }
  /* Keep the warnings after the output they qualify, even when stdout is a pipe. */
  fflush (stdout);
  g_variant_iter_init (&iter, warnings);
  while (g_variant_iter_next (&iter, "&s", &warning))
    {
      g_autofree char *warning_shown = vt_ctl_printable (warning, NULL);

      g_printerr ("warning: %s\n", warning_shown);
    }
}

static int
cmd_render (VtCtl *ctl, int argc, char **argv)
{
  const char *path = NULL;
  gboolean explain = FALSE;
  g_autofree char *text = NULL;
  g_autoptr (GVariant) reply = NULL;
  g_autofree char *xml = NULL;
  g_autoptr (GVariant) provenance = NULL;
  g_autoptr (GVariant) warnings = NULL;
  g_autoptr (GError) error = NULL;
  GVariantDict options;

  for (int i = 1; i < argc; i++)
    {
      if (g_str_equal (argv[i], "--explain"))
        explain = TRUE;
      else if (argv[i][0] == '-' && argv[i][1] != '\0')
        return vt_ctl_usage ("'render' knows only --explain");
      else if (path != NULL)
        return vt_ctl_usage ("'render' takes one FILE");
      else
        path = argv[i];
    }
  if (path == NULL)
    return vt_ctl_usage ("'render' needs a FILE (or - for standard input)");
  text = vt_ctl_read_description (path, &error);
  if (text == NULL)
    return vt_ctl_fail (error);
  g_variant_dict_init (&options, NULL);
  vt_ctl_add_connection (ctl, &options);
  /* The provenance table only when it is shown: it is most of the reply's cost. */
  if (!explain && !ctl->json)
    g_variant_dict_insert (&options, "provenance", "b", FALSE);
  reply = vt_ctl_call (ctl, "Render",
                       g_variant_new ("(s@a{sv})", text, g_variant_dict_end (&options)),
                       G_DBUS_CALL_FLAGS_NONE, &error);
  if (reply == NULL)
    return vt_ctl_fail (error);
  /* "s", not "&s": a borrowed string makes g_variant_get() serialize the whole reply,
   * which GDBus hands over as a tree of values, into one buffer first. */
  g_variant_get (reply, "(s@a(sss)@as)", &xml, &provenance, &warnings);
  if (ctl->json)
    print_render_json (xml, provenance, warnings);
  else
    print_render_text (xml, provenance, warnings, explain);
  return VT_EXIT_OK;
}

typedef struct {
  const char *name;
  int (*run) (VtCtl *ctl, int argc, char **argv);
  gboolean mutating;     /* may wait for interactive polkit authentication */
} VtCommand;

static const VtCommand commands[] = {
  { "scenarios", cmd_scenarios, FALSE },
  { "scenario", cmd_scenario, FALSE },
  { "render", cmd_render, FALSE },
  { "define", vt_cmd_define, TRUE },
  { "host", vt_cmd_host, TRUE },
  { "sev", vt_cmd_sev, TRUE },
  { "os", vt_cmd_os, FALSE },
  { "connections", vt_cmd_connections, FALSE },
  { "plan", vt_cmd_plan, FALSE },
  { "domain", vt_cmd_domain, FALSE },
  { "device", vt_cmd_device, TRUE },
  { "diff", vt_cmd_diff, FALSE },
  { "upgrade", vt_cmd_upgrade, TRUE },
  { "pools", vt_cmd_pools, FALSE },
  { "networks", vt_cmd_networks, FALSE },
};

/* --- main ---------------------------------------------------------------------------- */

typedef struct {
  GBusType bus;
  gboolean json;
  const char *connection;
  int argc;          /* the command and its arguments, global options removed */
  char **argv;
} VtArgs;

/* Global options may stand anywhere; returns -1 to go on, else an exit code. */
static int
parse_global (int argc, char **argv, VtArgs *args)
{
  gboolean session = FALSE, system = FALSE;

  args->bus = G_BUS_TYPE_SYSTEM;
  args->argv = g_new0 (char *, argc + 1);
  for (int i = 1; i < argc; i++)
    {
      if (g_str_equal (argv[i], "--session"))
        session = TRUE;
      else if (g_str_equal (argv[i], "--system"))
        system = TRUE;
      else if (g_str_equal (argv[i], "--json"))
        args->json = TRUE;
      else if (g_str_equal (argv[i], "--connection") && i + 1 < argc && *argv[i + 1] != '\0')
        args->connection = argv[++i];
      else if (g_str_equal (argv[i], "--connection"))
        return vt_ctl_usage ("--connection needs a NAME");
      else if (g_str_equal (argv[i], "--help") || g_str_equal (argv[i], "-h"))
        {
          g_print ("%s", usage_text);
          return VT_EXIT_OK;
        }
      else if (g_str_equal (argv[i], "--version"))
        {
          g_print ("vscenctl %s\n", VT_VERSION);
          return VT_EXIT_OK;
        }
      else
        args->argv[args->argc++] = argv[i];
    }
  if (session && system)
    return vt_ctl_usage ("--session and --system exclude each other");
  if (session)
    args->bus = G_BUS_TYPE_SESSION;
  if (args->argc == 0)
    return vt_ctl_usage ("no command given");
  return -1;
}

static const VtCommand *
find_command (const char *name)
{
  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_str_equal (commands[i].name, name))
      return &commands[i];
  return NULL;
}

static int
run_command (const VtCommand *command, VtArgs *args)
{
  /* Mutating calls may wait for a person to authenticate to polkit. */
  VtCtl ctl = { .bus_type = args->bus,
                .timeout_ms = command->mutating ? G_MAXINT : READ_ONLY_TIMEOUT_MS,
                .json = args->json, .interactive = isatty (STDIN_FILENO),
                .connection = args->connection };
  int status = command->run (&ctl, args->argc, args->argv);

  vt_ctl_stop_agent (&ctl);
  g_clear_object (&ctl.bus);
  return status;
}

int
main (int argc, char **argv)
{
  VtArgs args = { 0 };
  const VtCommand *command;
  int status = parse_global (argc, argv, &args);

  if (status < 0)
    {
      command = find_command (args.argv[0]);
      if (command == NULL)
        {
          g_autofree char *message = g_strdup_printf ("unknown command '%s'", args.argv[0]);

          status = vt_ctl_usage (message);
        }
      else if (vt_cmd_sev_is_offline (args.argc, args.argv))
        status = vt_cmd_sev_offline (args.json, args.argc, args.argv);   /* no bus */
      else
        status = run_command (command, &args);
    }
  g_free (args.argv);
  return status;
}
