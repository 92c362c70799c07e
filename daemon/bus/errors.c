/* virtuned — VtErrorCode <-> named D-Bus errors (SPEC §5). */
#include "bus/errors.h"

#include "util/error.h"

/* Indexed by VtErrorCode; the static assert keeps it in step with error.h. */
static const char *const error_names[] = {
  [VT_ERROR_FAILED] = "org.virtscenario.Error.Failed",
  [VT_ERROR_INVALID_DESCRIPTION] = "org.virtscenario.Error.InvalidDescription",
  [VT_ERROR_UNKNOWN_SCENARIO] = "org.virtscenario.Error.UnknownScenario",
  [VT_ERROR_CONFLICT] = "org.virtscenario.Error.Conflict",
  [VT_ERROR_UNSUPPORTED] = "org.virtscenario.Error.Unsupported",
  [VT_ERROR_LIBVIRT] = "org.virtscenario.Error.Libvirt",
  [VT_ERROR_HOST_TUNING] = "org.virtscenario.Error.HostTuning",
  [VT_ERROR_IN_CONTAINER] = "org.virtscenario.Error.InContainer",
  [VT_ERROR_ATTESTATION_FAILED] = "org.virtscenario.Error.AttestationFailed",
  [VT_ERROR_UNKNOWN_DOMAIN] = "org.virtscenario.Error.UnknownDomain",
  [VT_ERROR_ACCESS_DENIED] = "org.freedesktop.DBus.Error.AccessDenied",
};
G_STATIC_ASSERT (G_N_ELEMENTS (error_names) == VT_ERROR_N_CODES);

/* Registers VT_ERROR with GDBus so GErrors cross the bus both ways under their names.
 * AccessDenied is GIO's own G_DBUS_ERROR_ACCESS_DENIED name and cannot be registered a
 * second time; vt_bus_return_error names it explicitly instead. */
static void
register_error_domain (void)
{
  static gsize registered = 0;
  static gsize quark = 0;
  static GDBusErrorEntry entries[VT_ERROR_ACCESS_DENIED];

  if (!g_once_init_enter (&registered))
    return;
  for (guint code = 0; code < VT_ERROR_ACCESS_DENIED; code++)
    {
      entries[code].error_code = (gint) code;
      entries[code].dbus_error_name = error_names[code];
    }
  g_dbus_error_register_error_domain ("vt-error-quark", &quark, entries,
                                      G_N_ELEMENTS (entries));
  g_once_init_leave (&registered, 1);
}

static const char *
error_name_for (const GError *error)
{
  if (error->domain == VT_ERROR && error->code >= 0 && error->code < VT_ERROR_N_CODES)
    return error_names[error->code];
  return error_names[VT_ERROR_FAILED];
}

/* The D-Bus name of @error: GDBus's own errors (InvalidArgs, AccessDenied...) keep their
 * standard names, VT_ERROR codes are org.virtscenario.Error.*. */
static char *
dbus_name_for (const GError *error)
{
  register_error_domain ();
  if (error->domain == G_DBUS_ERROR)
    return g_dbus_error_encode_gerror (error);
  return g_strdup (error_name_for (error));
}

void
vt_bus_return_error (GDBusMethodInvocation *invocation, const GError *error)
{
  /* Messages may quote caller bytes (a key, a name); D-Bus strings must be UTF-8. */
  g_autofree char *message = g_utf8_make_valid (error->message, -1);
  g_autofree char *name = dbus_name_for (error);

  g_dbus_method_invocation_return_dbus_error (invocation, name, message);
}

GDBusMessage *
vt_bus_error_reply (GDBusMessage *call, const GError *error)
{
  g_autofree char *message = g_utf8_make_valid (error->message, -1);
  g_autofree char *name = dbus_name_for (error);

  return g_dbus_message_new_method_error_literal (call, name, message);
}
