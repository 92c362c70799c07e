#!/bin/bash
# System test: the SEV methods against a real libvirtd with the QEMU driver, through a
# real polkitd (issue 9). This host has no SEV hardware, so it proves what a host
# without SEV and a domain without SEV get: GetSevInfo answers supported=false (no
# error, anyone may ask); AttestDomain, GetLaunchMeasurement and InjectLaunchSecret on a
# running non-SEV domain, and AttestDomain on a paused one, give one clear sentence and
# leave the domain exactly as it was (running stays running, paused stays paused: never
# destroyed, never resumed); nobody is refused by polkit (exit 4, learning nothing about
# the domain), root is allowed (its call reaches libvirt). The verdicts on a real
# measurement are unit-tested through the core's seam (tests/unit/test-sev-attest.c).
#
# Real components in a private mount namespace (tmpfs over libvirt's and polkit's
# directories): libvirtd with the QEMU driver (TCG), a private system bus, polkitd,
# virtuned --system. The domains have no network, so no bridge or subnet is shared
# with other tests.
set -u
. "$(dirname "$0")/lib.sh"

require_root
require_polkit
require_cmd /usr/sbin/libvirtd /usr/sbin/virtlogd virsh qemu-system-x86_64 python3
enter_private_mount_namespace "$@"

setup_private_libvirt_pool vt-sev-qemu
start_private_polkit "$work"

write_private_libvirt_conf "$work" "$POOL"
start_virtuned --system "$work/virtuned.log" --config "$work/virtuned.conf" \
  --connect qemu:///system

# ---- two plain (non-SEV) domains under TCG: one running, one paused -------------------
plain_domain () {   # plain_domain NAME: a 64 MiB q35 guest with no disk and no network
  cat >"$work/$1.xml" <<EOF
<domain type='qemu'>
  <name>$1</name>
  <memory unit='MiB'>64</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64' machine='q35'>hvm</type></os>
</domain>
EOF
  virsh define "$work/$1.xml" >/dev/null || bail "virsh define $1 failed"
}
plain_domain vt-sev-running
plain_domain vt-sev-paused
ok "a non-SEV domain runs under QEMU" quiet virsh start vt-sev-running
ok "another one is started paused" quiet virsh start --paused vt-sev-paused

state_is () { test "$(virsh domstate "$1")" = "$2"; }

ctl () { "$VSCENCTL" --system "$@"; }

nobody_ctl () { as_nobody "$VSCENCTL" --system "$@"; }

# The owner's files: keys, and a packet as vscenctl sev build-secret writes it.
head -c 32 /dev/urandom >"$work/tk.bin"
head -c 52 /dev/zero | base64 -w0 >"$work/header.b64"
head -c 64 /dev/zero | base64 -w0 >"$work/payload.b64"
chmod 0644 "$work"/tk.bin "$work"/*.b64

# ---- GetSevInfo -----------------------------------------------------------------------
sev_param=$(cat /sys/module/kvm_amd/parameters/sev 2>/dev/null || echo N)
case $sev_param in Y | 1) expected=True ;; *) expected=False ;; esac
diag "kvm_amd sev=$sev_param: GetSevInfo must say supported=$expected"
ok "GetSevInfo: supported is $expected on this host, from node or domcaps" \
  sh -c "'$VSCENCTL' --system --json sev info | python3 -c '
import json, sys
info = json.load(sys.stdin)
assert info[\"supported\"] is $expected, info
assert info[\"source\"] in (\"node\", \"domcaps\"), info'"
ok "nobody may read GetSevInfo (no authorization needed)" \
  expect 0 "$work/err" nobody_ctl sev info

# ---- root: a clear error, the domain as it was -------------------------------------------
ok "root: AttestDomain on a running non-SEV domain fails (exit 1)" \
  expect 1 "$work/err" ctl sev attest vt-sev-running --tk "$work/tk.bin"
ok "root: the error says the domain has no SEV and was left as it was" \
  grep -q "domain vt-sev-running does not run with AMD SEV.*it was left as it was" "$work/err"
ok "root: the domain is still running" state_is vt-sev-running running
ok "root: GetLaunchMeasurement on it fails (exit 1)" \
  expect 1 "$work/err" ctl sev measurement vt-sev-running
ok "root: the measurement error says the domain has no SEV" \
  grep -q "does not run with AMD SEV" "$work/err"
ok "root: InjectLaunchSecret on it fails (exit 1)" \
  expect 1 "$work/err" ctl sev inject vt-sev-running --secret-header "$work/header.b64" \
    --secret-payload "$work/payload.b64" --resume
ok "root: the inject error says the domain has no SEV" \
  grep -q "does not run with AMD SEV" "$work/err"
ok "root: the domain is still running after all three" state_is vt-sev-running running

ok "root: AttestDomain on a paused non-SEV domain fails (exit 1)" \
  expect 1 "$work/err" ctl sev attest vt-sev-paused --tk "$work/tk.bin"
ok "root: the error says the domain has no SEV" grep -q "does not run with AMD SEV" "$work/err"
ok "root: InjectLaunchSecret --resume on the paused domain fails (exit 1)" \
  expect 1 "$work/err" ctl sev inject vt-sev-paused --secret-header "$work/header.b64" \
    --secret-payload "$work/payload.b64" --resume
ok "root: the paused domain is still paused (neither destroyed nor resumed)" \
  state_is vt-sev-paused paused

# ---- nobody: refused by polkit, learns nothing ----------------------------------------
for call in "attest vt-sev-running --tk $work/tk.bin" "measurement vt-sev-running" \
            "inject vt-sev-running --secret-header $work/header.b64 --secret-payload $work/payload.b64 --resume"; do
  read -r -a args <<<"$call"
  ok "nobody: sev ${args[0]} is refused with exit 4" \
    expect 4 "$work/err" nobody_ctl sev "${args[@]}"
  ok "nobody: the refusal names org.virtscenario.attest and nothing about the domain" \
    sh -c "grep -q 'org.virtscenario.attest' '$work/err' && ! grep -q 'SEV\|running' '$work/err'"
done
ok "nobody: the D-Bus error is AccessDenied" sh -c "
  setpriv --reuid=nobody --regid=nogroup --clear-groups -- gdbus call --system \
    --dest org.virtscenario.Manager --object-path /org/virtscenario/Manager \
    --method org.virtscenario.Manager.GetLaunchMeasurement vt-sev-running '{}' 2>&1 |
  grep -q 'org.freedesktop.DBus.Error.AccessDenied'"
ok "nobody: the domains are as they were" \
  sh -c "test \"\$(virsh domstate vt-sev-running)\" = running &&
         test \"\$(virsh domstate vt-sev-paused)\" = paused"

stop_virtuned_cleanly
finish
