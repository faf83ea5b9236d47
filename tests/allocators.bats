#!/usr/bin/env bats
# allocators: the boundary-tag allocators in asm/allocators/ (coalesce,
# bestfit, nextfit, explicit, on tags-core.inc) against the universal
# cases of alloc-test and the cases of c-harness/alloc-props.c, which walks
# their heaps through the memkit_layout each one exports. `make` builds
# every kit allocator into build/alloc/NAME/ (mk/allocators.mk).

bats_require_minimum_version 1.5.0
load test_helper

TAGS="coalesce bestfit nextfit explicit"

setup() {
    skip_if_withheld asm/allocators/tags-core.inc asm/allocators/coalesce.s \
        asm/allocators/bestfit.s asm/allocators/nextfit.s asm/allocators/explicit.s
    memkit_setup
}

# props NAME CASE... — run alloc-props of allocator NAME.
props() {
    local name=$1; shift
    "$MEMKIT_ROOT/tools/run-i386" "$BUILD/alloc/$name/alloc-props" "$@"
}

# every_allocator CASE — CASE passes for each of the four; a failure
# names the allocator.
every_allocator() {
    local a
    for a in $TAGS; do
        run -0 props "$a" "$1"
        if [ "${lines[-1]}" != "1 passed, 0 failed" ]; then
            echo "$a: $output"
            return 1
        fi
    done
}

# alloc-test runs the universal cases and the ones each allocator's
# memkit_props declares (splits, coalesces, first-fit), walking the heap
# through its memkit_layout.
@test "each boundary-tag allocator passes every alloc-test case it is held to" {
    for a in $TAGS; do
        n=$("$MEMKIT_ROOT/tools/run-i386" "$BUILD/alloc/$a/alloc-test" --list | wc -l)
        run "$MEMKIT_ROOT/tools/run-i386" "$BUILD/alloc/$a/alloc-test"
        assert_success
        refute_line --partial "[FAIL]"
        assert_line --regexp '^\[OK\]   coalesces: '
        assert_line --regexp '^\[OK\]   splits: '
        assert_equal "${lines[-1]}" "$n passed, 0 failed"
    done
}

@test "natively each boundary-tag allocator returns 0 when RLIMIT_DATA stops brk" {
    skip_unless_native
    for a in $TAGS; do
        QEMU= run -0 "$MEMKIT_ROOT/tools/run-i386" \
            "$BUILD/alloc/$a/alloc-test" brk-failure callee-saved
        assert_line "       RLIMIT_DATA lowered: brk refuses past 1 MiB more"
        assert_equal "${lines[-1]}" "2 passed, 0 failed"
    done
}

@test "each allocator declares the properties it has and no others" {
    run -0 props coalesce layout
    assert_line "       props: splits coalesces first-fit"
    for a in bestfit nextfit explicit; do
        run -0 props "$a" layout
        assert_line "       props: splits coalesces"
    done
}

@test "the heap walked through memkit_layout holds the blocks allocate returned" {
    every_allocator layout
}

@test "a small request splits a big free block and leaves the rest free" {
    every_allocator split
}

@test "a freed block merges with the free block after it" {
    every_allocator merge-forward
}

@test "a freed block merges with the free block before it" {
    every_allocator merge-backward
}

@test "freeing the middle of three blocks leaves one free block spanning all three" {
    every_allocator merge-both
}

@test "coalesce takes the lowest free block that fits, and only it passes first-fit" {
    run -0 props coalesce first-fit
    assert_equal "${lines[-1]}" "1 passed, 0 failed"
    for a in bestfit nextfit explicit; do
        run -1 props "$a" first-fit
        assert_line --partial "[FAIL]"
    done
}

@test "bestfit takes the smallest free block that fits, and only it passes best-fit" {
    run -0 props bestfit best-fit
    assert_equal "${lines[-1]}" "1 passed, 0 failed"
    for a in coalesce nextfit explicit; do
        run -1 props "$a" best-fit
        assert_line --partial "[FAIL]"
    done
}

@test "nextfit resumes after its last placement and wraps, and only it passes next-fit" {
    run -0 props nextfit next-fit
    assert_equal "${lines[-1]}" "1 passed, 0 failed"
    for a in coalesce bestfit explicit; do
        run -1 props "$a" next-fit
        assert_line --partial "[FAIL]"
    done
}

