#!/bin/bash
# seg-callgrind.sh — instructions per allocate and per deallocate of
# segfit, buddy and bitmap at 1000 and 16000 live blocks.
#
#   make bench-seg          (builds the three, then runs this)
#   tools/seg-callgrind.sh  the same, if they are built
#
# Workload: build/alloc/NAME/alloc-seg-test --bench N (c-harness/
# alloc-seg-test.c): N live blocks of 1..256 random bytes, then 10000
# pairs of deallocate(a random one) + allocate(1..256 bytes). callgrind
# collects only inside seg_bench() (--toggle-collect); the table gives
# allocate's and deallocate's inclusive instruction counts (Ir) divided
# by their 10000 calls each, the payload bytes live at the end (live),
# the heap's size then (heap) and live / heap (use). A zero count fails
# loudly: it means the toggle found no symbol. Needs an x86 host (callgrind runs the i386
# binary natively). Writes build/bench-seg/results.md and prints it.
set -eu

cd "$(dirname "$0")/.."
OUT=build/bench-seg
CALLS=10000
case "$(uname -m)" in
x86_64|i?86) ;;
*)  echo "bench-seg: callgrind needs an x86 host; this is $(uname -m)"
    exit 0 ;;
esac
command -v valgrind >/dev/null && command -v callgrind_annotate >/dev/null || {
    echo "bench-seg: valgrind (callgrind) is missing; run 'make deps'" >&2
    exit 1
}
mkdir -p "$OUT"

# ir FILE FUNCTION — FUNCTION's inclusive Ir in callgrind FILE.
ir() {
    callgrind_annotate --inclusive=yes --threshold=100 "$1" 2>/dev/null |
        sed -n "s/^ *\([0-9,]*\) ([^)]*)  [^ ]*:$2 \[.*/\1/p" |
        head -n 1 | tr -d ,
}

# per COUNT — COUNT / CALLS with one decimal.
per() { awk -v n="$1" -v c="$CALLS" 'BEGIN { printf "%.1f", n / c }'; }

{
    echo "| allocator | blocks | live | heap | use | allocate | deallocate |"
    echo "|---|---:|---:|---:|---:|---:|---:|"
    for a in segfit buddy bitmap; do
        bin="build/alloc/$a/alloc-seg-test"
        [ -x "$bin" ] || { echo "bench-seg: $bin is missing; run make" >&2; exit 1; }
        for n in 1000 16000; do
            f="$OUT/callgrind.$a.$n.out"
            timeout --kill-after=5 "${MEMKIT_BENCH_TIMEOUT:-600}" \
                valgrind --tool=callgrind --callgrind-out-file="$f" \
                --toggle-collect=seg_bench "$bin" --bench "$n" \
                > "$OUT/$a.$n.log" 2>&1 || {
                echo "bench-seg: $bin --bench $n failed; see $OUT/$a.$n.log" >&2
                exit 1
            }
            al=$(ir "$f" allocate)
            de=$(ir "$f" deallocate)
            if [ -z "$al" ] || [ -z "$de" ] || [ "$al" -eq 0 ] || [ "$de" -eq 0 ]; then
                echo "bench-seg: callgrind counted nothing for $a (see $f)" >&2
                exit 1
            fi
            live=$(sed -n 's/.*, live \([0-9]*\) bytes, .*/\1/p' "$OUT/$a.$n.log")
            heap=$(sed -n 's/.*heap \([0-9]*\) bytes$/\1/p' "$OUT/$a.$n.log")
            util=$(awk -v l="$live" -v h="$heap" 'BEGIN { printf "%.0f%%", 100 * l / h }')
            echo "| $a | $n | $live | $heap | $util | $(per "$al") | $(per "$de") |"
        done
    done
} > "$OUT/results.md.tmp"
mv "$OUT/results.md.tmp" "$OUT/results.md"
cat "$OUT/results.md"
