#!/bin/bash
# System test (issue 13): one virtuned, several real libvirt hosts. Besides the local
# private libvirtd (qemu:///system, the default connection) a second libvirtd listens on
# TCP loopback (auth none, its own private configuration and directories, in a mount
# namespace of its own so its QEMU driver state is not the first one's). virtuned.conf
# names it twice: "tcp", and "sevplan" with a saved SEV-capable domcaps document, so Plan
# answers differently per host. Render and Define by name land on the right libvirtd;
# stopping the TCP libvirtd mid-run gives ConnectionChanged, a clear error naming it for
# its calls while the local host keeps answering as fast as before, and once it is back
# it is used again.
#
# Only loopback addresses; every process this test starts it stops (stop_started), and
# the second libvirtd's mounts vanish with its namespace.
set -u
. "$(dirname "$0")/lib.sh"

require_root
require_cmd /usr/sbin/libvirtd /usr/sbin/virtlogd virsh dbus-daemon gdbus unshare ss
enter_private_mount_namespace "$@"

work=$(mktemp -d /tmp/vt-connections.XXXXXX)
chmod 0755 "$work"
trap 'stop_private_libvirt_objects; stop_tcp_objects; stop_started; rm -rf "$work"' EXIT
start_private_libvirtd "$work"

# A free TCP port on loopback for the second libvirtd.
pick_port () {
  local port
  for port in $(seq 16600 16700); do
    ss -Htln "sport = :$port" | grep -q . || { echo "$port"; return 0; }
  done
  return 1
}
PORT=$(pick_port) || bail "no free TCP port in 16600-16700"
TCP_URI="qemu+tcp://127.0.0.1:$PORT/system"
mkdir -p "$work/tcp"
cat >"$work/tcp/libvirtd.conf" <<EOC
listen_tls = 0
listen_tcp = 1
listen_addr = "127.0.0.1"
tcp_port = "$PORT"
auth_tcp = "none"
EOC

# The TCP libvirtd, in a mount namespace of its own with empty libvirt directories.
start_tcp_libvirtd () {
  rm -f "$work/tcp/libvirtd.pid"
  unshare --mount --propagation private sh -c '
    for d in /run/libvirt /var/lib/libvirt /var/cache/libvirt /var/log/libvirt /etc/libvirt; do
      mount -t tmpfs -o mode=0755 tmpfs "$d" || exit 1
    done
    echo "namespaces = []" >/etc/libvirt/qemu.conf
    exec /usr/sbin/libvirtd --listen -f "$1/libvirtd.conf" -d --pid-file "$1/libvirtd.pid"
  ' sh "$work/tcp" || return 1
  wait_for 30 test -s "$work/tcp/libvirtd.pid" || return 1
  remember_pid "$(cat "$work/tcp/libvirtd.pid")"
  wait_for 30 virsh -c "$TCP_URI" version
}

stop_tcp_libvirtd () {
  local pid
  pid=$(cat "$work/tcp/libvirtd.pid") || return 1
  stop_pid "$pid"
  forget_pid "$pid"
  ! kill -0 "$pid" 2>/dev/null
}

stop_tcp_objects () {   # the domains this test defined there (none runs)
  local dom
  [ -s "$work/tcp/libvirtd.pid" ] && kill -0 "$(cat "$work/tcp/libvirtd.pid")" 2>/dev/null || return 0
  for dom in $(virsh -c "$TCP_URI" list --all --name 2>/dev/null); do
    virsh -c "$TCP_URI" undefine "$dom" --nvram >/dev/null 2>&1
  done
}

ok "a second libvirtd listens on $TCP_URI" start_tcp_libvirtd || bail "the TCP libvirtd did not start"

sev_domcaps="$VT_SOURCE_ROOT/tests/data/domcaps/qemu_9.2.0-q35.x86_64+amdsev.xml"
cat >"$work/virtuned.conf" <<EOC
[libvirt]
uri=qemu:///system
[policies]
dirs=
[host]
state_dir=$work/state
[connection tcp]
uri=$TCP_URI
[connection sevplan]
uri=$TCP_URI
domcaps=$sev_domcaps
EOC
start_session_bus "$work"
start_virtuned --session "$work/virtuned.log" --config "$work/virtuned.conf"

call () {   # call METHOD ARGS...: gdbus call on virtuned, reply or error on stdout
  local method=$1
  shift
  gdbus call --session --timeout 120 --dest org.virtscenario.Manager \
    --object-path /org/virtscenario/Manager --method "org.virtscenario.Manager.$method" "$@" 2>&1
}

describe () {   # describe NAME: no disk, no network
  printf 'name: %s\nscenario: desktop\nvcpus: 1\nmemory: 256MiB\n' "$1"
}

define_on () {  # define_on CONNECTION NAME: Define by name; the reply in $work/NAME.out
  call Define "$(describe "$2")" "{'connection': <'$1'>}" >"$work/$2.out"
  grep -q "('$2', '" "$work/$2.out" || { sed 's/^/# /' "$work/$2.out"; return 1; }
}

