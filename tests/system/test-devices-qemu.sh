#!/bin/bash
# System test: after Define (issue #12) with a real libvirtd, QEMU and a real Linux guest.
# The guest is Debian's cloud kernel (linux-image-cloud-amd64) booted directly with a
# busybox initramfs built here; its init loads the virtio drivers and prints, on the
# serial console (a file), each change of what it sees: disks with their serial, NICs
# with their MAC. The test proves, through virtuned only:
#   - Define records the description: DescribeDomain returns it, also after virsh redefines
#     the domain for the direct kernel boot;
#   - ListDevices finds disk and NIC by alias, with the serial and MAC the guest sees;
#   - AttachDevice of a new disk and of a NIC to the running guest: the guest sees the disk
#     with the serial derived from its alias and the NIC with its MAC; the recorded
#     description gains both, with their aliases pinned;
#   - DetachDevice: the guest acknowledges the PCIe unplug (pending, then DeviceRemoved);
#     a disk on virtio-scsi needs no guest and is removed at once;
#   - a config-only attach reaches the guest after a restart;
#   - a failed attach (missing network, a live attach to a domain that is not running,
#     which fails after the volume was made) leaves no volume, secret or device behind;
#   - DetachDevice --delete-storage (config only) deletes a volume virtuned created and its
#     LUKS secret, and refuses an existing volume, leaving it and the device in place;
#   - bad input: an unknown alias, a fragment with an unknown key, a domain virtuned did
#     not define, a 64-device bomb; the daemon stays up.
set -u
. "$(dirname "$0")/lib.sh"

require_root
require_cmd /usr/sbin/libvirtd /usr/sbin/virtlogd virsh qemu-system-x86_64 dbus-daemon gdbus \
  unshare xmllint python3 /bin/busybox cpio modprobe
kernel=$(ls /boot/vmlinuz-*-cloud-amd64 2>/dev/null | sort -V | tail -1)
[ -n "$kernel" ] || bail "no cloud kernel in /boot: install Debian package linux-image-cloud-amd64"
enter_private_mount_namespace "$@"

NET=vtdevnet
DOM=vt-sys-dev

