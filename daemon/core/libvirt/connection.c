#include "libvirt/connection.h"

#include <libvirt/virterror.h>

#include "libvirt/open.h"
#include "libvirt/virt-error.h"
#include "util/error.h"

/* libvirtd is pinged every KEEPALIVE_INTERVAL seconds; after KEEPALIVE_COUNT unanswered
 * pings (about 20 s of silence) libvirt closes the connection as dead. */
#define KEEPALIVE_INTERVAL 5
#define KEEPALIVE_COUNT 3

struct _VtConnection {
  char *uri;
  virConnectPtr conn;   /* our own reference; callers get extra ones */
  gint closed;          /* atomic: libvirt's close callback fired for conn */
  GMutex lock;          /* guards conn: fronts call from worker threads */
  guint generation;     /* under lock: how many times a connection was opened */
  guint open_timeout_s; /* how long an open may take; 0: as long as libvirt waits */
  gint reachable;       /* atomic: VtReachability, as last seen */
  VtConnectionWatch watch;    /* set before the first use; nullable */
  gpointer watch_data;
  VtConnectionOpenWatch open_watch;   /* under lock; nullable: told of each open and drop */
  gpointer open_watch_data;
};

/* ---- libvirt's event loop ----
 *
 * Without an event loop libvirt learns that libvirtd went away only when a call fails
 * on the dead socket ("Cannot write data: Broken pipe"), and virConnectIsAlive says 1
 * until then. With one, libvirt watches the socket: it sees the end of file the moment
 * libvirtd stops, runs the close callback, and sends the keepalive pings that catch a
 * libvirtd that hangs.
 *
 * libvirt's event implementation is GLib's default main context, so whoever runs that
 * context runs libvirt's events: in the daemon, its main loop. No thread of our own
 * may run it: GLib lets one thread own a context at a time, so such a thread would
 * dispatch the daemon's own sources whenever it held the context (before the main loop
 * starts, their callbacks then ran in the wrong thread), and starve while it did not.
 * The implementation is registered once per process, before the first connection opens
 * (a connection registers its socket with the loop only when it opens). */

static gsize events_registered;

static void
register_events (void)
{
  if (!g_once_init_enter (&events_registered))
    return;
  if (virEventRegisterDefaultImpl () < 0)
    g_warning ("cannot register libvirt's event loop (%s); a lost libvirt connection is "
               "noticed only when a call fails", virGetLastErrorMessage ());
  g_once_init_leave (&events_registered, 1);
}

/* ---- the connection ---- */

VtConnection *
vt_connection_new (const char *uri)
{
  VtConnection *conn = g_new0 (VtConnection, 1);

  conn->uri = g_strdup (uri);
  conn->reachable = VT_REACHABILITY_UNKNOWN;
  conn->open_timeout_s = VT_CONNECTION_OPEN_TIMEOUT_DEFAULT;
  g_mutex_init (&conn->lock);
  register_events ();
  return conn;
}

static const char *
close_reason (int reason)
{
  switch (reason)
    {
    case VIR_CONNECT_CLOSE_REASON_ERROR:
      return "I/O error";
    case VIR_CONNECT_CLOSE_REASON_EOF:
      return "libvirtd closed it";
    case VIR_CONNECT_CLOSE_REASON_KEEPALIVE:
      return "libvirtd stopped answering keepalive pings";
    default:
      return "closed";
    }
}

void
vt_connection_set_open_timeout (VtConnection *conn, guint seconds)
{
  conn->open_timeout_s = seconds;
}

void
vt_connection_set_watch (VtConnection *conn, VtConnectionWatch watch, gpointer data)
{
  conn->watch = watch;
  conn->watch_data = data;
}

VtReachability
vt_connection_reachability (VtConnection *conn)
{
  return g_atomic_int_get (&conn->reachable);
}

/* Records what the last open or close said and tells the watch when it changed. */
static void
set_reachable (VtConnection *conn, gboolean reachable)
{
  VtReachability now = reachable ? VT_REACHABILITY_YES : VT_REACHABILITY_NO;

  if (g_atomic_int_exchange (&conn->reachable, now) != (gint) now && conn->watch != NULL)
    conn->watch (conn, reachable, conn->watch_data);
}

