#!/bin/sh
# run-tests.sh [BATS-OPTIONS] [FILES...] — what `make test` runs.
#
# Runs the bats suite (every tests/*.bats unless FILES are given) with TAP
# output, passes it through as it arrives, and closes with one line:
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

{ bats --formatter tap "$@"; echo $? > "$status"; } | tee "$log"

rc=$(cat "$status")
passed=$(grep -c '^ok ' "$log" | head -1)
skipped=$(grep -c '^ok .* # skip' "$log" | head -1)
failed=$(grep -c '^not ok ' "$log" | head -1)
echo "$((passed - skipped)) passed, $failed failed, $skipped skipped"
exit "$rc"
