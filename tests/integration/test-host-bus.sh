#!/bin/bash
# Host tuning over the bus: the real daemon with --sysroot on a fake kernel tree and its
# own --state-dir, driven by vscenctl and gdbus. check -> tune -> re-tune -> revert must
# leave every file byte-identical; a dry run changes nothing; a daemon killed with
# SIGKILL half-way through a tune is reverted by a fresh daemon, which shows the
# interrupted tune in TunedScenarios; a daemon strace kills at each rename of a
# persistent tune leaves no temporary file after a fresh daemon's revert (diff -r of the
# whole tree; skipped under a VT_DAEMON_WRAPPER); per-setting failures
# and containers are reported with their D-Bus error names; a tune queued behind a
# revert reads the host only once the revert is done (lock hook, no sleeps). The SIGKILL
# and queueing cases need the daemon's test hooks (-Dtest_hooks=true) and are skipped
# without them.
source "$(dirname "$0")/lib.sh"

ROOT="$VT_TMP/root"
PRISTINE="$VT_TMP/pristine"
STATE="$VT_TMP/state"
TRACED_PID=""   # a daemon strace runs: strace ignores SIGTERM, so it is stopped directly

cleanup () {
  [ -n "$TRACED_PID" ] && kill -TERM "$TRACED_PID" 2>/dev/null
  vt_cleanup
}
trap cleanup EXIT

# virtuned writes only the word to a choice file, as the kernel wants it; the kernel then
# shows it bracketed among the others. The fake kernel (tests/fake-kernel), preloaded
# into the daemon, does that for the fake tree, so a revert can be checked byte by byte.
FAKE_KERNEL="$VT_BUILD_ROOT/tests/fake-kernel/fake-kernel.so"
[ -f "$FAKE_KERNEL" ] || { echo "Bail out! $FAKE_KERNEL is not built"; exit 1; }
export VT_FAKE_KERNEL_ROOT="$ROOT"

# start_daemon TAG: the daemon on the fake tree, with the fake kernel preloaded.
start_daemon () {
  LD_PRELOAD="$FAKE_KERNEL${LD_PRELOAD:+:$LD_PRELOAD}" \
    vt_start_daemon "$1" --sysroot "$ROOT" --state-dir "$STATE"
}

test_hooks_built () {
  grep -q '^#define VT_TEST_HOOKS 1' "$VT_BUILD_ROOT/vt-config.h"
}

tree_is_pristine () {
  diff -r "$PRISTINE" "$ROOT"
}

state_is_gone () {
  if [ -e "$STATE/host-state" ]; then
    echo "state file left behind:"
    cat "$STATE/host-state"
    return 1
  fi
  ls -A "$STATE" 2>/dev/null | grep . && { echo "temporary files left in $STATE"; return 1; }
  return 0
}

file_is () {
  local got
  got="$(cat "$ROOT/$1")"
  [ "$got" = "$2" ] || { echo "$1 is '$got', expected '$2'"; return 1; }
}

# state_original SETTING VALUE: the state file records VALUE as SETTING's original, once.
state_original () {
  python3 -c 'import sys, configparser
c = configparser.ConfigParser(interpolation=None); c.read(sys.argv[1])
v = [c[s]["value"] for s in c.sections() if c[s].get("setting") == sys.argv[2]]
sys.exit(0 if v == [sys.argv[3]] else "recorded: %r" % v)' "$STATE/host-state" "$1" "$2"
}

# expect_row TEXT CELL...: TEXT has a table line made of exactly these cells.
expect_row () {
  local text="$1" pattern="^" cell
  shift
  for cell in "$@"; do
    pattern+="$(printf '%s' "$cell" | sed 's/[][\.*^$+?(){}|]/\\&/g') +"
  done
  pattern="${pattern% +}\$"
  grep -Eq -- "$pattern" <<<"$text" || { echo "no row matching $pattern in:"; echo "$text"; return 1; }
}

# json_check PYTHON-EXPR: evaluates EXPR with `data` bound to the JSON on stdin.
json_check () {
  python3 -c "import json, sys; data = json.load(sys.stdin); sys.exit(0 if ($1) else 1)"
}

