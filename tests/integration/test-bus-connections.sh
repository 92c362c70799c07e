#!/bin/bash
# Integration: several libvirt connections in one daemon (issue 13), on the private bus
# with libvirt's test driver. virtuned.conf names three hosts: the default one (the
# command line's test:///default), "sevhost" (the same driver, planned with a saved SEV
# capable domcaps document) and "plain". Render and Define take the option
# `connection`; the answer differs per host; an unknown or malformed name is InvalidArgs
# naming it; TuneHost for a remote URI is Unsupported; and a bad virtuned.conf stops the
# daemon at start with a sentence naming the group. Real remote libvirtd instances (tcp,
# tls, ssh) are the system test test-connections-remote.sh.
. "$(dirname "$0")/lib.sh"

vt_start_bus || { echo "Bail out! cannot start a private dbus-daemon"; exit 1; }

conf="$VT_TMP/virtuned.conf"
cat >"$conf" <<EOC
[security]
allowed_pools=default-pool
allowed_networks=default

[connection sevhost]
uri=test:///default
domcaps=$VT_SEV_DOMCAPS
allowed_pools=default-pool
allowed_networks=default

[connection plain]
uri=test:///default

[connection remote]
uri=qemu+tcp://127.0.0.1:1/system
EOC

vt_start_daemon connections --config "$conf" || { echo "Bail out! virtuned did not start"; exit 1; }

secure="$(cat "$VT_DESCRIPTIONS/securevm.yaml")"
# lacks TEXT NEEDLE: TEXT does not contain NEEDLE.
lacks () {
  [[ "$1" != *"$2"* ]] || { echo "did not expect: $2"; return 1; }
}
# render DESCRIPTION OPTIONS: gdbus's output (and error) for Render.
render () {
  vt_call Render "$1" "{$2}" 2>&1
}

# --- Render by name ---------------------------------------------------------------------
check "securevm on the default host (no SEV) is Unsupported" \
  expect_contains "$(render "$secure" "")" "org.virtscenario.Error.Unsupported"
check "the same with connection 'default' named" \
  expect_contains "$(render "$secure" "'connection': <'default'>")" \
  "org.virtscenario.Error.Unsupported"
out="$(render "$secure" "'connection': <'sevhost'>")"
check "securevm for the host whose saved domcaps has SEV renders with launch security" \
  expect_contains "$out" "launchSecurity type=" "<cbitpos>"
check "... and without the generic-host warning (its capabilities are its own)" \
  lacks "$out" "host capabilities unavailable"
check "plain renders desktop, warning that its driver has no capabilities" \
  expect_contains "$(render 'name: vm1' "'connection': <'plain'>")" "<domain" \
  "host capabilities unavailable"

# --- unknown and malformed names --------------------------------------------------------
out="$(render 'name: vm1' "'connection': <'nosuch'>")"
check "an unknown connection is InvalidArgs naming it and the known ones" \
  expect_contains "$out" "org.freedesktop.DBus.Error.InvalidArgs" \
  "Render option 'connection': no connection is named 'nosuch'" \
  "virtuned.conf has: default, sevhost, plain, remote"
check "an empty name is unknown too" \
  expect_contains "$(render 'name: vm1' "'connection': <''>")" "no connection is named ''"
check "a name with control characters is echoed escaped" \
  expect_contains "$(render 'name: vm1' "'connection': <'a\\u001b[2Jb'>")" \
  "no connection is named 'a\\x1b[2Jb'"
check "a connection that is not a string is InvalidArgs" \
  expect_contains "$(render 'name: vm1' "'connection': <true>")" \
  "org.freedesktop.DBus.Error.InvalidArgs" "Render option 'connection' must be"
long="$(head -c 5000 /dev/zero | tr '\0' a)"
check "a 5000-byte name is refused by the options' bound" \
  expect_contains "$(render 'name: vm1' "'connection': <'$long'>")" \
  "org.freedesktop.DBus.Error.InvalidArgs"
check "Define with an unknown connection is InvalidArgs" \
  expect_contains "$(vt_call Define 'name: vm1' "{'connection': <'nosuch'>}" 2>&1)" \
  "org.freedesktop.DBus.Error.InvalidArgs" "Define option 'connection'"
check "InjectLaunchSecret with an unknown connection is InvalidArgs" \
  expect_contains "$(vt_call InjectLaunchSecret test "[byte 0x00]" "[byte 0x00]" \
                       "{'connection': <'nosuch'>}" 2>&1)" "InvalidArgs"

