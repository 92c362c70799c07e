#!/bin/bash
# System test: authorization that depends on what a real libvirtd says about existing
# volumes (SPEC §9). Root defines a VM whose new disk is LUKS-encrypted (a real qcow2
# LUKS volume and a real libvirt secret); nobody, whom a polkit rule grants only
# org.virtscenario.define, may attach an unencrypted volume from the allowed pool but
# not that encrypted one, as a disk or as a CD-ROM: the new domain would open it with
# the owner's secret. Root may. A lookup failure reaches only an authorized caller.
#
# Real components in a private mount namespace (tmpfs over libvirt's and polkit's
# directories, nothing on the machine is touched): libvirtd with the QEMU driver and a
# directory pool, a private system bus, polkitd, virtuned --system.
set -u
. "$(dirname "$0")/lib.sh"

require_root
require_polkit
require_cmd /usr/sbin/libvirtd /usr/sbin/virtlogd virsh qemu-img xmllint
enter_private_mount_namespace "$@"

setup_private_libvirt_pool vt-polkit-libvirt
start_private_polkit "$work"

write_private_libvirt_conf "$work" "$POOL"
start_virtuned --system "$work/virtuned.log" --config "$work/virtuned.conf" \
  --connect qemu:///system

# ---- helpers ------------------------------------------------------------------------
# describe NAME DISK...: a description with these disk entries, readable by nobody.
describe () {
  local file="$work/$1.yaml" disk
  printf 'name: %s\nscenario: desktop\nvcpus: 1\nmemory: 256MiB\ndisks:\n' "$1" >"$file"
  shift
  for disk in "$@"; do
    printf '  - %s\n' "$disk" >>"$file"
  done
  chmod 0644 "$file"
  echo "$file"
}

ctl () { "$VSCENCTL" --system "$@"; }

nobody_ctl () { as_nobody "$VSCENCTL" --system "$@"; }

# Everything a Define could add, in one comparable listing.
snapshot () {
  virsh pool-refresh "$POOL" >/dev/null
  { virsh vol-list "$POOL"; virsh secret-list; virsh list --all --name; } 2>&1
}

xpath_of () { xmllint --xpath "$2" - <<<"$1" 2>/dev/null; }

# ---- the owner's encrypted VM and an unencrypted volume ------------------------------
owner=$(describe vt-owner "pool: $POOL")
printf 'settings:\n  storage.encryption: on\n' >>"$owner"
ok "root: Define of a VM with a LUKS-encrypted new disk succeeds" \
  expect 0 "$work/err" ctl define "$owner"
encrypted=vt-owner-disk0.qcow2
secret=$(xpath_of "$(virsh vol-dumpxml --pool "$POOL" "$encrypted")" \
  'string(/volume/target/encryption/secret/@uuid)')
ok "libvirt reports the owner's volume encrypted, with its secret" \
  sh -c "virsh secret-list | grep -q '${secret:-no-secret}'"
virsh vol-create-as "$POOL" plain.qcow2 16M --format qcow2 >/dev/null || bail "vol-create-as failed"

# ---- nobody without any grant: lookups do not answer a refused caller ----------------
ok "nobody, no grant: a missing volume is refused with exit 4, not looked up for them" \
  expect 4 "$work/err" nobody_ctl define "$(describe vt-probe "volume: $POOL/no-such.qcow2")"
ok "nobody, no grant: the refusal says nothing about the volume" \
  sh -c "! grep -qi 'not found\|no-such' '$work/err'"

# ---- nobody with `define`: unencrypted yes, encrypted no ---------------------------
polkit_rule 00-virtuned-system-test "$POLKIT_RULE_NOBODY_DEFINES"
ok "nobody with define: attaching the unencrypted volume succeeds" \
  expect 0 "$work/err" nobody_ctl define "$(describe vt-plain "volume: $POOL/plain.qcow2")"

snapshot >"$work/before"
ok "nobody with define: attaching the encrypted volume is refused with exit 4" \
  expect 4 "$work/err" nobody_ctl define \
    "$(describe vt-thief "volume: $POOL/plain.qcow2" "volume: $POOL/$encrypted")"
ok "nobody with define: the refusal names define-unrestricted and why" \
  sh -c "grep -q 'org.virtscenario.define-unrestricted' '$work/err' &&
         grep -q 'disks\[1\] is the encrypted volume $POOL/$encrypted; attaching it shares its passphrase' '$work/err'"
ok "nobody with define: the encrypted volume as a CD-ROM is refused with exit 4" \
  expect 4 "$work/err" nobody_ctl define "$(describe vt-thief-cd "cdrom: $POOL/$encrypted")"
ok "nobody with define: the CD-ROM refusal names define-unrestricted" \
  grep -q 'org.virtscenario.define-unrestricted' "$work/err"
ok "nobody with define: nothing was created" same_output "$work/before" snapshot

ok "nobody with define: a missing volume is now reported (exit 1, after authorization)" \
  expect 1 "$work/err" nobody_ctl define "$(describe vt-missing "volume: $POOL/no-such.qcow2")"
ok "nobody with define: the error names the volume" grep -q "no-such.qcow2" "$work/err"

# ---- root may share the volume ----------------------------------------------------
ok "root: attaching the encrypted volume succeeds" \
  expect 0 "$work/err" ctl define "$work/vt-thief.yaml"
ok "root: the new domain opens it with the owner's secret" \
  test "$(virsh dumpxml vt-thief | xmllint --xpath \
    "string(//disk[source/@file='$pool_dir/$encrypted']/source/encryption/secret/@uuid)" -)" = "$secret"

stop_virtuned_cleanly
finish
