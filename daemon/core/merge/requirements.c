/* The requirements step: what one resolved setting needs of others. It runs after the
 * host layer, which settles guest.sev (auto becomes sev-es, sev or off), so the needs
 * follow what the guest really gets. The domain builder only reads settings: every
 * value it writes has a provenance entry, including the ones set here. */
#include "merge/merge.h"

#include <stdarg.h>
#include <string.h>

#include "model/sev-policy.h"
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
static const char *const sev_es[] = { "sev-es", NULL };
static const char *const on[] = { "on", NULL };
static const char *const none[] = { "none", NULL };
static const char *const not_spice[] = { "vnc", "none", NULL };

static const Requirement requirements[] = {
  /* libvirt autoselects an SEV-capable UEFI build; SEV is a q35 (PCIe) feature here
   * (SPEC §8); encrypted pages cannot be swapped or handed back through a balloon. */
  { "guest.sev", sev_on, "guest.firmware", "efi" },
  { "guest.sev", sev_on, "guest.machine", "q35" },
  { "guest.sev", sev_on, "guest.memory.locked", "on" },
  { "guest.sev", sev_on, "guest.memballoon", "off" },
  /* An SEV-ES guest cannot be reset: its vCPUs' register state (the VMSAs) was encrypted
   * and measured at launch and cannot be set up again, so QEMU refuses the reboot. */
  { "guest.sev", sev_es, "guest.on_reboot", "destroy" },
  /* Secure boot is a UEFI feature whose variable store SMM protects. */
  { "guest.secure_boot", on, "guest.firmware", "efi" },
  { "guest.secure_boot", on, "guest.features", "smm" },
  /* SPICE carries redirected USB devices to a USB controller in the guest. */
  { "guest.usb", none, "guest.usb_redirection", "0" },
  { "guest.graphics", not_spice, "guest.usb_redirection", "0" },
};

/* Two values that cannot be combined, whichever layers set them: there is no value to
 * give way to that keeps what either setter wanted, so this is always a Conflict. */
typedef struct {
  const char *trigger;
  const char *const *when;
  const char *key;
  const char *const *values;    /* for word lists, words */
  const char *why;
} Exclusion;

#define VALUES(...) ((const char *const[]) { __VA_ARGS__, NULL })
#define MIGRATION_BREAKS "live migration needs "

