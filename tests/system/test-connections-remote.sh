#!/bin/bash
# System test (issue 13): one virtuned, several real libvirt hosts. Besides the local
# private libvirtd (qemu:///system, the default connection) a second libvirtd listens on
# loopback, on TCP (auth none) and on TLS (a CA, server and client certificates made
# here with certtool), with its own private configuration and directories, in a mount
# namespace of its own so its QEMU driver state is not the first one's. virtuned.conf
# names it three times: "tcp", "tls" (qemu+tls://, the client certificate from
# ?pkipath=) and "sevplan" (TCP, with a saved SEV-capable domcaps document, so Plan
# answers differently per host). A private sshd on loopback, with a host key and a client
# key made here (root's ~/.ssh is a tmpfs of this namespace), is "ssh": qemu+ssh:// to
# the local libvirtd, through virt-ssh-helper, as a daemon with no one to type a password.
# Render and Define by name land on the right libvirtd, and ListDevices and
# DescribeDomain by name read the domains there;
# stopping the TCP libvirtd mid-run gives ConnectionChanged, a clear error naming it for
# its calls while the local host keeps answering as fast as before, and once it is back
# it is used again.
#
# Only loopback addresses; every process this test starts it stops (stop_started), and
# the second libvirtd's mounts vanish with its namespace.
set -u
. "$(dirname "$0")/lib.sh"

require_root
require_cmd /usr/sbin/libvirtd /usr/sbin/virtlogd virsh dbus-daemon gdbus unshare ss certtool \
  /usr/sbin/sshd ssh ssh-keygen virt-ssh-helper
enter_private_mount_namespace "$@"

work=$(mktemp -d /tmp/vt-connections.XXXXXX)
chmod 0755 "$work"
made_run_sshd=
trap 'stop_private_libvirt_objects; stop_tcp_objects; stop_started; rm -rf "$work"
      [ -z "$made_run_sshd" ] || rmdir /run/sshd' EXIT
start_private_libvirtd "$work"

# A free TCP port on loopback for the second libvirtd.
pick_port () {
  local port
  for port in $(seq 16600 16700); do
    ss -Htln "sport = :$port" | grep -q . || { echo "$port"; return 0; }
  done
  return 1
}
pick_port_after () {   # the next free port after $1
  local port
  for port in $(seq $(($1 + 1)) 16800); do
    ss -Htln "sport = :$port" | grep -q . || { echo "$port"; return 0; }
  done
  return 1
}
PORT=$(pick_port) || bail "no free TCP port in 16600-16700"
TLS_PORT=$(pick_port_after "$PORT") || bail "no second free TCP port"
TCP_URI="qemu+tcp://127.0.0.1:$PORT/system"
mkdir -p "$work/tcp" "$work/pki/server" "$work/pki/client"
TLS_URI="qemu+tls://127.0.0.1:$TLS_PORT/system?pkipath=$work/pki/client"

# A test CA, a server certificate for 127.0.0.1 and a client certificate, one day each.
make_pki () {
  local pki=$work/pki
  printf 'cn = virtuned test CA\nca\ncert_signing_key\nexpiration_days = 1\n' >"$pki/ca.info"
  printf 'organization = virtuned test\ncn = 127.0.0.1\nip_address = 127.0.0.1\ntls_www_server\nencryption_key\nsigning_key\nexpiration_days = 1\n' >"$pki/server.info"
  printf 'organization = virtuned test\ncn = virtuned-client\ntls_www_client\nencryption_key\nsigning_key\nexpiration_days = 1\n' >"$pki/client.info"
  certtool --generate-privkey --outfile "$pki/cakey.pem" 2>/dev/null &&
  certtool --generate-self-signed --load-privkey "$pki/cakey.pem" --template "$pki/ca.info" \
    --outfile "$pki/cacert.pem" 2>/dev/null &&
  cp "$pki/cacert.pem" "$pki/client/cacert.pem" &&
  certtool --generate-privkey --outfile "$pki/server/serverkey.pem" 2>/dev/null &&
  certtool --generate-certificate --load-privkey "$pki/server/serverkey.pem" \
    --load-ca-certificate "$pki/cacert.pem" --load-ca-privkey "$pki/cakey.pem" \
    --template "$pki/server.info" --outfile "$pki/server/servercert.pem" 2>/dev/null &&
  certtool --generate-privkey --outfile "$pki/client/clientkey.pem" 2>/dev/null &&
  certtool --generate-certificate --load-privkey "$pki/client/clientkey.pem" \
    --load-ca-certificate "$pki/cacert.pem" --load-ca-privkey "$pki/cakey.pem" \
    --template "$pki/client.info" --outfile "$pki/client/clientcert.pem" 2>/dev/null
}
ok "certtool makes a CA, a server and a client certificate" make_pki || bail "certtool failed"

