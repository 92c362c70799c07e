#!/bin/bash
# Integration: the read-only API over a private bus with the real daemon and libvirt's
# test driver — ListScenarios, DescribeScenario, Render (vscenctl and raw gdbus), the
# properties, --json output, determinism, schema validation and definition in libvirt.
. "$(dirname "$0")/lib.sh"

vt_start_bus || { echo "Bail out! cannot start a private dbus-daemon"; exit 1; }
vt_start_daemon generic || { echo "Bail out! virtuned did not start"; exit 1; }

# --- properties ----------------------------------------------------------------------
version="$("$VT_CTL_BIN" --version)"
check "Version property is the daemon's version" \
  expect_contains "$(vt_property Version)" "'${version#vscenctl }'"
check "HypervisorUri property is the connected URI" \
  expect_contains "$(vt_property HypervisorUri)" "'test:///default'"
check "TunedScenarios property is readable" \
  expect_contains "$(vt_property TunedScenarios)" "<@as []>"

# --- ListScenarios / DescribeScenario --------------------------------------------------
list="$(vscenctl scenarios 2>&1)"
check "vscenctl scenarios lists the built-in scenarios" \
  expect_contains "$list" "NAME" "desktop " "computation " "securevm "
check "ListScenarios over gdbus returns (name, summary) pairs" \
  expect_contains "$(vt_call ListScenarios 2>&1)" "[('computation', '" "('desktop', '"
names="$(vscenctl scenarios | awk 'NR > 1 { print $1 }')"
check "ListScenarios is sorted by name" \
  test "$names" = "$(LC_ALL=C sort <<<"$names")"
check "vscenctl --json scenarios is JSON" is_json <<<"$(vscenctl --json scenarios)"
check "vscenctl scenario desktop shows the policy" \
  expect_contains "$(vscenctl scenario desktop 2>&1)" "guest.video"
check "DescribeScenario over gdbus returns YAML" \
  expect_contains "$(vt_call DescribeScenario securevm 2>&1)" "guest.sev"
check "vscenctl --json scenario is JSON" is_json <<<"$(vscenctl --json scenario computation)"

# --- Render ----------------------------------------------------------------------------
# render_checks TAG FILE: the cases every rendered scenario must pass.
render_checks () {
  local tag="$1" file="$2" xml="$VT_TMP/$1.xml"
  check "$tag: vscenctl render succeeds" \
    sh -c '"$0" --session render "$1" >"$2" 2>"$2.err"' "$VT_CTL_BIN" "$file" "$xml"
  check "$tag: rendered XML validates against libvirt's domain schema" \
    virt-xml-validate "$xml" domain
  check "$tag: libvirt's test driver defines the rendered domain" \
    virsh -q -c test:///default define "$xml"
  check "$tag: rendering twice is byte-identical" \
    sh -c '"$0" --session render "$1" 2>/dev/null | cmp -s - "$2"' "$VT_CTL_BIN" "$file" "$xml"
  check "$tag: devices carry user aliases and metadata names the scenario" \
    expect_contains "$(cat "$xml")" "<alias name=\"ua-disk0\"/>" "<virtuned:scenario>$tag"
  check "$tag: --explain prints the provenance table" \
    expect_contains "$(vscenctl render "$file" --explain 2>/dev/null)" \
      "KEY" "LAYER" "scenario:$tag" "guest.vcpus"
  check "$tag: --json render is JSON" is_json <<<"$(vscenctl --json render "$file")"
  check "$tag: Render over gdbus returns XML, provenance and warnings" \
    expect_contains "$(vt_call Render "$(cat "$file")" '{}' 2>&1)" \
      "<domain type=" "('guest.vcpus', '" "'scenario:$tag')"
  check "$tag: Render with provenance: false gives the same XML and an empty table" \
    same_xml_no_provenance "$file"
}

# same_xml_no_provenance FILE: Render with {"provenance": false} returns the XML of a full
# Render and @a(sss) [] for the table; the warnings are unchanged.
same_xml_no_provenance () {
  local text full bare
  text="$(cat "$1")"
  full="$(vt_call Render "$text" '{}')" || return 1
  bare="$(vt_call Render "$text" "{'provenance': <false>}")" || return 1
  expect_contains "$bare" ", @a(sss) [], " || return 1
  [ "${full%%, \[(*}" = "${bare%%, @a(sss) \[\], *}" ] || { echo "the XML differs"; return 1; }
  [ "${full##*)], }" = "${bare##*@a(sss) [], }" ] || { echo "the warnings differ"; return 1; }
}

