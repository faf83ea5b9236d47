#!/usr/bin/env bats
# allocators-seg: segfit, buddy, bitmap and tlsf (asm/allocators/), each
# through the common contract (alloc-test) and its own promises
# (c-harness/alloc-seg-test.c). mk/allocators.mk builds every kit
# allocator on every `make`, into build/alloc/NAME/.

bats_require_minimum_version 1.5.0
load test_helper

setup() {
    skip_if_withheld asm/allocators/seg-core.inc asm/allocators/segfit.s \
        asm/allocators/buddy.s asm/allocators/bitmap.s
    memkit_setup
}

# core_twin SCRIPT — segfit linked with alloc-seg-test as ./seg-test,
# against a scratch copy of seg-core.inc (the plumbing segfit shares with
# buddy, bitmap and tlsf) changed by the sed, awk or perl command in
# SCRIPT's place: the caller writes it to allocators/seg-core.inc, which
# -I . finds before the kit's. Fails if the copy is unchanged.
core_twin() {
    refute cmp -s allocators/seg-core.inc "$MEMKIT_ROOT/asm/allocators/seg-core.inc"
    "${CROSS}as" --32 -I "$PWD" -I "$MEMKIT_ROOT/asm" -o twin.o \
        "$MEMKIT_ROOT/asm/allocators/segfit.s"
    "${CROSS}ld" -m elf_i386 -static -o seg-test \
        "$BUILD"/obj/c/{start,rt,alloc-seg-test,callcheck}.o twin.o
}

# seg NAME CASE... — run alloc-seg-test of allocator NAME.
seg() {
    local name=$1; shift
    "$MEMKIT_ROOT/tools/run-i386" "$BUILD/alloc/$name/alloc-seg-test" "$@"
}

# contract NAME — alloc-test with no arguments: the universal cases and
# the case of every property the allocator's memkit_props declares.
contract() {
    local n
    n=$("$MEMKIT_ROOT/tools/run-i386" "$BUILD/alloc/$1/alloc-test" --list | wc -l)
    run -0 "$MEMKIT_ROOT/tools/run-i386" "$BUILD/alloc/$1/alloc-test"
    refute_line --partial "[FAIL]"
    assert_equal "${lines[-1]}" "$n passed, 0 failed"
    local props p
    props=$("$MEMKIT_ROOT/tools/run-i386" "$BUILD/alloc/$1/alloc-test" --props)
    [ -n "$props" ]
    for p in $props; do                 # each declared property's case ran
        assert_line --regexp "^\[OK\]   $p: "
    done
}

@test "segfit passes the allocator contract, every property it declares included" {
    contract segfit
}

@test "buddy passes the allocator contract, every property it declares included" {
    contract buddy
}

@test "bitmap passes the allocator contract, every property it declares included" {
    contract bitmap
}

@test "tlsf passes the allocator contract, every property it declares included" {
    contract tlsf
}

@test "before allocate_init the four return 0 and never call brk" {
    for a in segfit buddy bitmap tlsf; do
        run -0 "$MEMKIT_ROOT/tools/run-i386" "$BUILD/alloc/$a/alloc-test" \
            before-init
        assert_line "1 passed, 0 failed"
    done
}

@test "segfit keeps heap_check at 0 through 100000 random calls with reallocate" {
    run -0 seg segfit random
    assert_line --regexp '^       100000 calls, [0-9]+ reallocate \([0-9]+ in place\), heap_check 0$'
    assert_line "1 passed, 0 failed"
}

@test "buddy keeps heap_check at 0 through 100000 random calls with reallocate" {
    run -0 seg buddy random
    assert_line "1 passed, 0 failed"
}

@test "bitmap keeps heap_check at 0 through 100000 random calls with reallocate" {
    run -0 seg bitmap random
    assert_line "1 passed, 0 failed"
}

