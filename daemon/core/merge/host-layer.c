/* The host layer (SPEC §4.1, step 5): adapts resolved settings to what libvirt's domain
 * capabilities say the host can do. A value the host cannot do falls back to the nearest
 * value it can, with a warning and provenance "host"; when the user asked for the value
 * or a policy locked it, that is an error instead. */
#include "merge/merge.h"

#include <string.h>

#include "model/limits.h"
#include "model/machine.h"
#include "model/sev-policy.h"
#include "util/echo.h"
#include "util/error.h"
#include "util/units.h"

#define HOST_LAYER "host"
/* QEMU's qcow2 driver refuses clusters above 2 MiB. */

typedef struct _CapsRule CapsRule;

/* TRUE when the host can do @value. When not, appends to @offer what it can do. */
typedef gboolean (*CapsJudge) (const CapsRule *rule, const VtSettings *settings,
                               const VtDomcaps *caps, const char *value, GString *offer);
/* The value to use instead of @value, or NULL when there is none. */
typedef char *(*CapsNearest) (const CapsRule *rule, const VtSettings *settings,
                              const VtDomcaps *caps, const char *value);
/* FALSE when the setting does not matter for what @desc makes, so the host need not
 * judge it. */
typedef gboolean (*CapsApplies) (const VtSettings *settings, const VtDescription *desc);

struct _CapsRule {
  const char *key;
  CapsJudge judge;
  CapsNearest nearest;
  const char *enum_name;             /* the domcaps enum that judges the value, or NULL */
  const char *enum_value;            /* checked in enum_name instead of the value ("on") */
  const char *const *always;         /* values any host can do */
  const char *const *fallbacks;      /* best first; nearest = first supported after value */
  CapsApplies applies;               /* NULL: always judged */
};

#define LIST(...) ((const char *const[]) { __VA_ARGS__, NULL })

static void
offer_enum (const VtDomcaps *caps, const char *name, GString *offer)
{
  GPtrArray *values = g_hash_table_lookup (caps->enums, name);

  g_string_append_printf (offer, "%s lists ", name);
  if (!values || values->len == 0)
    {
      g_string_append (offer, "nothing");
      return;
    }
  for (guint i = 0; i < values->len; i++)
    g_string_append_printf (offer, "%s%s", i ? ", " : "", (const char *) values->pdata[i]);
}

/* The generic judge: a value in @always, or listed in the rule's enum. */
static gboolean
judge_enum (const CapsRule *rule, const VtSettings *settings, const VtDomcaps *caps,
            const char *value, GString *offer)
{
  if (rule->always && g_strv_contains (rule->always, value))
    return TRUE;
  if (vt_domcaps_supports (caps, rule->enum_name, rule->enum_value ? rule->enum_value : value))
    return TRUE;
  offer_enum (caps, rule->enum_name, offer);
  return FALSE;
}

static gboolean
judge_tpm (const CapsRule *rule, const VtSettings *settings, const VtDomcaps *caps,
           const char *value, GString *offer)
{
  if (!judge_enum (rule, settings, caps, value, offer))
    return FALSE;
  if (g_str_equal (value, "none") || vt_domcaps_supports (caps, "tpm.backendModel", "emulator"))
    return TRUE;
  g_string_append (offer, "no emulated TPM: tpm.backendModel lacks emulator");
  return FALSE;
}

static gboolean
efi_available (const VtDomcaps *caps)
{
  return vt_domcaps_supports (caps, "os.firmware", "efi");
}

static gboolean
judge_secure_boot (const CapsRule *rule, const VtSettings *settings, const VtDomcaps *caps,
                   const char *value, GString *offer)
{
  if (g_str_equal (value, "off"))
    return TRUE;
  if (!efi_available (caps))
    {
      g_string_append (offer, "no UEFI firmware: os.firmware lacks efi");
      return FALSE;
    }
  if (!judge_enum (rule, settings, caps, value, offer))
    return FALSE;
  if (vt_domcaps_supports (caps, "firmwareFeatures.secureBoot", "yes"))
    return TRUE;
  offer_enum (caps, "firmwareFeatures.secureBoot", offer);
  return FALSE;
}

