#!/bin/bash
# System test: the scenarios whose rules follow libvirt's and virt-install's guidance
# (README "Scenarios") define through virtuned and start under a real libvirtd + QEMU
# (KVM where it runs the host CPU, else TCG): windows, migratable, hugepages, desktop with
# its SPICE devices, and os-testing, whose transient disk is proven throw-away across two
# boots: a pattern written into the running guest's disk in the first boot is read back
# then, and is gone in the second, while the base volume never changes.
#
# The guest has no OS: QEMU's own block layer writes and reads the disk (HMP qemu-io on
# the disk's device), which is what the guest's writes go through as well.
set -u
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/qemu-lib.sh"

require_root
require_cmd /usr/sbin/libvirtd /usr/sbin/virtlogd virsh qemu-system-x86_64 qemu-img \
  dbus-daemon gdbus unshare xmllint python3 sha256sum
enter_private_mount_namespace "$@"

# libvirt finds huge pages through a mounted hugetlbfs when it starts; this namespace's
# own mount serves the private libvirtd (systemd mounts /dev/hugepages on most hosts, a
# container or chroot may not have it).
mkdir -p /dev/hugepages && mount -t hugetlbfs hugetlbfs /dev/hugepages ||
  bail "cannot mount hugetlbfs in the test's namespace"
setup_private_libvirt_pool vt-scenarios-qemu
create_test_network 234
write_private_libvirt_conf "$work" "$POOL" "$NET"
choose_render_caps
start_session_bus "$work"
start_virtuned --session "$work/virtuned.log" --config "$work/virtuned.conf" \
  --connect qemu:///system "${domcaps_args[@]}"

inactive_xpath () { virsh dumpxml --inactive "$1" | xmllint --xpath "$2" -; }

# ---- scenarios that only change the domain: define, check, start ----------------------
# The new volume's name depends on the scenario's storage format.
case_volume () { virsh vol-list "$POOL" | awk -v n="$1-disk0." 'index($1, n) == 1 {print $1}'; }

