#!/bin/bash
# bench.sh — measure the chapter's allocator (asm/alloc.s), counting its
# instructions with tools/icount (qemu-i386 and the kit's plugin).
#
#   make bench              (builds build/alloc-bench, then runs this)
#   tools/bench.sh          the same, if build/alloc-bench exists
#
# Prints instruction counts (Ir: instructions executed, exact, which do
# not depend on the machine's speed or load) for the costs the chapter
# names: allocate's linear search, deallocate's constant work, one brk
# system call per growth, and the bytes lost to no split / no coalesce.
# Each workload is a mode of build/alloc-bench (c-harness/alloc-bench.c);
# only the call(s) inside its bench_measure() are counted (the window of
# tools/icount --window bench_measure), so setting up N blocks is not in
# the numbers, and of those only the instructions of allocate or of
# deallocate themselves (--code).
#
# Results, the counts and a gnuplot chart go to build/bench/ (or
# MEMKIT_BENCH_OUT; MEMKIT_BENCH_NS="10 100 ..." changes the first
# table's N, for the tests). Runs on any host: every i386 instruction is
# counted under qemu-i386.
set -eu

cd "$(dirname "$0")/.."
BIN=build/alloc-bench
OUT=${MEMKIT_BENCH_OUT:-build/bench}
NS=${MEMKIT_BENCH_NS:-10 100 1000 10000}

if ! command -v qemu-i386 >/dev/null; then
    echo "bench: qemu-i386 is missing; run 'make deps-bench' first" >&2
    exit 1
fi
if [ ! -x "$BIN" ]; then
    echo "bench: $BIN is missing; run 'make bench'" >&2
    exit 1
fi
mkdir -p "$OUT"

# Every run is bounded (MEMKIT_BENCH_TIMEOUT seconds each, default 120),
# so an allocator variant that loops fails the benchmark instead of
# hanging it.
LIMIT=${MEMKIT_BENCH_TIMEOUT:-120}
bounded() { timeout --kill-after=5 "$LIMIT" "$@"; }

# measure NAME FUNC ARGS... — run alloc-bench ARGS under tools/icount; set
# IR (the instructions of FUNC, allocate or deallocate, inside
# bench_measure) and SYS (brk calls made inside bench_measure). A count
# that cannot be made stops the benchmark with tools/icount's reason.
measure() {
    local name=$1 func=$2
    shift 2
    if ! tools/icount --window bench_measure --code "$func" \
            --counts "$OUT/$name.counts" --timeout "$LIMIT" \
            "$BIN" "$@" > "$OUT/$name.log" 2>&1; then
        echo "bench: no count for $BIN $*: $(grep -m 1 '^icount: ' "$OUT/$name.log")" \
             "(see $OUT/$name.log)" >&2
        exit 1
    fi
    IR=$(awk '$1 == "code" { print $2 }' "$OUT/$name.counts")
    # brk calls between the two getpid() marks around bench_measure, in a
    # real system call trace.
    SYS=$(bounded qemu-i386 -strace "$BIN" "$@" 2>&1 >/dev/null |
          awk '/ getpid\(/ { mark++ } mark == 1 && / brk\(/ { n++ }
               END { print n + 0 }')
}

echo "memkit allocator benchmark: asm/alloc.s, counted by tools/icount"
echo "($(qemu-i386 --version | sed -n '1s/ version / /p') with plugin/icount.c;"
echo " user-mode instructions executed, set-up excluded;"
echo " the kernel's own work for a brk is not in these counts)"
echo

echo "allocate and deallocate with N used blocks in the heap (16 bytes each)"
printf '%8s  %18s  %22s  %12s  %10s\n' "N" "allocate, reuse" "allocate, grow" \
    "brk calls" "deallocate"
printf '%8s  %18s  %22s  %12s\n' "" "(walks N blocks)" "(walks N, then brk)" \
    "(in grow)"
: > "$OUT/allocate.dat"
for n in $NS; do
    measure "search-$n" allocate search "$n";  reuse=$IR; reuse_sys=$SYS
    measure "grow-$n" allocate grow "$n";      grow=$IR;  grow_sys=$SYS
    measure "free-$n" deallocate free "$n";    free=$IR
    if [ "$reuse_sys" -ne 0 ] || [ "$grow_sys" -ne 1 ]; then
        echo "bench: expected 0 brk calls on reuse and 1 on growth," \
             "got $reuse_sys and $grow_sys (N=$n)" >&2
        exit 1
    fi
    printf '%8d  %18d  %22d  %12d  %10d\n' "$n" "$reuse" "$grow" "$grow_sys" "$free"
    echo "$n $reuse $grow $free" >> "$OUT/allocate.dat"
done
echo

echo "growing from an empty heap: N calls to allocate(16), each needing new memory"
printf '%8s  %10s  %14s  %16s\n' "N" "brk calls" "allocate Ir" "Ir per allocate"
for n in 10 100 1000; do
    measure "growth-$n" allocate growth "$n"
    printf '%8d  %10d  %14d  %16d\n' "$n" "$SYS" "$IR" "$((IR / n))"
done
echo

echo "bytes: what was asked for vs what the heap holds (no split, no coalesce)"
bounded tools/run-i386 "$BIN" frag > "$OUT/frag.txt" || {
    echo "bench: $BIN frag failed (see $OUT/frag.txt)" >&2
    exit 1
}
cat "$OUT/frag.txt"

if command -v gnuplot >/dev/null; then
    gnuplot <<EOF 2>/dev/null && echo && echo "chart: $OUT/allocate.png"
set terminal pngcairo size 720,480
set output "$OUT/allocate.png"
set title "asm/alloc.s: instructions per call vs used blocks (tools/icount)"
set logscale xy
set xlabel "used blocks in the heap (N)"
set ylabel "instructions (Ir)"
set key top left
plot "$OUT/allocate.dat" using 1:2 with linespoints title "allocate, reuse (walks N)", \
     "$OUT/allocate.dat" using 1:3 with linespoints title "allocate, grow (walks N + brk)", \
     "$OUT/allocate.dat" using 1:4 with linespoints title "deallocate"
EOF
fi
