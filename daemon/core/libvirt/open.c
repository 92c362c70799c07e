/* virtuned — a libvirt open with a time limit (see open.h). */
#include "libvirt/open.h"

#include <libvirt/virterror.h>

#include "util/error.h"

/* Shared by the caller and the opening thread; whichever lets go last frees it. */
typedef struct {
  char *uri;
  GMutex lock;
  GCond done_cond;
  gboolean done;            /* under lock: the open returned */
  virConnectPtr conn;       /* the result, NULL when the open failed */
  char *problem;            /* libvirt's message when it failed (its errors are per thread) */
} Opening;

static void
opening_clear (Opening *opening)
{
  if (opening->conn != NULL)
    virConnectClose (opening->conn);
  g_free (opening->uri);
  g_free (opening->problem);
  g_mutex_clear (&opening->lock);
  g_cond_clear (&opening->done_cond);
}

static void
opening_release (Opening *opening)
{
  g_atomic_rc_box_release_full (opening, (GDestroyNotify) opening_clear);
}

static int
refuse_credentials (virConnectCredentialPtr cred, unsigned int ncred, void *cbdata)
{
  return -1;
}

static int credential_types[] = {
  VIR_CRED_AUTHNAME, VIR_CRED_PASSPHRASE, VIR_CRED_ECHOPROMPT, VIR_CRED_NOECHOPROMPT,
};

static gpointer
open_in_thread (gpointer data)
{
  Opening *opening = data;
  virConnectAuth auth = {
    .credtype = credential_types,
    .ncredtype = G_N_ELEMENTS (credential_types),
    .cb = refuse_credentials,
    .cbdata = NULL,
  };
  virConnectPtr conn = virConnectOpenAuth (opening->uri, &auth, 0);

  g_mutex_lock (&opening->lock);
  opening->conn = conn;
  if (conn == NULL)
    opening->problem = g_strdup (virGetLastErrorMessage ());
  virResetLastError ();
  opening->done = TRUE;
  g_cond_signal (&opening->done_cond);
  g_mutex_unlock (&opening->lock);
  opening_release (opening);
  return NULL;
}

/* Waits for the open until @deadline (monotonic µs; 0: no limit). With the lock held. */
static gboolean
wait_done (Opening *opening, gint64 deadline)
{
  while (!opening->done)
    if (deadline == 0)
      g_cond_wait (&opening->done_cond, &opening->lock);
    else if (!g_cond_wait_until (&opening->done_cond, &opening->lock, deadline))
      return opening->done;
  return TRUE;
}

virConnectPtr
vt_libvirt_open (const char *uri, guint timeout_s, GError **error)
{
  Opening *opening = g_atomic_rc_box_new0 (Opening);
  gint64 deadline = timeout_s ? g_get_monotonic_time () + timeout_s * G_TIME_SPAN_SECOND : 0;
  virConnectPtr conn = NULL;

  opening->uri = g_strdup (uri);
  g_mutex_init (&opening->lock);
  g_cond_init (&opening->done_cond);
  g_thread_unref (g_thread_new ("vt-open", open_in_thread, g_atomic_rc_box_acquire (opening)));
  g_mutex_lock (&opening->lock);
  /* Given up: the thread's result, when it comes, is closed by the last release. */
  if (!wait_done (opening, deadline))
    g_set_error (error, VT_ERROR, VT_ERROR_LIBVIRT,
                 "cannot connect to %s: no answer within %u s", uri, timeout_s);
  else if (opening->conn == NULL)
    g_set_error (error, VT_ERROR, VT_ERROR_LIBVIRT, "cannot connect to %s: %s", uri,
                 opening->problem ? opening->problem : "unknown libvirt error");
  else
    conn = g_steal_pointer (&opening->conn);
  g_mutex_unlock (&opening->lock);
  opening_release (opening);
  return conn;
}
