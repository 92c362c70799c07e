#include "host/plan.h"

#include "host/probe.h"

static void
host_row_free (VtHostRow *row)
{
  g_free (row->setting);
  g_free (row->file);
  g_free (row->current);
  g_free (row->current_raw);
  g_free (row->wanted);
  g_free (row->wanted_raw);
  g_free (row->problem);
  g_free (row);
}

void
vt_host_plan_free (VtHostPlan *plan)
{
  if (!plan)
    return;
  g_ptr_array_unref (plan->rows);
  g_free (plan->sev);
  g_free (plan);
}

/* The current value of a tunable row from its file's @text; NULL @text is unreadable,
 * and @error says why. */
static void
read_current (VtHostRow *row, const char *text, GError **error)
{
  if (text && row->kind == VT_HOST_CHOICE)
    row->current_raw = vt_host_choice_current (row->file, text, error);
  else
    row->current_raw = g_strdup (text);
  if (!row->current_raw)
    row->problem = g_strdup ((*error)->message);
  row->current = vt_host_tunable_shown_value (row->tunable, row->current_raw);
}

/* A tunable row: reads its file, compares with @wanted (canonical catalog value or NULL). */
static void
add_tunable (VtHostPlan *plan, const char *sysroot, const VtHostTunable *tunable,
             const char *instance, const char *wanted)
{
  VtHostRow *row = g_new0 (VtHostRow, 1);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  row->setting = vt_host_tunable_setting (tunable, instance);
  row->tunable = tunable;
  row->file = vt_host_tunable_file (tunable, instance);
  row->kind = tunable->kind;
  text = vt_host_read (sysroot, row->file, &error);
  read_current (row, text, &error);
  row->wanted = g_strdup (wanted ? wanted : "");
  if (wanted)
    row->wanted_raw = vt_host_tunable_file_value (tunable, wanted);
  if (wanted && text && row->kind == VT_HOST_CHOICE && !vt_host_choice_offers (text, wanted))
    {
      g_autofree char *offered = vt_host_choice_plain (text);

      g_free (row->problem);
      row->problem = g_strdup_printf ("not offered here; choices: %s", offered);
    }
  row->ok = !wanted || (!row->problem && g_strcmp0 (row->current_raw, row->wanted_raw) == 0);
  g_ptr_array_add (plan->rows, row);
}

/* A disk has the tunable when it has the file and, for a choice file, when the file
 * offers more than "none": a disk without a queue has nothing to choose. */
static gboolean
disk_has_tunable (const char *sysroot, const VtHostTunable *tunable, const char *disk)
{
  g_autofree char *file = vt_host_tunable_file (tunable, disk);
  g_autofree char *text = vt_host_read (sysroot, file, NULL);
  g_auto(GStrv) words = NULL;

  if (!text || tunable->kind != VT_HOST_CHOICE)
    return text != NULL;
  words = vt_host_choice_words (text);
  return g_strv_length (words) > 1 || (words[0] && !g_str_equal (words[0], "none"));
}

/* One row per file @tunable has on this host. */
static void
add_tunable_rows (VtHostPlan *plan, const char *sysroot, const VtHostTunable *tunable,
                  const char *wanted, const char *const *disks, guint64 page_kib)
{
  g_autofree char *kib = NULL;

  switch (tunable->files)
    {
    case VT_HOST_ONE_FILE:
      add_tunable (plan, sysroot, tunable, NULL, wanted);
      break;
    case VT_HOST_EACH_DISK:
      for (const char *const *disk = disks; *disk; disk++)
        if (disk_has_tunable (sysroot, tunable, *disk))
          add_tunable (plan, sysroot, tunable, *disk, wanted);
      break;
    case VT_HOST_PAGE_SIZE:
    default:
      kib = g_strdup_printf ("%" G_GUINT64_FORMAT, page_kib);
      add_tunable (plan, sysroot, tunable, kib, wanted);
      break;
    }
}

static void
add_report (VtHostPlan *plan, const char *setting, const char *file, const char *current,
            const char *wanted, gboolean ok)
{
  VtHostRow *row = g_new0 (VtHostRow, 1);

  row->setting = g_strdup (setting);
  row->file = g_strdup (file);
  row->kind = VT_HOST_REPORT;
  row->current = g_strdup (current);
  row->wanted = g_strdup (wanted);
  row->ok = ok;
  g_ptr_array_add (plan->rows, row);
}

static void
add_cpu_flag (VtHostPlan *plan, const char *cpuinfo, const char *flag, gboolean required)
{
  g_autofree char *setting = g_strconcat ("cpu.flag.", flag, NULL);
  gboolean present = cpuinfo && vt_host_cpu_has_flag (cpuinfo, flag);

  add_report (plan, setting, VT_HOST_CPUINFO_FILE,
              cpuinfo ? (present ? "present" : "absent") : "unavailable",
              required ? "present" : "optional", present || !required);
}

/* A kvm_amd boolean parameter row; returns whether it is enabled. */
static gboolean
add_kvm_amd_param (VtHostPlan *plan, const char *sysroot, const char *setting,
                   const char *file, gboolean required)
{
  g_autofree char *value = vt_host_read (sysroot, file, NULL);
  gboolean enabled = value && (g_str_equal (value, "Y") || g_str_equal (value, "1"));
  const char *current = !value ? "kvm_amd not loaded" : enabled ? "enabled" : "disabled";

  add_report (plan, setting, file, current, required ? "enabled" : "optional",
              enabled || !required);
  return enabled || !required;
}

