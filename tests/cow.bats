#!/usr/bin/env bats
# cow.bats — examples/cow.c: after fork the child's write does not reach
# the parent, and it costs one fault, the page's copy (docs/concepts.md,
# section 14).
bats_require_minimum_version 1.5.0

load test_helper

setup() {
    memkit_setup
}

@test "the child's writes never reach the parent's word, at the same address" {
    run -0 i386 cow
    assert_line --index 0 --regexp '^parent: &word = 0x[0-9a-f]{8}, value 111$'
    assert_line --index 3 "parent: after the child exited, word = 111"
}

@test "natively the child's first write to the shared page takes one fault and the second none" {
    skip_unless_native
    QEMU= run -0 i386 cow
    assert_line "child: first write (222), minor page faults: 1"
    assert_line "child: second write (333), minor page faults: 0"
}
