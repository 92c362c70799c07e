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

described="$(vt_call DescribeDomain web01 '{}' 2>&1)"
check "DescribeDomain returns the description, the scenarios and the version" \
  expect_contains "$described" 'name: "web01"' 'scenario: ["desktop"]' 'vcpus: 2' \
    'memory: 1GiB' 'pool: "default-pool"' 'size: 2GiB' 'mac: "52:54:00:aa:bb:cc"' \
    'storage.preallocation: "off"' "['default', 'desktop']" "'$(vt_property Version | sed "s/.*'\(.*\)'.*/\1/")'"

# The recorded description is itself a description: defining it under another name
# gives the same domain (the round trip the unit test checks field by field).
recorded="$(gdbus call --session --dest org.virtscenario.Manager \
  --object-path /org/virtscenario/Manager \
  --method org.virtscenario.Manager.DescribeDomain web01 '{}' | python3 -c '
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

# --- RenderDevice: the domain's builders, the names it has free ---------------------------
rendered="$(vt_call RenderDevice web01 '{pool: default-pool, size: 1GiB}' '{}' 2>&1)"
check "RenderDevice of a new disk: the next alias, target and volume, the serial, the domain's cache" \
  expect_contains "$rendered" '<source pool="default-pool" volume="web01-disk2.qcow2"/>' \
    '<target dev="vdc" bus="virtio"/>' '<serial>ua-disk2</serial>' \
    '<alias name="ua-disk2"/>' 'cache="none"' "'ua-disk2')"
check "RenderDevice of a NIC: the next alias and its derived MAC" \
  expect_contains "$(vt_call RenderDevice web01 '{network: default}' '{}' 2>&1)" \
    "<mac address=\"$(printf 'web01\nua-net2' | sha256sum | sed 's/^\(..\)\(..\)\(..\).*/52:54:00:\1:\2:\3/')\"/>" \
    "'ua-net2')"
check "RenderDevice of a CD-ROM: its own alias sequence, read-only" \
  expect_contains "$(vt_call RenderDevice web01 '{cdrom: default-pool/x.iso}' '{}' 2>&1)" \
    '<alias name="ua-cdrom0"/>' '<readonly/>'
check "RenderDevice creates nothing: the same call gives the same alias" \
  expect_contains "$(vt_call RenderDevice web01 '{pool: default-pool, size: 1GiB}' '{}' 2>&1)" \
    "'ua-disk2')"
# libvirt's test driver has no device hot-plug: the attach fails after the new volume
# was made, and the volume must be gone again (a second attach would otherwise find the
# name taken and pick web01-disk3).
check "AttachDevice on the test driver fails with libvirt's sentence" \
  expect_contains "$(vt_call AttachDevice web01 '{pool: default-pool, size: 1GiB}' '{}' 2>&1)" \
    "org.virtscenario.Error.Libvirt" "attaching the device"
check "... and the volume it made is gone again (a new render still names web01-disk2)" \
  expect_contains "$(vt_call RenderDevice web01 '{pool: default-pool, size: 1GiB}' '{}' 2>&1)" \
    'volume="web01-disk2.qcow2"'
check "the recorded description is unchanged by the failed attach" \
  test "$(vt_call DescribeDomain web01 '{}' 2>&1)" = "$described"

# Bad fragments: the description's own parser, key paths from "device".
check "a fragment with an unknown key names it" \
  expect_contains "$(vt_call RenderDevice web01 '{pool: default-pool, sise: 1GiB}' '{}' 2>&1)" \
    "org.virtscenario.Error.InvalidDescription" "device.sise (line 1, column"
check "a fragment that is not a mapping" \
  expect_contains "$(vt_call RenderDevice web01 'just text' '{}' 2>&1)" \
    "org.virtscenario.Error.InvalidDescription" "a device is one disks: or networks: entry"
check "a fragment with both a network and a bridge" \
  expect_contains "$(vt_call RenderDevice web01 '{network: default, bridge: br0}' '{}' 2>&1)" \
    "a network interface takes only one of network or bridge"
check "a fragment with a bad alias" \
  expect_contains "$(vt_call RenderDevice web01 '{network: default, alias: ua-disk1}' '{}' 2>&1)" \
    "device.alias (line 1" "is not an alias of this device"
bomb="[$(for i in $(seq 64); do printf '{pool: default-pool, size: 1GiB}, '; done)]"
check "a 64-device bomb is refused by the fragment's node bound" \
  expect_contains "$(vt_call AttachDevice web01 "$bomb" '{}' 2>&1)" \
    "org.virtscenario.Error.InvalidDescription"
