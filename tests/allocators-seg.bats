#!/usr/bin/env bats
# allocators-seg: segfit, buddy, bitmap and tlsf (asm/allocators/) against
# the allocator contract, alloc-test (c-harness/contract/): the universal
# cases, the ones their exports call for (reallocate, heap_check,
# memkit_layout) and the ones of the design properties each declares
# (grows-in-chunks, trims, buddies, good-fit, ...). mk/allocators.mk
# builds every kit allocator on every `make`, into build/alloc/NAME/.

bats_require_minimum_version 1.5.0
load test_helper

SEG="segfit buddy bitmap tlsf"

# One run of each allocator's declared and export cases for the whole
# file: most tests read what they printed (save_declared_runs, saved:
# test_helper). The universal cases are make check's (tests/check.bats).
setup_file() {
    save_declared_runs $SEG
}

setup() {
    skip_if_withheld asm/allocators/seg-core.inc asm/allocators/segfit.s \
        asm/allocators/buddy.s asm/allocators/bitmap.s
    memkit_setup
}

# core_twin SCRIPT — segfit linked with the contract (alloc-test) as ./seg-test,
# against a scratch copy of seg-core.inc (the plumbing segfit shares with
# buddy, bitmap and tlsf) changed by the sed, awk or perl command in
# SCRIPT's place: the caller writes it to allocators/seg-core.inc, which
# -I . finds before the kit's. Fails if the copy is unchanged.
core_twin() {
    refute cmp -s allocators/seg-core.inc "$MEMKIT_ROOT/asm/allocators/seg-core.inc"
    "${CROSS}as" --32 -I "$PWD" -I "$MEMKIT_ROOT/asm" -o twin.o \
        "$MEMKIT_ROOT/asm/allocators/segfit.s"
    link_contract seg-test twin.o
}

# seg NAME ARGS... — run alloc-test of allocator NAME.
seg() {
    local name=$1; shift
    "$MEMKIT_ROOT/tools/run-i386" "$BUILD/alloc/$name/alloc-test" "$@"
}

# passed NAME ID... — NAME's plain run passed each case ID.
passed() {
    local id
    saved "$1"; shift
    for id in "$@"; do
        assert_line --regexp "^\[OK\]   $id: "
    done
}

# holds_contract NAME — the saved run passed every case it ran, and every
# case of each property the allocator declares (declared_cases).
holds_contract() {
    local n props p ids id
    n=$(wc -l < "$BATS_FILE_TMPDIR/$1.ids")
    saved "$1"
    assert_equal "$(cat "$BATS_FILE_TMPDIR/$1.rc")" 0
    refute_line --partial "[FAIL]"
    assert_equal "${lines[-1]}" "$n passed, 0 failed"
    props=$(declared_cases "$BUILD/alloc/$1/alloc-test")
    [ -n "$props" ]
    while read -r p ids; do             # each declared property's cases ran
        [ -n "$ids" ] || fail "no case checks $p"
        for id in $ids; do
            assert_line --regexp "^\[OK\]   $id: "
        done
    done <<<"$props"
}

@test "segfit passes every case its properties and exports call for" {
    holds_contract segfit
}

@test "buddy passes every case its properties and exports call for" {
    holds_contract buddy
}

@test "bitmap passes every case its properties and exports call for" {
    holds_contract bitmap
}

@test "tlsf passes every case its properties and exports call for" {
    holds_contract tlsf
}

@test "before allocate_init the four return 0 and never call brk" {
    for a in $SEG; do
        passed "$a" before-init
    done
}

@test "each of the four keeps heap_check at 0 through 100000 random calls with reallocate" {
    for a in $SEG; do
        passed "$a" realloc-random
        assert_line --regexp '^       100000 calls, [0-9]+ reallocate \([0-9]+ in place\), heap_check 0$'
    done
}

@test "heap_check of each of the four reports a corrupted heap" {
    for a in $SEG; do
        passed "$a" heap-check-damage
    done
}

@test "reallocate of each of the four handles NULL, size 0 and impossible sizes" {
    for a in $SEG; do
        passed "$a" realloc-edges
    done
}

@test "reallocate and heap_check of each of the four keep the callee-saved registers" {
    for a in $SEG; do
        passed "$a" realloc-callee-saved
    done
}

