/* virtuned — the domain elements of a real-time guest (libvirt kbase "KVM real time"):
 * <cputune> pinning and scheduling (cputune.c), and what the realtime keys add to the
 * sections build.c makes: <nosharepages/>, <pmu state>, the tsc-deadline CPU feature. */
#pragma once

#include <glib.h>
#include <libxml/tree.h>

#include "domain/context.h"

G_BEGIN_DECLS

/* <cputune> under @domain when guest.cpu.pinning is on or guest.cpu.scheduler is fifo
 * or rr: <vcpupin vcpu='i' cpuset='C'/> for each of the @vcpus vCPUs, vCPU i on the
 * i-th lowest CPU of guest.cpu.pinning.vcpus; <emulatorpin> and, with I/O threads,
 * <iothreadpin> on guest.cpu.pinning.emulator; <vcpusched vcpus='0-N'/> with the
 * scheduler at priority 1. Inserted where libvirt writes it (after <vcpu>/<iothreads>).
 * Errors: VT_ERROR_FAILED when the pinning lists are not resolved (auto, or not one CPU
 * per vCPU: settings no host layer saw). */
gboolean vt_domain_add_cputune (xmlNodePtr domain, const VtDeviceContext *ctx, guint vcpus,
                                GError **error);

/* The realtime section: vt_domain_add_cputune, then guest.memory.nosharepages in
 * <memoryBacking>, guest.pmu as <features><pmu state/>, and, for a real-time scheduler
 * on a host whose CPU has it, <feature policy='require' name='tsc-deadline'/> in a
 * <cpu> that has a mode. Elements are found or made in libvirt's order, so it runs
 * after the sections that make them. */
gboolean vt_domain_add_realtime (xmlNodePtr domain, const VtDeviceContext *ctx, guint vcpus,
                                 GError **error);

/* Inserts @node into @domain right after the last child named in @after
 * (NULL-terminated: what libvirt writes before it), else as the first child. */
void vt_domain_insert_in_order (xmlNodePtr domain, xmlNodePtr node, const char *const *after);

G_END_DECLS
