/* virtuned — the host tunables (SPEC §7), one row each: the catalog key, its file(s)
 * under the sysroot, how a file holds the value, and the line --persistent replays it
 * with. The plan reads the host through this table, the state file trusts only its
 * files, apply writes by its kinds, and the drop-ins and the container commands take
 * their lines from it: a new tunable is a new row here (and its key in the catalog). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* How a file is read and written. */
typedef enum {
  VT_HOST_VALUE,      /* the file holds the value: swappiness, nr_hugepages, ksm/run */
  VT_HOST_CHOICE,     /* the kernel lists the choices and brackets the current one
                       * ("always [madvise] never"); the word alone is written */
  VT_HOST_KSM_MERGE,  /* ksm/merge_across_nodes: a value, writable only while KSM is
                       * unmerged (run=2) */
  VT_HOST_FILE,       /* a whole configuration file (the persistent drop-ins) */
  VT_HOST_REPORT,     /* readiness only, never written: CPU flags, kvm_amd, cmdline */
} VtHostKind;

/* Which files one tunable has. */
typedef enum {
  VT_HOST_ONE_FILE,   /* .file */
  VT_HOST_EACH_DISK,  /* .file DEV .file_suffix for every real disk; rows are KEY:DEV */
  VT_HOST_PAGE_SIZE,  /* .file KIB .file_suffix, KIB the default huge page size */
} VtHostFiles;

typedef struct {
  const char *key;          /* the catalog key, host.* */
  VtHostFiles files;
  const char *file;         /* relative to the sysroot; the part before DEV or KIB */
  const char *file_suffix;  /* the part after DEV or KIB; NULL for VT_HOST_ONE_FILE */
  VtHostKind kind;
  gboolean one_zero;        /* the catalog's on/off is 1/0 in the file */
  const char *sysctl;       /* --persistent: "SYSCTL = VALUE" in the sysctl.d drop-in (and
                             * "sysctl -w" in a container); NULL: "w /FILE - - - - VALUE" in
                             * the tmpfiles.d drop-in (and "echo VALUE > /FILE") */
} VtHostTunable;

#define VT_HOST_THP_FILE "sys/kernel/mm/transparent_hugepage/enabled"
#define VT_HOST_KSM_RUN_FILE "sys/kernel/mm/ksm/run"
#define VT_HOST_KSM_MERGE_FILE "sys/kernel/mm/ksm/merge_across_nodes"
#define VT_HOST_SWAPPINESS_FILE "proc/sys/vm/swappiness"

/* The drop-ins --persistent writes, relative to the sysroot. */
typedef enum {
  VT_HOST_DROPIN_SYSCTL,    /* the tunables with a sysctl name */
  VT_HOST_DROPIN_TMPFILES,  /* the others, replayed at boot in the table's order */
  VT_HOST_DROPIN_MODPROBE,  /* SEV for kvm_amd, when a scenario wants SEV */
  VT_HOST_N_DROPINS
} VtHostDropin;

#define VT_HOST_SYSCTL_DROPIN "etc/sysctl.d/90-virtuned.conf"
#define VT_HOST_TMPFILES_DROPIN "etc/tmpfiles.d/virtuned.conf"
/* The module name follows "options"; mem_encrypt=on is a kernel command line
 * parameter and goes there. */
#define VT_HOST_SEV_MODPROBE_FILE "etc/modprobe.d/virtuned-sev.conf"
#define VT_HOST_SEV_MODPROBE_LINE "options kvm_amd sev=1 sev_es=1"

/* Every tunable, in application order: merge_across_nodes before run, so enabling KSM
 * never has to unmerge pages it has just merged. Revert walks the recorded order back. */
const VtHostTunable *vt_host_tunables (guint *n_tunables);
/* The tunable a row or an original is about ("host.thp", "host.io_scheduler:sda"), or
 * NULL (readiness rows, drop-ins). */
const VtHostTunable *vt_host_tunable_find (const char *setting);

/* The file and the row name of @tunable for @instance: the disk (VT_HOST_EACH_DISK), the
 * page size in KiB (VT_HOST_PAGE_SIZE) or NULL. */
char *vt_host_tunable_file (const VtHostTunable *tunable, const char *instance);
char *vt_host_tunable_setting (const VtHostTunable *tunable, const char *instance);

/* A canonical catalog value as @tunable's file holds it: on/off become 1/0. */
char *vt_host_tunable_file_value (const VtHostTunable *tunable, const char *value);
/* A file's value as users read it: 1/0 become on/off; NULL becomes "unavailable".
 * @tunable may be NULL (the value is shown as it is). */
char *vt_host_tunable_shown_value (const VtHostTunable *tunable, const char *raw);

const char *vt_host_dropin_file (VtHostDropin dropin);

/* How virtuned writes @file (relative to the sysroot), or VT_HOST_REPORT when it never
 * writes it: the tunables' files and the drop-ins, nothing else. Names are rebuilt from
 * the table, so "sys/block/../queue/scheduler" or "hugepages-010kB" do not pass. */
VtHostKind vt_host_file_kind (const char *file);

G_END_DECLS
