#!/bin/bash
# Integration: bad input over the bus gets the right named error with a useful sentence,
# vscenctl maps failures to its exit codes, the daemon survives all of it and still shuts
# down cleanly; start-up errors (bad config, name taken) are reported and exit 1.
. "$(dirname "$0")/lib.sh"

vt_start_bus || { echo "Bail out! cannot start a private dbus-daemon"; exit 1; }
vt_start_daemon errors || { echo "Bail out! virtuned did not start"; exit 1; }

# describe NAME TEXT: writes a description file and prints its path.
describe () {
  printf '%s\n' "$2" >"$VT_TMP/$1.yaml"
  echo "$VT_TMP/$1.yaml"
}

# render_error FILE: vscenctl's stderr for a failing render (exit status must be 1).
render_error () {
  local err status
  err="$(vscenctl render "$1" 2>&1 >/dev/null)"
  status=$?
  echo "$err"
  [ "$status" -eq 1 ] || echo "UNEXPECTED-EXIT-STATUS-$status"
}

# --- description errors ----------------------------------------------------------------
malformed="$(describe malformed 'name: vm1
vcpus: [2, 4')"
err="$(render_error "$malformed")"
check "malformed YAML: one sentence with a line number, exit 1" \
  expect_contains "$err" "vscenctl: " "line "
check "malformed YAML: the remote error name is stripped" \
  test "${err/GDBus.Error/}" = "$err"
check "malformed YAML over gdbus is InvalidDescription" \
  expect_contains "$(vt_call Render "$(cat "$malformed")" '{}' 2>&1)" \
    "org.virtscenario.Error.InvalidDescription"

err="$(render_error "$VT_DESCRIPTIONS/bad-unknown-key.yaml")"
check "unknown key: names the key path, line and column" \
  expect_contains "$err" "cpu.topolgy" "line 5" "column 3"
check "unknown key: a single line on stderr" test "$(wc -l <<<"$err")" -eq 1

wrong_type="$(describe wrong-type 'name: vm1
vcpus: four')"
check "wrong type: names vcpus with its line" \
  expect_contains "$(render_error "$wrong_type")" "vcpus" "line 2"
check "bad size unit: names disks[1].size" \
  expect_contains "$(render_error "$VT_DESCRIPTIONS/bad-size.yaml")" "disks[1].size" "line 7"
check "topology not matching vcpus is refused" \
  expect_contains "$(render_error "$VT_DESCRIPTIONS/bad-topology.yaml")" "topology"

check "an alias bomb is refused" \
  expect_contains "$(vt_call Render "$(cat "$VT_DESCRIPTIONS/bad-alias.yaml")" '{}' 2>&1)" \
    "org.virtscenario.Error.InvalidDescription"
check "a name with quotes and '<' is a clean InvalidDescription" \
  expect_contains "$(vt_call Render "$(cat "$VT_DESCRIPTIONS/bad-name.yaml")" '{}' 2>&1)" \
    "org.virtscenario.Error.InvalidDescription" "name (line 1"
angle="$(describe angle 'name: "a<b>&c"')"
check "a name with '<' and '&' is refused by vscenctl with exit 1" \
  expect_contains "$(render_error "$angle")" "vscenctl: name (line 1"

# --- size limits -----------------------------------------------------------------------
big="$VT_TMP/big.yaml"
{ echo "name: big"; head -c $((65 * 1024)) /dev/zero | tr '\0' '#'; echo; } >"$big"
check "vscenctl refuses a 65 KiB file before sending it" \
  expect_contains "$(render_error "$big")" "is larger than 64 KiB"
check "vscenctl refuses 65 KiB on standard input" \
  expect_status 1 "$VT_CTL_BIN" --session render - <"$big"
huge="$(head -c $((70 * 1024)) /dev/zero | tr '\0' 'a')"
check "Render of a 70 KiB string over gdbus is InvalidDescription (the parser's limit)" \
  expect_contains "$(vt_call Render "$huge" '{}' 2>&1)" \
    "org.virtscenario.Error.InvalidDescription" "too large: 71680 bytes (limit 65536)"
binary="$VT_TMP/binary.yaml"
printf 'name: vm1\n\x00\xff\n' >"$binary"
check "a file with NUL bytes is refused by vscenctl" \
  expect_contains "$(render_error "$binary")" "is not UTF-8 text"

# --- scenarios and options ---------------------------------------------------------------
nosuch="$(describe nosuch 'name: vm1
scenario: nosuch')"
check "an unknown scenario in a description is UnknownScenario" \
  expect_contains "$(vt_call Render "$(cat "$nosuch")" '{}' 2>&1)" \
    "org.virtscenario.Error.UnknownScenario" "nosuch"
check "DescribeScenario of an unknown name is UnknownScenario" \
  expect_contains "$(vt_call DescribeScenario nosuch 2>&1)" "org.virtscenario.Error.UnknownScenario"
check "vscenctl scenario nosuch exits 1" expect_status 1 vscenctl scenario nosuch
check "an unknown Render option is InvalidArgs naming it" \
  expect_contains "$(vt_call Render 'name: vm1' "{'frobnicate': <true>}" 2>&1)" \
    "org.freedesktop.DBus.Error.InvalidArgs" "Render option 'frobnicate' is unknown" \
    "Render takes the booleans provenance; connection: a name"
check "Render's provenance option must be a boolean" \
  expect_contains "$(vt_call Render 'name: vm1' "{'provenance': <'no'>}" 2>&1)" \
    "org.freedesktop.DBus.Error.InvalidArgs" "provenance"
check "an option name is echoed escaped and cut, never raw" \
  expect_contains "$(vt_call Render 'name: vm1' "{'\\u001b]0;x\\u0007': <true>}" 2>&1)" \
    "Render option '\\x1b]0;x\\x07' is unknown"
check "Define's start takes only paused or running" \
  expect_contains "$(vt_call Define 'name: vm1' "{'start': <'later'>}" 2>&1)" \
    "org.freedesktop.DBus.Error.InvalidArgs" "Define option 'start' must be one of its strings" \
    "Define takes the booleans interactive; start: paused|running"
check "Define's start is a string, not a boolean" \
  expect_contains "$(vt_call Define 'name: vm1' "{'start': <true>}" 2>&1)" \
    "Define option 'start' must be one of its strings"
check "vscenctl define --start with another value is a usage error" \
  expect_status 2 vscenctl define "$nosuch" --start later
start_running="$(describe start-running 'name: started01')"
check "vscenctl define --start running defines and starts" \
  expect_contains "$(vscenctl define "$start_running" --start running 2>&1)" "name: started01"
start_paused="$(describe start-paused 'name: paused01')"
check "a start libvirt refuses (the test driver cannot start paused) keeps nothing" \
  expect_contains "$(vscenctl define "$start_paused" --start paused 2>&1)" \
    "starting the domain paused (it was not kept)"
check "... and the name is free again: the same description defines" \
  expect_contains "$(vscenctl define "$start_paused" 2>&1)" "name: paused01"
sev="$(describe sev-forced 'name: vm1
settings:
  guest.sev: sev')"
check "asking for SEV on a host without it is Unsupported" \
  expect_contains "$(vt_call Render "$(cat "$sev")" '{}' 2>&1)" "org.virtscenario.Error.Unsupported"
check "securevm with its SEV lock overridden is a Conflict" \
  expect_contains "$(vt_call Render "name: vm1
scenario: securevm
settings: {guest.sev: 'off'}" '{}' 2>&1)" "org.virtscenario.Error.Conflict" "locked"
check "GetSevInfo on a host without SEV is an answer, not an error" \
  expect_contains "$(vt_call GetSevInfo '{}' 2>&1)" "'supported': <false>"
check "vscenctl --json sev info: JSON on stdout, nothing on stderr, exit 0" \
  sh -c 'out="$("$0" --session --json sev info 2>"$1")"; status=$?
         [ "$status" -eq 0 ] && [ ! -s "$1" ] && printf "%s" "$out" | python3 -m json.tool >/dev/null' \
    "$VT_CTL_BIN" "$VT_TMP/sev-info.err"
printf 'sixteen byte key' >"$VT_TMP/tik.bin"
cp "$VT_TMP/tik.bin" "$VT_TMP/tek.bin"
check "sev attest without --tik/--tek is a usage error (exit 2)" \
  expect_status 2 vscenctl sev attest vm1
check "sev attest without --tek is a usage error (exit 2)" \
  expect_status 2 vscenctl sev attest vm1 --tik "$VT_TMP/tik.bin"
check "sev attest with an unknown flag is a usage error (exit 2)" \
  expect_status 2 vscenctl sev attest vm1 --tik "$VT_TMP/tik.bin" --tek "$VT_TMP/tek.bin" --fast
check "sev attest with a flag missing its FILE is a usage error (exit 2)" \
  expect_status 2 vscenctl sev attest vm1 --tek "$VT_TMP/tek.bin" --tik
check "sev attest with two domains is a usage error (exit 2)" \
  expect_status 2 vscenctl sev attest vm1 vm2 --tik "$VT_TMP/tik.bin" --tek "$VT_TMP/tek.bin"
check "sev attest with an unreadable TIK file fails (exit 1) naming it" \
  expect_contains "$(vscenctl sev attest vm1 --tik "$VT_TMP/absent.bin" --tek "$VT_TMP/tek.bin" 2>&1; echo "status=$?")" \
    "absent.bin" "status=1"
check "sev attest with both keys reaches the daemon: no such domain, exit 1" \
  expect_contains "$(vscenctl --json sev attest vm1 --tik "$VT_TMP/tik.bin" --tek "$VT_TMP/tek.bin" 2>&1; echo "status=$?")" \
    "vscenctl: cannot find domain vm1" "status=1"
check "sev inject without --secret-payload is a usage error (exit 2)" \
  expect_status 2 vscenctl sev inject vm1 --secret-header "$VT_TMP/tik.bin"
check "sev measurement without DOMAIN is a usage error (exit 2)" \
  expect_status 2 vscenctl sev measurement
check "sev export-pdh without DIR is a usage error (exit 2)" \
  expect_status 2 vscenctl sev export-pdh
check "sev without a subcommand is a usage error (exit 2)" expect_status 2 vscenctl sev
check "sev info with an argument is a usage error (exit 2)" expect_status 2 vscenctl sev info x

# --- vscenctl usage ----------------------------------------------------------------------
check "unknown command exits 2" expect_status 2 vscenctl frobnicate
check "render without FILE exits 2" expect_status 2 vscenctl render
check "render with an unknown option exits 2" expect_status 2 vscenctl render x --fast
check "--session with --system exits 2" expect_status 2 "$VT_CTL_BIN" --session --system scenarios
check "no command exits 2" expect_status 2 "$VT_CTL_BIN"
check "a missing file exits 1" expect_status 1 vscenctl render "$VT_TMP/absent.yaml"
check "--help exits 0 and lists the commands" \
  expect_contains "$("$VT_CTL_BIN" --help)" "render FILE|-" "host check"
check "a daemon that is not running is a failure (exit 1), not a hang" \
  expect_status 1 env DBUS_SESSION_BUS_ADDRESS="unix:path=$VT_TMP/nobus" "$VT_CTL_BIN" --session scenarios

# --- the daemon survived and refuses a second instance -----------------------------------
check "the daemon still answers after all that" \
  expect_contains "$(vt_call ListScenarios 2>&1)" "'desktop'"
second="$("$VT_DAEMON_BIN" --session --connect test:///default 2>&1)"
check "a second daemon exits 1 saying the name is taken" \
  expect_contains "$second; status=$?" "already taken" "status=1"
check_stop "the daemon stops cleanly on SIGTERM (exit 0)"

# --- start-up errors ------------------------------------------------------------------------
printf '[libvirt]\nuri=test:///default\nfrobnicate=1\n' >"$VT_TMP/bad.conf"
check "an unknown configuration key is named and exits 1" \
  expect_contains "$("$VT_DAEMON_BIN" --session --config "$VT_TMP/bad.conf" 2>&1; echo "status=$?")" \
    "unknown key 'frobnicate' in [libvirt]" "status=1"
printf '[nosuch]\n' >"$VT_TMP/badgroup.conf"
check "an unknown configuration group is named" \
  expect_contains "$("$VT_DAEMON_BIN" --session --config "$VT_TMP/badgroup.conf" 2>&1)" \
    "unknown group [nosuch]"
check "an explicit --config that does not exist is an error" \
  expect_status 1 "$VT_DAEMON_BIN" --session --config "$VT_TMP/absent.conf"
check "an unknown daemon option is a usage error (exit 2)" \
  expect_status 2 "$VT_DAEMON_BIN" --frobnicate

# A broken policy in an extra directory is logged and skipped; the rest still works.
mkdir -p "$VT_TMP/policies"
printf 'summary: broken\nsettings:\n  guest.nosuch: 1\n' >"$VT_TMP/policies/broken.yaml"
vt_start_daemon broken-policy --policy-dir "$VT_TMP/policies" \
  || { echo "Bail out! daemon with a broken policy did not start"; exit 1; }
check "a broken policy is logged by file name" grep -q "broken.yaml" "$VT_DAEMON_LOG"
check "the other policies still serve" \
  expect_contains "$(vscenctl scenarios 2>&1)" "desktop"
check "the broken policy is not listed" \
  test -z "$(vscenctl scenarios | awk '$1 == "broken"')"
check_stop "the daemon with a broken policy stops cleanly"

# Idle exit: with nothing in flight the daemon leaves on its own, with status 0.
vt_start_daemon idle --idle-exit 1 || { echo "Bail out! idle daemon did not start"; exit 1; }
idle_pid="$VT_DAEMON_PID"
VT_DAEMON_PID=""
wait "$idle_pid"
check "--idle-exit makes an idle daemon exit 0 by itself" test "$?" -eq 0
check "the idle daemon's valgrind log is clean" vt_check_valgrind_log

# Renders are answered in GDBus's worker thread and never wake the main loop, where the
# idle timer runs; they still keep the daemon: one that gets them for three times its
# idle time answers every one, and leaves by itself once they stop.
vt_start_daemon busy --idle-exit 2 || { echo "Bail out! busy daemon did not start"; exit 1; }
busy_pid="$VT_DAEMON_PID"
VT_DAEMON_PID=""
answered=0
unanswered=0
until_s=$((SECONDS + 6))
while [ "$SECONDS" -lt "$until_s" ]; do
  if vscenctl render "$VT_DESCRIPTIONS/desktop.yaml" >/dev/null 2>&1; then
    answered=$((answered + 1))
  else
    unanswered=$((unanswered + 1))
  fi
done
echo "# busy daemon: $answered Renders answered, $unanswered not, in 6 s"
check "Renders for 6 s keep a daemon with --idle-exit 2 answering" \
  test "$unanswered" -eq 0 -a "$answered" -gt 0
check "... and it is still running when they stop" kill -0 "$busy_pid"
wait "$busy_pid"
check "... then it exits 0 by itself" test "$?" -eq 0
check "the busy daemon's valgrind log is clean" vt_check_valgrind_log

# systemd integration: READY=1 with a STATUS once the name is owned, watchdog pings at
# half of WATCHDOG_USEC, STOPPING=1 and a clean exit on SIGTERM.
notify="$(python3 "$(dirname "$0")/sd-notify.py" \
  "$VT_DAEMON_BIN" --session --connect test:///default 2>&1)"
check "sd_notify: READY=1 and STATUS after the name is owned" \
  expect_contains "$notify" "READY=1" "STATUS=Serving org.virtscenario.Manager on the session bus"
check "sd_notify: watchdog keep-alive when WATCHDOG_USEC is set" \
  expect_contains "$notify" "WATCHDOG=1"
check "sd_notify: STOPPING=1 and exit 0 on SIGTERM" \
  expect_contains "$notify" "STOPPING=1" "exit 0"

# Graceful stop: SIGTERM while a TuneHost is in flight. The host tree's sysctl.d drop-in
# is a FIFO; the daemon's worker opens it to read the current drop-in, so opening its
# write side returns exactly when the call is in flight, and the worker then waits for
# the end of file, which comes only when this shell closes its side.
stop_root="$VT_TMP/stop-root"
mkdir -p "$stop_root/sys/kernel/mm/transparent_hugepage" "$stop_root/sys/kernel/mm/ksm" \
  "$stop_root/sys/kernel/mm/hugepages/hugepages-2048kB" "$stop_root/proc/sys/vm" \
  "$stop_root/etc/sysctl.d"
printf 'MemTotal:        8000000 kB\nHugepagesize:       2048 kB\n' >"$stop_root/proc/meminfo"
echo 0 >"$stop_root/sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages"
echo "always [madvise] never" >"$stop_root/sys/kernel/mm/transparent_hugepage/enabled"
echo 0 >"$stop_root/sys/kernel/mm/ksm/run"
echo 60 >"$stop_root/proc/sys/vm/swappiness"
stop_dropin="$stop_root/etc/sysctl.d/90-virtuned.conf"
mkfifo "$stop_dropin"
vt_start_daemon stop --sysroot "$stop_root" --state-dir "$VT_TMP/stop-state" \
  || { echo "Bail out! the daemon for the stop test did not start"; exit 1; }
stop_owner="$(vt_unique_name)"
vt_monitor_start org.freedesktop.DBus /org/freedesktop/DBus \
  || { echo "Bail out! cannot follow the bus's signals"; exit 1; }
vscenctl host tune realtime --persistent >"$VT_TMP/stop-tune.out" 2>&1 &
tune_pid=$!
exec {dropin_fd}>"$stop_dropin"
kill -TERM "$VT_DAEMON_PID"
check "SIGTERM with a call in flight: the bus name is released at once" \
  vt_monitor_wait "NameOwnerChanged ('org.virtscenario.Manager', '$stop_owner', '')"
check "while stopping, a new call on the unique name gets NoServer" \
  expect_contains "$(gdbus call --session -d "$stop_owner" -o /org/virtscenario/Manager \
    -m org.virtscenario.Manager.ListScenarios 2>&1)" \
    "org.freedesktop.DBus.Error.NoServer" "virtuned is stopping"
exec {dropin_fd}>&-
wait "$tune_pid"
check "the call in flight is answered after SIGTERM (exit 0)" test "$?" -eq 0
check "its answer lists the changes" \
  expect_contains "$(cat "$VT_TMP/stop-tune.out")" "host.swappiness" "file:/etc/sysctl.d/90-virtuned.conf"
# -f first: reading a FIFO nobody writes would hang this test.
check "the tuning finished: the drop-in was written" \
  sh -c 'test -f "$1" && grep -q "vm.swappiness = 0" "$1"' _ "$stop_dropin"
if vt_wait_daemon >"$VT_TMP/stop.out" 2>&1; then
  tap_ok "then the daemon exits with status 0"
else
  tap_not_ok "then the daemon exits with status 0" "$(head -c 3000 "$VT_TMP/stop.out")"
fi
check "it logged that it finished the call before exiting" \
  expect_contains "$(cat "$VT_DAEMON_LOG")" "finishing 1 call(s) in flight" \
    "the last call in flight finished"

# SIGTERM with calls queued and not yet read: the daemon is frozen (SIGSTOP) while clients
# call it, a bus monitor shows when the bus has routed every call to it, then it gets
# SIGTERM and SIGCONT. Each call reached the daemon, so each must get its result or
# NoServer. Before the fix, whether they did depended on GDBus's worker thread queueing
# them before the main loop saw the signal (under valgrind 8 of 10 got NoReply); the
# load test below is the one that fails without valgrind too.
# dbus-send because it sends only the call (gdbus call introspects first).
frozen_clients=10
vt_start_daemon frozen || { echo "Bail out! the daemon for the frozen-stop test did not start"; exit 1; }
frozen_fifo="$VT_TMP/frozen-monitor"
mkfifo "$frozen_fifo"
dbus-monitor --session "type='method_call',member='ListScenarios'" >"$frozen_fifo" 2>&1 &
VT_MONITOR_PIDS+=($!)
exec {frozen_fd}<"$frozen_fifo"
# The monitor prints NameLost for itself once it is monitoring.
frozen_ready=0
while read -r -t 20 line <&"$frozen_fd"; do
  [[ "$line" == *"member=NameLost"* ]] && { frozen_ready=1; break; }
done
[ "$frozen_ready" -eq 1 ] || { echo "Bail out! dbus-monitor did not start"; exit 1; }
kill -STOP "$VT_DAEMON_PID"
frozen_pids=()
for client in $(seq "$frozen_clients"); do
  dbus-send --session --print-reply --reply-timeout=300000 --dest=org.virtscenario.Manager \
    /org/virtscenario/Manager org.virtscenario.Manager.ListScenarios \
    >"$VT_TMP/frozen-$client.out" 2>&1 &
  frozen_pids+=($!)
done
frozen_routed=0
while [ "$frozen_routed" -lt "$frozen_clients" ] && read -r -t 60 line <&"$frozen_fd"; do
  [[ "$line" == *"member=ListScenarios"* ]] && frozen_routed=$((frozen_routed + 1))
done
kill -TERM "$VT_DAEMON_PID"
kill -CONT "$VT_DAEMON_PID"
wait "${frozen_pids[@]}"
frozen_outcomes="$(for client in $(seq "$frozen_clients"); do
  if grep -q '^Error ' "$VT_TMP/frozen-$client.out"; then
    sed -n 's/^Error \([^:]*\):.*/\1/p' "$VT_TMP/frozen-$client.out"
  else
    echo ok
  fi
done | sort | uniq -c | tr -s ' \n' ' ')"
# frozen_verdict: every call was routed to the daemon and none got an error but NoServer.
frozen_verdict () {
  local bad
  if [ "$frozen_routed" -ne "$frozen_clients" ]; then
    echo "the monitor saw $frozen_routed of $frozen_clients calls routed"
    return 1
  fi
  bad="$(cat "$VT_TMP"/frozen-*.out | grep '^Error ' \
    | grep -v '^Error org.freedesktop.DBus.Error.NoServer: virtuned is stopping')"
  [ -z "$bad" ] || { echo "$bad"; echo "outcomes: $frozen_outcomes"; return 1; }
}
check "SIGTERM with $frozen_clients calls routed to a frozen daemon: each gets its result or NoServer" \
  frozen_verdict
