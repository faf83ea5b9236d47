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