cat >"$work/tcp/libvirtd.conf" <<EOC
listen_tls = 1
listen_tcp = 1
listen_addr = "127.0.0.1"
tcp_port = "$PORT"
tls_port = "$TLS_PORT"
auth_tcp = "none"
auth_tls = "none"
ca_file = "$work/pki/cacert.pem"
cert_file = "$work/pki/server/servercert.pem"
key_file = "$work/pki/server/serverkey.pem"
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

stop_tcp_libvirtd () { stop_libvirtd_from "$work/tcp/libvirtd.pid"; }

stop_tcp_objects () {   # the domains this test defined there (none runs)
  local dom
  [ -s "$work/tcp/libvirtd.pid" ] && kill -0 "$(cat "$work/tcp/libvirtd.pid")" 2>/dev/null || return 0
  for dom in $(virsh -c "$TCP_URI" list --all --name 2>/dev/null); do
    virsh -c "$TCP_URI" undefine "$dom" --nvram >/dev/null 2>&1
  done
}

ok "a second libvirtd listens on $TCP_URI and TLS port $TLS_PORT" start_tcp_libvirtd ||
  bail "the second libvirtd did not start"
ok "virsh reaches it over TLS with the client certificate" quiet virsh -c "$TLS_URI" version

# ---- sshd on loopback -----------------------------------------------------------------
SSH_PORT=$(pick_port_after "$TLS_PORT") || bail "no third free TCP port"
SSH_URI="qemu+ssh://root@127.0.0.1:$SSH_PORT/system"
start_sshd () {
  local ssh=$work/ssh
  mkdir -p "$ssh"
  private_tmpfs /root        # root's ~/.ssh: this namespace's, gone with it
  mkdir -m 0700 /root/.ssh
  ssh-keygen -q -t ed25519 -N '' -C virtuned-test -f /root/.ssh/id_ed25519 || return 1
  ssh-keygen -q -t ed25519 -N '' -C virtuned-test-host -f "$ssh/host_ed25519" || return 1
  cp /root/.ssh/id_ed25519.pub "$ssh/authorized_keys"
  # The host key is known beforehand, as README says it must be for the daemon.
  echo "[127.0.0.1]:$SSH_PORT $(cut -d' ' -f1,2 "$ssh/host_ed25519.pub")" >/root/.ssh/known_hosts
  cat >"$ssh/sshd_config" <<EOC
Port $SSH_PORT
ListenAddress 127.0.0.1
HostKey $ssh/host_ed25519
PidFile $ssh/sshd.pid
AuthorizedKeysFile $ssh/authorized_keys
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
EOC
  # sshd's privilege separation directory (empty); removed at exit when made here.
  [ -d /run/sshd ] || { mkdir -m 0755 /run/sshd && made_run_sshd=1; }
  /usr/sbin/sshd -f "$ssh/sshd_config" -E "$ssh/sshd.log" || return 1
  wait_for 10 test -s "$ssh/sshd.pid" || return 1
  remember_pid "$(cat "$ssh/sshd.pid")"
  wait_for 10 virsh -c "$SSH_URI" version || { sed 's/^/# sshd: /' "$ssh/sshd.log"; return 1; }
}
ok "a private sshd on 127.0.0.1:$SSH_PORT reaches the local libvirtd by key" start_sshd

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
[connection tls]
uri=$TLS_URI
allowed_pools=vt-conn-pool
[connection ssh]
uri=$SSH_URI
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
ok "... and over TLS" contains "$out" "('tls', '$TLS_URI', true, 'QEMU "
ok "... and through ssh" contains "$out" "('ssh', '$SSH_URI', true, 'QEMU "
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
ok "Define on connection tls" define_on tls vt-conn-tls
ok "... lands in the second libvirtd" has "$TCP_URI" vt-conn-tls
ok "Define on connection ssh" define_on ssh vt-conn-ssh
ok "... lands in the local libvirtd, behind sshd" has qemu:///system vt-conn-ssh

# ---- after Define, by name: the domain methods read the host they name ---------------
ok "ListDevices over tcp: the TCP libvirtd's domain, its devices by alias" \
  contains "$(call ListDevices vt-conn-tcp "{'connection': <'tcp'>}")" "('ua-video0', 'video'"
ok "ListDevices over tls: the same domain" \
  contains "$(call ListDevices vt-conn-tcp "{'connection': <'tls'>}")" "('ua-video0', 'video'"
ok "ListDevices on the default host: not there" \
  contains "$(call ListDevices vt-conn-tcp '{}')" "org.virtscenario.Error.UnknownDomain"
