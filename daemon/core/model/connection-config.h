/* virtuned — the libvirt hosts of virtuned.conf: [connection NAME] groups, and the
 * [libvirt] uri of a single-host configuration, which stays the connection "default". */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* How long opening a connection may take, unless its group says open_timeout. */
#define VT_CONNECTION_OPEN_TIMEOUT_DEFAULT 30
#define VT_CONNECTION_OPEN_TIMEOUT_MAX 3600

/* The name the [libvirt] group's connection carries. */
#define VT_CONNECTION_DEFAULT_NAME "default"

typedef struct {
  char *name;               /* 1..VT_CONNECTION_NAME_MAX of [A-Za-z0-9_.-] */
  char *uri;                /* libvirt URI: qemu:///system, qemu+ssh://…, qemu+tls://… */
  char *domcaps_path;       /* a saved `virsh domcapabilities` document, or NULL */
  GStrv allowed_pools;      /* pools ordinary callers may use on this host */
  GStrv allowed_networks;   /* networks ordinary callers may use on this host */
  gboolean is_default;      /* used when a call names no connection */
  guint open_timeout;       /* seconds an open may take (1..VT_CONNECTION_OPEN_TIMEOUT_MAX) */
} VtConnectionConfig;

VtConnectionConfig *vt_connection_config_new (const char *name, const char *uri);
VtConnectionConfig *vt_connection_config_copy (const VtConnectionConfig *config);
void vt_connection_config_free (VtConnectionConfig *config);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VtConnectionConfig, vt_connection_config_free)

/* Whether @name may name a connection (VT_CONNECTION_NAME_MAX, model/limits.h). */
gboolean vt_connection_name_valid (const char *name);

/* The connection of the group [connection NAME] of @file (@group is the whole group
 * name). Keys: uri (required), allowed_pools, allowed_networks, domcaps, default,
 * open_timeout.
 * VT_ERROR_FAILED naming @path, the group and the key for a bad name, an unknown key,
 * a missing uri or a bad value. */
VtConnectionConfig *vt_connection_config_parse (GKeyFile *file, const char *group,
                                                const char *path, GError **error);

/* Whether @group is a [connection …] group. */
gboolean vt_connection_config_is_group (const char *group);

/* Whether @uri names no host: its driver runs on this machine (qemu:///system). An ssh,
 * tls or tcp URI names one, even localhost, and counts as remote. */
gboolean vt_connection_uri_is_local (const char *uri);

G_END_DECLS
