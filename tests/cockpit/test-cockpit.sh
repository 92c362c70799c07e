#!/bin/bash
# The Cockpit plugin in a real browser: `meson install` puts the plugin into a scratch
# prefix; Debian's cockpit-ws serves it (--local-session=cockpit-bridge: no login, loopback
# only) with the bridge's system bus pointed at a private bus where the real daemon runs on
# a fake kernel tree (tests/fake-kernel), and playwright-core (pinned by
# tests/cockpit/package-lock.json) drives Debian's headless chromium through the pages.
# test-cockpit.mjs prints one PASS/FAIL line per case; this script turns them into TAP.
# A missing component (cockpit-ws, chromium, node, npm) fails the test: it never skips.
source "$VT_SOURCE_ROOT/tests/integration/lib.sh"
source "$VT_SOURCE_ROOT/scripts/common.sh"   # vt_have_program

COCKPIT_WS=/usr/lib/cockpit/cockpit-ws
SHOTS="$VT_BUILD_ROOT/meson-logs/cockpit-screenshots"
NODE_DIR="$VT_BUILD_ROOT/tests/cockpit-node"
ROOT="$VT_TMP/root"
WS_PID=""

cleanup () {
  [ -n "$WS_PID" ] && kill -TERM "$WS_PID" 2>/dev/null && wait "$WS_PID" 2>/dev/null
  vt_cleanup
}
trap cleanup EXIT

bail () {
  echo "Bail out! $*"
  exit 1
}

require () {
  local program="$1" package="$2"
  vt_have_program "$program" || bail "$program is missing; it comes with Debian package $package"
}

require "$COCKPIT_WS" cockpit-ws
require cockpit-bridge cockpit-bridge
require /usr/bin/chromium chromium
require node nodejs
require npm npm

# playwright-core into the build tree, exactly as the lockfile says; again only when the
# lockfile changed, so later runs need no network.
install_node_modules () {
  local lock="$VT_SOURCE_ROOT/tests/cockpit/package-lock.json"
  if cmp -s "$lock" "$NODE_DIR/installed-lock.json" && [ -d "$NODE_DIR/node_modules" ]; then
    return 0
  fi
  mkdir -p "$NODE_DIR"
  cp "$VT_SOURCE_ROOT/tests/cockpit/package.json" "$lock" "$NODE_DIR/"
  (cd "$NODE_DIR" && npm ci --no-audit --no-fund >npm.log 2>&1) || { cat "$NODE_DIR/npm.log"; return 1; }
  cp "$lock" "$NODE_DIR/installed-lock.json"
}
install_node_modules || bail "npm ci of tests/cockpit/package-lock.json failed"

# The plugin as `meson install` lays it out.
meson install -C "$VT_BUILD_ROOT" --no-rebuild --destdir "$VT_TMP/install" --tags cockpit \
  >"$VT_TMP/install.log" 2>&1 || bail "meson install --tags cockpit failed: $(tail -5 "$VT_TMP/install.log")"
manifest="$(find "$VT_TMP/install" -path '*/cockpit/virtuned/manifest.json' | head -n1)"
[ -n "$manifest" ] || bail "meson install put no cockpit/virtuned/manifest.json under the prefix"
share="${manifest%/cockpit/virtuned/manifest.json}"

make_fake_root "$ROOT"
vt_start_bus || bail "no private bus"
export VT_FAKE_KERNEL_ROOT="$ROOT"
LD_PRELOAD="$VT_BUILD_ROOT/tests/fake-kernel/fake-kernel.so${LD_PRELOAD:+:$LD_PRELOAD}" \
  vt_start_daemon cockpit --sysroot "$ROOT" --state-dir "$VT_TMP/state" || bail "daemon did not start"
vt_load_osinfo || bail "ListOperatingSystems failed"

# cockpit-ws on a free loopback port; its bridge sees the private bus as the system bus
# and only the packages of the scratch prefix and Debian's own.
port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
mkdir -p "$VT_TMP/home"
HOME="$VT_TMP/home" XDG_DATA_DIRS="$share:/usr/share" XDG_CONFIG_DIRS="$VT_TMP/etc" \
  DBUS_SYSTEM_BUS_ADDRESS="$DBUS_SESSION_BUS_ADDRESS" \
  "$COCKPIT_WS" --no-tls --port "$port" --address 127.0.0.1 --local-session=cockpit-bridge \
  >"$VT_TMP/ws.log" 2>&1 &
WS_PID=$!
url="http://127.0.0.1:$port/cockpit/@localhost/virtuned/index.html"
deadline=$((SECONDS + 30))
until curl -sf -o /dev/null "$url"; do
  [ "$SECONDS" -lt "$deadline" ] || bail "cockpit-ws did not serve $url within 30 s: $(cat "$VT_TMP/ws.log")"
  kill -0 "$WS_PID" 2>/dev/null || bail "cockpit-ws exited: $(cat "$VT_TMP/ws.log")"
  sleep 0.1
done

rm -rf "$SHOTS" && mkdir -p "$SHOTS"
finished=0
while IFS= read -r line; do
  case "$line" in
    "PASS "*) tap_ok "${line#PASS }" ;;
    "FAIL "*) tap_not_ok "${line#FAIL }" ;;
    "DONE") finished=1 ;;
    *) echo "# $line" ;;
  esac
done < <(VT_NODE_MODULES="$NODE_DIR/node_modules" VT_URL="$url" VT_SHOTS="$SHOTS" VT_ROOT="$ROOT" \
         VT_CTL="$VT_CTL_BIN" node "$VT_SOURCE_ROOT/tests/cockpit/test-cockpit.mjs" 2>&1)

if [ "$finished" -eq 1 ]; then
  tap_ok "the browser session ran to its end"
else
  tap_not_ok "the browser session ran to its end" "cockpit-ws log:" "$(tail -20 "$VT_TMP/ws.log")"
fi
check_stop "the daemon stops cleanly after the browser session"
tap_done
