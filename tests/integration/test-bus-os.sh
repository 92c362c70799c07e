#!/bin/bash
# Integration: the OS layer and ListOperatingSystems over a private bus with the real
# daemon, against Debian's real osinfo-db (package osinfo-db): a Windows (win11), a Fedora
# (fedora37) and an old OS without virtio drivers (winxp) rendered, validated and defined
# in libvirt's test driver; an unknown short-id; `vscenctl os list`; bad filters.
. "$(dirname "$0")/lib.sh"

[ -f /usr/share/osinfo/os/microsoft.com/win-11.xml ] ||
  { echo "1..0 # SKIP osinfo-db is not installed (scripts/packages.txt)"; exit 0; }
# Only the system database: no local or user additions of this machine change the answers.
export OSINFO_LOCAL_DIR="$VT_TMP/no-local-osinfo" OSINFO_USER_DIR="$VT_TMP/no-user-osinfo"

vt_start_bus || { echo "Bail out! cannot start a private dbus-daemon"; exit 1; }
vt_start_daemon os || { echo "Bail out! virtuned did not start"; exit 1; }
rss_anon_kib () { awk '$1 == "RssAnon:" { print $2 }' "/proc/$VT_DAEMON_PID/status"; }
anon_before="$(rss_anon_kib)"
vt_load_osinfo || { echo "Bail out! the daemon could not read the osinfo database"; exit 1; }
anon_after="$(rss_anon_kib)"
# libosinfo keeps ~45 MB after its loader is freed: the daemon reads the database in a
# process of its own and keeps only the reduced table.
if [[ "$VT_DAEMON_WRAPPER" == *valgrind* ]]; then
  tap_count=$((tap_count + 1))
  echo "ok $tap_count # SKIP RssAnon: under valgrind it is valgrind's memory"
else
  check "reading the database costs the daemon under 4 MiB ($anon_before -> $anon_after KiB)" \
    test "$anon_after" -lt $((anon_before + 4096))
fi

# render_os TAG OS: renders a VM of OS with one new disk and one NIC into $VT_TMP/TAG.xml
# (provenance table after it) and checks it the way every rendered domain is checked.
render_os () {
  local tag="$1" os="$2" file="$VT_TMP/$1.yaml"
  printf 'name: %s\nos: %s\ndisks:\n  - pool: default\nnetworks:\n  - network: default\n' \
    "$tag" "$os" >"$file"
  check "$tag: vscenctl render --explain succeeds" \
    sh -c '"$0" --session render "$1" --explain >"$2.out" 2>/dev/null' \
      "$VT_CTL_BIN" "$file" "$VT_TMP/$tag"
  sed -n '1,/^<\/domain>$/p' "$VT_TMP/$tag.out" >"$VT_TMP/$tag.xml"
  check "$tag: rendered XML validates against libvirt's domain schema" \
    virt-xml-validate "$VT_TMP/$tag.xml" domain
  check "$tag: libvirt's test driver defines the rendered domain" \
    virsh -q -c test:///default define "$VT_TMP/$tag.xml"
}

render_os win11 win11
check "win11: UEFI, secure boot, TPM 2.0, local time, SATA, e1000e, its libosinfo id" \
  expect_contains "$(cat "$VT_TMP/win11.xml")" '<os firmware="efi">' \
    '<feature enabled="yes" name="secure-boot"/>' '<tpm model="tpm-crb">' \
    '<clock offset="localtime">' 'bus="sata"' '<model type="e1000e"/>' \
    '<libosinfo:os id="http://microsoft.com/win/11"/>' \
    'xmlns:libosinfo="http://libosinfo.org/xmlns/libvirt/domain/1.0"'
check "win11: twice Windows 11's minimum resources (as virt-install), provenance os:win11" \
  expect_contains "$(tr -s ' ' <"$VT_TMP/win11.out")" "guest.vcpus 4 os:win11" \
    "guest.memory 8GiB os:win11" "storage.capacity 128GiB os:win11" \
    "storage.bus sata os:win11" "guest.rng off os:win11"

render_os fedora fedora37
check "fedora37: virtio disk, NIC, video, RNG, balloon and input" \
  expect_contains "$(cat "$VT_TMP/fedora.xml")" 'bus="virtio"' '<model type="virtio"/>' \
    '<rng model="virtio">' '<memballoon model="virtio">' '<input type="keyboard" bus="virtio">' \
    '<libosinfo:os id="http://fedoraproject.org/fedora/37"/>' '<clock offset="utc">' \
    '<os firmware="efi">'
