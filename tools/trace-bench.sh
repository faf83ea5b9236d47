#!/bin/bash
# trace-bench.sh [TRACE...] — utilization and instructions per request of
# the chosen allocator on the kit's traces (docs/lab.md).
#
#   make trace-bench [ALLOC=...]    (builds the trace driver, runs this)
#
# For each trace: the driver's utilization (peak payload / heap
# high-water) and callgrind's instruction count (Ir) for the allocator's
# own calls only (--toggle-collect on allocate, deallocate, reallocate),
# divided by the trace's operations: CS107's instructions per request,
# which does not depend on the machine's speed or load. The driver runs
# with --no-fork natively under callgrind, so this needs an x86 host.
# MEMKIT_DRIVER names the driver (default build/trace-driver).
set -eu

cd "$(dirname "$0")/.."
DRIVER=${MEMKIT_DRIVER:-build/trace-driver}
OUT=build/bench
case "$(uname -m)" in
x86_64|i?86) ;;
*)  echo "trace-bench: callgrind runs the i386 driver natively, which needs" \
         "an x86 host; nothing measured"
    exit 0 ;;
esac
if [ $# -eq 0 ]; then            # the scaling series in size order
    set -- tests/traces/*.rep
    for n in 1 2 4 8 16; do set -- "$@" "tests/traces/scale/scale-${n}k.rep"; done
fi
mkdir -p "$OUT"
printf '%-22s %7s %7s %12s %9s\n' trace ops util instructions "per op"
for t in "$@"; do
    name=$(basename "$t" .rep)
    cg="$OUT/trace-$name.callgrind"
    report=$(timeout 600 valgrind --tool=callgrind --callgrind-out-file="$cg" \
        --toggle-collect=allocate --toggle-collect=deallocate \
        --toggle-collect=reallocate \
        "$DRIVER" --no-fork "$t" 2>/dev/null) || {
        printf '%-22s failed: %s\n' "$name" "$(grep FAIL <<<"$report")"
        continue
    }
    util=$(sed -n 's/.*util \([0-9.]*%\).*/\1/p' <<<"$report")
    ops=$(sed -n 3p "$t")
    ir=$(callgrind_annotate "$cg" 2>/dev/null |
         awk '/PROGRAM TOTALS/ { gsub(",", "", $1); print $1 }')
    printf '%-22s %7d %7s %12d %9d\n' "$name" "$ops" "$util" "$ir" \
        "$((ir / ops))"
done
