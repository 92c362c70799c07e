#!/bin/bash
# System test: authorization through a real polkitd. A private dbus-daemon runs AS THE
# SYSTEM BUS (DBUS_SYSTEM_BUS_ADDRESS) with the project's bus policy included, the
# distribution's polkitd runs on it with the project's action file installed, and
# virtuned runs with --system against libvirt's test driver. Root is allowed; nobody
# is refused with AccessDenied (vscenctl exit 4); a rule granting nobody `define` still
# does not let nobody reach host paths or bridges (define-unrestricted); TuneHost on a
# fake sysroot is root's only. polkit's directories are private tmpfs mounts in the
# test's own mount namespace: the machine's polkit configuration is never touched.
# (Encrypted volumes need a real libvirtd: test-polkit-libvirt.sh.)
set -u
. "$(dirname "$0")/lib.sh"

require_root
require_polkit
enter_private_mount_namespace "$@"

work=$(mktemp -d /tmp/vt-polkit.XXXXXX)
chmod 0755 "$work"                # nobody reads the descriptions and reaches the socket

cleanup () {
  stop_started
  rm -rf "$work"
}
trap cleanup EXIT

start_private_polkit "$work"

# ---- virtuned --system on the private system bus ----------------------------------------
sysroot="$work/root"
mkdir -p "$sysroot/sys/kernel/mm/transparent_hugepage" "$sysroot/sys/kernel/mm/ksm" \
  "$sysroot/proc/sys/vm" "$sysroot/sys/block" "$sysroot/sys/module/kvm_amd/parameters" \
  "$sysroot/etc/sysctl.d" "$sysroot/etc/tmpfiles.d"
echo "always [madvise] never" >"$sysroot/sys/kernel/mm/transparent_hugepage/enabled"
echo 0 >"$sysroot/sys/kernel/mm/ksm/run"
echo 1 >"$sysroot/sys/kernel/mm/ksm/merge_across_nodes"
echo 60 >"$sysroot/proc/sys/vm/swappiness"
printf 'MemTotal:        8000000 kB\nHugepagesize:       2048 kB\n' >"$sysroot/proc/meminfo"
printf 'processor\t: 0\nflags\t\t: fpu pse\n' >"$sysroot/proc/cpuinfo"
echo "BOOT_IMAGE=/vmlinuz quiet" >"$sysroot/proc/cmdline"
cp -a "$sysroot" "$work/pristine"

cat >"$work/virtuned.conf" <<EOF
[security]
allowed_pools=default-pool
allowed_networks=default
[policies]
dirs=
EOF
# The fake kernel (tests/fake-kernel) makes the fake tree's choice files answer writes
# as sysfs does, so the revert below can be checked byte by byte.
LD_PRELOAD="$VT_BUILD_ROOT/tests/fake-kernel/fake-kernel.so" VT_FAKE_KERNEL_ROOT="$sysroot" \
  start_virtuned --system "$work/virtuned.log" --config "$work/virtuned.conf" \
  --connect test:///default --sysroot "$sysroot" --state-dir "$work/state"

# ---- helpers ----------------------------------------------------------------------------
# describe NAME [DISK-LINE [NETWORK-LINE]]: libvirt's test driver refuses preallocation
# flags, so the descriptions ask for none.
describe () {
  local file="$work/$1.yaml"
  cat >"$file" <<EOF
name: $1
vcpus: 1
memory: 512MiB
disks:
  - ${2:-pool: default-pool}
    size: 1GiB
networks:
  - ${3:-network: default}
settings:
  storage.preallocation: off
EOF
  sed -i '/^  - path:/{n;d}' "$file"      # a raw path takes no size
  chmod 0644 "$file"
  echo "$file"
}

ctl () { "$VSCENCTL" --system "$@"; }

# ---- the bus policy ------------------------------------------------------------------
ok "bus policy: nobody may not own org.virtscenario.Manager" \
  sh -c "setpriv --reuid=nobody --regid=nogroup --clear-groups -- gdbus call --system \
    --dest org.freedesktop.DBus --object-path /org/freedesktop/DBus \
    --method org.freedesktop.DBus.RequestName org.virtscenario.Manager 0 2>&1 |
    grep -q 'AccessDenied'"
ok "bus policy: nobody may call read-only methods" quiet as_nobody "$VSCENCTL" --system scenarios

# ---- Define: root allowed, nobody refused -------------------------------------------------
ok "root: Define succeeds" expect 0 "$work/err" ctl define "$(describe vt-pk-root)"
ok "nobody: Define refused, vscenctl exits 4" \
  expect 4 "$work/err" as_nobody "$VSCENCTL" --system define "$(describe vt-pk-nobody)"
