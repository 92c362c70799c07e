/* virtuned — the abstract VM description (SPEC §3).
 *
 * The text comes from an untrusted D-Bus caller. It is read through the bounded YAML
 * reader, then walked section by section; every value is checked against the rule the
 * rest of virtuned relies on (names libvirt accepts, ranges from the settings catalog,
 * absolute paths without "..") before it lands in a VtDescription. The first problem
 * found is reported as "KEY.PATH (line L, column C): sentence". */
#include "model/description.h"

#include <stdarg.h>
#include <string.h>

#include "model/catalog.h"
#include "model/device-alias.h"
#include "model/policy.h"
#include "util/base64.h"
#include "util/echo.h"
#include "util/error.h"
#include "util/units.h"
#include "util/yaml-tree.h"

#define NAME_MAX_LEN 64
#define OS_ID_MAX_LEN 64
#define BRIDGE_NAME_MAX_LEN 15   /* IFNAMSIZ - 1 */
#define PATH_MAX_LEN 4096
#define MAX_TOPOLOGY_PART 4096

static const VtYamlLimits description_limits = {
  .max_bytes = VT_DESCRIPTION_MAX_BYTES,
  .max_depth = 8,
  .max_nodes = 4096,
  .max_scalar = 4096,
};

/* ---- freeing ---------------------------------------------------------------------- */

static void
disk_desc_free (VtDiskDesc *disk)
{
  g_free (disk->pool);
  g_free (disk->volume);
  g_free (disk->path);
  g_free (disk->format);
  g_free (disk->alias);
  g_free (disk);
}

static void
net_desc_free (VtNetDesc *net)
{
  g_free (net->source);
  g_free (net->mac);
  g_free (net->alias);
  g_free (net);
}

static void
user_setting_free (VtUserSetting *setting)
{
  g_free (setting->key);
  g_free (setting->value);
  g_free (setting);
}

static void
sev_launch_free (VtSevLaunch *launch)
{
  if (!launch)
    return;
  g_free (launch->dh_cert);
  g_free (launch->session);
  g_free (launch->policy);
  g_free (launch);
}

static VtDescription *
description_new (void)
{
  VtDescription *desc = g_new0 (VtDescription, 1);

  desc->scenarios = g_ptr_array_new_with_free_func (g_free);
  desc->disks = g_ptr_array_new_with_free_func ((GDestroyNotify) disk_desc_free);
  desc->networks = g_ptr_array_new_with_free_func ((GDestroyNotify) net_desc_free);
  desc->settings = g_ptr_array_new_with_free_func ((GDestroyNotify) user_setting_free);
  desc->secure_boot = -1;
  desc->tpm = -1;
  return desc;
}

void
vt_description_free (VtDescription *desc)
{
  if (!desc)
    return;
  g_free (desc->name);
  g_ptr_array_unref (desc->scenarios);
  g_free (desc->os);
  g_ptr_array_unref (desc->disks);
  g_ptr_array_unref (desc->networks);
  g_free (desc->graphics);
  g_free (desc->firmware);
  g_ptr_array_unref (desc->settings);
  sev_launch_free (desc->sev);
  g_free (desc);
}

/* ---- character rules -------------------------------------------------------------- */

/* TRUE when @text is 1..@max_len bytes of lowercase letters, digits, uppercase letters
 * (if @upper_ok) and the characters in @punct. The one check behind every name rule. */
static gboolean
matches_charset (const char *text, gsize max_len, gboolean upper_ok, const char *punct)
{
  gsize len = strlen (text);

  if (len == 0 || len > max_len)
    return FALSE;
  for (const char *p = text; *p; p++)
    {
      if (g_ascii_islower (*p) || g_ascii_isdigit (*p) || (upper_ok && g_ascii_isupper (*p)))
        continue;
      if (!strchr (punct, *p))
        return FALSE;
    }
  return TRUE;
}

/* Why @name breaks libvirt's name rule, or NULL when it is fine. Quotes and markup
 * characters get their own sentence: they are what an injection attempt looks like. */
static const char *
name_problem (const char *name)
{
  if (!*name)
    return "a name may not be empty";
  if (strlen (name) > NAME_MAX_LEN)
    return "a name is at most 64 characters long";
  if (name[0] == '-' || name[0] == '.')
    return "a name may not start with '-' or '.'";
  if (matches_charset (name, NAME_MAX_LEN, TRUE, "_.+-"))
    return NULL;
  if (strpbrk (name, "\"'`"))
    return "a name may not contain quote characters";
  if (strpbrk (name, "<>&"))
    return "a name may not contain '<', '>' or '&'";
  return "a name may only contain letters, digits and the characters _ . + -";
}

gboolean
vt_name_is_valid (const char *name)
{
  return name && name_problem (name) == NULL;
}


/* ---- paths and generic node checks ------------------------------------------------ */

