# Shared by the system tests that define and start guests under QEMU (sourced after
# lib.sh, inside the private mount namespace, once setup_private_libvirt_pool has set
# POOL and pool_dir and the test has named its network NET).

# create_test_network OCTET: an active libvirt network NET (vtnet) on a bridge of its own,
# 192.168.OCTET.0/24, defined from $work/net.xml; sets NET and BRIDGE.
create_test_network () {
  NET=vtnet
  BRIDGE=vtbr$$
  BRIDGE=${BRIDGE:0:15}
  cat >"$work/net.xml" <<EOF
<network>
  <name>$NET</name>
  <bridge name='$BRIDGE'/>
  <ip address='192.168.$1.1' netmask='255.255.255.0'/>
</network>
EOF
  virsh net-create "$work/net.xml" >/dev/null || bail "net-create failed"
}

# KVM where it can run a guest with the host's CPU (the scenarios ask for
# host-passthrough); else TCG, rendered from the connection's own TCG capabilities.
# Nested KVM hosts often refuse host CPU MSRs (e.g. "failed to set MSR 0x10a").
kvm_runs_host_cpu () {
  cat >"$work/probe.xml" <<EOF
<domain type='kvm'>
  <name>vt-sys-probe</name>
  <memory unit='MiB'>64</memory>
  <os><type arch='x86_64' machine='q35'>hvm</type></os>
  <cpu mode='host-passthrough'/>
</domain>
EOF
  local rc=1
  virsh define "$work/probe.xml" >/dev/null 2>&1 || return 1
  virsh start vt-sys-probe >"$work/probe.log" 2>&1 && rc=0
  virsh destroy vt-sys-probe >/dev/null 2>&1
  virsh undefine vt-sys-probe >/dev/null 2>&1
  return $rc
}
# choose_render_caps: sets domain_type and domcaps_args (the --domcaps arguments virtuned
# is started with), and says which was chosen.
choose_render_caps () {
  domcaps_args=()
  domain_type=$(virsh domcapabilities --machine q35 | xmllint --xpath 'string(/domainCapabilities/domain)' -)
  if [ "$domain_type" = kvm ] && ! kvm_runs_host_cpu; then
    diag "KVM cannot start a host-CPU guest here: $(grep -o 'error: .*' "$work/probe.log" | tail -1)"
    virsh domcapabilities --virttype qemu --machine q35 >"$work/tcg.xml" || bail "no TCG domcaps"
    domcaps_args=(--domcaps "$work/tcg.xml")
    domain_type=qemu
  fi
  diag "domains are rendered with type '$domain_type' from the connection's capabilities"
}

describe () {   # describe NAME SCENARIO [EXTRA-YAML]: a small description on stdout
  cat <<EOF
name: $1
scenario: $2
vcpus: 1
memory: 256MiB
disks:
  - pool: $POOL
    size: 64MiB
networks:
  - network: $NET
${3:-}
EOF
}

define () {     # define FILE [OPTION...]: vscenctl define --json; sets DEFINED_JSON, returns its status
  DEFINED_JSON=$("$VSCENCTL" --session --json define "$@" 2>"$work/define.err")
}

json_field () { python3 -c 'import json,sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"; }

start_and_check () {   # start_and_check NAME: started, seen running, destroyed
  local name=$1
  ok "$name: virsh start" quiet virsh start "$name"
  ok "$name: domstate is running" test "$(virsh domstate "$name")" = running
  ok "$name: domain type is '$domain_type'" \
    test "$(virsh dumpxml "$name" | xmllint --xpath 'string(/domain/@type)' -)" = "$domain_type"
  ok "$name: destroy" quiet virsh destroy "$name"
}

remove_domain () {     # remove_domain NAME VOLUME [SECRET-UUID]
  ok "$1: undefine with its NVRAM" quiet virsh undefine "$1" --nvram
  ok "$1: volume deleted" quiet virsh vol-delete --pool "$POOL" "$2"
  if [ -n "${3:-}" ]; then
    ok "$1: secret undefined" quiet virsh secret-undefine "$3"
  fi
}

