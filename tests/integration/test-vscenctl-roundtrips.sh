#!/bin/bash
# Integration: the bus round trips of one vscenctl command (issue #14). A one-shot command
# sends two method calls, the bus's Hello and its own call, and nothing else: no AddMatch,
# GetNameOwner, StartServiceByName or Properties.GetAll, which a GDBusProxy adds (nine round
# trips for one Render, and three RemoveMatch at exit). A dbus-monitor on the private bus
# lists the calls each vscenctl process sends, so this counts messages and is not timed.
#
# No command of vscenctl reads a property or waits for a signal; one that does would send a
# single Properties.Get, or an AddMatch for just its signal, and gets its own case here.
. "$(dirname "$0")/lib.sh"

vt_start_bus || { echo "Bail out! cannot start a private dbus-daemon"; exit 1; }
vt_start_daemon roundtrips || { echo "Bail out! virtuned did not start"; exit 1; }
daemon_name="$(vt_unique_name)"

# --- the monitor ---------------------------------------------------------------------------
# dbus-monitor --profile prints one tab-separated line per message: type, time, serial,
# sender, destination, path, interface, member. It becomes a monitor with BecomeMonitor,
# whereupon the bus takes its unique name away: its own NameLost is the first message it
# prints as a monitor, so from that line on it sees every message on the bus.
mkfifo "$VT_TMP/monitor"
dbus-monitor --session --profile >"$VT_TMP/monitor" 2>/dev/null &
VT_MONITOR_PIDS+=($!)
exec {monitor_fd}<"$VT_TMP/monitor"
monitor_ready=""
while IFS=$'\t' read -r -t 20 -a msg <&"$monitor_fd"; do
  if [ "${msg[0]}" = sig ] && [ "${msg[7]:-}" = NameLost ]; then
    monitor_ready=yes
    break
  fi
done
[ -n "$monitor_ready" ] || { echo "Bail out! dbus-monitor did not become a monitor"; exit 1; }

# marker PATH: a Ping the bus answers, sent and answered before marker returns; the monitor
# prints it in bus order, so it brackets the messages of whatever ran before or after it.
marker () {
  dbus-send --session --print-reply --dest=org.freedesktop.DBus "$1" \
    org.freedesktop.DBus.Peer.Ping >/dev/null
}

# calls_of COMMAND...: runs COMMAND between two markers and prints its exit status
# ("exit 1"), then, per bus connection other than the markers' and the daemon's, the
# members of the method calls it sent, in order ("Hello Render"). vscenctl got every reply
# before it exited, so all its calls come before the second marker. The markers' paths
# are this subshell's own, so what an earlier case left unread is skipped.
calls_of () {
  local begin="/vt/marker/$BASHPID/begin" end="/vt/marker/$BASHPID/end"
  local -a msg senders=()
  local -A members=()
  local inside="" sender
  marker "$begin" || return 1
  "$@" >/dev/null 2>&1
  echo "exit $?"
  marker "$end" || return 1
  while IFS=$'\t' read -r -t 20 -a msg <&"$monitor_fd"; do
    [ "${msg[0]}" = mc ] || continue
    if [ "${msg[5]}" = "$begin" ]; then
      inside=yes
    elif [ -n "$inside" ] && [ "${msg[5]}" = "$end" ]; then
      # The closing marker's own Hello came just before its Ping.
      unset 'members[${msg[3]}]'
      for sender in "${senders[@]}"; do
        [ -n "${members[$sender]+set}" ] && echo "${members[$sender]# }"
      done
      return 0
    elif [ -n "$inside" ] && [ "${msg[3]}" != "$daemon_name" ]; then
      [ -n "${members[${msg[3]}]+set}" ] || senders+=("${msg[3]}")
      members[${msg[3]}]+=" ${msg[7]}"
    fi
  done
  echo "the monitor did not show the marker $end within 20 s"
  return 1
}

# expect_calls STATUS WANT COMMAND...: COMMAND exits with STATUS and makes at most one bus
# connection, whose method calls are WANT (members, space-separated; "" for none).
expect_calls () {
  local want="exit $1${2:+$'\n'$2}" got
  shift 2
  got="$(calls_of "$@")" || { echo "$got"; return 1; }
  if [ "$got" != "$want" ]; then
    echo "got (exit status, then one line of method calls per bus connection):"
    echo "$got"
    echo "expected:"
    echo "$want"
    return 1
  fi
}

# --- one-shot commands: Hello and the command's call -------------------------------------
check "vscenctl render: 2 method calls, Hello and Render" \
  expect_calls 0 "Hello Render" vscenctl render "$VT_DESCRIPTIONS/desktop.yaml"
check "vscenctl --json render --explain: Hello and Render" \
  expect_calls 0 "Hello Render" vscenctl --json render "$VT_DESCRIPTIONS/desktop.yaml" --explain
check "vscenctl render - (standard input): Hello and Render" \
  expect_calls 0 "Hello Render" sh -c '"$0" --session render - <"$1"' \
    "$VT_CTL_BIN" "$VT_DESCRIPTIONS/computation.yaml"