# twin NAME ORIGINAL — NAME.s, a scratch copy of asm/allocators/ORIGINAL.s
# that the caller changed, linked with alloc-test as ./seg-test; fails if
# the copy is unchanged.
twin() {
    refute cmp -s "$1.s" "$MEMKIT_ROOT/asm/allocators/$2.s"
    "${CROSS}as" --32 -I "$MEMKIT_ROOT/asm" -o "$1.o" "$1.s"
    link_contract seg-test "$1.o"
}

@test "a reallocate that clobbers %ebx fails realloc-callee-saved" {
    # The register check is checked: drop reallocate's push of %ebx from
    # segfit's (seg-core.inc's define_hw_reallocate) in a scratch copy;
    # its pop stays, so %ebx comes back wrong.
    mkdir allocators
    sed 's/^    fn_begin reallocate, %ebx, %esi, %edi$/    fn_begin reallocate, %esi, %edi/' \
        "$MEMKIT_ROOT/asm/allocators/seg-core.inc" > allocators/seg-core.inc
    core_twin
    run -1 i386 ./seg-test realloc-callee-saved
    assert_line --regexp '^\[FAIL\] got 0x[0-9a-f]+, expected 0x0 \(call2_checked'
    assert_line "0 passed, 1 failed"
}

@test "a heap_check that always answers 0 fails heap-check-damage" {
    # The checker is checked: make segfit's heap_check return 0 whatever
    # it found (its way out is seg-core.inc's hc_end), in a scratch copy,
    # and heap-check-damage must notice.
    mkdir allocators
    sed 's/^    movl  HC_ERR(%ebp), %eax$/    xorl  %eax, %eax/' \
        "$MEMKIT_ROOT/asm/allocators/seg-core.inc" > allocators/seg-core.inc
    core_twin
    run -1 i386 ./seg-test heap-check-damage
    assert_line --regexp '^\[FAIL\] got 0x0, expected 0x1 \(heap_check\(\) != 0, .*contract/checker\.c:[0-9]+\)$'
    assert_line "0 passed, 1 failed"
}

@test "a reallocate(p, 0) that returns a block fails realloc-edges: the kit's rule is glibc's" {
    # segfit with reallocate(p, 0) freeing p and then returning
    # allocate(0), in a scratch copy of seg-core.inc's realloc_edges:
    # docs/lab.md says it must return 0.
    mkdir allocators
    perl -0pe 's/(    call  deallocate\n    addl  \$4, %esp\n)    \.ifb \\zero\n    xorl  %eax, %eax\n    jmp   \\done\n    \.else\n    jmp   \\zero\n/$1    .ifb \\zero\n    xorl  %eax, %eax\n    jmp   \\done\n    .else\n    pushl \$0\n    call  allocate\n    addl  \$4, %esp\n    jmp   \\done\n/' \
        "$MEMKIT_ROOT/asm/allocators/seg-core.inc" > allocators/seg-core.inc
    core_twin
    run -1 i386 ./seg-test realloc-edges
    assert_line --regexp '^\[FAIL\] got 0x[0-9a-f]+, expected 0x0 \(reallocate\(p, 0\), .*contract/realloc\.c:[0-9]+\)$'
    assert_line "0 passed, 1 failed"
}

@test "segfit grows the break in chunks: 1000 allocations, at most 80 moves" {
    passed segfit grows-in-chunks
    assert_line --regexp '^       1000 x allocate\(32\): the break moved [0-9]+ times$'
}

@test "segfit gives a freed top block back: the break moves down in qemu-i386 -strace" {
    run -0 --separate-stderr env QEMU="qemu-i386 -strace" \
        "$MEMKIT_ROOT/tools/run-i386" "$BUILD/alloc/segfit/alloc-test" \
        --no-fork trims
    assert_line "1 passed, 0 failed"
    # the brk calls that moved the break, in order: up, up (1 MiB), down
    moves=$(sed -n 's/^[0-9]* brk(\(0x[0-9a-f]*\)) = \1$/\1/p' <<<"$stderr")
    [ "$(wc -l <<<"$moves")" -ge 3 ]
    big=$(tail -n 2 <<<"$moves" | head -n 1)
    last=$(tail -n 1 <<<"$moves")
    [ $((last)) -lt $((big)) ]
}

@test "segfit reallocate grows in place into a free neighbour and into the top" {
    passed segfit realloc-at-top realloc-in-place
}

@test "segfit merges a freed block with free neighbours above and below" {
    passed segfit merge-three merge-both
}

@test "buddy merges everything back into one free block when all is freed" {
    passed buddy buddy-merge
    assert_line --regexp '^       arena of [0-9]+ bytes is one free block again$'
}