make_fake_root "$ROOT"
cp -a "$ROOT" "$PRISTINE"

vt_start_bus || { echo "Bail out! cannot start a private bus"; exit 1; }
if ! start_daemon host; then
  echo "Bail out! the daemon did not start"
  exit 1
fi

check "TunedScenarios is empty at start" \
  expect_contains "$(vt_property TunedScenarios)" "<@as []>"

# --- check ------------------------------------------------------------------------------
out="$(vscenctl host check desktop)"
check "host check desktop: exit 0 and an aligned table" \
  expect_contains "$out" \
  "SETTING                      CURRENT  WANTED       OK" \
  "host.thp                     madvise  always       no" \
  "host.ksm_merge_across_nodes  on       on           yes" \
  "host.swappiness              60       35           no" \
  "host.io_scheduler:sda        bfq      mq-deadline  no" \
  "host.hugepages               0        -            yes"
check "host check skips loop and dm devices" \
  bash -c '! grep -Eq "loop0|dm-0" <<<"$1"' _ "$out"
check "host check --json: one object per row" \
  json_check 'any(r == {"setting": "host.io_scheduler:nvme0n1", "current": "none",
                        "wanted": "mq-deadline", "ok": False} for r in data)' \
  < <(vscenctl --json host check desktop)
check "host check without scenarios wants nothing" \
  json_check 'all(r["ok"] and r["wanted"] == "" for r in data)' < <(vscenctl --json host check)
out="$(vscenctl host check securevm)"
check "host check securevm: SEV readiness with the exact remediation" \
  expect_contains "$out" "kvm_amd.sev " "kernel.mem_encrypt" \
  "write 'options kvm_amd sev=1 sev_es=1' to /etc/modprobe.d/virtuned-sev.conf" \
  "add mem_encrypt=on to the kernel command line"
check "CheckHost with an unknown scenario is UnknownScenario" \
  expect_contains "$(vt_call CheckHost "['nosuch']" '{}' 2>&1)" "org.virtscenario.Error.UnknownScenario"

# --- dry run ------------------------------------------------------------------------------
out="$(vscenctl host tune desktop --dry-run --persistent)"
check "tune --dry-run reports what would change" \
  expect_contains "$out" "host.swappiness                      60       35" \
  "file:/etc/sysctl.d/90-virtuned.conf  absent   written" "dry run: nothing was changed"
check "tune --dry-run changed no file" tree_is_pristine
check "tune --dry-run wrote no state" state_is_gone
check "tune --dry-run --json" \
  json_check 'len(data) == 7 and data[0] == {"setting": "host.thp", "old": "madvise", "new": "always"}' \
  < <(vscenctl --json host tune desktop --dry-run --persistent)

# --- tune, re-tune ------------------------------------------------------------------------
vt_monitor_start org.virtscenario.Manager /org/virtscenario/Manager
out="$(vscenctl host tune desktop --persistent)"
check "tune desktop --persistent: the changes" \
  expect_contains "$out" "host.thp                             madvise  always" \
  "host.ksm                             off      on" \
  "file:/etc/tmpfiles.d/virtuned.conf   absent   written"
check "HostChanged carries the changes" \
  expect_contains "$(vt_monitor_wait HostChanged)" "('host.swappiness', '60', '35')"
check "TunedScenarios is ['desktop']" \
  expect_contains "$(vt_property TunedScenarios)" "<['desktop']>"
check "THP file shows the new choice bracketed" \
  file_is sys/kernel/mm/transparent_hugepage/enabled "[always] madvise never"
check "swappiness is 35" file_is proc/sys/vm/swappiness 35
check "KSM runs" file_is sys/kernel/mm/ksm/run 1
check "loop0 untouched" file_is sys/block/loop0/queue/scheduler "[none] mq-deadline"
check "sysctl.d drop-in written" \
  expect_contains "$(cat "$ROOT/etc/sysctl.d/90-virtuned.conf")" "vm.swappiness = 35"