check "a refused render: Hello and Render" \
  expect_calls 1 "Hello Render" vscenctl render "$VT_DESCRIPTIONS/bad-unknown-key.yaml"
check "vscenctl scenarios: Hello and ListScenarios" \
  expect_calls 0 "Hello ListScenarios" vscenctl scenarios
check "vscenctl scenario desktop: Hello and DescribeScenario" \
  expect_calls 0 "Hello DescribeScenario" vscenctl scenario desktop
vt_load_osinfo
check "vscenctl os list win: Hello and ListOperatingSystems" \
  expect_calls 0 "Hello ListOperatingSystems" vscenctl os list win
# Several hosts (issue 13): one call each, whatever the number of hosts.
check "vscenctl connections: Hello and ListConnections" \
  expect_calls 0 "Hello ListConnections" vscenctl connections
check "vscenctl plan: Hello and Plan" \
  expect_calls 0 "Hello Plan" vscenctl plan "$VT_DESCRIPTIONS/desktop.yaml"
check "vscenctl --connection default render: Hello and Render" \
  expect_calls 0 "Hello Render" vscenctl --connection default render "$VT_DESCRIPTIONS/desktop.yaml"
# The pickers' lists (issue 11): one call each.
check "vscenctl pools: Hello and ListPools" \
  expect_calls 0 "Hello ListPools" vscenctl pools
check "vscenctl --connection default networks: Hello and ListNetworks" \
  expect_calls 0 "Hello ListNetworks" vscenctl --connection default networks
check "vscenctl sev info: Hello and GetSevInfo" \
  expect_calls 0 "Hello GetSevInfo" vscenctl sev info
check "vscenctl sev export-pdh (no PDH here): Hello and GetSevInfo" \
  expect_calls 1 "Hello GetSevInfo" vscenctl sev export-pdh "$VT_TMP"

# Mutating commands go through the polkit-aware path; on the session bus it is the same
# single call (the daemon's own calls to the bus, checking the caller, are not counted).
vt_test_driver_vm roundtrips01 desktop >"$VT_TMP/define.yaml"
check "vscenctl define: Hello and Define" \
  expect_calls 0 "Hello Define" vscenctl define "$VT_TMP/define.yaml"
check "vscenctl domain describe: Hello and DescribeDomain" \
  expect_calls 0 "Hello DescribeDomain" vscenctl domain describe roundtrips01
check "vscenctl device list --live (not running): Hello and ListDevices" \
  expect_calls 1 "Hello ListDevices" vscenctl device list roundtrips01 --live
check "vscenctl --json device list: Hello and ListDevices" \
  expect_calls 0 "Hello ListDevices" vscenctl --json device list roundtrips01
check "vscenctl device render: Hello and RenderDevice" \
  expect_calls 0 "Hello RenderDevice" vscenctl device render roundtrips01 '{network: default}'
check "vscenctl device attach (refused by the test driver): Hello and AttachDevice" \
  expect_calls 1 "Hello AttachDevice" vscenctl device attach roundtrips01 '{network: default}'
check "vscenctl device detach (refused by the test driver): Hello and DetachDevice" \
  expect_calls 1 "Hello DetachDevice" vscenctl device detach roundtrips01 ua-net0
check "vscenctl device detach --delete-storage (a NIC: refused): Hello and DetachDevice" \
  expect_calls 1 "Hello DetachDevice" vscenctl device detach roundtrips01 ua-net0 --delete-storage
check "vscenctl diff: Hello and RenderUpdate" \
  expect_calls 0 "Hello RenderUpdate" vscenctl diff roundtrips01
check "vscenctl upgrade --backend-only: Hello and UpgradeDomain" \
  expect_calls 0 "Hello UpgradeDomain" vscenctl upgrade roundtrips01 --backend-only

# The SEV commands that may need polkit (refused here: the test domain has no SEV).
head -c 32 /dev/zero >"$VT_TMP/tk.bin"
head -c 52 /dev/zero | base64 -w0 >"$VT_TMP/header.b64"
head -c 64 /dev/zero | base64 -w0 >"$VT_TMP/payload.b64"
check "vscenctl sev attest: Hello and AttestDomain" \
  expect_calls 1 "Hello AttestDomain" vscenctl sev attest test --tk "$VT_TMP/tk.bin"
check "vscenctl sev measurement: Hello and GetLaunchMeasurement" \
  expect_calls 1 "Hello GetLaunchMeasurement" vscenctl sev measurement test
check "vscenctl sev inject: Hello and InjectLaunchSecret" \
  expect_calls 1 "Hello InjectLaunchSecret" vscenctl sev inject test \
    --secret-header "$VT_TMP/header.b64" --secret-payload "$VT_TMP/payload.b64" --resume

# Nothing but usage errors is decided before connecting: they send nothing at all.
check "a usage error sends no message" expect_calls 2 "" vscenctl render

check_stop "the daemon stops cleanly on SIGTERM"

# Without a daemon the call itself gets the bus's ServiceUnknown: no look-up first.
check "with no daemon: Hello and Render, exit 1" \
  expect_calls 1 "Hello Render" vscenctl render "$VT_DESCRIPTIONS/desktop.yaml"

tap_done
