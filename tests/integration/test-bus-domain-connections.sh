#!/bin/bash
# Integration: the domain, device, SEV and host methods take the option `connection`
# (issue 13, item 2), on the private bus with libvirt's test driver. Two hosts with
# domains of their own: the default (test:///default, shared by every opener of that
# URI) and "hostb", a test driver opened from a file of this test's, whose state is
# its connection's alone. A domain defined on one is seen there and on no other: every
# domain and device method looks on the host it names. "sevhost" has saved SEV domain
# capabilities (GetSevInfo follows the connection); "remote" is a URI of another
# machine (host tuning refuses it). Unknown names, unknown options and wrong types are
# InvalidArgs naming them. The real remote transports: test-connections-remote.sh.
. "$(dirname "$0")/lib.sh"

vt_start_bus || { echo "Bail out! cannot start a private dbus-daemon"; exit 1; }

# A test-driver host of its own: one network and one pool, named as test:///default's.
cat >"$VT_TMP/hostb.xml" <<'EOX'
<node>
  <cpu><nodes>1</nodes><sockets>1</sockets><cores>4</cores><threads>1</threads>
    <active>4</active><mhz>2000</mhz><model>i686</model></cpu>
  <memory>4194304</memory>
  <network><name>default</name><bridge name="virbr9"/><forward/>
    <ip address="192.168.129.1" netmask="255.255.255.0"/></network>
  <pool type="dir"><name>default-pool</name>
    <capacity unit="GiB">100</capacity><available unit="GiB">100</available>
    <target><path>/default-pool</path></target></pool>
</node>
EOX
conf="$VT_TMP/virtuned.conf"
cat >"$conf" <<EOC
[security]
allowed_pools=default-pool
allowed_networks=default

[connection hostb]
uri=test://$VT_TMP/hostb.xml
allowed_pools=default-pool
allowed_networks=default

[connection sevhost]
uri=test:///default
domcaps=$VT_SEV_DOMCAPS

[connection remote]
uri=qemu+tcp://127.0.0.1:1/system
EOC

vt_start_daemon domain-connections --config "$conf" \
  || { echo "Bail out! virtuned did not start"; exit 1; }

B="{'connection': <'hostb'>}"
B_CONFIG="{'config': <true>, 'connection': <'hostb'>}"
# define NAME OPTIONS: a small domain with a disk and a NIC.
define () {
  vt_call Define "$(vt_test_driver_vm "$1")" "$2" 2>&1
}

check "Define adom on the default host" expect_contains "$(define adom '{}')" "('adom', '"
check "Define bdom on hostb" expect_contains "$(define bdom "$B")" "('bdom', '"

# --- each method looks on the host it names -------------------------------------------
out="$(vt_call ListDevices bdom "$B" 2>&1)"
check "ListDevices bdom on hostb lists its disk and NIC" \
  expect_contains "$out" \
  "('ua-disk0', 'disk', 'virtio vda, /default-pool/bdom-disk0.qcow2', 'ua-disk0')" \
  "('ua-net0', 'nic', 'network default"
check "ListDevices bdom on the default host: UnknownDomain (it is hostb's)" \
  expect_contains "$(vt_call ListDevices bdom '{}' 2>&1)" \
  "org.virtscenario.Error.UnknownDomain" "there is no domain named bdom"
check "ListDevices adom on hostb: UnknownDomain (it is the default host's)" \
  expect_contains "$(vt_call ListDevices adom "$B" 2>&1)" "there is no domain named adom"
check "ListDevices adom without the option still finds it on the default host" \
  expect_contains "$(vt_call ListDevices adom '{}' 2>&1)" "/default-pool/adom-disk0.qcow2"
check "ListDevices live=false with the connection: both options read" \
  expect_contains "$(vt_call ListDevices bdom "{'live': <false>, 'connection': <'hostb'>}" 2>&1)" \
  "'ua-disk0'"

check "DescribeDomain bdom on hostb returns its description" \
  expect_contains "$(vt_call DescribeDomain bdom "$B" 2>&1)" 'name: "bdom"' "['default']"
check "DescribeDomain bdom on the default host: UnknownDomain" \
  expect_contains "$(vt_call DescribeDomain bdom '{}' 2>&1)" "there is no domain named bdom"
check "DescribeDomain adom on hostb: UnknownDomain" \
  expect_contains "$(vt_call DescribeDomain adom "$B" 2>&1)" "there is no domain named adom"
check "DescribeDomain with connection 'default' named is the default host" \
  expect_contains "$(vt_call DescribeDomain adom "{'connection': <'default'>}" 2>&1)" \
  'name: "adom"'

