/* The requirements step: what one resolved setting needs of others. It runs after the
 * host layer, which settles guest.sev (auto becomes sev-es, sev or off), so the needs
 * follow what the guest really gets. The domain builder only reads settings: every
 * value it writes has a provenance entry, including the ones set here. */
#include "merge/merge.h"

#include <string.h>

#include "util/error.h"

#define REQUIRES_LAYER "requires:"

typedef struct {
  const char *trigger;          /* the key whose value imposes the need */
  const char *const *when;      /* the trigger's values that impose it */
  const char *key;              /* the key that must follow */
  const char *need;             /* its value; for word lists a word it must hold; for the
                                   machine type a family (q35 = q35 or pc-q35-X.Y) */
} Requirement;

static const char *const sev_on[] = { "sev", "sev-es", NULL };
static const char *const on[] = { "on", NULL };

static const Requirement requirements[] = {
  /* libvirt autoselects an SEV-capable UEFI build; SEV is a q35 (PCIe) feature here
   * (SPEC §8); encrypted pages cannot be swapped or handed back through a balloon. */
  { "guest.sev", sev_on, "guest.firmware", "efi" },
  { "guest.sev", sev_on, "guest.machine", "q35" },
  { "guest.sev", sev_on, "guest.memory.locked", "on" },
  { "guest.sev", sev_on, "guest.memballoon", "off" },
  /* Secure boot is a UEFI feature whose variable store SMM protects. */
  { "guest.secure_boot", on, "guest.firmware", "efi" },
  { "guest.secure_boot", on, "guest.features", "smm" },
};

static gboolean
word_listed (const char *words, const char *word)
{
  g_auto (GStrv) list = g_strsplit (words, " ", -1);

  return g_strv_contains ((const char *const *) list, word);
}

static gboolean
satisfied (const VtCatalogEntry *entry, const char *value, const char *need)
{
  switch (entry->type)
    {
    case VT_TYPE_WORDS:
      return word_listed (value, need);
    case VT_TYPE_MACHINE:
      return g_str_equal (value, need) ||
             (g_str_has_prefix (value, "pc-") && g_str_has_prefix (value + 3, need) &&
              value[3 + strlen (need)] == '-');
    default:
      return g_str_equal (value, need);
    }
}

/* The value that meets @r, given the current @value (nullable). */
static char *
required_value (const VtCatalogEntry *entry, const char *value, const Requirement *r,
                const VtDomcaps *caps)
{
  if (entry->type == VT_TYPE_WORDS && value && *value)
    return g_strconcat (value, " ", r->need, NULL);
  if (entry->type == VT_TYPE_MACHINE && caps && satisfied (entry, caps->machine, r->need))
    return g_strdup (caps->machine);
  return g_strdup (r->need);
}

static gboolean
triggered (const VtSettings *settings, const Requirement *r)
{
  const char *trigger = vt_settings_get (settings, r->trigger);

  return trigger && g_strv_contains (r->when, trigger);
}

/* A value someone insisted on: the user's own (auto only means "don't care"), or one a
 * policy locked. */
static gboolean
insisted (const VtSetting *setting)
{
  return setting->locked_by ||
         (g_strcmp0 (setting->layer, "user") == 0 && !g_str_equal (setting->value, "auto"));
}

static gboolean
contradiction (const VtSettings *settings, const VtSetting *setting, const Requirement *r,
               GError **error)
{
  g_autofree char *who = setting->locked_by
                           ? g_strdup_printf ("locked by policy '%s'", setting->locked_by)
                           : g_strdup_printf ("from %s", setting->layer);

  g_set_error (error, VT_ERROR, VT_ERROR_CONFLICT,
               "%s: '%s' (%s) contradicts %s '%s', which needs %s", r->key, setting->value,
               who, r->trigger, vt_settings_get (settings, r->trigger), r->need);
  return FALSE;
}

gboolean
vt_requirements_apply (VtSettings *settings, const VtDomcaps *caps, GError **error)
{
  for (gsize i = 0; i < G_N_ELEMENTS (requirements); i++)
    {
      const Requirement *r = &requirements[i];
      const VtSetting *current = vt_settings_lookup (settings, r->key);
      const VtCatalogEntry *entry = vt_catalog_lookup (r->key);
      g_autofree char *value = NULL;
      g_autofree char *layer = NULL;

      if (!triggered (settings, r) || (current && satisfied (entry, current->value, r->need)))
        continue;
      if (current && insisted (current))
        return contradiction (settings, current, r, error);
      value = required_value (entry, current ? current->value : NULL, r, caps);
      layer = g_strconcat (REQUIRES_LAYER, r->trigger, NULL);
      vt_settings_set (settings, r->key, value, layer);
    }
  return TRUE;
}

gboolean
vt_requirements_need (const VtSettings *settings, const char *key, const char *value)
{
  if (vt_settings_is (settings, key, value))
    return TRUE;
  for (gsize i = 0; i < G_N_ELEMENTS (requirements); i++)
    if (g_str_equal (requirements[i].key, key) && g_str_equal (requirements[i].need, value) &&
        triggered (settings, &requirements[i]))
      return TRUE;
  return FALSE;
}
