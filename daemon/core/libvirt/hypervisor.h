/* virtuned — one libvirt host virtuned plans and defines for: its configuration (a
 * [connection NAME] group, or [libvirt]), its own connection (keepalive, close callback,
 * its own lock) and the capabilities read over it, cached and read again after a
 * reconnect. Each host has its own locks, so a slow or dead host blocks only the calls
 * that name it. */
#pragma once

#include <glib.h>

#include "libvirt/connection.h"
#include "model/connection-config.h"
#include "model/domcaps.h"

G_BEGIN_DECLS

/* What a host's calls render for: its domain capabilities and, when they are not the
 * host's own, why (a warning every Render repeats). Immutable, reference-counted: a
 * refresh replaces the hypervisor's, and calls keep the one they started with. */
typedef struct {
  VtDomcaps *domcaps;
  char *warning;            /* nullable */
  guint generation;         /* the connection's opening they were read over; 0: none */
} VtHostCaps;

VtHostCaps *vt_host_caps_ref (VtHostCaps *caps);
void vt_host_caps_unref (VtHostCaps *caps);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VtHostCaps, vt_host_caps_unref)

typedef struct _VtHypervisor VtHypervisor;

/* @sysroot: where a local host's QEMU firmware descriptors are read. @fallback_domcaps:
 * the generic document for a driver that cannot report capabilities (libvirt's test
 * driver); nullable. Opens nothing. */
VtHypervisor *vt_hypervisor_new (const VtConnectionConfig *config, const char *sysroot,
                                 const char *fallback_domcaps);
void vt_hypervisor_free (VtHypervisor *hv);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VtHypervisor, vt_hypervisor_free)

const VtConnectionConfig *vt_hypervisor_config (const VtHypervisor *hv);
const char *vt_hypervisor_name (const VtHypervisor *hv);
VtConnection *vt_hypervisor_connection (VtHypervisor *hv);
/* Told when the host's reachability changes (see VtConnectionWatch for the thread). */
typedef void (*VtHypervisorWatch) (VtHypervisor *hv, gboolean reachable, gpointer data);

/* Set before the host is first used. */
void vt_hypervisor_set_watch (VtHypervisor *hv, VtHypervisorWatch watch, gpointer data);

/* The URI names no host: host tuning and firmware descriptors are this machine's. */
gboolean vt_hypervisor_is_local (const VtHypervisor *hv);

/* The capabilities to render for (a new reference). Blocking: the saved document of
 * the configuration (read once); else the connection's own, read over it when never
 * read or when the connection was reopened since; when the host cannot be reached the
 * ones read before, if any. A driver that cannot report them gets the fallback
 * document with a warning. Errors (prefixed "connection 'NAME': "): VT_ERROR_LIBVIRT
 * when the host cannot be reached and nothing was read before, VT_ERROR_FAILED for an
 * unreadable saved document. */
VtHostCaps *vt_hypervisor_caps (VtHypervisor *hv, GError **error);

/* The same, at start: any failure to reach the host gives the fallback document with a
 * warning that says why, as a single-host daemon always did. */
VtHostCaps *vt_hypervisor_caps_or_fallback (VtHypervisor *hv, GError **error);

/* The capabilities read last, without blocking; NULL when none were read yet. */
VtHostCaps *vt_hypervisor_cached_caps (VtHypervisor *hv);

/* Prefixes @error with "connection 'NAME': " unless it names the connection already. */
void vt_hypervisor_prefix_error (const VtHypervisor *hv, GError **error);

G_END_DECLS