# --- Define by name ---------------------------------------------------------------------
out="$(vt_call Define "$(printf 'name: onplain\nvcpus: 1\nmemory: 128MiB\n')" \
         "{'connection': <'plain'>}" 2>&1)"
check "Define on connection 'plain' defines the domain there" \
  expect_contains "$out" "('onplain', '"
vt_monitor_start org.virtscenario.Manager /org/virtscenario/Manager
out="$(vt_call Define "$(printf 'name: onremote\nvcpus: 1\nmemory: 128MiB\n')" \
         "{'connection': <'remote'>}" 2>&1)"
check "Define on a host that is down names the connection and its URI" \
  expect_contains "$out" "org.virtscenario.Error.Libvirt" "connection 'remote'" \
  "qemu+tcp://127.0.0.1:1/system"
check "... and ConnectionChanged says it is unreachable" \
  vt_monitor_wait "ConnectionChanged ('remote', false)"
check "... and the other hosts still answer" \
  expect_contains "$(render 'name: vm2' "'connection': <'plain'>")" "<domain"

# --- host tuning stays local ------------------------------------------------------------
out="$(vt_call TuneHost "['desktop']" "{'dry-run': <true>, 'connection': <'remote'>}" 2>&1)"
check "TuneHost for a remote URI is Unsupported, saying why" \
  expect_contains "$out" "org.virtscenario.Error.Unsupported" "connection 'remote'" \
  "changes only the machine virtuned runs on"

# --- ListConnections ----------------------------------------------------------------------
out="$(vt_call ListConnections 2>&1)"
check "ListConnections lists every host, the default first, with what the driver says" \
  expect_contains "$out" "[('default', 'test:///default', true, 'TEST 0.0.2', '" \
  "'i686', uint64 3145728, false)" "('plain', 'test:///default', true, 'TEST 0.0.2'"
check "... sevhost's saved capabilities offer SEV" \
  expect_contains "$out" "('sevhost', 'test:///default', true, 'TEST 0.0.2', '" \
  "'i686', 3145728, true)"
check "... and the host that is down is unreachable, with nothing made up" \
  expect_contains "$out" "('remote', 'qemu+tcp://127.0.0.1:1/system', false, '', '', '', 0, false)"

# --- Plan --------------------------------------------------------------------------------
# libvirt's test driver reports 3 MiB of free memory (its 3 GiB counted in KiB, read as
# bytes), so no VM fits its memory here: the hosts differ in the other reasons. A VM that
# fits a real host is tests/system/test-connections-remote.sh's.
out="$(vt_call Plan "$secure" "{}" 2>&1)"
check "Plan of securevm: the hosts without SEV say so, sevhost does not" \
  expect_contains "$out" "('default', false, [\"guest.sev: 'auto' (locked by policy 'sev') is not supported by this host (no AMD SEV" \
  "('sevhost', false, ['too little free memory: 3 MiB free, the VM needs 4096 MiB'], [" \
  "('plain', false, [\"guest.sev: 'auto' (locked by policy 'sev') is not supported" \
  "('remote', false, [\"connection 'remote': cannot connect to qemu+tcp://127.0.0.1:1/system"
big="$(printf 'name: big\nvcpus: 64\nmemory: 64GiB\n')"
out="$(vt_call Plan "$big" "{'connections': <['plain']>}" 2>&1)"
check "Plan for a VM larger than the host: too little memory, too few CPUs" \
  expect_contains "$out" "[('plain', false, ['too little free memory: 3 MiB free, the VM needs 65536 MiB', 'too few CPUs: the host has 16, the VM needs 64']"
check "Plan of a listed host only, each once" \
  expect_contains "$(vt_call Plan 'name: vm1' "{'connections': <['plain', 'plain']>}" 2>&1)" \
  "([('plain', false, ['too little free memory: 3 MiB free, the VM needs 2048 MiB'], ['host capabilities unavailable "
check "... no host twice" \
  lacks "$(vt_call Plan 'name: vm1' "{'connections': <['plain', 'plain']>}" 2>&1)" "), ('plain'"
check "Plan with an unknown connection is InvalidArgs naming it" \
  expect_contains "$(vt_call Plan 'name: vm1' "{'connections': <['nosuch']>}" 2>&1)" \
  "InvalidArgs" "Plan option 'connection': no connection is named 'nosuch'"
