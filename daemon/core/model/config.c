#include "model/config.h"

#include "util/echo.h"
#include "util/error.h"
#include "vt-config.h"

/* The keys virtuned.conf may contain, per group. Anything else is a typo the
 * administrator wants to hear about rather than have silently ignored. */
typedef enum {
  CONF_STRING,
  CONF_STRV,
  CONF_UINT,
} ConfType;

typedef struct {
  const char *group;
  const char *key;
  ConfType type;
  gsize offset;
} ConfKey;

static const ConfKey conf_keys[] = {
  { "libvirt", "uri", CONF_STRING, G_STRUCT_OFFSET (VtConfig, uri) },
  { "libvirt", "domcaps", CONF_STRING, G_STRUCT_OFFSET (VtConfig, domcaps_path) },
  { "security", "allowed_pools", CONF_STRV, G_STRUCT_OFFSET (VtConfig, allowed_pools) },
  { "security", "allowed_networks", CONF_STRV, G_STRUCT_OFFSET (VtConfig, allowed_networks) },
  { "policies", "dirs", CONF_STRV, G_STRUCT_OFFSET (VtConfig, policy_dirs) },
  { "host", "state_dir", CONF_STRING, G_STRUCT_OFFSET (VtConfig, state_dir) },
  { "host", "sysroot", CONF_STRING, G_STRUCT_OFFSET (VtConfig, sysroot) },
  { "daemon", "idle_exit", CONF_UINT, G_STRUCT_OFFSET (VtConfig, idle_exit) },
};

VtConfig *
vt_config_new (void)
{
  VtConfig *config = g_new0 (VtConfig, 1);

  config->uri = g_strdup ("qemu:///system");
  config->allowed_pools = g_new0 (char *, 1);
  config->allowed_networks = g_new0 (char *, 1);
  config->policy_dirs = g_new0 (char *, 2);
  config->policy_dirs[0] = g_strdup (VT_SYSCONFDIR "/virtuned/policies.d");
  config->state_dir = g_strdup (VT_STATEDIR);
  config->sysroot = g_strdup ("/");
  config->connections = g_ptr_array_new_with_free_func ((GDestroyNotify) vt_connection_config_free);
  return config;
}

void
vt_config_free (VtConfig *config)
{
  if (config == NULL)
    return;
  g_free (config->uri);
  g_strfreev (config->allowed_pools);
  g_strfreev (config->allowed_networks);
  g_strfreev (config->policy_dirs);
  g_free (config->domcaps_path);
  g_free (config->state_dir);
  g_free (config->sysroot);
  g_ptr_array_unref (config->connections);
  g_free (config->path);
  g_free (config);
}

static const ConfKey *
conf_key_lookup (const char *group, const char *key)
{
  for (gsize i = 0; i < G_N_ELEMENTS (conf_keys); i++)
    if (g_str_equal (conf_keys[i].group, group) && g_str_equal (conf_keys[i].key, key))
      return &conf_keys[i];
  return NULL;
}

static gboolean
conf_group_known (const char *group)
{
  for (gsize i = 0; i < G_N_ELEMENTS (conf_keys); i++)
    if (g_str_equal (conf_keys[i].group, group))
      return TRUE;
  return FALSE;
}

static gboolean
conf_read_uint (GKeyFile *file, const ConfKey *ck, guint *out, const char *path,
                GError **error)
{
  g_autofree char *raw = g_key_file_get_value (file, ck->group, ck->key, NULL);
  guint64 value;

  if (raw == NULL
      || !g_ascii_string_to_unsigned (g_strstrip (raw), 10, 0, G_MAXUINT, &value, NULL))
    {
      g_set_error (error, VT_ERROR, VT_ERROR_FAILED,
                   "%s: [%s] %s must be a whole number of seconds", path, ck->group, ck->key);
      return FALSE;
    }
  *out = (guint) value;
  return TRUE;
}

/* Stores one known key's value into @config. */
static gboolean
conf_apply_key (VtConfig *config, GKeyFile *file, const ConfKey *ck, const char *path,
                GError **error)
{
  gpointer field = G_STRUCT_MEMBER_P (config, ck->offset);

  switch (ck->type)
    {
    case CONF_STRING:
      {
        char *value = g_key_file_get_string (file, ck->group, ck->key, NULL);

        if (value == NULL || *g_strstrip (value) == '\0')
          {
            g_free (value);
            g_set_error (error, VT_ERROR, VT_ERROR_FAILED,
                         "%s: [%s] %s must not be empty", path, ck->group, ck->key);
            return FALSE;
          }
        g_free (*(char **) field);
        *(char **) field = value;
        return TRUE;
      }
    case CONF_STRV:
      {
        char **value = g_key_file_get_string_list (file, ck->group, ck->key, NULL, NULL);

        if (value == NULL)
          value = g_new0 (char *, 1);
        for (char **v = value; *v != NULL; v++)
          g_strstrip (*v);
        g_strfreev (*(char ***) field);
        *(char ***) field = value;
        return TRUE;
      }
    case CONF_UINT:
      return conf_read_uint (file, ck, (guint *) field, path, error);
    }
  g_assert_not_reached ();
}