@test "tlsf keeps heap_check at 0 through 100000 random calls with reallocate" {
    run -0 seg tlsf random
    assert_line --regexp '^       100000 calls, [0-9]+ reallocate \([0-9]+ in place\), heap_check 0$'
    assert_line "1 passed, 0 failed"
}

@test "heap_check of each of the four reports a corrupted heap" {
    for a in segfit buddy bitmap tlsf; do
        run -0 seg "$a" corrupt
        assert_line "1 passed, 0 failed"
    done
}

@test "reallocate of each of the four handles NULL, size 0 and impossible sizes" {
    for a in segfit buddy bitmap tlsf; do
        run -0 seg "$a" realloc
        assert_line "1 passed, 0 failed"
    done
}

@test "reallocate and heap_check of each of the four keep the callee-saved registers" {
    for a in segfit buddy bitmap tlsf; do
        run -0 seg "$a" callee-saved
        assert_line "1 passed, 0 failed"
    done
}

@test "a reallocate that clobbers %ebx fails the callee-saved case" {
    # The register check is checked: drop reallocate's push of %ebx from
    # segfit's (seg-core.inc's define_hw_reallocate) in a scratch copy;
    # its pop stays, so %ebx comes back wrong.
    mkdir allocators
    sed 's/^    fn_begin reallocate, %ebx, %esi, %edi$/    fn_begin reallocate, %esi, %edi/' \
        "$MEMKIT_ROOT/asm/allocators/seg-core.inc" > allocators/seg-core.inc
    core_twin
    run -1 i386 ./seg-test callee-saved
    assert_line --regexp '^\[FAIL\] got 0x[0-9a-f]+, expected 0x0 \(call2_checked'
    assert_line "0 passed, 1 failed"
}

@test "a heap_check that always answers 0 fails the corrupt case" {
    # The checker is checked: make segfit's heap_check return 0 whatever
    # it found (its way out is seg-core.inc's hc_end), in a scratch copy,
    # and the corrupt case must notice.
    mkdir allocators
    sed 's/^    movl  HC_ERR(%ebp), %eax$/    xorl  %eax, %eax/' \
        "$MEMKIT_ROOT/asm/allocators/seg-core.inc" > allocators/seg-core.inc
    core_twin
    run -1 i386 ./seg-test corrupt
    assert_line --regexp '^\[FAIL\] got 0x0, expected 0x1 \(heap_check\(\) != 0, .*alloc-seg-test\.c:[0-9]+\)$'
    assert_line "0 passed, 1 failed"
}

@test "a reallocate(p, 0) that returns a block fails the realloc case: the kit's rule is glibc's" {
    # segfit with reallocate(p, 0) freeing p and then returning
    # allocate(0), in a scratch copy of seg-core.inc's realloc_edges:
    # docs/lab.md says it must return 0.
    mkdir allocators
    perl -0pe 's/(    call  deallocate\n    addl  \$4, %esp\n)    \.ifb \\zero\n    xorl  %eax, %eax\n    jmp   \\done\n    \.else\n    jmp   \\zero\n/$1    .ifb \\zero\n    xorl  %eax, %eax\n    jmp   \\done\n    .else\n    pushl \$0\n    call  allocate\n    addl  \$4, %esp\n    jmp   \\done\n/' \
        "$MEMKIT_ROOT/asm/allocators/seg-core.inc" > allocators/seg-core.inc
    core_twin
    run -1 i386 ./seg-test realloc
    assert_line --regexp '^\[FAIL\] got 0x[0-9a-f]+, expected 0x0 \(reallocate\(p, 0\), .*alloc-seg-test\.c:[0-9]+\)$'
    assert_line "0 passed, 1 failed"
}

@test "segfit grows the break in chunks: 1000 allocations, at most 80 moves" {
    run -0 seg segfit segfit-chunks
    assert_line --regexp '^       1000 x allocate\(32\): the break moved [0-9]+ times$'
    assert_line "1 passed, 0 failed"
}