static gboolean
judge_sev (const CapsRule *rule, const VtSettings *settings, const VtDomcaps *caps,
           const char *value, GString *offer)
{
  if (g_str_equal (value, "off") || g_str_equal (value, "auto"))
    return TRUE;
  if (!caps->sev)
    g_string_append (offer, "no AMD SEV: features/sev is not supported");
  else if (!efi_available (caps))
    g_string_append (offer, "SEV but no UEFI firmware to boot it: os.firmware lacks efi");
  else if (g_str_equal (value, "sev-es") && caps->sev_max_es_guests == 0)
    g_string_append (offer, "SEV without SEV-ES: maxESGuests is 0");
  /* libvirt boots SEV-ES only with a firmware whose descriptor offers amd-sev-es; when
   * the descriptors could be read, that is a fact about the host like the others. */
  else if (g_str_equal (value, "sev-es") && caps->firmware && caps->firmware->sev_es->len == 0)
    g_string_append_printf (offer, "no QEMU firmware descriptor offers amd-sev-es, so libvirt "
                            "finds no firmware to boot it; %u descriptor%s in %s",
                            caps->firmware->names->len,
                            caps->firmware->names->len == 1 ? "" : "s", caps->firmware->dirs);
  else
    return TRUE;
  return FALSE;
}

/* OVMF's firmware descriptors offer ACPI S3 but not S4, so libvirt's firmware
 * autoselection finds no UEFI build for a guest allowed to suspend to disk. */
static gboolean
judge_suspend_to_disk (const CapsRule *rule, const VtSettings *settings, const VtDomcaps *caps,
                       const char *value, GString *offer)
{
  if (g_str_equal (value, "off") || !vt_requirements_need (settings, "guest.firmware", "efi"))
    return TRUE;
  g_string_append (offer, "its UEFI firmware does not offer ACPI S4 suspend-to-disk");
  return FALSE;
}

static gboolean
judge_vcpus (const CapsRule *rule, const VtSettings *settings, const VtDomcaps *caps,
             const char *value, GString *offer)
{
  guint64 n = 0;

  if (caps->max_vcpus == 0 || !g_ascii_string_to_unsigned (value, 10, 0, G_MAXUINT, &n, NULL) ||
      n <= caps->max_vcpus)
    return TRUE;
  g_string_append_printf (offer, "vcpu max is %u", caps->max_vcpus);
  return FALSE;
}

static char *
nearest_vcpus (const CapsRule *rule, const VtSettings *settings, const VtDomcaps *caps,
               const char *value)
{
  return g_strdup_printf ("%u", caps->max_vcpus);
}

static gboolean
judge_cluster_size (const CapsRule *rule, const VtSettings *settings, const VtDomcaps *caps,
                    const char *value, GString *offer)
{
  guint64 bytes = 0;

  if (!vt_parse_size (value, 1, &bytes, NULL) || bytes <= VT_QCOW2_MAX_CLUSTER_SIZE)
    return TRUE;
  g_string_append (offer, "QEMU's qcow2 clusters go up to 2MiB");
  return FALSE;
}

static char *
nearest_cluster_size (const CapsRule *rule, const VtSettings *settings, const VtDomcaps *caps,
                      const char *value)
{
  return vt_format_size (VT_QCOW2_MAX_CLUSTER_SIZE);
}

/* Cluster sizes only reach QEMU through a qcow2 volume the description creates. */
static gboolean
creates_qcow2_volume (const VtSettings *settings, const VtDescription *desc)
{
  if (!desc || !vt_settings_is (settings, "storage.format", "qcow2"))
    return FALSE;
  for (guint i = 0; desc->disks && i < desc->disks->len; i++)
    if (((const VtDiskDesc *) g_ptr_array_index (desc->disks, i))->kind == VT_DISK_NEW)
      return TRUE;
  return FALSE;
}

static void
offer_machines (const VtDomcaps *caps, GString *offer)
{
  g_string_append (offer, "it offers ");
  for (guint i = 0; i < caps->machines->len; i++)
    g_string_append_printf (offer, "%s%s", i ? ", " : "",
                            (const char *) g_ptr_array_index (caps->machines, i));
}

/* A machine the host offers (its domain capabilities' machine or that machine's alias),
 * one its host capabilities list, or, when those are not known, an older version of a
 * known family: QEMU versions q35 and i440fx machines together
 * and keeps the old ones for migration, so the host's machine version bounds both.
 * Anything else is refused, including what cannot be parsed: unknown is not "fine". The
 * other family's alias (pc on a q35 host) is left to libvirt, which picks its version. */
