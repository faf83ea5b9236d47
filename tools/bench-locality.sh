#!/bin/sh
# bench-locality.sh — the same sum over an array, row-wise and
# column-wise, counted by callgrind's cache simulation.
#
#   tools/bench-locality.sh        (make bench-locality; needs valgrind)
#
# Runs build/locality rows and build/locality cols natively under
# valgrind --tool=callgrind --cache-sim=yes, counting only the summing
# function (--toggle-collect=sum_rows / sum_cols): instructions, data
# reads, and reads that missed the first-level data cache (D1) and the
# last-level cache (LL). The caches are fixed (D1 32 KiB 8-way, LL 2 MiB
# 16-way, 64-byte lines) rather than this machine's, so the counts are
# the same on every host; the array is 4 MiB, twice the LL.
#
# The numbers are measured, never assumed: a run whose count cannot be
# read is an error (exit 1). Exit 2 when valgrind is missing or the host
# cannot run i386 programs natively. docs/concepts.md, section 18.
set -eu

KIT=$(cd "$(dirname "$0")/.." && pwd)
command -v valgrind >/dev/null 2>&1 ||
    { echo "$0: valgrind is missing (Debian package valgrind)" >&2; exit 2; }
QEMU= "$KIT/tools/run-i386" "$KIT/build/locality" rows >/dev/null 2>&1 ||
    { echo "$0: build/locality does not run natively (needs an x86 host that runs i386 programs)" >&2; exit 2; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/memkit-locality.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

echo "sum of a 1024 x 1024 int array (4 MiB), row by row and column by column"
echo "callgrind ($(valgrind --version)), simulated caches: D1 32 KiB, LL 2 MiB, 64-byte lines"
printf '%-6s %14s %12s %12s %12s\n' order instructions "data reads" "D1 misses" "LL misses"
for order in rows cols; do
    valgrind --tool=callgrind --cache-sim=yes --I1=32768,8,64 \
        --D1=32768,8,64 --LL=2097152,16,64 --toggle-collect="sum_$order" \
        --callgrind-out-file="$tmp/cg" "$KIT/build/locality" "$order" \
        > "$tmp/out" 2> "$tmp/err" ||
        { echo "$0: valgrind failed on locality $order" >&2; cat "$tmp/err" >&2; exit 1; }
    # "Events : Ir Dr Dw I1mr D1mr D1mw ILmr DLmr DLmw", "Collected : ..."
    # (trailing zeros left out): each event's count by its name.
    counts=$(awk '/Events *:/ { sub(/.*Events *: */, ""); n = split($0, ev, " ") }
                  /Collected *:/ { sub(/.*Collected *: */, ""); split($0, v, " ")
                      for (i = 1; i <= n; i++) c[ev[i]] = (v[i] == "" ? 0 : v[i])
                      if (c["Ir"] > 0) print c["Ir"], c["Dr"], c["D1mr"], c["DLmr"] }' "$tmp/err")
    [ -n "$counts" ] || { echo "$0: no counts for locality $order" >&2; cat "$tmp/err" >&2; exit 1; }
    # shellcheck disable=SC2086
    set -- $counts
    printf '%-6s %14s %12s %12s %12s\n' "$order" "$1" "$2" "$3" "$4"
done
