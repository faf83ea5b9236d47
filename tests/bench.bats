#!/usr/bin/env bats
# bench: make bench's comparison of every allocator and the C library's
# malloc (tools/bench-all.sh, mk/bench.mk, c-harness/glibc-shim.c). The
# measurement itself runs in make bench, never here; these tests pin what
# the benchmark reads and how it refuses a count it cannot trust.

bats_require_minimum_version 1.5.0
load test_helper

TRACES="$BATS_TEST_DIRNAME/traces"

setup() {
    memkit_setup
}

# fake_valgrind COUNT [SELF] — a valgrind on PATH that runs nothing and
# reports COUNT collected instructions, as callgrind does on stderr, and a
# callgrind_annotate that gives bench_replay's own instructions as SELF
# (default 0); gnuplot is faked too (the charts are make bench's, not the
# tests').
fake_valgrind() {
    mkdir -p bin
    printf '#!/bin/sh\necho "==1== Collected : %s" >&2\n' "$1" > bin/valgrind
    printf '#!/bin/sh\necho "%s (10.00%%)  c-harness/trace-driver.c:bench_replay [x]"\n' \
        "${2:-0}" > bin/callgrind_annotate
    printf '#!/bin/sh\ncat > /dev/null\n' > bin/gnuplot
    chmod +x bin/valgrind bin/callgrind_annotate bin/gnuplot
}

@test "the trace driver built on the C library's malloc passes every kit trace's checks" {
    [ -x "$BUILD/glibc/trace-driver" ] || skip "no gcc-multilib build of build/glibc/trace-driver"
    run -0 i386 "$BUILD/glibc/trace-driver" "$TRACES"/*.rep
    assert_line --regexp "^$(ls "$TRACES"/*.rep | wc -l) passed, 0 failed$"
    assert_line --regexp '^records\.rep +326 +1980 +[0-9]+ +[0-9.]+% +[0-9]+$'
}

# refuses_count — bench-all (of the reference) stops with an error on the
# count the fakes give, and writes no table.
refuses_count() {
    run -1 --separate-stderr env PATH="$PWD/bin:$PATH" BENCH_ALLOCS=ref \
        "$MEMKIT_ROOT/tools/bench-all.sh" "$PWD/out"
    [[ "$stderr" == *"no instruction count for bench_replay"* ]]
    [ ! -e out/results.md ]
}

@test "bench-all stops with an error on a callgrind count of 0 and writes no table" {
    skip_unless_native
    fake_valgrind 0
    refuses_count
}

@test "bench-all stops with an error when callgrind does not name bench_replay" {
    skip_unless_native
    fake_valgrind 65200
    printf '#!/bin/sh\necho "65,200 (100.00%%)  PROGRAM TOTALS"\n' > bin/callgrind_annotate
    refuses_count
}

@test "bench-all counts the allocator's calls (less the loop) per operation and takes utilization from the checked replay" {
    skip_unless_native
    fake_valgrind 65200 3,260                   # records.rep: 326 ops
    run -0 env PATH="$PWD/bin:$PATH" BENCH_ALLOCS=ref \
        "$MEMKIT_ROOT/tools/bench-all.sh" "$PWD/out"
    local util
    util=$(i386 "$BUILD/trace-driver" "$TRACES/records.rep" |
           awk '$1 == "records.rep" { sub("%", "", $5); print $5 }')
    # The tables' columns are the traces in name order: records is 6th.
    awk '/^## Instructions per operation, the kit/ { on = 1 } on && $2 == "ref" { print; exit }' \
        out/results.md | grep -q '^| ref | [0-9]* | [0-9]* | [0-9]* | [0-9]* | [0-9]* | 190 | '
    awk '/^## Utilization %, the kit/ { on = 1 } on && $2 == "ref" { print; exit }' \
        out/results.md | grep -q "^| ref | [0-9.]* | [0-9.]* | [0-9.]* | [0-9.]* | [0-9.]* | $util | "
}

@test "bench-all refuses a BENCH_ALLOCS that names no allocator" {
    skip_unless_native
    run -2 env BENCH_ALLOCS=nosuch "$MEMKIT_ROOT/tools/bench-all.sh" "$PWD/out"
    assert_output --partial 'BENCH_ALLOCS names no allocator'
}
