#!/bin/bash
# bench-all.sh — every allocator, and the C library's malloc, over every
# kit trace: what `make bench` measures (docs/allocators.md).
#
#   tools/bench-all.sh [OUTDIR]      (default build/bench; run `make` first)
#
# The allocators: the reference (build/trace-driver), each kit allocator
# asm/allocators/NAME.s (build/alloc/NAME/trace-driver) and glibc
# (build/glibc/trace-driver, c-harness/glibc-shim.c). The traces: the
# kit's set tests/traces/*.rep and the scaling series tests/traces/scale/.
#
# Two numbers per allocator and trace, each from its own run:
#   - utilization (peak live payload / heap high-water) and brk calls from
#     the checked replay (trace-driver TRACE..., under tools/run-i386): an
#     allocator that fails a check gets no numbers, only FAIL;
#   - instructions per operation: callgrind's count inside bench_replay
#     (the trace's calls and nothing else; trace-driver --bench), less
#     bench_replay's own instructions (its loop, the same for every
#     allocator), divided by the trace's operations: what the allocator's
#     calls cost. Counted instructions do not depend on the machine's
#     speed or load, so two runs give the same numbers.
# A count of 0 means callgrind did not see bench_replay (it lost the
# binary's symbols): the benchmark stops with an error instead of
# reporting it.
#
# Writes OUTDIR/results.md (the tables), OUTDIR/*.dat (the data) and the
# charts OUTDIR/{util,instr,scale}.{png,svg} (gnuplot), prints the tables
# and segfit's three targets, each MET or MISSED with its numbers.
# BENCH_JOBS callgrind runs at a time (default: the number of cores).
set -eu

cd "$(dirname "$0")/.."
root=$PWD
OUT=${1:-build/bench}
case "$(uname -m)" in
x86_64|i?86) ;;
*)  echo "bench-all: callgrind runs the i386 drivers natively, which needs" \
         "an x86 host; nothing measured"
    exit 0 ;;
esac
for tool in valgrind gnuplot; do
    if ! command -v "$tool" >/dev/null; then
        echo "bench-all: $tool is missing (make deps-bench installs it)" >&2
        exit 1
    fi
done

