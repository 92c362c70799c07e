/* vt-flood — sends the daemon calls with one oversized argument and checks each is
 * refused by name, quickly (tests/integration/test-bus-flood.sh). A C helper because the
 * argument is far larger than a command line may be (gdbus call takes it as argv).
 *
 * Usage: vt-flood METHOD BYTES CALLS ERROR_NAME MAX_MS
 *   METHOD is Render, Define, DescribeScenario or CheckHost; its string argument (for
 *   CheckHost the one element of its list) is BYTES bytes long. Exit 0 when every call
 *   failed with ERROR_NAME within MAX_MS milliseconds; one line per call on stdout. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gio/gio.h>

/* The call's arguments with @text as the large one. */
static GVariant *
arguments_for (const char *method, const char *text)
{
  GVariant *no_options = g_variant_new_array (G_VARIANT_TYPE ("{sv}"), NULL, 0);

  if (g_str_equal (method, "Render") || g_str_equal (method, "Define"))
    return g_variant_new ("(s@a{sv})", text, no_options);
  if (g_str_equal (method, "CheckHost"))
    {
      const char *list[] = { text, NULL };
      return g_variant_new ("(^as@a{sv})", list, no_options);
    }
  g_variant_unref (g_variant_ref_sink (no_options));
  if (g_str_equal (method, "DescribeScenario"))
    return g_variant_new ("(s)", text);
  return NULL;
}

/* One call: TRUE when it failed with @expected within @max_ms. */
static gboolean
call_once (GDBusConnection *bus, const char *method, GVariant *args, const char *expected,
           double max_ms, guint index)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GVariant) reply = NULL;
  g_autofree char *name = NULL;
  gint64 start = g_get_monotonic_time ();
  double ms;

  reply = g_dbus_connection_call_sync (bus, "org.virtscenario.Manager",
                                       "/org/virtscenario/Manager",
                                       "org.virtscenario.Manager", method, args, NULL,
                                       G_DBUS_CALL_FLAGS_NONE, 60000, NULL, &error);
  ms = (g_get_monotonic_time () - start) / 1000.0;
  if (reply != NULL)
    {
      printf ("call %u: succeeded, expected %s\n", index, expected);
      return FALSE;
    }
  name = g_dbus_error_get_remote_error (error);
  g_dbus_error_strip_remote_error (error);
  printf ("call %u: %s after %.1f ms: %.200s\n", index, name ? name : "(local error)", ms,
          error->message);
  return g_strcmp0 (name, expected) == 0 && ms <= max_ms;
}

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GDBusConnection) bus = NULL;
  g_autoptr (GVariant) args = NULL;
  g_autofree char *text = NULL;
  gsize bytes;
  guint calls;
  gboolean ok = TRUE;

  if (argc != 6)
    {
      fprintf (stderr, "usage: vt-flood METHOD BYTES CALLS ERROR_NAME MAX_MS\n");
      return 2;
    }
  bytes = g_ascii_strtoull (argv[2], NULL, 10);
  calls = (guint) g_ascii_strtoull (argv[3], NULL, 10);
  text = g_malloc (bytes + 1);
  memset (text, 'a', bytes);
  text[bytes] = '\0';
  args = arguments_for (argv[1], text);
  if (args == NULL)
    {
      fprintf (stderr, "vt-flood: unknown method %s\n", argv[1]);
      return 2;
    }
  g_variant_ref_sink (args);
  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  if (bus == NULL)
    {
      fprintf (stderr, "vt-flood: %s\n", error->message);
      return 1;
    }
  for (guint i = 0; i < calls; i++)
    ok = call_once (bus, argv[1], args, argv[4], g_ascii_strtod (argv[5], NULL), i + 1) && ok;
  return ok ? 0 : 1;
}