render_checks desktop "$VT_DESCRIPTIONS/desktop.yaml"
render_checks computation "$VT_DESCRIPTIONS/computation.yaml"

check "a description on standard input renders like the file" \
  sh -c '"$0" --session render - <"$1" 2>/dev/null | cmp -s - "$2"' \
    "$VT_CTL_BIN" "$VT_DESCRIPTIONS/desktop.yaml" "$VT_TMP/desktop.xml"
vscenctl render "$VT_DESCRIPTIONS/desktop.json" >"$VT_TMP/json.xml" 2>/dev/null
check "JSON descriptions render to valid domain XML" virt-xml-validate "$VT_TMP/json.xml" domain
check "the generic-host fallback is reported as a warning" \
  expect_contains "$(vscenctl render "$VT_DESCRIPTIONS/desktop.yaml" 2>&1 >/dev/null)" \
    "warning: host capabilities unavailable"
check "the fallback warning names the generic document, not the daemon's data directory" \
  sh -c 'w="$("$0" --session render "$1" 2>&1 >/dev/null)" &&
         case "$w" in *"q35 host (x86_64-kvm-q35.xml)"*) ;; *) exit 1 ;; esac &&
         case "$w" in *"/domcaps/"*) exit 1 ;; esac' \
    "$VT_CTL_BIN" "$VT_DESCRIPTIONS/desktop.yaml"
check "the daemon logged the domcaps fallback at start, with the file it read" \
  grep -q "generic x86_64 KVM q35 host.*read from /.*/x86_64-kvm-q35.xml" "$VT_DAEMON_LOG"

# securevm on a host without SEV: the policy locks guest.sev, so the missing feature is an
# Unsupported error (exit 1) rather than an unencrypted "secure" VM.
check "securevm on the generic host is refused with exit status 1" \
  expect_status 1 vscenctl render "$VT_DESCRIPTIONS/securevm.yaml"
check "securevm's refusal names the locked key and the missing SEV" \
  expect_contains "$(vscenctl render "$VT_DESCRIPTIONS/securevm.yaml" 2>&1 >/dev/null)" \
    "guest.sev: 'auto' (locked by policy 'sev')" "no AMD SEV"

# Define on the session bus: same uid as the daemon, so allowed; test:///default lives in
# the daemon's process. Its pool is default-pool, which cannot preallocate metadata.
vt_test_driver_vm defined01 desktop >"$VT_TMP/define.yaml"
check "vscenctl define prints the name and a UUID" \
  expect_contains "$(vscenctl define "$VT_TMP/define.yaml" 2>&1)" "defined01" "uuid"
check "vscenctl --json define is JSON" \
  is_json <<<"$(sed 's/defined01/defined02/' "$VT_TMP/define.yaml" | vscenctl --json define -)"

check_stop "the daemon stops cleanly on SIGTERM"
check "the bus name is released" vt_name_is_gone

# --- an SEV-capable host, described by a saved domcaps document --------------------------
vt_start_daemon sev --domcaps "$VT_SEV_DOMCAPS" || { echo "Bail out! SEV daemon did not start"; exit 1; }
render_checks securevm "$VT_DESCRIPTIONS/securevm.yaml"
check "securevm on an SEV host gets <launchSecurity type=\"sev\">" \
  expect_contains "$(cat "$VT_TMP/securevm.xml")" "<launchSecurity type=\"sev" "<cbitpos>"
check "no fallback warning when --domcaps names the host" \
  test -z "$(vscenctl render "$VT_DESCRIPTIONS/desktop.yaml" 2>&1 >/dev/null | grep 'host capabilities unavailable')"
check_stop "the SEV daemon stops cleanly on SIGTERM"

# --- the README's settings table is the catalog ------------------------------------------
readme_table () {
  sed -n '/<!-- catalog:begin -->/,/<!-- catalog:end -->/p' "$VT_SOURCE_ROOT/README.md" \
    | sed '1d;$d'
}
check "README's settings table matches virtuned --print-catalog" \
  diff -u <(readme_table) <("$VT_DAEMON_BIN" --print-catalog)

tap_done
