#!/bin/sh
# Builds the description-parser fuzzer with clang (libFuzzer + AddressSanitizer) and runs
# it for N seconds.   usage: tests/fuzz/run-fuzzer.sh [SECONDS] [BUILDDIR]
#
# New interesting inputs go to BUILDDIR/fuzz-corpus (the committed seeds in
# tests/fuzz/corpus are only read); a crash is saved as BUILDDIR/crash-* — add it to
# tests/fuzz/corpus once fixed so the unit suite replays it forever.
set -eu

seconds=${1:-60}
srcdir=$(cd "$(dirname "$0")/../.." && pwd)
builddir=${2:-$srcdir/build-fuzz}

command -v clang >/dev/null || { echo "run-fuzzer.sh: clang is needed (apt-get install clang)" >&2; exit 1; }

if [ ! -f "$builddir/build.ninja" ]; then
  # werror off: a clang-only warning elsewhere in the tree must not block fuzzing.
  CC=clang meson setup "$builddir" "$srcdir" -Dfuzzing=true -Dwerror=false \
    -Db_sanitize=address -Db_lundef=false -Dc_args=-fsanitize=fuzzer-no-link
fi
ninja -C "$builddir" tests/fuzz/fuzz-description

mkdir -p "$builddir/fuzz-corpus"
exec "$builddir/tests/fuzz/fuzz-description" \
  -max_total_time="$seconds" -max_len=8192 -timeout=10 -print_final_stats=1 \
  -dict="$srcdir/tests/fuzz/description.dict" \
  -artifact_prefix="$builddir/" \
  "$builddir/fuzz-corpus" "$srcdir/tests/fuzz/corpus"
