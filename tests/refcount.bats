#!/usr/bin/env bats
# refcount.bats — c-harness/refcount.c, reference counting over the
# chapter's allocator, checked by build/refcount-test.
bats_require_minimum_version 1.5.0

load test_helper

setup() {
    memkit_setup
}

@test "refcount: retain and release count owners and the last release deallocates the block" {
    run -0 i386 refcount-test
    refute_line --partial '[FAIL]'
    assert_line '6 passed, 0 failed'
}

@test "refcount-test passes natively too" {
    skip_unless_native
    QEMU= run -0 i386 refcount-test
    assert_line '6 passed, 0 failed'
}

# build_variant NAME SED — refcount-test linked with a copy of refcount.c
# edited by the sed script SED, as $BATS_TEST_TMPDIR/NAME.
build_variant() {
    local src="$BATS_TEST_TMPDIR/$1.c"
    sed -e "$2" "$MEMKIT_ROOT/c-harness/refcount.c" > "$src"
    ! cmp -s "$src" "$MEMKIT_ROOT/c-harness/refcount.c" || { echo "sed changed nothing"; return 1; }
    "${CROSS}gcc" -m32 -O2 -std=c11 -ffreestanding -fno-builtin -nostdlib \
        -fno-pie -fno-stack-protector -fno-asynchronous-unwind-tables \
        -fcf-protection=none -I "$MEMKIT_ROOT/c-harness" \
        -c -o "$BATS_TEST_TMPDIR/$1.o" "$src"
    "${CROSS}ld" -m elf_i386 -static -o "$BATS_TEST_TMPDIR/$1" \
        "$BUILD/obj/c/start.o" "$BUILD/obj/c/rt.o" \
        "$BUILD/obj/c/refcount-test.o" "$BATS_TEST_TMPDIR/$1.o" \
        "$BUILD/obj/asm/alloc.o"
}

@test "refcount-test fails a release that never deallocates" {
    build_variant never-frees 's/deallocate(count_of(obj));/;/'
    run -1 i386 "$BATS_TEST_TMPDIR/never-frees"
    assert_line --regexp '^\[FAIL\] got 0x0, expected 0x1 \(block_state'
}

@test "refcount-test fails a release that frees while an owner is left" {
    build_variant frees-early 's/if (--\*count_of(obj) == 0)/if (--*count_of(obj) <= 1)/'
    run -1 i386 "$BATS_TEST_TMPDIR/frees-early"
    assert_line --partial '[FAIL]'
}