/* With the host's machine list, the list decides: a name QEMU does not have (a version
 * that was never released, like pc-q35-6.3) is refused even when older than the newest. */
static gboolean
judge_listed_machine (const VtDomcaps *caps, const char *value, GString *offer)
{
  if (g_ptr_array_find_with_equal_func (caps->host_machines, value, g_str_equal, NULL))
    return TRUE;
  g_string_append_printf (offer, "the host's emulator has %u machine types (virsh "
                          "capabilities lists them); ", caps->host_machines->len);
  offer_machines (caps, offer);
  return FALSE;
}

static gboolean
judge_machine (const CapsRule *rule, const VtSettings *settings, const VtDomcaps *caps,
               const char *value, GString *offer)
{
  VtMachine want, host;

  if (vt_domcaps_offers_machine (caps, value))
    return TRUE;
  if (caps->host_machines != NULL)
    return judge_listed_machine (caps, value, offer);
  if (!vt_machine_parse (value, &want))
    {
      offer_machines (caps, offer);
      return FALSE;
    }
  if (!want.versioned)
    return TRUE;
  if (!vt_machine_parse (caps->machine, &host) || !host.versioned)
    {
      offer_machines (caps, offer);
      return FALSE;
    }
  if (vt_machine_compare_versions (&want, &host) <= 0)
    return TRUE;
  g_string_append_printf (offer, "its newest %s machine is %s", vt_machine_alias (host.family),
                          caps->machine);
  return FALSE;
}

static char *
nearest_machine (const CapsRule *rule, const VtSettings *settings, const VtDomcaps *caps,
                 const char *value)
{
  return g_strdup (caps->machine);
}

/* guest.features words that name a domain-capabilities <features> element. */
static const char *const checked_features[] = { "vmcoreinfo", "hyperv", NULL };

static gboolean
feature_supported (const VtDomcaps *caps, const char *word)
{
  return !g_strv_contains (checked_features, word) ||
         vt_domcaps_supports (caps, "features", word);
}

static gboolean
judge_features (const CapsRule *rule, const VtSettings *settings, const VtDomcaps *caps,
                const char *value, GString *offer)
{
  g_auto (GStrv) words = g_strsplit (value, " ", -1);
  gboolean ok = TRUE;

  for (guint i = 0; words[i]; i++)
    if (*words[i] && !feature_supported (caps, words[i]))
      ok = FALSE;
  if (!ok)
    offer_enum (caps, "features", offer);
  return ok;
}

static char *
nearest_features (const CapsRule *rule, const VtSettings *settings, const VtDomcaps *caps,
                  const char *value)
{
  g_auto (GStrv) words = g_strsplit (value, " ", -1);
  g_autoptr (GPtrArray) kept = g_ptr_array_new ();

  for (guint i = 0; words[i]; i++)
    if (*words[i] && feature_supported (caps, words[i]))
      g_ptr_array_add (kept, words[i]);
  g_ptr_array_add (kept, NULL);
  return g_strjoinv (" ", (char **) kept->pdata);
}

/* The first supported fallback after @value in the rule's list (from the start when
 * @value is not in it). */
static char *
nearest_in_list (const CapsRule *rule, const VtSettings *settings, const VtDomcaps *caps,
                 const char *value)
{
  g_autoptr (GString) ignored = g_string_new (NULL);
  guint start = 0;

  for (guint i = 0; rule->fallbacks[i]; i++)
    if (g_str_equal (rule->fallbacks[i], value))
      start = i + 1;
  for (guint i = start; rule->fallbacks[i]; i++)
    if (rule->judge (rule, settings, caps, rule->fallbacks[i], ignored))
      return g_strdup (rule->fallbacks[i]);
  return NULL;
}

/* Order matters: firmware is settled before secure boot and SEV, which need UEFI, and
 * those before suspend-to-disk, which UEFI cannot do. */