check "tmpfiles.d drop-in written" \
  expect_contains "$(cat "$ROOT/etc/tmpfiles.d/virtuned.conf")" \
  "w /sys/kernel/mm/transparent_hugepage/enabled - - - - always" \
  "w /sys/block/sda/queue/scheduler - - - - mq-deadline"
check "state file holds the originals" \
  expect_contains "$(cat "$STATE/host-state")" "scenarios=desktop;" "value=madvise" "value=60"
check "state directory holds only the state file" \
  expect_contains "$(ls -A "$STATE")" "host-state"
check "host check desktop is all ok after tuning" \
  json_check 'all(r["ok"] for r in data)' < <(vscenctl --json host check desktop)

out="$(vscenctl host tune computation)"
check "re-tune computation changes swappiness again" \
  expect_row "$out" host.swappiness 35 0
check "HostChanged after re-tune" \
  expect_contains "$(vt_monitor_wait HostChanged)" "('host.swappiness', '35', '0')"
check "re-tune keeps the first original (60)" state_original host.swappiness 60
check "TunedScenarios lists both" \
  expect_contains "$(vt_property TunedScenarios)" "<['desktop', 'computation']>"

# --- revert ---------------------------------------------------------------------------------
out="$(vscenctl --json host revert)"
check "revert --json lists the restored values" \
  json_check '{"setting": "host.swappiness", "old": "0", "new": "60"} in data' <<<"$out"
check "HostChanged after revert" \
  expect_contains "$(vt_monitor_wait HostChanged)" "('host.thp', 'always', 'madvise')"
check "revert: every file byte-identical to the start" tree_is_pristine
check "revert: state removed" state_is_gone
check "TunedScenarios is empty after revert" \
  expect_contains "$(vt_property TunedScenarios)" "<@as []>"
check "revert without state: nothing to revert" \
  expect_contains "$(vscenctl host revert)" "nothing to revert"

# --- a second persistent tune ------------------------------------------------------------------
vscenctl host tune desktop --persistent >/dev/null
check "tune hugepages --persistent after desktop --persistent" vscenctl host tune hugepages --persistent
check "the tmpfiles.d drop-in keeps desktop's lines and adds the huge pages" \
  expect_contains "$(cat "$ROOT/etc/tmpfiles.d/virtuned.conf")" "scenario(s) desktop, hugepages;" \
  "w /sys/kernel/mm/transparent_hugepage/enabled - - - - always" \
  "w /sys/kernel/mm/ksm/run - - - - 1" "w /sys/block/sda/queue/scheduler - - - - mq-deadline" \
  "w /sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages - - - - 1024"
check "the sysctl.d drop-in keeps desktop's swappiness" \
  expect_contains "$(cat "$ROOT/etc/sysctl.d/90-virtuned.conf")" "vm.swappiness = 35"
check "TunedScenarios lists desktop and hugepages" \
  expect_contains "$(vt_property TunedScenarios)" "<['desktop', 'hugepages']>"
check "revert after two persistent tunes" vscenctl host revert
check "two persistent tunes reverted byte-identical" tree_is_pristine
check "two persistent tunes: state removed" state_is_gone

# --- bad calls ------------------------------------------------------------------------------
check "tune without a scenario is a usage error" expect_status 2 vscenctl host tune
check "TuneHost refuses unknown options" \
  expect_contains "$(vt_call TuneHost "['desktop']" "{'force': <true>}" 2>&1)" \
  "org.freedesktop.DBus.Error.InvalidArgs"
check "TuneHost refuses a non-boolean option value, naming what it takes" \
  expect_contains "$(vt_call TuneHost "['desktop']" "{'dry-run': <'yes'>}" 2>&1)" \
  "org.freedesktop.DBus.Error.InvalidArgs" "TuneHost option 'dry-run' must be a boolean" \
  "takes the booleans dry-run, persistent, interactive"
check "TuneHost refuses an empty scenario list" \
  expect_contains "$(vt_call TuneHost "@as []" "{}" 2>&1)" "org.freedesktop.DBus.Error.InvalidArgs"

