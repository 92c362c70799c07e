/* virtuned — daemon configuration (virtuned.conf, GKeyFile syntax) and its defaults. */
#pragma once

#include <glib.h>

#include "model/connection-config.h"

G_BEGIN_DECLS

typedef struct {
  char *uri;                /* [libvirt] uri, default qemu:///system */
  GStrv allowed_pools;      /* [security] allowed_pools: usable by ordinary callers */
  GStrv allowed_networks;   /* [security] allowed_networks */
  GStrv policy_dirs;        /* [policies] dirs, searched after the built-in directory */
  char *domcaps_path;       /* [libvirt] domcaps, NULL = ask the connection */
  char *state_dir;          /* [host] state_dir, default /var/lib/virtuned */
  char *sysroot;            /* [host] sysroot, default / */
  guint idle_exit;          /* [daemon] idle_exit seconds, 0 = never */
  GPtrArray *connections;   /* VtConnectionConfig*: the [connection NAME] groups */
  gboolean libvirt_given;   /* the file set [libvirt] uri or domcaps */
  char *path;               /* the file read last, for messages; NULL: none */
} VtConfig;

VtConfig *vt_config_new (void);
/* Overlays the values present in @path. A missing file is not an error when
 * @missing_ok; unknown groups/keys and bad values are (VT_ERROR_FAILED, with the key). */
gboolean vt_config_load (VtConfig *config, const char *path, gboolean missing_ok,
                         GError **error);
void vt_config_free (VtConfig *config);

/* Every connection, the default first (VtConnectionConfig*, copies). Without
 * [connection NAME] groups: one, "default", from [libvirt] uri/domcaps and [security]
 * (today's single-host file). With groups: the one saying default=true is the default,
 * and the [libvirt] connection is not used unless the file sets it; when no group says
 * default=true, the [libvirt] connection is added as "default" and is the default.
 * VT_ERROR_FAILED for two defaults, or a group named "default" beside the [libvirt]
 * connection. */
GPtrArray *vt_config_resolve_connections (const VtConfig *config, GError **error);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VtConfig, vt_config_free)

G_END_DECLS
