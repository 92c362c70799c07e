/* virtuned — reading the host's kernel files under a sysroot (SPEC §7). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Files read for readiness and sizes, relative to the sysroot ("/" on a real host); the
 * tunables' own files are in host/tunables.h. */
#define VT_HOST_MEMINFO_FILE "proc/meminfo"
#define VT_HOST_CPUINFO_FILE "proc/cpuinfo"
#define VT_HOST_CMDLINE_FILE "proc/cmdline"
#define VT_HOST_KVM_AMD_SEV_FILE "sys/module/kvm_amd/parameters/sev"
#define VT_HOST_KVM_AMD_SEV_ES_FILE "sys/module/kvm_amd/parameters/sev_es"

/* Reads a kernel file (at most 16 MiB; a FIFO does not block) and strips trailing
 * whitespace. Errors are G_FILE_ERROR with "PATH: reason". */
char *vt_host_read (const char *sysroot, const char *rel, GError **error);

/* Choice files list every choice and bracket the current one: "always [madvise] never".
 * Writing a word selects it; the kernel does the bracketing. A lone word is the current
 * one: the kernel shows a queue that cannot have a scheduler as a bare "none". */
char *vt_host_choice_selected (const char *text);      /* "madvise", NULL if none */
/* The selected word of @text, read from @file; without one, VT_ERROR_HOST_TUNING
 * "no bracketed current value in FILE". */
char *vt_host_choice_current (const char *file, const char *text, GError **error);
GStrv vt_host_choice_words (const char *text);         /* always, madvise, never */
gboolean vt_host_choice_offers (const char *text, const char *word);
char *vt_host_choice_plain (const char *text);         /* "always madvise never" */

/* Real disks, sorted: the entries of sys/block except loop, ram, zram, dm-, md, sr and
 * nbd devices. */
GStrv vt_host_block_devices (const char *sysroot);

/* Default huge page size in KiB (Hugepagesize in proc/meminfo; 2048 when unknown). */
guint64 vt_host_hugepage_kib (const char *sysroot);

/* TRUE when the "flags" line of @cpuinfo lists @flag. */
gboolean vt_host_cpu_has_flag (const char *cpuinfo, const char *flag);
/* The value of the last NAME=value word of a kernel command line, or NULL. */
char *vt_host_cmdline_value (const char *cmdline, const char *name);

G_END_DECLS
