#!/bin/bash
# System test: Define from the Cockpit plugin in a real browser against a real libvirtd,
# real polkitd and virtuned --system on a private system bus (tests/cockpit/lib.sh serves
# the installed plugin with Debian's cockpit-ws; test-cockpit-define.mjs drives chromium).
# Root's bridge defines a desktop VM with a new volume and virsh shows that domain with the
# UUID the page showed; a bridge running as nobody (Cockpit's limited access) gets "needs
# administrative access" and nothing is created; with a polkit rule granting nobody
# org.virtscenario.define, the same page defines. Inside Cockpit's shell, root's page links
# a domain defined on qemu:///system to cockpit-machines (its backend libvirt-dbus runs on
# the private bus), and the link opens that VM's page there; a domain defined on the second
# connection (test:///default, not this machine's qemu:///system) gets no link but a
# sentence saying why.
#
# Isolation as in test-polkit-libvirt.sh: a private mount namespace with tmpfs over
# libvirt's and polkit's directories; nothing on the machine is touched.
set -u
. "$(dirname "$0")/lib.sh"
. "$VT_SOURCE_ROOT/tests/cockpit/lib.sh"

require_root
require_polkit
require_cmd /usr/sbin/libvirtd /usr/sbin/virtlogd virsh qemu-img /usr/sbin/libvirt-dbus
missing="$(cockpit_missing)" && bail "$missing"
enter_private_mount_namespace "$@"
cockpit_require_node_modules

setup_private_libvirt_pool vt-cockpit-define
trap 'cockpit_stop_ws; stop_private_libvirt_objects; stop_started; rm -rf "$work"' EXIT
start_private_polkit "$work"
write_private_libvirt_conf "$work" "$POOL"
printf '[connection other]\nuri=test:///default\n' >>"$work/virtuned.conf"
start_virtuned --system "$work/virtuned.log" --config "$work/virtuned.conf" \
  --connect qemu:///system

# cockpit-machines' backend, as its D-Bus activation file would start it (as root here).
/usr/sbin/libvirt-dbus --system >"$work/libvirt-dbus.log" 2>&1 &
remember_pid $!
gdbus wait --system --timeout 30 org.libvirt || bail "libvirt-dbus did not take org.libvirt: $(cat "$work/libvirt-dbus.log")"

cockpit_install_plugin "$work/install" || bail "the plugin did not install"
SHOTS="$VT_BUILD_ROOT/meson-logs/cockpit-define-screenshots"
rm -rf "$SHOTS"

pass () { ok "$1" true; }
fail () { diag "$2"; ok "$1" false; }

# browse MODE HOME [PREFIX...]: cockpit-ws (its bridge started by PREFIX) and one run of
# the browser script in MODE.
browse () {
  local mode="$1" home="$2"
  shift 2
  cockpit_start_ws "$home" "$work/ws-$mode.log" "$@" || bail "cockpit-ws did not start"
  cockpit_browser pass fail test-cockpit-define.mjs VT_MODE="$mode" VT_POOL="$POOL" \
    VT_OUT="$work" VT_SHOTS="$SHOTS/$mode"
  ok "$mode: the browser session ran to its end" test $? -eq 0
  cockpit_stop_ws
}

domain_uuid () { virsh domuuid "$1" 2>/dev/null; }

# ---- root: administrative access ---------------------------------------------------
mkdir -p "$SHOTS/admin" "$work/root-home"
browse admin "$work/root-home"
ok "admin: libvirt has the domain, with the UUID the page showed" \
  test "$(domain_uuid vt-cockpit-admin)" = "$(cat "$work/vt-cockpit-admin.uuid" 2>/dev/null)"
ok "admin: its new volume exists in the pool" \
  sh -c "virsh vol-list '$POOL' | grep -q vt-cockpit-admin-disk0"
ok "admin: libvirt has the domain defined in the shell, whose link cockpit-machines followed" \
  test -n "$(domain_uuid vt-cockpit-link)"
ok "admin: the domain of the other connection is not on qemu:///system" \
  test -z "$(domain_uuid vt-cockpit-other)"

# ---- nobody: limited access --------------------------------------------------------
mkdir -p "$SHOTS/limited" "$SHOTS/granted" "$work/nobody-home"
chown nobody "$work/nobody-home"
browse limited "$work/nobody-home" as_nobody
ok "limited: no domain was defined" test -z "$(domain_uuid vt-cockpit-nobody)"

polkit_rule 00-virtuned-cockpit-test "$POLKIT_RULE_NOBODY_DEFINES"
browse granted "$work/nobody-home" as_nobody
ok "granted: libvirt has nobody's domain, with the UUID the page showed" \
  test "$(domain_uuid vt-cockpit-granted)" = "$(cat "$work/vt-cockpit-granted.uuid" 2>/dev/null)"

stop_virtuned_cleanly
finish
