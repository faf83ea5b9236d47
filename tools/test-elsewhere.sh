#!/bin/sh
# test-elsewhere.sh — run the suite from a copy of the kit in a path with a
# space, started with `make -C` from another directory: the two ways a
# checkout differs from the one the kit was written in.
#
#   tools/test-elsewhere.sh            copy to $TMPDIR/memkit.XXXXXX/with space/memkit
#
# Copies the files git tracks (or, outside git, everything but build/),
# runs `make -C COPY test` from /, prints the suite's summary line and
# exits with its status. The copy is removed afterwards. Run it as a user
# without root or sudo too: the suite must pass the same way.
set -eu

src=$(cd "$(dirname "$0")/.." && pwd)
top=$(mktemp -d "${TMPDIR:-/tmp}/memkit.XXXXXX")
trap 'rm -rf "$top"' EXIT
dest="$top/with space/memkit"
mkdir -p "$dest"

if git -C "$src" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    git -C "$src" ls-files -z | tar -C "$src" --null -T - -cf - |
        tar -C "$dest" -xf -
else
    (cd "$src" && tar cf - --exclude=./build .) | (cd "$dest" && tar xf -)
fi

echo "test-elsewhere: make -C '$dest' test (from /)"
cd /
status=0
make -C "$dest" test || status=$?
exit "$status"
