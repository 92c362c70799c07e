#include "bus/options.h"

#include <gio/gio.h>

#include "util/echo.h"

static const VtBoolOption no_bools[] = { { NULL, NULL } };
static const VtChoiceOption no_choices[] = { { NULL, NULL, NULL } };

static const VtBoolOption *
find_bool (const VtBoolOption *bools, const char *key)
{
  for (const VtBoolOption *o = bools; o->name; o++)
    if (g_str_equal (o->name, key))
      return o;
  return NULL;
}

static const VtChoiceOption *
find_choice (const VtChoiceOption *choices, const char *key)
{
  for (const VtChoiceOption *o = choices; o->name; o++)
    if (g_str_equal (o->name, key))
      return o;
  return NULL;
}

/* "takes the booleans a, b; start: paused|running", or "takes no options". */
static char *
describe_accepted (const VtBoolOption *bools, const VtChoiceOption *choices)
{
  g_autoptr (GString) accepted = g_string_new (NULL);

  for (const VtBoolOption *o = bools; o->name; o++)
    g_string_append_printf (accepted, "%s%s", o == bools ? "the booleans " : ", ", o->name);
  for (const VtChoiceOption *o = choices; o->name; o++)
    {
      g_autofree char *values = o->choices != NULL ? g_strjoinv ("|", (char **) o->choices)
                                                   : g_strdup ("a name");

      g_string_append_printf (accepted, "%s%s: %s", accepted->len ? "; " : "", o->name, values);
    }
  if (accepted->len == 0)
    return g_strdup ("takes no options");
  g_string_prepend (accepted, "takes ");
  return g_string_free (g_steal_pointer (&accepted), FALSE);
}

static gboolean
refuse_option (const VtBoolOption *bools, const VtChoiceOption *choices, const char *method,
               const char *key, const char *problem, GError **error)
{
  g_autofree char *accepted = describe_accepted (bools, choices);
  g_autofree char *shown = vt_echo (key);

  g_set_error (error, G_DBUS_ERROR, G_DBUS_ERROR_INVALID_ARGS, "%s option '%s' %s (%s %s)",
               method, shown, problem, method, accepted);
  return FALSE;
}

static gboolean
read_choice (const VtChoiceOption *option, GVariant *value)
{
  const char *text;

  if (!g_variant_is_of_type (value, G_VARIANT_TYPE_STRING))
    return FALSE;
  text = g_variant_get_string (value, NULL);
  if (option->choices == NULL)
    {
      *option->value = text;      /* borrowed from @value, which the caller keeps */
      return TRUE;
    }
  for (guint i = 0; option->choices[i] != NULL; i++)
    if (g_str_equal (option->choices[i], text))
      {
        *option->value = option->choices[i];
        return TRUE;
      }
  return FALSE;
}

/* One option: TRUE when @key is known and @value fits it; else the error. */
static gboolean
read_option (const VtBoolOption *bools, const VtChoiceOption *choices, const char *method,
             const char *key, GVariant *value, GError **error)
{
  const VtBoolOption *flag = find_bool (bools, key);
  const VtChoiceOption *choice = flag == NULL ? find_choice (choices, key) : NULL;

  if (flag != NULL && g_variant_is_of_type (value, G_VARIANT_TYPE_BOOLEAN))
    {
      *flag->value = g_variant_get_boolean (value);
      return TRUE;
    }
  if (choice != NULL && read_choice (choice, value))
    return TRUE;
  if (flag != NULL)
    return refuse_option (bools, choices, method, key, "must be a boolean", error);
  if (choice != NULL)
    return refuse_option (bools, choices, method, key, "must be one of its strings", error);
  return refuse_option (bools, choices, method, key, "is unknown", error);
}

gboolean
vt_options_parse (GVariant *options, const char *method, const VtBoolOption *bools,
                  const VtChoiceOption *choices, GError **error)
{
  GVariantIter iter;
  const char *key;
  GVariant *value;

  if (choices == NULL)
    choices = no_choices;
  if (bools == NULL)
    bools = no_bools;
  g_variant_iter_init (&iter, options);
  while (g_variant_iter_loop (&iter, "{&sv}", &key, &value))
    if (!read_option (bools, choices, method, key, value, error))
      {
        g_variant_unref (value);
        return FALSE;
      }
  return TRUE;
}

gboolean
vt_options_parse_bools (GVariant *options, const char *method, const VtBoolOption *known,
                        GError **error)
{
  return vt_options_parse (options, method, known, NULL, error);
}

gboolean
vt_options_parse_connection (GVariant *options, const char *method, const VtBoolOption *bools,
                             const char **connection, GError **error)
{
  const VtChoiceOption choices[] = { VT_CONNECTION_OPTION (connection), { NULL, NULL, NULL } };

  return vt_options_parse (options, method, bools, choices, error);
}
