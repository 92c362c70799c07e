/* virtuned — the end of the render pipeline: a resolved description to domain XML. */
#pragma once

#include <glib.h>

#include "domain/domain.h"
#include "merge/resolve.h"

G_BEGIN_DECLS

/* Builds and serialises the domain for @resolved (bindings as for vt_domain_build). */
char *vt_domain_render (const VtResolved *resolved, const VtDomcaps *caps,
                        const VtDiskBinding *bindings, GError **error);

G_END_DECLS
