/* virtuned — the daemon's shared state, owned by main.c, read by the front files. */
#pragma once

#include <gio/gio.h>

#include "libvirt/connection.h"
#include "model/config.h"
#include "model/domcaps.h"
#include "model/policy.h"
#include "vt-manager-generated.h"

G_BEGIN_DECLS

typedef struct {
  VtConfig *config;
  gboolean session_bus;       /* --session: mutating calls only from our own uid */
  VtPolicySet *policies;      /* immutable after start */
  VtConnection *conn;
  VtDomcaps *domcaps;         /* host capabilities, resolved at start (immutable) */
  char *domcaps_warning;      /* why a fallback document is used, or NULL */
  GDBusConnection *bus;
  VtDbusManager *skeleton;
  GMainLoop *loop;
  gint busy;                  /* calls in flight (atomic): idle exit waits for 0 */
} VtDaemon;

/* Marks a call in flight / finished, for idle exit. Call from any thread. */
void vt_daemon_hold (VtDaemon *daemon);
void vt_daemon_release (VtDaemon *daemon);

/* Replies to @invocation with @error mapped to its named D-Bus error (errors.c). */
void vt_daemon_return_error (GDBusMethodInvocation *invocation, const GError *error);

/* Front files: each connects its handlers to the skeleton's handle-* signals. */
void vt_front_render_register (VtDaemon *daemon);
void vt_front_define_register (VtDaemon *daemon);
void vt_front_host_register (VtDaemon *daemon);
void vt_front_sev_register (VtDaemon *daemon);

G_END_DECLS
