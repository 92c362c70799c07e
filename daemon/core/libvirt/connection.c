#include "libvirt/connection.h"

#include <libvirt/virterror.h>

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
  gboolean events;      /* holds a use of libvirt's event loop */
  GMutex lock;          /* guards conn: fronts call from worker threads */
};

/* ---- libvirt's event loop ----
 *
 * Without an event loop libvirt learns that libvirtd went away only when a call fails
 * on the dead socket ("Cannot write data: Broken pipe"), and virConnectIsAlive says 1
 * until then. With one, libvirt watches the socket: it sees the end of file the moment
 * libvirtd stops, runs the close callback, and sends the keepalive pings that catch a
 * libvirtd that hangs. The event implementation is process-wide, so it is registered
 * once; its thread runs while any VtConnection exists and is joined when the last one
 * is freed. */

static GMutex events_lock;     /* guards the three below */
static gboolean events_registered;
static guint events_users;
static GThread *events_thread;
static gint events_running;    /* atomic: the thread loops while set */

static gpointer
run_events (gpointer data)
{
  while (g_atomic_int_get (&events_running))
    if (virEventRunDefaultImpl () < 0)
      {
        g_warning ("libvirt's event loop failed (%s); a lost libvirt connection is "
                   "now noticed only when a call fails", virGetLastErrorMessage ());
        break;
      }
  return NULL;
}

/* Runs in the event thread: the loop stops after this iteration, which also frees what
 * the last connection's close removed from the loop. */
static void
stop_events (int timer, void *opaque)
{
  g_atomic_int_set (&events_running, FALSE);
  virEventRemoveTimeout (timer);
}

static gboolean
events_acquire (void)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&events_lock);

  if (!events_registered)
    {
      /* Before any connection is opened: a connection registers its socket with the
       * loop only when it opens. */
      if (virEventRegisterDefaultImpl () < 0)
        {
          g_warning ("cannot start libvirt's event loop: %s", virGetLastErrorMessage ());
          return FALSE;
        }
      events_registered = TRUE;
    }
  if (events_users++ == 0)
    {
      g_atomic_int_set (&events_running, TRUE);
      events_thread = g_thread_new ("vt-libvirt-events", run_events, NULL);
    }
  return TRUE;
}

static void
events_release (void)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&events_lock);

  if (--events_users > 0)
    return;
  /* A timer due at once wakes the loop from its poll; the loop itself clears the flag,
   * so it cannot stop before the iteration that runs the timer. */
  if (virEventAddTimeout (0, stop_events, NULL, NULL) < 0)
    {
      g_warning ("cannot stop libvirt's event loop: %s", virGetLastErrorMessage ());
      g_thread_unref (g_steal_pointer (&events_thread));
      return;
    }
  g_thread_join (g_steal_pointer (&events_thread));
}

/* ---- the connection ---- */

VtConnection *
vt_connection_new (const char *uri)
{
  VtConnection *conn = g_new0 (VtConnection, 1);

  conn->uri = g_strdup (uri);
  g_mutex_init (&conn->lock);
  conn->events = events_acquire ();
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

/* libvirt's close callback, in whichever thread noticed (usually the event thread). It
 * only marks the connection: dropping our reference here could dispose the connection
 * inside libvirt's callback lock, and the next vt_connection_get drops it anyway. */
static void
on_closed (virConnectPtr closed, int reason, void *opaque)
{
  VtConnection *conn = opaque;

  g_atomic_int_set (&conn->closed, TRUE);
  g_message ("libvirt connection to %s lost: %s", conn->uri, close_reason (reason));
}

/* Called with the lock held. After the unregistration on_closed cannot run for this
 * connection any more (libvirt calls it under the lock the unregistration takes), so
 * conn->closed may then be reset for the next one. */
static void
drop (VtConnection *conn)
{
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
  if (conn->events)
    events_release ();
  g_mutex_clear (&conn->lock);
  g_free (conn->uri);
  g_free (conn);
}

const char *
vt_connection_uri (VtConnection *conn)
{
  return conn->uri;
}

/* A daemon has nobody to type a password: any credential libvirt asks for is refused,
 * so the open fails with libvirt's message instead of blocking on a prompt. */
static int
refuse_credentials (virConnectCredentialPtr cred, unsigned int ncred, void *cbdata)
{
  return -1;
}

static int credential_types[] = {
  VIR_CRED_AUTHNAME, VIR_CRED_PASSPHRASE, VIR_CRED_ECHOPROMPT, VIR_CRED_NOECHOPROMPT,
};

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
  virConnectAuth auth = {
    .credtype = credential_types,
    .ncredtype = G_N_ELEMENTS (credential_types),
    .cb = refuse_credentials,
    .cbdata = NULL,
  };

  conn->conn = virConnectOpenAuth (conn->uri, &auth, 0);
  if (conn->conn == NULL)
    {
      g_autofree char *what = g_strdup_printf ("cannot connect to %s", conn->uri);

      return vt_set_libvirt_error (error, what);
    }
  watch (conn);
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
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&conn->lock);

  if (conn->conn != NULL && (g_atomic_int_get (&conn->closed) || vt_connection_lost (conn->conn)))
    {
      g_info ("libvirt connection to %s was lost; reopening", conn->uri);
      drop (conn);
    }
  if (conn->conn == NULL && !open_connection (conn, error))
    return NULL;
  virConnectRef (conn->conn);
  return conn->conn;
}
