/* virtuned — host CPU lists ("2-7,10"), as libvirt's cpuset attributes and the kernel's
 * cpulist files spell them: the admin's guest.cpu.pinning.* values and the siblings of
 * the host topology. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The highest CPU id a list may name: Debian's kernels are built with NR_CPUS 8192. */
#define VT_CPUSET_MAX_CPU 8191
/* The longest list text read: every CPU named on its own ("0,1,...,8191") stays below
 * 40000 characters; a range list that long is not a CPU list. */
#define VT_CPUSET_MAX_CHARS 40000

/* Parses @text: comma-separated items, each a CPU id N or a range N-M with N <= M, ids
 * decimal without sign, space or leading zero, at most VT_CPUSET_MAX_CPU. Duplicates
 * and overlaps merge. Returns the CPUs in ascending order (GArray of guint, at least one)
 * or NULL with VT_ERROR_INVALID_DESCRIPTION saying what is wrong, @text echoed bounded
 * and escaped. */
GArray *vt_cpuset_parse (const char *text, GError **error);

/* The canonical text of @n ascending @cpus: runs of two or more are ranges ("0-2,5-6,9"), as
 * libvirt writes cpusets. */
char *vt_cpuset_format (const guint *cpus, guint n);

/* vt_cpuset_parse then vt_cpuset_format: the catalog's normalizer for CPU list values. */
gboolean vt_cpuset_normalize (const char *text, char **canonical, GError **error);

/* TRUE when ascending @cpus (nullable) holds @cpu. */
gboolean vt_cpuset_has (const GArray *cpus, guint cpu);

G_END_DECLS
