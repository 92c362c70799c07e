/* Device aliases of a description: by position, or pinned. */
#include "model/device-alias.h"

#include <string.h>

#include "util/error.h"

gint64
vt_device_alias_number (const char *alias, const char *prefix)
{
  const char *digits;
  guint64 value;

  if (alias == NULL || !g_str_has_prefix (alias, prefix))
    return -1;
  digits = alias + strlen (prefix);
  if (digits[0] == '\0' || (digits[0] == '0' && digits[1] != '\0'))
    return -1;
  if (!g_ascii_string_to_unsigned (digits, 10, 0, G_MAXUINT16, &value, NULL))
    return -1;
  return (gint64) value;
}

/* A disk's alias prefix, and how many disks of its kind come before @index. */
static char *
positional_disk_alias (const VtDescription *desc, guint index)
{
  const VtDiskDesc *disk = g_ptr_array_index (desc->disks, index);
  gboolean cdrom = disk->kind == VT_DISK_CDROM;
  guint before = 0;

  for (guint i = 0; i < index; i++)
    {
      const VtDiskDesc *other = g_ptr_array_index (desc->disks, i);

      if ((other->kind == VT_DISK_CDROM) == cdrom)
        before++;
    }
  return g_strdup_printf ("%s%u", cdrom ? "ua-cdrom" : "ua-disk", before);
}

char *
vt_description_disk_alias (const VtDescription *desc, guint index)
{
  const VtDiskDesc *disk = g_ptr_array_index (desc->disks, index);

  return disk->alias != NULL ? g_strdup (disk->alias) : positional_disk_alias (desc, index);
}

char *
vt_description_net_alias (const VtDescription *desc, guint index)
{
  const VtNetDesc *net = g_ptr_array_index (desc->networks, index);

  return net->alias != NULL ? g_strdup (net->alias) : g_strdup_printf ("ua-net%u", index);
}

/* Adds @alias to @seen; FALSE when it was there. */
static gboolean
first_use (GHashTable *seen, char *alias)
{
  return g_hash_table_add (seen, alias);
}

static gboolean
duplicate (GError **error, const char *list, guint index, guint line, guint column,
           const char *alias)
{
  g_set_error (error, VT_ERROR, VT_ERROR_INVALID_DESCRIPTION,
               "%s[%u].alias (line %u, column %u): '%s' is already another device's alias",
               list, index, line, column, alias);
  return FALSE;
}

gboolean
vt_description_check_aliases (const VtDescription *desc, GError **error)
{
  g_autoptr (GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; desc->disks != NULL && i < desc->disks->len; i++)
    {
      const VtDiskDesc *disk = g_ptr_array_index (desc->disks, i);
      char *alias = vt_description_disk_alias (desc, i);

      if (!first_use (seen, alias))
        return duplicate (error, "disks", i, disk->line, disk->column, alias);
    }
  for (guint i = 0; desc->networks != NULL && i < desc->networks->len; i++)
    {
      const VtNetDesc *net = g_ptr_array_index (desc->networks, i);
      char *alias = vt_description_net_alias (desc, i);

      if (!first_use (seen, alias))
        return duplicate (error, "networks", i, net->line, net->column, alias);
    }
  return TRUE;
}

void
vt_description_pin_aliases (VtDescription *desc)
{
  g_autoptr (GPtrArray) disk_aliases = g_ptr_array_new ();

  /* All computed first: pinning one entry must not change what the next one gets. */
  for (guint i = 0; desc->disks != NULL && i < desc->disks->len; i++)
    g_ptr_array_add (disk_aliases, vt_description_disk_alias (desc, i));
  for (guint i = 0; i < disk_aliases->len; i++)
    {
      VtDiskDesc *disk = g_ptr_array_index (desc->disks, i);

      g_free (disk->alias);
      disk->alias = g_ptr_array_index (disk_aliases, i);
    }
  for (guint i = 0; desc->networks != NULL && i < desc->networks->len; i++)
    {
      VtNetDesc *net = g_ptr_array_index (desc->networks, i);

      if (net->alias == NULL)
        net->alias = g_strdup_printf ("ua-net%u", i);
    }
}
