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
  groups = g_key_file_get_groups (file, NULL);
  for (char **g = groups; *g != NULL; g++)
    if (!conf_apply_group (config, file, *g, path, error))
      return FALSE;
  return TRUE;
}