@test "buddy splits two small blocks that are buddies by address" {
    passed buddy buddy-split
}

@test "buddy reallocate grows a lower half in place by taking its free buddies" {
    passed buddy buddy-realloc
}

@test "bitmap sets and clears exactly the chunk bits of each block" {
    passed bitmap bitmap-marks
}

@test "a segfit that loses split remainders fails the random case through heap_check" {
    # Drop the line that lists the rest of a split block: the rest is a
    # free block on no list, which only heap_check can see.
    sed '/^    bin_push %edi, %ebx, %edx$/d' \
        "$MEMKIT_ROOT/asm/allocators/segfit.s" > leaky.s
    twin leaky segfit
    run -1 i386 ./seg-test realloc-random
    # 6: a free block on no list
    assert_line --regexp '^\[FAIL\] got 0x6, expected 0x0 \(heap_check\(\), .*contract/realloc\.c:[0-9]+\)$'
    assert_line "0 passed, 1 failed"
}

@test "the bench-seg workload runs under qemu, ends consistent and refuses a bad N" {
    for a in $SEG; do
        run -0 seg "$a" --bench 200
        assert_output --regexp '^bench: 200 live blocks, 10000 deallocate \+ allocate pairs, live [0-9]+ bytes, heap [0-9]+ bytes$'
    done
    run -2 seg segfit --bench 0
    run -2 seg segfit --bench 16385
}

@test "every case of the four passes natively on an x86 host too" {
    skip_unless_native
    for a in $SEG; do
        QEMU= run -0 seg "$a"
        refute_line --partial "[FAIL]"
        assert_equal "${lines[-1]}" "$(seg "$a" --list | wc -l) passed, 0 failed"
    done
}

# ------------------------------------------------ tlsf

@test "tlsf takes a list whose every block fits, and its own list's head when that fits" {
    passed tlsf good-fit
}

@test "tlsf cuts small requests one after another from its designated remainder" {
    passed tlsf remainder
}

@test "tlsf moves the break by exactly the shortfall: one brk per growth, no slack" {
    passed tlsf grows-exactly
    assert_line '       1000 x allocate(32): heap 40008 bytes, the break moved 1000 times'
    # segfit's slack is what the case rules out
    run -1 seg segfit grows-exactly
    assert_line "0 passed, 1 failed"
}

@test "tlsf gives a freed top block back, grows in place and merges both ways" {
    passed tlsf trims realloc-at-top merge-three
}

@test "a tlsf without the good-fit rounding hands out a block too small: goodfit fails" {
    sed "s/^    decl  %edx                  # the slice's bytes - 1$/    xorl  %edx, %edx/" \
        "$MEMKIT_ROOT/asm/allocators/tlsf.s" > noround.s
    twin noround tlsf
    run -1 i386 ./seg-test good-fit
    assert_line --regexp '^\[FAIL\] got 0x[0-9a-f]+, expected 0x[0-9a-f]+ \(p, .*contract/fit\.c:[0-9]+\)$'
    assert_line "0 passed, 1 failed"
}

@test "a tlsf that never tries its own list's head grows the heap instead: goodfit fails" {
    sed 's/^    jb    .Lalloc_try_dv        # small lists are exact: it was empty$/    jmp   .Lalloc_try_dv/' \
        "$MEMKIT_ROOT/asm/allocators/tlsf.s" > nohead.s
    twin nohead tlsf
    run -1 i386 ./seg-test good-fit
    assert_line --regexp '^\[FAIL\] got 0x[0-9a-f]+, expected 0x[0-9a-f]+ \(q, .*contract/fit\.c:[0-9]+\)$'
    assert_line "0 passed, 1 failed"
}

@test "a tlsf whose insert forgets the class bit fails the random case through heap_check" {
    # the class bit is set in push_front, the one insert both insert
    # and deallocate's inlined one expand
    awk '/^\.macro push_front/ { r = 1 } r && /^    btsl  \\lst, fl_map/ { r = 0; next } { print }' \
        "$MEMKIT_ROOT/asm/allocators/tlsf.s" > noclass.s
    twin noclass tlsf
    run -1 i386 ./seg-test realloc-random
    # 8: a bitmap bit disagrees with its list or its class
    assert_line --regexp '^\[FAIL\] got 0x8, expected 0x0 \(heap_check\(\), .*contract/realloc\.c:[0-9]+\)$'
    assert_line "0 passed, 1 failed"
}
