#!/bin/bash
# bench.sh — measure the chapter's allocator (asm/alloc.s) with callgrind.
#
#   make bench              (builds build/alloc-bench, then runs this)
#   tools/bench.sh          the same, if build/alloc-bench exists
#
# Prints instruction counts (callgrind's Ir: instructions executed, which
# do not depend on the machine's speed or load) for the costs the chapter
# names: allocate's linear search, deallocate's constant work, one brk
# system call per growth, and the bytes lost to no split / no coalesce.
# Each workload is a mode of build/alloc-bench (c-harness/alloc-bench.c);
# only the call(s) inside its bench_measure() are counted
# (--toggle-collect), so setting up N blocks is not in the numbers.
#
# Results, callgrind's files and a gnuplot chart go to build/bench/.
# callgrind runs the i386 binary natively, so this needs an x86 host.
set -eu

cd "$(dirname "$0")/.."
BIN=build/alloc-bench
OUT=build/bench
NS="10 100 1000 10000"

case "$(uname -m)" in
x86_64|i?86) ;;
*)  echo "bench: callgrind runs the i386 binary natively, which needs an x86 host"
    echo "bench: this host is $(uname -m); nothing measured"
    exit 0 ;;
esac
if ! command -v valgrind >/dev/null || ! command -v callgrind_annotate >/dev/null; then
    echo "bench: valgrind (callgrind) is missing; run 'make deps' first" >&2
    exit 1
fi
if ! command -v qemu-i386 >/dev/null; then
    echo "bench: qemu-i386 (used to count brk calls) is missing; run 'make deps' first" >&2
    exit 1
fi
if [ ! -x "$BIN" ]; then
    echo "bench: $BIN is missing; run 'make bench'" >&2
    exit 1
fi
mkdir -p "$OUT"

# Every run is bounded (MEMKIT_BENCH_TIMEOUT seconds each, default 120; the
# slowest, search 10000 under callgrind, takes about 6 s), so an allocator
# variant that loops fails the benchmark instead of hanging it.
bounded() { timeout --kill-after=5 "${MEMKIT_BENCH_TIMEOUT:-120}" "$@"; }

# measure NAME ARGS... — run alloc-bench ARGS under callgrind; set IR_alloc,
# IR_dealloc (instructions in allocate / deallocate, which call nothing)
# and SYS (brk calls made inside bench_measure).
measure() {
    local name=$1 file="$OUT/callgrind.$1.out"
    shift
    if ! bounded valgrind --tool=callgrind --callgrind-out-file="$file" \
            --toggle-collect=bench_measure \
            "$BIN" "$@" > "$OUT/$name.log" 2>&1; then
        echo "bench: $BIN $* failed under callgrind; see $OUT/$name.log" >&2
        exit 1
    fi
    # brk calls between the two getpid() marks around bench_measure, in a
    # real system call trace. (callgrind's own sysCount is not reliable
    # with --toggle-collect: it also counts some calls made outside.)
    SYS=$(bounded qemu-i386 -strace "$BIN" "$@" 2>&1 >/dev/null |
          awk '/ getpid\(/ { mark++ } mark == 1 && / brk\(/ { n++ }
               END { print n + 0 }')
    # callgrind_annotate lines: "Ir (pct)  file:function [object]".
    read -r IR_alloc IR_dealloc < <(
        callgrind_annotate --auto=no --threshold=100 "$file" | awk '
            function count(s) { gsub(",", "", s); return s == "." ? 0 : s }
            /:allocate / || /:deallocate / {
                n = 0
                for (i = 1; i <= NF; i++) if ($i !~ /^\(/) v[++n] = $i
                if ($0 ~ /:allocate /) a = count(v[1]); else d = count(v[1])
            }
            END { print a + 0, d + 0 }')
}

echo "memkit allocator benchmark: asm/alloc.s, measured with callgrind"
echo "($(valgrind --version); user-mode instructions executed, set-up excluded;"
echo " the kernel's own work for a brk is not in these counts)"
echo

echo "allocate and deallocate with N used blocks in the heap (16 bytes each)"
printf '%8s  %18s  %22s  %12s  %10s\n' "N" "allocate, reuse" "allocate, grow" \
    "brk calls" "deallocate"
printf '%8s  %18s  %22s  %12s\n' "" "(walks N blocks)" "(walks N, then brk)" \
    "(in grow)"
: > "$OUT/allocate.dat"
for n in $NS; do
    measure "search-$n" search "$n";  reuse=$IR_alloc; reuse_sys=$SYS
    measure "grow-$n" grow "$n";      grow=$IR_alloc;  grow_sys=$SYS
    measure "free-$n" free "$n";      free=$IR_dealloc
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
    measure "growth-$n" growth "$n"
    printf '%8d  %10d  %14d  %16d\n' "$n" "$SYS" "$IR_alloc" "$((IR_alloc / n))"
done
echo

echo "bytes: what was asked for vs what the heap holds (no split, no coalesce)"
bounded "$BIN" frag | tee "$OUT/frag.txt"

if command -v gnuplot >/dev/null; then
    gnuplot <<EOF 2>/dev/null && echo && echo "chart: $OUT/allocate.png"
set terminal pngcairo size 720,480
set output "$OUT/allocate.png"
set title "asm/alloc.s: instructions per call vs used blocks (callgrind)"
set logscale xy
set xlabel "used blocks in the heap (N)"
set ylabel "instructions (Ir)"
set key top left
plot "$OUT/allocate.dat" using 1:2 with linespoints title "allocate, reuse (walks N)", \
     "$OUT/allocate.dat" using 1:3 with linespoints title "allocate, grow (walks N + brk)", \
     "$OUT/allocate.dat" using 1:4 with linespoints title "deallocate"
EOF
fi