defined_case () {   # defined_case NAME SCENARIO [XPATH EXPECTED]...: define, then check
  local name=$1 scenario=$2
  shift 2
  describe "$name" "$scenario" >"$work/$name.yaml"
  ok "$scenario: Define succeeds" define "$work/$name.yaml" ||
    { sed 's/^/# /' "$work/define.err"; return 1; }
  ok "$scenario: a pty serial console" \
    test "$(inactive_xpath "$name" 'string(//console/target/@type)')" = serial
  ok "$scenario: the disk has boot order 1" \
    test "$(inactive_xpath "$name" 'string(//disk[@device="disk"]/boot/@order)')" = 1
  while [ $# -ge 2 ]; do
    ok "$scenario: libvirt keeps $1 = $2" test "$(inactive_xpath "$name" "$1")" = "$2"
    shift 2
  done
}

run_case () {   # run_case NAME SCENARIO [XPATH EXPECTED]...: define, check, start, remove
  defined_case "$@" || return
  start_and_check "$1"
  remove_domain "$1" "$(case_volume "$1")"
}

run_case vt-sys-windows windows 'string(/domain/clock/@offset)' localtime \
  'string(/domain/features/hyperv/spinlocks/@retries)' 8191 \
  'string(/domain/features/vmport/@state)' off
run_case vt-sys-migratable migratable 'string(/domain/cpu/@check)' partial \
  'string(//disk/driver/@cache)' none
run_case vt-sys-desktop desktop 'count(//redirdev[@type="spicevmc"])' 2 \
  'string(//channel[@type="spicevmc"]/target/@name)' com.redhat.spice.0 \
  'string(//sound/@model)' ich9 'string(//controller[@type="usb"]/@model)' qemu-xhci

# Huge pages: the guest's 256 MiB come from 2 MiB pages, reserved for the test and given
# back after it (the pool is host-wide; the test restores what it found).
hp=/proc/sys/vm/nr_hugepages
hp_before=$(cat "$hp")
echo $((hp_before + 128)) >"$hp" 2>/dev/null
hp_checks=('string(//memballoon/@model)' none 'count(/domain/memoryBacking/hugepages)' 1)
if [ "$(cat "$hp")" -ge $((hp_before + 128)) ]; then
  run_case vt-sys-hugepages hugepages "${hp_checks[@]}"
else
  diag "the kernel could not reserve 128 more huge pages: hugepages is defined, not started"
  defined_case vt-sys-hugepages hugepages "${hp_checks[@]}" &&
    remove_domain vt-sys-hugepages "$(case_volume vt-sys-hugepages)"
fi
echo "$hp_before" >"$hp"

# ---- os-testing: a throw-away disk over an existing base volume -------------------------
qemu-img create -q -f qcow2 "$pool_dir/base.qcow2" 64M || bail "cannot create the base volume"
virsh pool-refresh "$POOL" >/dev/null
base_sum=$(sha256sum <"$pool_dir/base.qcow2")
cat >"$work/ostest.yaml" <<EOF
name: vt-sys-ostest
scenario: os-testing
vcpus: 1
memory: 256MiB
disks:
  - volume: $POOL/base.qcow2
networks:
  - network: $NET
settings:
  storage.bus: sata
EOF
ok "os-testing: Define succeeds" define "$work/ostest.yaml"
ok "os-testing: the disk is transient" \
  test "$(inactive_xpath vt-sys-ostest 'count(//disk[@device="disk"]/transient)')" = 1
ok "os-testing: a pvpanic device" test "$(inactive_xpath vt-sys-ostest 'string(//panic/@model)')" = isa
ok "os-testing: a crashed guest is preserved" \
  test "$(inactive_xpath vt-sys-ostest 'string(/domain/on_crash)')" = preserve

# HMP qemu-io through the disk device's own block backend, the path the guest's writes
# take. The disk is on SATA for this: an ide-hd device holds its backend itself (a
# virtio-blk-pci device's is on a child without an id, which qemu-io cannot name).
# qemu-io prints its results on QEMU's stdout, which virtlogd appends to the domain's log
# on its own time, after the monitor command has returned: qemu_io waits for the line
# that ends every read and write report ("N ops; ...").
qemu_log=/var/log/libvirt/qemu/vt-sys-ostest.log
qemu_io () {   # qemu_io COMMAND: what qemu-io printed for it, on stdout
  local before
  before=$(wc -l <"$qemu_log")
  virsh qemu-monitor-command vt-sys-ostest --hmp "qemu-io -d ua-disk0 \"$1\"" >/dev/null ||
    return 1
  wait_for 10 sh -c "tail -n +$((before + 1)) '$qemu_log' | grep -q ' ops; '" || return 1
  tail -n +$((before + 1)) "$qemu_log"
}
# io_matched REPORT: the whole range was read and held the pattern asked for (qemu-io
# reports "read 65536/65536" after a mismatch too).
io_matched () {
  grep -q 'read 65536/65536' <<<"$1" && ! grep -q 'Pattern verification failed' <<<"$1"
}
ok "os-testing: first boot starts" quiet virsh start vt-sys-ostest
io=$(qemu_io 'write -P 0xa5 0 64k')
ok "os-testing: first boot writes a pattern" grep -q 'wrote 65536/65536' <<<"$io"
io=$(qemu_io 'read -P 0xa5 0 64k')
ok "os-testing: first boot reads it back" io_matched "$io"
ok "os-testing: the base volume is untouched while running" \
  test "$(sha256sum <"$pool_dir/base.qcow2")" = "$base_sum"
ok "os-testing: first boot ends" quiet virsh destroy vt-sys-ostest
ok "os-testing: second boot starts" quiet virsh start vt-sys-ostest
io=$(qemu_io 'read -P 0xa5 0 64k')
ok "os-testing: second boot does not see the pattern" grep -q 'Pattern verification failed' <<<"$io"
io=$(qemu_io 'read -P 0 0 64k')
ok "os-testing: second boot reads the base's zeros" io_matched "$io"
ok "os-testing: second boot ends" quiet virsh destroy vt-sys-ostest
ok "os-testing: the base volume is unchanged" \
  test "$(sha256sum <"$pool_dir/base.qcow2")" = "$base_sum"
ok "os-testing: no overlay left in the pool directory" \
  test "$(ls "$pool_dir" | grep -c TRANSIENT)" = 0
ok "os-testing: undefine" quiet virsh undefine vt-sys-ostest --nvram
virsh vol-delete --pool "$POOL" base.qcow2 >/dev/null

stop_virtuned_cleanly
finish