/* @key may be caller text (an unknown key): it is echoed like any value. */
static char *
path_key (const char *parent, const char *key)
{
  g_autofree char *shown = vt_echo (key);

  return *parent ? g_strdup_printf ("%s.%s", parent, shown) : g_steal_pointer (&shown);
}

static char *
path_index (const char *parent, guint index)
{
  return g_strdup_printf ("%s[%u]", parent, index);
}

/* Sets the one InvalidDescription error ("PATH (line L, column C): sentence") and
 * returns FALSE, so every check can end with `return describe_error (...)`. */
static gboolean describe_error (GError **error, const char *path, const VtYamlNode *node,
                                const char *format, ...) G_GNUC_PRINTF (4, 5);

static gboolean
describe_error (GError **error, const char *path, const VtYamlNode *node, const char *format,
                ...)
{
  g_autofree char *sentence = NULL;
  va_list ap;

  va_start (ap, format);
  sentence = g_strdup_vprintf (format, ap);
  va_end (ap);
  vt_yaml_set_error (error, VT_ERROR_INVALID_DESCRIPTION, path, node, "%s", sentence);
  return FALSE;
}

static gboolean
is_null (const VtYamlNode *node)
{
  static const char *const nulls[] = { "", "~", "null", "Null", "NULL", NULL };

  return node->kind == VT_YAML_SCALAR && !node->quoted && g_strv_contains (nulls, node->value);
}

static gboolean
expect_kind (const char *path, const VtYamlNode *node, VtYamlKind kind, GError **error)
{
  if (node->kind == kind && !(kind == VT_YAML_SCALAR && is_null (node)))
    return TRUE;
  if (is_null (node))
    return describe_error (error, path, node, "expected %s, got nothing",
                           vt_yaml_kind_name (kind));
  return describe_error (error, path, node, "expected %s, got %s", vt_yaml_kind_name (kind),
                         vt_yaml_kind_name (node->kind));
}

static gboolean
refuse_unknown_key (const char *parent_path, const VtYamlNode *key, const char *const *known,
                    GError **error)
{
  g_autofree char *key_path = path_key (parent_path, key->value);
  g_autofree char *shown = vt_echo (key->value);
  g_autofree char *list = g_strjoinv (", ", (char **) known);

  return describe_error (error, key_path, key, "unknown key '%s' (known keys: %s)", shown,
                         list);
}

/* Refuses any key of @map not in @known (NULL-terminated), naming the known ones. */
static gboolean
check_known_keys (const char *path, const VtYamlNode *map, const char *const *known,
                  GError **error)
{
  for (guint i = 0; i < map->keys->len; i++)
    {
      const VtYamlNode *key = g_ptr_array_index (map->keys, i);

      if (!g_strv_contains (known, key->value))
        return refuse_unknown_key (path, key, known, error);
    }
  return TRUE;
}

/* ---- scalar value checks ---------------------------------------------------------- */

static gboolean
parse_whole_number (const char *path, const VtYamlNode *node, guint64 min, guint64 max,
                    guint64 *out, GError **error)
{
  g_autofree char *shown = NULL;
  guint64 value;

  if (!expect_kind (path, node, VT_YAML_SCALAR, error))
    return FALSE;
  shown = vt_echo (node->value);
  if (!node->value[0] || node->value[strspn (node->value, "0123456789")] != '\0')
    return describe_error (error, path, node, "'%s' is not a whole number", shown);
  if (node->value[0] == '0' && node->value[1])
    return describe_error (error, path, node,
                           "'%s' has a leading zero (YAML 1.1 would read it as octal); "
                           "write the number without it", shown);
  /* Digits without a leading zero: a failure can only be overflow, i.e. out of range. */
  if (!vt_parse_decimal (node->value, G_MAXUINT64, &value, NULL) || value < min || value > max)
    return describe_error (error, path, node,
                           "%s is out of range (allowed: %" G_GUINT64_FORMAT "..%"
                           G_GUINT64_FORMAT ")", shown, min, max);
  *out = value;
  return TRUE;
}

/* A size (bare number = MiB) within the range the catalog gives @catalog_key. */
static gboolean
parse_size_for (const char *path, const VtYamlNode *node, const char *catalog_key,
                guint64 *bytes, GError **error)
{
  const VtCatalogEntry *entry = vt_catalog_lookup (catalog_key);
  g_autoptr (GError) local = NULL;
  g_autofree char *shown = NULL;
  g_autofree char *allowed = NULL;
  guint64 value;

  if (!expect_kind (path, node, VT_YAML_SCALAR, error))
    return FALSE;
  if (!vt_parse_size (node->value, 1024 * 1024, &value, &local))
    return describe_error (error, path, node, "%s", local->message);
  if (value >= (guint64) entry->min && value <= (guint64) entry->max)
    {
      if (!vt_catalog_check_granularity (entry, node->value, value, &local))
        return describe_error (error, path, node, "%s", local->message);
      *bytes = value;
      return TRUE;
    }
  shown = vt_echo (node->value);
  allowed = vt_catalog_describe_values (entry);
  return describe_error (error, path, node, "'%s' is out of range (allowed: %s)", shown,
                         allowed);
}

