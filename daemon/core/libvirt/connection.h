/* virtuned — one libvirt connection, opened lazily, reused, reopened when lost, and
 * watched by libvirt's event loop (close callback, keepalive). */
#pragma once

#include <glib.h>
#include <libvirt/libvirt.h>

#include "model/connection-config.h"

G_BEGIN_DECLS

typedef struct _VtConnection VtConnection;

typedef enum {
  VT_REACHABILITY_UNKNOWN,    /* never opened yet */
  VT_REACHABILITY_YES,        /* the last open worked and libvirt has not closed it since */
  VT_REACHABILITY_NO,         /* the last open failed, or libvirt closed the connection */
} VtReachability;

/* Called when the reachability changes: in the thread that opened the connection, or
 * in the one running libvirt's events (the main loop) when libvirt closed it. */
typedef void (*VtConnectionWatch) (VtConnection *conn, gboolean reachable, gpointer data);

VtConnection *vt_connection_new (const char *uri);
void vt_connection_free (VtConnection *conn);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VtConnection, vt_connection_free)

/* Returns a new reference (virConnectClose it) to a live connection; reopens it when
 * libvirt closed it (its close callback fired, or virConnectIsAlive says so). libvirt's
 * events run in GLib's default main context: while a main loop runs it (the daemon's),
 * libvirt notices a libvirtd that stops (end of file) or hangs (keepalive) by itself,
 * not only when a call fails. Thread-safe. Errors: VT_ERROR_LIBVIRT. */
virConnectPtr vt_connection_get (VtConnection *conn, GError **error);

/* Whether @conn (from vt_connection_get) is gone: libvirt closed it because libvirtd
 * stopped or restarted, stopped answering, or the socket failed. libvirt closes a
 * connection on any transport error, so a call that failed on a connection that is
 * now lost failed because of the connection: a read-only call may be redone on a
 * fresh one (the next vt_connection_get opens it). */
gboolean vt_connection_lost (virConnectPtr conn);

/* Told of every libvirt connection @conn opens (@opened TRUE, right after the open) and
 * drops (FALSE, right before), so a caller can register libvirt event callbacks on each
 * (issue #12: DeviceRemoved). Called with the connection's lock held, in the thread that
 * opens or drops it: it must not call vt_connection_get. */
typedef void (*VtConnectionOpenWatch) (virConnectPtr conn, gboolean opened, gpointer data);

/* Sets (or with NULL clears) the one open watch; an open connection is reported to the
 * old watch as dropped and to the new one as opened. */
void vt_connection_set_open_watch (VtConnection *conn, VtConnectionOpenWatch watch,
                                   gpointer data);
const char *vt_connection_uri (VtConnection *conn);

/* vt_connection_get that also says which opening the connection is (1 for the first,
 * 2 after one reopen, ...): whoever caches what it read over the connection reads it
 * again when the number changed, since the host behind may have changed (a libvirtd
 * restarted with another QEMU). */
virConnectPtr vt_connection_get_generation (VtConnection *conn, guint *generation,
                                            GError **error);

/* How long opening the connection may take (libvirt/open.h); the default is
 * VT_CONNECTION_OPEN_TIMEOUT_DEFAULT. Set before the connection is first used. */
void vt_connection_set_open_timeout (VtConnection *conn, guint seconds);

/* Set before the connection is first used. */
void vt_connection_set_watch (VtConnection *conn, VtConnectionWatch watch, gpointer data);
VtReachability vt_connection_reachability (VtConnection *conn);

G_END_DECLS