check "Plan with connections not a list of strings is InvalidArgs" \
  expect_contains "$(vt_call Plan 'name: vm1' "{'connections': <'plain'>}" 2>&1)" \
  "InvalidArgs" "must be a list of strings"
check "Plan with an empty list is InvalidArgs" \
  expect_contains "$(vt_call Plan 'name: vm1' "{'connections': <@as []>}" 2>&1)" \
  "InvalidArgs" "names none or too many"
check "Plan with an unknown option is InvalidArgs" \
  expect_contains "$(vt_call Plan 'name: vm1' "{'frob': <1>}" 2>&1)" \
  "InvalidArgs" "Plan option 'frob' is unknown"
check "Plan of a description that does not parse is InvalidDescription, once" \
  expect_contains "$(vt_call Plan 'name: [' "{}" 2>&1)" \
  "org.virtscenario.Error.InvalidDescription"

# --- vscenctl ----------------------------------------------------------------------------
out="$(vscenctl connections 2>&1)"
check "vscenctl connections prints the table" \
  expect_contains "$out" "NAME" "MEMORY-KIB" "sevhost  test:///default" \
  "remote   qemu+tcp://127.0.0.1:1/system  no "
check "vscenctl --json connections is JSON" \
  sh -c '"$0" --session --json connections | python3 -c "
import json, sys
rows = json.load(sys.stdin)
assert [r[\"name\"] for r in rows] == [\"default\", \"sevhost\", \"plain\", \"remote\"], rows
assert rows[1][\"sev\"] is True and rows[3][\"reachable\"] is False, rows"' "$VT_CTL_BIN"
out="$(vscenctl plan "$VT_DESCRIPTIONS/securevm.yaml" 2>"$VT_TMP/plan.err")"
check "vscenctl plan prints one row per host with why not" \
  expect_contains "$out" "HOST" "FITS" "WHY NOT" "sevhost  no    too little free memory" \
  "default  no    guest.sev: 'auto' (locked by policy 'sev') is not supported"
check "... and the warnings on stderr, each naming its host" \
  expect_contains "$(cat "$VT_TMP/plan.err")" "warning: sevhost: guest.sev: 'auto' chose sev-es"
check "vscenctl --connection NAME plan asks that host only" \
  sh -c '"$0" --session --connection plain --json plan "$1" | python3 -c "
import json, sys
rows = json.load(sys.stdin)
assert [r[\"name\"] for r in rows] == [\"plain\"], rows"' "$VT_CTL_BIN" "$VT_DESCRIPTIONS/desktop.yaml"
check "vscenctl --connection sevhost render renders for that host" \
  expect_contains "$(vscenctl --connection sevhost render "$VT_DESCRIPTIONS/securevm.yaml" 2>/dev/null)" \
  "<launchSecurity type=\"sev\">"
check "vscenctl --connection nosuch render fails naming it (exit 1)" \
  expect_status 1 "$VT_CTL_BIN" --session --connection nosuch render "$VT_DESCRIPTIONS/desktop.yaml"
check "vscenctl --connection without NAME is a usage error (exit 2)" \
  expect_status 2 "$VT_CTL_BIN" --session render "$VT_DESCRIPTIONS/desktop.yaml" --connection
check "vscenctl plan without FILE is a usage error (exit 2)" \
  expect_status 2 "$VT_CTL_BIN" --session plan
check "vscenctl plan with an option is a usage error (exit 2)" \
  expect_status 2 "$VT_CTL_BIN" --session plan "$VT_DESCRIPTIONS/desktop.yaml" --frob
check "vscenctl connections with an argument is a usage error (exit 2)" \
  expect_status 2 "$VT_CTL_BIN" --session connections x
out="$(vscenctl --connection plain define <(printf 'name: ctlplain\nvcpus: 1\nmemory: 128MiB\n') 2>&1)"
check "vscenctl --connection plain define defines there" expect_contains "$out" "name: ctlplain"

check_stop "the daemon stops cleanly"

# --- a bad virtuned.conf stops the start --------------------------------------------------
printf '[connection a]\nuri=test:///default\ndefault=true\n[connection b]\nuri=test:///default\ndefault=true\n' \
  >"$conf"
out="$("$VT_DAEMON_BIN" --session --config "$conf" 2>&1)"
status=$?
check "two default connections: the daemon refuses to start" test "$status" -ne 0
check "... naming both groups" \
  expect_contains "$out" "two default connections: [connection a] and [connection b]"

tap_done
