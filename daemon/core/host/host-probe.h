/* virtuned — reading the host's kernel tunables under a sysroot (SPEC §7). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Files, relative to the sysroot ("/" on a real host). */
#define VT_HOST_THP_FILE "sys/kernel/mm/transparent_hugepage/enabled"
#define VT_HOST_KSM_RUN_FILE "sys/kernel/mm/ksm/run"
#define VT_HOST_KSM_MERGE_FILE "sys/kernel/mm/ksm/merge_across_nodes"
#define VT_HOST_SWAPPINESS_FILE "proc/sys/vm/swappiness"
#define VT_HOST_MEMINFO_FILE "proc/meminfo"
#define VT_HOST_CPUINFO_FILE "proc/cpuinfo"
#define VT_HOST_CMDLINE_FILE "proc/cmdline"
#define VT_HOST_KVM_AMD_SEV_FILE "sys/module/kvm_amd/parameters/sev"
#define VT_HOST_KVM_AMD_SEV_ES_FILE "sys/module/kvm_amd/parameters/sev_es"

/* Reads a kernel file (at most 16 MiB; a FIFO does not block) and strips trailing
 * whitespace. Errors are G_FILE_ERROR with "PATH: reason". */
char *vt_host_read (const char *sysroot, const char *rel, GError **error);

/* Choice files list every choice and bracket the current one: "always [madvise] never". */
char *vt_host_choice_selected (const char *text);      /* "madvise", NULL if none */
gboolean vt_host_choice_offers (const char *text, const char *word);
char *vt_host_choice_plain (const char *text);         /* "always madvise never" */
char *vt_host_choice_select (const char *text, const char *word); /* brackets @word */

/* Whole block devices whose I/O scheduler can be chosen, sorted: entries of sys/block
 * except loop, ram, zram, dm-, md, sr and nbd devices, and devices whose
 * queue/scheduler is missing or offers nothing but "none". */
GStrv vt_host_block_devices (const char *sysroot);
char *vt_host_scheduler_file (const char *device);

/* Default huge page size in KiB (Hugepagesize in proc/meminfo; 2048 when unknown)
 * and the nr_hugepages file for it. */
guint64 vt_host_hugepage_kib (const char *sysroot);
char *vt_host_hugepages_file (guint64 kib);

/* TRUE when the "flags" line of @cpuinfo lists @flag. */
gboolean vt_host_cpu_has_flag (const char *cpuinfo, const char *flag);
/* The value of the last NAME=value word of a kernel command line, or NULL. */
char *vt_host_cmdline_value (const char *cmdline, const char *name);

G_END_DECLS
