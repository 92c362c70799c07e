/* virtuned — [connection NAME] groups of virtuned.conf. */
#include "model/connection-config.h"

#include <string.h>

#include "model/limits.h"
#include "util/echo.h"
#include "util/error.h"

#define GROUP_PREFIX "connection "

VtConnectionConfig *
vt_connection_config_new (const char *name, const char *uri)
{
  VtConnectionConfig *config = g_new0 (VtConnectionConfig, 1);

  config->name = g_strdup (name);
  config->uri = g_strdup (uri);
  config->allowed_pools = g_new0 (char *, 1);
  config->allowed_networks = g_new0 (char *, 1);
  config->open_timeout = VT_CONNECTION_OPEN_TIMEOUT_DEFAULT;
  return config;
}

VtConnectionConfig *
vt_connection_config_copy (const VtConnectionConfig *config)
{
  VtConnectionConfig *copy = vt_connection_config_new (config->name, config->uri);

  copy->domcaps_path = g_strdup (config->domcaps_path);
  g_strfreev (copy->allowed_pools);
  g_strfreev (copy->allowed_networks);
  copy->allowed_pools = g_strdupv (config->allowed_pools);
  copy->allowed_networks = g_strdupv (config->allowed_networks);
  copy->is_default = config->is_default;
  copy->open_timeout = config->open_timeout;
  return copy;
}

void
vt_connection_config_free (VtConnectionConfig *config)
{
  if (config == NULL)
    return;
  g_free (config->name);
  g_free (config->uri);
  g_free (config->domcaps_path);
  g_strfreev (config->allowed_pools);
  g_strfreev (config->allowed_networks);
  g_free (config);
}

/* The characters of a domain name minus '+': names show up in tables, URIs of tools
 * and shell completions, where nothing of them needs quoting. */
gboolean
vt_connection_name_valid (const char *name)
{
  gsize len = strlen (name);

  if (len == 0 || len > VT_CONNECTION_NAME_MAX || name[0] == '-' || name[0] == '.')
    return FALSE;
  for (const char *c = name; *c != '\0'; c++)
    if (!g_ascii_isalnum (*c) && *c != '_' && *c != '.' && *c != '-')
      return FALSE;
  return TRUE;
}

gboolean
vt_connection_config_is_group (const char *group)
{
  return g_str_has_prefix (group, GROUP_PREFIX) || g_str_equal (group, "connection");
}

gboolean
vt_connection_uri_is_local (const char *uri)
{
  g_autoptr (GUri) parsed = g_uri_parse (uri, G_URI_FLAGS_NONE, NULL);
  const char *host = parsed ? g_uri_get_host (parsed) : NULL;

  return parsed != NULL && (host == NULL || *host == '\0');
}

static gboolean
refuse (GError **error, const char *path, const char *group, const char *problem)
{
  g_autofree char *shown = vt_echo (group);

  g_set_error (error, VT_ERROR, VT_ERROR_FAILED, "%s: [%s] %s", path, shown, problem);
  return FALSE;
}

static char **
read_list (GKeyFile *file, const char *group, const char *key)
{
  char **value = g_key_file_get_string_list (file, group, key, NULL, NULL);

  if (value == NULL)
    return g_new0 (char *, 1);
  for (char **v = value; *v != NULL; v++)
    g_strstrip (*v);
  return value;
}

static char *
read_string (GKeyFile *file, const char *group, const char *key)
{
  char *value = g_key_file_get_string (file, group, key, NULL);

  if (value != NULL && *g_strstrip (value) == '\0')
    g_clear_pointer (&value, g_free);
  return value;
}

static gboolean
read_default (GKeyFile *file, const char *group, const char *path, gboolean *out,
              GError **error)
{
  g_autofree char *raw = g_key_file_get_value (file, group, "default", NULL);

  if (raw == NULL)
    return TRUE;
  g_strstrip (raw);
  if (g_str_equal (raw, "true") || g_str_equal (raw, "false"))
    {
      *out = g_str_equal (raw, "true");
      return TRUE;
    }
  return refuse (error, path, group, "default must be true or false");
}

static gboolean
read_timeout (GKeyFile *file, const char *group, const char *path, guint *out,
              GError **error)
{
  g_autofree char *raw = g_key_file_get_value (file, group, "open_timeout", NULL);
  guint64 value;

  if (raw != NULL && g_ascii_string_to_unsigned (g_strstrip (raw), 10, 1,
                                                 VT_CONNECTION_OPEN_TIMEOUT_MAX, &value, NULL))
    {
      *out = (guint) value;
      return TRUE;
    }
  return refuse (error, path, group, "open_timeout must be a whole number of seconds, 1 to "
                 G_STRINGIFY (VT_CONNECTION_OPEN_TIMEOUT_MAX));
}

/* One key of the group into @config, or the error naming it. */
static gboolean
read_key (VtConnectionConfig *config, GKeyFile *file, const char *group, const char *key,
          const char *path, GError **error)
{
  if (g_str_equal (key, "uri"))
    {
      g_free (config->uri);
      config->uri = read_string (file, group, key);
      return config->uri != NULL || refuse (error, path, group, "uri must not be empty");
    }
  if (g_str_equal (key, "domcaps"))
    {
      g_free (config->domcaps_path);
      config->domcaps_path = read_string (file, group, key);
      return config->domcaps_path != NULL
             || refuse (error, path, group, "domcaps must not be empty");
    }
  if (g_str_equal (key, "allowed_pools") || g_str_equal (key, "allowed_networks"))
    {
      char ***field = g_str_equal (key, "allowed_pools") ? &config->allowed_pools
                                                         : &config->allowed_networks;

      g_strfreev (*field);
      *field = read_list (file, group, key);
      return TRUE;
    }
  if (g_str_equal (key, "default"))
    return read_default (file, group, path, &config->is_default, error);
  if (g_str_equal (key, "open_timeout"))
    return read_timeout (file, group, path, &config->open_timeout, error);
  {
    g_autofree char *shown = vt_echo (key);
    g_autofree char *problem = g_strdup_printf (
        "unknown key '%s' (a connection takes uri, allowed_pools, allowed_networks, "
        "domcaps, default, open_timeout)", shown);

    return refuse (error, path, group, problem);
  }
}

VtConnectionConfig *
vt_connection_config_parse (GKeyFile *file, const char *group, const char *path,
                            GError **error)
{
  const char *name = g_str_has_prefix (group, GROUP_PREFIX) ? group + strlen (GROUP_PREFIX) : "";
  g_autoptr (VtConnectionConfig) config = NULL;
  g_auto (GStrv) keys = NULL;

  if (!vt_connection_name_valid (name))
    {
      g_autofree char *problem = g_strdup_printf (
          "is not a connection name: 1 to %d of A-Z a-z 0-9 _ . -, not starting with - or .",
          VT_CONNECTION_NAME_MAX);

      refuse (error, path, group, problem);
      return NULL;
    }
  config = vt_connection_config_new (name, NULL);
  g_clear_pointer (&config->uri, g_free);
  keys = g_key_file_get_keys (file, group, NULL, NULL);
  for (char **k = keys; k != NULL && *k != NULL; k++)
    if (!read_key (config, file, group, *k, path, error))
      return NULL;
  if (config->uri == NULL)
    {
      refuse (error, path, group, "needs a uri (e.g. uri=qemu+ssh://root@host/system)");
      return NULL;
    }
  return g_steal_pointer (&config);
}
