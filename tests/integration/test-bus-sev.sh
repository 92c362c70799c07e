#!/bin/bash
# Integration: the SEV methods on the private bus, against libvirt's test driver (issue 9,
# parts 1, 4, 5). The test driver has no SEV platform and no launch measurement, so this
# proves the answers around attestation: GetSevInfo on a host without SEV (supported
# false, not an error) and from SEV domain capabilities; AttestDomain,
# GetLaunchMeasurement and InjectLaunchSecret on domains that cannot be attested (not
# SEV, running, unknown, no measurement) give one clear sentence and leave the domain as
# it was; every bad parameter is InvalidArgs naming it, without echoing key bytes; and
# oversized parameters are refused. The verdicts themselves (match, mismatch) are unit
# tests through the core's seam (tests/unit/test-sev-attest.c).
. "$(dirname "$0")/lib.sh"

vt_start_bus || { echo "Bail out! cannot start a private dbus-daemon"; exit 1; }

# bytes N [HEX]: a GVariant ay literal of N bytes (default 0x41, 'A').
bytes () {
  local n="$1" value="${2:-0x41}" out="" i
  for ((i = 0; i < n; i++)); do out+="${out:+, }$value"; done
  if [ -n "$out" ]; then echo "[byte $out]"; else echo "@ay []"; fi
}
KEY16="$(bytes 16)"
KEYS="'tik': <$KEY16>, 'tek': <$(bytes 16 0x42)>"

# attest DOMAIN PARAMS: gdbus's output (and error) for AttestDomain.
attest () {
  vt_call AttestDomain "$1" "{$2}" 2>&1
}

# --- GetSevInfo -------------------------------------------------------------------------
vt_start_daemon nosev || { echo "Bail out! virtuned did not start"; exit 1; }
out="$(vt_call GetSevInfo '{}' 2>&1)"
check "GetSevInfo on a host without SEV: supported false, from domain capabilities" \
  expect_contains "$out" "'supported': <false>" "'sev-es': <false>" "'source': <'domcaps'>"
check "vscenctl sev info prints the table" \
  expect_contains "$(vscenctl sev info 2>&1)" "supported: no" "sev-es: no" "source: domcaps"
