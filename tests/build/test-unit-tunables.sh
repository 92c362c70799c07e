#!/bin/bash
# Build check (issue 14): the glibc tunables the shipped virtuned.service sets (README
# "Performance") are ones this glibc knows and takes. glibc ignores a misspelt or
# out-of-range tunable without a word, so the dynamic loader of the daemon's own binary
# is asked to list what it would apply.
set -u
: "${VT_BUILD_ROOT:?}"
n=0 failed=0
check () {
  local what=$1
  shift
  n=$((n + 1))
  if "$@"; then echo "ok $n - $what"; else echo "not ok $n - $what"; failed=$((failed + 1)); fi
}
command -v readelf >/dev/null || { echo "Bail out! readelf is missing: install Debian package binutils"; exit 1; }

unit="$VT_BUILD_ROOT/systemd/virtuned.service"
tunables=$(sed -n 's/^Environment=GLIBC_TUNABLES=//p' "$unit")
loader=$(readelf -l "$VT_BUILD_ROOT/daemon/virtuned" |
  sed -n 's/.*Requesting program interpreter: \(.*\)\]/\1/p')
echo "# unit: GLIBC_TUNABLES=$tunables; loader: $loader"
check "the unit sets GLIBC_TUNABLES" test -n "$tunables"
check "the daemon's dynamic loader lists tunables" test -x "$loader"

# applied NAME VALUE: the loader, given the unit's setting, reports NAME at VALUE (it
# prints numbers in hex), and without it at something else.
applied () {
  local want
  want=$(printf '0x%x' "$2")
  GLIBC_TUNABLES=$tunables "$loader" --list-tunables | grep -qx "$1: $want (.*)" &&
    ! "$loader" --list-tunables | grep -qx "$1: $want (.*)"
}
IFS=: read -ra settings <<<"$tunables"
for setting in "${settings[@]}"; do
  check "glibc applies $setting, which is not its default" applied "${setting%%=*}" "${setting#*=}"
done
echo "1..$n"
[ "$failed" -eq 0 ]