ok "DescribeDomain through ssh: the description Define recorded" \
  contains "$(call DescribeDomain vt-conn-ssh "{'connection': <'ssh'>}")" 'name: "vt-conn-ssh"'

# ---- ListPools over each transport: the pool of that host, allowed as configured -----
ok "a pool is defined (not started) on the TCP libvirtd" \
  quiet virsh -c "$TCP_URI" pool-define-as vt-conn-pool dir --target "$work/tcp-pool"
ok "ListPools on tcp: the pool, inactive, not allowed there" \
  contains "$(call ListPools "{'connection': <'tcp'>}")" "('vt-conn-pool', false, false)"
ok "ListPools on tls (its allowed_pools names it): the same pool, allowed" \
  contains "$(call ListPools "{'connection': <'tls'>}")" "('vt-conn-pool', false, true)"
out=$(call ListPools "{'connection': <'ssh'>}")
diag "ListPools on ssh: $out"
# A reply is a tuple, "([...],)" or "(@a(sbb) [],)"; an error starts "Error:".
ok "ListPools on ssh (the local libvirtd) answers, without the TCP host's pool" \
  sh -c 'case "$0" in "("*vt-conn-pool*) exit 1 ;; "("*) exit 0 ;; *) exit 1 ;; esac' "$out"

# ---- Plan differs per host ----------------------------------------------------------
secure=$(printf 'name: vt-conn-secure\nscenario: securevm\nvcpus: 1\nmemory: 256MiB\n')
out=$(call Plan "$secure" '{}')
diag "Plan: ${out:0:900}"
ok "Plan: the local host has no SEV" contains "$out" "('default', false, [\"guest.sev: 'auto'"
ok "Plan: the TCP host has none either" contains "$out" "('tcp', false, [\"guest.sev: 'auto'"
ok "Plan: sevplan (SEV capabilities, the TCP host's memory and CPUs) fits" \
  contains "$out" "('sevplan', true, [], ["
out=$(call Plan "$(describe vt-conn-fits)" '{}')
# Each fits with no reason against it; the warnings depend on the host's accelerator (a
# TCG-only host has no host-passthrough CPU mode, and the render says it uses host-model).
ok "Plan of a small desktop VM: every host fits" \
  contains "$out" "('default', true, @as [], " "('tcp', true, [], " "('tls', true, [], " \
    "('ssh', true, [], " "('sevplan', true, [], "

# ---- measured, not asserted: vscenctl plan, and Plan's time per number of hosts -------
printf 'name: web01\nscenario: securevm\nvcpus: 2\nmemory: 2GiB\n' >"$work/web01.yaml"
diag "\$ vscenctl plan web01.yaml"
"$VSCENCTL" --session plan "$work/web01.yaml" 2>&1 | sed "s|$work/||; s/^/#   /"
plan_ms () {   # plan_ms HOSTS...: the median of 5 Plan calls for these hosts, in ms
  local list t i start
  list=$(printf "'%s', " "$@")
  for i in 1 2 3 4 5; do
    start=$(date +%s%N)
    call Plan "$(describe vt-conn-time)" "{'connections': <[${list%, }]>}" >/dev/null
    echo $((($(date +%s%N) - start) / 1000000))
  done | sort -n | sed -n 3p
}
diag "Plan, median of 5 calls: 1 host $(plan_ms default) ms, 2 hosts $(plan_ms default tcp) ms," \
  "3 hosts $(plan_ms default tcp tls) ms, 4 hosts $(plan_ms default tcp tls ssh) ms," \
  "5 hosts $(plan_ms default tcp tls ssh sevplan) ms"

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
ok "ConnectionChanged says tcp, tls and sevplan are unreachable" \
  wait_for 30 sh -c 'grep -q "ConnectionChanged (.tcp., false)" "$0" &&
                     grep -q "ConnectionChanged (.tls., false)" "$0" &&
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
  contains "$out" "('default', true, " "('ssh', true, " "('tcp', false, [\"connection 'tcp': cannot connect to $TCP_URI"

# ---- ... and comes back -------------------------------------------------------------
ok "the TCP libvirtd starts again" start_tcp_libvirtd
ok "Define on tcp works again" define_on tcp vt-conn-back
ok "Define on tls works again" define_on tls vt-conn-tls-back
ok "... in the TCP libvirtd" has "$TCP_URI" vt-conn-back
ok "tcp's capabilities were read again over the new connection" \
  grep -q "read the capabilities of connection 'tcp' over its opening 2" "$work/virtuned.log"
ok "ConnectionChanged says tcp is reachable again" \
  wait_for 10 grep -q "ConnectionChanged (.tcp., true)" "$work/monitor.out"

stop_virtuned_cleanly
[ "$tap_failed" -eq 0 ] || sed 's/^/# virtuned: /' "$work/virtuned.log" | tail -40
finish