echo "# frozen stop, calls per outcome: $frozen_outcomes"
if vt_wait_daemon >"$VT_TMP/frozen.out" 2>&1; then
  tap_ok "the frozen daemon then exits 0"
else
  tap_not_ok "the frozen daemon then exits 0" "$(head -c 3000 "$VT_TMP/frozen.out")"
fi

# SIGTERM under load: every call the daemon received is answered. Clients call Render in a
# loop, each writing one line per call to its own file: "ok" or the D-Bus error's name. Once
# every client has completed a call (a line on a shared FIFO, not a sleep) the daemon gets
# SIGTERM; a client stops at the first error that is not the daemon's NoServer (after the
# daemon is gone the bus answers ServiceUnknown). The only legitimate errors are NoServer
# (the daemon refusing while it stops) and the bus's ServiceUnknown/NameHasNoOwner for calls
# sent after the name was released, which never reached the daemon. NoReply means the
# daemon exited with a call it had received unanswered. Several rounds, because it is a race.
if [ -n "$VT_DAEMON_WRAPPER" ]; then load_clients=8 load_rounds=3; else load_clients=20 load_rounds=8; fi

# load_client FILE READY_FD: Render in a loop until an error other than NoServer.
load_client () {
  local file="$1" ready_fd="$2" out name first=1
  while :; do
    if out="$(gdbus call --session --dest org.virtscenario.Manager \
        --object-path /org/virtscenario/Manager --method org.virtscenario.Manager.Render \
        "'name: vm1'" '@a{sv} {}' 2>&1)"; then
      name=ok
    else
      name="$(grep -o 'GDBus\.Error:[A-Za-z0-9_.]*' <<<"$out" | head -n1)"
      name="${name#GDBus.Error:}"
      [ -n "$name" ] || name="other: ${out//$'\n'/ }"
    fi
    echo "$name" >>"$file"
    if [ "$first" -eq 1 ]; then
      echo started >&"$ready_fd"
      first=0
    fi
    case "$name" in ok | org.freedesktop.DBus.Error.NoServer) ;; *) break ;; esac
  done
}