# --- per-setting failure ----------------------------------------------------------------------
mv "$ROOT/proc/sys/vm/swappiness" "$VT_TMP/swappiness.saved"
mkdir "$ROOT/proc/sys/vm/swappiness"
out="$(vt_call TuneHost "['desktop']" "{}" 2>&1)"
check "a directory in place of swappiness: HostTuning naming the setting" \
  expect_contains "$out" "org.virtscenario.Error.HostTuning" "host.swappiness: " "Is a directory"
check "the other settings were applied" file_is sys/kernel/mm/ksm/run 1
check "vscenctl exits 1 on a partial failure" expect_status 1 vscenctl host tune desktop
check "revert after a partial failure" vscenctl host revert
rmdir "$ROOT/proc/sys/vm/swappiness"
mv "$VT_TMP/swappiness.saved" "$ROOT/proc/sys/vm/swappiness"
check "partial failure reverted byte-identical" tree_is_pristine
check "partial failure: state removed" state_is_gone

# --- container ----------------------------------------------------------------------------------
mkdir -p "$ROOT/run/systemd"
echo lxc >"$ROOT/run/systemd/container"
out="$(vt_call TuneHost "['desktop']" "{}" 2>&1)"
check "in a container TuneHost is InContainer with the host commands" \
  expect_contains "$out" "org.virtscenario.Error.InContainer" "container (lxc)" \
  "echo always > /sys/kernel/mm/transparent_hugepage/enabled" "sysctl -w vm.swappiness=35"
check "in a container CheckHost still works" vscenctl host check desktop
check "in a container a dry run still works" vscenctl host tune desktop --dry-run
rm -r "$ROOT/run"
check "container refusal changed nothing" tree_is_pristine
check_stop "daemon stops cleanly"

# --- a kill at every rename of a persistent tune -------------------------------------------------
# Each atomic save (the state file, the drop-ins) writes PATH.XXXXXX and renames it over
# PATH. strace kills the real daemon at its Nth rename, N = 1, 2, ... until the tune
# completes without a kill; each time a fresh daemon's RevertHost must leave the whole
# fake tree and the state directory as they were: no value, no drop-in, no temporary
# file. No test hook: the kill hits the syscall itself, as an OOM kill or a power cut would.

# tree_and_state_pristine: the whole fake tree as it started (diff -r shows any extra
# file) and an empty state directory.
tree_and_state_pristine () {
  tree_is_pristine && state_is_gone
}

# tuned_is_desktop_or_no_state: a fresh daemon shows the interrupted tune's scenario
# whenever the kill left a state file, whatever originals it holds yet.
tuned_is_desktop_or_no_state () {
  [ -e "$STATE/host-state" ] || return 0
  expect_contains "$(vt_property TunedScenarios)" "<['desktop']>"
}

# The daemon's own pid (VT_DAEMON_PID is strace's), from the bus.
bus_daemon_pid () {
  gdbus call --session -d org.freedesktop.DBus -o /org/freedesktop/DBus \
    -m org.freedesktop.DBus.GetConnectionUnixProcessID org.virtscenario.Manager \
    | sed -E 's/^\(uint32 ([0-9]+),\)$/\1/'
}

if [ -n "$VT_DAEMON_WRAPPER" ]; then
  tap_ok "a kill at every rename of a tune is reverted whole # SKIP the daemon runs under $VT_DAEMON_WRAPPER, and strace cannot stack on that wrapper"
elif ! command -v strace >/dev/null; then
  echo "Bail out! strace is missing: install Debian package" \
    "$(awk '!/^#/ && $2 == "strace" { print $1 }' "$VT_SOURCE_ROOT/scripts/packages.txt")"
  exit 1
