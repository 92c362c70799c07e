#!/bin/bash
# System test: virtuned keeps working across libvirtd restarts (#8, defect 4). The first
# Define after a restart used to fail with "looking up the domain name: Cannot write
# data: Broken pipe": virtuned's connection still looked alive, so it was reused, and
# libvirt learned of the dead socket only on that call. Here a domain is defined,
# libvirtd is restarted on the same private directories, and a second Define must
# succeed on its first try; while libvirtd is down Define fails with a clear Libvirt
# error (Render, which needs no libvirt, keeps working), and once libvirtd is back
# Define works again, still with the same virtuned. The pickers' ListPools and
# ListNetworks behave the same way across further restarts.
#
# Isolation as in test-define-qemu.sh: a private mount namespace, a private libvirtd and
# session bus. Domain names start with vt-restart- and no network is used, so nothing
# collides with the other system tests.
set -u
. "$(dirname "$0")/lib.sh"

require_root
require_cmd /usr/sbin/libvirtd /usr/sbin/virtlogd virsh dbus-daemon gdbus unshare
enter_private_mount_namespace "$@"

work=$(mktemp -d /tmp/vt-libvirtd-restart.XXXXXX)
chmod 0755 "$work"
trap 'stop_private_libvirt_objects; stop_started; rm -rf "$work"' EXIT
start_private_libvirtd "$work"

write_private_libvirt_conf "$work"
start_session_bus "$work"
start_virtuned --session "$work/virtuned.log" --config "$work/virtuned.conf" \
  --connect qemu:///system

# ---- libvirtd, stopped and started on the same private directories -------------------
stop_libvirtd () { stop_libvirtd_from "$work/libvirtd.pid"; }

start_libvirtd_again () {
  rm -f "$work/libvirtd.pid"
  /usr/sbin/libvirtd -d --pid-file "$work/libvirtd.pid" || return 1
  wait_for 30 test -s "$work/libvirtd.pid" || return 1
  remember_pid "$(cat "$work/libvirtd.pid")"
  wait_for 30 virsh version
}

# ---- helpers ------------------------------------------------------------------------
describe () {   # describe NAME: a description that needs no disk and no network
  cat <<EOF
name: $1
scenario: desktop
vcpus: 1
memory: 256MiB
EOF
}

# call_define NAME: Define over the bus (gdbus shows the error's D-Bus name); the reply
# or the error goes to $work/NAME.out.
call_define () {
  describe "$1" >"$work/$1.yaml"
  gdbus call --session --timeout 120 --dest org.virtscenario.Manager --object-path /org/virtscenario/Manager \
    --method org.virtscenario.Manager.Define "$(cat "$work/$1.yaml")" '{}' \
    >"$work/$1.out" 2>&1
}

defined () {    # defined NAME: call_define succeeded; else its error as a diagnostic
  call_define "$1" || { sed 's/^/# /' "$work/$1.out"; return 1; }
}

refused () {    # refused NAME: call_define failed; its error as a diagnostic
  ! call_define "$1" && sed 's/^/# /' "$work/$1.out"
}

in_libvirt () { virsh dominfo "$1" >/dev/null 2>&1; }

# ---- a restart between two Defines --------------------------------------------------
ok "Define before the restart succeeds" defined vt-restart-one
ok "libvirtd stops" stop_libvirtd
ok "libvirtd starts again on the same directories" start_libvirtd_again
ok "the domain defined before the restart is still there" in_libvirt vt-restart-one
ok "the first Define after the restart succeeds" defined vt-restart-two
ok "its domain is in libvirt" in_libvirt vt-restart-two
ok "virtuned logged that libvirt closed the connection" \
  grep -q "libvirt connection to qemu:///system lost" "$work/virtuned.log"

# ---- libvirtd down: a clear error; back up: Define works again ----------------------
ok "libvirtd stops again" stop_libvirtd
ok "Define while libvirtd is down fails" refused vt-restart-down
ok "the error is org.virtscenario.Error.Libvirt" \
  grep -q "org.virtscenario.Error.Libvirt" "$work/vt-restart-down.out"
ok "the error says virtuned cannot connect to libvirt" \
  grep -q "cannot connect to qemu:///system" "$work/vt-restart-down.out"
describe vt-restart-render >"$work/render.yaml"
ok "Render needs no libvirt and still works" quiet "$VSCENCTL" --session render "$work/render.yaml"
ok "libvirtd starts again" start_libvirtd_again
ok "Define after libvirtd is back succeeds" defined vt-restart-down
ok "its domain is in libvirt" in_libvirt vt-restart-down

# ---- the pickers' lists after restarts: the first call works; a clear error when down --
listed () {     # listed METHOD: the call succeeded; else its error as a diagnostic
  gdbus call --session --timeout 120 --dest org.virtscenario.Manager --object-path /org/virtscenario/Manager \
    --method "org.virtscenario.Manager.$1" '{}' >"$work/$1.out" 2>&1 ||
    { sed 's/^/# /' "$work/$1.out"; return 1; }
}
ok "ListPools before the restart succeeds" listed ListPools
ok "libvirtd stops a third time" stop_libvirtd
ok "libvirtd starts again" start_libvirtd_again
ok "the first ListPools after the restart succeeds" listed ListPools
ok "libvirtd stops a fourth time" stop_libvirtd
ok "ListNetworks while libvirtd is down fails" eval '! listed ListNetworks >/dev/null'
ok "... with a Libvirt error" grep -q "org.virtscenario.Error.Libvirt" "$work/ListNetworks.out"
ok "libvirtd starts again" start_libvirtd_again
ok "ListNetworks after libvirtd is back succeeds" listed ListNetworks

stop_virtuned_cleanly
[ "$tap_failed" -eq 0 ] || sed 's/^/# virtuned: /' "$work/virtuned.log" | tail -40
finish
