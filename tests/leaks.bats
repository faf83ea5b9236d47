#!/usr/bin/env bats
# leaks.bats — MEMKIT_LEAKS=1 (preload/leaks.c): the preload library
# reports the blocks still allocated at exit, with the function that
# allocated each (docs/preload.md), on examples/leaky.c; and
# tools/leaks-compare, the same report beside valgrind's memcheck.
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

# no_forget_lib — build lib/libmemkit.so with leaks.c's forget() disabled:
# every block stays in the table, so freed ones are reported too.
no_forget_lib() {
    mkdir lib
    sed 's/^static void forget(uintptr_t p)$/static void forget_unused(uintptr_t p)/; s/^        forget(a);$/        (void)a;/; s/^            forget(a);$/            (void)0;/' \
        "$MEMKIT_ROOT/preload/leaks.c" > lib/leaks.c
    refute grep -q 'forget(a)' lib/leaks.c
    ${CROSS}gcc -m32 -O2 -fPIC -fvisibility=hidden -fno-builtin -w -c -o lib/leaks.o lib/leaks.c
    ${CROSS}gcc -m32 -shared -o lib/libmemkit.so "$BUILD/preload/memkit-core.o" \
        "$BUILD/preload/memkit.o" lib/leaks.o
}

@test "a leak checker that forgets no block reports the freed ones too: the free path is what keeps them out" {
    no_forget_lib
    MEMKIT_LIB="$PWD/lib/libmemkit.so" leak_report MEMKIT_LEAKS=1
    grep -q '^memkit: leak: 100 bytes' <<<"$stderr"
    run ! check_report
}

# ------------------------------------------------- beside valgrind's memcheck

# compare [ENV...] — tools/leaks-compare, where it can run: native i386
# (tools/host.sh's probe; MEMKIT_NATIVE=no says no) and valgrind are
# asked here; the two reasons only the script finds out (Debian's i386
# C library not downloadable, valgrind without its i386 tool) come back
# as its exit status 2 and become this test's skip.
compare() {
    skip_unless_native
    command -v valgrind >/dev/null ||
        skip "valgrind is not installed (apt-get install valgrind; no bootstrap group installs it)"
    run --separate-stderr env "$@" "$MEMKIT_ROOT/tools/leaks-compare"
    if [ "$status" -eq 2 ]; then
        [[ "$stderr" == *"could not be downloaded"* || "$stderr" == *"does not run i386 programs here"* ]] ||
            { printf '%s\n' "$stderr"; return 1; }
        skip "${stderr#leaks-compare: }"
    fi
}

@test "MEMKIT_LEAKS=1 under qemu-i386 and memcheck natively agree on leaky's blocks: count, sizes and the function that allocated them" {
    compare
    [ "$status" -eq 0 ] || { printf '%s\n' "$output" "$stderr"; return 1; }
    # memkit: blocks, bytes; memcheck: blocks, bytes; memkit's sizes /
    # memcheck's kinds
    assert_line --regexp '^  make_node +5 blocks, +40 bytes +5 blocks, +40 bytes +5 x 8 / 1 definitely lost, 4 indirectly lost$'
    assert_line --regexp '^  strdup +1 block, +9 bytes +1 block, +9 bytes +1 x 9 / 1 definitely lost$'
    assert_line --regexp '^  _IO_file_doallocate +1 block, +4096 bytes +1 block, +4096 bytes +1 x 4096 / 1 still reachable$'
    assert_line --regexp '^  total +7 blocks, +4145 bytes +7 blocks, +4145 bytes$'
    assert_line "memcheck's summary: definitely lost 17 bytes in 2 blocks; indirectly lost 32 bytes in 4 blocks; possibly lost 0 bytes in 0 blocks; still reachable 4096 bytes in 1 blocks"
    assert_line "leaks-compare: the two agree: the same blocks, from the same functions"
    refute_line --regexp '^!'
    # nothing else: the column heads, three functions and the total (5)
    run -0 grep -c -E '^[ !] ' <<<"$output"
    assert_output 5
}

@test "leaks-compare fails and marks the rows when the two disagree: a library that forgets no block reports the freed ones" {
    no_forget_lib
    compare MEMKIT_LIB="$PWD/lib/libmemkit.so"
    [ "$status" -eq 1 ] || { printf '%s\n' "$output" "$stderr"; return 1; }
    # the list header (8 bytes) and the buffer (100), freed by main: on
    # the kit's side only
    assert_line --regexp '^! main +2 blocks, +108 bytes +0 blocks, +0 bytes +1 x 8, 1 x 100 / -$'
    assert_line --regexp '^! total +9 blocks, +4253 bytes +7 blocks, +4145 bytes$'
    assert_line --regexp '^  make_node +5 blocks, +40 bytes +5 blocks, +40 bytes '
    assert_line "leaks-compare: the two disagree on 2 rows (marked !)"
}

@test "leaks-compare says why it cannot compare, and exits 2, without native i386 or without valgrind" {
    run -2 --separate-stderr env MEMKIT_NATIVE=no VALGRIND=true "$MEMKIT_ROOT/tools/leaks-compare"
    [ -z "$output" ]
    [[ "$stderr" =~ ^"leaks-compare: cannot compare here: memcheck runs i386 programs "(natively,\ and\ this\ kernel\ cannot|only\ on\ an\ x86\ host) ]]
    run -2 --separate-stderr env VALGRIND=/nonexistent/valgrind "$MEMKIT_ROOT/tools/leaks-compare"
    assert_equal "$stderr" "leaks-compare: cannot compare here: valgrind is missing (Debian package valgrind)"
}
