#!/bin/bash
# System test: Define through virtuned against a real libvirtd with the QEMU driver.
# For each built-in scenario a new volume is created in a directory pool, its format
# and options are checked with virsh vol-dumpxml and qemu-img, the domain is started
# under QEMU (KVM where /dev/kvm works, else TCG as the connection's own domain
# capabilities say), seen running, destroyed and removed. Failure injection proves a
# failed Define leaves no volume or secret behind and never touches what existed.
#
# Isolation: the test re-executes itself in a private mount namespace with tmpfs over
# libvirt's runtime, state and configuration directories, then starts its own virtlogd
# and libvirtd there (and stops them at the end); a system libvirtd, if any, is never
# used or disturbed. virtuned runs on a private bus with --session (authorization is
# test-polkit.sh's subject).
set -u
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/qemu-lib.sh"

require_root
require_cmd /usr/sbin/libvirtd /usr/sbin/virtlogd virsh qemu-system-x86_64 qemu-img \
  dbus-daemon gdbus unshare xmllint python3 sha256sum
enter_private_mount_namespace "$@"

# ---- real components --------------------------------------------------------------
setup_private_libvirt_pool vt-define-qemu
create_test_network 239

write_private_libvirt_conf "$work" "$POOL" "$NET"
choose_render_caps

start_session_bus "$work"
start_virtuned --session "$work/virtuned.log" --config "$work/virtuned.conf" \
  --connect qemu:///system "${domcaps_args[@]}"

volxml () { virsh vol-dumpxml --pool "$POOL" "$1"; }

xpath_of () { xmllint --xpath "$2" - <<<"$1" 2>/dev/null; }

img_info () { qemu-img info --output=json "$pool_dir/$1"; }

img_field () {  # img_field VOLUME PYTHON-EXPR-ON-info
  img_info "$1" | python3 -c "import json,sys; info=json.load(sys.stdin); print($2)"
}

# Everything a failed Define could leave behind, in one comparable listing.
snapshot () {
  virsh pool-refresh "$POOL" >/dev/null
  { virsh vol-list "$POOL"; virsh secret-list; virsh list --all --name; } 2>&1
}

# Metadata preallocation of a qcow2 volume shows as clusters mapped in the file
# although none holds data yet.
metadata_preallocated () {
  qemu-img map --output=json "$pool_dir/$1" | python3 -c '
import json, sys
m = json.load(sys.stdin)
sys.exit(0 if m and all("offset" in e for e in m) else 1)'
}

not_preallocated () {
  qemu-img map --output=json "$pool_dir/$1" | python3 -c '
import json, sys
m = json.load(sys.stdin)
sys.exit(0 if m and not any(e.get("data") for e in m) else 1)'
}

# ---- desktop: qcow2, metadata preallocation, 8MiB clusters capped to QEMU's 2MiB ----
describe vt-sys-desktop desktop >"$work/desktop.yaml"
gdbus monitor --session --dest org.virtscenario.Manager >"$work/monitor.log" 2>&1 &
remember_pid $!
wait_for 20 grep -q "is owned by" "$work/monitor.log" || bail "gdbus monitor did not start"
ok "desktop: Define succeeds" define "$work/desktop.yaml"
ok "desktop: DomainDefined signal carries name and UUID" \
  wait_for 20 grep -q "DomainDefined ('vt-sys-desktop', '$(json_field uuid <<<"$DEFINED_JSON")')" "$work/monitor.log"
ok "desktop: name returned" test "$(json_field name <<<"$DEFINED_JSON")" = vt-sys-desktop
uuid=$(json_field uuid <<<"$DEFINED_JSON")
ok "desktop: UUID returned is libvirt's" test "$(virsh domuuid vt-sys-desktop)" = "$uuid"
ok "desktop: returned XML is libvirt's inactive XML" \
  test "$(json_field domain_xml <<<"$DEFINED_JSON")" = "$(virsh dumpxml --inactive vt-sys-desktop)"
