/* virtuned — <cputune> of a real-time guest (libvirt kbase "KVM real time"): pinning and
 * scheduling. */
#pragma once

#include <glib.h>
#include <libxml/tree.h>

#include "domain/context.h"

G_BEGIN_DECLS

/* Appends <cputune> to @domain when guest.cpu.pinning is on or guest.cpu.scheduler is
 * fifo or rr: <vcpupin vcpu='i' cpuset='C'/> for each of the @vcpus vCPUs, vCPU i on the
 * i-th lowest CPU of guest.cpu.pinning.vcpus; <emulatorpin> and, with I/O threads,
 * <iothreadpin> on guest.cpu.pinning.emulator; <vcpusched vcpus='0-N'/> with the
 * scheduler at priority 1. Errors: VT_ERROR_FAILED when the pinning lists are not
 * resolved (auto, or not one CPU per vCPU: settings no host layer saw). */
gboolean vt_domain_add_cputune (xmlNodePtr domain, const VtDeviceContext *ctx, guint vcpus,
                                GError **error);

G_END_DECLS
