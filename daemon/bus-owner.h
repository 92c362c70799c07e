/* virtuned — owning the well-known bus name across connection renewals.
 *
 * GDBus reads each message into one buffer per connection that it grows to the largest
 * message received and never shrinks, so a single 16 MiB call, refused or not, would
 * keep 16 MiB of the daemon's memory for good. The owner therefore watches the size of
 * what arrives and, after a large message, moves the name to a fresh connection: the new
 * one queues for the name before the old one releases it, so the name is never unowned
 * and no call is lost; the old one keeps serving until every call routed to it was
 * dispatched and a grace period is over (for clients that address its unique name), then
 * goes, and its buffer with it. */
#pragma once

#include <gio/gio.h>

typedef struct VtBusOwner VtBusOwner;

typedef struct {
  /* The first connection owns the name: the daemon is reachable. */
  void (*acquired) (const char *name, gpointer user_data);
  /* No bus, the name taken by someone else, or the bus connection closed. */
  void (*lost) (const char *why, gpointer user_data);
} VtBusOwnerCallbacks;

/* What every connection the owner opens gets, in this order: the owner's size watch,
 * then @filter (a reference to @filter_data each, taken with @filter_data_ref and dropped
 * when the connection is finalized), then @object exported at @path. */
typedef struct {
  GBusType bus_type;
  const char *name;
  GDBusInterfaceSkeleton *object;
  const char *path;
  GDBusMessageFilterFunction filter;
  gpointer filter_data;
  gpointer (*filter_data_ref) (gpointer data);
  GDestroyNotify filter_data_unref;
  VtBusOwnerCallbacks callbacks;
  gpointer user_data;
} VtBusOwnerSetup;

/* Incoming messages whose body is larger than this make the owner renew its connection. */
#define VT_BUS_RENEW_MESSAGE_BYTES (1024 * 1024)
/* How long a replaced connection keeps serving at least, and the least time between
 * renewals (so a flood of large calls holds at most two large buffers). */
#define VT_BUS_RETIRE_GRACE_MS 2000

/* Connects and requests the name without queueing; calls back from the main loop. */
VtBusOwner *vt_bus_owner_start (const VtBusOwnerSetup *setup);

/* Releases the name on every connection (synchronously: once this returns the bus routes
 * nothing more to us by name) and renews no more. */
void vt_bus_owner_release (VtBusOwner *owner);

/* One round trip on every live connection; @done runs in the main loop once each came
 * back (or failed), which orders it after every message the bus had sent us. FALSE,
 * and @done never runs, when no connection is open. */
gboolean vt_bus_owner_barrier (VtBusOwner *owner, guint timeout_ms, GSourceFunc done,
                           gpointer done_data);

/* Unexports, flushes what was sent and drops every connection; the filters stay until
 * each connection is finalized. */
void vt_bus_owner_free (VtBusOwner *owner);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VtBusOwner, vt_bus_owner_free)
