/* virtuned — the security model of Define (SPEC §9).
 *
 * Defining a domain is as powerful as root when the caller can point it at host
 * resources, so every field that reaches a host backend is classified here, in one
 * place: pools and networks the administrator listed in virtuned.conf are fine for
 * org.virtscenario.define; anything else needs org.virtscenario.define-unrestricted,
 * and so does an existing encrypted volume even in an allowed pool: the new domain
 * would be given that volume's secret, i.e. its plaintext.
 *
 * Settings are not classified: no catalog key names a host backend (a path, a bridge,
 * a host device, a pool or a network); they only shape guest hardware and the volumes
 * created in pools the caller may already use. guest.memory.locked is no exception:
 * the sev, securevm and realtime scenarios (admin-approved policies) lock memory anyway,
 * and memory size is the caller's choice either way. A catalog key added later that does
 * reach a host backend must be classified here. */
#include "libvirt/access.h"

static gboolean
name_is_allowed (const char *name, const GStrv allowed)
{
  return allowed != NULL && g_strv_contains ((const char *const *) allowed, name);
}

static void
add_reason (GString *reasons, const char *format, ...) G_GNUC_PRINTF (2, 3);

static void
add_reason (GString *reasons, const char *format, ...)
{
  va_list args;

  if (reasons->len > 0)
    g_string_append (reasons, "; ");
  va_start (args, format);
  g_string_append_vprintf (reasons, format, args);
  va_end (args);
}

/* An existing encrypted volume is judged only in an allowed pool: elsewhere the pool
 * alone already needs the unrestricted action, and the refusal should not tell the
 * caller what lies in a pool they may not use. */
static void
classify_disks (const VtDescription *desc, const VtConnectionConfig *config,
                const VtDiskResolution *disks, GString *reasons)
{
  for (guint i = 0; desc->disks != NULL && i < desc->disks->len; i++)
    {
      const VtDiskDesc *disk = g_ptr_array_index (desc->disks, i);

      if (disk->kind == VT_DISK_PATH)
        add_reason (reasons, "disks[%u] uses the host path %s", i, disk->path);
      else if (!name_is_allowed (disk->pool, config->allowed_pools))
        add_reason (reasons, "disks[%u] uses storage pool '%s', which virtuned.conf "
                    "does not list in allowed_pools", i, disk->pool);
      else if (disks != NULL && i < disks->n_disks && disks->encrypted[i])
        add_reason (reasons, "disks[%u] is the encrypted volume %s/%s; attaching it "
                    "shares its passphrase", i, disk->pool, disk->volume);
    }
}

static void
classify_networks (const VtDescription *desc, const VtConnectionConfig *config, GString *reasons)
{
  for (guint i = 0; desc->networks != NULL && i < desc->networks->len; i++)
    {
      const VtNetDesc *net = g_ptr_array_index (desc->networks, i);

      if (net->kind == VT_NET_BRIDGE)
        add_reason (reasons, "networks[%u] uses the host bridge %s", i, net->source);
      else if (!name_is_allowed (net->source, config->allowed_networks))
        add_reason (reasons, "networks[%u] uses network '%s', which virtuned.conf "
                    "does not list in allowed_networks", i, net->source);
    }
}

VtAccessLevel
vt_access_define_level (const VtDescription *desc, const VtConnectionConfig *config,
                        const VtDiskResolution *disks, char **reason)
{
  g_autoptr (GString) reasons = g_string_new (NULL);

  classify_disks (desc, config, disks, reasons);
  classify_networks (desc, config, reasons);

  if (reasons->len == 0)
    {
      if (reason != NULL)
        *reason = NULL;
      return VT_ACCESS_RESTRICTED;
    }
  g_string_append_c (reasons, '.');
  if (reason != NULL)
    *reason = g_string_free (g_steal_pointer (&reasons), FALSE);
  return VT_ACCESS_UNRESTRICTED;
}
