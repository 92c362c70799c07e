/* virtuned — one way to run a method call: refuse it while the daemon stops, hold the
 * daemon while it runs, do the work (in a worker thread when it may block), reply with
 * the result or with the error's D-Bus name, release. Every front uses it, so no handler
 * repeats that bookkeeping or forgets a step of it. */
#pragma once

#include <gio/gio.h>

#include "bus/manager.h"

G_BEGIN_DECLS

typedef struct {
  VtManager *manager;
  GDBusMethodInvocation *invocation;
  gpointer job;                    /* the method's own arguments and results */
} VtCall;

typedef struct {
  /* Does the work; in a worker thread when @blocking (polkit, libvirt, kernel writes
   * may take long), else on the main loop. */
  gboolean (*work) (VtCall *call, GError **error);
  /* Main loop, after @work whatever its outcome, before the reply (nullable): publishes
   * what a call changed even when it failed half-way (properties, signals). */
  void (*publish) (VtCall *call);
  /* Main loop, when @work succeeded: completes the invocation. */
  void (*reply) (VtCall *call);
  GDestroyNotify free_job;         /* nullable */
  gboolean blocking;
} VtMethod;

/* Runs @method for @invocation with @job (owned from here on, also on refusal). */
void vt_dispatch (VtManager *manager, GDBusMethodInvocation *invocation,
                  const VtMethod *method, gpointer job);

G_END_DECLS
