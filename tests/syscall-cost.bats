#!/usr/bin/env bats
# syscall-cost.bats — examples/syscall-cost.c and tools/bench-syscall.sh.
#
# No timing is asserted (timings belong to make bench): the tests check
# that the program and the script run and print their fields, and the
# instruction counts (tools/icount), which do not depend on the machine.
bats_require_minimum_version 1.5.0

load test_helper

setup() {
    memkit_setup
}

@test "syscall-cost prints the mode, the iteration count and the nanoseconds it took" {
    run -0 i386 syscall-cost brk 1000
    assert_output --regexp '^brk 1000 [0-9]+$'
    run -0 i386 syscall-cost call 1000
    assert_output --regexp '^call 1000 [0-9]+$'
}

@test "syscall-cost rejects an unknown mode and a count of 0" {
    run -2 i386 syscall-cost fork 10
    run -2 i386 syscall-cost brk 0
}

@test "bench-syscall prints ns per iteration and a ratio for qemu-i386 and natively where it can" {
    MEMKIT_BENCH_OUT=$BATS_TEST_TMPDIR/bench MEMKIT_BENCH_N_BRK=1000 \
        MEMKIT_BENCH_N_CALL=1000 MEMKIT_BENCH_N_CG=100 \
        run -0 "$MEMKIT_ROOT/tools/bench-syscall.sh"
    assert_line --regexp '^runner +brk\(0\) ns/iter +call ns/iter +ratio$'
    assert_line --regexp '^qemu-i386 +[0-9]+\.[0-9] +[0-9]+\.[0-9] +[0-9]+$'
    assert_line --regexp '^native +([0-9]+\.[0-9] +[0-9]+\.[0-9] +[0-9]+|\(not run: .*\))$'
    [ -s "$BATS_TEST_TMPDIR/bench/syscall.txt" ]
}

@test "bench-syscall counts a handful of user-mode instructions per brk(0) iteration, like a function call" {
    MEMKIT_BENCH_OUT=$BATS_TEST_TMPDIR/bench MEMKIT_BENCH_N_BRK=10 \
        MEMKIT_BENCH_N_CALL=10 MEMKIT_BENCH_N_CG=1000 \
        run -0 "$MEMKIT_ROOT/tools/bench-syscall.sh"
    local b c
    read -r _ b c < <(grep '^icount ' <<< "$output")
    # int $0x80 is one instruction to the counter: the loop body stays tiny
    [ "${b%.*}" -ge 3 ] && [ "${b%.*}" -le 20 ] || false
    [ "${c%.*}" -ge 3 ] && [ "${c%.*}" -le 20 ]
}
