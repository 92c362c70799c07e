# Shared by the Cockpit plugin's browser tests (sourced, bash, after the suite's own
# lib.sh): what they need installed, the plugin as `meson install` lays it out, Debian's
# cockpit-ws serving it, and the browser script's PASS/FAIL lines.
#
# Each function returns non-zero with a message on stderr; the caller bails.

COCKPIT_WS=/usr/lib/cockpit/cockpit-ws
COCKPIT_NODE_DIR="$VT_BUILD_ROOT/tests/cockpit-node"
COCKPIT_WS_PID=""

# cockpit_missing: names the first missing component and its Debian package; a test
# that needs them fails (never skips) when one is missing. cockpit-machines: the plugin
# links to it after Define; cockpit-system: the shell that follows that link.
cockpit_missing () {
  local pair
  for pair in "$COCKPIT_WS:cockpit-ws" "cockpit-bridge:cockpit-bridge" "/usr/bin/chromium:chromium" \
              "node:nodejs" "npm:npm" "curl:curl" \
              "/usr/share/cockpit/machines/manifest.json:cockpit-machines" \
              "/usr/share/cockpit/shell/manifest.json:cockpit-system"; do
    if ! command -v "${pair%%:*}" >/dev/null 2>&1 && [ ! -e "${pair%%:*}" ]; then
      echo "${pair%%:*} is missing; it comes with Debian package ${pair##*:}"
      return 0
    fi
  done
  return 1
}

# playwright-core into the build tree, exactly as the lockfile says; again only when the
# lockfile changed, so later runs need no network. Returns 2 when the npm registry could
# not be reached or not be trusted (no route, no name, a TLS certificate chain this
# root does not trust: a fresh chroot lacks the machine's egress CA), 1 on any other
# failure.
cockpit_node_modules () {
  local lock="$VT_SOURCE_ROOT/tests/cockpit/package-lock.json"
  if cmp -s "$lock" "$COCKPIT_NODE_DIR/installed-lock.json" && [ -d "$COCKPIT_NODE_DIR/node_modules" ]; then
    return 0
  fi
  mkdir -p "$COCKPIT_NODE_DIR"
  cp "$VT_SOURCE_ROOT/tests/cockpit/package.json" "$lock" "$COCKPIT_NODE_DIR/"
  if ! (cd "$COCKPIT_NODE_DIR" && npm ci --no-audit --no-fund >npm.log 2>&1); then
    cat "$COCKPIT_NODE_DIR/npm.log" >&2
    grep -Eq 'code (SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_GET_ISSUER_CERT(_LOCALLY)?|UNABLE_TO_VERIFY_LEAF_SIGNATURE|CERT_HAS_EXPIRED|ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH)' \
      "$COCKPIT_NODE_DIR/npm.log" && return 2
    return 1
  fi
  cp "$lock" "$COCKPIT_NODE_DIR/installed-lock.json"
}

# cockpit_require_node_modules: cockpit_node_modules, or the TAP plan of a skipped test
# naming npm's error when the registry cannot be reached (the only component a test
# cannot install from Debian), or a bail on any other failure.
cockpit_require_node_modules () {
  local status=0
  cockpit_node_modules || status=$?
  case $status in
    0) return 0 ;;
    2) echo "1..0 # SKIP playwright-core cannot be fetched: the npm registry is unreachable" \
            "or not trusted here ($(grep -Eom1 'code [A-Z_]+' "$COCKPIT_NODE_DIR/npm.log"))"
       exit 0 ;;
    *) echo "Bail out! npm ci of tests/cockpit/package-lock.json failed"; exit 1 ;;
  esac
}

