#!/usr/bin/env bats
# stackgrow.bats — examples/stackgrow.c: the stack mapping grows on its
# own during a deep recursion, the break moves only with brk.
bats_require_minimum_version 1.5.0

load test_helper

setup() {
    memkit_setup
}

# field SECTION PATTERN — the first line of SECTION ("before", "at the
# deepest level", "after returning") that matches PATTERN.
field() {
    sed -n "/^== $1\$/,/^==/p" <<< "$output" | grep -m1 -e "$2"
}

# same_break — the break is the same in all three sections.
same_break() {
    local b1 b2 b3
    b1=$(field before '^break') b2=$(field 'at the deepest level' '^break')
    b3=$(field 'after returning' '^break')
    [ -n "$b1" ] && [ "$b1" = "$b2" ] && [ "$b2" = "$b3" ]
}

@test "natively the [stack] mapping grows down by at least the recursion's frames and the break stays put" {
    skip_unless_native
    QEMU= run -0 i386 stackgrow 256
    same_break
    local before deep after
    before=$(field before '\[stack\]') deep=$(field 'at the deepest level' '\[stack\]')
    after=$(field 'after returning' '\[stack\]')
    [ -n "$before" ] && [ -n "$deep" ] || false
    # the top stays, the bottom moves down; the kernel keeps the pages
    [ "${before#*-}" = "${deep#*-}" ]
    local lo0=$((0x${before%%-*})) lo1=$((0x${deep%%-*})) hi
    hi=${deep#*-}; hi=$((0x${hi%% *}))
    [ "$lo1" -lt "$lo0" ]
    [ $((hi - lo1)) -ge $((256 * 4096)) ]
    [ "$after" = "$deep" ]
    # the heap's mapping is the same line all along
    [ "$(field before '\[heap\]')" = "$(field 'after returning' '\[heap\]')" ]
}

@test "under qemu the stack is mapped whole before the program starts, so [stack] does not change" {
    QEMU=${QEMU:-qemu-i386} run -0 i386 stackgrow 256
    same_break
    local before
    before=$(field before '\[stack\]')
    [ -n "$before" ]
    [ "$(field 'at the deepest level' '\[stack\]')" = "$before" ]
}

@test "the break check fails when the break differs between two points" {
    QEMU=${QEMU:-qemu-i386} run -0 i386 stackgrow 4
    output=$(sed '0,/^break 0x/s/^break 0x.*/break 0x00000000/' <<< "$output")
    run ! same_break
}

@test "stackgrow refuses a depth of 0 or one beyond its 1024 levels" {
    run -2 i386 stackgrow 0
    run -2 i386 stackgrow 1025
}
