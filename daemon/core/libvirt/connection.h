/* virtuned — one libvirt connection, opened lazily, reused, reopened when lost. */
#pragma once

#include <glib.h>
#include <libvirt/libvirt.h>

G_BEGIN_DECLS

typedef struct _VtConnection VtConnection;

VtConnection *vt_connection_new (const char *uri);
void vt_connection_free (VtConnection *conn);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VtConnection, vt_connection_free)

/* Returns a new reference (virConnectClose it) to a live connection; reopens it when
 * virConnectIsAlive says it is gone. Thread-safe. Errors: VT_ERROR_LIBVIRT. */
virConnectPtr vt_connection_get (VtConnection *conn, GError **error);
const char *vt_connection_uri (VtConnection *conn);

G_END_DECLS
