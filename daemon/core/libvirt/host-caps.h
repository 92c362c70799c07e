/* virtuned — the host's domain capabilities, asked of libvirt. */
#pragma once

#include <glib.h>
#include <libvirt/libvirt.h>

#include "model/domcaps.h"

G_BEGIN_DECLS

/* Asks @conn for x86_64 q35 capabilities, kvm first then qemu. VT_ERROR_UNSUPPORTED when
 * the driver cannot answer (e.g. libvirt's test driver). */
VtDomcaps *vt_domcaps_from_connection (virConnectPtr conn, GError **error);

G_END_DECLS
