#include "bus/options.h"

#include <gio/gio.h>

static const VtBoolOption *
find_option (const VtBoolOption *known, const char *key)
{
  for (const VtBoolOption *o = known; o->name; o++)
    if (g_str_equal (o->name, key))
      return o;
  return NULL;
}

static gboolean
refuse_option (const VtBoolOption *known, const char *method, const char *key,
               const char *problem, GError **error)
{
  g_autoptr (GString) accepted = g_string_new (NULL);

  for (const VtBoolOption *o = known; o->name; o++)
    g_string_append_printf (accepted, "%s%s", accepted->len ? ", " : "", o->name);
  if (accepted->len)
    g_string_prepend (accepted, "takes the booleans ");
  else
    g_string_assign (accepted, "takes no options");
  g_set_error (error, G_DBUS_ERROR, G_DBUS_ERROR_INVALID_ARGS, "%s option '%.64s' %s (%s %s)",
               method, key, problem, method, accepted->str);
  return FALSE;
}

gboolean
vt_options_parse_bools (GVariant *options, const char *method, const VtBoolOption *known,
                        GError **error)
{
  GVariantIter iter;
  const char *key;
  GVariant *value;

  g_variant_iter_init (&iter, options);
  while (g_variant_iter_loop (&iter, "{&sv}", &key, &value))
    {
      const VtBoolOption *option = find_option (known, key);

      if (!option)
        {
          refuse_option (known, method, key, "is unknown", error);
          g_variant_unref (value);
          return FALSE;
        }
      if (!g_variant_is_of_type (value, G_VARIANT_TYPE_BOOLEAN))
        {
          refuse_option (known, method, key, "must be a boolean", error);
          g_variant_unref (value);
          return FALSE;
        }
      *option->value = g_variant_get_boolean (value);
    }
  return TRUE;
}
