/* virtuned — a host plan replayed elsewhere: the drop-ins that replay it at every boot
 * (--persistent) and the commands that replay it by hand on the host (containers). Both
 * take their lines from the tunables table. */
#pragma once

#include <glib.h>

#include "host/plan.h"

G_BEGIN_DECLS

/* The text of @dropin for what @plan wants, headed by the tuned @scenarios it replays,
 * or NULL when it would be empty: the sysctl.d file takes the tunables with a sysctl
 * name, the tmpfiles.d file writes the others' files in application order, and the
 * modprobe.d file enables SEV in kvm_amd when @plan wants SEV. */
char *vt_host_dropin_text (const VtHostPlan *plan, VtHostDropin dropin,
                           const char *const *scenarios);

/* Shell commands that would apply @plan by hand on the host, and the remediations of
 * its readiness rows as comments; "" when the host has what @plan wants. */
char *vt_host_commands (const VtHostPlan *plan);

G_END_DECLS
