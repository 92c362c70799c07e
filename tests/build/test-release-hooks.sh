#!/bin/bash
# The daemon's test hooks exist only in a build configured with -Dtest_hooks=true: this
# configures a default (release) build of the same sources in a scratch directory and
# checks that its daemon neither reads nor names the hook variables, while the build
# under test (scripts/check's, configured with the hooks) does.
set -uo pipefail
: "${VT_SOURCE_ROOT:?run through meson test}"
: "${VT_BUILD_ROOT:?run through meson test}"

hooks=(VIRTUNED_TEST_CRASH_AFTER_WRITES VIRTUNED_TEST_LOCK_FIFOS)
scratch=$(mktemp -d "${TMPDIR:-/tmp}/vt-release.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
n=0
failed=0

tap () {   # tap DESCRIPTION COMMAND...
  local what=$1
  shift
  n=$((n + 1))
  if "$@"; then echo "ok $n - $what"; else echo "not ok $n - $what"; failed=1; fi
}

names_in () { strings "$1" | grep -c -E "$(IFS='|'; echo "${hooks[*]}")"; }

has_hooks () { [ "$(names_in "$1")" -eq "${#hooks[@]}" ]; }
has_no_hooks () { [ "$(names_in "$1")" -eq 0 ]; }

build_release () {
  meson setup "$scratch/build" "$VT_SOURCE_ROOT" --buildtype=release >"$scratch/setup.log" 2>&1 &&
    ninja -C "$scratch/build" daemon/virtuned >"$scratch/ninja.log" 2>&1 ||
    { sed 's/^/# /' "$scratch/setup.log" "$scratch/ninja.log" 2>/dev/null | tail -20; return 1; }
}

if grep -q '#define VT_TEST_HOOKS 1' "$VT_BUILD_ROOT/vt-config.h"; then
  tap "the build under test (-Dtest_hooks=true) names both hooks" \
    has_hooks "$VT_BUILD_ROOT/daemon/virtuned"
else
  tap "the build under test has no hooks either" has_no_hooks "$VT_BUILD_ROOT/daemon/virtuned"
fi
tap "a default release build compiles without the hooks" build_release
tap "its daemon names neither hook variable" has_no_hooks "$scratch/build/daemon/virtuned"
echo "1..$n"
exit "$failed"
