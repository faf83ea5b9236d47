#!/bin/bash
# trace-bench.sh [TRACE...] — utilization and instructions per request of
# the chosen allocator on the kit's traces (docs/lab.md).
#
#   make trace-bench [ALLOC=...]    (builds the trace driver, runs this)
#
# For each trace: the driver's utilization (peak payload / heap
# high-water) and the instructions executed inside the allocator's own
# calls (tools/icount --window allocate --window deallocate --window
# reallocate: each call and whatever it calls, as callgrind's
# --toggle-collect would), divided by the trace's operations: CS107's
# instructions per request, which does not depend on the machine's speed
# or load. The driver runs with --no-fork under qemu-i386, on any host.
# MEMKIT_DRIVER names the driver (default build/trace-driver).
#
# Exit status 1 when a trace failed its checks or could not be counted:
# its row says why (the driver's FAIL line, or tools/icount's reason).
set -eu

cd "$(dirname "$0")/.."
. tools/host.sh
DRIVER=${MEMKIT_DRIVER:-build/trace-driver}
OUT=build/bench
if [ ! -x "$DRIVER" ]; then
    echo "trace-bench: $DRIVER is missing; run 'make trace-bench'" >&2
    exit 1
fi
if [ $# -eq 0 ]; then            # the scaling series in size order
    set -- tests/traces/*.rep
    for n in 1 2 4 8 16; do set -- "$@" "tests/traces/scale/scale-${n}k.rep"; done
fi
# The allocator's entry points this driver has (reallocate is optional).
windows=()
for f in allocate deallocate reallocate; do
    if "${MEMKIT_CROSS}nm" "$DRIVER" | grep -q " [Tt] $f\$"; then
        windows+=(--window "$f")
    fi
done
mkdir -p "$OUT"
failed=0
printf '%-22s %7s %7s %12s %9s\n' trace ops util instructions "per op"
for t in "$@"; do
    name=$(basename "$t" .rep)
    log="$OUT/trace-$name.log"
    rc=0
    tools/icount "${windows[@]}" --counts "$OUT/trace-$name.counts" \
        --timeout 600 "$DRIVER" --no-fork "$t" > "$log" 2>&1 || rc=$?
    if [ "$rc" -ne 0 ]; then
        why=$(grep -m 1 -e FAIL -e '^icount: ' -e '^trace-driver: ' "$log" ||
              tail -n 1 "$log")
        printf '%-22s failed: %s\n' "$name" "${why:-exit status $rc, see $log}"
        failed=1
        continue
    fi
    util=$(sed -n 's/.*util \([0-9.]*%\).*/\1/p' "$log")
    ops=$(sed -n 3p "$t")
    ir=$(awk '$1 == "window" { print $2 }' "$OUT/trace-$name.counts")
    printf '%-22s %7d %7s %12d %9d\n' "$name" "$ops" "$util" "$ir" \
        "$((ir / ops))"
done
exit "$failed"
