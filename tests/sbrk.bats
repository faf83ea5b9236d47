#!/usr/bin/env bats
# sbrk.bats — c-harness/sbrk.c, the C library's sbrk over the raw brk,
# checked case by case by build/sbrk-test (c-harness/sbrk-test.c).
bats_require_minimum_version 1.5.0

load test_helper

setup() {
    memkit_setup
}

# check_all — every case of sbrk-test passed.
check_all() {
    refute_line --partial '[FAIL]' || return 1
    assert_line '7 passed, 0 failed'
}

@test "sbrk returns the old break, reads it with 0, lowers it when negative and fails as (void *)-1, under qemu" {
    QEMU=${QEMU:-qemu-i386} run -0 i386 sbrk-test
    check_all
}

@test "sbrk keeps the same contract natively, where a lowered RLIMIT_DATA makes the kernel refuse" {
    skip_unless_native
    QEMU= run -0 i386 sbrk-test
    check_all
}

# build_variant NAME SED — sbrk-test linked with a copy of sbrk.c edited
# by the sed script SED, as $BATS_TEST_TMPDIR/NAME.
build_variant() {
    local src="$BATS_TEST_TMPDIR/$1.c"
    sed -e "$2" "$MEMKIT_ROOT/c-harness/sbrk.c" > "$src"
    ! cmp -s "$src" "$MEMKIT_ROOT/c-harness/sbrk.c" || { echo "sed changed nothing"; return 1; }
    "${CROSS}gcc" -m32 -O2 -std=c11 -ffreestanding -fno-builtin -nostdlib \
        -fno-pie -fno-stack-protector -fno-asynchronous-unwind-tables \
        -fcf-protection=none -I "$MEMKIT_ROOT/c-harness" \
        -c -o "$BATS_TEST_TMPDIR/$1.o" "$src"
    "${CROSS}ld" -m elf_i386 -static -o "$BATS_TEST_TMPDIR/$1" \
        "$BUILD/obj/c/start.o" "$BUILD/obj/c/rt.o" \
        "$BUILD/obj/c/sbrk-test.o" "$BATS_TEST_TMPDIR/$1.o"
}

@test "sbrk-test fails an sbrk that returns the new break instead of the old one" {
    build_variant new-break 's/^    return (void \*)old;$/    return (void *)want;/'
    run -1 i386 "$BATS_TEST_TMPDIR/new-break"
    assert_line --regexp '^\[FAIL\] got 0x[0-9a-f]+, expected 0x[0-9a-f]+ \(\(uintptr_t\)p, '
    assert_line --regexp '^[0-9]+ passed, [1-9][0-9]* failed$'
}

@test "sbrk-test fails an sbrk that trusts brk without comparing its answer" {
    build_variant no-check 's/if (sys_brk(want) != want)/if (sys_brk(want) == 0)/'
    run -1 i386 "$BATS_TEST_TMPDIR/no-check"
    assert_line --partial '[FAIL]'
}