vol=vt-sys-desktop-disk0.qcow2
x=$(volxml "$vol")
ok "desktop: volume format qcow2" test "$(xpath_of "$x" 'string(/volume/target/format/@type)')" = qcow2
ok "desktop: volume capacity 64MiB" test "$(xpath_of "$x" 'string(/volume/capacity)')" = 67108864
ok "desktop: qcow2 compat 1.1" test "$(xpath_of "$x" 'string(/volume/target/compat)')" = 1.1
ok "desktop: no lazy_refcounts (policy off)" test -z "$(xpath_of "$x" '/volume/target/features/lazy_refcounts')"
ok "desktop: not encrypted" test -z "$(xpath_of "$x" '/volume/target/encryption')"
ok "desktop: cluster size capped at 2MiB" test "$(img_field "$vol" 'info["cluster-size"]')" = 2097152
ok "desktop: qemu-img sees lazy-refcounts false" \
  test "$(img_field "$vol" 'info["format-specific"]["data"]["lazy-refcounts"]')" = False
ok "desktop: metadata preallocation" metadata_preallocated "$vol"
ok "desktop: disk points at the volume's real path" \
  test "$(virsh dumpxml vt-sys-desktop | xmllint --xpath 'string(//disk[@device="disk"]/source/@file)' -)" = "$pool_dir/$vol"
start_and_check vt-sys-desktop
remove_domain vt-sys-desktop "$vol"

# ---- an existing ISO volume as CD-ROM -------------------------------------------------
# A file with the ISO 9660 signature: libvirt's pool refresh calls its format "iso",
# which QEMU must be given as raw.
truncate -s 1M "$pool_dir/install.iso"
printf 'CD001' | dd of="$pool_dir/install.iso" bs=1 seek=32769 conv=notrunc status=none
virsh pool-refresh "$POOL" >/dev/null
ok "cdrom: libvirt sees an iso volume" \
  test "$(xpath_of "$(volxml install.iso)" 'string(/volume/target/format/@type)')" = iso
describe vt-sys-cdrom desktop | sed "s|^networks:|  - cdrom: $POOL/install.iso\nnetworks:|" >"$work/cdrom.yaml"
ok "cdrom: Define succeeds" define "$work/cdrom.yaml"
cdrom_xml=$(virsh dumpxml vt-sys-cdrom)
ok "cdrom: the CD-ROM is the volume's real path" \
  test "$(xpath_of "$cdrom_xml" 'string(//disk[@device="cdrom"]/source/@file)')" = "$pool_dir/install.iso"
ok "cdrom: read as raw" test "$(xpath_of "$cdrom_xml" 'string(//disk[@device="cdrom"]/driver/@type)')" = raw
start_and_check vt-sys-cdrom
remove_domain vt-sys-cdrom vt-sys-cdrom-disk0.qcow2
ok "cdrom: the existing ISO volume is still there" quiet virsh vol-info --pool "$POOL" install.iso
virsh vol-delete --pool "$POOL" install.iso >/dev/null

# ---- computation: raw, no preallocation ---------------------------------------------
describe vt-sys-computation computation >"$work/computation.yaml"
ok "computation: Define succeeds" define "$work/computation.yaml"
vol=vt-sys-computation-disk0.raw
x=$(volxml "$vol")
ok "computation: volume format raw" test "$(xpath_of "$x" 'string(/volume/target/format/@type)')" = raw
ok "computation: qemu-img agrees: raw" test "$(img_field "$vol" 'info["format"]')" = raw
ok "computation: sparse (preallocation off)" not_preallocated "$vol"
ok "computation: cache unsafe on the disk" \
  test "$(virsh dumpxml vt-sys-computation | xmllint --xpath 'string(//disk[@device="disk"]/driver/@cache)' -)" = unsafe
start_and_check vt-sys-computation
remove_domain vt-sys-computation "$vol"

# ---- Define and start paused: the state in which an SEV guest's owner attests it ----
describe vt-sys-paused computation >"$work/paused.yaml"
ok "paused: Define --start paused succeeds" define "$work/paused.yaml" --start paused
ok "paused: domstate is paused" test "$(virsh domstate vt-sys-paused)" = paused
ok "paused: destroy" quiet virsh destroy vt-sys-paused
remove_domain vt-sys-paused vt-sys-paused-disk0.raw