check "RenderDevice for bdom on hostb names its next NIC" \
  expect_contains "$(vt_call RenderDevice bdom '{network: default}' "$B" 2>&1)" \
  '<alias name="ua-net1"/>' "'ua-net1')"
check "RenderDevice for bdom on the default host: UnknownDomain" \
  expect_contains "$(vt_call RenderDevice bdom '{network: default}' '{}' 2>&1)" \
  "there is no domain named bdom"
check "RenderUpdate bdom on hostb: nothing changed" \
  test "$(vt_call RenderUpdate bdom "$B" 2>&1)" = "(@a(ssss) [],)"
check "RenderUpdate bdom on the default host: UnknownDomain" \
  expect_contains "$(vt_call RenderUpdate bdom '{}' 2>&1)" "there is no domain named bdom"
check "UpgradeDomain bdom on hostb: nothing to change" \
  test "$(vt_call UpgradeDomain bdom "{'backend-only': <true>, 'connection': <'hostb'>}" 2>&1)" \
  = "(@a(ssss) [],)"
check "UpgradeDomain adom on hostb: UnknownDomain" \
  expect_contains "$(vt_call UpgradeDomain adom "$B" 2>&1)" "there is no domain named adom"
# The test driver has no device hot-plug: reaching libvirt's attach proves the domain
# was found on hostb (on the default host it is unknown before that).
check "AttachDevice to bdom on hostb reaches the attach" \
  expect_contains "$(vt_call AttachDevice bdom '{network: default}' "$B_CONFIG" 2>&1)" \
  "org.virtscenario.Error.Libvirt" "attaching the device"
check "AttachDevice to bdom on the default host: UnknownDomain" \
  expect_contains "$(vt_call AttachDevice bdom '{network: default}' "{'config': <true>}" 2>&1)" \
  "there is no domain named bdom"
check "DetachDevice from bdom on hostb reaches the detach" \
  expect_contains "$(vt_call DetachDevice bdom ua-net0 "$B_CONFIG" 2>&1)" \
  "org.virtscenario.Error.Libvirt" "detaching the device"
check "DetachDevice from bdom on the default host: UnknownDomain" \
  expect_contains "$(vt_call DetachDevice bdom ua-net0 '{}' 2>&1)" "there is no domain named bdom"
check "GetLaunchMeasurement of bdom on hostb finds it (not running)" \
  expect_contains "$(vt_call GetLaunchMeasurement bdom "$B" 2>&1)" "domain bdom is not running"
check "GetLaunchMeasurement of bdom on the default host does not" \
  expect_contains "$(vt_call GetLaunchMeasurement bdom '{}' 2>&1)" "cannot find domain bdom"

check "GetSevInfo of sevhost: its saved domain capabilities offer SEV" \
  expect_contains "$(vt_call GetSevInfo "{'connection': <'sevhost'>}" 2>&1)" \
  "'supported': <true>" "'source': <'domcaps'>"
check "GetSevInfo of the default host: no SEV" \
  expect_contains "$(vt_call GetSevInfo '{}' 2>&1)" "'supported': <false>"

# --- unknown connection names: the same InvalidArgs everywhere --------------------------
# unknown_connection METHOD ARG...: METHOD with its ARGs and options naming no host.
unknown_connection () {
  local method="$1"
  shift
  check "$method with an unknown connection: InvalidArgs naming it and the known ones" \
    expect_contains "$(vt_call "$method" "$@" "{'connection': <'nosuch'>}" 2>&1)" \
    "org.freedesktop.DBus.Error.InvalidArgs" \
    "$method option 'connection': no connection is named 'nosuch'" \
    "virtuned.conf has: default, hostb, sevhost, remote"
}
unknown_connection ListDevices bdom
unknown_connection DescribeDomain bdom
unknown_connection RenderDevice bdom '{network: default}'
unknown_connection AttachDevice bdom '{network: default}'
unknown_connection DetachDevice bdom ua-net0
unknown_connection RenderUpdate bdom
unknown_connection UpgradeDomain bdom
unknown_connection GetSevInfo
unknown_connection GetLaunchMeasurement bdom
unknown_connection CheckHost "['desktop']"
unknown_connection RevertHost