@test "segfit gives a freed top block back: the break moves down in qemu-i386 -strace" {
    run -0 --separate-stderr env QEMU="qemu-i386 -strace" \
        "$MEMKIT_ROOT/tools/run-i386" "$BUILD/alloc/segfit/alloc-seg-test" \
        segfit-trim
    assert_line "1 passed, 0 failed"
    # the brk calls that moved the break, in order: up, up (1 MiB), down
    moves=$(sed -n 's/^[0-9]* brk(\(0x[0-9a-f]*\)) = \1$/\1/p' <<<"$stderr")
    [ "$(wc -l <<<"$moves")" -ge 3 ]
    big=$(tail -n 2 <<<"$moves" | head -n 1)
    last=$(tail -n 1 <<<"$moves")
    [ $((last)) -lt $((big)) ]
}

@test "segfit reallocate grows in place into a free neighbour and into the top" {
    run -0 seg segfit segfit-realloc
    assert_line "1 passed, 0 failed"
}

@test "segfit merges a freed block with free neighbours above and below" {
    run -0 seg segfit segfit-coalesce
    assert_line "1 passed, 0 failed"
}

@test "buddy merges everything back into one free block when all is freed" {
    run -0 seg buddy buddy-merge
    assert_line --regexp '^       arena of [0-9]+ bytes is one free block again$'
    assert_line "1 passed, 0 failed"
}

@test "buddy splits two small blocks that are buddies by address" {
    run -0 seg buddy buddy-split
    assert_line "1 passed, 0 failed"
}

@test "buddy reallocate grows a lower half in place by taking its free buddies" {
    run -0 seg buddy buddy-realloc
    assert_line "1 passed, 0 failed"
}

@test "bitmap sets and clears exactly the chunk bits of each block" {
    run -0 seg bitmap bitmap-marks
    assert_line "1 passed, 0 failed"
}

@test "alloc-seg-test with no case or an unknown case exits 2" {
    run -2 seg segfit
    run -2 --separate-stderr seg segfit no-such-case
    [[ "$stderr" == *"no case 'no-such-case'"* ]]
}

@test "a segfit that loses split remainders fails the random case through heap_check" {
    # Drop the line that lists the rest of a split block: the rest is a
    # free block on no list, which only heap_check can see.
    sed '/^    bin_push %edi, %ebx, %edx$/d' \
        "$MEMKIT_ROOT/asm/allocators/segfit.s" > leaky.s
    refute cmp -s leaky.s "$MEMKIT_ROOT/asm/allocators/segfit.s"
    "${CROSS}as" --32 -I "$MEMKIT_ROOT/asm" -o leaky.o leaky.s
    "${CROSS}ld" -m elf_i386 -static -o seg-test \
        "$BUILD"/obj/c/{start,rt,alloc-seg-test,callcheck}.o leaky.o
    run -1 i386 ./seg-test random
    # 6: a free block on no list
    assert_line --regexp '^\[FAIL\] got 0x6, expected 0x0 \(heap_check\(\), .*alloc-seg-test\.c:[0-9]+\)$'
    assert_line "0 passed, 1 failed"
}

@test "the bench-seg workload runs under qemu, ends consistent and refuses a bad N" {
    for a in segfit buddy bitmap tlsf; do
        run -0 seg "$a" --bench 200
        assert_output --regexp '^bench: 200 live blocks, 10000 deallocate \+ allocate pairs, live [0-9]+ bytes, heap [0-9]+ bytes$'
    done
    run -2 seg segfit --bench 0
    run -2 seg segfit --bench 16385
}

@test "every case of the four passes natively on an x86 host too" {
    skip_unless_native
    for a in segfit buddy bitmap tlsf; do
        cases=$(seg "$a" --list | awk -v a="$a" \
            '$1 !~ /-/ || index($1, a "-") == 1 || $1 == "callee-saved" { print $1 }')
        for c in $cases; do
            QEMU= run -0 seg "$a" "$c"
            assert_line "1 passed, 0 failed"
        done
    done
}

