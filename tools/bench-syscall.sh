#!/bin/bash
# bench-syscall.sh — what a system call costs next to a function call.
#
#   make bench              (runs this after building build/syscall-cost)
#   tools/bench-syscall.sh  the same, if build/syscall-cost exists
#
# Times build/syscall-cost (examples/syscall-cost.c): a loop of brk(0)
# system calls against a loop of calls to a plain function, natively and
# under qemu-i386, as nanoseconds per iteration (the best of RUNS runs,
# wall time, so the numbers move with the machine and its load) and their
# ratio. Beside them, the count of the instructions each loop runs per
# iteration in user mode (tools/icount: qemu-i386 with the kit's plugin,
# any host): exact and repeatable, and blind to everything the kernel
# does once `int $0x80` has entered it, which is where the system call's
# cost is. The table also goes to build/bench/syscall.txt.
#
# MEMKIT_BENCH_N_BRK, _N_CALL, _N_CG (the counted iterations) change the
# iteration counts and MEMKIT_BENCH_OUT the output directory (the tests
# make them small).
#
# Native runs need an x86 host that runs i386 binaries; elsewhere that
# row says why it is missing. A count that cannot be made is an error.
set -eu

cd "$(dirname "$0")/.."
BIN=build/syscall-cost
OUT=${MEMKIT_BENCH_OUT:-build/bench}
RUNS=3
N_BRK=${MEMKIT_BENCH_N_BRK:-200000}       # brk(0) iterations per run
N_CALL=${MEMKIT_BENCH_N_CALL:-5000000}    # function calls per run
N_CG=${MEMKIT_BENCH_N_CG:-10000}          # iterations counted

if [ ! -x "$BIN" ]; then
    echo "bench-syscall: $BIN is missing; run 'make bench'" >&2
    exit 1
fi
mkdir -p "$OUT"
bounded() { timeout --kill-after=5 "${MEMKIT_BENCH_TIMEOUT:-120}" "$@"; }

# best RUNNER MODE N — the smallest of RUNS timings, in ns per iteration
# with one decimal; RUNNER is "" (native) or qemu-i386.
best() {
    local runner=$1 mode=$2 n=$3 i ns min=
    for ((i = 0; i < RUNS; i++)); do
        read -r _ _ ns < <(QEMU=$runner bounded tools/run-i386 "$BIN" \
                                "$mode" "$n")
        if [ -z "$min" ] || [ "$ns" -lt "$min" ]; then min=$ns; fi
    done
    awk -v ns="$min" -v n="$n" 'BEGIN { printf "%.1f", ns / n }'
}

# row NAME RUNNER — one line of the table.
row() {
    local b c
    b=$(best "$2" brk "$N_BRK")
    c=$(best "$2" call "$N_CALL")
    printf '%-12s %16s %16s %10s\n' "$1" "$b" "$c" \
        "$(awk -v b="$b" -v c="$c" 'BEGIN { printf "%.0f", (c > 0 ? b / c : 0) }')"
}

# native — the host runs i386 binaries itself.
native() {
    case "$(uname -m)" in x86_64|i?86) ;; *) return 1 ;; esac
    QEMU= tools/run-i386 "$BIN" call 1 >/dev/null 2>&1
}

# irs LOOP MODE — instructions per iteration inside LOOP (tools/icount),
# or exit with its reason.
irs() {
    local file="$OUT/syscall-$2.counts" ir
    tools/icount --window "$1" --counts "$file" \
        --timeout "${MEMKIT_BENCH_TIMEOUT:-120}" "$BIN" "$2" "$N_CG" \
        > "$OUT/syscall-$2.log" 2>&1 || {
        echo "bench-syscall: no count for $1:" \
             "$(grep -m 1 '^icount: ' "$OUT/syscall-$2.log") (see $OUT/syscall-$2.log)" >&2
        exit 1
    }
    ir=$(awk '$1 == "window" { print $2 }' "$file")
    awk -v ir="$ir" -v n="$N_CG" 'BEGIN { printf "%.1f", ir / n }'
}

{
    echo "system call vs function call (build/syscall-cost, best of $RUNS runs)"
    echo "brk(0) x $N_BRK against a call of a plain function x $N_CALL"
    printf '%-12s %16s %16s %10s\n' "runner" "brk(0) ns/iter" "call ns/iter" "ratio"
    if native; then
        row native ""
    else
        echo "native       (not run: this host cannot run i386 binaries itself)"
    fi
    if command -v qemu-i386 >/dev/null; then
        row qemu-i386 qemu-i386
    else
        echo "qemu-i386    (not run: qemu-i386 is missing; run 'make deps')"
    fi
    echo
    echo "tools/icount, user-mode instructions per iteration" \
         "(the kernel's are not seen)"
    b=$(irs loop_brk brk)
    c=$(irs loop_call call)
    printf '%-12s %16s %16s\n' "" "loop_brk Ir" "loop_call Ir"
    printf '%-12s %16s %16s\n' "icount" "$b" "$c"
} > "$OUT/syscall.txt.tmp"
mv "$OUT/syscall.txt.tmp" "$OUT/syscall.txt"
cat "$OUT/syscall.txt"
