# Shared helpers of the integration tests (sourced, bash).
#
# Every test gets its own private D-Bus session bus and starts the real daemon binary
# from the build tree on it, against libvirt's in-process test driver. Nothing is left
# behind: an EXIT trap stops the daemons and the bus and removes the scratch directory.
#
# Environment:
#   VT_SOURCE_ROOT, VT_BUILD_ROOT   set by meson (tests/meson.build)
#   VT_DAEMON_WRAPPER               optional command prefix for the daemon, e.g.
#                                   "valgrind --leak-check=full --error-exitcode=99";
#                                   when it is valgrind, each daemon gets its own
#                                   --log-file and the log is checked after the daemon stops.

set -uo pipefail

: "${VT_SOURCE_ROOT:?run through meson test}"
: "${VT_BUILD_ROOT:?run through meson test}"

VT_DAEMON_BIN="$VT_BUILD_ROOT/daemon/virtuned"
VT_CTL_BIN="$VT_BUILD_ROOT/client/vscenctl"
VT_DESCRIPTIONS="$VT_SOURCE_ROOT/tests/data/descriptions"
VT_SEV_DOMCAPS="$VT_SOURCE_ROOT/tests/data/domcaps/qemu_9.2.0-q35.x86_64+amdsev.xml"
VT_DAEMON_WRAPPER="${VT_DAEMON_WRAPPER:-}"
# The daemon finds its built-in policies and fallback domcaps in the source tree.
export VIRTUNED_DATADIR="$VT_SOURCE_ROOT/data"

VT_TMP="$(mktemp -d "${TMPDIR:-/tmp}/vt-test.XXXXXX")"
VT_BUS_PID=""
VT_DAEMON_PID=""
VT_DAEMON_LOG=""
VT_VALGRIND_LOG=""
VT_MONITOR_PIDS=()
tap_count=0
tap_failed=0

# --- TAP ------------------------------------------------------------------------------

tap_ok () {
  tap_count=$((tap_count + 1))
  echo "ok $tap_count - $1"
}

tap_not_ok () {
  tap_count=$((tap_count + 1))
  tap_failed=$((tap_failed + 1))
  echo "not ok $tap_count - $1"
  shift
  local line
  # Every diagnostic line, also inside a multi-line argument, is a TAP comment.
  for line in "$@"; do
    printf '%s\n' "$line" | sed 's/^/#   /'
  done
}

# check DESCRIPTION COMMAND...: one test case that passes when COMMAND succeeds. On
# failure its output is shown as TAP diagnostics.
check () {
  local description="$1"
  shift
  local out
  if out="$("$@" 2>&1)"; then
    tap_ok "$description"
  else
    tap_not_ok "$description" "command: $*" "${out:0:2000}"
  fi
}

# check_stop DESCRIPTION: vt_stop_daemon as a test case. It must run in this shell, not
# in the subshell `check` uses, because only this shell can wait for its child.
check_stop () {
  if vt_stop_daemon >"$VT_TMP/stop.out" 2>&1; then
    tap_ok "$1"
  else
    tap_not_ok "$1" "$(head -c 3000 "$VT_TMP/stop.out")"
  fi
}

# Ends the test: the plan goes last (valid TAP) so case counts need no upkeep.
tap_done () {
  echo "1..$tap_count"
  [ "$tap_failed" -eq 0 ]
}

# --- bus and daemon -------------------------------------------------------------------

vt_cleanup () {
  if [ "${#VT_MONITOR_PIDS[@]}" -gt 0 ]; then
    kill "${VT_MONITOR_PIDS[@]}" 2>/dev/null
  fi
  if [ -n "$VT_DAEMON_PID" ]; then
    kill -TERM "$VT_DAEMON_PID" 2>/dev/null
    wait "$VT_DAEMON_PID" 2>/dev/null
  fi
  if [ -n "$VT_BUS_PID" ]; then
    kill -TERM "$VT_BUS_PID" 2>/dev/null
  fi
  rm -rf "$VT_TMP"
}
trap vt_cleanup EXIT

vt_start_bus () {
  dbus-daemon --session --fork --nopidfile --print-address=3 --print-pid=4 \
    3>"$VT_TMP/bus.address" 4>"$VT_TMP/bus.pid" || return 1
  VT_BUS_PID="$(cat "$VT_TMP/bus.pid")"
  DBUS_SESSION_BUS_ADDRESS="$(head -n1 "$VT_TMP/bus.address")"
  export DBUS_SESSION_BUS_ADDRESS
  # The tests never want the system bus; make an accidental use fail fast.
  export DBUS_SYSTEM_BUS_ADDRESS="unix:path=$VT_TMP/no-system-bus"
}

