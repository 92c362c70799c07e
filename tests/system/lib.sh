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

require_cmd () {
  local c
  for c in "$@"; do
    command -v "$c" >/dev/null 2>&1 || [ -x "$c" ] ||
      skip_all "$c is missing (scripts/check installs scripts/packages.txt)"
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
