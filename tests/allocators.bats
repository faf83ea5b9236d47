#!/usr/bin/env bats
# allocators: the boundary-tag allocators in asm/allocators/ (coalesce,
# bestfit, nextfit, explicit, on tags-core.inc) against the allocator
# contract, alloc-test (c-harness/contract/): the universal cases, the
# ones their exports (reallocate, heap_check, memkit_layout) call for,
# and the ones of the properties each declares (boundary-tags,
# coalesces-at-once, reallocate-in-place, its fit policy, ...). `make`
# builds every kit allocator into build/alloc/NAME/ (mk/allocators.mk).

bats_require_minimum_version 1.5.0
load test_helper

TAGS="coalesce bestfit nextfit explicit"

# One run of each allocator's declared and export cases for the whole
# file: most tests read what they printed (save_declared_runs, saved:
# test_helper). The universal cases are make check's (tests/check.bats).
setup_file() {
    save_declared_runs $TAGS
}

setup() {
    skip_if_withheld asm/allocators/tags-core.inc asm/allocators/coalesce.s \
        asm/allocators/bestfit.s asm/allocators/nextfit.s asm/allocators/explicit.s
    memkit_setup
}

# contract NAME ARGS... — run alloc-test of allocator NAME.
contract() {
    local name=$1; shift
    "$MEMKIT_ROOT/tools/run-i386" "$BUILD/alloc/$name/alloc-test" "$@"
}

# every_allocator_ok ID — the saved run of each of the four passed ID.
every_allocator_ok() {
    local a
    for a in $TAGS; do
        saved "$a"
        assert_line --regexp "^\[OK\]   $1: " || { echo "$a: $output"; return 1; }
    done
}

@test "each boundary-tag allocator passes every case its properties and exports call for" {
    for a in $TAGS; do
        saved "$a"
        assert_equal "$(cat "$BATS_FILE_TMPDIR/$a.rc")" 0
        refute_line --partial "[FAIL]"
        while read -r id; do
            assert_line --regexp "^\[OK\]   $id: "
        done < "$BATS_FILE_TMPDIR/$a.ids"
        assert_equal "${lines[-1]}" "$(wc -l < "$BATS_FILE_TMPDIR/$a.ids") passed, 0 failed"
        [ "$(wc -l < "$BATS_FILE_TMPDIR/$a.ids")" -ge 15 ]
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
    run -0 contract coalesce --props
    assert_equal "$(paste -sd' ' <<<"$output")" "splits coalesces first-fit boundary-tags coalesces-at-once reallocate-in-place"
    run -0 contract bestfit --props
    assert_equal "$(paste -sd' ' <<<"$output")" "splits coalesces best-fit boundary-tags coalesces-at-once reallocate-in-place"
    run -0 contract nextfit --props
    assert_equal "$(paste -sd' ' <<<"$output")" "splits coalesces next-fit boundary-tags coalesces-at-once reallocate-in-place"
    run -0 contract explicit --props
    assert_equal "$(paste -sd' ' <<<"$output")" "splits coalesces lifo boundary-tags coalesces-at-once free-lists reallocate-in-place"
}

@test "the heap walked through memkit_layout holds the blocks allocate returned" {
    every_allocator_ok layout
}

@test "a small request splits a big free block and leaves the rest free" {
    every_allocator_ok split-front
}

@test "a freed block merges with the free block after it" {
    every_allocator_ok merge-forward
}

@test "a freed block merges with the free block before it" {
    every_allocator_ok merge-backward
}

@test "freeing the middle of three blocks leaves one free block spanning all three" {
    every_allocator_ok merge-both
    every_allocator_ok merge-three
}

# policy ALLOCATOR CASE — CASE passed in ALLOCATOR's plain run, and fails
# for each of the other three when named.
policy() {
    local a
    saved "$1"
    assert_line --regexp "^\[OK\]   $2: "
    for a in $TAGS; do
        [ "$a" = "$1" ] && continue
        run -1 contract "$a" "$2"
        assert_line --partial "[FAIL]"
        assert_equal "${lines[-1]}" "0 passed, 1 failed"
    done
}

@test "coalesce takes the lowest free block that fits, and only it passes first-fit" {
    policy coalesce first-fit-policy
}

@test "bestfit takes the smallest free block that fits, and only it passes best-fit" {
    policy bestfit best-fit
}

@test "nextfit resumes after its last placement and wraps, and only it passes next-fit" {
    policy nextfit next-fit
}

@test "explicit takes the most recently freed block that fits, and only it passes lifo" {
    policy explicit lifo
}

@test "reallocate grows and shrinks in place, moves, frees and fails like realloc" {
    every_allocator_ok realloc-in-place
    every_allocator_ok realloc-edges
}

@test "every path of reallocate and heap_check keeps %ebx %esi %edi %ebp %esp and DF" {
    every_allocator_ok in-place-callee-saved
    every_allocator_ok realloc-callee-saved
}

@test "heap_check stays 0 after every one of 100000 random calls with reallocate" {
    every_allocator_ok realloc-random
    for a in $TAGS; do
        saved "$a"
        assert_line --regexp '^\[OK\]   random-merges: '
        assert_line "       heap_check calls returning 0: 100001"
        assert_line --regexp '^       reallocate calls: [1-9][0-9]+$'
        assert_line --regexp '^       of them moved: [1-9][0-9]*$'
        assert_line --regexp '^       peak live / heap, %: [1-9][0-9]?$'
    done
}

@test "heap_check reports damaged tags, a damaged prologue or epilogue, bad heap bounds and adjacent free blocks" {
    every_allocator_ok heap-check-damage
    for a in $TAGS; do
        saved "$a"
        assert_line --regexp '^\[OK\]   checker: '
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
    done
}

@test "explicit's heap_check reports a broken prev link, a used block on the list and a cut list" {
    saved explicit
    assert_line --regexp '^\[OK\]   checker-list: '
    assert_line "       a's prev link: heap_check() = 10"
    refute_line --regexp "heap_check\(\) = 0$"
    # the allocators without a list have nothing there to damage
    run -1 contract coalesce checker-list
    assert_line "       a's prev link: heap_check() = 0"
}

@test "nextfit's heap_check reports a rover left inside a block" {
    saved nextfit
    assert_line --regexp '^\[OK\]   checker-rover: '
    assert_line "       the rover inside a block: heap_check() = 12"
    # the same well-formed heap is consistent for an allocator without one
    run -1 contract coalesce checker-rover
    assert_line "       the rover inside a block: heap_check() = 0"
}

@test "a case whose export is missing fails at once when named, and a plain run leaves it out" {
    run -1 i386 alloc-test split-front
    assert_line --regexp '^\[FAIL\] got 0x0, expected 0x1 \(split-front: the case needs heap_check, which the allocator does not export, '
    assert_equal "${lines[-1]}" "0 passed, 1 failed"
    run -0 i386 alloc-test --list
    refute_line --regexp '^split-front  '
    run -2 --separate-stderr i386 alloc-test --demo
    [[ "$stderr" == *"exports no such thing"* ]]
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
        run -0 contract "$a" --demo
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
