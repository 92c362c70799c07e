#include "host/tunables.h"

#include <string.h>

/* Application order; see vt_host_tunables. */
static const VtHostTunable tunables[] = {
  { .key = "host.thp", .file = VT_HOST_THP_FILE, .kind = VT_HOST_CHOICE },
  { .key = "host.ksm_merge_across_nodes", .file = VT_HOST_KSM_MERGE_FILE,
    .kind = VT_HOST_KSM_MERGE, .one_zero = TRUE },
  { .key = "host.ksm", .file = VT_HOST_KSM_RUN_FILE, .kind = VT_HOST_VALUE, .one_zero = TRUE },
  { .key = "host.swappiness", .file = VT_HOST_SWAPPINESS_FILE, .kind = VT_HOST_VALUE,
    .sysctl = "vm.swappiness" },
  { .key = "host.io_scheduler", .files = VT_HOST_EACH_DISK, .file = "sys/block/",
    .file_suffix = "/queue/scheduler", .kind = VT_HOST_CHOICE },
  { .key = "host.hugepages", .files = VT_HOST_PAGE_SIZE,
    .file = "sys/kernel/mm/hugepages/hugepages-", .file_suffix = "kB/nr_hugepages",
    .kind = VT_HOST_VALUE },
};

static const char *const dropin_files[VT_HOST_N_DROPINS] = {
  [VT_HOST_DROPIN_SYSCTL] = VT_HOST_SYSCTL_DROPIN,
  [VT_HOST_DROPIN_TMPFILES] = VT_HOST_TMPFILES_DROPIN,
  [VT_HOST_DROPIN_MODPROBE] = VT_HOST_SEV_MODPROBE_FILE,
};

const VtHostTunable *
vt_host_tunables (guint *n_tunables)
{
  *n_tunables = G_N_ELEMENTS (tunables);
  return tunables;
}

const VtHostTunable *
vt_host_tunable_find (const char *setting)
{
  const char *colon = strchr (setting, ':');
  gsize len = colon ? (gsize) (colon - setting) : strlen (setting);

  for (guint i = 0; i < G_N_ELEMENTS (tunables); i++)
    if (strlen (tunables[i].key) == len && strncmp (tunables[i].key, setting, len) == 0
        && (colon == NULL) == (tunables[i].files != VT_HOST_EACH_DISK))
      return &tunables[i];
  return NULL;
}

char *
vt_host_tunable_file (const VtHostTunable *tunable, const char *instance)
{
  if (tunable->files == VT_HOST_ONE_FILE)
    return g_strdup (tunable->file);
  return g_strconcat (tunable->file, instance, tunable->file_suffix, NULL);
}

char *
vt_host_tunable_setting (const VtHostTunable *tunable, const char *instance)
{
  if (tunable->files == VT_HOST_EACH_DISK)
    return g_strconcat (tunable->key, ":", instance, NULL);
  return g_strdup (tunable->key);
}

char *
vt_host_tunable_file_value (const VtHostTunable *tunable, const char *value)
{
  if (tunable->one_zero)
    return g_strdup (g_str_equal (value, "on") ? "1" : "0");
  return g_strdup (value);
}

char *
vt_host_tunable_shown_value (const VtHostTunable *tunable, const char *raw)
{
  if (!raw)
    return g_strdup ("unavailable");
  if (tunable && tunable->one_zero && g_str_equal (raw, "1"))
    return g_strdup ("on");
  if (tunable && tunable->one_zero && g_str_equal (raw, "0"))
    return g_strdup ("off");
  return g_strdup (raw);
}

const char *
vt_host_dropin_file (VtHostDropin dropin)
{
  g_return_val_if_fail (dropin < VT_HOST_N_DROPINS, NULL);
  return dropin_files[dropin];
}

/* The part of @file between @tunable's prefix and suffix, or NULL. */
static char *
instance_of (const VtHostTunable *tunable, const char *file)
{
  gsize len = strlen (file), prefix_len = strlen (tunable->file);
  gsize suffix_len = strlen (tunable->file_suffix);

  if (len <= prefix_len + suffix_len || !g_str_has_prefix (file, tunable->file)
      || !g_str_has_suffix (file, tunable->file_suffix))
    return NULL;
  return g_strndup (file + prefix_len, len - prefix_len - suffix_len);
}

/* A disk is one path component; a page size is a number as the kernel spells it. */
static gboolean
instance_is_valid (const VtHostTunable *tunable, const char *instance)
{
  guint64 kib;
  g_autofree char *spelled = NULL;

  if (tunable->files == VT_HOST_EACH_DISK)
    return !strchr (instance, '/') && !g_str_equal (instance, ".")
           && !g_str_equal (instance, "..");
  if (!g_ascii_string_to_unsigned (instance, 10, 1, G_MAXUINT64, &kib, NULL))
    return FALSE;
  spelled = g_strdup_printf ("%" G_GUINT64_FORMAT, kib);
  return g_str_equal (spelled, instance);
}

static gboolean
is_tunable_file (const VtHostTunable *tunable, const char *file)
{
  g_autofree char *instance = NULL;

  if (tunable->files == VT_HOST_ONE_FILE)
    return g_str_equal (file, tunable->file);
  instance = instance_of (tunable, file);
  return instance && instance_is_valid (tunable, instance);
}

VtHostKind
vt_host_file_kind (const char *file)
{
  for (guint i = 0; i < G_N_ELEMENTS (tunables); i++)
    if (is_tunable_file (&tunables[i], file))
      return tunables[i].kind;
  for (guint i = 0; i < G_N_ELEMENTS (dropin_files); i++)
    if (g_str_equal (file, dropin_files[i]))
      return VT_HOST_FILE;
  return VT_HOST_REPORT;
}
