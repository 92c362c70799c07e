/* virtuned — the host plan: what the merged host.* settings want from this host, row by
 * row, next to what it has (CheckHost's rows, what TuneHost writes). */
#pragma once

#include <glib.h>

#include "host/tunables.h"
#include "model/settings.h"

G_BEGIN_DECLS

typedef struct {
  char *setting;      /* host.thp, host.ksm, host.ksm_merge_across_nodes, host.swappiness,
                       * host.io_scheduler:DEV, host.hugepages, cpu.flag.FLAG,
                       * kvm_amd.sev, kvm_amd.sev_es, kernel.mem_encrypt,
                       * sev.remediation.kvm_amd, sev.remediation.cmdline */
  const VtHostTunable *tunable;  /* the table row; NULL for readiness rows */
  char *file;         /* relative to the sysroot; NULL for rows not backed by one file */
  VtHostKind kind;    /* the tunable's kind; VT_HOST_REPORT for readiness rows */
  char *current;      /* shown: on/off for KSM, the selected choice, "unavailable" */
  char *current_raw;  /* the file's value (selected word for choices); NULL if unreadable */
  char *wanted;       /* shown; "" when no listed scenario asks for anything */
  char *wanted_raw;   /* what to write; NULL when nothing is wanted or it is a report */
  char *problem;      /* why the wanted value cannot be set here, or NULL */
  gboolean ok;        /* current is what is wanted (or nothing is wanted) */
} VtHostRow;

typedef struct {
  GPtrArray *rows;    /* VtHostRow*, tunables in application order, then readiness */
  char *sev;          /* guest.sev when a scenario wants SEV (sev, sev-es, auto), else NULL */
} VtHostPlan;

/* Reads the host under @sysroot and compares it with the host.* (and guest.sev)
 * values in @settings. Never fails: unreadable files become rows with a problem. */
VtHostPlan *vt_host_plan_build (const char *sysroot, const VtSettings *settings);
void vt_host_plan_free (VtHostPlan *plan);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VtHostPlan, vt_host_plan_free)

const VtHostRow *vt_host_plan_find (const VtHostPlan *plan, const char *setting);
/* TRUE when TuneHost would write this row. */
gboolean vt_host_row_needs_change (const VtHostRow *row);
/* The wanted column of CheckHost: wanted, with the problem appended when there is one. */
char *vt_host_row_wanted_text (const VtHostRow *row);

G_END_DECLS