check "vscenctl --json sev info is JSON" sh -c '"$0" --session --json sev info | python3 -c "
import json, sys
info = json.load(sys.stdin)
assert info[\"supported\"] is False and info[\"source\"] == \"domcaps\", info"' "$VT_CTL_BIN"
out="$(vscenctl sev export-pdh "$VT_TMP" 2>&1)"
check "vscenctl sev export-pdh without a PDH fails in one sentence" \
  expect_contains "$out" "reported no pdh"
check "vscenctl sev export-pdh without a PDH exits 1" \
  expect_status 1 "$VT_CTL_BIN" --session sev export-pdh "$VT_TMP"
check "... and writes nothing" test ! -e "$VT_TMP/pdh.b64"

# --- AttestDomain on a running domain without SEV ----------------------------------------
out="$(attest test "$KEYS")"
check "AttestDomain on a domain without SEV: a clear error" \
  expect_contains "$out" "Error.Failed" "domain test does not run with AMD SEV" \
  "it was left as it was"
check "... and the domain is left as it was (the same answer again, not 'not running')" \
  expect_contains "$(attest test "$KEYS")" "does not run with AMD SEV"
check "GetLaunchMeasurement on a domain without SEV: a clear error" \
  expect_contains "$(vt_call GetLaunchMeasurement test '{}' 2>&1)" "does not run with AMD SEV"
check "AttestDomain on an unknown domain: libvirt's sentence" \
  expect_contains "$(attest nosuchdomain "$KEYS")" "Error.Libvirt" \
  "cannot find domain nosuchdomain"
check "vscenctl sev attest on a domain without SEV exits 1" \
  expect_status 1 "$VT_CTL_BIN" --session sev attest test --tk <(head -c 32 /dev/zero)

# --- bad parameters: InvalidArgs naming the parameter --------------------------------------
bad_params=(
  "tik 15 bytes|'tik': <$(bytes 15)>, 'tek': <$KEY16>|parameter 'tik' must be 16 bytes, not 15"
  "tek 17 bytes|'tik': <$KEY16>, 'tek': <$(bytes 17)>|parameter 'tek' must be 16 bytes, not 17"
  "tk 16 bytes|'tk': <$KEY16>|parameter 'tk' must be 32 bytes, not 16"
  "tik as a string|'tik': <'AAAAAAAAAAAAAAAA'>, 'tek': <$KEY16>|parameter 'tik' must be of type ay"
  "no keys|'firmware': <'/usr/share/OVMF/OVMF_CODE.fd'>|needs the keys: tik and tek, or tk"
  "only a tik|'tik': <$KEY16>|needs the keys"
  "tk and tik|$KEYS, 'tk': <$(bytes 32)>|tik and tek, or tk, not both"
  "an unknown parameter|$KEYS, 'secret': <'x'>|parameter 'secret' is unknown"
  "a relative firmware|$KEYS, 'firmware': <'OVMF.fd'>|parameter 'firmware' must be an absolute path"
  "an initrd without kernel|$KEYS, 'initrd': <'/boot/initrd'>|'initrd' and 'cmdline' need 'kernel'"
  "cpu-family alone|$KEYS, 'cpu-family': <uint32 25>|'cpu-stepping' go together"
  "a CPU out of range|$KEYS, 'cpu-family': <uint32 25>, 'cpu-model': <uint32 1>, 'cpu-stepping': <uint32 16>|stepping"
  "a short VMSA|$KEYS, 'vmsa': <[$(bytes 100)]>|parameter 'vmsa': page 0 must be 4096 bytes, not 100"
  "an empty vmsa|$KEYS, 'vmsa': <@aay []>|1 or 2 pages, not 0"
  "an unknown secret alias|$KEYS, 'secrets': <[('disk-key', $(bytes 4))]>|parameter 'secrets':"
  "a bad on-mismatch|$KEYS, 'on-mismatch': <'resume'>|'on-mismatch' is destroy or keep-paused"
)
for case in "${bad_params[@]}"; do
  IFS='|' read -r what params message <<<"$case"
  out="$(attest test "$params")"
  check "AttestDomain with $what: InvalidArgs naming it" \
    expect_contains "$out" "org.freedesktop.DBus.Error.InvalidArgs" "$message"
done
# The key bytes 'AAAA…' (0x41) never come back, in any form.
out="$(attest test "'tik': <$(bytes 15)>, 'tek': <$KEY16>")"
check "a refused key is never echoed" \
  sh -c 'case "$1" in *AAAA*|*QUFB*|*414141*|*65,\ 65*) exit 1;; esac' sh "$out"
check "InjectLaunchSecret with a short header: InvalidArgs naming it" \
  expect_contains "$(vt_call InjectLaunchSecret test "[byte 1]" "$(bytes 16)" '{}' 2>&1)" \
  "InvalidArgs" "the secret header must be 52 bytes, not 1"
check "InjectLaunchSecret with an odd payload: InvalidArgs naming it" \
  expect_contains "$(vt_call InjectLaunchSecret test "$(bytes 52)" "$(bytes 17)" '{}' 2>&1)" \
  "InvalidArgs" "the secret payload must be a multiple of 16 bytes"
check "InjectLaunchSecret with an unknown option: InvalidArgs" \
  expect_contains "$(vt_call InjectLaunchSecret test "$(bytes 52)" "$(bytes 16)" \
                     "{'restart': <true>}" 2>&1)" "InvalidArgs" "option 'restart' is unknown"

# --- oversized parameters ---------------------------------------------------------------
long_cmdline="$(head -c $((70 * 1024)) /dev/zero | tr '\0' 'x')"
check "AttestDomain with a 70 KiB cmdline: refused naming the parameter" \
  expect_contains "$(attest test "$KEYS, 'cmdline': <'$long_cmdline'>")" "InvalidArgs" \
  "parameter 'cmdline' is too large"
huge="$(head -c $((120 * 1024)) /dev/zero | tr '\0' 'x')"
check "AttestDomain of 120 KiB: refused before dispatch" \
  expect_contains "$(attest test "$KEYS, 'junk': <'$huge'>")" "InvalidArgs" \
  "AttestDomain's arguments are too large"
long_name="$(head -c 300 /dev/zero | tr '\0' 'n')"
check "GetLaunchMeasurement with a 300-byte domain name: InvalidArgs" \
  expect_contains "$(vt_call GetLaunchMeasurement "$long_name" '{}' 2>&1)" "InvalidArgs" \
  "a domain name of 1 to 256 bytes"
check_stop "the daemon stops cleanly (no SEV)"

# --- GetSevInfo from SEV domain capabilities ----------------------------------------------
vt_start_daemon sevcaps --domcaps "$VT_SEV_DOMCAPS" || { echo "Bail out! no daemon"; exit 1; }
check "GetSevInfo from SEV domain capabilities" \
  expect_contains "$(vt_call GetSevInfo '{}' 2>&1)" "'supported': <true>" "'sev-es': <true>" \
  "'cbitpos': <uint32 51>" "'reduced-phys-bits': <uint32 1>" "'max-guests': <uint32 59>" \
  "'max-es-guests': <uint32 450>" "'source': <'domcaps'>"
check_stop "the daemon stops cleanly (SEV capabilities)"

# --- SEV domains the test driver holds paused or running ---------------------------------
# <test:runstate> 3 is paused, 1 running. The test driver cannot report a launch
# measurement (it refuses the call), nor take a launch secret.
cat >"$VT_TMP/node.xml" <<'XML'
<node>
  <domain type='test' xmlns:test='http://libvirt.org/schemas/domain/test/1.0'>
    <name>sevpaused</name>
    <memory unit='MiB'>512</memory>
    <vcpu current='2'>4</vcpu>
    <os><type arch='x86_64' machine='q35'>hvm</type></os>
    <launchSecurity type='sev'>
      <policy>0x0003</policy><cbitpos>47</cbitpos><reducedPhysBits>1</reducedPhysBits>
    </launchSecurity>
    <test:runstate>3</test:runstate>
  </domain>
  <domain type='test' xmlns:test='http://libvirt.org/schemas/domain/test/1.0'>
    <name>sevrunning</name>
    <memory unit='MiB'>512</memory>
    <vcpu>1</vcpu>
    <os><type arch='x86_64' machine='q35'>hvm</type></os>
    <launchSecurity type='sev'>
      <policy>0x0003</policy><cbitpos>47</cbitpos><reducedPhysBits>1</reducedPhysBits>
    </launchSecurity>
    <test:runstate>1</test:runstate>
  </domain>
</node>
XML
vt_start_daemon sevdomains --connect "test://$VT_TMP/node.xml" \
  || { echo "Bail out! no daemon"; exit 1; }
check "AttestDomain on a running SEV domain: not paused, left as it was" \
  expect_contains "$(attest sevrunning "$KEYS")" "domain sevrunning is running, not paused" \
  "it was left as it was"
check "AttestDomain on a paused SEV domain without a measurement: libvirt's sentence" \
  expect_contains "$(attest sevpaused "$KEYS, 'firmware': <'/nonexistent.fd'>")" \
  "Error.Libvirt" "cannot read the launch measurement"
check "GetLaunchMeasurement on it: the same sentence" \
  expect_contains "$(vt_call GetLaunchMeasurement sevpaused '{}' 2>&1)" \
  "Error.Libvirt" "cannot read the launch measurement"
check "InjectLaunchSecret refused by the driver: libvirt's sentence" \
  expect_contains "$(vt_call InjectLaunchSecret sevpaused "$(bytes 52)" "$(bytes 64)" \
                     "{'resume': <true>}" 2>&1)" "Error.Libvirt" \
  "injecting the launch secret into domain sevpaused failed"
check "... and the domain was not resumed (still paused, not 'running')" \
  expect_contains "$(vt_call GetLaunchMeasurement sevpaused '{}' 2>&1)" \
  "cannot read the launch measurement"
check_stop "the daemon stops cleanly (SEV domains)"

tap_done
