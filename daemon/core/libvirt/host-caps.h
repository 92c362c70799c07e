/* virtuned — the host's domain capabilities, asked of libvirt. */
#pragma once

#include <glib.h>
#include <libvirt/libvirt.h>

#include "model/domcaps.h"

G_BEGIN_DECLS

/* Asks @conn for x86_64 q35 capabilities, kvm first then qemu. VT_ERROR_UNSUPPORTED when
 * the driver cannot answer (e.g. libvirt's test driver). */
VtDomcaps *vt_domcaps_from_connection (virConnectPtr conn, GError **error);

/* The QEMU firmware descriptors of @conn's hypervisor host, read under @root (the
 * daemon's sysroot, "/" on a real host), when that host is this machine: a URI without
 * a host name (qemu:///system). NULL for a remote connection, whose files are not ours
 * to read. Unreadable descriptors are skipped and described in @problems (char*). */
VtFirmwareDescriptors *vt_host_firmware_descriptors (virConnectPtr conn, const char *root,
                                                     GPtrArray *problems);

G_END_DECLS
