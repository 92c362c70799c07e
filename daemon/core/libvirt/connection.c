#include "libvirt/connection.h"

#include "libvirt/virt-error.h"
#include "util/error.h"

struct _VtConnection {
  char *uri;
  virConnectPtr conn;   /* our own reference; callers get extra ones */
  GMutex lock;          /* guards conn: fronts call from worker threads */
};

VtConnection *
vt_connection_new (const char *uri)
{
  VtConnection *conn = g_new0 (VtConnection, 1);

  conn->uri = g_strdup (uri);
  g_mutex_init (&conn->lock);
  return conn;
}

void
vt_connection_free (VtConnection *conn)
{
  if (conn == NULL)
    return;
  if (conn->conn != NULL)
    virConnectClose (conn->conn);
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

static virConnectPtr
connection_open (const char *uri, GError **error)
{
  virConnectAuth auth = {
    .credtype = credential_types,
    .ncredtype = G_N_ELEMENTS (credential_types),
    .cb = refuse_credentials,
    .cbdata = NULL,
  };
  virConnectPtr conn = virConnectOpenAuth (uri, &auth, 0);

  if (conn == NULL)
    {
      g_autofree char *what = g_strdup_printf ("cannot connect to %s", uri);

      vt_set_libvirt_error (error, what);
    }
  return conn;
}

virConnectPtr
vt_connection_get (VtConnection *conn, GError **error)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&conn->lock);

  if (conn->conn != NULL && virConnectIsAlive (conn->conn) != 1)
    {
      g_info ("libvirt connection to %s was lost; reopening", conn->uri);
      virConnectClose (conn->conn);
      conn->conn = NULL;
    }
  if (conn->conn == NULL)
    {
      conn->conn = connection_open (conn->uri, error);
      if (conn->conn == NULL)
        return NULL;
    }
  virConnectRef (conn->conn);
  return conn->conn;
}
