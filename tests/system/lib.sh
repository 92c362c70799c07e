# Shared helpers of the system tests (sourced): TAP output, process bookkeeping, and
# the real components (libvirtd, dbus-daemon, polkitd, virtuned) each test starts and
# stops itself. Nothing here relies on a service left running on the machine.

: "${VT_SOURCE_ROOT:?VT_SOURCE_ROOT must name the source tree}"
: "${VT_BUILD_ROOT:?VT_BUILD_ROOT must name the build tree}"

VIRTUNED="$VT_BUILD_ROOT/daemon/virtuned"
VSCENCTL="$VT_BUILD_ROOT/client/vscenctl"

tap_n=0
tap_failed=0

ok () {       # ok DESCRIPTION COMMAND...: one TAP line for the command's status
  local what=$1
  shift
  tap_n=$((tap_n + 1))
  if "$@"; then
    echo "ok $tap_n - $what"
  else
    echo "not ok $tap_n - $what"
    tap_failed=$((tap_failed + 1))
    return 1
  fi
}

quiet () { "$@" >/dev/null; }   # for commands under ok whose output is noise

diag () { printf '# %s\n' "$*"; }

bail () { echo "Bail out! $*"; exit 1; }

# Skips the whole test with the reason on the plan line (TAP "1..0 # SKIP").
skip_all () { echo "1..0 # SKIP $*"; exit 0; }

finish () { echo "1..$tap_n"; [ "$tap_failed" -eq 0 ]; }

require_root () {
  [ "$(id -u)" -eq 0 ] || skip_all "needs root (scripts/check runs the system suite as root)"
}

# require_cmd PROGRAM...: a missing program is a failure, never a skip, and names the
# Debian package scripts/packages.txt installs it from.
require_cmd () {
  local c pkg
  for c in "$@"; do
    command -v "$c" >/dev/null 2>&1 || [ -x "$c" ] && continue
    pkg=$(awk -v p="$c" '!/^#/ { for (i = 2; i <= NF; i++) if ($i == p) print $1 }' \
      "$VT_SOURCE_ROOT/scripts/packages.txt")
    bail "$c is missing: install Debian package ${pkg:-(none in scripts/packages.txt lists it)}"
  done
}

# wait_for SECONDS COMMAND...: polls a readiness condition, never a blind sleep.
wait_for () {
  local deadline=$((SECONDS + $1))
  shift
  until "$@" >/dev/null 2>&1; do
    [ "$SECONDS" -lt "$deadline" ] || return 1
    sleep 0.1
  done
}

# Processes this test started, stopped in reverse order by pid at exit.
started_pids=()

remember_pid () { started_pids+=("$1"); }

forget_pid () {   # after stopping it early: its number may be reused by then
  local p keep=()
  for p in "${started_pids[@]}"; do
    [ "$p" = "$1" ] || keep+=("$p")
  done
  started_pids=("${keep[@]}")
}

stop_pid () {   # TERM, wait up to 10 s, then KILL
  local pid=$1
  kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null
  wait_for 10 sh -c "! kill -0 $pid 2>/dev/null" || kill -KILL "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null || true
}

