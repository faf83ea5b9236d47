#!/usr/bin/env bats
# run-i386.bats — tools/run-i386, the runner every test and script uses:
# its timeout, its core limit, and its choice of runner.

bats_require_minimum_version 1.5.0
load test_helper

setup() { memkit_setup; }

@test "run-i386 stops a program that blocks forever at MEMKIT_TIMEOUT, with status 124" {
    mkfifo fifo                                 # open() blocks: no writer
    local start=$SECONDS
    MEMKIT_TIMEOUT=1 run -124 "$MEMKIT_ROOT/tools/run-i386" "$BUILD/read-records" fifo
    [ $((SECONDS - start)) -lt 8 ]
}

@test "run-i386 stops a program that spins forever at MEMKIT_TIMEOUT" {
    printf '.globl _start\n_start: jmp _start\n.section .note.GNU-stack,"",@progbits\n' > spin.s
    "${CROSS}as" --32 -o spin.o spin.s
    "${CROSS}ld" -m elf_i386 -o spin spin.o
    local start=$SECONDS
    MEMKIT_TIMEOUT=1 run -124 "$MEMKIT_ROOT/tools/run-i386" ./spin
    [ $((SECONDS - start)) -lt 8 ]
}

@test "run-i386 leaves no core file when the program crashes" {
    printf '.globl _start\n_start: movl 0, %%eax\n.section .note.GNU-stack,"",@progbits\n' > crash.s
    "${CROSS}as" --32 -o crash.o crash.s
    "${CROSS}ld" -m elf_i386 -o crash crash.o
    ulimit -Sc unlimited                        # what a user's shell may have
    run ! "$MEMKIT_ROOT/tools/run-i386" ./crash
    [ -z "$(find . -name '*core*')" ] || fail "core files: $(find . -name '*core*')"
}

@test "run-i386 runs the program natively when QEMU is set and empty" {
    skip_unless_native
    QEMU= run -0 "$MEMKIT_ROOT/tools/run-i386" "$BUILD/read-records" "$FIXTURES/test.dat"
    assert_output $'Fredrick\nMarilyn\nDerrick'
}
