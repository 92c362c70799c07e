#!/bin/bash
# Integration: ListPools and ListNetworks (the pickers' lists), on the private bus with
# libvirt's test driver (test:///default has the pool 'default-pool' and the network
# 'default', both active). "allowed" follows each connection's allowed_pools and
# allowed_networks; an unknown connection, an unknown option and an unreachable host are
# errors naming what is wrong; vscenctl pools/networks print the same rows.
. "$(dirname "$0")/lib.sh"

vt_start_bus || { echo "Bail out! cannot start a private dbus-daemon"; exit 1; }

conf="$VT_TMP/virtuned.conf"
cat >"$conf" <<EOC
[security]
allowed_pools=default-pool
allowed_networks=default

[connection plain]
uri=test:///default

[connection remote]
uri=qemu+tcp://127.0.0.1:1/system
open_timeout=5
EOC

vt_start_daemon inventory --config "$conf" || { echo "Bail out! virtuned did not start"; exit 1; }

# --- listing and the allowed flag -------------------------------------------------------
check "ListPools on the default host: default-pool, active, allowed" \
  expect_contains "$(vt_call ListPools '{}' 2>&1)" "([('default-pool', true, true)],)"
check "ListNetworks on the default host: default, active, allowed" \
  expect_contains "$(vt_call ListNetworks '{}' 2>&1)" "([('default', true, true)],)"
check "connection 'default' named gives the same" \
  expect_contains "$(vt_call ListPools "{'connection': <'default'>}" 2>&1)" \
  "('default-pool', true, true)"
check "a connection without allowed_pools lists the pool as not allowed" \
  expect_contains "$(vt_call ListPools "{'connection': <'plain'>}" 2>&1)" \
  "([('default-pool', true, false)],)"
check "... and the network as not allowed" \
  expect_contains "$(vt_call ListNetworks "{'connection': <'plain'>}" 2>&1)" \
  "([('default', true, false)],)"

# --- bad input --------------------------------------------------------------------------
out="$(vt_call ListPools "{'connection': <'nosuch'>}" 2>&1)"
check "an unknown connection is InvalidArgs naming it and the known ones" \
  expect_contains "$out" "org.freedesktop.DBus.Error.InvalidArgs" \
  "ListPools option 'connection': no connection is named 'nosuch'" \
  "virtuned.conf has: default, plain, remote"
check "ListNetworks names itself in the same error" \
  expect_contains "$(vt_call ListNetworks "{'connection': <'nosuch'>}" 2>&1)" \
  "ListNetworks option 'connection': no connection is named 'nosuch'"
check "a name with control characters is echoed escaped" \
  expect_contains "$(vt_call ListPools "{'connection': <'a\\u001b[2Jb'>}" 2>&1)" \
  "no connection is named 'a\\x1b[2Jb'"
check "a connection that is not a string is InvalidArgs" \
  expect_contains "$(vt_call ListPools "{'connection': <7>}" 2>&1)" \
  "org.freedesktop.DBus.Error.InvalidArgs" "ListPools option 'connection' must be"
out="$(vt_call ListNetworks "{'filter': <'x'>}" 2>&1)"
check "an unknown option is InvalidArgs naming it" \
  expect_contains "$out" "org.freedesktop.DBus.Error.InvalidArgs" "ListNetworks" "filter"
long="$(head -c 5000 /dev/zero | tr '\0' a)"
check "a 5000-byte option is refused by the bound" \
  expect_contains "$(vt_call ListPools "{'connection': <'$long'>}" 2>&1)" \
  "org.freedesktop.DBus.Error.InvalidArgs"
check "ListPools without its options argument is InvalidArgs" \
  expect_contains "$(vt_call ListPools 2>&1)" "InvalidArgs"
out="$(vt_call ListPools "{'connection': <'remote'>}" 2>&1)"
check "an unreachable host is a Libvirt error naming the connection" \
  expect_contains "$out" "org.virtscenario.Error.Libvirt" "connection 'remote'"
check "... and the daemon still answers for the others" \
  expect_contains "$(vt_call ListNetworks '{}' 2>&1)" "('default', true, true)"

# --- vscenctl ---------------------------------------------------------------------------
out="$(vscenctl pools 2>&1)"
check "vscenctl pools prints the table" expect_contains "$out" "NAME" "ALLOWED" "default-pool"
out="$(vscenctl --connection plain --json networks 2>&1)"
check "vscenctl --connection plain --json networks is JSON" is_json <<<"$out"
check "... with the network not allowed" \
  expect_contains "$out" '"name": "default"' '"allowed": false'
check "vscenctl pools with an argument is a usage error" \
  expect_status 2 vscenctl pools extra
check "vscenctl --connection nosuch networks fails naming it" \
  expect_contains "$(vscenctl --connection nosuch networks 2>&1)" "no connection is named 'nosuch'"
check_stop "the daemon stops cleanly"

tap_done
