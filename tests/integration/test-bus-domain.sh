#!/bin/bash
# Integration: after Define (issue #12) over a private bus with the real daemon, against
# libvirt's test driver: the description travels with the domain (DescribeDomain), every
# device is found by its alias with what the guest sees (ListDevices: disk serials, fixed
# MACs), and bad input — no such domain, a domain virtuned did not define, names that
# are no domain names, unknown options, oversized calls — gets a clear error while the
# daemon stays up.
. "$(dirname "$0")/lib.sh"

vt_start_bus || { echo "Bail out! cannot start a private dbus-daemon"; exit 1; }
vt_start_daemon domain || { echo "Bail out! virtuned did not start"; exit 1; }

# test:///default's pool is default-pool, which cannot preallocate metadata. The sev:
# launch data must not travel into the metadata: it is made of valid-looking blobs.
dh_cert="$(head -c 2084 /dev/zero | base64 -w0)"
session="$(head -c 128 /dev/urandom | base64 -w0)"
cat >"$VT_TMP/web01.yaml" <<YAML
name: web01
scenario: desktop
vcpus: 2
memory: 1GiB
disks:
  - pool: default-pool
    size: 1GiB
  - pool: default-pool
    size: 2GiB
networks:
  - network: default
  - network: default
    mac: "52:54:00:aa:bb:cc"
settings:
  storage.preallocation: "off"
YAML
check "Define web01" \
  expect_contains "$(vt_call Define "$(cat "$VT_TMP/web01.yaml")" '{}' 2>&1)" "'web01'"

described="$(vt_call DescribeDomain web01 2>&1)"
check "DescribeDomain returns the description, the scenarios and the version" \
  expect_contains "$described" 'name: "web01"' 'scenario: ["desktop"]' 'vcpus: 2' \
    'memory: 1GiB' 'pool: "default-pool"' 'size: 2GiB' 'mac: "52:54:00:aa:bb:cc"' \
    'storage.preallocation: "off"' "['default', 'desktop']" "'$(vt_property Version | sed "s/.*'\(.*\)'.*/\1/")'"

# The recorded description is itself a description: defining it under another name
# gives the same domain (the round trip the unit test checks field by field).
recorded="$(gdbus call --session --dest org.virtscenario.Manager \
  --object-path /org/virtscenario/Manager \
  --method org.virtscenario.Manager.DescribeDomain web01 | python3 -c '
import ast, sys
print(ast.literal_eval(sys.stdin.read())[0], end="")')"
check "the recorded description renders" \
  expect_contains "$(vt_call Render "${recorded/web01/web02}" '{}' 2>&1)" "<name>web02</name>"

devices="$(vt_call ListDevices web01 '{}' 2>&1)"
check "ListDevices finds both disks by alias, with the alias as serial" \
  expect_contains "$devices" "('ua-disk0', 'disk', 'virtio vda, /default-pool/web01-disk0.qcow2', 'ua-disk0')" \
    "('ua-disk1', 'disk', 'virtio vdb, /default-pool/web01-disk1.qcow2', 'ua-disk1')"
# 52:54:00 + the first three bytes of SHA-256("web01\nua-net0"), computed here on its own.
mac0="52:54:00:$(printf 'web01\nua-net0' | sha256sum | sed 's/^\(..\)\(..\)\(..\).*/\1:\2:\3/')"
check "ListDevices finds the NICs with their MACs: derived ($mac0) and the caller's" \
  expect_contains "$devices" "('ua-net0', 'nic', 'network default, e1000', '$mac0')" \
    "('ua-net1', 'nic', 'network default, e1000', '52:54:00:aa:bb:cc')"
check "ListDevices lists the devices the settings describe too" \
  expect_contains "$devices" "'ua-video0', 'video'"
check "ListDevices live=false reads the configuration" \
  expect_contains "$(vt_call ListDevices web01 "{'live': <false>}" 2>&1)" "'ua-disk1'"
check "ListDevices live=true on a domain that is not running says so" \
  expect_contains "$(vt_call ListDevices web01 "{'live': <true>}" 2>&1)" \
    "org.virtscenario.Error.Failed" "domain web01 is not running"

# --- vscenctl ---------------------------------------------------------------------------
vscenctl domain describe web01 >"$VT_TMP/described.yaml" 2>"$VT_TMP/describe.err"
check "vscenctl domain describe prints the description, the version and scenarios first" \
  expect_contains "$(cat "$VT_TMP/described.yaml")" \
    "# defined by virtuned $(vt_property Version | sed "s/.*'\(.*\)'.*/\1/") with the scenarios default, desktop" \
    'name: "web01"' 'mac: "52:54:00:aa:bb:cc"'
check "its output is a description: it renders under another name" \
  sh -c 'sed s/web01/web03/ "$1" | "$0" --session render - | grep -q "<name>web03</name>"' \
    "$VT_CTL_BIN" "$VT_TMP/described.yaml"