/* libvirt's close callback, in whichever thread noticed (usually the main loop's). It
 * only marks the connection: dropping our reference here could dispose the connection
 * inside libvirt's callback lock, and the next vt_connection_get drops it anyway. */
static void
on_closed (virConnectPtr closed, int reason, void *opaque)
{
  VtConnection *conn = opaque;

  g_atomic_int_set (&conn->closed, TRUE);
  g_message ("libvirt connection to %s lost: %s", conn->uri, close_reason (reason));
  set_reachable (conn, FALSE);
}

/* Called with the lock held. After the unregistration on_closed cannot run for this
 * connection any more (libvirt calls it under the lock the unregistration takes), so
 * conn->closed may then be reset for the next one. */
static void
drop (VtConnection *conn)
{
  if (conn->open_watch != NULL)
    conn->open_watch (conn->conn, FALSE, conn->open_watch_data);
  /* Fails when the callback already fired: libvirt unregisters it then itself. */
  if (!g_atomic_int_get (&conn->closed)
      && virConnectUnregisterCloseCallback (conn->conn, on_closed) < 0)
    virResetLastError ();
  virConnectClose (g_steal_pointer (&conn->conn));
  g_atomic_int_set (&conn->closed, FALSE);
}

void
vt_connection_free (VtConnection *conn)
{
  if (conn == NULL)
    return;
  if (conn->conn != NULL)
    drop (conn);
  g_mutex_clear (&conn->lock);
  g_free (conn->uri);
  g_free (conn);
}

const char *
vt_connection_uri (VtConnection *conn)
{
  return conn->uri;
}

/* Close callback and keepalive are best effort: drivers without them (test:///) have
 * no socket to lose, and virConnectIsAlive still covers the others. */
static void
watch (VtConnection *conn)
{
  if (virConnectRegisterCloseCallback (conn->conn, on_closed, conn, NULL) < 0)
    g_debug ("no close callback on %s: %s", conn->uri, virGetLastErrorMessage ());
  if (virConnectSetKeepAlive (conn->conn, KEEPALIVE_INTERVAL, KEEPALIVE_COUNT) < 0)
    g_debug ("no keepalive on %s: %s", conn->uri, virGetLastErrorMessage ());
  virResetLastError ();
}

static gboolean
open_connection (VtConnection *conn, GError **error)
{
  conn->conn = vt_libvirt_open (conn->uri, conn->open_timeout_s, error);
  if (conn->conn == NULL)
    {
      set_reachable (conn, FALSE);
      return FALSE;
    }
  watch (conn);
  conn->generation++;
  if (conn->open_watch != NULL)
    conn->open_watch (conn->conn, TRUE, conn->open_watch_data);
  set_reachable (conn, TRUE);
  return TRUE;
}

gboolean
vt_connection_lost (virConnectPtr conn)
{
  return virConnectIsAlive (conn) != 1;
}

virConnectPtr
vt_connection_get (VtConnection *conn, GError **error)
{
  return vt_connection_get_generation (conn, NULL, error);
}

virConnectPtr
vt_connection_get_generation (VtConnection *conn, guint *generation, GError **error)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&conn->lock);

  if (conn->conn != NULL && (g_atomic_int_get (&conn->closed) || vt_connection_lost (conn->conn)))
    {
      g_info ("libvirt connection to %s was lost; reopening", conn->uri);
      drop (conn);
    }
  if (conn->conn == NULL && !open_connection (conn, error))
    return NULL;
  if (generation != NULL)
    *generation = conn->generation;
  virConnectRef (conn->conn);
  return conn->conn;
}

void
vt_connection_set_open_watch (VtConnection *conn, VtConnectionOpenWatch on_change,
                              gpointer data)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&conn->lock);

  if (conn->conn != NULL && conn->open_watch != NULL)
    conn->open_watch (conn->conn, FALSE, conn->open_watch_data);
  conn->open_watch = on_change;
  conn->open_watch_data = data;
  if (conn->conn != NULL && on_change != NULL)
    on_change (conn->conn, TRUE, data);
}