load_bad=""
load_tally=""
for round in $(seq "$load_rounds"); do
  vt_start_daemon "term-load-$round" \
    || { echo "Bail out! the daemon for the SIGTERM-under-load test did not start"; exit 1; }
  ready_fifo="$VT_TMP/load-ready-$round"
  mkfifo "$ready_fifo"
  # Read-write, so neither side blocks in open() and the FIFO never reports end of file.
  exec {ready_fd}<>"$ready_fifo"
  client_pids=()
  for client in $(seq "$load_clients"); do
    load_client "$VT_TMP/load-$round-$client.calls" "$ready_fd" &
    client_pids+=($!)
  done
  started=0
  while [ "$started" -lt "$load_clients" ] && read -r -t 120 -u "$ready_fd" _; do
    started=$((started + 1))
  done
  kill -TERM "$VT_DAEMON_PID"
  wait "${client_pids[@]}"
  exec {ready_fd}>&-
  if vt_wait_daemon >"$VT_TMP/term-load.out" 2>&1; then
    tap_ok "SIGTERM under load, round $round: all $started clients were calling; the daemon exits 0"
  else
    tap_not_ok "SIGTERM under load, round $round: the daemon exits 0" \
      "$(head -c 3000 "$VT_TMP/term-load.out")"
  fi
  load_bad+="$(cat "$VT_TMP"/load-"$round"-*.calls | grep -Ev '^(ok|org\.freedesktop\.DBus\.Error\.(NoServer|ServiceUnknown|NameHasNoOwner))$' \
    | sed "s/^/round $round: /")"$'\n'
  load_tally+="round $round: $(cat "$VT_TMP"/load-"$round"-*.calls | sort | uniq -c | tr -s ' \n' ' ')"$'\n'
done
if [ -z "${load_bad//$'\n'/}" ]; then
  tap_ok "SIGTERM under load: every call got its result, NoServer, or ServiceUnknown (no NoReply)"
else
  tap_not_ok "SIGTERM under load: every call got its result, NoServer, or ServiceUnknown (no NoReply)" \
    "unexpected errors:" "$(grep -v '^$' <<<"$load_bad" | sort | uniq -c | head -20)" \
    "all calls:" "$load_tally"
fi
echo "# SIGTERM under load, calls per outcome:"
printf '%s' "$load_tally" | sed 's/^/#   /'

tap_done