static const Exclusion exclusions[] = {
  /* KVM gives SEV-ES guests no SMM (QEMU leaves it off, or refuses smm=on), and secure
   * boot relies on SMM to protect its variable store. Secure boot first: when it is on,
   * the smm word below is only its consequence. */
  { "guest.sev", sev_es, "guest.secure_boot", VALUES ("on"),
    "SEV-ES guests have no SMM, which secure boot needs; turn secure boot off, or use "
    "guest.sev: sev" },
  { "guest.sev", sev_es, "guest.features", VALUES ("smm"),
    "SEV-ES guests have no SMM; drop the smm feature, or use guest.sev: sev" },
  /* What makes a live migration fail or lose data (libvirt's migration guide): the
   * destination must find the same memory backing, and a disk cache on the source
   * holds writes the destination would not see. */
  { "guest.live_migration", on, "guest.memory.locked", VALUES ("on"),
    MIGRATION_BREAKS "memory the destination can allocate as it goes, not locked memory" },
  { "guest.live_migration", on, "guest.hugepages", VALUES ("on"),
    MIGRATION_BREAKS "a destination with the same free huge pages; leave guest.hugepages off" },
  { "guest.live_migration", on, "storage.cache", VALUES ("writethrough", "writeback", "unsafe"),
    MIGRATION_BREAKS "a disk cache that keeps no writes on the source host: none or "
    "directsync" },
  { "guest.live_migration", on, "guest.sev", VALUES ("sev", "sev-es"),
    "an SEV guest's memory is encrypted with a key only the source's PSP holds" },
  { "guest.live_migration", on, "guest.cpu.pinning", VALUES ("on"),
    MIGRATION_BREAKS "vCPUs free to run on the destination's CPUs, not pinned to this "
    "host's" },
  /* Without a USB controller there is nothing to plug a USB input device into. */
  { "guest.usb", none, "guest.mouse", VALUES ("usb", "tablet"),
    "a USB pointing device needs a USB controller; use ps2 or virtio" },
  { "guest.usb", none, "guest.keyboard", VALUES ("usb"),
    "a USB keyboard needs a USB controller; use ps2 or virtio" },
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

/* Where @setting's value comes from, for messages: "from LAYER" or "locked by policy 'P'". */
static char *
origin (const VtSetting *setting)
{
  return setting->locked_by ? g_strdup_printf ("locked by policy '%s'", setting->locked_by)
                            : g_strdup_printf ("from %s", setting->layer);
}

static gboolean
contradiction (const VtSettings *settings, const VtSetting *setting, const Requirement *r,
               GError **error)
{
  g_autofree char *who = origin (setting);

  g_set_error (error, VT_ERROR, VT_ERROR_CONFLICT,
               "%s: '%s' (%s) contradicts %s '%s', which needs %s", r->key, setting->value,
               who, r->trigger, vt_settings_get (settings, r->trigger), r->need);
  return FALSE;
}

/* TRUE when @setting's value is one of @values (for a word list: holds one). */
static gboolean
excluded (const VtSetting *setting, const char *const *values)
{
  for (guint i = 0; values[i]; i++)
    if (satisfied (setting->entry, setting->value, values[i]))
      return TRUE;
  return FALSE;
}

static gboolean
check_exclusions (const VtSettings *settings, GError **error)
{
  for (gsize i = 0; i < G_N_ELEMENTS (exclusions); i++)
    {
      const Exclusion *x = &exclusions[i];
      const VtSetting *trigger = vt_settings_lookup (settings, x->trigger);
      const VtSetting *setting = vt_settings_lookup (settings, x->key);
      g_autofree char *trigger_who = NULL;
      g_autofree char *who = NULL;

      if (!trigger || !g_strv_contains (x->when, trigger->value) || !setting ||
          !excluded (setting, x->values))
        continue;
      trigger_who = origin (trigger);
      who = origin (setting);
      g_set_error (error, VT_ERROR, VT_ERROR_CONFLICT,
                   "%s: '%s' (%s) cannot be combined with %s '%s' (%s): %s", x->key,
                   setting->value, who, x->trigger, trigger->value, trigger_who, x->why);
      return FALSE;
    }
  return TRUE;
}

/* ---- guest-owner launch data ---- */

static gboolean
launch_conflict (GError **error, const VtSetting *setting, const char *key,
                 const char *format, ...) G_GNUC_PRINTF (4, 5);

/* VT_ERROR_CONFLICT "KEY: 'VALUE' (ORIGIN) SENTENCE", naming the setting that would need
 * another policy word than the owner's. */
static gboolean
launch_conflict (GError **error, const VtSetting *setting, const char *key,
                 const char *format, ...)
{
  g_autofree char *who = setting ? origin (setting) : g_strdup ("unset");
  g_autofree char *sentence = NULL;
  va_list ap;

  va_start (ap, format);
  sentence = g_strdup_vprintf (format, ap);
  va_end (ap);
  g_set_error (error, VT_ERROR, VT_ERROR_CONFLICT, "%s: '%s' (%s) %s", key,
               setting ? setting->value : "", who, sentence);
  return FALSE;
}

/* "debugging and key sharing": what @missing (of auto's bits) allows. */
static const char *
allowed_by (guint32 missing)
{
  if ((missing & VT_SEV_POLICY_NODBG) && (missing & VT_SEV_POLICY_NOKS))
    return "debugging and key sharing";
  return (missing & VT_SEV_POLICY_NODBG) ? "debugging" : "key sharing";
}

/* The policy word, given guest-owner launch data. The session was made for one word and
 * the PSP refuses any other at LAUNCH_START ("Bad measurement"), so nothing here derives
 * a word: a setting that would need another one is a Conflict naming it, never a silent
 * change. Then the owner's word becomes guest.sev.policy, provenance "user" (it is the
 * description's sev.policy). */
static gboolean
apply_launch_data (VtSettings *settings, const VtSevLaunch *launch, GError **error)
{
  const VtSetting *sev = vt_settings_lookup (settings, "guest.sev");
  const VtSetting *policy = vt_settings_lookup (settings, "guest.sev.policy");
  gboolean word_es = (launch->policy_bits & VT_SEV_POLICY_ES) != 0;
  guint32 missing;

  if (!sev || !g_strv_contains (sev_on, sev->value))
    return launch_conflict (error, sev, "guest.sev",
                            "turns SEV off, but the description carries SEV launch data "
                            "(sev:); use guest.sev sev, sev-es or auto");
  if (word_es != g_str_equal (sev->value, "sev-es"))
    return launch_conflict (error, sev, "guest.sev",
                            "needs a policy word %s the SEV-ES bit (0x4), but sev.policy %s, "
                            "the word the session was made for, %s it", word_es ? "without"
                            : "with", launch->policy, word_es ? "has" : "lacks");
  if (policy && !g_str_equal (policy->value, "auto"))
    {
      if (g_str_equal (policy->value, launch->policy))
        return TRUE;
      return launch_conflict (error, policy, "guest.sev.policy",
                              "differs from sev.policy %s, the word the session was made for",
                              launch->policy);
    }
  missing = vt_sev_policy_auto (word_es) & ~launch->policy_bits;
  if (missing)
    return launch_conflict (error, policy, "guest.sev.policy",
                            "means no debugging and no key sharing, but sev.policy %s, the "
                            "word the session was made for, allows %s; to accept that, set "
                            "guest.sev.policy: %s too", launch->policy, allowed_by (missing),
                            launch->policy);
  vt_settings_set (settings, "guest.sev.policy", launch->policy, "user");
  return TRUE;
}

gboolean
vt_requirements_apply (VtSettings *settings, const VtDescription *desc, const VtDomcaps *caps,
                       GError **error)
{
  if (!check_exclusions (settings, error))
    return FALSE;
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
  return !desc || !desc->sev || apply_launch_data (settings, desc->sev, error);
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