static gboolean
conf_apply_group (VtConfig *config, GKeyFile *file, const char *group, const char *path,
                  GError **error)
{
  g_auto (GStrv) keys = NULL;

  if (!conf_group_known (group))
    {
      g_autofree char *shown = vt_echo (group);

      g_set_error (error, VT_ERROR, VT_ERROR_FAILED, "%s: unknown group [%s]", path, shown);
      return FALSE;
    }
  if (g_str_equal (group, "libvirt"))
    config->libvirt_given = TRUE;
  keys = g_key_file_get_keys (file, group, NULL, NULL);
  for (char **k = keys; k != NULL && *k != NULL; k++)
    {
      const ConfKey *ck = conf_key_lookup (group, *k);

      if (ck == NULL)
        {
          g_autofree char *shown = vt_echo (*k);

          g_set_error (error, VT_ERROR, VT_ERROR_FAILED, "%s: unknown key '%s' in [%s]",
                       path, shown, group);
          return FALSE;
        }
      if (!conf_apply_key (config, file, ck, path, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
add_connection (VtConfig *config, GKeyFile *file, const char *group, const char *path,
                GError **error)
{
  VtConnectionConfig *connection = vt_connection_config_parse (file, group, path, error);

  if (connection == NULL)
    return FALSE;
  g_ptr_array_add (config->connections, connection);
  return TRUE;
}

gboolean
vt_config_load (VtConfig *config, const char *path, gboolean missing_ok, GError **error)
{
  g_autoptr (GKeyFile) file = g_key_file_new ();
  g_autoptr (GError) local = NULL;
  g_auto (GStrv) groups = NULL;

  if (!g_key_file_load_from_file (file, path, G_KEY_FILE_NONE, &local))
    {
      if (missing_ok && g_error_matches (local, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return TRUE;
      g_set_error (error, VT_ERROR, VT_ERROR_FAILED, "cannot read configuration %s: %s",
                   path, local->message);
      return FALSE;
    }
  g_free (config->path);
  config->path = g_strdup (path);
  groups = g_key_file_get_groups (file, NULL);
  for (char **g = groups; *g != NULL; g++)
    if (!(vt_connection_config_is_group (*g) ? add_connection (config, file, *g, path, error)
                                              : conf_apply_group (config, file, *g, path,
                                                                  error)))
      return FALSE;
  return TRUE;
}

/* --- connections --------------------------------------------------------------------- */

/* The connection of [libvirt] and [security]: a single-host file's only one. */
static VtConnectionConfig *
libvirt_connection (const VtConfig *config)
{
  const VtConnectionConfig from_groups = {
    .name = (char *) VT_CONNECTION_DEFAULT_NAME,
    .uri = config->uri,
    .domcaps_path = config->domcaps_path,
    .allowed_pools = config->allowed_pools,
    .allowed_networks = config->allowed_networks,
    .open_timeout = VT_CONNECTION_OPEN_TIMEOUT_DEFAULT,
  };

  return vt_connection_config_copy (&from_groups);
}

static gboolean
refuse_connections (const VtConfig *config, GError **error, const char *format, ...)
  G_GNUC_PRINTF (3, 4);

static gboolean
refuse_connections (const VtConfig *config, GError **error, const char *format, ...)
{
  va_list args;
  g_autofree char *problem = NULL;

  va_start (args, format);
  problem = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, VT_ERROR, VT_ERROR_FAILED, "%s: %s",
               config->path ? config->path : "configuration", problem);
  return FALSE;
}

/* The group saying default=true, or NULL; an error when two do. */
static gboolean
find_default (const VtConfig *config, const VtConnectionConfig **out, GError **error)
{
  *out = NULL;
  for (guint i = 0; i < config->connections->len; i++)
    {
      const VtConnectionConfig *c = g_ptr_array_index (config->connections, i);

      if (!c->is_default)
        continue;
      if (*out != NULL)
        return refuse_connections (config, error, "two default connections: [connection %s] "
                                   "and [connection %s] both say default=true",
                                   (*out)->name, c->name);
      *out = c;
    }
  return TRUE;
}

GPtrArray *
vt_config_resolve_connections (const VtConfig *config, GError **error)
{
  g_autoptr (GPtrArray) all =
    g_ptr_array_new_with_free_func ((GDestroyNotify) vt_connection_config_free);
  const VtConnectionConfig *chosen = NULL;

  if (!find_default (config, &chosen, error))
    return NULL;
  if (chosen != NULL && config->libvirt_given)
    {
      refuse_connections (config, error, "two default connections: [libvirt] (the connection "
                          "'default') and [connection %s] default=true; remove one",
                          chosen->name);
      return NULL;
    }
  if (chosen == NULL)
    g_ptr_array_add (all, libvirt_connection (config));
  else
    g_ptr_array_add (all, vt_connection_config_copy (chosen));
  ((VtConnectionConfig *) all->pdata[0])->is_default = TRUE;
  for (guint i = 0; i < config->connections->len; i++)
    {
      const VtConnectionConfig *c = g_ptr_array_index (config->connections, i);

      if (c == chosen)
        continue;
      if (chosen == NULL && g_str_equal (c->name, VT_CONNECTION_DEFAULT_NAME))
        {
          refuse_connections (config, error, "[connection default]: the name 'default' is the "
                              "[libvirt] connection's; name it otherwise, or make it the "
                              "default with default=true");
          return NULL;
        }
      g_ptr_array_add (all, vt_connection_config_copy (c));
    }
  return g_steal_pointer (&all);
}
