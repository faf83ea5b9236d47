#!/bin/bash
# handout-test.sh TARBALL — what `make handout-test` runs: the students'
# kit checked as a student gets it. Unpacks TARBALL in a fresh folder
# (no git, no build/), runs its README's two commands, make demo and
# make test, and prints the test summary. Minutes, not seconds:
# tests/course.bats runs a part of this on every make test.
#
# Exit status: make test's (0 when nothing failed).
set -eu
tarball=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
dir=$(mktemp -d "${TMPDIR:-/tmp}/memkit handout.XXXXXX")
trap 'rm -rf "$dir"' EXIT
tar -C "$dir" -xzf "$tarball"
cd "$dir/memkit-handout"
# The caller's make (ALLOC=..., -j) must not reach the handout's.
unset MAKEFLAGS MAKELEVEL MFLAGS ALLOC
echo "handout-test: make demo in $dir/memkit-handout"
make demo > demo.log 2>&1 || { tail -20 demo.log; echo "handout-test: make demo failed"; exit 1; }
echo "handout-test: make demo passed"
echo "handout-test: make test"
set +e
make test > test.log 2>&1
rc=$?
set -e
grep -A12 '^not ok ' test.log || true
grep -c '# skip withheld from the handout' test.log | sed 's/^/handout-test: tests skipped as withheld: /'
tail -1 test.log
exit "$rc"
