#!/usr/bin/env bats
# book-caller: asm/alloc.o is a drop-in for the book's alloc.o. A caller
# written the book's way (examples/book-caller.s: push the size, call
# allocate, pop) links against it and runs unchanged.

bats_require_minimum_version 1.5.0
load test_helper

setup() {
    memkit_setup
}

@test "a book-style caller prints the line it built in its heap block and exits 0" {
    run -0 --separate-stderr i386 book-caller
    assert_output "book-caller: this line was copied into a block from allocate"
    [ -z "$stderr" ]
}

@test "the book-style caller exits 3 when its line cannot be written (stdout /dev/full)" {
    run -3 sh -c '"$0"/tools/run-i386 "$0"/build/book-caller > /dev/full' "$MEMKIT_ROOT"
}

@test "the book-style caller gets the same block back after deallocate" {
    # exit status 2 would mean the second allocate did not reuse the block;
    # the trace shows one growth only: allocate_init's brk(NULL), one brk
    run -0 --separate-stderr env QEMU="qemu-i386 -strace" \
        "$MEMKIT_ROOT/tools/run-i386" "$BUILD/book-caller"
    [ "$(grep -c ' brk(0x' <<<"$stderr")" -eq 1 ]
    [ "$(grep -c ' brk(NULL)' <<<"$stderr")" -eq 1 ]
}

@test "alloc.o links first, as in the book's ld command, and the program still runs" {
    "${CROSS}ld" -m elf_i386 -static --fatal-warnings -o book-caller \
        "$BUILD/obj/asm/alloc.o" "$BUILD/obj/examples/book-caller.o"
    run -0 i386 ./book-caller
    assert_output "book-caller: this line was copied into a block from allocate"
}

@test "alloc.o defines the book's three functions and exports its two variables" {
    run -0 "$NM" "$BUILD/obj/asm/alloc.o"
    assert_line --regexp '^[0-9a-f]{8} T allocate_init$'
    assert_line --regexp '^[0-9a-f]{8} T allocate$'
    assert_line --regexp '^[0-9a-f]{8} T deallocate$'
    assert_line --regexp '^[0-9a-f]{8} D heap_begin$'
    assert_line --regexp '^[0-9a-f]{8} D current_break$'
}

@test "alloc.o needs nothing from its caller but the three calls" {
    run -0 "$NM" --undefined-only "$BUILD/obj/asm/alloc.o"
    assert_output ""
}