static gboolean
modprobe_dropin_present (const char *sysroot)
{
  g_autofree char *text = vt_host_read (sysroot, VT_HOST_SEV_MODPROBE_FILE, NULL);

  return text && g_strstr_len (text, -1, VT_HOST_SEV_MODPROBE_LINE) != NULL;
}

/* SEV readiness (@sev: sev, sev-es or auto) and, where it is missing, the exact fix. */
static void
add_sev_rows (VtHostPlan *plan, const char *sysroot, const char *sev)
{
  g_autofree char *cpuinfo = vt_host_read (sysroot, VT_HOST_CPUINFO_FILE, NULL);
  g_autofree char *cmdline = vt_host_read (sysroot, VT_HOST_CMDLINE_FILE, NULL);
  g_autofree char *mem_encrypt = cmdline ? vt_host_cmdline_value (cmdline, "mem_encrypt") : NULL;
  gboolean need_es = g_str_equal (sev, "sev-es");
  gboolean module_ok;
  gboolean cmdline_ok = g_strcmp0 (mem_encrypt, "on") == 0;

  add_cpu_flag (plan, cpuinfo, "sev", TRUE);
  add_cpu_flag (plan, cpuinfo, "sev_es", need_es);
  module_ok = add_kvm_amd_param (plan, sysroot, "kvm_amd.sev", VT_HOST_KVM_AMD_SEV_FILE, TRUE);
  module_ok &= add_kvm_amd_param (plan, sysroot, "kvm_amd.sev_es", VT_HOST_KVM_AMD_SEV_ES_FILE,
                                  need_es);
  add_report (plan, "kernel.mem_encrypt", VT_HOST_CMDLINE_FILE,
              mem_encrypt ? mem_encrypt : "not set", "on", cmdline_ok);
  if (!module_ok && modprobe_dropin_present (sysroot))
    add_report (plan, "sev.remediation.kvm_amd", VT_HOST_SEV_MODPROBE_FILE,
                "/" VT_HOST_SEV_MODPROBE_FILE " is in place",
                "reload the module: modprobe -r kvm_amd && modprobe kvm_amd (or reboot)", FALSE);
  else if (!module_ok)
    add_report (plan, "sev.remediation.kvm_amd", VT_HOST_SEV_MODPROBE_FILE,
                "kvm_amd has no SEV options",
                "write '" VT_HOST_SEV_MODPROBE_LINE "' to /" VT_HOST_SEV_MODPROBE_FILE
                " (vscenctl host tune --persistent does), then reload the module: "
                "modprobe -r kvm_amd && modprobe kvm_amd", FALSE);
  if (!cmdline_ok)
    add_report (plan, "sev.remediation.cmdline", VT_HOST_CMDLINE_FILE,
                "mem_encrypt=on is not on the kernel command line",
                "add mem_encrypt=on to the kernel command line (GRUB_CMDLINE_LINUX in "
                "/etc/default/grub, then update-grub or grub2-mkconfig) and reboot", FALSE);
}

/* Huge pages need the CPU's page-size flags: pse for 2 MiB pages, pdpe1gb for 1 GiB. */
static void
add_hugepage_flags (VtHostPlan *plan, const char *sysroot, guint64 kib)
{
  g_autofree char *cpuinfo = vt_host_read (sysroot, VT_HOST_CPUINFO_FILE, NULL);

  add_cpu_flag (plan, cpuinfo, "pse", TRUE);
  if (kib == 1024 * 1024)
    add_cpu_flag (plan, cpuinfo, "pdpe1gb", TRUE);
}

/* Readiness rows for what the wanted settings need beyond the tunables. */
static void
add_readiness_rows (VtHostPlan *plan, const char *sysroot, const VtSettings *settings,
                    guint64 page_kib)
{
  const char *sev = vt_settings_get (settings, "guest.sev");
  const char *hugepages = vt_settings_get (settings, "host.hugepages");

  if (hugepages && !g_str_equal (hugepages, "0"))
    add_hugepage_flags (plan, sysroot, page_kib);
  if (sev && !g_str_equal (sev, "off"))
    {
      plan->sev = g_strdup (sev);
      add_sev_rows (plan, sysroot, sev);
    }
}

VtHostPlan *
vt_host_plan_build (const char *sysroot, const VtSettings *settings)
{
  VtHostPlan *plan = g_new0 (VtHostPlan, 1);
  g_auto(GStrv) disks = vt_host_block_devices (sysroot);
  guint64 page_kib = vt_host_hugepage_kib (sysroot);
  guint n_tunables;
  const VtHostTunable *tunables = vt_host_tunables (&n_tunables);

  plan->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) host_row_free);
  for (guint i = 0; i < n_tunables; i++)
    add_tunable_rows (plan, sysroot, &tunables[i], vt_settings_get (settings, tunables[i].key),
                      (const char *const *) disks, page_kib);
  add_readiness_rows (plan, sysroot, settings, page_kib);
  return plan;
}

const VtHostRow *
vt_host_plan_find (const VtHostPlan *plan, const char *setting)
{
  for (guint i = 0; i < plan->rows->len; i++)
    {
      const VtHostRow *row = g_ptr_array_index (plan->rows, i);

      if (g_str_equal (row->setting, setting))
        return row;
    }
  return NULL;
}

gboolean
vt_host_row_needs_change (const VtHostRow *row)
{
  return row->kind != VT_HOST_REPORT && row->wanted_raw && !row->ok;
}

char *
vt_host_row_wanted_text (const VtHostRow *row)
{
  if (row->problem && row->wanted_raw)
    return g_strdup_printf ("%s (%s)", row->wanted, row->problem);
  return g_strdup (row->wanted);
}
