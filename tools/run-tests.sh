#!/bin/sh
# run-tests.sh [BATS-OPTIONS] [FILES...] — what `make test` runs.
#
# Runs the bats suite (every tests/*.bats unless FILES are given) with TAP
# output, passes it through as it arrives, and closes with two lines: how
# long it took (wall clock, and how many bats jobs ran side by side), then
#
#   N passed, N failed, N skipped
#
# Exit status: bats's own (non-zero when any test failed or bats could not
# run at all).
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
log=$(mktemp)
status=$(mktemp)
trap 'rm -f "$log" "$status"' EXIT

case " $* " in
    *.bats*) ;;
    *) set -- "$@" "$root/tests" ;;
esac

# The files run side by side, one per core (MEMKIT_TEST_JOBS overrides;
# 1 runs them one after another); the tests of one file always run in
# order, as they were written: some build into the same directory. bats
# needs GNU parallel for this, which tools/bootstrap.sh installs with the
# test group; without it the suite simply runs serially.
jobs=${MEMKIT_TEST_JOBS:-$(nproc 2>/dev/null || echo 1)}
if [ "$jobs" -gt 1 ] && command -v parallel >/dev/null 2>&1; then
    set -- --jobs "$jobs" --no-parallelize-within-files "$@"
fi

start=$(date +%s)
{ bats --formatter tap "$@"; echo $? > "$status"; } | tee "$log"
secs=$(( $(date +%s) - start ))

rc=$(cat "$status")
passed=$(grep -c '^ok ' "$log" | head -1)
skipped=$(grep -c '^ok .* # skip' "$log" | head -1)
failed=$(grep -c '^not ok ' "$log" | head -1)
ran=1
case " $* " in *" --jobs "*) ran=$jobs ;; esac
echo "time: $((secs / 60)) min $((secs % 60)) s, $ran job(s)"
echo "$((passed - skipped)) passed, $failed failed, $skipped skipped"
exit "$rc"
