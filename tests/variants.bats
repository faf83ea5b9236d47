#!/usr/bin/env bats
# The kit's solutions to the chapter's first two exercises,
# asm/allocators/autoinit.s and asm/allocators/split.s (docs/exercises.md).
# `make` builds the programs against each into build/alloc/NAME/
# (mk/variants.mk). The heap-map steps show the behaviour each exercise
# asks for, directly; alloc-test checks the rest of the contract.

bats_require_minimum_version 1.5.0
load test_helper

setup() {
    skip_if_withheld asm/allocators/autoinit.s asm/allocators/split.s
    memkit_setup
    AUTOINIT="$BUILD/alloc/autoinit"
    SPLIT="$BUILD/alloc/split"
}

# The cases of alloc-test in DIR, less the ones named after it.
cases_except() {
    local dir=$1; shift
    local skip=" $* "
    i386 "$dir/alloc-test" --list | while read -r id _; do
        [[ "$skip" == *" $id "* ]] || echo "$id"
    done
}

# ---- autoinit

@test "autoinit declares auto-init first-fit book-header in memkit_props" {
    run -0 grep -a -c 'auto-init first-fit book-header' "$AUTOINIT/heap-map"
}

@test "autoinit: allocate before allocate_init starts the heap and returns a block" {
    run -0 i386 "$AUTOINIT/heap-map" a16 i a8
    assert_line "== step 1: #1 = allocate(16): allocate starts the heap itself (auto-init), the heap grows by 24 bytes -> payload +0x0008"
    assert_line --regexp '^heap: begin (0x[0-9a-f]{8})  break 0x[0-9a-f]{8}  \(24 bytes, 1 block\)$'
    # brk(0) by allocate's own allocate_init, then the growth: 2 calls,
    # and the second allocate grows once more.
    assert_line --regexp '^brk calls seen: 3 '
}

@test "autoinit: a later allocate_init keeps the blocks allocate made" {
    run -0 i386 "$AUTOINIT/heap-map" a16 i
    run -0 awk '/^== step 2:/{p=1} p' <<<"$output"
    assert_line --partial "(24 bytes, 1 block)"
    assert_line --regexp '^  \+0x0000  0x[0-9a-f]{8}  0x[0-9a-f]{8}    16  used$'
}

@test "the reference, by contrast, returns 0 from allocate before allocate_init" {
    run -0 i386 "$BUILD/heap-map" a16 i
    assert_line --partial "#1 = allocate(16): returns 0: no heap (allocate_init has not run)"
}

@test "autoinit passes every contract case but the reference's before-init" {
    run -0 i386 "$AUTOINIT/alloc-test" $(cases_except "$AUTOINIT" before-init)
    assert_line --regexp '^[1-9][0-9]* passed, 0 failed$'
}

@test "autoinit's heap starts on the first allocate, natively too (the initial break is randomised)" {
    skip_unless_native
    QEMU= run -0 "$MEMKIT_ROOT/tools/run-i386" "$AUTOINIT/heap-map" a16
    assert_line --partial "(24 bytes, 1 block)"
}

# ---- split

@test "split declares splits first-fit book-header in memkit_props" {
    run -0 grep -a -c 'splits first-fit book-header' "$SPLIT/heap-map"
}

@test "split: a free block larger than the request is cut in two, the new header counted" {
    run -0 i386 "$SPLIT/heap-map" a64 f1 a16
    assert_line "== step 4: #2 = allocate(16): first fit splits #1's block: 16 bytes used, a free remainder of 40 bytes -> payload +0x0008"
    run -0 awk '/^== step 4:/{p=1} p' <<<"$output"
    # 64 = 16 + 8 (the remainder's header) + 40; the break did not move.
    assert_line --partial "(72 bytes, 2 blocks)"
    assert_line --regexp '^  \+0x0000  0x[0-9a-f]{8}  0x[0-9a-f]{8}    16  used$'
    assert_line --regexp '^  \+0x0018  0x[0-9a-f]{8}  0x[0-9a-f]{8}    40  free$'
    assert_line "totals: used 16, free 40, headers 16, largest free 40"
}

@test "split: the remainder is an ordinary free block, reused without moving the break" {
    run -0 i386 "$SPLIT/heap-map" a64 f1 a16 a40
    assert_line "== step 5: #3 = allocate(40): first fit reuses the free block at +0x0018, an exact fit -> payload +0x0020"
    assert_line --regexp '^brk calls seen: 2 '
}

@test "split: a leftover too small for a header and 8 bytes stays in the block handed out" {
    # 32 - 24 = 8 left: no room for an 8-byte header plus an 8-byte payload.
    run -0 i386 "$SPLIT/heap-map" a32 f1 a24
    assert_line --partial "#2 = allocate(24): first fit reuses #1's block, whole (no split)"
    # 32 - 16 = 16 left: exactly a header and the smallest payload.
    run -0 i386 "$SPLIT/heap-map" a32 f1 a16
    assert_line --partial "#2 = allocate(16): first fit splits #1's block: 16 bytes used, a free remainder of 8 bytes"
}

@test "split runs the kit's demo like the reference: no request there leaves room to split" {
    # Step 7 leaves 32 - 24 = 8 bytes, step 10 leaves 16 - 8 = 8: too
    # little for a header and a payload, so both blocks go out whole.
    run -0 i386 "$SPLIT/heap-map"
    diff -u "$FIXTURES/heap-map.expected" \
        <(sed -E 's/0x[0-9a-f]{8}/0x????????/g' <<<"$output")
}

@test "split passes every case of the contract" {
    run -0 i386 "$SPLIT/alloc-test"
    assert_line --regexp '^[1-9][0-9]* passed, 0 failed$'
}

@test "a split that forgets the new header is caught: the heap no longer adds up" {
    # The chapter's warning, made real: leave out the line that takes the
    # remainder's header off its size.
    grep -v 'subl  $HEADER_SIZE, %edx    # payload of the back part' \
        "$MEMKIT_ROOT/asm/allocators/split.s" > broken.s
    refute cmp -s broken.s "$MEMKIT_ROOT/asm/allocators/split.s"
    "${CROSS}as" --32 -I "$MEMKIT_ROOT/asm" -o broken.o broken.s
    "${CROSS}ld" -m elf_i386 -static -o heap-map \
        "$BUILD"/obj/c/{start,rt,heap-map,heapmap}.o broken.o
    run -0 i386 "$PWD/heap-map" a64 f1 a16
    assert_line --partial "#2 = allocate(16): the heap no longer adds up after this call (the map shows where)"
    assert_line --regexp '^heap: corrupt header at 0x[0-9a-f]{8}: size runs past the break; stopping$'
    refute_line --partial "a free remainder of 40 bytes"
}