check "a fragment over 4 KiB is refused with the parser's sentence" \
  expect_contains "$(vt_call RenderDevice web01 "{path: /$(head -c 5000 /dev/zero | tr '\0' x)}" '{}' 2>&1)" \
    "org.virtscenario.Error.InvalidDescription" "device is too large: 5009 bytes (limit 4096)"
check "a 64 KiB fragment is refused before dispatch" \
  expect_contains "$(vt_call AttachDevice web01 "{path: /$(head -c 65536 /dev/zero | tr '\0' x)}" '{}' 2>&1)" \
    "AttachDevice's arguments are too large"
check "RenderDevice takes no options" \
  expect_contains "$(vt_call RenderDevice web01 '{network: default}' "{'live': <true>}" 2>&1)" \
    "org.freedesktop.DBus.Error.InvalidArgs"
check "AttachDevice to a domain virtuned did not define: UnknownDomain" \
  expect_contains "$(vt_call AttachDevice test '{network: default}' '{}' 2>&1)" \
    "org.virtscenario.Error.UnknownDomain"
check "DetachDevice of an unknown alias says the domain has no such device" \
  expect_contains "$(vt_call DetachDevice web01 ua-disk9 '{}' 2>&1)" \
    "org.virtscenario.Error.Failed" "domain web01 has no device ua-disk9 in its configuration"
check "DetachDevice of something that is not an alias: InvalidArgs" \
  expect_contains "$(vt_call DetachDevice web01 'vda' '{}' 2>&1)" \
    "org.freedesktop.DBus.Error.InvalidArgs" "'vda' is not a device alias"
check "DetachDevice with an unknown option: InvalidArgs" \
  expect_contains "$(vt_call DetachDevice web01 ua-disk0 "{'delete': <true>}" 2>&1)" \
    "org.freedesktop.DBus.Error.InvalidArgs"
check "DetachDevice on the test driver: libvirt's sentence, and the device stays" \
  expect_contains "$(vt_call DetachDevice web01 ua-disk0 '{}' 2>&1; vt_call ListDevices web01 '{}')" \
    "org.virtscenario.Error.Libvirt" "'ua-disk0', 'disk'"

# --- DetachDevice's delete-storage: refused, before the detach, for storage virtuned did
# not create (the deletion itself needs hot-unplug: test-devices-qemu.sh) ---------------
cat >"$VT_TMP/web03.yaml" <<YAML
name: web03
disks:
  - pool: default-pool
    size: 1GiB
  - volume: default-pool/web01-disk1.qcow2
networks:
  - network: default
settings:
  storage.preallocation: "off"
YAML
check "Define web03 (a new volume and an existing one)" \
  expect_contains "$(vt_call Define "$(cat "$VT_TMP/web03.yaml")" '{}' 2>&1)" "'web03'"
check "delete-storage that is not a boolean: InvalidArgs naming it" \
  expect_contains "$(vt_call DetachDevice web03 ua-disk0 "{'delete-storage': <'yes'>}" 2>&1)" \
    "org.freedesktop.DBus.Error.InvalidArgs" "delete-storage"
check "delete-storage of an existing volume is refused, and the disk stays attached" \
  expect_contains "$(vt_call DetachDevice web03 ua-disk1 "{'delete-storage': <true>}" 2>&1
                     vt_call ListDevices web03 '{}')" \
    "org.virtscenario.Error.Failed" "delete-storage refused for device ua-disk1" \
    "its volume existed before" "nothing was detached" "'ua-disk1', 'disk'"
check "delete-storage of a NIC is refused: no disk of that alias" \
  expect_contains "$(vt_call DetachDevice web03 ua-net0 "{'delete-storage': <true>}" 2>&1)" \
    "org.virtscenario.Error.Failed" "the domain's record has no disk of that alias"
check "vscenctl device detach --delete-storage sends the option (the refusal names it)" \
  expect_contains "$(vscenctl device detach web03 ua-disk1 --delete-storage 2>&1; echo "exit $?")" \
    "delete-storage refused for device ua-disk1" "exit 1"
check "vscenctl device render takes no --delete-storage: a usage error" \
  expect_contains "$(vscenctl device render web03 '{network: default}' --delete-storage 2>&1; echo "exit $?")" \
    "'device render' takes DOMAIN and DEVICE" "exit 2"
