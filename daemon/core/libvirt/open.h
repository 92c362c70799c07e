/* virtuned — opening a libvirt connection within a time limit. */
#pragma once

#include <glib.h>
#include <libvirt/libvirt.h>

G_BEGIN_DECLS

/* Opens @uri refusing every credential prompt (a daemon has nobody to type a password),
 * and gives up after @timeout_s seconds (0: waits as long as libvirt does). libvirt
 * has no time limit of its own on an open: a host that accepts the connection and never
 * answers, or a packet filter that drops it, holds virConnectOpen for minutes (TCP's
 * retries) or for ever, and keepalive starts only once the open is done. So the open
 * runs in a thread of its own; after the limit the caller gets an error and the thread,
 * left alone, closes what it opened when it ends. Errors: VT_ERROR_LIBVIRT ("cannot
 * connect to URI: libvirt's message" or "... no answer within N s"). */
virConnectPtr vt_libvirt_open (const char *uri, guint timeout_s, GError **error);

G_END_DECLS
