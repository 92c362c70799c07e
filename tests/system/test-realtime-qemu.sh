#!/bin/bash
# System test: the realtime scenario (libvirt kbase "KVM real time") defined through
# virtuned against a real libvirtd with the QEMU driver. virtuned reads the host's CPU
# topology from the connection (virConnectGetCapabilities) and pins the vCPU to a CPU
# outside CPU 0's core, the emulator and I/O thread to CPU 0's core; the proof is
# libvirt's own inactive XML (virsh dumpxml --inactive): the pinning, vcpusched fifo
# priority 1, nosharepages, locked huge-page memory, PMU off, no balloon, no graphics.
# Refusals go through the same path: more vCPUs than the host has CPUs to spare, and an
# admin CPU list naming a CPU the host lacks.
#
# The guest is defined, NOT started: starting it needs reserved huge pages (the
# hugepages policy's host.hugepages, a host tuning this test must not apply to a shared
# machine) and SCHED_FIFO for QEMU's vCPU threads, which a 2-core CI host running other
# work should not give; libvirt applies <cputune> only at start. What libvirt accepts
# and stores at define is what is checked here; the rest is unit-tested
# (tests/unit/test-realtime.c).
#
# Real components in a private mount namespace: libvirtd with the QEMU driver, a
# private session bus, virtuned. The domains have no network.
set -u
. "$(dirname "$0")/lib.sh"

require_root
require_cmd /usr/sbin/libvirtd /usr/sbin/virtlogd virsh qemu-system-x86_64 dbus-daemon gdbus \
  unshare xmllint
enter_private_mount_namespace "$@"

setup_private_libvirt_pool vt-realtime-qemu
write_private_libvirt_conf "$work" "$POOL"
start_session_bus "$work"
# No --domcaps: the connection's own capabilities carry the host topology.
start_virtuned --session "$work/virtuned.log" --config "$work/virtuned.conf" \
  --connect qemu:///system