else
  renames=0
  completed=no
  for n in $(seq 1 40); do
    VT_DAEMON_WRAPPER="strace -f -qq -o /dev/null -e trace=rename -e inject=rename:signal=SIGKILL:when=$n" \
      start_daemon "rename-$n" || { echo "Bail out! the daemon for rename $n did not start"; exit 1; }
    TRACED_PID="$(bus_daemon_pid)"
    if vscenctl host tune desktop --persistent >"$VT_TMP/rename-$n.out" 2>&1; then
      completed=yes
      break
    fi
    wait "$VT_DAEMON_PID"
    status=$?
    VT_DAEMON_PID=""
    TRACED_PID=""
    check "killed at rename $n: the daemon died of SIGKILL (status 137)" test "$status" -eq 137
    renames=$n
    start_daemon "after-rename-$n" || { echo "Bail out! the fresh daemon did not start"; exit 1; }
    check "killed at rename $n: a fresh daemon's TunedScenarios is what the state says" \
      tuned_is_desktop_or_no_state
    check "killed at rename $n: RevertHost succeeds" vscenctl host revert
    check "killed at rename $n: the whole tree and the state directory are as before" \
      tree_and_state_pristine
    check_stop "killed at rename $n: the fresh daemon stops cleanly"
  done
  check "the tune completed once no rename was killed, after $renames kills" \
    test "$completed" = yes -a "$renames" -ge 4
  if [ "$completed" = yes ]; then
    # strace passes on the daemon's exit status, which check_stop then judges.
    kill -TERM "$TRACED_PID"
    TRACED_PID=""
    check_stop "the daemon that completed the tune under strace stops cleanly"
    start_daemon after-renames || { echo "Bail out! the fresh daemon did not start"; exit 1; }
    check "after the completed tune, RevertHost succeeds" vscenctl host revert
    check "after the completed tune and revert the tree is as before" tree_and_state_pristine
    check_stop "the daemon after the rename kills stops cleanly"
  fi
fi

if ! test_hooks_built; then
  tap_ok "crash safety and serialization # SKIP virtuned was built without -Dtest_hooks=true"
  tap_done
  exit
fi

# --- crash safety: SIGKILL after the state file and part of the settings --------------------------
VIRTUNED_TEST_CRASH_AFTER_WRITES=2 start_daemon crash \
  || { echo "Bail out! the crash-test daemon did not start"; exit 1; }
