#!/usr/bin/env bats
# heap-map: the heap map printer (c-harness/heapmap.c) and the demo
# program (c-harness/heap-map.c) that prints the map after each step of a
# fixed sequence. Absolute addresses differ between runs natively (ASLR),
# so comparisons use the offset/size/state columns.

bats_require_minimum_version 1.5.0
load test_helper

setup() {
    memkit_setup
}

# Replace absolute addresses by 0x????????, keeping everything else.
strip_addresses() {
    sed -E 's/0x[0-9a-f]{8}/0x????????/g'
}

# The map printed after step N of the demo ($output), addresses stripped.
step_map() {
    awk -v n="$1" '/^== step /{p = ($3 == n":")} p' <<<"$output" | strip_addresses
}

@test "the demo's maps match the expected offsets, sizes and states" {
    run -0 i386 heap-map
    diff -u "$FIXTURES/heap-map.expected" <(strip_addresses <<<"$output")
}

@test "before allocate_init the map says the heap is not initialised" {
    run -0 i386 heap-map
    assert_equal "$(step_map 1 | sed -n 2p)" \
        "heap: not initialised (heap_begin is 0)"
}

@test "allocate_init leaves an empty heap: begin equals break" {
    run -0 i386 heap-map
    assert_line --regexp '^heap: begin (0x[0-9a-f]{8})  break \1  \(0 bytes, 0 blocks\)$'
}

@test "a freed block is reused whole by a smaller request (first fit, no split)" {
    run -0 i386 heap-map
    run -0 step_map 7
    assert_line --partial "d = allocate(24)"
    assert_line --partial "-> payload +0x0020"
    assert_line "  +0x0018  0x????????  0x????????    32  used"
    assert_line "totals: used 80, free 0, headers 24, largest free 0"
}

@test "two free neighbours are not merged: a request that fits both grows the heap" {
    run -0 i386 heap-map
    run -0 step_map 9
    assert_line "  +0x0000  0x????????  0x????????    16  free"
    assert_line "  +0x0018  0x????????  0x????????    32  free"
    assert_line "  +0x0068  0x????????  0x????????    40  used"
    assert_line --partial "(152 bytes, 4 blocks)"
}

@test "every map's totals add up to the heap's bytes" {
    # used + free + headers = break - begin, for each map printed
    run -0 i386 heap-map
    run -0 awk '
        /^heap: begin/ { bytes = substr($6, 2) + 0; maps++ }
        /^totals:/ {
            gsub(",", ""); sum = $3 + $5 + $7
            if (sum != bytes) { print "map " maps ": " sum " != " bytes; bad = 1 }
        }
        END { print maps " maps"; exit bad }' <<<"$output"
    assert_output "9 maps"
}

@test "the brk calls the demo reports match what qemu-i386 -strace saw" {
    run -0 --separate-stderr env QEMU="qemu-i386 -strace" \
        "$MEMKIT_ROOT/tools/run-i386" "$BUILD/heap-map"
    assert_line --regexp '^brk calls seen: [0-9]+ '
    seen=$(sed -n 's/^brk calls seen: \([0-9]*\) .*/\1/p' <<<"$output")
    traced=$(grep -c ' brk(' <<<"$stderr")
    assert_equal "$seen" "$traced"
    assert_equal "$seen" 5
}

@test "a header with a flag other than 0 or 1 stops the walk with a message" {
    run -0 i386 heap-map --corrupt-flag
    assert_line --index 2 --regexp '^  \+0x0000  0x[0-9a-f]{8}  0x[0-9a-f]{8}    16  used$'
    assert_line --index 3 --regexp '^heap: corrupt header at 0x[0-9a-f]{8}: flag is neither 0 nor 1; stopping$'
    assert_equal "${#lines[@]}" 4
}

@test "a header whose size runs past the break stops the walk with a message" {
    run -0 i386 heap-map --corrupt-size
    assert_line --index 3 --regexp '^heap: corrupt header at 0x[0-9a-f]{8}: size runs past the break; stopping$'
    assert_equal "${#lines[@]}" 4
    refute_line --partial "totals:"
}

@test "heap-map with an unknown option prints usage and exits 2" {
    run -2 --separate-stderr i386 heap-map --bogus
    assert_output ""
    [[ "$stderr" == usage:* ]]
}