# ---- the guest: kernel, busybox initramfs ---------------------------------------------
setup_private_libvirt_pool vt-devices-qemu
BRIDGE=vtdbr${work##*.}   # the test shell is PID 1 of its namespace: $$ names nothing
kver=${kernel#/boot/vmlinuz-}
mkdir -p "$work/initramfs/bin" "$work/initramfs/lib" "$work/initramfs/proc" \
  "$work/initramfs/sys" "$work/initramfs/dev"
cp /bin/busybox "$work/initramfs/bin/busybox"
: >"$work/initramfs/modules"
for module in virtio_pci virtio_blk virtio_net virtio_scsi sd_mod; do
  modprobe -S "$kver" --show-depends "$module" | awk '$1 == "insmod" { print $2 }'
done | awk '!seen[$0]++' | while read -r ko; do
  cp "$ko" "$work/initramfs/lib/" && basename "$ko" >>"$work/initramfs/modules"
done
cat >"$work/initramfs/init" <<'INIT'
#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs dev /dev
for m in $(cat /modules); do insmod "/lib/$m"; done
echo VT-GUEST-UP
# What the guest sees, printed whenever it changes: each virtio disk with its serial and
# the link udev would make for it (60-persistent-storage.rules:
# /dev/disk/by-id/virtio-SERIAL), each SCSI disk, each NIC with its MAC.
state () {
  for b in /sys/block/vd*; do
    [ -e "$b" ] && echo "DISK $(basename "$b") serial=$(cat "$b/serial") by-id=virtio-$(cat "$b/serial")"
  done
  for b in /sys/block/sd*; do [ -e "$b" ] && echo "SCSI $(basename "$b")"; done
  for n in /sys/class/net/eth*; do [ -e "$n" ] && echo "NIC $(basename "$n") mac=$(cat "$n/address")"; done
}
last=
while true; do
  now=$(state)
  if [ "$now" != "$last" ]; then
    echo "STATE BEGIN"; echo "$now"; echo "STATE END"
    last=$now
  fi
  sleep 0.5
done
INIT
chmod 0755 "$work/initramfs/init"
(cd "$work/initramfs" && find . | cpio -o -H newc --quiet | gzip -1 >"$work/initrd.gz") ||
  bail "cannot build the initramfs"
cp "$kernel" "$work/vmlinuz"
chmod 0644 "$work/vmlinuz" "$work/initrd.gz"
diag "guest: $kver, $(wc -l <"$work/initramfs/modules") modules"

# ---- real components --------------------------------------------------------------
create_private_network "$NET" "$BRIDGE" 192.168.237
write_private_libvirt_conf "$work" "$POOL" "$NET"
# The same libvirtd under a second name: DeviceRemoved comes once per connection, named.
printf '[connection again]\nuri=qemu:///system\n' >>"$work/virtuned.conf"
# A policy of the test's own, changed later: RenderUpdate must report exactly that.
mkdir "$work/policies"
printf 'summary: changed between define and upgrade\nsettings:\n  storage.cache: writeback\n  guest.nic: virtio\n' \
  >"$work/policies/vt-upd.yaml"
choose_domain_type "$work"
diag "domains are rendered with type '$domain_type'"
start_session_bus "$work"
start_virtuned --session "$work/virtuned.log" --config "$work/virtuned.conf" \
  --connect qemu:///system --policy-dir "$work/policies" "${domcaps_args[@]}"
gdbus monitor --session --dest org.virtscenario.Manager >"$work/monitor.log" 2>&1 &
remember_pid $!
wait_for 20 grep -q "is owned by" "$work/monitor.log" || bail "gdbus monitor did not start"

call () {   # call METHOD ARGS...: gdbus call on the manager (no timeout: TCG is slow)
  gdbus call --session --timeout 600 --dest org.virtscenario.Manager \
    --object-path /org/virtscenario/Manager --method "org.virtscenario.Manager.$1" "${@:2}"
}
console () { cat "$work/console/console.log" 2>/dev/null; }
# The guest's latest state block.
guest_state () { console | tr -d '\r' | awk '/^STATE BEGIN/ { s = "" } { s = s $0 "\n" } END { printf "%s", s }'; }
guest_sees () { guest_state | grep -q -- "$1"; }
guest_lacks () { guest_state | grep -q "STATE END" && ! guest_state | grep -q -- "$1"; }
snapshot () {
  virsh pool-refresh "$POOL" >/dev/null
  { virsh vol-list "$POOL"; virsh secret-list; virsh dumpxml --inactive "$DOM" | grep -c '<disk\|<interface'; } 2>&1
}
has () {   # has TEXT NEEDLE...: every needle is in TEXT (else says which is not)
  local text=$1 needle
  shift
  for needle in "$@"; do
    [[ "$text" == *"$needle"* ]] || { diag "missing: $needle in: ${text:0:600}"; return 1; }
  done
}
lacks () { [[ "$1" != *"$2"* ]] || { diag "unexpected: $2"; return 1; }; }
mac_of () { printf '%s\n%s' "$DOM" "$1" | sha256sum | sed 's/^\(..\)\(..\)\(..\).*/52:54:00:\1:\2:\3/'; }

# ---- define, describe ------------------------------------------------------------------
cat >"$work/dev.yaml" <<YAML
name: $DOM
scenario: vt-upd
vcpus: 1
memory: 256MiB
graphics: none
disks:
  - pool: $POOL
    size: 16MiB
networks:
  - network: $NET
settings:
  storage.preallocation: "off"
  storage.bus: virtio
YAML
out=$("$VSCENCTL" --session define "$work/dev.yaml" 2>&1)
ok "Define succeeds" test $? -eq 0 || bail "Define failed: $out"
ok "DescribeDomain returns the description" \
  sh -c "\"$VSCENCTL\" --session domain describe $DOM | grep -q 'pool: \"$POOL\"'"

# Direct kernel boot and a serial console in a file: the test's own changes, made with
# virsh as any administrator might; the record in <metadata> survives them.
mkdir -m 0777 "$work/console"
virsh dumpxml --inactive "$DOM" | python3 -c '
import sys, xml.etree.ElementTree as ET
work = sys.argv[1]
dom = ET.fromstring(sys.stdin.read())
os_ = dom.find("os")
for boot in os_.findall("boot"):
    os_.remove(boot)
ET.SubElement(os_, "kernel").text = work + "/vmlinuz"
ET.SubElement(os_, "initrd").text = work + "/initrd.gz"
ET.SubElement(os_, "cmdline").text = "console=ttyS0 quiet panic=-1"
devices = dom.find("devices")
# The rendered serial console on port 0 writes to the file instead of a pty (its alias
# and model stay, so diff sees the same device); libvirt derives the console from it.
for console in devices.findall("console"):
    devices.remove(console)
serial = devices.find("serial")
if serial is None:
    serial = ET.SubElement(devices, "serial")
    ET.SubElement(serial, "target", port="0")
serial.set("type", "file")
for source in serial.findall("source"):
    serial.remove(source)
serial.insert(0, ET.Element("source", path=work + "/console/console.log"))
sys.stdout.write(ET.tostring(dom, encoding="unicode"))' "$work" >"$work/boot.xml"
ok "virsh redefines the domain for a direct kernel boot" quiet virsh define "$work/boot.xml" ||
  bail "the domain cannot boot the test's kernel"
ok "DescribeDomain still returns the description after the redefine" \
  sh -c "\"$VSCENCTL\" --session domain describe $DOM | grep -q 'name: \"$DOM\"'"

ok "the guest starts" quiet virsh start "$DOM" || bail "the guest does not start"
wait_for 300 sh -c "grep -q VT-GUEST-UP '$work/console/console.log'" ||
  { console | tail -20 | sed 's/^/# console: /'; bail "the guest did not come up"; }
mac0=$(mac_of ua-net0)
ok "the guest sees disk ua-disk0 by its serial" wait_for 60 guest_sees "serial=ua-disk0 by-id=virtio-ua-disk0"
ok "the guest sees NIC ua-net0 with its fixed MAC $mac0" wait_for 60 guest_sees "mac=$mac0"
ok "ListDevices (live) finds disk and NIC with what the guest sees" \
  has "$(call ListDevices "$DOM" '{}')" \
    "('ua-disk0', 'disk', 'virtio vda, $pool_dir/$DOM-disk0.qcow2', 'ua-disk0')" \
    "('ua-net0', 'nic', 'network $NET, virtio', '$mac0')"

# ---- hot-plug -------------------------------------------------------------------------
snapshot >"$work/before-attach"
attached=$(call AttachDevice "$DOM" "{pool: $POOL, size: 8MiB}" '{}' 2>&1)
ok "AttachDevice of a new disk returns its alias ua-disk1" test "$attached" = "('ua-disk1',)" ||
  diag "$attached"
ok "its volume was made like Define's" quiet virsh vol-info --pool "$POOL" "$DOM-disk1.qcow2"
ok "the guest sees the new disk by the serial derived from its alias" \
  wait_for 120 guest_sees "serial=ua-disk1 by-id=virtio-ua-disk1"
nic=$(call AttachDevice "$DOM" "{network: $NET}" '{}' 2>&1)
mac1=$(mac_of ua-net1)
ok "AttachDevice of a NIC returns ua-net1" test "$nic" = "('ua-net1',)" || diag "$nic"
ok "the guest sees the new NIC with its MAC $mac1" wait_for 120 guest_sees "mac=$mac1"
ok "ListDevices finds both by alias" \
  has "$(call ListDevices "$DOM" "{'live': <true>}")" "('ua-disk1', 'disk', 'virtio vdb, " \
    "('ua-net1', 'nic', 'network $NET, virtio', '$mac1')"
ok "both are in the configuration too" \
  has "$(virsh dumpxml --inactive "$DOM")" "ua-disk1" "ua-net1"
ok "the recorded description gained both, aliases pinned, the new volume as a volume" \
  has "$("$VSCENCTL" --session domain describe "$DOM")" "volume: \"$POOL/$DOM-disk1.qcow2\"" \
    'alias: "ua-disk1"' 'alias: "ua-net1"' "volume: \"$POOL/$DOM-disk0.qcow2\""

# ---- unplug: the guest's cooperation, then DeviceRemoved -----------------------------------
ok "the second connection, opened by its first use, lists the same devices" \
  has "$(call ListDevices "$DOM" "{'live': <true>, 'connection': <'again'>}")" "('ua-disk1', "
state=$(call DetachDevice "$DOM" ua-disk1 '{}' 2>&1)
ok "DetachDevice of the PCIe disk replies pending or removed ($state)" \
  sh -c "[ \"\$0\" = \"('pending',)\" ] || [ \"\$0\" = \"('removed',)\" ]" "$state"
ok "the guest releases the disk" wait_for 120 guest_lacks "ua-disk1"
ok "DeviceRemoved ('$DOM', 'ua-disk1', 'default') arrives" \
  wait_for 60 grep -q "DeviceRemoved ('$DOM', 'ua-disk1', 'default')" "$work/monitor.log"
ok "... and for the second connection ('$DOM', 'ua-disk1', 'again')" \
  wait_for 60 grep -q "DeviceRemoved ('$DOM', 'ua-disk1', 'again')" "$work/monitor.log"
ok "ListDevices no longer has it, live" lacks "$(call ListDevices "$DOM" "{'live': <true>}")" ua-disk1
ok "nor configured" lacks "$(call ListDevices "$DOM" "{'live': <false>}")" ua-disk1
ok "the recorded description lost it" lacks "$("$VSCENCTL" --session domain describe "$DOM")" ua-disk1
state=$(call DetachDevice "$DOM" ua-net1 '{}' 2>&1)
ok "DetachDevice of the NIC: $state" \
  sh -c "[ \"\$0\" = \"('pending',)\" ] || [ \"\$0\" = \"('removed',)\" ]" "$state"
ok "DeviceRemoved ('$DOM', 'ua-net1', 'default') arrives" \
  wait_for 60 grep -q "DeviceRemoved ('$DOM', 'ua-net1', 'default')" "$work/monitor.log"

# ---- config only: reaches the guest at its next start ------------------------------------
cfg=$(call AttachDevice "$DOM" "{pool: $POOL, size: 8MiB}" "{'config': <true>}" 2>&1)
# ua-disk1 left both definitions, so its alias is free again.
ok "a config-only attach returns the first free alias ($cfg)" test "$cfg" = "('ua-disk1',)"
ok "it is in the configuration, not in the running domain" \
  sh -c "virsh dumpxml --inactive $DOM | grep -q ua-disk1 && ! virsh dumpxml $DOM | grep -q ua-disk1"
ok "its volume took the next free name (the detached disk's volume is kept)" \
  quiet virsh vol-info --pool "$POOL" "$DOM-disk2.qcow2"
virsh destroy "$DOM" >/dev/null
: >"$work/console/console.log"
ok "the guest restarts" quiet virsh start "$DOM"
ok "after the restart the guest sees it" wait_for 300 guest_sees "DISK vdb serial=ua-disk1"
virsh destroy "$DOM" >/dev/null

# ---- failures leave nothing behind -----------------------------------------------------------
snapshot >"$work/before"
out=$(call AttachDevice "$DOM" '{network: vt-missing}' '{}' 2>&1)
ok "attaching a NIC on a missing network fails, naming it" grep -q "vt-missing" <<<"$out" || diag "$out"
ok "... and leaves nothing behind" same_output "$work/before" snapshot
out=$(call AttachDevice "$DOM" "{pool: $POOL, size: 8MiB}" "{'live': <true>}" 2>&1)
ok "a live attach to a domain that is not running fails after making the volume" \
  grep -q "org.virtscenario.Error.Libvirt" <<<"$out" || diag "$out"
ok "... and its volume is removed again" same_output "$work/before" snapshot

# ---- bad input; the daemon stays up ----------------------------------------------------------
ok "an unknown alias is a clear error" \
  has "$(call DetachDevice "$DOM" ua-disk99 '{}' 2>&1)" "org.virtscenario.Error.Failed" \
    "has no device ua-disk99"
out=$(call AttachDevice "$DOM" "{pool: $POOL, sise: 8MiB}" '{}' 2>&1)
ok "a fragment with an unknown key names it" grep -q "device.sise (line 1" <<<"$out" || diag "$out"
printf '<domain type="qemu"><name>vt-sys-foreign</name><memory unit="MiB">64</memory><os><type arch="x86_64" machine="q35">hvm</type></os></domain>' >"$work/foreign.xml"
virsh define "$work/foreign.xml" >/dev/null
out=$(call AttachDevice vt-sys-foreign "{network: $NET}" '{}' 2>&1)
ok "attaching to a domain virtuned did not define: UnknownDomain" \
  grep -q "org.virtscenario.Error.UnknownDomain" <<<"$out" || diag "$out"
bomb=$(python3 -c "print('[' + ', '.join('{pool: $POOL, size: 8MiB}' for _ in range(64)) + ']')")
out=$(call AttachDevice "$DOM" "$bomb" '{}' 2>&1)
ok "a 64-device bomb is refused" grep -q "org.virtscenario.Error.InvalidDescription" <<<"$out" || diag "$out"
ok "... and leaves nothing behind" same_output "$work/before" snapshot

# ---- delete-storage: only what virtuned created, volume and LUKS secret --------------------
DEL=vt-sys-del
printf 'name: %s\nmemory: 256MiB\ngraphics: none\ndisks:\n  - {pool: %s, size: 8MiB}\nsettings:\n  storage.preallocation: "off"\n  storage.encryption: "on"\n' \
  "$DEL" "$POOL" >"$work/del.yaml"
out=$("$VSCENCTL" --session define "$work/del.yaml" 2>&1)
ok "Define $DEL (storage.encryption on)" test $? -eq 0 || diag "$out"
out=$(call AttachDevice "$DEL" "{pool: $POOL, size: 8MiB}" "{'config': <true>}" 2>&1)
ok "a config-only attach of a new volume: ua-disk1 ($out)" test "$out" = "('ua-disk1',)"
del_secret=$(virsh vol-dumpxml --pool "$POOL" "$DEL-disk1.qcow2" 2>/dev/null |
  xmllint --xpath 'string(/volume/target/encryption/secret/@uuid)' - 2>/dev/null)
ok "its volume has a LUKS secret ($del_secret)" \
  sh -c "[ -n '$del_secret' ] && virsh secret-list | grep -q '$del_secret'"
out=$("$VSCENCTL" --session device detach "$DEL" ua-disk1 --config --delete-storage 2>&1)
ok "device detach --config --delete-storage: removed ($out)" test "$out" = removed
ok "... its volume is gone" sh -c "virsh pool-refresh $POOL >/dev/null; ! virsh vol-info --pool $POOL $DEL-disk1.qcow2 >/dev/null 2>&1"
ok "... its secret is gone" sh -c "! virsh secret-list | grep -q '$del_secret'"
ok "... and so is the device" lacks "$(virsh dumpxml --inactive "$DEL")" ua-disk1
# An existing volume: the detached disk's volume $DOM-disk1.qcow2 that DetachDevice kept.
out=$(call AttachDevice "$DEL" "{volume: $POOL/$DOM-disk1.qcow2}" "{'config': <true>}" 2>&1)
ok "a config-only attach of an existing volume: ua-disk1 ($out)" test "$out" = "('ua-disk1',)"
ok "delete-storage of the existing volume is refused, naming why" \
  has "$("$VSCENCTL" --session device detach "$DEL" ua-disk1 --config --delete-storage 2>&1)" \
    "its volume existed before" "nothing was detached"
ok "... the volume is still there" quiet virsh vol-info --pool "$POOL" "$DOM-disk1.qcow2"
ok "... and the device still attached" has "$(virsh dumpxml --inactive "$DEL")" ua-disk1
virsh undefine "$DEL" >/dev/null

ok "virtuned is still serving" quiet "$VSCENCTL" --session scenarios
stop_virtuned_cleanly

# ---- upgrade on request: the policy changed since Define ------------------------------------
printf 'summary: changed between define and upgrade\nsettings:\n  storage.cache: none\n  guest.nic: e1000\n' \
  >"$work/policies/vt-upd.yaml"
start_virtuned --session "$work/virtuned-upd.log" --config "$work/virtuned.conf" \
  --connect qemu:///system --policy-dir "$work/policies" "${domcaps_args[@]}"
diff_rows () { "$VSCENCTL" --session --json diff "$DOM" | python3 -c '
import json, sys
for r in json.load(sys.stdin):
    print(r["class"], r["key"], r["current"], r["rendered"])'; }
expected_diff="guest ua-net0.model virtio e1000
backend ua-disk0.cache writeback none
backend ua-disk1.cache writeback none"
ok "diff reports exactly the changed keys, guest-visible apart from backend-only" \
  test "$(diff_rows)" = "$expected_diff" || diff_rows | sed 's/^/# got: /'
ok "the guest starts (its live definition is the old one)" quiet virsh start "$DOM"
upgraded=$("$VSCENCTL" --session --json upgrade "$DOM" --backend-only)
ok "upgrade --backend-only applies the two backend changes" \
  test "$(python3 -c 'import json,sys; print(len(json.load(sys.stdin)))' <<<"$upgraded")" = 2
ok "the configuration has the new cache mode" \
  sh -c "virsh dumpxml --inactive $DOM | grep -q \"cache='none'\""
ok "the running domain's live definition is untouched" \
  sh -c "virsh dumpxml $DOM | grep -q \"cache='writeback'\" && ! virsh dumpxml $DOM | grep -q \"cache='none'\""
ok "diff now shows only the guest-visible change" \
  test "$(diff_rows)" = "guest ua-net0.model virtio e1000" || diff_rows | sed 's/^/# got: /'
ok "upgrade applies it" quiet "$VSCENCTL" --session upgrade "$DOM"
ok "after the upgrade diff is empty" test -z "$(diff_rows)" || diff_rows | sed 's/^/# got: /'
ok "the configuration has the new NIC model, the running guest the old one" \
  sh -c "virsh dumpxml --inactive $DOM | grep -q \"<model type='e1000'/>\" && virsh dumpxml $DOM | grep -q \"<model type='virtio'/>\""
ok "the description is still recorded after the upgrade" \
  sh -c "\"$VSCENCTL\" --session domain describe $DOM | grep -q 'alias: \"ua-disk1\"'"
virsh destroy "$DOM" >/dev/null
stop_virtuned_cleanly
finish