static const CapsRule rules[] = {
  { "guest.vcpus", judge_vcpus, nearest_vcpus },
  { "guest.machine", judge_machine, nearest_machine },
  { "guest.cpu.mode", judge_enum, nearest_in_list, "cpu.mode",
    .fallbacks = LIST ("host-passthrough", "host-model", "maximum") },
  { "guest.features", judge_features, nearest_features },
  { "guest.firmware", judge_enum, nearest_in_list, "os.firmware", .always = LIST ("auto", "bios"),
    .fallbacks = LIST ("efi", "bios") },
  { "guest.secure_boot", judge_secure_boot, nearest_in_list, "loader.secure", "yes",
    .fallbacks = LIST ("on", "off") },
  { "guest.sev", judge_sev, nearest_in_list, .fallbacks = LIST ("sev-es", "sev", "off") },
  { "guest.suspend_to_disk", judge_suspend_to_disk, nearest_in_list,
    .fallbacks = LIST ("on", "off") },
  { "guest.tpm", judge_tpm, nearest_in_list, "tpm.model", .always = LIST ("none"),
    .fallbacks = LIST ("tpm-crb", "tpm-tis", "none") },
  { "guest.video", judge_enum, nearest_in_list, "video.modelType", .always = LIST ("none"),
    .fallbacks = LIST ("virtio", "qxl", "vga", "bochs", "ramfb", "none") },
  { "guest.graphics", judge_enum, nearest_in_list, "graphics.type", .always = LIST ("none"),
    .fallbacks = LIST ("spice", "vnc", "none") },
  { "guest.rng", judge_enum, nearest_in_list, "rng.model", "virtio", LIST ("off"),
    LIST ("on", "off") },
  { "storage.bus", judge_enum, nearest_in_list, "disk.bus",
    .fallbacks = LIST ("virtio", "scsi", "sata") },
  { "storage.cluster_size", judge_cluster_size, nearest_cluster_size,
    .always = LIST ("default"), .applies = creates_qcow2_volume },
};

static gboolean
refuse (const VtSetting *setting, const char *offer, GError **error)
{
  g_autofree char *who = NULL;
  /* The value may be a caller's (the catalog has checked its grammar first; escaped
   * anyway, as every echo of caller text is). */
  g_autofree char *shown = vt_echo (setting->value);

  if (setting->locked_by)
    who = g_strdup_printf ("locked by policy '%s'", setting->locked_by);
  else
    who = g_strdup ("requested explicitly");
  g_set_error (error, VT_ERROR, VT_ERROR_UNSUPPORTED,
               "%s: '%s' (%s) is not supported by this host (%s)", setting->entry->key,
               shown, who, offer);
  return FALSE;
}

static gboolean
apply_rule (VtSettings *settings, const VtDescription *desc, const CapsRule *rule,
            const VtDomcaps *caps, GPtrArray *warnings, GError **error)
{
  const VtSetting *setting = vt_settings_lookup (settings, rule->key);
  g_autoptr (GString) offer = g_string_new (NULL);
  g_autofree char *nearest = NULL;

  if (!setting || (rule->applies && !rule->applies (settings, desc)) ||
      rule->judge (rule, settings, caps, setting->value, offer))
    return TRUE;
  if (setting->locked_by || g_strcmp0 (setting->layer, "user") == 0)
    return refuse (setting, offer->str, error);
  nearest = rule->nearest (rule, settings, caps, setting->value);
  if (!nearest)
    return refuse (setting, offer->str, error);
  g_ptr_array_add (warnings,
                   g_strdup_printf ("%s: '%s' (from %s) is not supported by this host (%s); "
                                    "using '%s'", rule->key, setting->value, setting->layer,
                                    offer->str, nearest));
  vt_settings_set (settings, rule->key, nearest, HOST_LAYER);
  return TRUE;
}

/* Guest-owner launch data was made for SEV or for SEV-ES (policy bit 2), and launches
 * only as that one: auto takes it, never the other. */
static gboolean
launch_data_allows (const VtDescription *desc, const char *value, GString *offer)
{
  gboolean es;

  if (!desc || !desc->sev)
    return TRUE;
  es = (desc->sev->policy_bits & VT_SEV_POLICY_ES) != 0;
  if (es == g_str_equal (value, "sev-es"))
    return TRUE;
  g_string_append_printf (offer, "the launch data's sev.policy %s is %s policy",
                          desc->sev->policy, es ? "an SEV-ES" : "a plain SEV");
  return FALSE;
}

/* What auto chose, when that needs saying: SEV-ES taken without seeing the firmware
 * descriptors that decide whether libvirt can boot it, or SEV taken on a host with
 * SEV-ES (@passed says why). A host without SEV-ES (maxESGuests 0) is auto's plain
 * meaning and stays quiet. */