# Seconds to wait for the daemon's name; valgrind makes start-up much slower.
vt_wait_seconds () {
  if [ -n "$VT_DAEMON_WRAPPER" ]; then echo 120; else echo 10; fi
}

# vt_start_daemon TAG [ARGS...]: starts virtuned --session --connect test:///default ARGS
# and waits (on the bus, not by sleeping) until it owns its name.
vt_start_daemon () {
  local tag="$1"
  shift
  local -a wrapper=()
  VT_DAEMON_LOG="$VT_TMP/$tag.log"
  VT_VALGRIND_LOG=""
  if [ -n "$VT_DAEMON_WRAPPER" ]; then
    read -r -a wrapper <<<"$VT_DAEMON_WRAPPER"
    if [[ "${wrapper[0]}" == *valgrind* ]]; then
      VT_VALGRIND_LOG="$VT_TMP/$tag.valgrind"
      wrapper+=("--log-file=$VT_VALGRIND_LOG")
    fi
  fi
  "${wrapper[@]}" "$VT_DAEMON_BIN" --session --connect test:///default "$@" \
    >"$VT_DAEMON_LOG" 2>&1 &
  VT_DAEMON_PID=$!
  if ! gdbus wait --session --timeout "$(vt_wait_seconds)" org.virtscenario.Manager; then
    echo "# daemon $tag did not appear on the bus; its log:" >&2
    sed 's/^/#   /' "$VT_DAEMON_LOG" >&2
    return 1
  fi
}

# Stops the daemon with SIGTERM; succeeds when it exited with status 0 and, under
# valgrind, its log shows no error and no definite leak.
vt_stop_daemon () {
  kill -TERM "$VT_DAEMON_PID" || return 1
  vt_wait_daemon
}

# Waits for the daemon (already told to stop) to exit; the same verdict as vt_stop_daemon.
vt_wait_daemon () {
  local pid="$VT_DAEMON_PID" status
  VT_DAEMON_PID=""
  wait "$pid"
  status=$?
  if [ "$status" -ne 0 ]; then
    echo "daemon exited with status $status; log:"
    cat "$VT_DAEMON_LOG"
    [ -n "$VT_VALGRIND_LOG" ] && cat "$VT_VALGRIND_LOG"
    return 1
  fi
  vt_check_valgrind_log
}

vt_check_valgrind_log () {
  [ -n "$VT_VALGRIND_LOG" ] || return 0
  if ! grep -q 'ERROR SUMMARY: 0 errors' "$VT_VALGRIND_LOG" \
     || grep -Eq 'definitely lost: [1-9]' "$VT_VALGRIND_LOG"; then
    cat "$VT_VALGRIND_LOG"
    return 1
  fi
}

# vt_name_is_gone [NAME]: NAME (default: the daemon's) has no owner, or, for a unique
# name, that connection closed. The name is owned again only after the previous owner
# released it; test that the stopped daemon's name really disappeared before starting
# the next.
vt_name_is_gone () {
  ! gdbus call --session -d org.freedesktop.DBus -o /org/freedesktop/DBus \
      -m org.freedesktop.DBus.GetNameOwner "${1:-org.virtscenario.Manager}" >/dev/null 2>&1
}

# vt_unique_name: the daemon's unique bus name (":1.N"), which outlives the well-known one.
vt_unique_name () {
  gdbus call --session -d org.freedesktop.DBus -o /org/freedesktop/DBus \
    -m org.freedesktop.DBus.GetNameOwner org.virtscenario.Manager | sed -E "s/^\('(.*)',\)$/\1/"
}

# vt_monitor_start DEST OBJECT: follows the signals of DEST on a FIFO (fd in VT_MONITOR_FD)
# and returns once the subscription is active: gdbus prints the owner only after a round
# trip that the bus handles after the match rule.
vt_monitor_start () {
  local fifo="$VT_TMP/monitor.${#VT_MONITOR_PIDS[@]}" line
  mkfifo "$fifo"
  gdbus monitor --session --dest "$1" --object-path "$2" >"$fifo" &
  VT_MONITOR_PIDS+=($!)
  exec {VT_MONITOR_FD}<"$fifo"
  while read -r -t 20 line <&"$VT_MONITOR_FD"; do
    [[ "$line" == *"is owned by"* ]] && return 0
  done
  return 1
}