check "vscenctl --json domain describe is JSON with every field" \
  python3 -c 'import json, sys; d = json.load(sys.stdin)
assert d["domain"] == "web01" and d["scenarios"] == ["default", "desktop"], d
assert d["description"].startswith("name: \"web01\"\n") and d["version"], d' \
    < <(vscenctl --json domain describe web01)
check "vscenctl device list shows the table" \
  expect_contains "$(vscenctl device list web01 2>&1)" "ALIAS" "GUEST-ID" "ua-disk1" "$mac0"
check "vscenctl --json device list is JSON rows" \
  python3 -c 'import json, sys; rows = json.load(sys.stdin)
assert {"alias": "ua-disk0", "kind": "disk", "summary": "virtio vda, /default-pool/web01-disk0.qcow2", "guest_identity": "ua-disk0"} in rows, rows' \
    < <(vscenctl --json device list web01 --config)
check "vscenctl domain describe of a foreign domain: exit 1 and the sentence" \
  expect_contains "$(vscenctl domain describe test 2>&1; echo "exit $?")" \
    "domain test was not defined by virtuned" "exit 1"
check "vscenctl device list without a domain is a usage error" \
  expect_status 2 vscenctl device list --live
check "vscenctl device list with an unknown option is a usage error" \
  expect_status 2 vscenctl device list web01 --bogus

# --- bad input ------------------------------------------------------------------------
check "DescribeDomain of a domain that does not exist: UnknownDomain" \
  expect_contains "$(vt_call DescribeDomain nosuch 2>&1)" \
    "org.virtscenario.Error.UnknownDomain" "there is no domain named nosuch"
check "DescribeDomain of test:///default's own domain: UnknownDomain, not virtuned's" \
  expect_contains "$(vt_call DescribeDomain test 2>&1)" \
    "org.virtscenario.Error.UnknownDomain" "domain test was not defined by virtuned"
check "ListDevices of a domain virtuned did not define: UnknownDomain" \
  expect_contains "$(vt_call ListDevices test '{}' 2>&1)" "org.virtscenario.Error.UnknownDomain"
check "an empty domain name is InvalidArgs" \
  expect_contains "$(vt_call DescribeDomain '' 2>&1)" "org.freedesktop.DBus.Error.InvalidArgs" \
    "is not a domain name"
check "a name with a control character is refused, escaped" \
  expect_contains "$(vt_call DescribeDomain "$(printf 'a\033b')" 2>&1)" \
    "org.freedesktop.DBus.Error.InvalidArgs" "'a\\x1bb' is not a domain name"
check "a 65-byte name is InvalidArgs" \
  expect_contains "$(vt_call ListDevices "$(printf 'x%.0s' {1..65})" '{}' 2>&1)" \
    "org.freedesktop.DBus.Error.InvalidArgs"
check "a 400-byte name is refused before dispatch" \
  expect_contains "$(vt_call DescribeDomain "$(printf 'x%.0s' {1..400})" 2>&1)" \
    "org.freedesktop.DBus.Error.InvalidArgs" "DescribeDomain's arguments are too large"
check "an unknown ListDevices option is InvalidArgs naming it" \
  expect_contains "$(vt_call ListDevices web01 "{'lve': <true>}" 2>&1)" \
    "org.freedesktop.DBus.Error.InvalidArgs" "lve"
check "live must be a boolean" \
  expect_contains "$(vt_call ListDevices web01 "{'live': <'yes'>}" 2>&1)" \
    "org.freedesktop.DBus.Error.InvalidArgs"
check "an oversized ListDevices is refused before dispatch" \
  expect_contains "$(vt_call ListDevices web01 "{'live': <'$(head -c 8000 /dev/zero | tr '\0' x)'>}" 2>&1)" \
    "ListDevices's arguments are too large"

# SEV launch data never reaches the metadata (a host with SEV, described by domcaps).
check_stop "the daemon stops cleanly on SIGTERM"
vt_start_daemon sev --domcaps "$VT_SEV_DOMCAPS" || { echo "Bail out! SEV daemon did not start"; exit 1; }
cat >"$VT_TMP/sev.yaml" <<YAML
name: sev01
scenario: sev
sev:
  policy: 0x0003
  dh_cert: $dh_cert
  session: $session
YAML
rendered="$(vscenctl render "$VT_TMP/sev.yaml" 2>&1)"
check "an SEV render carries the launch data in <launchSecurity> only" \
  expect_contains "$rendered" "<session>$session</session>" "<virtuned:description>"
check "the recorded description has no sev: and no launch data" \
  test "$(grep -F -o "$session" <<<"$rendered" | wc -l)" -eq 1 -a \
    "$(sed -n '/<virtuned:description>/,/<\/virtuned:description>/p' <<<"$rendered" | grep -c 'sev:\|dh_cert')" -eq 0
check "the daemon is still up" expect_contains "$(vt_call ListScenarios 2>&1)" "desktop"
check_stop "the SEV daemon stops cleanly on SIGTERM"
tap_done