# name:driver, the reference first and glibc last. BENCH_ALLOCS="ref
# segfit ..." measures only those.
all_allocs=("ref:build/trace-driver")
for f in asm/allocators/*.s; do
    n=$(basename "$f" .s)
    all_allocs+=("$n:build/alloc/$n/trace-driver")
done
[ ! -x build/glibc/trace-driver ] || all_allocs+=("glibc:build/glibc/trace-driver")
allocs=()
for a in "${all_allocs[@]}"; do
    case " ${BENCH_ALLOCS:-${a%%:*}} " in
    *" ${a%%:*} "*) allocs+=("$a") ;;
    esac
done
if [ ${#allocs[@]} -eq 0 ]; then
    echo "bench-all: BENCH_ALLOCS names no allocator the kit has" >&2
    exit 2
fi
main_traces=(tests/traces/*.rep)
scale_traces=()
for n in 1 2 4 8 16; do scale_traces+=("tests/traces/scale/scale-${n}k.rep"); done
traces=("${main_traces[@]}" "${scale_traces[@]}")

for a in "${allocs[@]}"; do
    if [ ! -x "${a#*:}" ]; then
        echo "bench-all: ${a#*:} is missing: run make first" >&2
        exit 1
    fi
done
rm -rf "$OUT/cg"
mkdir -p "$OUT/cg"

# ---------------------------------------------- the callgrind counts
echo "bench-all: callgrind, $(( ${#allocs[@]} * ${#traces[@]} )) runs"
count_one() {               # count_one NAME DRIVER TRACE
    local name=$1 driver=$2 trace=$3 out n self
    out=$OUT/cg/$name.$(basename "$trace" .rep)
    if ! valgrind --tool=callgrind --callgrind-out-file="$out.callgrind" \
            --toggle-collect=bench_replay "$driver" --bench "$trace" \
            > "$out.log" 2>&1; then
        echo "FAIL" > "$out.ir"
        return 0
    fi
    n=$(sed -n 's/^==[0-9]*== Collected : \([0-9]*\)$/\1/p' "$out.log")
    # The loop's own instructions (bench_replay's self cost, the same
    # few per operation for every allocator) are not the allocator's.
    self=$(callgrind_annotate --threshold=100 "$out.callgrind" 2>/dev/null |
           awk '/:bench_replay / { gsub(",", "", $1); print $1; exit }')
    if [ -z "$n" ] || [ "$n" -eq 0 ] || [ -z "$self" ]; then
        echo 0 > "$out.ir"
    else
        echo "$((n - self))" > "$out.ir"
    fi
}
export -f count_one
export OUT
for a in "${allocs[@]}"; do
    for t in "${traces[@]}"; do
        printf '%s\0%s\0%s\0' "${a%%:*}" "${a#*:}" "$t"
    done
done | xargs -0 -n 3 -P "${BENCH_JOBS:-$(nproc)}" bash -c 'count_one "$@"' _

# A zero count stops the benchmark: never a table with a 0 in it.
zero=0
for f in "$OUT"/cg/*.ir; do
    if [ "$(cat "$f")" = 0 ]; then
        echo "bench-all: no instruction count for bench_replay ($f):" \
             "callgrind counted 0 or did not name the function, e.g. it" \
             "lost the symbols of a static i386 binary without .data; see" \
             "${f%.ir}.log and ${f%.ir}.callgrind" >&2
        zero=1
    fi
done
[ "$zero" -eq 0 ] || exit 1

# ------------------------------------------------ the checked replays
# One run per allocator over every trace; its summary table gives, per
# trace: ops peak heap util brk.
echo "bench-all: checked replays of ${#traces[@]} traces, ${#allocs[@]} allocators"
for a in "${allocs[@]}"; do
    name=${a%%:*}
    MEMKIT_TIMEOUT=600 tools/run-i386 "${a#*:}" "${traces[@]}" \
        > "$OUT/cg/$name.check" 2>&1 || true
done

# util NAME TRACE — "util brk" of that replay, or "FAIL".
util() {
    local t
    t=$(basename "$2")
    awk -v t="$t" '$1 == t && NF == 6 { sub("%", "", $5); print $5, $6; f = 1 }
                   END { if (!f) print "FAIL" }' "$OUT/cg/$1.check"
}

# ir NAME TRACE — instructions per operation (rounded), or FAIL.
ir() {
    local n ops
    n=$(cat "$OUT/cg/$1.$(basename "$2" .rep).ir")
    if [ "$n" = FAIL ]; then echo FAIL; return 0; fi
    ops=$(sed -n 3p "$2")
    echo $(( (n + ops / 2) / ops ))
}

# ------------------------------------------------------- the tables
res=$OUT/results.md
{
    echo "# make bench: $(date -u +%Y-%m-%d), $(uname -m), valgrind $(valgrind --version | sed 's/valgrind-//')"
    echo
    echo "Utilization = peak live payload / heap high-water (break moved);"
    echo "fragmentation = 1 - utilization; instr/op = callgrind's count of"
    echo "the allocator's calls (bench_replay less its own loop) / operations;"
    echo "brk = calls that moved the break."
    echo "FAIL: the allocator failed the trace's checks."
} > "$res"

# table TITLE FIELD TRACES... — one row per allocator, one column per
# trace, a mean column. FIELD: util, frag, ir or brk.
table() {
    local title=$1 field=$2 a name t v sum n row
    shift 2
    {
        echo
        echo "## $title"
        echo
        row="| allocator |"
        for t in "$@"; do row="$row $(basename "$t" .rep) |"; done
        echo "$row mean |"
        row="|---|"
        for t in "$@"; do row="$row---:|"; done
        echo "$row---:|"
        for a in "${allocs[@]}"; do
            name=${a%%:*}
            row="| $name |"
            sum=0; n=0
            for t in "$@"; do
                case $field in
                util) v=$(util "$name" "$t"); v=${v%% *} ;;
                frag) v=$(util "$name" "$t"); v=${v%% *}
                      [ "$v" = FAIL ] || v=$(awk -v u="$v" 'BEGIN { printf "%.1f", 100 - u }') ;;
                brk)  v=$(util "$name" "$t"); v=${v##* } ;;
                ir)   v=$(ir "$name" "$t") ;;
                esac
                row="$row $v |"
                if [ "$v" != FAIL ]; then
                    sum=$(awk -v s="$sum" -v v="$v" 'BEGIN { print s + v }')
                    n=$((n + 1))
                fi
            done
            if [ "$n" -eq "$#" ]; then
                row="$row $(awk -v s="$sum" -v n="$n" 'BEGIN { printf "%.1f", s / n }') |"
            else
                row="$row FAIL |"
            fi
            echo "$row"
        done
    } >> "$res"
}
table "Utilization %, the kit's traces" util "${main_traces[@]}"
table "Fragmentation %, the kit's traces" frag "${main_traces[@]}"
table "Instructions per operation, the kit's traces" ir "${main_traces[@]}"
table "brk calls, the kit's traces" brk "${main_traces[@]}"
table "Instructions per operation, the scaling series (live blocks)" ir "${scale_traces[@]}"
table "Utilization %, the scaling series" util "${scale_traces[@]}"

# mean_of TITLE NAME — the mean column of allocator NAME in table TITLE.
mean_of() {
    awk -v title="## $1" -v name="$2" '
        $0 == title { on = 1; next }
        /^## / { on = 0 }
        on && $2 == name { print $(NF - 1) }' "$res"
}

# ------------------------------------------------------- the charts
: > "$OUT/means.dat"
for a in "${allocs[@]}"; do
    name=${a%%:*}
    echo "$name $(mean_of "Utilization %, the kit's traces" "$name")" \
         "$(mean_of "Instructions per operation, the kit's traces" "$name")" \
         >> "$OUT/means.dat"
done
{
    printf 'live'
    for a in "${allocs[@]}"; do printf ' %s' "${a%%:*}"; done
    echo
    for n in 1 2 4 8 16; do
        printf '%d' "$((n * 1000))"
        for a in "${allocs[@]}"; do
            printf ' %s' "$(ir "${a%%:*}" "tests/traces/scale/scale-${n}k.rep")"
        done
        echo
    done
} > "$OUT/scale.dat"
for term in png svg; do
    if [ "$term" = png ]; then t="pngcairo size 900,500"; else t="svg size 900,500"; fi
    gnuplot <<EOF 2>>"$OUT/gnuplot.log" || echo "bench-all: gnuplot failed ($term), see $OUT/gnuplot.log" >&2
set terminal $t
set datafile missing "FAIL"
set style fill solid 0.8 border -1
set boxwidth 0.7
set grid ytics
set xtics rotate by -30
set output "$OUT/util.$term"
set title "Mean utilization over the kit's traces (make bench)"
set ylabel "utilization %"
set yrange [0:100]
plot "$OUT/means.dat" using 0:2:xtic(1) with boxes notitle
set output "$OUT/instr.$term"
set title "Mean instructions per operation over the kit's traces (callgrind)"
set ylabel "instructions per operation (log scale)"
set logscale y
set yrange [*:*]
plot "$OUT/means.dat" using 0:3:xtic(1) with boxes notitle
set output "$OUT/scale.$term"
set title "Cost per operation against live blocks (the scaling series)"
set xlabel "live blocks"
set ylabel "instructions per operation (log scale)"
set logscale xy
set xrange [700:23000]
set xtics norotate (1000, 2000, 4000, 8000, 16000)
set key outside right
plot for [i=2:$(( ${#allocs[@]} + 1 ))] "$OUT/scale.dat" using 1:i with linespoints title columnheader(i)
EOF
done

# ------------------------------------------------------- the summary
cat "$res"
echo
echo "charts: $OUT/util.png $OUT/instr.png $OUT/scale.png (and .svg)"
echo

# segfit's targets (issue 10), never weakened: said MET or MISSED.
if grep -q '^segfit ' "$OUT/means.dat" && grep -q '^glibc ' "$OUT/means.dat"; then
    read -r _ su si < <(grep '^segfit ' "$OUT/means.dat")
    read -r _ gu gi < <(grep '^glibc ' "$OUT/means.dat")
    s1=$(ir segfit tests/traces/scale/scale-1k.rep)
    s16=$(ir segfit tests/traces/scale/scale-16k.rep)
    verdict() { if awk "BEGIN { exit !($1) }"; then echo MET; else echo MISSED; fi; }
    echo "segfit's targets:"
    echo "  mean utilization >= 90%: $su% ($(verdict "$su >= 90"); glibc $gu%)"
    echo "  mean instructions/op <= half of glibc's: $si vs glibc $gi, ratio" \
         "$(awk -v a="$si" -v b="$gi" 'BEGIN { printf "%.2f", a / b }')" \
         "($(verdict "$si <= $gi / 2"))"
    echo "  cost within 1.5x from 1k to 16k live blocks: $s1 -> $s16 per op," \
         "x$(awk -v a="$s1" -v b="$s16" 'BEGIN { printf "%.2f", b / a }')" \
         "($(verdict "$s16 <= 1.5 * $s1"))"
fi
