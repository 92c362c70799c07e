/* virtuned — detecting that we run inside a container, the way systemd does. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The container manager virtuned runs under ("docker", "podman", "lxc",
 * "systemd-nspawn", "openvz", "wsl", ...) or NULL on a real host or a VM. Follows
 * systemd-detect-virt --container: OpenVZ's /proc/vz without /proc/bc, WSL's kernel
 * release, /run/host/container-manager, /run/systemd/container, the container=
 * variable in PID 1's environment, then podman's /run/.containerenv and docker's
 * /.dockerenv. Every path is looked up under @sysroot so tests can fake a container. */
char *vt_container_detect (const char *sysroot);

G_END_DECLS