check "fedora37: its recommended memory and disk, provenance os:fedora37; auto firmware is UEFI" \
  expect_contains "$(tr -s ' ' <"$VT_TMP/fedora.out")" "guest.memory 2GiB os:fedora37" \
    "storage.capacity 20GiB os:fedora37" "storage.bus virtio os:fedora37" \
    "guest.firmware efi host"

render_os winxp winxp
check "winxp (no virtio drivers): SATA, its e1000, no RNG, no balloon; auto firmware is BIOS" \
  expect_contains "$(tr -s ' ' <"$VT_TMP/winxp.out")" "storage.bus sata os:winxp" \
    "guest.nic e1000 os:winxp" "guest.rng off os:winxp" "guest.memballoon off os:winxp" \
    "guest.memory 512MiB os:winxp" "guest.firmware bios host"

printf 'name: w\nos: win11\nmemory: 1GiB\n' >"$VT_TMP/small.yaml"
check "a value below the OS's minimum is a warning naming it" \
  expect_contains "$(vt_call Render "$(cat "$VT_TMP/small.yaml")" '{}' 2>&1)" \
    "guest.memory: 1GiB (from user) is below the minimum of os 'win11' (4GiB)"

printf 'name: d\nos: debian12\n' >"$VT_TMP/unknown.yaml"
unknown="$(vt_call Render "$(cat "$VT_TMP/unknown.yaml")" '{}' 2>&1)"
check "an unknown os: is InvalidDescription naming os, close matches and the DB's end" \
  expect_contains "$unknown" "org.virtscenario.Error.InvalidDescription" \
    "os (line 2, column 5): 'debian12' is not an OS short-id of osinfo-db" \
    "close matches: debian11, debian10" "the newest 'debian' it knows is debian11"
check "vscenctl render of an unknown os: exits 1" \
  expect_status 1 vscenctl render "$VT_TMP/unknown.yaml"

# --- ListOperatingSystems ----------------------------------------------------------------
list="$(vscenctl os list win)"
check "vscenctl os list win: a table of Windows releases, newest first" \
  expect_contains "$list" "SHORT-ID" "NAME" "VENDOR" "RELEASED" "EOL" \
    "win11      Microsoft Windows 11" "win10 " "winxp " "Microsoft Corporation"
check "vscenctl os list win: win11 comes before win10, and winxp is end-of-life" \
  bash -c 'test "$(grep -n "^win11 " <<<"$0" | cut -d: -f1)" -lt \
              "$(grep -n "^win10 " <<<"$0" | cut -d: -f1)" &&
         grep -Eq "^winxp .*yes$" <<<"$0"' "$list"
check "vscenctl --json os list is JSON with the documented fields" \
  expect_contains "$(vscenctl --json os list win11 | tee "$VT_TMP/os.json")" \
    '"short_id": "win11"' '"release_date": "2021-10-05"' '"eol": false'
check "vscenctl --json os list output parses" is_json <"$VT_TMP/os.json"
count_oses () {
  python3 -c 'import json, sys; print(len(json.load(sys.stdin)))'
}
check "ListOperatingSystems with an empty filter lists the whole database" \
  test "$(vscenctl --json os list | count_oses)" -gt 700
check "the filter matches names too, case ignored" \
  expect_contains "$(vt_call ListOperatingSystems 'FEDORA LINUX 37' 2>&1)" \
    "('fedora37', 'Fedora Linux 37'"
long="$(printf 'x%.0s' {1..65})"
check "a filter over 64 bytes is InvalidArgs" \
  expect_contains "$(vt_call ListOperatingSystems "$long" 2>&1)" \
    "org.freedesktop.DBus.Error.InvalidArgs" "filter is 65 bytes long (at most 64)"
check "a filter with a control character is refused, echoed escaped" \
  expect_contains "$(vscenctl os list "$(printf 'win\033[31m')" 2>&1)" \
    'filter '"'"'win\x1b[31m'"'"' contains a control character'
check "vscenctl os list takes at most one FILTER" expect_status 2 vscenctl os list a b

check_stop "the daemon stops cleanly on SIGTERM"
tap_done
