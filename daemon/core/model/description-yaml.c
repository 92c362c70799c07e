/* Writes a VtDescription back as YAML. Every string goes out double-quoted and escaped,
 * so a value like `on`, `2` or `0x0007` reads back as the same text, and no caller byte
 * can end the scalar early. */
#include "model/description-yaml.h"

#include "util/units.h"

/* "TEXT" with YAML's double-quoted escapes; the parser has refused control characters
 * in names and paths already, the escapes are for whatever a later field may carry. */
static void
append_quoted (GString *out, const char *text)
{
  g_string_append_c (out, '"');
  for (const char *p = text; *p; p++)
    {
      guchar c = (guchar) *p;

      if (c == '"' || c == '\\')
        g_string_append_printf (out, "\\%c", c);
      else if (c < 0x20 || c == 0x7f)
        g_string_append_printf (out, "\\x%02x", c);
      else
        g_string_append_c (out, (char) c);
    }
  g_string_append_c (out, '"');
}

static void
append_string (GString *out, const char *indent, const char *key, const char *value)
{
  if (value == NULL)
    return;
  g_string_append_printf (out, "%s%s: ", indent, key);
  append_quoted (out, value);
  g_string_append_c (out, '\n');
}

static void
append_size (GString *out, const char *indent, const char *key, guint64 bytes)
{
  g_autofree char *text = NULL;

  if (bytes == 0)
    return;
  text = vt_format_size (bytes);
  g_string_append_printf (out, "%s%s: %s\n", indent, key, text);
}

static void
append_flag (GString *out, const char *key, int flag)
{
  if (flag >= 0)
    g_string_append_printf (out, "%s: %s\n", key, flag ? "true" : "false");
}

static void
append_scenarios (GString *out, const GPtrArray *scenarios)
{
  if (scenarios == NULL || scenarios->len == 0)
    return;
  g_string_append (out, "scenario: [");
  for (guint i = 0; i < scenarios->len; i++)
    {
      if (i > 0)
        g_string_append (out, ", ");
      append_quoted (out, g_ptr_array_index (scenarios, i));
    }
  g_string_append (out, "]\n");
}

static void
append_cpu (GString *out, const VtDescription *desc)
{
  if (desc->vcpus > 0)
    g_string_append_printf (out, "vcpus: %u\n", desc->vcpus);
  append_size (out, "", "memory", desc->memory);
  if (desc->sockets > 0)
    g_string_append_printf (out, "cpu:\n  topology: {sockets: %u, cores: %u, threads: %u}\n",
                            desc->sockets, desc->cores, desc->threads);
}

/* pool/volume, as volume: and cdrom: take it. */
static void
append_reference (GString *out, const char *key, const VtDiskDesc *disk)
{
  g_autofree char *reference = g_strconcat (disk->pool, "/", disk->volume, NULL);

  append_string (out, "    ", key, reference);
}

static void
append_disk (GString *out, const VtDiskDesc *disk)
{
  g_string_append (out, "  -\n");
  switch (disk->kind)
    {
    case VT_DISK_NEW:
      append_string (out, "    ", "pool", disk->pool);
      append_size (out, "    ", "size", disk->size);
      break;
    case VT_DISK_VOLUME:
      append_reference (out, "volume", disk);
      break;
    case VT_DISK_CDROM:
      append_reference (out, "cdrom", disk);
      break;
    case VT_DISK_PATH:
      append_string (out, "    ", "path", disk->path);
      append_string (out, "    ", "format", disk->format);
      break;
    }
  append_string (out, "    ", "alias", disk->alias);
}

static void
append_network (GString *out, const VtNetDesc *net)
{
  g_string_append (out, "  -\n");
  append_string (out, "    ", net->kind == VT_NET_BRIDGE ? "bridge" : "network", net->source);
  append_string (out, "    ", "mac", net->mac);
  append_string (out, "    ", "alias", net->alias);
}

static void
append_devices (GString *out, const VtDescription *desc)
{
  if (desc->disks != NULL && desc->disks->len > 0)
    {
      g_string_append (out, "disks:\n");
      for (guint i = 0; i < desc->disks->len; i++)
        append_disk (out, g_ptr_array_index (desc->disks, i));
    }
  if (desc->networks != NULL && desc->networks->len > 0)
    {
      g_string_append (out, "networks:\n");
      for (guint i = 0; i < desc->networks->len; i++)
        append_network (out, g_ptr_array_index (desc->networks, i));
    }
}

static void
append_settings (GString *out, const GPtrArray *settings)
{
  if (settings == NULL || settings->len == 0)
    return;
  g_string_append (out, "settings:\n");
  for (guint i = 0; i < settings->len; i++)
    {
      const VtUserSetting *setting = g_ptr_array_index (settings, i);

      append_string (out, "  ", setting->key, setting->value);
    }
}

char *
vt_description_to_yaml (const VtDescription *desc)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (desc != NULL && desc->name != NULL, NULL);

  append_string (out, "", "name", desc->name);
  append_scenarios (out, desc->scenarios);
  append_string (out, "", "os", desc->os);
  append_cpu (out, desc);
  append_devices (out, desc);
  append_string (out, "", "graphics", desc->graphics);
  append_string (out, "", "firmware", desc->firmware);
  append_flag (out, "secure_boot", desc->secure_boot);
  append_flag (out, "tpm", desc->tpm);
  append_settings (out, desc->settings);
  return g_string_free (out, FALSE);
}