# ------------------------------------------------ tlsf

# tlsf_twin NAME SCRIPT — a scratch copy of tlsf.s changed by the sed or
# awk command in SCRIPT's place (the caller writes NAME.s), linked with
# alloc-seg-test as ./seg-test; fails if the copy is unchanged.
tlsf_twin() {
    refute cmp -s "$1.s" "$MEMKIT_ROOT/asm/allocators/tlsf.s"
    "${CROSS}as" --32 -I "$MEMKIT_ROOT/asm" -o "$1.o" "$1.s"
    "${CROSS}ld" -m elf_i386 -static -o seg-test \
        "$BUILD"/obj/c/{start,rt,alloc-seg-test,callcheck}.o "$1.o"
}

@test "tlsf takes a list whose every block fits, and its own list's head when that fits" {
    run -0 seg tlsf tlsf-goodfit
    assert_line "1 passed, 0 failed"
}

@test "tlsf cuts small requests one after another from its designated remainder" {
    run -0 seg tlsf tlsf-remainder
    assert_line "1 passed, 0 failed"
}

@test "tlsf moves the break by exactly the shortfall: one brk per growth, no slack" {
    run -0 seg tlsf tlsf-growth
    assert_line '       1000 x allocate(32): heap 40008 bytes, the break moved 1000 times'
    assert_line "1 passed, 0 failed"
    # segfit's slack is what the case rules out
    run -1 seg segfit tlsf-growth
    assert_line "0 passed, 1 failed"
}

@test "tlsf gives a freed top block back, grows in place and merges both ways" {
    run -0 seg tlsf tlsf-trim tlsf-realloc tlsf-coalesce
    assert_line "3 passed, 0 failed"
}

@test "a tlsf without the good-fit rounding hands out a block too small: goodfit fails" {
    sed "s/^    decl  %edx                  # the slice's bytes - 1$/    xorl  %edx, %edx/" \
        "$MEMKIT_ROOT/asm/allocators/tlsf.s" > noround.s
    tlsf_twin noround
    run -1 i386 ./seg-test tlsf-goodfit
    assert_line --regexp '^\[FAIL\] got 0x[0-9a-f]+, expected 0x[0-9a-f]+ \(p, .*alloc-seg-test\.c:[0-9]+\)$'
    assert_line "0 passed, 1 failed"
}

@test "a tlsf that never tries its own list's head grows the heap instead: goodfit fails" {
    sed 's/^    jb    .Lalloc_try_dv        # small lists are exact: it was empty$/    jmp   .Lalloc_try_dv/' \
        "$MEMKIT_ROOT/asm/allocators/tlsf.s" > nohead.s
    tlsf_twin nohead
    run -1 i386 ./seg-test tlsf-goodfit
    assert_line --regexp '^\[FAIL\] got 0x[0-9a-f]+, expected 0x[0-9a-f]+ \(q, .*alloc-seg-test\.c:[0-9]+\)$'
    assert_line "0 passed, 1 failed"
}

@test "a tlsf whose insert forgets the class bit fails the random case through heap_check" {
    # the class bit is set in push_front, the one insert both insert
    # and deallocate's inlined one expand
    awk '/^\.macro push_front/ { r = 1 } r && /^    btsl  \\lst, fl_map/ { r = 0; next } { print }' \
        "$MEMKIT_ROOT/asm/allocators/tlsf.s" > noclass.s
    tlsf_twin noclass
    run -1 i386 ./seg-test random
    # 8: a bitmap bit disagrees with its list or its class
    assert_line --regexp '^\[FAIL\] got 0x8, expected 0x0 \(heap_check\(\), .*alloc-seg-test\.c:[0-9]+\)$'
    assert_line "0 passed, 1 failed"
}