@test "natively the demo's layout is the same as under qemu-i386" {
    skip_unless_native
    run -0 env QEMU= "$MEMKIT_ROOT/tools/run-i386" "$BUILD/heap-map"
    diff -u "$FIXTURES/heap-map.expected" <(strip_addresses <<<"$output")
}

# ---- steps on the command line: heap-map aN fK i ...

# The title lines ("== step N: ...") of $output.
step_titles() {
    grep '^== step ' <<<"$output"
}

@test "heap-map STEPS runs allocate_init first, then each step, numbering allocations #1, #2, ..." {
    run -0 i386 heap-map a16 a32 a32 f2 a24
    run -0 step_titles
    assert_line --index 0 "== step 1: allocate_init()"
    assert_line --index 1 --partial "== step 2: #1 = allocate(16): "
    assert_line --index 4 --partial "== step 5: deallocate(#2): "
    assert_line --index 5 --regexp '^== step 6: #4 = allocate\(24\): .* -> payload \+0x0020$'
    assert_equal "${#lines[@]}" 6
}

@test "heap-map STEPS prints the map after every step and ends with the brk count" {
    run -0 i386 heap-map a16 a32 f1
    run -0 grep -c '^totals: ' <<<"$output"
    assert_output 4                           # allocate_init + 3 steps
    run -0 i386 heap-map a16 a32 f1
    assert_line --regexp '^brk calls seen: 3 '
}

@test "a caption says how far the break grew when nothing free fits" {
    run -0 i386 heap-map a16 a100
    assert_line "== step 2: #1 = allocate(16): nothing free fits, so the heap grows by 24 bytes -> payload +0x0008"
    assert_line --partial "#2 = allocate(100): rounded up to 104, nothing free fits, so the heap grows by 112 bytes"
}

@test "the reference reuses a larger free block whole, and the caption says so" {
    run -0 i386 "$BUILD/heap-map" a64 f1 a16
    assert_line --partial "#2 = allocate(16): first fit reuses #1's block, whole (no split) -> payload +0x0008"
    assert_line --partial "(72 bytes, 1 block)"
}

@test "a free block of exactly the requested size is captioned an exact fit" {
    run -0 i386 "$BUILD/heap-map" a32 f1 a32
    assert_line --partial "#2 = allocate(32): first fit reuses #1's block, an exact fit -> payload +0x0008"
}

@test "the reference does not merge: adjacent free blocks that would fit are named" {
    run -0 i386 "$BUILD/heap-map" a8 a8 a8 a8 f1 f2 f3 a40
    assert_line --partial "#5 = allocate(40): the three free neighbours are not merged, so the heap grows"
}

@test "freeing says what became free; deallocate of a failed allocation does nothing" {
    run -0 i386 heap-map a24 a0xffffffff f1 f2
    assert_line --partial "#2 = allocate(4294967295): returns 0: the heap cannot grow that far -> 0"
    assert_line "== step 4: deallocate(#1): its 24 bytes are free, the break stays"
    assert_line "== step 5: deallocate(#2): deallocate(0) does nothing"
}

@test "with an i step of its own, heap-map shows allocate before allocate_init (0 from the reference)" {
    run -0 i386 "$BUILD/heap-map" a16 i a16
    run -0 step_titles
    assert_line --index 0 "== step 1: #1 = allocate(16): returns 0: no heap (allocate_init has not run) -> 0"
    assert_line --index 1 "== step 2: allocate_init()"
    assert_line --index 2 --partial "== step 3: #2 = allocate(16): nothing free fits"
}

@test "a step that is not aN, fK or i is a usage error: exit 2, nothing on stdout" {
    for bad in x a ax a-1 a4294967296 f f0 fx ii "a 8" ""; do
        run -2 --separate-stderr i386 heap-map a8 "$bad"
        [ -z "$output" ] || fail "stdout for '$bad': $output"
        [[ "$stderr" == "heap-map: step 2 '$bad': "*$'\n'"usage: heap-map [STEP...]"* ]] ||
            fail "stderr for '$bad': $stderr"
    done
}

@test "fK that names no allocation yet, or one already freed, is a usage error" {
    run -2 --separate-stderr i386 heap-map a8 f2 a8
    [ -z "$output" ]
    assert_equal "${stderr_lines[0]}" "heap-map: step 2 'f2': there is no such allocation yet"
    run -2 --separate-stderr i386 heap-map a8 f1 f1
    [ -z "$output" ]
    assert_equal "${stderr_lines[0]}" "heap-map: step 3 'f1': that allocation is already freed"
}
