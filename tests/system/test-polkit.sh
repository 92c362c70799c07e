#!/bin/bash
# System test: authorization through a real polkitd. A private dbus-daemon runs AS THE
# SYSTEM BUS (DBUS_SYSTEM_BUS_ADDRESS) with the project's bus policy included, the
# distribution's polkitd runs on it with the project's action file installed, and
# virtuned runs with --system against libvirt's test driver. Root is allowed; nobody
# is refused with AccessDenied (vscenctl exit 4); a rule granting nobody `define` still
# does not let nobody reach host paths or bridges (define-unrestricted); TuneHost on a
# fake sysroot is root's only. Every file the test puts into /usr/share/polkit-1 or
# /etc/polkit-1 is removed again (and a file that was there before is put back).
set -u
. "$(dirname "$0")/lib.sh"

POLKITD=/usr/lib/polkit-1/polkitd
ACTIONS_DIR=/usr/share/polkit-1/actions
RULES_DIR=/etc/polkit-1/rules.d

require_root
require_cmd "$POLKITD" dbus-daemon gdbus setpriv
id nobody >/dev/null 2>&1 || skip_all "there is no 'nobody' user"
[ -d "$ACTIONS_DIR" ] && [ -d "$RULES_DIR" ] || skip_all "polkitd's directories are missing"

work=$(mktemp -d /tmp/vt-polkit.XXXXXX)
chmod 0755 "$work"                # nobody reads the descriptions and reaches the socket
action_file="$ACTIONS_DIR/org.virtscenario.policy"
rule_file="$RULES_DIR/00-virtuned-system-test-$$.rules"

cleanup () {
  stop_started
  rm -f "$rule_file"
  if [ -e "$work/action.saved" ]; then
    mv -f "$work/action.saved" "$action_file"
  else
    rm -f "$action_file"
  fi
  rm -rf "$work"
}
trap cleanup EXIT

[ -e "$action_file" ] && cp -p "$action_file" "$work/action.saved"
install -m 0644 "$VT_SOURCE_ROOT/policy/org.virtscenario.policy" "$action_file"

# ---- the private system bus -----------------------------------------------------------
cat >"$work/system.conf" <<EOF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>system</type>
  <listen>unix:path=$work/system_bus_socket</listen>
  <auth>EXTERNAL</auth>
  <!-- The distribution system bus's default: deny method calls unless a service's
       policy allows them. -->
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
  <include ignore_missing="yes">/usr/share/dbus-1/system.d/org.freedesktop.PolicyKit1.conf</include>
  <include>$VT_SOURCE_ROOT/dbus/org.virtscenario.Manager.conf</include>
</busconfig>
EOF
start_bus "$work/system.conf" "$work"
export DBUS_SYSTEM_BUS_ADDRESS=$BUS_ADDRESS

polkitd_pid=
start_polkitd () {
  "$POLKITD" --no-debug >>"$work/polkitd.log" 2>&1 &
  polkitd_pid=$!
  remember_pid "$polkitd_pid"
  wait_for 20 gdbus call --system --dest org.freedesktop.DBus --object-path /org/freedesktop/DBus \
      --method org.freedesktop.DBus.GetNameOwner org.freedesktop.PolicyKit1 ||
    { sed 's/^/# polkitd: /' "$work/polkitd.log"; bail "polkitd did not take its bus name"; }
}

# polkitd reads rules when it starts; restarting it is the synchronous way to load one.
restart_polkitd () {
  stop_pid "$polkitd_pid"
  start_polkitd
}

start_polkitd

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
start_virtuned --system "$work/virtuned.log" --config "$work/virtuned.conf" \
  --connect test:///default --sysroot "$sysroot" --state-dir "$work/state"

# ---- helpers ----------------------------------------------------------------------------
as_nobody () { setpriv --reuid=nobody --regid=nogroup --clear-groups -- "$@"; }

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

# expect STATUS OUTFILE COMMAND...: runs it, stderr to OUTFILE, true when it exits STATUS.
expect () {
  local want=$1 out=$2 rc
  shift 2
  "$@" >/dev/null 2>"$out" </dev/null
  rc=$?
  [ "$rc" -eq "$want" ] || { diag "exit $rc, expected $want: $(cat "$out")"; return 1; }
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

# ---- a rule grants nobody `define`: frontend choices only ------------------------------
cat >"$rule_file" <<'EOF'
// virtuned system test (removed when the test ends): nobody may define.
polkit.addRule(function(action, subject) {
    if (action.id == "org.virtscenario.define" && subject.user == "nobody")
        return polkit.Result.YES;
});
EOF
restart_polkitd
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