ok "nobody: the refusal names the action" grep -q "org.virtscenario.define" "$work/err"
ok "nobody: the D-Bus error is AccessDenied" sh -c "
  setpriv --reuid=nobody --regid=nogroup --clear-groups -- gdbus call --system \
    --dest org.virtscenario.Manager --object-path /org/virtscenario/Manager \
    --method org.virtscenario.Manager.Define \"\$(cat '$work/vt-pk-nobody.yaml')\" '{}' 2>&1 |
  grep -q 'org.freedesktop.DBus.Error.AccessDenied'"
ok "nobody: nothing was defined (root can still take the name)" \
  expect 0 "$work/err" ctl define "$work/vt-pk-nobody.yaml"

# ---- AttachDevice, DetachDevice: authorized as Define (issue #12) ---------------------------
ok "nobody: device attach refused, vscenctl exits 4" \
  expect 4 "$work/err" as_nobody "$VSCENCTL" --system device attach vt-pk-root '{network: default}'
ok "nobody: the refusal names org.virtscenario.define" grep -q "org.virtscenario.define" "$work/err"
ok "nobody: device detach refused, vscenctl exits 4" \
  expect 4 "$work/err" as_nobody "$VSCENCTL" --system device detach vt-pk-root ua-net0
ok "nobody: device detach --delete-storage refused, vscenctl exits 4" \
  expect 4 "$work/err" as_nobody "$VSCENCTL" --system device detach vt-pk-root ua-disk0 --delete-storage
ok "nobody: that refusal names org.virtscenario.define too" grep -q "org.virtscenario.define" "$work/err"
ok "nobody: the read-only device list is allowed" \
  quiet as_nobody "$VSCENCTL" --system device list vt-pk-root

# ---- a rule grants nobody `define`: frontend choices only ------------------------------
polkit_rule 00-virtuned-system-test "$POLKIT_RULE_NOBODY_DEFINES"
ok "nobody with the rule: Define from allowed pool and network succeeds" \
  expect 0 "$work/err" as_nobody "$VSCENCTL" --system define "$(describe vt-pk-granted)"
ok "nobody with the rule: path /etc/shadow refused with exit 4" \
  expect 4 "$work/err" as_nobody "$VSCENCTL" --system define \
    "$(describe vt-pk-shadow 'path: /etc/shadow')"
ok "nobody with the rule: the refusal needs define-unrestricted and says why" \
  sh -c "grep -q 'org.virtscenario.define-unrestricted' '$work/err' && grep -q '/etc/shadow' '$work/err'"
ok "nobody with the rule: bridge br0 refused with exit 4" \
  expect 4 "$work/err" as_nobody "$VSCENCTL" --system define \
    "$(describe vt-pk-bridge 'pool: default-pool' 'bridge: br0')"
ok "nobody with the rule: the refusal names the bridge" grep -q "host bridge br0" "$work/err"
ok "nobody with the rule: a pool virtuned.conf does not allow is refused" \
  expect 4 "$work/err" as_nobody "$VSCENCTL" --system define \
    "$(describe vt-pk-pool 'pool: other-pool')"
ok "nobody with the rule: device attach of /etc/shadow needs define-unrestricted" \
  expect 4 "$work/err" as_nobody "$VSCENCTL" --system device attach vt-pk-granted '{path: /etc/shadow}'
ok "... and says why" \
  sh -c "grep -q 'org.virtscenario.define-unrestricted' '$work/err' && grep -q '/etc/shadow' '$work/err'"
# Authorized: the test driver itself then refuses the hot-plug (exit 1, not 4).
ok "nobody with the rule: device attach on the allowed network gets past polkit" \
  expect 1 "$work/err" as_nobody "$VSCENCTL" --system device attach vt-pk-granted '{network: default}'
ok "... to libvirt's own refusal" grep -q "attaching the device" "$work/err"
ok "root: define-unrestricted is granted to root" \
  expect 0 "$work/err" ctl define "$(describe vt-pk-root-path 'path: /srv/vm/disk.img')"

# ---- TuneHost: root only, even with the define rule ------------------------------------
ok "nobody: host tune refused, vscenctl exits 4" \
  expect 4 "$work/err" as_nobody "$VSCENCTL" --system host tune desktop
ok "nobody: the refusal names org.virtscenario.tune-host" grep -q "org.virtscenario.tune-host" "$work/err"
ok "nobody: the fake host is untouched" diff -r "$work/pristine" "$sysroot"
ok "root: host tune desktop succeeds" expect 0 "$work/err" ctl host tune desktop
ok "root: swappiness is now desktop's 35" test "$(cat "$sysroot/proc/sys/vm/swappiness")" = 35
ok "nobody: host revert refused, vscenctl exits 4" \
  expect 4 "$work/err" as_nobody "$VSCENCTL" --system host revert
ok "root: host revert succeeds" expect 0 "$work/err" ctl host revert
ok "root: the fake host is back to its original values" diff -r "$work/pristine" "$sysroot"

stop_virtuned_cleanly
finish
