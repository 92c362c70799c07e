/* virtuned — upgrade on request (issue #12), what libvirt cannot do by itself: re-render
 * a domain's recorded description with today's policies and host and compare it with
 * the domain, guest-visible changes apart from backend-only ones (domain/update-diff.h);
 * apply them with a redefine, which changes the configuration and never a running
 * domain's live definition (it takes effect at the next start). Blocking. */
#pragma once

#include <glib.h>

#include "domain/update-diff.h"
#include "libvirt/access.h"
#include "libvirt/target.h"

G_BEGIN_DECLS

typedef struct _VtUpdate VtUpdate;

/* Opens domain @domain, resolves the volumes of its description (new ones as Define
 * named them) and renders it. Errors: those of vt_target_open, VT_ERROR_LIBVIRT (a
 * volume that is gone), the builders'. */
VtUpdate *vt_update_new (VtConnection *conn, const VtDeviceInputs *inputs, const char *domain,
                         GError **error);
void vt_update_free (VtUpdate *update);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VtUpdate, vt_update_free)

/* The access redefining it needs: Define's for its description. */
VtAccessLevel vt_update_access (const VtUpdate *update, const char **reason);

/* The changes (VtChange*), guest-visible first. */
GPtrArray *vt_update_changes (VtUpdate *update, GError **error);

/* Redefines the domain: with @backend_only its definition with only the backend
 * changes, else the rendered domain (keeping its UUID; changes made outside virtuned
 * are replaced). Returns the changes applied. Errors: VT_ERROR_LIBVIRT. */
GPtrArray *vt_update_apply (VtUpdate *update, gboolean backend_only, GError **error);

G_END_DECLS