static void
note_sev_choice (const VtDomcaps *caps, const char *chosen, const char *passed,
                 GPtrArray *warnings)
{
  if (g_str_equal (chosen, "sev-es") && !caps->firmware)
    g_ptr_array_add (warnings, g_strdup_printf (
        "guest.sev: 'auto' chose sev-es from the domain capabilities (%s) without seeing the "
        "host's QEMU firmware descriptors; libvirt boots an SEV-ES guest only with a firmware "
        "descriptor offering amd-sev-es (Debian 12's OVMF offers only amd-sev): if the guest "
        "does not start, set guest.sev: sev", caps->source));
  else if (g_str_equal (chosen, "sev") && caps->sev_max_es_guests > 0)
    g_ptr_array_add (warnings, g_strdup_printf ("guest.sev: 'auto' chose sev, not sev-es (%s)",
                                                passed));
}

/* guest.sev: auto becomes the first value the catalog says auto stands for that the
 * host can do (judged like any explicit value) and the launch data allows. Finding none
 * is a fallback like any other: fine for a plain policy, an error when a policy locked
 * the key (securevm must not quietly become an unencrypted VM). */
static gboolean
resolve_sev_auto (VtSettings *settings, const VtDescription *desc, const VtDomcaps *caps,
                  GPtrArray *warnings, GError **error)
{
  const VtSetting *setting = vt_settings_lookup (settings, "guest.sev");
  const CapsRule sev_rule = { "guest.sev", judge_sev };
  g_autoptr (GString) offer = g_string_new (NULL);
  g_autoptr (GString) passed = g_string_new (NULL);   /* why better values were not taken */
  const char *const *candidates;

  if (!setting || !g_str_equal (setting->value, "auto"))
    return TRUE;
  for (candidates = setting->entry->auto_means; *candidates; candidates++)
    {
      g_string_truncate (offer, 0);
      if (launch_data_allows (desc, *candidates, offer) &&
          judge_sev (&sev_rule, settings, caps, *candidates, offer))
        {
          vt_settings_set (settings, "guest.sev", *candidates, HOST_LAYER);
          note_sev_choice (caps, *candidates, passed->str, warnings);
          return TRUE;
        }
      g_string_append_printf (passed, "%s%s: %s", passed->len ? "; " : "", *candidates,
                              offer->str);
    }
  if (setting->locked_by)
    return refuse (setting, offer->str, error);
  g_ptr_array_add (warnings, g_strdup_printf ("guest.sev: 'auto' found no AMD SEV on this "
                                              "host (%s); the guest runs without memory "
                                              "encryption", offer->str));
  vt_settings_set (settings, "guest.sev", "off", HOST_LAYER);
  return TRUE;
}

/* guest.machine: q35 becomes the host's versioned q35 machine (stable guest ABI). */
static void
resolve_machine (VtSettings *settings, const VtDomcaps *caps, GPtrArray *warnings)
{
  const char *machine = vt_settings_get (settings, "guest.machine");
  gboolean host_q35 = g_str_has_prefix (caps->machine, "pc-q35-") ||
                      g_str_equal (caps->machine, "q35");

  if (!machine || g_str_has_prefix (machine, "pc-"))
    return;
  if (g_str_equal (machine, "q35") && host_q35)
    {
      vt_settings_set (settings, "guest.machine", caps->machine, HOST_LAYER);
      return;
    }
  g_ptr_array_add (warnings,
                   g_strdup_printf ("guest.machine: '%s' cannot be expanded from domain "
                                    "capabilities for machine %s; libvirt will pick its "
                                    "default version", machine, caps->machine));
}

gboolean
vt_caps_layer_apply (VtSettings *settings, const VtDescription *desc, const VtDomcaps *caps,
                     GPtrArray *warnings, GError **error)
{
  g_return_val_if_fail (settings != NULL && caps != NULL && warnings != NULL, FALSE);

  resolve_machine (settings, caps, warnings);
  if (!resolve_sev_auto (settings, desc, caps, warnings, error))
    return FALSE;
  for (gsize i = 0; i < G_N_ELEMENTS (rules); i++)
    if (!apply_rule (settings, desc, &rules[i], caps, warnings, error))
      return FALSE;
  return vt_cpu_pinning_apply (settings, caps, warnings, error);
}
