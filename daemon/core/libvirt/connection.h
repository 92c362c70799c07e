/* virtuned — one libvirt connection, opened lazily, reused, reopened when lost, and
 * watched by libvirt's event loop (close callback, keepalive). */
#pragma once

#include <glib.h>
#include <libvirt/libvirt.h>

G_BEGIN_DECLS

typedef struct _VtConnection VtConnection;

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
typedef void (*VtConnectionWatch) (virConnectPtr conn, gboolean opened, gpointer data);

/* Sets (or with NULL clears) the one watch; an open connection is reported to the old
 * watch as dropped and to the new one as opened. */
void vt_connection_set_watch (VtConnection *conn, VtConnectionWatch watch, gpointer data);
const char *vt_connection_uri (VtConnection *conn);

G_END_DECLS
