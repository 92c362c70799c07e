/* The device context and the questions device builders ask of it. */
#include "domain/context.h"

#include "domain/xml-tree.h"
#include "util/error.h"

VtDeviceContext
vt_device_context (const VtSettings *settings, const VtDomcaps *caps)
{
  VtDeviceContext ctx = { settings, caps };

  ctx.sev = vt_settings_is (settings, "guest.sev", "sev") ||
            vt_settings_is (settings, "guest.sev", "sev-es");
  ctx.iothreads = (guint) CLAMP (vt_settings_get_int (settings, "guest.iothreads", 0), 0, 64);
  return ctx;
}

const char *
vt_device_setting (const VtDeviceContext *ctx, const char *key, const char *fallback)
{
  const char *value = vt_settings_get (ctx->settings, key);

  return value ? value : fallback;
}

/* "a, b, c", or "nothing" for an enum the host knows but lists empty. */
static char *
offered (const VtDomcaps *caps, const char *enum_name)
{
  GPtrArray *values = g_hash_table_lookup (caps->enums, enum_name);
  GString *list = g_string_new (NULL);

  for (guint i = 0; values && i < values->len; i++)
    g_string_append_printf (list, "%s%s", i ? ", " : "", (const char *) values->pdata[i]);
  if (list->len == 0)
    g_string_append (list, "nothing");
  return g_string_free (list, FALSE);
}

gboolean
vt_device_host_offers (const VtDeviceContext *ctx, const char *key, const char *value,
                       const char *enum_name, const char *enum_value, GError **error)
{
  g_autofree char *list = NULL;

  if (vt_domcaps_supports (ctx->caps, enum_name, enum_value ? enum_value : value))
    return TRUE;
  list = offered (ctx->caps, enum_name);
  if (enum_value)
    g_set_error (error, VT_ERROR, VT_ERROR_UNSUPPORTED,
                 "%s: '%s' needs %s, which this host's %s lacks (it lists %s)", key, value,
                 enum_value, enum_name, list);
  else
    g_set_error (error, VT_ERROR, VT_ERROR_UNSUPPORTED,
                 "%s: '%s' is not supported by this host (%s lists %s)", key, value, enum_name,
                 list);
  return FALSE;
}

xmlNodePtr
vt_device_add_iommu_driver (const VtDeviceContext *ctx, xmlNodePtr device)
{
  if (!ctx->sev)
    return NULL;
  return vt_tree_add_with (device, "driver", "iommu", "on");
}
