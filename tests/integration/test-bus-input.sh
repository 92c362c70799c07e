#!/bin/bash
# Integration: hostile input over the bus (issue 8). Machine types the host does not
# offer are refused, naming the key; caller text echoed in an error is bounded and
# escaped (no message grows with the input, none carries a control character); vscenctl
# never writes a control character it received from the bus to its output.
. "$(dirname "$0")/lib.sh"

vt_start_bus || { echo "Bail out! cannot start a private dbus-daemon"; exit 1; }
# Host tuning is pointed at a scratch tree: nothing here may touch the real host.
mkdir -p "$VT_TMP/root" "$VT_TMP/state"
vt_start_daemon input --sysroot "$VT_TMP/root" --state-dir "$VT_TMP/state" \
  || { echo "Bail out! virtuned did not start"; exit 1; }

# render_machine MACHINE: gdbus's output for a Render asking for that machine type.
render_machine () {
  vt_call Render "$(printf 'name: t1\nsettings:\n  guest.machine: %s\n' "$1")" '{}' 2>&1
}

# expect_clean TEXT MAX_BYTES: TEXT is at most MAX_BYTES long and has no control
# character other than newline (ESC, BEL, C1 CSI included).
expect_clean () {
  local text="$1" max="$2"
  if [ "${#text}" -gt "$max" ]; then
    echo "${#text} bytes, more than $max: ${text:0:300}"
    return 1
  fi
  if printf '%s' "$text" | LC_ALL=C grep -q $'[\x01-\x09\x0b-\x1f\x7f]\|\xc2[\x80-\x9f]'; then
    echo "control characters in: $(printf '%s' "$text" | od -c | head -5)"
    return 1
  fi
}

# --- machine types (defect 1) ----------------------------------------------------------
# The bundled capabilities (test driver) offer pc-q35-7.2 and its alias q35.
for machine in pc-q35-8.0.1 pc-q35-abc pc-q35- pc-q35-99999999999999999999.9 pc-q35-7.2_x \
               pc-i440fx- pc-q35-8.0 pc-i440fx-8.0; do
  out="$(render_machine "$machine")"
  check "Render refuses guest.machine $machine, naming the key" \
    expect_contains "$out" "org.virtscenario.Error." "guest.machine" "'$machine'"
  check "Render never writes guest.machine $machine into the domain" \
    test "${out/machine=\"$machine\"/}" = "$out"
done
check "the refusal of a junk machine names the allowed values" \
  expect_contains "$(render_machine pc-q35-8.0.1)" "q35|pc|pc-q35-X.Y|pc-i440fx-X.Y"
check "the refusal of a newer machine names the host's newest" \
  expect_contains "$(render_machine pc-q35-8.0)" "Error.Unsupported" "pc-q35-7.2"
for machine in q35 pc-q35-7.2 pc-q35-6.2; do
  check "Render accepts guest.machine $machine" \
    expect_contains "$(render_machine "$machine")" 'machine="pc-q35-'
done

# --- echoed caller text (defect 5) -------------------------------------------------------
huge="$(head -c $((100 * 1024)) /dev/zero | tr '\0' 'x')"
hostile=$'\e]0;PWNED\a\e[2J\xc2\x9bscenario'
for method in DescribeScenario CheckHost TuneHost; do
  case "$method" in
    DescribeScenario) big=("$huge"); bad=("$hostile") ;;
    CheckHost | TuneHost) big=("['$huge']" '{}'); bad=("['$hostile']" '{}') ;;
  esac
  out="$(vt_call "$method" "${big[@]}" 2>&1)"
  # The bus layer may refuse an over-long name itself (InvalidArgs); either way, short.
  check "$method with a 100 KiB scenario name: refused" expect_contains "$out" "Error"
  check "$method with a 100 KiB scenario name: the error stays short" expect_clean "$out" 400
  out="$(vt_call "$method" "${bad[@]}" 2>&1)"
  check "$method with escape sequences in the name: shown as \\xNN" \
    expect_contains "$out" "UnknownScenario" 'x1b]0;PWNED'
  check "$method with escape sequences in the name: no control character" \
    expect_clean "$out" 400
done

memory_description="$VT_TMP/memory.yaml"
printf 'name: t1\nmemory: "\\e]0;PWNED\\a\\e[2J1GiB"\n' >"$memory_description"
# A GVariant string literal, so gdbus passes YAML's own \e escapes through unchanged.
out="$(vt_call Render "'name: t1\\nmemory: \"\\\\e]0;PWNED\\\\a\\\\e[2J1GiB\"\\n'" '{}' 2>&1)"
check "a memory size with escape sequences: InvalidDescription naming memory" \
  expect_contains "$out" "InvalidDescription" "memory (line 2" "is not a size"
check "a memory size with escape sequences: no control character in the error" \
  expect_clean "$out" 400
printf 'name: t1\nmemory: "%s"\n' "$(head -c 60000 /dev/zero | tr '\0' '7')" \
  >"$VT_TMP/memory-huge.yaml"
check "a 60 KB memory size: the error stays short" \
  expect_clean "$(vt_call Render "$(cat "$VT_TMP/memory-huge.yaml")" '{}' 2>&1)" 400

# vscenctl: stderr and stdout free of ESC bytes, whatever the daemon sends.
out="$(vscenctl render "$memory_description" 2>&1)"
check "vscenctl render: exit-1 error naming memory" expect_contains "$out" "vscenctl: memory"
check "vscenctl render: no control character on its output" expect_clean "$out" 400
out="$(vscenctl scenario "$hostile" 2>&1)"
check "vscenctl scenario with escape sequences: no control character" expect_clean "$out" 400
out="$(vscenctl host check "$hostile" 2>&1)"
check "vscenctl host check with escape sequences: no control character" \
  expect_clean "$out" 400

# Small sizes and octal-looking numbers (issue 8, smaller items).
check "memory that is not a whole number of KiB is refused, naming memory" \
  expect_contains "$(vt_call Render "$(printf 'name: t1\nmemory: 67108865B\n')" '{}' 2>&1)" \
    "InvalidDescription" "memory (line 2" "not a multiple of 1KiB"
check "vcpus: 010 is refused, naming vcpus" \
  expect_contains "$(vt_call Render "$(printf 'name: t1\nvcpus: 010\n')" '{}' 2>&1)" \
    "InvalidDescription" "vcpus (line 2" "leading zero"

check_stop "the daemon survived all of it and stops cleanly"
tap_done
