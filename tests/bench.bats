#!/usr/bin/env bats
# bench: make bench's comparison of every allocator and the C library's
# malloc (tools/bench-all.sh, mk/bench.mk, c-harness/glibc-shim.c). The
# full measurement runs in make bench, never here; these tests run it on
# one trace (and the scaling series) and pin what the benchmark reads,
# how it refuses a count it cannot make and that a missing number is
# never MET.

bats_require_minimum_version 1.5.0
load test_helper

TRACES="$BATS_TEST_DIRNAME/traces"

setup() {
    memkit_setup
}

@test "the trace driver built on the C library's malloc passes every kit trace's checks" {
    [ -x "$BUILD/glibc/trace-driver" ] || skip "no gcc-multilib build of build/glibc/trace-driver"
    run -0 i386 "$BUILD/glibc/trace-driver" "$TRACES"/*.rep
    assert_line --regexp "^$(ls "$TRACES"/*.rep | wc -l) passed, 0 failed$"
    assert_line --regexp '^records\.rep +326 +1980 +[0-9]+ +[0-9.]+% +[0-9]+$'
}

# fake_gnuplot — the charts are make bench's, not the tests'.
fake_gnuplot() {
    mkdir -p bin
    printf '#!/bin/sh\ncat > /dev/null\n' > bin/gnuplot
    chmod +x bin/gnuplot
}

@test "bench-all stops with the cause when no count can be made: no table, no MET" {
    fake_gnuplot
    printf 'not a plugin\n' > broken.so
    run -1 --separate-stderr env PATH="$PWD/bin:$PATH" PLUGIN="$PWD/broken.so" \
        BENCH_ALLOCS=ref BENCH_SCALE=1 BENCH_TRACES="$TRACES/records.rep" \
        "$MEMKIT_ROOT/tools/bench-all.sh" "$PWD/out"
    [[ "$stderr" == *"bench-all: no instruction count for ref.records: icount: no count: qemu-i386 with the plugin failed: "*"Could not load plugin"* ]]
    [ ! -e out/results.md ]
    refute_output --partial MET
    refute_output --partial FAIL
}

@test "bench-all counts the allocator's calls (less the loop) per operation and takes utilization from the checked replay" {
    fake_gnuplot
    run -0 env PATH="$PWD/bin:$PATH" BENCH_ALLOCS=ref \
        BENCH_SCALE=1 BENCH_TRACES="$TRACES/records.rep" \
        "$MEMKIT_ROOT/tools/bench-all.sh" "$PWD/out"
    local util w c per
    util=$(i386 "$BUILD/trace-driver" "$TRACES/records.rep" |
           awk '$1 == "records.rep" { sub("%", "", $5); print $5 }')
    "$MEMKIT_ROOT/tools/icount" --window bench_replay --code bench_replay \
        --counts counts "$BUILD/trace-driver" --bench "$TRACES/records.rep"
    w=$(awk '$1 == "window" { print $2 }' counts)
    c=$(awk '$1 == "code" { print $2 }' counts)
    per=$(( (w - c + 163) / 326 ))                # records.rep: 326 ops
    awk '/^## Instructions per operation, the kit/ { on = 1 } on && $2 == "ref" { print; exit }' \
        out/results.md | grep -q "^| ref | $per | $per.0 |$"
    awk '/^## Utilization %, the kit/ { on = 1 } on && $2 == "ref" { print; exit }' \
        out/results.md | grep -q "^| ref | $util | "
}

@test "a number bench-all could not measure is never MET: the target says so and the exit status is 1" {
    skip_if_withheld asm/allocators/segfit.s
    fake_gnuplot
    [ -x "$BUILD/glibc/trace-driver" ] || skip "no gcc-multilib build of build/glibc/trace-driver"
    printf 'x\n' > bad.rep                      # every driver refuses it
    run -1 --separate-stderr env PATH="$PWD/bin:$PATH" BENCH_ALLOCS="segfit glibc" \
        BENCH_SCALE=1 BENCH_TRACES="$PWD/bad.rep" "$MEMKIT_ROOT/tools/bench-all.sh" "$PWD/out"
    assert_line --regexp '^  mean utilization >= 90%: FAIL% \(NOT MEASURED: no number; glibc FAIL%\)$'
    assert_line --regexp '^  mean instructions/op <= half of glibc.s: FAIL vs glibc FAIL, ratio none \(NOT MEASURED: no number\)$'
    refute_line --regexp 'FAIL.*MET'
    [[ "$stderr" == *"a target has no number to judge"* ]]
}

@test "bench-all refuses a BENCH_ALLOCS that names no allocator" {
    run -2 env BENCH_ALLOCS=nosuch "$MEMKIT_ROOT/tools/bench-all.sh" "$PWD/out"
    assert_output --partial 'BENCH_ALLOCS names no allocator'
}

@test "trace-bench counts the allocator's calls and names why a trace could not be measured" {
    run -0 "$MEMKIT_ROOT/tools/trace-bench.sh" "$TRACES/records.rep"
    assert_line --regexp '^records +326 +[0-9.]+% +[0-9]+ +[0-9]+$'
    printf 'x\n' > bad.rep
    run -1 "$MEMKIT_ROOT/tools/trace-bench.sh" "$PWD/bad.rep"
    assert_line --regexp '^bad +failed: .*bad trace file'
}

@test "make bench installs what it needs before it measures anything" {
    run -0 make -C "$MEMKIT_ROOT" -n --no-print-directory bench
    assert_equal "${lines[0]}" "tools/bootstrap.sh bench"
    assert_line --regexp '^tools/bench-all\.sh'
}

@test "bench-all measures the bounded-cost series it is asked for, and never for an allocator that walks the heap" {
    skip_if_withheld asm/allocators/tlsf.s
    fake_gnuplot
    run -0 env PATH="$PWD/bin:$PATH" BENCH_ALLOCS="ref tlsf" BENCH_SCALE=1 \
        BENCH_TRACES="$TRACES/records.rep" BENCH_SERIES="1 4" \
        "$MEMKIT_ROOT/tools/bench-all.sh" "$PWD/out"
    local t="$MEMKIT_ROOT/build/traces/scaling/scaling-1024-4k.rep" w c ops per
    "$MEMKIT_ROOT/tools/icount" --window bench_replay --code bench_replay \
        --counts counts "$BUILD/alloc/tlsf/trace-driver" --bench "$t"
    w=$(awk '$1 == "window" { print $2 }' counts)
    c=$(awk '$1 == "code" { print $2 }' counts)
    ops=$(sed -n 3p "$t")
    per=$(( (w - c + ops / 2) / ops ))
    # one table per size range, tlsf's row only: ref walks the heap
    awk '/^## Instructions per operation, the bounded-cost series, sizes 8-1024$/ { on = 1 }
         on && /^\| (ref|tlsf) / { print; if (++n == 1) exit }' out/results.md |
        grep -q "^| tlsf | [0-9]* | $per | [0-9.]* |$"
    [ "$(grep -c '^## Instructions per operation, the bounded-cost series, sizes 8-' out/results.md)" -eq 3 ]
    refute grep -q '^| ref | .*scaling' out/results.md
    [ ! -e out/counts/ref.scaling-64-1k.ir ]
}
