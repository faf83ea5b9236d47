#!/bin/bash
# seg-bench.sh — instructions per allocate and per deallocate of
# segfit, buddy, bitmap and tlsf at 1000 and 16000 live blocks.
#
#   make bench-seg          (builds the four, then runs this)
#   tools/seg-bench.sh      the same, if they are built
#
# Workload: build/alloc/NAME/alloc-test --bench N (c-harness/
# contract/modes.c): N live blocks of 1..256 random bytes, then 10000
# pairs of deallocate(a random one) + allocate(1..256 bytes). Only what
# runs inside seg_bench() is counted (tools/icount --window seg_bench, on
# any host); the table gives allocate's and deallocate's inclusive
# instruction counts (--func: each call and what it calls) divided by
# their 10000 calls each, the payload bytes live at the end (live), the
# heap's size then (heap) and live / heap (use). A count that cannot be
# made stops the table with tools/icount's reason. Writes
# build/bench-seg/results.md and prints it.
set -eu

cd "$(dirname "$0")/.."
OUT=build/bench-seg
CALLS=10000
mkdir -p "$OUT"

# per COUNT — COUNT / CALLS with one decimal.
per() { awk -v n="$1" -v c="$CALLS" 'BEGIN { printf "%.1f", n / c }'; }

{
    echo "| allocator | blocks | live | heap | use | allocate | deallocate |"
    echo "|---|---:|---:|---:|---:|---:|---:|"
    for a in segfit buddy bitmap tlsf; do
        bin="build/alloc/$a/alloc-test"
        [ -x "$bin" ] || { echo "bench-seg: $bin is missing; run make" >&2; exit 1; }
        for n in 1000 16000; do
            f="$OUT/$a.$n.counts"
            tools/icount --window seg_bench --func allocate --func deallocate \
                --counts "$f" --timeout "${MEMKIT_BENCH_TIMEOUT:-600}" \
                "$bin" --bench "$n" > "$OUT/$a.$n.log" 2>&1 || {
                echo "bench-seg: no count for $bin --bench $n:" \
                     "$(grep -m 1 '^icount: ' "$OUT/$a.$n.log") (see $OUT/$a.$n.log)" >&2
                exit 1
            }
            al=$(awk '$1 == "func" && $2 == "allocate" { print $4 }' "$f")
            de=$(awk '$1 == "func" && $2 == "deallocate" { print $4 }' "$f")
            live=$(sed -n 's/.*, live \([0-9]*\) bytes, .*/\1/p' "$OUT/$a.$n.log")
            heap=$(sed -n 's/.*heap \([0-9]*\) bytes$/\1/p' "$OUT/$a.$n.log")
            util=$(awk -v l="$live" -v h="$heap" 'BEGIN { printf "%.0f%%", 100 * l / h }')
            echo "| $a | $n | $live | $heap | $util | $(per "$al") | $(per "$de") |"
        done
    done
} > "$OUT/results.md.tmp"
mv "$OUT/results.md.tmp" "$OUT/results.md"
cat "$OUT/results.md"
