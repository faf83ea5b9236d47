#!/usr/bin/env bats
# leaks.bats — MEMKIT_LEAKS=1 (preload/leaks.c): the preload library
# reports the blocks still allocated at exit, with the function that
# allocated each (docs/preload.md), on examples/leaky.c.
bats_require_minimum_version 1.5.0

load test_helper

setup() {
    memkit_setup
    [ -f "$BUILD/preload/libmemkit.so" ] && [ -x "$BUILD/leaky" ] ||
        skip "needs make preload and build/leaky (gcc-multilib: the i386 C library)"
}

# leak_report — run leaky with the library; stdout and the report apart.
leak_report() {
    run -0 --separate-stderr env "$@" "$MEMKIT_ROOT/tools/preload-run" "$BUILD/leaky"
    assert_line "list of 5 nodes, sum 15"
}

check_report() {
    # the five nodes, each 8 bytes, named by the function that allocated them
    run -0 grep -c -E '^memkit: leak: 8 bytes at 0x[0-9a-f]{8}, allocated from make_node\+0x[0-9a-f]+ \(leaky\)$' <<<"$stderr"
    assert_output 5
    # the strdup copy: 9 bytes ("Fredrick" and its NUL), from strdup in libc
    grep -q -E '^memkit: leak: 9 bytes at 0x[0-9a-f]{8}, allocated from strdup\+0x[0-9a-f]+ \(libc\.so\.6\)$' <<<"$stderr"
    # freed blocks are not reported: the list header was 8 bytes too, so
    # count: 5 nodes + strdup + stdout's buffer, nothing else
    run -0 grep -c '^memkit: leak: ' <<<"$stderr"
    assert_output 7
    refute grep -q '^memkit: leak: 100 bytes' <<<"$stderr"
    grep -q -E '^memkit: leaks: 7 blocks, 4[0-9]+ bytes still allocated at exit$' <<<"$stderr"
}

@test "MEMKIT_LEAKS=1 under qemu-i386 lists the lost nodes and the strdup copy, with the functions that allocated them" {
    leak_report MEMKIT_LEAKS=1
    check_report
}

@test "natively MEMKIT_LEAKS=1 gives the same report" {
    skip_unless_native
    leak_report QEMU= MEMKIT_LEAKS=1
    check_report
}

@test "without MEMKIT_LEAKS=1 the library says nothing at exit" {
    leak_report
    [ -z "$stderr" ]
    leak_report MEMKIT_LEAKS=yes
    [ -z "$stderr" ]
}

@test "a leak checker that forgets no block reports the freed ones too: the free path is what keeps them out" {
    # The library with leaks.c's forget() disabled: every block stays in
    # the table, so the freed list header and 100-byte buffer are reported.
    mkdir lib
    sed 's/^static void forget(uintptr_t p)$/static void forget_unused(uintptr_t p)/; s/^        forget(a);$/        (void)a;/; s/^            forget(a);$/            (void)0;/' \
        "$MEMKIT_ROOT/preload/leaks.c" > lib/leaks.c
    refute grep -q 'forget(a)' lib/leaks.c
    ${CROSS}gcc -m32 -O2 -fPIC -fvisibility=hidden -fno-builtin -w -c -o lib/leaks.o lib/leaks.c
    ${CROSS}gcc -m32 -shared -o lib/libmemkit.so "$BUILD/preload/memkit-core.o" \
        "$BUILD/preload/memkit.o" lib/leaks.o
    MEMKIT_LIB="$PWD/lib/libmemkit.so" leak_report MEMKIT_LEAKS=1
    grep -q '^memkit: leak: 100 bytes' <<<"$stderr"
    run ! check_report
}