/* A value of a catalog ENUM (graphics, firmware): the catalog owns the choices. */
static gboolean
parse_choice_for (const char *path, const VtYamlNode *node, const char *catalog_key,
                  char **canonical, GError **error)
{
  const VtCatalogEntry *entry = vt_catalog_lookup (catalog_key);
  g_autofree char *shown = NULL;
  g_autofree char *allowed = NULL;

  if (!expect_kind (path, node, VT_YAML_SCALAR, error))
    return FALSE;
  if (vt_catalog_normalize (entry, node->value, canonical, NULL))
    return TRUE;
  shown = vt_echo (node->value);
  allowed = vt_catalog_describe_values (entry);
  return describe_error (error, path, node, "'%s' is not one of %s", shown, allowed);
}

static gboolean
parse_flag (const char *path, const VtYamlNode *node, int *flag, GError **error)
{
  g_autofree char *shown = NULL;
  gboolean value;

  if (!expect_kind (path, node, VT_YAML_SCALAR, error))
    return FALSE;
  if (vt_catalog_parse_bool (node->value, &value))
    {
      *flag = value ? 1 : 0;
      return TRUE;
    }
  shown = vt_echo (node->value);
  return describe_error (error, path, node, "'%s' is not a boolean (use true or false)", shown);
}

static gboolean
parse_name_value (const char *path, const VtYamlNode *node, const char *what, char **out,
                  GError **error)
{
  const char *problem;
  g_autofree char *shown = NULL;

  if (!expect_kind (path, node, VT_YAML_SCALAR, error))
    return FALSE;
  problem = name_problem (node->value);
  if (!problem)
    {
      *out = g_strdup (node->value);
      return TRUE;
    }
  shown = vt_echo (node->value);
  return describe_error (error, path, node, "'%s' is not a valid %s: %s", shown, what,
                         problem);
}

/* "POOL/NAME" with both halves valid libvirt names. */
static gboolean
parse_pool_volume (const char *path, const VtYamlNode *node, char **pool, char **volume,
                   GError **error)
{
  const char *slash;
  g_autofree char *shown = NULL;

  if (!expect_kind (path, node, VT_YAML_SCALAR, error))
    return FALSE;
  shown = vt_echo (node->value);
  slash = strchr (node->value, '/');
  if (!slash)
    return describe_error (error, path, node, "'%s' is not of the form POOL/VOLUME", shown);
  *pool = g_strndup (node->value, slash - node->value);
  *volume = g_strdup (slash + 1);
  if (vt_name_is_valid (*pool) && vt_name_is_valid (*volume))
    return TRUE;
  g_clear_pointer (pool, g_free);
  g_clear_pointer (volume, g_free);
  return describe_error (error, path, node,
                         "'%s' is not of the form POOL/VOLUME with two valid names "
                         "(1..64 of letters, digits, _ . + -, not starting with '-' or '.')",
                         shown);
}

/* Why @path is not an acceptable raw disk path, or NULL. */
static const char *
host_path_problem (const char *path)
{
  g_auto (GStrv) parts = NULL;

  if (path[0] != '/')
    return "a disk path must be absolute";
  if (strlen (path) > PATH_MAX_LEN)
    return "a disk path is at most 4096 bytes long";
  for (const char *p = path; *p; p++)
    if ((guchar) *p < 0x20 || *p == 0x7f)
      return "a disk path may not contain control characters";
  parts = g_strsplit (path, "/", -1);
  for (guint i = 0; parts[i]; i++)
    if (g_str_equal (parts[i], ".."))
      return "a disk path may not contain '..' components";
  if (g_str_has_suffix (path, "/"))
    return "a disk path must name a file, not a directory";
  return NULL;
}

/* ---- sections --------------------------------------------------------------------- */

static gboolean
parse_name (VtDescription *desc, const char *path, const VtYamlNode *node, GError **error)
{
  return parse_name_value (path, node, "name", &desc->name, error);
}

static gboolean
add_scenario (VtDescription *desc, const char *path, const VtYamlNode *node, GError **error)
{
  g_autofree char *shown = NULL;

  if (!expect_kind (path, node, VT_YAML_SCALAR, error))
    return FALSE;
  shown = vt_echo (node->value);
  if (!vt_policy_name_is_valid (node->value))
    return describe_error (error, path, node,
                           "'%s' is not a valid scenario name (1..64 of a-z, 0-9, _ and -)",
                           shown);
  if (g_ptr_array_find_with_equal_func (desc->scenarios, node->value, g_str_equal, NULL))
    return describe_error (error, path, node, "scenario '%s' is listed twice", shown);
  g_ptr_array_add (desc->scenarios, g_strdup (node->value));
  return TRUE;
}