stop_started () {
  local i
  for ((i = ${#started_pids[@]} - 1; i >= 0; i--)); do
    stop_pid "${started_pids[i]}"
  done
  started_pids=()
}

# A private dbus-daemon from CONFIG; sets BUS_ADDRESS.
start_bus () {
  local config=$1 dir=$2
  dbus-daemon --config-file="$config" --fork --nopidfile \
    --print-address=3 --print-pid=4 3>"$dir/bus.address" 4>"$dir/bus.pid" ||
    bail "dbus-daemon did not start"
  BUS_ADDRESS=$(head -n1 "$dir/bus.address")
  remember_pid "$(head -n1 "$dir/bus.pid")"
}

# write_private_libvirt_conf WORK [POOL [NETWORK]]: WORK/virtuned.conf for a daemon on the
# private libvirtd (qemu:///system in the test's namespace), no policy directories, its
# state in WORK/state; with POOL (and NETWORK) the ones ordinary callers may use.
write_private_libvirt_conf () {
  local work=$1 pool=${2:-} net=${3:-}
  {
    printf '[libvirt]\nuri=qemu:///system\n'
    [ -n "$pool" ] && printf '[security]\nallowed_pools=%s\nallowed_networks=%s\n' "$pool" "$net"
    printf '[policies]\ndirs=\n[host]\nstate_dir=%s/state\n' "$work"
  } >"$work/virtuned.conf"
}

# A private session bus in DIR that lets anyone own and call anything (the tests' own);
# exports DBUS_SESSION_BUS_ADDRESS.
start_session_bus () {
  local dir=$1
  cat >"$dir/session.conf" <<EOF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir=$dir</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
EOF
  start_bus "$dir/session.conf" "$dir"
  export DBUS_SESSION_BUS_ADDRESS=$BUS_ADDRESS
}

# virtuned in the background with ARGS; waits (on the bus, not by polling) until it owns
# its name on BUSFLAG's bus. Sets VIRTUNED_PID, and VIRTUNED_VALGRIND_LOG when
# VT_DAEMON_WRAPPER (e.g. "valgrind ...") runs the daemon under valgrind.
start_virtuned () {
  local busflag=$1 log=$2 wrapper=()
  shift 2
  VIRTUNED_VALGRIND_LOG=
  if [ -n "${VT_DAEMON_WRAPPER:-}" ]; then
    read -r -a wrapper <<<"$VT_DAEMON_WRAPPER"
    if [[ ${wrapper[0]} == *valgrind* ]]; then
      VIRTUNED_VALGRIND_LOG="$log.valgrind"
      wrapper+=("--log-file=$VIRTUNED_VALGRIND_LOG")
    fi
  fi
  "${wrapper[@]}" "$VIRTUNED" "$busflag" "$@" >"$log" 2>&1 &
  VIRTUNED_PID=$!
  remember_pid "$VIRTUNED_PID"
  gdbus wait "$busflag" --timeout 120 org.virtscenario.Manager ||
    { sed 's/^/# virtuned: /' "$log"; bail "virtuned did not take its bus name"; }
}

# TAP lines: virtuned exits 0 on SIGTERM and, under valgrind, its log shows no error
# and no definite leak.
stop_virtuned_cleanly () {
  local status=0
  kill -TERM "$VIRTUNED_PID"
  wait "$VIRTUNED_PID" || status=$?
  ok "virtuned exits 0 on SIGTERM" test "$status" -eq 0
  if [ -n "$VIRTUNED_VALGRIND_LOG" ]; then
    ok "virtuned under valgrind: 0 errors, no definite leak" \
      sh -c "grep -q 'ERROR SUMMARY: 0 errors' '$VIRTUNED_VALGRIND_LOG' &&
             ! grep -Eq 'definitely lost: [1-9]' '$VIRTUNED_VALGRIND_LOG'" ||
      sed 's/^/# valgrind: /' "$VIRTUNED_VALGRIND_LOG" | tail -40
  fi
}

# Fails (non-zero) when the output of "$@" differs from FILE.
same_output () {
  local expected=$1
  shift
  "$@" | cmp -s - "$expected"
}

# ---- private mount namespace ----------------------------------------------------------
# Re-executes the calling test (pass it "$@") in a private mount namespace, once: the
# tmpfs mounts below then hide the machine's own libvirt and polkit state from the test
# and vanish with it, so nothing on the host is changed or needs restoring.
# A PID namespace too, with the test's shell as its init: libvirt daemonizes the QEMU it
# starts to probe capabilities, and waits until that process is gone. Reparented to the
# machine's init, which may reap late (seen in this project's sandbox), the exited QEMU
# stays a zombie and libvirtd's first define hangs; bash as init reaps it at once.
enter_private_mount_namespace () {
  [ -n "${VT_PRIVATE_MOUNT_NS:-}" ] && return 0
  require_cmd unshare
  exec env VT_PRIVATE_MOUNT_NS=1 unshare --mount --pid --fork --mount-proc \
    --propagation private "$BASH" "$0" "$@"
}

private_tmpfs () {   # private_tmpfs DIR...: an empty tmpfs over each (namespace only)
  local dir
  [ -n "${VT_PRIVATE_MOUNT_NS:-}" ] || bail "private_tmpfs outside the private namespace"
  for dir in "$@"; do
    mkdir -p "$dir" && mount -t tmpfs -o mode=0755 tmpfs "$dir" || bail "cannot mount tmpfs on $dir"
  done
}

# ---- libvirtd -----------------------------------------------------------------------
# virtlogd and libvirtd with empty private runtime, state and configuration directories;
# WORK receives their pid files. Sets LIBVIRT_DEFAULT_URI=qemu:///system for virsh.
start_private_libvirtd () {
  local work=$1
  private_tmpfs /run/libvirt /var/lib/libvirt /var/cache/libvirt /var/log/libvirt /etc/libvirt
  mask_unusable_kvm "$work"
  PRIVATE_LIBVIRT=1
  # QEMU uses the machine's /dev: inside a chroot (fresh-check runs the suite in one)
  # libvirt cannot build QEMU's private /dev, and QEMU then finds no /dev/urandom.
  # What these tests check is what virtuned defines, not libvirt's namespaces.
  echo 'namespaces = []' >/etc/libvirt/qemu.conf
  export LIBVIRT_DEFAULT_URI=qemu:///system
  /usr/sbin/virtlogd -d --pid-file "$work/virtlogd.pid" || bail "virtlogd did not start"
  remember_pid "$(cat "$work/virtlogd.pid")"
  /usr/sbin/libvirtd -d --pid-file "$work/libvirtd.pid" || bail "libvirtd did not start"
  wait_for 30 test -s "$work/libvirtd.pid" || bail "libvirtd wrote no pid file"
  remember_pid "$(cat "$work/libvirtd.pid")"
  wait_for 30 virsh version || bail "libvirtd does not answer on qemu:///system"
  diag "$(virsh version | grep -E 'library|hypervisor' | tr '\n' ' ')"
}

# mask_unusable_kvm WORK: when /dev/kvm exists but libvirt-qemu, the user QEMU runs as,
# cannot open it (a host whose /dev/kvm belongs to another group than kvm), libvirt's QEMU
# probe finds KVM and its usability check does not: it then probes QEMU again, for seconds,
# on every domain define or lookup ("KVM was enabled when probing, but it is not available
# now"). An unreadable file over /dev/kvm, in this namespace only, makes both say TCG.
mask_unusable_kvm () {
  [ -e /dev/kvm ] || return 0
  runuser -u libvirt-qemu -- test -r /dev/kvm -a -w /dev/kvm 2>/dev/null && return 0
  : >"$1/no-kvm" && chmod 0000 "$1/no-kvm" || bail "cannot make $1/no-kvm"
  mount --bind "$1/no-kvm" /dev/kvm || bail "cannot mask /dev/kvm"
  diag "/dev/kvm is not usable by libvirt-qemu here: masked in this namespace, guests use TCG"
}

# stop_libvirtd_from PIDFILE: stops the libvirtd (started with -d --pid-file PIDFILE) early,
# in the middle of a test; true once it is gone.
stop_libvirtd_from () {
  local pid
  pid=$(cat "$1") || return 1
  stop_pid "$pid"
  forget_pid "$pid"
  ! kill -0 "$pid" 2>/dev/null
}

# For the test's cleanup, before stop_started: QEMU processes and bridges outlive
# libvirtd, so every domain, network and pool of the private libvirtd is stopped and
# removed. Does nothing unless start_private_libvirtd got past its mounts: virsh must
# never reach the machine's own libvirtd.
stop_private_libvirt_objects () {
  local dom net pool
  [ -n "${PRIVATE_LIBVIRT:-}" ] || return 0
  for dom in $(virsh list --all --name 2>/dev/null); do
    virsh destroy "$dom" >/dev/null 2>&1
    virsh undefine "$dom" --nvram >/dev/null 2>&1
  done
  for net in $(virsh net-list --name 2>/dev/null); do
    virsh net-destroy "$net" >/dev/null 2>&1
  done
  for pool in $(virsh pool-list --name 2>/dev/null); do
    virsh pool-destroy "$pool" >/dev/null 2>&1
  done
}

# A work directory QEMU (libvirt-qemu) and nobody can read, with a directory pool POOL
# served by a private libvirtd; sets work, pool_dir and POOL, and removes it all at exit.
setup_private_libvirt_pool () {
  work=$(mktemp -d "/tmp/$1.XXXXXX")
  chmod 0755 "$work"
  pool_dir="$work/pool"
  mkdir -m 0755 "$pool_dir"
  POOL=vtpool
  trap 'stop_private_libvirt_objects; stop_started; rm -rf "$work"' EXIT
  start_private_libvirtd "$work"
  virsh pool-create-as "$POOL" dir --target "$pool_dir" >/dev/null ||
    bail "pool-create-as failed"
}

# ---- polkitd on a private system bus ------------------------------------------------
POLKITD=/usr/lib/polkit-1/polkitd
POLKIT_ACTIONS_DIR=/usr/share/polkit-1/actions
POLKIT_RULES_DIR=/etc/polkit-1/rules.d

require_polkit () {
  require_cmd "$POLKITD" dbus-daemon gdbus setpriv
  [ -d "$POLKIT_ACTIONS_DIR" ] && [ -d "$POLKIT_RULES_DIR" ] ||
    bail "polkitd's directories are missing: install Debian package polkitd"
  id nobody >/dev/null 2>&1 || bail "there is no 'nobody' user"
}

# A dbus-daemon configured as the distribution's system bus (method calls denied unless
# a service's policy allows them) with polkit's and virtuned's bus policies, exported as
# DBUS_SYSTEM_BUS_ADDRESS; then polkitd on it, which sees only virtuned's action file
# and no rules but those polkit_rule adds (tmpfs over its directories).
start_private_polkit () {
  local work=$1
  POLKIT_WORK=$work
  private_tmpfs "$POLKIT_ACTIONS_DIR" "$POLKIT_RULES_DIR"
  install -m 0644 "$VT_SOURCE_ROOT/policy/org.virtscenario.policy" "$POLKIT_ACTIONS_DIR/"
  cat >"$work/system.conf" <<EOC
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>system</type>
  <listen>unix:path=$work/system_bus_socket</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow user="*"/>
    <deny own="*"/>
    <deny send_type="method_call"/>
    <allow send_type="signal"/>
    <allow send_requested_reply="true" send_type="method_return"/>
    <allow send_requested_reply="true" send_type="error"/>
    <allow receive_type="method_call"/>
    <allow receive_type="method_return"/>
    <allow receive_type="error"/>
    <allow receive_type="signal"/>
    <allow send_destination="org.freedesktop.DBus" send_interface="org.freedesktop.DBus"/>
    <allow send_destination="org.freedesktop.DBus"
           send_interface="org.freedesktop.DBus.Introspectable"/>
    <allow send_destination="org.freedesktop.DBus"
           send_interface="org.freedesktop.DBus.Properties"/>
  </policy>
  <!-- polkitd runs as root here (its unit would make it user polkitd). -->
  <policy user="root">
    <allow own="org.freedesktop.PolicyKit1"/>
  </policy>
  <!-- libvirt-dbus too (cockpit-machines' backend, started by test-cockpit-define.sh; its
       unit would make it user libvirtdbus), and root's bridge may call it. -->
  <policy user="root">
    <allow own="org.libvirt"/>
    <allow send_destination="org.libvirt"/>
  </policy>
  <include ignore_missing="yes">/usr/share/dbus-1/system.d/org.freedesktop.PolicyKit1.conf</include>
  <include>$VT_SOURCE_ROOT/dbus/org.virtscenario.Manager.conf</include>
</busconfig>
EOC
  start_bus "$work/system.conf" "$work"
  export DBUS_SYSTEM_BUS_ADDRESS=$BUS_ADDRESS
  POLKITD_PID=
  start_polkitd
}

start_polkitd () {
  "$POLKITD" --no-debug >>"$POLKIT_WORK/polkitd.log" 2>&1 &
  POLKITD_PID=$!
  remember_pid "$POLKITD_PID"
  wait_for 20 gdbus call --system --dest org.freedesktop.DBus --object-path /org/freedesktop/DBus \
      --method org.freedesktop.DBus.GetNameOwner org.freedesktop.PolicyKit1 ||
    { sed 's/^/# polkitd: /' "$POLKIT_WORK/polkitd.log"; bail "polkitd did not take its bus name"; }
}

# polkit_rule NAME JAVASCRIPT: adds a rule file, then restarts polkitd (it reads rules
# when it starts, so a restart is the synchronous way to load one).
polkit_rule () {
  printf '%s\n' "$2" >"$POLKIT_RULES_DIR/$1.rules"
  stop_pid "$POLKITD_PID"
  forget_pid "$POLKITD_PID"
  start_polkitd
}

# The rule both polkit tests use: nobody may use org.virtscenario.define, nothing more.
POLKIT_RULE_NOBODY_DEFINES='polkit.addRule(function(action, subject) {
    if (action.id == "org.virtscenario.define" && subject.user == "nobody")
        return polkit.Result.YES;
});'

as_nobody () { setpriv --reuid=nobody --regid=nogroup --clear-groups -- "$@"; }

# expect STATUS OUTFILE COMMAND...: runs it, stderr to OUTFILE, true when it exits STATUS.
expect () {
  local want=$1 out=$2 rc
  shift 2
  "$@" >/dev/null 2>"$out" </dev/null
  rc=$?
  [ "$rc" -eq "$want" ] || { diag "exit $rc, expected $want: $(cat "$out")"; return 1; }
}

# ---- KVM or TCG ---------------------------------------------------------------------
# KVM where it can run a guest with the host's CPU (the scenarios ask for
# host-passthrough); else TCG, rendered from the connection's own TCG capabilities.
# Nested KVM hosts often refuse host CPU MSRs (e.g. "failed to set MSR 0x10a").
kvm_runs_host_cpu () {
  local work=$1 rc=1
  cat >"$work/probe.xml" <<EOF
<domain type='kvm'>
  <name>vt-sys-probe</name>
  <memory unit='MiB'>64</memory>
  <os><type arch='x86_64' machine='q35'>hvm</type></os>
  <cpu mode='host-passthrough'/>
</domain>
EOF
  virsh define "$work/probe.xml" >/dev/null 2>&1 || return 1
  virsh start vt-sys-probe >"$work/probe.log" 2>&1 && rc=0
  virsh destroy vt-sys-probe >/dev/null 2>&1
  virsh undefine vt-sys-probe >/dev/null 2>&1
  return $rc
}

# choose_domain_type WORK: sets domain_type (kvm or qemu) and domcaps_args, the virtuned
# options that render for it (a saved TCG document when KVM cannot run a host CPU).
choose_domain_type () {
  local work=$1
  domcaps_args=()
  domain_type=$(virsh domcapabilities --machine q35 | xmllint --xpath 'string(/domainCapabilities/domain)' -)
  if [ "$domain_type" = kvm ] && ! kvm_runs_host_cpu "$work"; then
    diag "KVM cannot start a host-CPU guest here: $(grep -o 'error: .*' "$work/probe.log" | tail -1)"
    virsh domcapabilities --virttype qemu --machine q35 >"$work/tcg.xml" || bail "no TCG domcaps"
    domcaps_args=(--domcaps "$work/tcg.xml")
    domain_type=qemu
  fi
}

# create_private_network NAME BRIDGE SUBNET: a transient libvirt network NAME on bridge
# BRIDGE with address SUBNET.1/24, its XML kept in $work/net.xml; sets SUBNET to the
# /24 it got. The host's interfaces are shared with whatever else runs there (another
# run of the same test, say), so when libvirt finds SUBNET in use the next free one of
# 192.168.200-254 is taken instead.
create_private_network () {
  local name=$1 bridge=$2 candidate
  for candidate in "$3" $(seq -f '192.168.%g' 200 254); do
    cat >"$work/net.xml" <<NETXML
<network>
  <name>$name</name>
  <bridge name='$bridge'/>
  <ip address='$candidate.1' netmask='255.255.255.0'/>
</network>
NETXML
    if virsh net-create "$work/net.xml" >/dev/null 2>"$work/net-create.err"; then
      SUBNET=$candidate
      [ "$candidate" = "$3" ] || diag "$3.0/24 is in use on this host; network $name has $SUBNET.0/24"
      return 0
    fi
    grep -q "already in use" "$work/net-create.err" ||
      bail "net-create failed: $(cat "$work/net-create.err")"
  done
  bail "no free 192.168.x.0/24 for network $name"
}