crash_pid="$VT_DAEMON_PID"
vt_monitor_start org.freedesktop.DBus /org/freedesktop/DBus
check "tune fails when the daemon dies mid-way" expect_status 1 vscenctl host tune desktop
wait "$crash_pid"
crash_status=$?
VT_DAEMON_PID=""
check "the daemon was killed by SIGKILL (status 137)" test "$crash_status" -eq 137
check "its name was released" \
  expect_contains "$(vt_monitor_wait "NameOwnerChanged ('org.virtscenario.Manager'")" "'')"
check "the crash left the host half tuned" file_is sys/kernel/mm/ksm/run 1
check "the crash left swappiness untouched" file_is proc/sys/vm/swappiness 60
check "the crash left the originals recorded" \
  expect_contains "$(cat "$STATE/host-state")" "value=madvise" "file=sys/kernel/mm/ksm/run"
start_daemon fresh \
  || { echo "Bail out! the fresh daemon did not start"; exit 1; }
check "a fresh daemon shows the interrupted tune in TunedScenarios, as the state says" \
  expect_contains "$(vt_property TunedScenarios)" "<['desktop']>"
check "the state file lists the interrupted tune's scenario" \
  expect_contains "$(cat "$STATE/host-state")" "scenarios=desktop;"
out="$(vscenctl host revert)"
check "a fresh daemon reverts KSM" expect_row "$out" host.ksm on off
check "a fresh daemon reverts THP" expect_row "$out" host.thp always madvise
check "after the crash and revert every file is byte-identical" tree_is_pristine
check "after the crash and revert the state is gone" state_is_gone
check "after the crash and revert TunedScenarios is empty" \
  expect_contains "$(vt_property TunedScenarios)" "<@as []>"
check_stop "fresh daemon stops cleanly"

# --- serialization: a tune queued behind a revert plans from the reverted host -------------------
# The lock hook reports each call right before it waits for the host lock and once it
# holds it, then blocks until told to go on. A revert is held inside the lock while a tune
# queues; the tune must read the host after the revert, or it records realtime's values
# as the originals and a later revert leaves the host tuned.
HOOK="$VT_TMP/lock-hook"
mkdir "$HOOK" && mkfifo "$HOOK/events" "$HOOK/continue"
exec {EVENTS_FD}<>"$HOOK/events"

# hook_expect EVENT: the lock hook's next event is EVENT.
hook_expect () {
  local line
  read -r -t 20 line <&"$EVENTS_FD" || { echo "no lock hook event within 20 s, wanted '$1'"; return 1; }
  [ "$line" = "$1" ] || { echo "the lock hook said '$line', expected '$1'"; return 1; }
}

# hook_continue: the call holding the lock goes on.
hook_continue () {
  timeout 20 bash -c 'echo go >"$1"' _ "$HOOK/continue"
}

# hook_pass OP: OP waits for the lock, takes it and is let through.
hook_pass () {
  hook_expect "$1 waiting" && hook_expect "$1 locked" && hook_continue
}

VIRTUNED_TEST_LOCK_FIFOS="$HOOK" start_daemon lock-hook \
  || { echo "Bail out! the lock-hook daemon did not start"; exit 1; }
vscenctl host tune realtime >"$VT_TMP/realtime.out" 2>&1 &
client_pid=$!
check "tune realtime passes the lock" hook_pass tune
wait "$client_pid"
check "tune realtime succeeded" test $? -eq 0
check "realtime set THP to never" file_is sys/kernel/mm/transparent_hugepage/enabled \
  "always madvise [never]"

vscenctl host revert >"$VT_TMP/revert.out" 2>&1 &
revert_pid=$!
check "a revert waits for the lock" hook_expect "revert waiting"
check "the revert holds the lock" hook_expect "revert locked"
vscenctl host tune desktop >"$VT_TMP/desktop.out" 2>&1 &
tune_pid=$!
check "a tune desktop queues behind it" hook_expect "tune waiting"
check "the revert goes on" hook_continue
check "the tune gets the lock after the revert" hook_expect "tune locked"
check "the tune goes on" hook_continue
wait "$revert_pid"
check "the held revert succeeded" test $? -eq 0
wait "$tune_pid"
check "the queued tune succeeded" test $? -eq 0
check "the queued tune changed THP from madvise (the reverted host)" \
  expect_row "$(cat "$VT_TMP/desktop.out")" host.thp madvise always
check "the state records THP's real original" state_original host.thp madvise
check "the state records swappiness's real original" state_original host.swappiness 60
check "TunedScenarios is ['desktop'], as in the state file" \
  expect_contains "$(vt_property TunedScenarios)" "<['desktop']>"
vscenctl host revert >"$VT_TMP/revert.out" 2>&1 &
revert_pid=$!
check "the final revert passes the lock" hook_pass revert
wait "$revert_pid"
check "the final revert succeeded" test $? -eq 0
check "after the queued calls every file is byte-identical" tree_is_pristine
check "after the queued calls the state is gone" state_is_gone

# --- a planted state file ---------------------------------------------------------------------------
mkdir -p "$ROOT/etc" && echo 'root:*:19000:0:99999:7:::' >"$ROOT/etc/shadow"
cp -a "$ROOT/etc/shadow" "$PRISTINE/etc/shadow"
printf '[state]\nversion=1\nscenarios=desktop;\n[original 1]\nsetting=file:/etc/shadow\nfile=etc/shadow\nkind=file\nvalue=root::0:0:99999:7:::\n' \
  >"$STATE/host-state"
vt_call RevertHost '{}' >"$VT_TMP/planted.out" 2>&1 &
revert_pid=$!
check "a revert of a planted state passes the lock" hook_pass revert
wait "$revert_pid"
check "a state naming etc/shadow is refused" test $? -ne 0
check "the refusal is HostTuning naming the entry" \
  expect_contains "$(cat "$VT_TMP/planted.out")" "org.virtscenario.Error.HostTuning" \
  "[original 1] names file etc/shadow, which is not one virtuned tunes"
check "etc/shadow is untouched" file_is etc/shadow 'root:*:19000:0:99999:7:::'
rm "$STATE/host-state"
check_stop "lock-hook daemon stops cleanly"

tap_done
