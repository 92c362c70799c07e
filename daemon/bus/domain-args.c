/* Checks of the domain methods' shared arguments. */
#include "bus/domain-args.h"

#include <string.h>

#include "bus/target.h"
#include "model/description.h"
#include "model/limits.h"
#include "util/echo.h"

gboolean
vt_bus_check_domain (const char *domain, GError **error)
{
  g_autofree char *shown = NULL;

  if (vt_name_is_valid (domain))
    return TRUE;
  shown = vt_echo (domain);
  g_set_error (error, G_DBUS_ERROR, G_DBUS_ERROR_INVALID_ARGS,
               "domain '%s' is not a domain name (1..64 of A-Z a-z 0-9 _ . + -, not starting "
               "with - or .)", shown);
  return FALSE;
}

gboolean
vt_bus_check_alias (const char *alias, GError **error)
{
  g_autofree char *shown = NULL;
  gsize len = strlen (alias);

  if (g_str_has_prefix (alias, "ua-") && len > 3 && len <= VT_DEVICE_ALIAS_MAX
      && strspn (alias + 3, "abcdefghijklmnopqrstuvwxyz0123456789-") == len - 3)
    return TRUE;
  shown = vt_echo (alias);
  g_set_error (error, G_DBUS_ERROR, G_DBUS_ERROR_INVALID_ARGS,
               "'%s' is not a device alias (ua- and up to %d of a-z 0-9 -, as ListDevices "
               "shows them)", shown, VT_DEVICE_ALIAS_MAX - 3);
  return FALSE;
}

int
vt_bus_option_tristate (GVariant *options, const char *name)
{
  g_autoptr (GVariant) value = g_variant_lookup_value (options, name, G_VARIANT_TYPE_BOOLEAN);

  return value != NULL ? g_variant_get_boolean (value) : -1;
}

gboolean
vt_bus_domain_host (VtDaemon *daemon, const char *method, const char *connection,
                    VtDomainHost *host, GError **error)
{
  VtHypervisor *hv = vt_bus_hypervisor (daemon, method, connection, error);

  if (hv == NULL)
    return FALSE;
  host->conn = vt_hypervisor_connection (hv);
  host->caps = vt_hypervisor_caps_or_fallback (hv, error);
  if (host->caps == NULL)
    return FALSE;
  host->inputs = (VtDeviceInputs) { daemon->policies, daemon->oses, host->caps->domcaps,
                                    vt_hypervisor_config (hv) };
  return TRUE;
}

void
vt_bus_domain_host_clear (VtDomainHost *host)
{
  g_clear_pointer (&host->caps, vt_host_caps_unref);
}
