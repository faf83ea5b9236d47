#!/usr/bin/env bats
# errata: one pair of tests per defect of the book's alloc.s that
# asm/alloc.s fixes (docs/errata.md tells each story).
#
# For erratum N, the first test checks the property on the kit's allocator
# (a case of build/alloc-test, sometimes with qemu-i386 -strace evidence);
# the second puts the book's behaviour back into a scratch copy of
# asm/alloc.s -- that one defect, nothing else (tools/book-defect.sh) --
# links the same alloc-test against it and shows the same case failing.
# So each test is known to fail on the book's behaviour, and stays so.

bats_require_minimum_version 1.5.0
load test_helper

setup() {
    memkit_setup
}

# with_defect N — ./alloc-test: build/alloc-test's objects linked with a
# scratch copy of asm/alloc.s that has erratum N's book behaviour
# (tools/book-defect.sh; it fails if its edit no longer applies).
with_defect() {
    "$MEMKIT_ROOT/tools/book-defect.sh" -o "$BATS_TEST_TMPDIR" "$1" >/dev/null
    [ -x ./alloc-test ]
}

# book_fails ID — the case ID fails (or crashes) on ./alloc-test.
book_fails() {
    run ! i386 ./alloc-test "$1"
    refute_line --partial "[OK]"
    refute_line "1 passed, 0 failed"
}

# passes ID — the case ID passes on the kit's allocator.
passes() {
    run -0 i386 alloc-test "$1"
    assert_line --partial "[OK]"
    assert_line "1 passed, 0 failed"
}

# ---------------------------------------------------------------- 1

@test "erratum 1: the heap starts at the break brk(0) returned, not one past it" {
    passes init-at-break
    # and in a trace: the first map's begin is brk(NULL)'s result
    run -0 --separate-stderr env QEMU="qemu-i386 -strace" \
        "$MEMKIT_ROOT/tools/run-i386" "$BUILD/heap-map"
    brk0=$(sed -n 's/^[0-9]* brk(NULL) = \(0x[0-9a-f]*\)$/\1/p' <<<"$stderr")
    [ -n "$brk0" ]
    assert_line --regexp "^heap: begin $brk0  break $brk0  \(0 bytes, 0 blocks\)$"
}

@test "erratum 1: adding 1 to brk(0)'s result fails that test" {
    with_defect 1
    book_fails init-at-break
    assert_line --regexp '^\[FAIL\] got 0x[0-9a-f]+, expected 0x[0-9a-f]+ \(init-at-break: heap_begin should be the break brk\(0\) returned \(0x[0-9a-f]+\), rounded up to a multiple of 8, '
}

# ---------------------------------------------------------------- 2

@test "erratum 2: a refused brk (old break returned, not 0) makes allocate return 0" {
    passes brk-failure
    # qemu refuses the 3 GiB break by returning the old one, never 0
    run -0 --separate-stderr env QEMU="qemu-i386 -strace" \
        "$MEMKIT_ROOT/tools/run-i386" "$BUILD/alloc-test" --no-fork brk-failure
    # (--no-fork: one process, so no other process's lines in the trace)
    refused=$(grep -E ' brk\(0x[0-9a-f]+\) = 0x[0-9a-f]+$' <<<"$stderr" |
              awk '{ gsub(/brk\(|\)/, "", $2); if ($2 != $4) print $2, $4 }')
    [ -n "$refused" ]
    [[ "$refused" != *" 0x00000000"* ]]
}

@test "erratum 2: treating only 0 as a brk failure fails that test" {
    with_defect 2
    book_fails brk-failure
}

# ---------------------------------------------------------------- 3

@test "erratum 3: all three functions preserve %ebx, %esi, %edi, %ebp and DF" {
    passes callee-saved
}

@test "erratum 3: clobbering %ebx fails that test" {
    with_defect 3
    book_fails callee-saved
    # call_checked's BAD_EBX bit, named
    assert_line --regexp '^\[FAIL\] got 0x1, expected 0x0 \(callee-saved: allocate_init broke %ebx, '
}

# ---------------------------------------------------------------- 4

@test "erratum 4: a request of 2 GiB or more is never given a small free block" {
    passes unsigned-size
}

@test "erratum 4: comparing sizes signed fails that test" {
    with_defect 4
    book_fails unsigned-size
    assert_line --regexp '^\[FAIL\] got 0x[0-9a-f]+, expected 0x0 \(unsigned-size: allocate\(0x80000000\) should return 0, not a small free block '
}

# ---------------------------------------------------------------- 5

@test "erratum 5: allocate(0xFFFFFFF8) and other wrapping sizes return 0 and never call brk" {
    passes size-overflow
    run -0 --separate-stderr env QEMU="qemu-i386 -strace" \
        "$MEMKIT_ROOT/tools/run-i386" "$BUILD/alloc-test" --no-fork size-overflow
    # brk(NULL) from allocate_init and the case's own probes, nothing else
    grep -q ' brk(NULL)' <<<"$stderr"
    run grep -c ' brk(0x' <<<"$stderr"
    assert_output 0
}

@test "erratum 5: size arithmetic that wraps fails that test" {
    with_defect 5
    book_fails size-overflow
}

# ---------------------------------------------------------------- 6

@test "erratum 6: every payload is 8-byte aligned, odd sizes included" {
    passes alignment
}

@test "erratum 6: not rounding sizes up to 8 fails that test" {
    with_defect 6
    book_fails alignment
    assert_line --regexp '^\[FAIL\] got 0x[1-7], expected 0x0 \(alignment: allocate\([0-9]+\) returned a payload that is not 8-byte aligned '
}

@test "every alloc-test run docs/errata.md quotes prints what the page shows" {
    skip_if_crash_hangs                 # one quoted run is a crash
    [ -n "$QEMU" ] || skip "natively the break is randomised; the page shows qemu-i386 runs"
    # Each '$ tools/run-i386 build/book-defect/N/alloc-test CASE' line of
    # a fenced transcript and what follows it up to the fence or the next
    # '$ ' line, rebuilt with the same erratum into this test's directory:
    # N.cmd (the case list) and N.out.
    awk '
        /^\$ tools\/run-i386 build\/book-defect\/[0-9]+\/alloc-test [a-z -]+$/ {
            split($3, p, "/"); n = p[3]; c = $0; sub(/.*alloc-test /, "", c)
            print c > (n ".cmd"); close(n ".cmd")
            printf "" > (n ".out"); inside = 1; next }
        inside && (/^```/ || /^\$ /) { inside = 0; close(n ".out"); next }
        inside { print > (n ".out") }' "$MEMKIT_ROOT/docs/errata.md"
    local cmd n count=0
    for cmd in *.cmd; do
        n=${cmd%.cmd}
        mkdir "$n"
        "$MEMKIT_ROOT/tools/book-defect.sh" -o "$PWD/$n" "$n" >/dev/null
        # shellcheck disable=SC2046
        i386 "$PWD/$n/alloc-test" $(cat "$cmd") > "$n.actual" 2>&1 || true
        diff -u "$n.out" "$n.actual" || fail "docs/errata.md: erratum $n, alloc-test $(cat "$cmd")"
        count=$((count + 1))
    done
    [ "$count" -ge 5 ] || fail "only $count alloc-test runs found in docs/errata.md"
}
