#!/bin/bash
# The Cockpit plugin in a real browser: `meson install` puts the plugin into a scratch
# prefix; Debian's cockpit-ws serves it (--local-session=cockpit-bridge: no login, loopback
# only) with the bridge's system bus pointed at a private bus where the real daemon runs on
# a fake kernel tree (tests/fake-kernel), and playwright-core (pinned by
# tests/cockpit/package-lock.json) drives Debian's headless chromium through the pages
# (test-cockpit.mjs). Defining on real libvirtd and limited access are in the system suite
# (tests/system/test-cockpit-define.sh). A missing component fails; only an npm registry
# this machine cannot reach (or trust) makes it skip, saying so.
source "$VT_SOURCE_ROOT/tests/integration/lib.sh"
source "$VT_SOURCE_ROOT/tests/cockpit/lib.sh"

# scripts/check runs this twice, the second time with the daemon under valgrind: each run
# keeps its own screenshots.
SHOTS="$VT_BUILD_ROOT/meson-logs/cockpit-screenshots${VT_DAEMON_WRAPPER:+-valgrind}"
ROOT="$VT_TMP/root"

cleanup () {
  cockpit_stop_ws
  vt_cleanup
}
trap cleanup EXIT

bail () {
  echo "Bail out! $*"
  exit 1
}

missing="$(cockpit_missing)" && bail "$missing"
cockpit_require_node_modules
cockpit_install_plugin "$VT_TMP/install" || bail "the plugin did not install"

make_fake_root "$ROOT"
# Hosts for the host selector: the default (allowed pool and network), "second" (nothing
# allowed; a saved SEV-capable domcaps, so its preview differs) and "down" (unreachable).
cat >"$VT_TMP/two-hosts.conf" <<EOC
[security]
allowed_pools=default-pool
allowed_networks=default

[connection second]
uri=test:///default
domcaps=$VT_SEV_DOMCAPS

# Nothing listens on port 1: the pickers fall back to free text.
[connection down]
uri=qemu+tcp://127.0.0.1:1/system
open_timeout=5
EOC
: >"$VT_TMP/one-host.conf"
vt_start_bus || bail "no private bus"
export VT_FAKE_KERNEL_ROOT="$ROOT"
LD_PRELOAD="$VT_BUILD_ROOT/tests/fake-kernel/fake-kernel.so${LD_PRELOAD:+:$LD_PRELOAD}" \
  vt_start_daemon cockpit --sysroot "$ROOT" --state-dir "$VT_TMP/state" --config "$VT_TMP/two-hosts.conf" ||
  bail "daemon did not start"
vt_load_osinfo || bail "ListOperatingSystems failed"

# The bridge's "system bus" is the private bus the daemon is on.
mkdir -p "$VT_TMP/home"
DBUS_SYSTEM_BUS_ADDRESS="$DBUS_SESSION_BUS_ADDRESS" \
  cockpit_start_ws "$VT_TMP/home" "$VT_TMP/ws.log" || bail "cockpit-ws did not start"

rm -rf "$SHOTS" && mkdir -p "$SHOTS"
if cockpit_browser tap_ok tap_not_ok test-cockpit.mjs VT_SHOTS="$SHOTS" VT_ROOT="$ROOT" \
     VT_CTL="$VT_CTL_BIN"; then
  tap_ok "the browser session ran to its end"
else
  tap_not_ok "the browser session ran to its end" "cockpit-ws log:" "$(tail -20 "$VT_TMP/ws.log")"
fi
check_stop "the daemon stops cleanly after the browser session"

# One host: the page as before, without a selector.
LD_PRELOAD="$VT_BUILD_ROOT/tests/fake-kernel/fake-kernel.so${LD_PRELOAD:+:$LD_PRELOAD}" \
  vt_start_daemon cockpit-one --sysroot "$ROOT" --state-dir "$VT_TMP/state" --config "$VT_TMP/one-host.conf" ||
  bail "daemon with one host did not start"
if cockpit_browser tap_ok tap_not_ok test-cockpit-one-host.mjs VT_SHOTS="$SHOTS"; then
  tap_ok "the one-host browser session ran to its end"
else
  tap_not_ok "the one-host browser session ran to its end" "cockpit-ws log:" "$(tail -20 "$VT_TMP/ws.log")"
fi
check_stop "the one-host daemon stops cleanly"
tap_done
