/* virtuned — what the merged host.* settings want from this host, row by row. */
#pragma once

#include <glib.h>

#include "model/settings.h"

G_BEGIN_DECLS

/* How a row's file is read and written. */
typedef enum {
  VT_HOST_VALUE,      /* the file holds the value: swappiness, nr_hugepages, ksm/run */
  VT_HOST_CHOICE,     /* the file lists choices, the current one bracketed: THP, scheduler */
  VT_HOST_KSM_MERGE,  /* ksm/merge_across_nodes: only writable while KSM is unmerged */
  VT_HOST_FILE,       /* a whole configuration file (persistent drop-ins) */
  VT_HOST_REPORT,     /* readiness only, never written: CPU flags, kvm_amd, cmdline */
} VtHostKind;

/* The modprobe.d drop-in that enables SEV in kvm_amd. The module name follows
 * "options"; mem_encrypt=on is a kernel command line parameter and goes there. */
#define VT_HOST_SEV_MODPROBE_FILE "etc/modprobe.d/virtuned-sev.conf"
#define VT_HOST_SEV_MODPROBE_LINE "options kvm_amd sev=1 sev_es=1"

typedef struct {
  char *setting;      /* host.thp, host.ksm, host.ksm_merge_across_nodes, host.swappiness,
                       * host.io_scheduler:DEV, host.hugepages, cpu.flag.FLAG,
                       * kvm_amd.sev, kvm_amd.sev_es, kernel.mem_encrypt,
                       * sev.remediation.kvm_amd, sev.remediation.cmdline */
  char *file;         /* relative to the sysroot; NULL for rows not backed by one file */
  VtHostKind kind;
  char *current;      /* shown: on/off for KSM, the selected choice, "unavailable" */
  char *current_raw;  /* the file's value (selected word for choices); NULL if unreadable */
  char *wanted;       /* shown; "" when no listed scenario asks for anything */
  char *wanted_raw;   /* what to write; NULL when nothing is wanted or it is a report */
  char *problem;      /* why the wanted value cannot be set here, or NULL */
  gboolean ok;        /* current is what is wanted (or nothing is wanted) */
} VtHostRow;

typedef struct {
  GPtrArray *rows;    /* VtHostRow*, tunables in application order, then reports */
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
/* @raw as users read it for @setting: KSM's 1/0 become on/off; NULL becomes "unavailable". */
char *vt_host_display_value (const char *setting, const char *raw);

G_END_DECLS