# ---- the host as libvirt describes it ----------------------------------------------
virsh capabilities >"$work/caps.xml" || bail "virsh capabilities failed"
caps_xpath () { xmllint --xpath "$1" "$work/caps.xml"; }
online=$(caps_xpath 'count(//host/topology/cells/cell/cpus/cpu[@siblings])')
cpu0_core=$(caps_xpath 'string(//host/topology/cells/cell/cpus/cpu[@id="0"]/@siblings)')
highest=$(caps_xpath '//host/topology/cells/cell/cpus/cpu/@id' | grep -o '[0-9]\+' | sort -n | tail -1)
has_tsc=$(caps_xpath 'count(//host/cpu/feature[@name="tsc-deadline"])')
diag "host: $online online CPUs, CPU 0's core is '$cpu0_core', tsc-deadline: $has_tsc"
[ -n "$cpu0_core" ] || bail "virsh capabilities lists no CPU 0 with siblings"
# A libvirt CPU list ("0,4" or "0-1") one CPU a line.
expand_cpus () {
  local item
  for item in ${1//,/ }; do
    if [[ $item == *-* ]]; then seq "${item%-*}" "${item#*-}"; else echo "$item"; fi
  done
}
not_in_list () { ! expand_cpus "$2" | grep -qx "$1"; }   # not_in_list CPU LIST
housekeeping=$(expand_cpus "$cpu0_core" | grep -c .)

describe () {   # describe NAME VCPUS [SETTINGS-YAML]
  cat <<EOF
name: $1
scenario: realtime
vcpus: $2
memory: 256MiB
disks:
  - pool: $POOL
    size: 64MiB
${3:+settings:
$3}
EOF
}

define_fails () {   # define_fails FILE: Define refused with exit 1, message in define.err
  "$VSCENCTL" --session define "$1" >/dev/null 2>"$work/define.err"
  test $? -eq 1
}

defined_names () { virsh list --all --name | grep -c .; }

# ---- one vCPU: defined with its pinning --------------------------------------------
if [ "$online" -le "$housekeeping" ]; then
  # A host whose CPUs are all CPU 0's core has none to give a vCPU: refused, and said so.
  describe vt-rt-one 1 >"$work/one.yaml"
  ok "one vCPU on a host with only CPU 0's core: Define refused" define_fails "$work/one.yaml"
  ok "the refusal says how many CPUs are needed and how many the host has" \
    grep -q "needs $((housekeeping + 1)) host CPUs for 1 vCPU .* this host has $online" "$work/define.err"
else
  describe vt-rt-one 1 >"$work/one.yaml"
  ok "realtime, one vCPU: Define succeeds" \
    sh -c "'$VSCENCTL' --session define '$work/one.yaml' >/dev/null 2>'$work/define.err'" ||
    sed 's/^/# /' "$work/define.err"
  virsh dumpxml --inactive vt-rt-one >"$work/one.xml"
  x () { xmllint --xpath "$1" "$work/one.xml"; }
  vcpu_cpu=$(x 'string(/domain/cputune/vcpupin[@vcpu="0"]/@cpuset)')
  diag "libvirt stored: vCPU 0 on CPU '$vcpu_cpu', emulator on '$(x 'string(/domain/cputune/emulatorpin/@cpuset)')'"
  ok "libvirt keeps one vcpupin" test "$(x 'count(/domain/cputune/vcpupin)')" = 1
  ok "vCPU 0 is pinned to one online CPU" \
    test "$(caps_xpath "count(//host/topology/cells/cell/cpus/cpu[@id='$vcpu_cpu' and @siblings])")" = 1
  ok "vCPU 0's CPU is outside CPU 0's core" not_in_list "$vcpu_cpu" "$cpu0_core"
  ok "the emulator is pinned to CPU 0's core" \
    test "$(x 'string(/domain/cputune/emulatorpin/@cpuset)')" = "$cpu0_core"
  ok "the I/O thread is pinned to CPU 0's core" \
    test "$(x 'string(/domain/cputune/iothreadpin[@iothread="1"]/@cpuset)')" = "$cpu0_core"
  ok "vcpusched: vCPU 0 fifo priority 1" \
    test "$(x 'string(/domain/cputune/vcpusched/@vcpus)') $(x 'string(/domain/cputune/vcpusched/@scheduler)') $(x 'string(/domain/cputune/vcpusched/@priority)')" = "0 fifo 1"
  ok "memory: huge pages, nosharepages, locked" \
    test "$(x 'count(/domain/memoryBacking/hugepages | /domain/memoryBacking/nosharepages | /domain/memoryBacking/locked)')" = 3
  ok "PMU off" test "$(x 'string(/domain/features/pmu/@state)')" = off
  ok "tsc-deadline required exactly when the host CPU has it" \
    test "$(x 'count(/domain/cpu/feature[@name="tsc-deadline" and @policy="require"])')" = "$has_tsc"
  ok "no balloon" test "$(x 'string(//memballoon/@model)')" = none
  ok "no graphics" test "$(x 'count(//graphics)')" = 0
  ok "vt-rt-one: undefine" quiet virsh undefine vt-rt-one
  ok "vt-rt-one: volume deleted" quiet virsh vol-delete --pool "$POOL" vt-rt-one-disk0.qcow2
fi

# ---- refusals: nothing is defined ----------------------------------------------------
before=$(defined_names)
too_many=$((online - housekeeping + 1))
describe vt-rt-many "$too_many" >"$work/many.yaml"
ok "$too_many vCPUs: Define refused" define_fails "$work/many.yaml"
ok "$too_many vCPUs: the error says $((too_many + housekeeping)) CPUs are needed, the host has $online" \
  grep -q "needs $((too_many + housekeeping)) host CPUs for $too_many vCPU.* this host has $online" \
  "$work/define.err"
describe vt-rt-lacks 1 "  guest.cpu.pinning.vcpus: $((highest + 1))" >"$work/lacks.yaml"
ok "a CPU list naming CPU $((highest + 1)): Define refused" define_fails "$work/lacks.yaml"
ok "the error names the CPU the host lacks" \
  grep -q "names CPU $((highest + 1)), which this host does not have online" "$work/define.err"
ok "no domain was defined by the refusals" test "$(defined_names)" = "$before"

stop_virtuned_cleanly
finish