# --- the new options arguments are strict and bounded -----------------------------------
# strict_options METHOD ARG...: METHOD's options refuse an unknown key, a name that is
# not a string, and a name over the call's bound.
strict_options () {
  local method="$1"
  shift
  check "$method with an unknown option: InvalidArgs naming it" \
    expect_contains "$(vt_call "$method" "$@" "{'frob': <1>}" 2>&1)" \
    "org.freedesktop.DBus.Error.InvalidArgs" \
    "$method option 'frob' is unknown ($method takes connection: a name)"
  check "$method with a connection that is not a string: InvalidArgs" \
    expect_contains "$(vt_call "$method" "$@" "{'connection': <true>}" 2>&1)" \
    "org.freedesktop.DBus.Error.InvalidArgs" "$method option 'connection' must be"
  check "$method with an 8000-byte connection name: refused by its bound" \
    expect_contains "$(vt_call "$method" "$@" "{'connection': <'$long'>}" 2>&1)" \
    "org.freedesktop.DBus.Error.InvalidArgs" "$method's arguments are too large"
}
long="$(head -c 8000 /dev/zero | tr '\0' a)"
strict_options DescribeDomain bdom
strict_options RenderUpdate bdom
strict_options GetSevInfo
strict_options GetLaunchMeasurement bdom
strict_options CheckHost "['desktop']"
strict_options RevertHost
check "a connection name with control characters is echoed escaped" \
  expect_contains "$(vt_call GetSevInfo "{'connection': <'a\\u001b[2Jb'>}" 2>&1)" \
  "no connection is named 'a\\x1b[2Jb'"
check "ListDevices: an unknown option is still named, with what it takes" \
  expect_contains "$(vt_call ListDevices bdom "{'lve': <true>}" 2>&1)" \
  "ListDevices option 'lve' is unknown (ListDevices takes the booleans live; connection: a name)"

# --- host tuning stays local --------------------------------------------------------------
out="$(vt_call CheckHost "['desktop']" "{'connection': <'remote'>}" 2>&1)"
check "CheckHost for a remote URI is Unsupported, saying why" \
  expect_contains "$out" "org.virtscenario.Error.Unsupported" "connection 'remote'" \
  "qemu+tcp://127.0.0.1:1/system" "checks and changes only the machine virtuned runs on"
check "RevertHost for a remote URI is Unsupported the same way" \
  expect_contains "$(vt_call RevertHost "{'connection': <'remote'>}" 2>&1)" \
  "org.virtscenario.Error.Unsupported" "connection 'remote'" \
  "checks and changes only the machine virtuned runs on"
check "CheckHost with the default connection named is the local check" \
  expect_contains "$(vt_call CheckHost "['desktop']" "{'connection': <'default'>}" 2>&1)" \
  "('host.swappiness', '"

# --- vscenctl's --connection reaches every command -----------------------------------------
check "vscenctl --connection hostb device list bdom" \
  expect_contains "$(vscenctl --connection hostb device list bdom 2>&1)" "bdom-disk0.qcow2"
check "vscenctl device list bdom (default host): fails (exit 1)" \
  expect_status 1 "$VT_CTL_BIN" --session device list bdom
check "vscenctl --connection hostb domain describe bdom" \
  expect_contains "$(vscenctl --connection hostb domain describe bdom 2>&1)" 'name: "bdom"'
check "vscenctl --connection hostb diff bdom" \
  expect_status 0 "$VT_CTL_BIN" --session --connection hostb diff bdom
check "vscenctl --connection hostb upgrade bdom --backend-only" \
  expect_status 0 "$VT_CTL_BIN" --session --connection hostb upgrade bdom --backend-only
check "vscenctl --connection hostb device render bdom" \
  expect_contains "$(vscenctl --connection hostb device render bdom '{network: default}' 2>&1)" \
  '<alias name="ua-net1"/>'
check "vscenctl --connection hostb device detach bdom reaches the detach" \
  expect_contains "$(vscenctl --connection hostb device detach bdom ua-net0 --config 2>&1)" \
  "detaching the device"
check "vscenctl --connection hostb sev measurement bdom finds it" \
  expect_contains "$(vscenctl --connection hostb sev measurement bdom 2>&1)" "is not running"
check "vscenctl --connection sevhost sev info" \
  expect_contains "$(vscenctl --connection sevhost --json sev info 2>&1)" '"supported": true'
check "vscenctl --connection remote host check: Unsupported (exit 1)" \
  expect_status 1 "$VT_CTL_BIN" --session --connection remote host check desktop
check "vscenctl --connection remote host revert: Unsupported (exit 1)" \
  expect_status 1 "$VT_CTL_BIN" --session --connection remote host revert
check "vscenctl --connection nosuch domain describe: fails naming it" \
  expect_contains "$(vscenctl --connection nosuch domain describe bdom 2>&1)" \
  "no connection is named 'nosuch'"

check_stop "the daemon stops cleanly"
tap_done
