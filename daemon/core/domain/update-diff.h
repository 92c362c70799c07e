/* virtuned — what re-rendering a domain's recorded description today would change
 * (RenderUpdate, issue #12), split as the KubeVirt note splits a domain: the frontend
 * the guest sees (machine type, CPU, devices and their models: a change of guest ABI)
 * and the backend only the host sees (cache modes, I/O threads, memory backing,
 * lifecycle actions, the remote display). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  VT_CHANGE_GUEST,     /* guest-visible */
  VT_CHANGE_BACKEND,   /* backend only */
} VtChangeClass;

typedef struct {
  VtChangeClass klass;
  char *key;           /* "machine", "ua-disk0.bus", "ua-disk0.cache", … */
  char *current;       /* "" when the domain has none */
  char *rendered;      /* "" when today's render has none */
} VtChange;

void vt_change_free (VtChange *change);

/* The differences between the domain XML @current (libvirt's inactive XML) and
 * @rendered (the recorded description rendered today), guest-visible first, each in
 * key order (VtChange*). Errors: VT_ERROR_FAILED when either is not a domain. */
GPtrArray *vt_domain_update_diff (const char *current, const char *rendered, GError **error);

/* @current with the backend-only values of @rendered: only what
 * vt_domain_update_diff classes as backend changes, nothing the guest sees. Returns
 * the XML to define. Errors: as vt_domain_update_diff. */
char *vt_domain_update_backend (const char *current, const char *rendered, GError **error);

G_END_DECLS