has () { virsh -c "$1" dominfo "$2" >/dev/null 2>&1; }
has_not () { ! has "$@"; }
contains () {   # contains TEXT NEEDLE...: every NEEDLE is in TEXT (plain strings)
  local text=$1 needle
  shift
  for needle in "$@"; do
    grep -qF -- "$needle" <<<"$text" || { diag "expected '$needle' in: ${text:0:600}"; return 1; }
  done
}

# ---- ListConnections ----------------------------------------------------------------
out=$(call ListConnections)
ok "ListConnections: the default (local) host is reachable and QEMU" \
  contains "$out" "('default', 'qemu:///system', true, 'QEMU "
ok "... the TCP host too, by its URI" contains "$out" "('tcp', '$TCP_URI', true, 'QEMU "
ok "... sevplan's saved capabilities offer SEV" contains "$out" ", true)]"

# ---- Render and Define by name ------------------------------------------------------
ok "Render on connection tcp" contains "$(call Render "$(describe vt-conn-r)" \
  "{'connection': <'tcp'>}")" "<domain type="
ok "Define on the default connection" define_on default vt-conn-local
ok "Define on connection tcp" define_on tcp vt-conn-tcp
ok "the local domain is in the local libvirtd only" \
  sh -c 'virsh -c qemu:///system dominfo vt-conn-local >/dev/null 2>&1 &&
         ! virsh -c "$0" dominfo vt-conn-local >/dev/null 2>&1' "$TCP_URI"
ok "the tcp domain is in the TCP libvirtd only" has "$TCP_URI" vt-conn-tcp
ok "... not in the local one" has_not qemu:///system vt-conn-tcp

# ---- Plan differs per host ----------------------------------------------------------
secure=$(printf 'name: vt-conn-secure\nscenario: securevm\nvcpus: 1\nmemory: 256MiB\n')
out=$(call Plan "$secure" '{}')
diag "Plan: ${out:0:900}"
ok "Plan: the local host has no SEV" contains "$out" "('default', false, [\"guest.sev: 'auto'"
ok "Plan: the TCP host has none either" contains "$out" "('tcp', false, [\"guest.sev: 'auto'"
ok "Plan: sevplan (SEV capabilities, the TCP host's memory and CPUs) fits" \
  contains "$out" "('sevplan', true, [], ["
out=$(call Plan "$(describe vt-conn-fits)" '{}')
ok "Plan of a small desktop VM: every host fits" \
  contains "$out" "[('default', true, @as [], @as []), ('tcp', true, [], []), ('sevplan', true, [], [])]"

# ---- the TCP libvirtd stops mid-run -------------------------------------------------
time_define () {   # time_define NAME: milliseconds of a Define on the default host
  local start end
  start=$(date +%s%N)
  define_on default "$1" || return 1
  end=$(date +%s%N)
  echo $(((end - start) / 1000000))
}
before=$(time_define vt-conn-before) || before=
gdbus monitor --session --dest org.virtscenario.Manager --object-path /org/virtscenario/Manager \
  >"$work/monitor.out" 2>&1 &
monitor=$!
remember_pid "$monitor"
wait_for 10 grep -q "is owned by" "$work/monitor.out"
ok "the TCP libvirtd stops" stop_tcp_libvirtd
ok "ConnectionChanged says tcp and sevplan are unreachable" \
  wait_for 30 sh -c 'grep -q "ConnectionChanged (.tcp., false)" "$0" &&
                     grep -q "ConnectionChanged (.sevplan., false)" "$0"' "$work/monitor.out"
out=$(call Define "$(describe vt-conn-down)" "{'connection': <'tcp'>}")
ok "Define on tcp fails with Libvirt naming the connection" \
  contains "$out" "org.virtscenario.Error.Libvirt: connection 'tcp': cannot connect to $TCP_URI"
after=$(time_define vt-conn-after) || after=
diag "Define on the default host: ${before:-?} ms before the TCP host went down, ${after:-?} ms after"
ok "Define on the default host still works while tcp is down" test -n "$after"
ok "... as fast as before (within 2 s of it)" test -n "$before" -a "${after:-99999}" -le $((before + 2000))
out=$(call ListConnections)
ok "ListConnections: tcp unreachable, default reachable" \
  contains "$out" "('default', 'qemu:///system', true, 'QEMU " "('tcp', '$TCP_URI', false, '', '', '', 0, false)"
out=$(call Plan "$(describe vt-conn-plan-down)" '{}')
ok "Plan: the dead host does not fit, naming it; the others do" \
  contains "$out" "('default', true, " "('tcp', false, [\"connection 'tcp': cannot connect to $TCP_URI"

# ---- ... and comes back -------------------------------------------------------------
ok "the TCP libvirtd starts again" start_tcp_libvirtd
ok "Define on tcp works again" define_on tcp vt-conn-back
ok "... in the TCP libvirtd" has "$TCP_URI" vt-conn-back
ok "ConnectionChanged says tcp is reachable again" \
  wait_for 10 grep -q "ConnectionChanged (.tcp., true)" "$work/monitor.out"

stop_virtuned_cleanly
[ "$tap_failed" -eq 0 ] || sed 's/^/# virtuned: /' "$work/virtuned.log" | tail -40
finish