@test "explicit takes the most recently freed block that fits, and only it passes lifo" {
    run -0 props explicit lifo
    assert_equal "${lines[-1]}" "1 passed, 0 failed"
    for a in coalesce bestfit nextfit; do
        run -1 props "$a" lifo
        assert_line --partial "[FAIL]"
    done
}

@test "reallocate grows and shrinks in place, moves, frees and fails like realloc" {
    every_allocator realloc
}

@test "every path of reallocate and heap_check keeps %ebx %esi %edi %ebp %esp and DF" {
    every_allocator callee-saved
}

@test "heap_check stays 0 after every one of 100000 random calls with reallocate" {
    for a in $TAGS; do
        run -0 props "$a" random
        assert_line "       heap_check calls returning 0: 100001"
        assert_line --regexp '^       reallocate calls: [1-9][0-9]+$'
        assert_line --regexp '^       peak live / heap, %: [1-9][0-9]?$'
        assert_equal "${lines[-1]}" "1 passed, 0 failed"
    done
}

@test "heap_check reports damaged tags, a damaged prologue or epilogue, bad heap bounds and adjacent free blocks" {
    for a in $TAGS; do
        run -0 props "$a" checker
        # the codes of tags-core.inc, one per kind of damage
        assert_line "       b's footer size: heap_check() = 5"
        assert_line "       b's footer state: heap_check() = 5"
        assert_line "       b's size past the break: heap_check() = 4"
        assert_line "       a stray bit in b's header: heap_check() = 3"
        assert_line "       the word before the first block (prologue): heap_check() = 2"
        assert_line "       the tail (epilogue): heap_check() = 8"
        assert_line "       current_break below heap_begin: heap_check() = 1"
        assert_line "       heap_begin not 8-byte aligned: heap_check() = 6"
        assert_line "       two free blocks side by side: heap_check() = 7"
        assert_equal "${lines[-1]}" "1 passed, 0 failed"
    done
}

@test "explicit's heap_check reports a broken prev link, a used block on the list and a cut list" {
    run -0 props explicit checker-list
    assert_line "       a's prev link: heap_check() = 10"
    refute_line --regexp "heap_check\(\) = 0$"
    assert_equal "${lines[-1]}" "1 passed, 0 failed"
    # the allocators without a list have nothing there to damage
    run -1 props coalesce checker-list
    assert_line "       a's prev link: heap_check() = 0"
}

@test "nextfit's heap_check reports a rover left inside a block" {
    run -0 props nextfit checker-rover
    assert_line "       the rover inside a block: heap_check() = 12"
    assert_equal "${lines[-1]}" "1 passed, 0 failed"
    # the same well-formed heap is consistent for an allocator without one
    run -1 props coalesce checker-rover
    assert_line "       the rover inside a block: heap_check() = 0"
}

@test "alloc-props refuses to run against an allocator without heap_check" {
    run -1 "$MEMKIT_ROOT/tools/run-i386" "$BUILD/alloc-props" split
    assert_line --partial "exports no heap_check, reallocate or memkit_layout"
    assert_equal "${lines[-1]}" "0 passed, 1 failed"
}

@test "a copy of coalesce.s in another directory assembles against the shared core" {
    mkdir "my allocs"
    cp "$MEMKIT_ROOT/asm/allocators/coalesce.s" "my allocs/mine.s"
    run -0 "${CROSS}as" --32 -I "$MEMKIT_ROOT/asm" -I "my allocs" \
        -o "my allocs/mine.o" "my allocs/mine.s"
    run -0 "${CROSS}nm" "my allocs/mine.o"
    assert_line --regexp ' T heap_check$'
    assert_line --regexp ' T reallocate$'
    assert_line --regexp ' R memkit_layout$'
}

@test "the demo shows three freed neighbours become one free block that a request splits" {
    for a in $TAGS; do
        run -0 props "$a" --demo
        # after deallocate(b): one free block of 3 x 48 bytes, then the guard
        assert_equal "$(sed -n '/^deallocate(b)/,/heap_check/p' <<<"$output")" \
"deallocate(b): merges both ways, one free block
  offset   size  state
  +0x000c    144  free
  +0x009c     24  used
  heap_check() = 0"
        assert_line "allocate(16) takes its front, splits off the rest"
        assert_line "  +0x0024    120  free"
    done
}