# ---- encrypted storage: LUKS qcow2 with a fresh private secret ----------------------
luks_case () {   # luks_case LABEL NAME SCENARIO EXTRA-YAML
  local label=$1 name=$2 vol=$2-disk0.qcow2 x secret
  describe "$name" "$3" "$4" >"$work/$name.yaml"
  ok "$label: Define succeeds" define "$work/$name.yaml" || { sed 's/^/# /' "$work/define.err"; return; }
  x=$(volxml "$vol")
  secret=$(xpath_of "$x" 'string(/volume/target/encryption/secret/@uuid)')
  ok "$label: volume encryption format luks" \
    test "$(xpath_of "$x" 'string(/volume/target/encryption/@format)')" = luks
  ok "$label: qemu-img says the qcow2 is LUKS-encrypted" \
    test "$(img_field "$vol" 'info["format-specific"]["data"]["encrypt"]["format"]')" = luks
  ok "$label: lazy_refcounts on" test -n "$(xpath_of "$x" '/volume/target/features/lazy_refcounts')"
  ok "$label: its secret is defined" sh -c "virsh secret-list | grep -q '$secret'"
  ok "$label: secret usage is the volume path" \
    test "$(virsh secret-dumpxml "$secret" | xmllint --xpath 'string(/secret/usage/volume)' -)" = "$pool_dir/$vol"
  ok "$label: secret is private (value not readable back)" \
    sh -c "! virsh secret-get-value '$secret' >/dev/null 2>&1"
  ok "$label: domain disk uses the secret" \
    test "$(virsh dumpxml "$name" | xmllint --xpath 'string(//disk[@device="disk"]/source/encryption/secret/@uuid)' -)" = "$secret"
  ok "$label: no passphrase in virtuned's log" sh -c "! grep -qi passphrase '$work/virtuned.log'"
  start_and_check "$name"
  remove_domain "$name" "$vol" "$secret"
}

# securevm locks guest.sev, so it is defined only where the host offers SEV. Elsewhere
# the refusal must leave nothing behind, and the same encrypted storage is proven with
# desktop plus storage.encryption.
if [ "$(virsh domcapabilities --machine q35 | xmllint --xpath 'string(//features/sev/@supported)' -)" = yes ]; then
  # securevm locks guest memory; libvirt lifts RLIMIT_MEMLOCK for QEMU. Where even root
  # may not raise it (some sandboxes), the description turns locking off (not locked).
  extra=
  if ! sh -c 'prlimit --pid $$ --memlock=unlimited:unlimited' 2>/dev/null; then
    diag "this host refuses to raise RLIMIT_MEMLOCK even for root: securevm runs unlocked"
    extra="settings:
  guest.memory.locked: off"
  fi
  luks_case securevm vt-sys-securevm securevm "$extra"
else
  diag "no AMD SEV on this host: securevm must be refused; encryption is shown with desktop"
  snapshot >"$work/before"
  describe vt-sys-securevm securevm >"$work/securevm.yaml"
  "$VSCENCTL" --session define "$work/securevm.yaml" >/dev/null 2>"$work/define.err"
  ok "securevm without SEV: Define fails with exit 1" test $? -eq 1
  ok "securevm without SEV: the error names guest.sev" grep -q "guest.sev" "$work/define.err"
  ok "securevm without SEV: nothing left behind" same_output "$work/before" snapshot
  luks_case "desktop+encryption" vt-sys-luks desktop "settings:
  storage.encryption: on
  storage.lazy_refcounts: on"
fi

# ---- failure injection: nothing left behind, nothing existing touched --------------
encrypted="settings:
  storage.encryption: on"

# (a) the name belongs to a domain the caller already has.
cat >"$work/taken.xml" <<EOF
<domain type='qemu'>
  <name>vt-sys-taken</name>
  <memory unit='MiB'>128</memory>
  <os><type arch='x86_64' machine='q35'>hvm</type></os>
</domain>
EOF
virsh define "$work/taken.xml" >/dev/null || bail "cannot define the pre-existing domain"
virsh dumpxml --inactive vt-sys-taken >"$work/taken.before"
snapshot >"$work/before"
describe vt-sys-taken desktop "$encrypted" >"$work/taken.yaml"
"$VSCENCTL" --session define "$work/taken.yaml" >/dev/null 2>"$work/define.err"
ok "existing name: Define fails with exit 1" test $? -eq 1
ok "existing name: the error says so" grep -q "already exists" "$work/define.err"
ok "existing name: no volume or secret left behind" same_output "$work/before" snapshot
ok "existing name: the existing domain is unchanged" \
  same_output "$work/taken.before" virsh dumpxml --inactive vt-sys-taken
