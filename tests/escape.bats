#!/usr/bin/env bats
# escape.bats — examples/escape.s: alloca'd memory dies with its frame;
# the escaped pointer reads what the next call left there (docs/gdb.md).
bats_require_minimum_version 1.5.0

load test_helper

setup() {
    memkit_setup
}

@test "the escaped pointer reads the next call's local, 7, not the 42 stored through it" {
    run -7 i386 escape
}

@test "in gdb the escaped pointer is below %esp after the return and is use_stack's second local" {
    run -0 "$MEMKIT_ROOT/tools/gdb-session.sh" --batch \
        -ex 'break examples/escape.s:51' -ex continue \
        -ex 'printf "ptr %#x esp %#x val %d\n", $eax, $esp, *(int *)$eax' \
        -ex 'break examples/escape.s:111' -ex continue \
        -ex 'printf "local %#x val %d\n", $ebp - 8, *(int *)($ebp - 8)' \
        -ex 'printf "escaped %#x val %d\n", *(int *)&escaped, **(int **)&escaped' \
        escape
    ptr=$(sed -n 's/^ptr \(0x[0-9a-f]*\) esp \(0x[0-9a-f]*\) val 42$/\1/p' <<<"$output")
    esp=$(sed -n 's/^ptr \(0x[0-9a-f]*\) esp \(0x[0-9a-f]*\) val 42$/\2/p' <<<"$output")
    [ -n "$ptr" ] && [ -n "$esp" ] || false
    [ $((ptr)) -lt $((esp)) ]              # below the stack pointer: dead
    assert_line "local $ptr val 7"         # use_stack's second local
    assert_line "escaped $ptr val 7"
}