# cockpit_install_plugin DESTDIR: `meson install --tags cockpit` into DESTDIR; sets
# COCKPIT_SHARE to the data directory holding cockpit/virtuned.
cockpit_install_plugin () {
  local manifest
  meson install -C "$VT_BUILD_ROOT" --no-rebuild --destdir "$1" --tags cockpit >"$1.log" 2>&1 ||
    { tail -5 "$1.log" >&2; return 1; }
  manifest="$(find "$1" -path '*/cockpit/virtuned/manifest.json' | head -n1)"
  [ -n "$manifest" ] || { echo "meson install put no cockpit/virtuned/manifest.json under $1" >&2; return 1; }
  COCKPIT_SHARE="${manifest%/cockpit/virtuned/manifest.json}"
}

# cockpit_start_ws HOME LOG [COMMAND-PREFIX...]: cockpit-ws on a free loopback port, its
# bridge (started by the prefix, e.g. as another user) seeing DBUS_SYSTEM_BUS_ADDRESS and
# only the packages of COCKPIT_SHARE and Debian's own. Sets COCKPIT_URL once it serves
# the plugin (polled, 30 s deadline). A bridge without a session bus starts a dbus-daemon
# of its own and leaves it behind at exit; the plugin needs none, so without one the bridge
# is pointed at the private system bus for that too.
cockpit_start_ws () {
  local home="$1" log="$2" port deadline
  shift 2
  port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  "$@" env HOME="$home" XDG_DATA_DIRS="$COCKPIT_SHARE:/usr/share" XDG_CONFIG_DIRS="$home/etc" \
    DBUS_SYSTEM_BUS_ADDRESS="$DBUS_SYSTEM_BUS_ADDRESS" \
    DBUS_SESSION_BUS_ADDRESS="${DBUS_SESSION_BUS_ADDRESS:-$DBUS_SYSTEM_BUS_ADDRESS}" \
    "$COCKPIT_WS" --no-tls --port "$port" --address 127.0.0.1 --local-session=cockpit-bridge \
    >"$log" 2>&1 &
  COCKPIT_WS_PID=$!
  COCKPIT_URL="http://127.0.0.1:$port/cockpit/@localhost/virtuned/index.html"
  deadline=$((SECONDS + 30))
  until curl -sf -o /dev/null "$COCKPIT_URL"; do
    kill -0 "$COCKPIT_WS_PID" 2>/dev/null || { echo "cockpit-ws exited: $(cat "$log")" >&2; return 1; }
    [ "$SECONDS" -lt "$deadline" ] || { echo "cockpit-ws did not serve $COCKPIT_URL in 30 s" >&2; return 1; }
    sleep 0.1
  done
}

cockpit_stop_ws () {
  [ -n "$COCKPIT_WS_PID" ] || return 0
  kill -TERM "$COCKPIT_WS_PID" 2>/dev/null
  wait "$COCKPIT_WS_PID" 2>/dev/null
  COCKPIT_WS_PID=""
}

# cockpit_browser PASS-FN FAIL-FN SCRIPT [VAR=VALUE...]: runs a browser script
# (test-*.mjs, with VT_URL and VT_NODE_MODULES set) and calls PASS-FN NAME or FAIL-FN NAME
# DIAGNOSTICS per case; other lines become TAP comments. Fails when the script did not
# print DONE (it crashed or hung half-way).
cockpit_browser () {
  local pass="$1" fail="$2" script="$3" line finished=0 name diag=""
  shift 3
  while IFS= read -r line; do
    case "$line" in
      "PASS "*|"FAIL "*|DONE)
        [ -n "${name:-}" ] && "$fail" "$name" "$diag"
        name=""
        case "$line" in
          "PASS "*) "$pass" "${line#PASS }" ;;
          "FAIL "*) name="${line#FAIL }"; diag="" ;;
          DONE) finished=1 ;;
        esac ;;
      *) if [ -n "${name:-}" ]; then diag+="$line"$'\n'; else echo "# $line"; fi ;;
    esac
  done < <(env "$@" VT_URL="$COCKPIT_URL" VT_NODE_MODULES="$COCKPIT_NODE_DIR/node_modules" \
             node "$VT_SOURCE_ROOT/tests/cockpit/$script" 2>&1)
  [ -n "${name:-}" ] && "$fail" "$name" "$diag"
  [ "$finished" -eq 1 ]
}