static gboolean
parse_scenarios (VtDescription *desc, const char *path, const VtYamlNode *node,
                 GError **error)
{
  if (node->kind != VT_YAML_SEQUENCE)
    return add_scenario (desc, path, node, error);
  if (node->items->len > VT_MAX_SCENARIOS)
    return describe_error (error, path, node, "%u scenarios listed (at most %d)",
                           node->items->len, VT_MAX_SCENARIOS);
  for (guint i = 0; i < node->items->len; i++)
    {
      g_autofree char *item_path = path_index (path, i);

      if (!add_scenario (desc, item_path, g_ptr_array_index (node->items, i), error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
parse_os (VtDescription *desc, const char *path, const VtYamlNode *node, GError **error)
{
  g_autofree char *shown = NULL;

  if (!expect_kind (path, node, VT_YAML_SCALAR, error))
    return FALSE;
  if (!matches_charset (node->value, OS_ID_MAX_LEN, FALSE, ".+-"))
    {
      shown = vt_echo (node->value);
      return describe_error (error, path, node,
                             "'%s' is not a libosinfo short-id (1..64 of a-z, 0-9, . + -, "
                             "e.g. fedora39)", shown);
    }
  desc->os = g_strdup (node->value);
  desc->os_line = node->line;
  desc->os_column = node->column;
  return TRUE;
}

static gboolean
parse_vcpus (VtDescription *desc, const char *path, const VtYamlNode *node, GError **error)
{
  const VtCatalogEntry *entry = vt_catalog_lookup ("guest.vcpus");
  guint64 vcpus = 0;

  if (!parse_whole_number (path, node, entry->min, entry->max, &vcpus, error))
    return FALSE;
  desc->vcpus = (guint) vcpus;
  return TRUE;
}

static gboolean
parse_memory (VtDescription *desc, const char *path, const VtYamlNode *node, GError **error)
{
  return parse_size_for (path, node, "guest.memory", &desc->memory, error);
}

static gboolean
parse_topology (VtDescription *desc, const char *path, const VtYamlNode *node,
                GError **error)
{
  static const char *const parts[] = { "sockets", "cores", "threads", NULL };
  guint *fields[] = { &desc->sockets, &desc->cores, &desc->threads };

  if (!expect_kind (path, node, VT_YAML_MAPPING, error) ||
      !check_known_keys (path, node, parts, error))
    return FALSE;
  for (guint i = 0; parts[i]; i++)
    {
      const VtYamlNode *child = vt_yaml_mapping_get (node, parts[i]);
      g_autofree char *child_path = path_key (path, parts[i]);
      guint64 value = 0;

      if (!child)
        return describe_error (error, child_path, node,
                               "a topology needs all of sockets, cores and threads");
      if (!parse_whole_number (child_path, child, 1, MAX_TOPOLOGY_PART, &value, error))
        return FALSE;
      *fields[i] = (guint) value;
    }
  return TRUE;
}

static gboolean
parse_cpu (VtDescription *desc, const char *path, const VtYamlNode *node, GError **error)
{
  static const char *const known[] = { "topology", NULL };
  const VtYamlNode *topology;
  g_autofree char *topology_path = NULL;

  if (!expect_kind (path, node, VT_YAML_MAPPING, error) ||
      !check_known_keys (path, node, known, error))
    return FALSE;
  topology = vt_yaml_mapping_get (node, "topology");
  topology_path = path_key (path, "topology");
  return !topology || parse_topology (desc, topology_path, topology, error);
}

/* The one key among pool/volume/cdrom/path that says what kind of disk this is. */
static gboolean
find_disk_kind (const char *path, const VtYamlNode *node, const VtYamlNode **kind_key,
                GError **error)
{
  static const char *const kinds[] = { "pool", "volume", "cdrom", "path", NULL };

  *kind_key = NULL;
  for (guint i = 0; i < node->keys->len; i++)
    {
      const VtYamlNode *key = g_ptr_array_index (node->keys, i);
      g_autofree char *key_path = NULL;

      if (!g_strv_contains (kinds, key->value))
        continue;
      if (!*kind_key)
        {
          *kind_key = key;
          continue;
        }
      key_path = path_key (path, key->value);
      return describe_error (error, key_path, key,
                             "a disk takes only one of pool, volume, cdrom or path "
                             "('%s' is already given)", (*kind_key)->value);
    }
  if (!*kind_key)
    return describe_error (error, path, node, "a disk needs one of pool, volume, cdrom or path");
  return TRUE;
}

static gboolean
fill_disk (VtDiskDesc *disk, const char *path, const VtYamlNode *node, GError **error)
{
  const VtYamlNode *kind_key, *value, *size;
  g_autofree char *value_path = NULL;
  g_autofree char *size_path = NULL;
  const char *problem;

  if (!find_disk_kind (path, node, &kind_key, error))
    return FALSE;
  value = vt_yaml_mapping_get (node, kind_key->value);
  value_path = path_key (path, kind_key->value);
  size = vt_yaml_mapping_get (node, "size");
  size_path = path_key (path, "size");
  if (size && !g_str_equal (kind_key->value, "pool"))
    return describe_error (error, size_path, size,
                           "'size' only applies to a new volume (pool: NAME)");

  if (g_str_equal (kind_key->value, "pool"))
    {
      disk->kind = VT_DISK_NEW;
      return parse_name_value (value_path, value, "pool name", &disk->pool, error) &&
             (!size || parse_size_for (size_path, size, "storage.capacity", &disk->size, error));
    }
  if (g_str_equal (kind_key->value, "volume") || g_str_equal (kind_key->value, "cdrom"))
    {
      disk->kind = g_str_equal (kind_key->value, "volume") ? VT_DISK_VOLUME : VT_DISK_CDROM;
      return parse_pool_volume (value_path, value, &disk->pool, &disk->volume, error);
    }
  disk->kind = VT_DISK_PATH;
  if (!expect_kind (value_path, value, VT_YAML_SCALAR, error))
    return FALSE;
  problem = host_path_problem (value->value);
  if (problem)
    {
      g_autofree char *shown = vt_echo (value->value);
      return describe_error (error, value_path, value, "'%s' is not accepted: %s", shown,
                             problem);
    }
  disk->path = g_strdup (value->value);
  return TRUE;
}

/* `format:` names what an existing image given by path really is. New volumes take
 * storage.format and pool volumes have a format libvirt knows, so it means nothing
 * there. Without it a path is raw: QEMU must never probe, since a raw image holding a
 * qcow2 header could name a backing file on the host. */
static gboolean
parse_disk_format (VtDiskDesc *disk, const char *path, const VtYamlNode *node,
                   GError **error)
{
  const VtYamlNode *format_key = vt_yaml_mapping_get_key (node, "format");
  g_autofree char *format_path = path_key (path, "format");

  if (!format_key)
    return TRUE;
  if (disk->kind != VT_DISK_PATH)
    return describe_error (error, format_path, format_key,
                           "'format' only applies to an existing image given by path");
  return parse_choice_for (format_path, vt_yaml_mapping_get (node, "format"),
                           "storage.format", &disk->format, error);
}

/* `alias:` pins a device's user alias (written by virtuned when a description changes
 * after Define, so no device is renamed; issue #12): PREFIX and a number. */
static gboolean
parse_alias (const char *path, const VtYamlNode *node, const char *prefix, char **alias,
             GError **error)
{
  const VtYamlNode *value = vt_yaml_mapping_get (node, "alias");
  g_autofree char *alias_path = path_key (path, "alias");
  g_autofree char *shown = NULL;

  if (value == NULL)
    return TRUE;
  if (!expect_kind (alias_path, value, VT_YAML_SCALAR, error))
    return FALSE;
  if (vt_device_alias_number (value->value, prefix) >= 0)
    {
      *alias = g_strdup (value->value);
      return TRUE;
    }
  shown = vt_echo (value->value);
  return describe_error (error, alias_path, value, "'%s' is not an alias of this device "
                         "(%sN, N a number without leading zero, at most 65535)", shown, prefix);
}

static gboolean
parse_disk (VtDescription *desc, const char *path, const VtYamlNode *node, GError **error)
{
  static const char *const known[] = { "pool", "size", "volume", "cdrom", "path", "format",
                                       "alias", NULL };
  VtDiskDesc *disk;

  if (!expect_kind (path, node, VT_YAML_MAPPING, error) ||
      !check_known_keys (path, node, known, error))
    return FALSE;
  disk = g_new0 (VtDiskDesc, 1);
  disk->line = node->line;
  disk->column = node->column;
  g_ptr_array_add (desc->disks, disk);   /* owned by @desc even when filling fails */
  return fill_disk (disk, path, node, error) && parse_disk_format (disk, path, node, error) &&
         parse_alias (path, node, disk->kind == VT_DISK_CDROM ? "ua-cdrom" : "ua-disk",
                      &disk->alias, error);
}

/* Runs @parse_item on each entry of the list @node (at most @max entries). */
static gboolean
parse_list (VtDescription *desc, const char *path, const VtYamlNode *node, guint max,
            const char *what,
            gboolean (*parse_item) (VtDescription *, const char *, const VtYamlNode *,
                                    GError **),
            GError **error)
{
  if (!expect_kind (path, node, VT_YAML_SEQUENCE, error))
    return FALSE;
  if (node->items->len > max)
    return describe_error (error, path, node, "%u %s listed (at most %u)", node->items->len,
                           what, max);
  for (guint i = 0; i < node->items->len; i++)
    {
      g_autofree char *item_path = path_index (path, i);

      if (!parse_item (desc, item_path, g_ptr_array_index (node->items, i), error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
parse_disks (VtDescription *desc, const char *path, const VtYamlNode *node, GError **error)
{
  return parse_list (desc, path, node, VT_DESCRIPTION_MAX_DISKS, "disks", parse_disk, error);
}

/* Unicast "xx:xx:xx:xx:xx:xx", returned in lowercase. */
static gboolean
parse_mac (const char *path, const VtYamlNode *node, char **mac, GError **error)
{
  const char *text;
  g_autofree char *shown = NULL;
  guint first_octet;

  if (!expect_kind (path, node, VT_YAML_SCALAR, error))
    return FALSE;
  text = node->value;
  shown = vt_echo (text);
  for (guint i = 0; i < 17; i++)
    {
      gboolean colon_here = i % 3 == 2;

      if (!text[i] || (colon_here ? text[i] != ':' : !g_ascii_isxdigit (text[i])))
        return describe_error (error, path, node,
                               "'%s' is not a MAC address (xx:xx:xx:xx:xx:xx)", shown);
    }
  if (text[17])
    return describe_error (error, path, node, "'%s' is not a MAC address (xx:xx:xx:xx:xx:xx)",
                           shown);
  first_octet = g_ascii_xdigit_value (text[0]) * 16 + g_ascii_xdigit_value (text[1]);
  if (first_octet & 1)
    return describe_error (error, path, node,
                           "'%s' is a multicast address; a NIC needs a unicast MAC", shown);
  if (g_str_equal (text, "00:00:00:00:00:00"))
    return describe_error (error, path, node, "'%s' is not a usable MAC address", shown);
  *mac = g_ascii_strdown (text, -1);
  return TRUE;
}

static gboolean
parse_bridge_name (const char *path, const VtYamlNode *node, char **out, GError **error)
{
  g_autofree char *shown = NULL;

  if (!expect_kind (path, node, VT_YAML_SCALAR, error))
    return FALSE;
  if (matches_charset (node->value, BRIDGE_NAME_MAX_LEN, TRUE, "_.-") &&
      !g_str_equal (node->value, ".") && !g_str_equal (node->value, ".."))
    {
      *out = g_strdup (node->value);
      return TRUE;
    }
  shown = vt_echo (node->value);
  return describe_error (error, path, node,
                         "'%s' is not a valid bridge name (1..15 of letters, digits, _ . -)",
                         shown);
}

static gboolean
fill_network (VtNetDesc *net, const char *path, const VtYamlNode *node, GError **error)
{
  const VtYamlNode *network = vt_yaml_mapping_get (node, "network");
  const VtYamlNode *bridge = vt_yaml_mapping_get (node, "bridge");
  const VtYamlNode *mac = vt_yaml_mapping_get (node, "mac");
  g_autofree char *source_path = path_key (path, network ? "network" : "bridge");
  g_autofree char *mac_path = path_key (path, "mac");

  if (network && bridge)
    return describe_error (error, source_path, network,
                           "a network interface takes only one of network or bridge");
  if (!network && !bridge)
    return describe_error (error, path, node,
                           "a network interface needs one of network or bridge");
  net->kind = network ? VT_NET_NETWORK : VT_NET_BRIDGE;
  if (network ? !parse_name_value (source_path, network, "network name", &net->source, error)
              : !parse_bridge_name (source_path, bridge, &net->source, error))
    return FALSE;
  return !mac || parse_mac (mac_path, mac, &net->mac, error);
}

static gboolean
parse_network (VtDescription *desc, const char *path, const VtYamlNode *node, GError **error)
{
  static const char *const known[] = { "network", "bridge", "mac", "alias", NULL };
  VtNetDesc *net;

  if (!expect_kind (path, node, VT_YAML_MAPPING, error) ||
      !check_known_keys (path, node, known, error))
    return FALSE;
  net = g_new0 (VtNetDesc, 1);
  net->line = node->line;
  net->column = node->column;
  g_ptr_array_add (desc->networks, net);   /* owned by @desc even when filling fails */
  return fill_network (net, path, node, error) &&
         parse_alias (path, node, "ua-net", &net->alias, error);
}

static gboolean
parse_networks (VtDescription *desc, const char *path, const VtYamlNode *node,
                GError **error)
{
  return parse_list (desc, path, node, VT_DESCRIPTION_MAX_NETWORKS, "networks",
                     parse_network, error);
}

static gboolean
parse_graphics (VtDescription *desc, const char *path, const VtYamlNode *node,
                GError **error)
{
  return parse_choice_for (path, node, "guest.graphics", &desc->graphics, error);
}

static gboolean
parse_firmware (VtDescription *desc, const char *path, const VtYamlNode *node,
                GError **error)
{
  return parse_choice_for (path, node, "guest.firmware", &desc->firmware, error);
}

static gboolean
parse_secure_boot (VtDescription *desc, const char *path, const VtYamlNode *node,
                   GError **error)
{
  return parse_flag (path, node, &desc->secure_boot, error);
}

static gboolean
parse_tpm (VtDescription *desc, const char *path, const VtYamlNode *node, GError **error)
{
  return parse_flag (path, node, &desc->tpm, error);
}

static void
add_user_setting (const VtCatalogEntry *entry, char *canonical, const VtYamlNode *node,
                  gpointer data)
{
  VtDescription *desc = data;
  VtUserSetting *setting = g_new0 (VtUserSetting, 1);

  setting->key = g_strdup (entry->key);
  setting->value = canonical;
  setting->line = node->line;
  setting->column = node->column;
  g_ptr_array_add (desc->settings, setting);
}

static gboolean
parse_settings (VtDescription *desc, const char *path, const VtYamlNode *node,
                GError **error)
{
  return vt_catalog_read_settings (node, path, add_user_setting, desc, error);
}

/* Strict base64 of exactly @bytes bytes. Never echoed: it is a blob, and a wrong one is
 * better described by its length than quoted. The length is checked before anything
 * else so an oversized text costs nothing more. */
static gboolean
parse_base64_blob (const char *path, const VtYamlNode *node, gsize bytes, const char *what,
                   char **out, GError **error)
{
  gsize len, decoded = 0;

  if (!expect_kind (path, node, VT_YAML_SCALAR, error))
    return FALSE;
  len = strlen (node->value);
  if (len > VT_BASE64_LEN (bytes))
    return describe_error (error, path, node,
                           "%" G_GSIZE_FORMAT " characters is too long for base64 of %s "
                           "(%" G_GSIZE_FORMAT " bytes: %d characters)", len, what, bytes,
                           (int) VT_BASE64_LEN (bytes));
  if (strpbrk (node->value, " \t\r\n"))
    return describe_error (error, path, node,
                           "base64 must be given on one line, without spaces or line breaks "
                           "(e.g. base64 -w0)");
  if (!vt_base64_check (node->value, len, &decoded))
    return describe_error (error, path, node,
                           "not base64 (A-Z a-z 0-9 + /, a multiple of 4 characters, '=' "
                           "only as padding at the end)");
  if (decoded != bytes)
    return describe_error (error, path, node,
                           "base64 of %" G_GSIZE_FORMAT " bytes, but %s is %" G_GSIZE_FORMAT
                           " bytes", decoded, what, bytes);
  *out = g_strdup (node->value);
  return TRUE;
}

/* The catalog's grammar of guest.sev.policy (a 0x-prefixed 32-bit word), without its
 * "auto": a session is made for one definite word. */
static gboolean
parse_policy_word (const char *path, const VtYamlNode *node, VtSevLaunch *launch,
                   GError **error)
{
  const VtCatalogEntry *entry = vt_catalog_lookup ("guest.sev.policy");
  g_autofree char *shown = NULL;

  if (!expect_kind (path, node, VT_YAML_SCALAR, error))
    return FALSE;
  if (g_strcmp0 (node->value, entry->special) != 0 &&
      vt_catalog_normalize (entry, node->value, &launch->policy, NULL))
    {
      launch->policy_bits = (guint32) g_ascii_strtoull (launch->policy + 2, NULL, 16);
      return TRUE;
    }
  shown = vt_echo (node->value);
  return describe_error (error, path, node,
                         "'%s' is not a 32-bit policy word (0x0000..0xffffffff, e.g. 0x0003: "
                         "the word the session was made for)", shown);
}

/* sev: the guest owner's launch data. All three keys are needed: the session binds the
 * certificate and the policy word together (its policy MAC), so one alone is useless. */
static gboolean
parse_sev (VtDescription *desc, const char *path, const VtYamlNode *node, GError **error)
{
  static const char *const known[] = { "dh_cert", "session", "policy", NULL };
  g_autofree char *cert_path = path_key (path, "dh_cert");
  g_autofree char *session_path = path_key (path, "session");
  g_autofree char *policy_path = path_key (path, "policy");
  const VtYamlNode *cert, *session, *policy;

  if (!expect_kind (path, node, VT_YAML_MAPPING, error) ||
      !check_known_keys (path, node, known, error))
    return FALSE;
  cert = vt_yaml_mapping_get (node, "dh_cert");
  session = vt_yaml_mapping_get (node, "session");
  policy = vt_yaml_mapping_get (node, "policy");
  if (!cert || !session || !policy)
    return describe_error (error, path, node,
                           "launch data needs all of dh_cert, session and policy (missing: "
                           "%s)", !cert ? "dh_cert" : !session ? "session" : "policy");
  desc->sev = g_new0 (VtSevLaunch, 1);
  return parse_base64_blob (cert_path, cert, VT_SEV_DH_CERT_BYTES,
                            "a SEV Diffie-Hellman certificate", &desc->sev->dh_cert, error) &&
         parse_base64_blob (session_path, session, VT_SEV_SESSION_BYTES,
                            "a SEV LAUNCH_START session blob", &desc->sev->session, error) &&
         parse_policy_word (policy_path, policy, desc->sev, error);
}

/* ---- top level -------------------------------------------------------------------- */

typedef gboolean (*SectionParser) (VtDescription *desc, const char *path,
                                   const VtYamlNode *node, GError **error);

static const struct {
  const char *key;
  SectionParser parse;
} sections[] = {
  { "name", parse_name },
  { "scenario", parse_scenarios },
  { "os", parse_os },
  { "vcpus", parse_vcpus },
  { "memory", parse_memory },
  { "cpu", parse_cpu },
  { "disks", parse_disks },
  { "networks", parse_networks },
  { "graphics", parse_graphics },
  { "firmware", parse_firmware },
  { "secure_boot", parse_secure_boot },
  { "tpm", parse_tpm },
  { "settings", parse_settings },
  { "sev", parse_sev },
};

static SectionParser
section_parser (const char *key)
{
  for (gsize i = 0; i < G_N_ELEMENTS (sections); i++)
    if (g_str_equal (sections[i].key, key))
      return sections[i].parse;
  return NULL;
}

static gboolean
unknown_top_level_key (const VtYamlNode *key, GError **error)
{
  g_autoptr (GPtrArray) names = g_ptr_array_new ();

  for (gsize i = 0; i < G_N_ELEMENTS (sections); i++)
    g_ptr_array_add (names, (gpointer) sections[i].key);
  g_ptr_array_add (names, NULL);
  return refuse_unknown_key ("", key, (const char *const *) names->pdata, error);
}

/* Rules that span sections, checked once every section has been read. */
static gboolean
check_cross_fields (const VtDescription *desc, const VtYamlNode *root, GError **error)
{
  const VtYamlNode *topology;
  guint64 product;

  if (!desc->name)
    return describe_error (error, "name", root, "a description needs a name");
  if (!vt_description_check_aliases (desc, error))
    return FALSE;
  topology = vt_yaml_mapping_get (vt_yaml_mapping_get (root, "cpu"), "topology");
  if (!topology)
    return TRUE;
  if (desc->vcpus == 0)
    return describe_error (error, "cpu.topology", topology,
                           "a CPU topology needs vcpus to be given too");
  product = (guint64) desc->sockets * desc->cores * desc->threads;
  if (product != desc->vcpus)
    return describe_error (error, "cpu.topology", topology,
                           "sockets x cores x threads = %u x %u x %u = %" G_GUINT64_FORMAT
                           ", but vcpus is %u", desc->sockets, desc->cores, desc->threads,
                           product, desc->vcpus);
  return TRUE;
}

static gboolean
parse_root (VtDescription *desc, const VtYamlNode *root, GError **error)
{
  if (root->kind != VT_YAML_MAPPING)
    return describe_error (error, "", root,
                           "a description must be a mapping of keys (name, vcpus, ...), "
                           "got %s", is_null (root) ? "nothing" : vt_yaml_kind_name (root->kind));
  for (guint i = 0; i < root->keys->len; i++)
    {
      const VtYamlNode *key = g_ptr_array_index (root->keys, i);
      SectionParser parse = section_parser (key->value);

      if (!parse)
        return unknown_top_level_key (key, error);
      if (!parse (desc, key->value, g_ptr_array_index (root->items, i), error))
        return FALSE;
    }
  return check_cross_fields (desc, root, error);
}

VtDescription *
vt_description_parse (const char *text, gsize len, GError **error)
{
  g_autoptr (VtYamlNode) root = NULL;
  g_autoptr (VtDescription) desc = NULL;

  g_return_val_if_fail (text != NULL || len == 0, NULL);

  root = vt_yaml_parse (text ? text : "", len, &description_limits, "description", error);
  if (!root)
    return NULL;
  desc = description_new ();
  if (!parse_root (desc, root, error))
    return NULL;
  return g_steal_pointer (&desc);
}

/* ---- one device (issue #12) ------------------------------------------------------- */

/* A device fragment is read by the very parsers of disks: and networks: entries, so a
 * fragment means exactly what the same entry means in a description. */
static const VtYamlLimits device_limits = {
  .max_bytes = VT_DEVICE_MAX_BYTES,
  .max_depth = 2,
  .max_nodes = 16,
  .max_scalar = VT_DEVICE_MAX_BYTES,
};

static gboolean
is_network_fragment (const VtYamlNode *root)
{
  return vt_yaml_mapping_get_key (root, "network") != NULL ||
         vt_yaml_mapping_get_key (root, "bridge") != NULL;
}

VtDescription *
vt_description_parse_device (const char *text, gsize len, const char *domain, GError **error)
{
  g_autoptr (VtYamlNode) root = NULL;
  g_autoptr (VtDescription) desc = NULL;

  g_return_val_if_fail ((text != NULL || len == 0) && domain != NULL, NULL);

  root = vt_yaml_parse (text ? text : "", len, &device_limits, "device", error);
  if (!root)
    return NULL;
  desc = description_new ();
  desc->name = g_strdup (domain);
  if (root->kind != VT_YAML_MAPPING)
    {
      describe_error (error, "device", root,
                      "a device is one disks: or networks: entry, a mapping such as "
                      "{pool: default, size: 10GiB} or {network: default}");
      return NULL;
    }
  if (!(is_network_fragment (root) ? parse_network (desc, "device", root, error)
                                   : parse_disk (desc, "device", root, error)))
    return NULL;
  return g_steal_pointer (&desc);
}
