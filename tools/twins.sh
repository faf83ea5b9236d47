#!/bin/bash
# twins.sh — run two copies of build/twin at the same time.
#
#   tools/twins.sh [VALUE1 VALUE2]      (default 111 222; make twins)
#
# Both copies start before either finishes its 300 ms pause, so both are
# alive at once, each with its own value in the variable at the same
# address. Each copy's output goes to its own file and is printed after
# both have ended, first copy first, so the lines never interleave.
# Runs through tools/run-i386 (QEMU= runs natively).
set -eu

KIT=$(cd "$(dirname "$0")/.." && pwd)
A=${1:-111}
B=${2:-222}
if [ ! -x "$KIT/build/twin" ]; then
    echo "$0: build/twin is missing; run make" >&2
    exit 2
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/memkit-twins.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

"$KIT/tools/run-i386" "$KIT/build/twin" "$A" > "$tmp/a" &
first=$!
"$KIT/tools/run-i386" "$KIT/build/twin" "$B" > "$tmp/b" &
second=$!
status=0
wait "$first" || status=1
wait "$second" || status=1
cat "$tmp/a" "$tmp/b"
exit "$status"