# vt_monitor_wait PATTERN: prints the first further monitored line containing PATTERN.
vt_monitor_wait () {
  local line
  while read -r -t 20 line <&"$VT_MONITOR_FD"; do
    if [[ "$line" == *"$1"* ]]; then
      echo "$line"
      return 0
    fi
  done
  echo "no signal matching '$1' within 20 s"
  return 1
}

# --- host tuning fixtures -----------------------------------------------------------

# A kernel-like tree: choice files with the current value bracketed, a KSM directory,
# block devices of which loop0 and dm-0 must be skipped, huge pages, SEV inputs.
make_fake_root () {
  local r="$1" dev
  mkdir -p "$r/sys/kernel/mm/transparent_hugepage" "$r/sys/kernel/mm/ksm" "$r/proc/sys/vm" \
    "$r/sys/kernel/mm/hugepages/hugepages-2048kB" "$r/sys/module/kvm_amd/parameters" \
    "$r/etc/sysctl.d" "$r/etc/tmpfiles.d" "$r/etc/modprobe.d"
  echo "always [madvise] never" >"$r/sys/kernel/mm/transparent_hugepage/enabled"
  echo 0 >"$r/sys/kernel/mm/ksm/run"
  echo 1 >"$r/sys/kernel/mm/ksm/merge_across_nodes"
  echo 60 >"$r/proc/sys/vm/swappiness"
  echo 0 >"$r/sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages"
  printf 'MemTotal:        8000000 kB\nHugepagesize:       2048 kB\n' >"$r/proc/meminfo"
  printf 'processor\t: 0\nflags\t\t: fpu pse sev\n' >"$r/proc/cpuinfo"
  echo N >"$r/sys/module/kvm_amd/parameters/sev"
  echo N >"$r/sys/module/kvm_amd/parameters/sev_es"
  echo "BOOT_IMAGE=/vmlinuz root=/dev/sda1 quiet" >"$r/proc/cmdline"
  for dev in "sda:mq-deadline kyber [bfq] none" "nvme0n1:[none] mq-deadline kyber bfq" \
             "loop0:[none] mq-deadline" "dm-0:[none] mq-deadline"; do
    mkdir -p "$r/sys/block/${dev%%:*}/queue"
    echo "${dev#*:}" >"$r/sys/block/${dev%%:*}/queue/scheduler"
  done
}

# --- calling ----------------------------------------------------------------------------

# vt_load_osinfo: makes the daemon read the osinfo database now, which it does on the
# first use of os: (about a second; minutes under valgrind, longer than a client's
# timeout), so the checks after it measure what they are about.
vt_load_osinfo () {
  vt_call ListOperatingSystems "'no-such-os'" --timeout 900 >/dev/null
}

vscenctl () {
  "$VT_CTL_BIN" --session "$@"
}

# vt_test_driver_vm NAME [SCENARIO]: a description Define accepts on libvirt's test
# driver: one new volume in its pool default-pool (which cannot preallocate metadata) and
# one NIC on its network default.
vt_test_driver_vm () {
  printf 'name: %s\n' "$1"
  [ -n "${2:-}" ] && printf 'scenario: %s\n' "$2"
  cat <<'YAML'
disks:
  - pool: default-pool
    size: 1GiB
networks:
  - network: default
settings:
  storage.preallocation: "off"
YAML
}

# vt_call METHOD ARGS...: gdbus call on the manager, GVariant text on stdout.
vt_call () {
  local method="$1"
  shift
  gdbus call --session --dest org.virtscenario.Manager --object-path /org/virtscenario/Manager \
    --method "org.virtscenario.Manager.$method" "$@"
}

vt_property () {
  gdbus call --session --dest org.virtscenario.Manager --object-path /org/virtscenario/Manager \
    --method org.freedesktop.DBus.Properties.Get org.virtscenario.Manager "$1"
}

# --- assertions used as `check` commands -------------------------------------------------

# expect_contains TEXT NEEDLE...
expect_contains () {
  local text="$1" needle
  shift
  for needle in "$@"; do
    if [[ "$text" != *"$needle"* ]]; then
      echo "expected to find: $needle"
      echo "in: ${text:0:1500}"
      return 1
    fi
  done
}

# expect_status STATUS COMMAND...: COMMAND exits with exactly STATUS.
expect_status () {
  local want="$1" got
  shift
  "$@"
  got=$?
  if [ "$got" -ne "$want" ]; then
    echo "exit status $got, expected $want"
    return 1
  fi
}

is_json () {
  python3 -c 'import json, sys; json.load(sys.stdin)'
}
