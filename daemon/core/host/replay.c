#include "host/replay.h"

static char *
dropin_header (const char *const *scenarios)
{
  g_autofree char *names = g_strjoinv (", ", (char **) scenarios);

  return g_strdup_printf ("# Written by virtuned for scenario(s) %s; RevertHost removes it.\n",
                          names);
}

/* A row the drop-ins replay: a tunable with a value that can be set here. */
static gboolean
is_replayed (const VtHostRow *row)
{
  return row->tunable && row->wanted_raw && !row->problem;
}

/* The sysctl.d or tmpfiles.d lines of @plan. */
static void
append_tunable_lines (GString *text, const VtHostPlan *plan, VtHostDropin dropin)
{
  for (guint i = 0; i < plan->rows->len; i++)
    {
      const VtHostRow *row = g_ptr_array_index (plan->rows, i);
      const char *sysctl = row->tunable ? row->tunable->sysctl : NULL;

      if (!is_replayed (row) || (sysctl != NULL) != (dropin == VT_HOST_DROPIN_SYSCTL))
        continue;
      if (sysctl)
        g_string_append_printf (text, "%s = %s\n", sysctl, row->wanted_raw);
      else
        g_string_append_printf (text, "w /%s - - - - %s\n", row->file, row->wanted_raw);
    }
}

char *
vt_host_dropin_text (const VtHostPlan *plan, VtHostDropin dropin,
                     const char *const *scenarios)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *header = NULL;

  if (dropin == VT_HOST_DROPIN_MODPROBE && plan->sev)
    g_string_append (text, VT_HOST_SEV_MODPROBE_LINE "\n");
  else if (dropin != VT_HOST_DROPIN_MODPROBE)
    append_tunable_lines (text, plan, dropin);
  if (text->len == 0)
    return NULL;
  header = dropin_header (scenarios);
  return g_strconcat (header, text->str, NULL);
}

/* merge_across_nodes changes only while KSM is unmerged: the same run=2, value, run
 * sequence virtuned itself writes. */
static void
append_command (GString *out, const VtHostRow *row, const char *ksm_run)
{
  if (row->tunable->sysctl)
    g_string_append_printf (out, "  sysctl -w %s=%s\n", row->tunable->sysctl, row->wanted_raw);
  else if (row->kind == VT_HOST_KSM_MERGE)
    g_string_append_printf (out, "  echo 2 > /%s && echo %s > /%s && echo %s > /%s\n",
                            VT_HOST_KSM_RUN_FILE, row->wanted_raw, row->file,
                            ksm_run ? ksm_run : "0", VT_HOST_KSM_RUN_FILE);
  else
    g_string_append_printf (out, "  echo %s > /%s\n", row->wanted_raw, row->file);
}

char *
vt_host_commands (const VtHostPlan *plan)
{
  g_autoptr(GString) out = g_string_new (NULL);
  const VtHostRow *ksm = vt_host_plan_find (plan, "host.ksm");

  for (guint i = 0; i < plan->rows->len; i++)
    {
      const VtHostRow *row = g_ptr_array_index (plan->rows, i);

      if (vt_host_row_needs_change (row) && !row->problem)
        append_command (out, row, ksm ? ksm->current_raw : NULL);
      else if (g_str_has_prefix (row->setting, "sev.remediation."))
        g_string_append_printf (out, "  # %s\n", row->wanted);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}
