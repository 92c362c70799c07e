/* Device identities derived from user aliases. */
#include "domain/identity.h"

#include <string.h>

#include "domain/xml-tree.h"

char *
vt_device_serial_for (const char *alias)
{
  g_return_val_if_fail (alias != NULL, NULL);

  if (strlen (alias) > VT_DISK_SERIAL_MAX)
    return NULL;
  return g_strdup (alias);
}

char *
vt_device_mac_for (const char *domain, const char *alias)
{
  g_autoptr (GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  guint8 digest[32];
  gsize len = sizeof digest;

  g_return_val_if_fail (domain != NULL && alias != NULL, NULL);

  /* A newline cannot occur in a domain name, so no two (domain, alias) pairs hash the
   * same text. */
  g_checksum_update (sum, (const guchar *) domain, -1);
  g_checksum_update (sum, (const guchar *) "\n", 1);
  g_checksum_update (sum, (const guchar *) alias, -1);
  g_checksum_get_digest (sum, digest, &len);
  return g_strdup_printf ("52:54:00:%02x:%02x:%02x", digest[0], digest[1], digest[2]);
}

void
vt_device_add_disk_identity (xmlNodePtr disk, const char *alias)
{
  g_autofree char *serial = vt_device_serial_for (alias);

  if (serial != NULL)
    vt_tree_add_text (disk, "serial", serial);
  vt_tree_add_with (disk, "alias", "name", alias);
}

char *
vt_device_next_disk_alias (const VtDiskDesc *disk, VtDiskCount *count)
{
  /* The count advances also for a pinned alias: it numbers positions. */
  guint position = disk->kind == VT_DISK_CDROM ? count->cdroms++ : count->disks++;

  if (disk->alias != NULL)
    return g_strdup (disk->alias);
  return g_strdup_printf ("%s%u", disk->kind == VT_DISK_CDROM ? "ua-cdrom" : "ua-disk",
                          position);
}

char *
vt_device_nic_alias (const VtNetDesc *net, guint index)
{
  return net->alias != NULL ? g_strdup (net->alias) : g_strdup_printf ("ua-net%u", index);
}

char *
vt_device_nic_mac (const VtDeviceContext *ctx, const VtNetDesc *net, const char *alias)
{
  if (net->mac != NULL)
    return g_strdup (net->mac);
  return vt_device_mac_for (ctx->domain_name != NULL ? ctx->domain_name : "", alias);
}