virsh undefine vt-sys-taken >/dev/null

# (b) a network that does not exist.
snapshot >"$work/before"
describe vt-sys-nonet desktop "$encrypted" | sed "s/network: $NET/network: vt-missing/" >"$work/nonet.yaml"
"$VSCENCTL" --session define "$work/nonet.yaml" >/dev/null 2>"$work/define.err"
ok "missing network: Define fails with exit 1" test $? -eq 1
ok "missing network: the error names it" grep -q "vt-missing" "$work/define.err"
ok "missing network: no volume, secret or domain left behind" same_output "$work/before" snapshot

# (c) an inactive network without autostart.
sed "s/<name>$NET</<name>vtidle</; s/$BRIDGE/${BRIDGE:0:13}i/; s/$SUBNET\./10.254.238./" \
  "$work/net.xml" >"$work/idle.xml"
virsh net-define "$work/idle.xml" >/dev/null || bail "net-define failed"
snapshot >"$work/before"
describe vt-sys-idle desktop "$encrypted" | sed "s/network: $NET/network: vtidle/" >"$work/idle.yaml"
"$VSCENCTL" --session define "$work/idle.yaml" >/dev/null 2>"$work/define.err"
ok "inactive network: Define fails with exit 1" test $? -eq 1
ok "inactive network: the error says why" grep -q "neither active nor set to autostart" "$work/define.err"
ok "inactive network: nothing left behind" same_output "$work/before" snapshot
virsh net-undefine vtidle >/dev/null

# (d) failing after storage was created: disk1's volume name is taken by a volume the
# caller owns, so disk0's encrypted volume and its secret exist when creation fails.
virsh vol-create-as "$POOL" vt-sys-roll-disk1.qcow2 1M --format qcow2 >/dev/null ||
  bail "cannot create the caller's volume"
owned_sum=$(sha256sum <"$pool_dir/vt-sys-roll-disk1.qcow2")
snapshot >"$work/before"
{
  describe vt-sys-roll desktop "$encrypted"
} | sed "s/^networks:/  - pool: $POOL\n    size: 64MiB\nnetworks:/" >"$work/roll.yaml"
"$VSCENCTL" --session define "$work/roll.yaml" >/dev/null 2>"$work/define.err"
ok "late failure: Define fails with exit 1" test $? -eq 1
ok "late failure: the error names disk 1's volume" grep -q "disks\[1\]: creating volume" "$work/define.err"
ok "late failure: disk 0's volume and secret were removed again" same_output "$work/before" snapshot
ok "late failure: the caller's volume is untouched" \
  test "$(sha256sum <"$pool_dir/vt-sys-roll-disk1.qcow2")" = "$owned_sum"
virsh vol-delete --pool "$POOL" vt-sys-roll-disk1.qcow2 >/dev/null

ok "virtuned is still serving" quiet "$VSCENCTL" --session scenarios
diag "LUKS creations QEMU's PBKDF benchmark made virtuned retry: $(grep -c "LUKS benchmark" "$work/virtuned.log")"
stop_virtuned_cleanly

# ---- machine types: the host's own list (virsh capabilities) decides ----
# A daemon that asks the connection for its capabilities (the one above may render from a
# saved TCG document, which carries no machine list); rendering starts no guest.
start_virtuned --session "$work/virtuned-caps.log" --config "$work/virtuned.conf" \
  --connect qemu:///system
printf 'name: vt-sys-machine\nsettings:\n  guest.machine: %s\n' pc-q35-6.3 >"$work/m63.yaml"
printf 'name: vt-sys-machine\nsettings:\n  guest.machine: %s\n' pc-q35-6.2 >"$work/m62.yaml"
ok "machine: a version QEMU never had (pc-q35-6.3) is refused, naming the list" \
  sh -c "! '$VSCENCTL' --session render '$work/m63.yaml' >/dev/null 2>'$work/m63.err' &&
         grep -q 'machine types (virsh capabilities lists them)' '$work/m63.err'"
ok "machine: an older one QEMU has (pc-q35-6.2) renders" \
  quiet "$VSCENCTL" --session render "$work/m62.yaml"
stop_virtuned_cleanly
finish