check "delete-storage of a volume web01 created but web03 also uses: refused, naming web03" \
  expect_contains "$(vt_call DetachDevice web01 ua-disk1 "{'delete-storage': <true>}" 2>&1
                     vt_call ListDevices web01 '{}')" \
    "org.virtscenario.Error.Failed" "domain web03 also uses its volume default-pool/web01-disk1.qcow2" \
    "nothing was detached" "'ua-disk1', 'disk'"
check "delete-storage of a created volume passes the check (the test driver then refuses the detach)" \
  expect_contains "$(vt_call DetachDevice web03 ua-disk0 "{'delete-storage': <true>}" 2>&1
                     vt_call ListDevices web03 '{}')" \
    "org.virtscenario.Error.Libvirt" "detaching the device" "'ua-disk0', 'disk'"

# --- RenderUpdate, UpgradeDomain (the policy change itself: test-devices-qemu.sh) ---------
check "RenderUpdate right after Define: nothing changed" \
  test "$(vt_call RenderUpdate web01 '{}' 2>&1)" = "(@a(ssss) [],)"
check "UpgradeDomain with nothing to change changes nothing" \
  test "$(vt_call UpgradeDomain web01 "{'backend-only': <true>}" 2>&1)" = "(@a(ssss) [],)"
check "RenderUpdate of a domain virtuned did not define: UnknownDomain" \
  expect_contains "$(vt_call RenderUpdate test '{}' 2>&1)" "org.virtscenario.Error.UnknownDomain"
check "UpgradeDomain's backend-only must be a boolean" \
  expect_contains "$(vt_call UpgradeDomain web01 "{'backend-only': <'yes'>}" 2>&1)" \
    "org.freedesktop.DBus.Error.InvalidArgs"
check "UpgradeDomain of a name that is no domain name: InvalidArgs" \
  expect_contains "$(vt_call UpgradeDomain -- '.x' '{}' 2>&1)" "org.freedesktop.DBus.Error.InvalidArgs"
check "vscenctl diff prints the (empty) table" \
  expect_contains "$(vscenctl diff web01 2>&1)" "CLASS" "RENDERED"
check "vscenctl upgrade without a domain is a usage error" expect_status 2 vscenctl upgrade --backend-only

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
check "vscenctl device render prints the XML and the alias" \
  expect_contains "$(vscenctl device render web01 '{network: default}' 2>&1)" \
    '<interface type="network">' 'ua-net2'
check "vscenctl device render - reads the device from standard input" \
  expect_contains "$(echo '{network: default}' | vscenctl --json device render web01 - 2>&1)" \
    '"alias": "ua-net2"'
check "vscenctl device attach on the test driver: exit 1 and libvirt's sentence" \
  expect_contains "$(vscenctl device attach web01 '{network: default}' --live 2>&1; echo "exit $?")" \
    "attaching the device" "exit 1"
check "vscenctl device detach without an alias is a usage error" \
  expect_status 2 vscenctl device detach web01

# --- bad input ------------------------------------------------------------------------
check "DescribeDomain of a domain that does not exist: UnknownDomain" \
  expect_contains "$(vt_call DescribeDomain nosuch '{}' 2>&1)" \
    "org.virtscenario.Error.UnknownDomain" "there is no domain named nosuch"
check "DescribeDomain of test:///default's own domain: UnknownDomain, not virtuned's" \
  expect_contains "$(vt_call DescribeDomain test '{}' 2>&1)" \
    "org.virtscenario.Error.UnknownDomain" "domain test was not defined by virtuned"
check "ListDevices of a domain virtuned did not define: UnknownDomain" \
  expect_contains "$(vt_call ListDevices test '{}' 2>&1)" "org.virtscenario.Error.UnknownDomain"
check "an empty domain name is InvalidArgs" \
  expect_contains "$(vt_call DescribeDomain '' '{}' 2>&1)" "org.freedesktop.DBus.Error.InvalidArgs" \
    "is not a domain name"
check "a name with a control character is refused, escaped" \
  expect_contains "$(vt_call DescribeDomain "$(printf 'a\033b')" '{}' 2>&1)" \
    "org.freedesktop.DBus.Error.InvalidArgs" "'a\\x1bb' is not a domain name"
check "a 65-byte name is InvalidArgs" \
  expect_contains "$(vt_call ListDevices "$(printf 'x%.0s' {1..65})" '{}' 2>&1)" \
    "org.freedesktop.DBus.Error.InvalidArgs"
check "an 8000-byte name is refused before dispatch" \
  expect_contains "$(vt_call DescribeDomain "$(head -c 8000 /dev/zero | tr '\0' x)" '{}' 2>&1)" \
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
