#!/usr/bin/env bats
# twin.bats — examples/twin.c and tools/twins.sh: two processes, one
# virtual address, two values.
bats_require_minimum_version 1.5.0

load test_helper

setup() {
    memkit_setup
}

# check_twins A B — $output is tools/twins.sh's: two different pids, the
# same address in both, and each copy reads back its own value.
check_twins() {
    local -a pid addr val
    local i=0 p a v
    while read -r _ p _ _ a _ v; do
        pid[i]=${p%:} addr[i]=${a%,} val[i]=$v
        i=$((i + 1))
    done < <(grep 'stored' <<< "$output")
    [ "$i" -eq 2 ] || return 1
    [ "${pid[0]}" != "${pid[1]}" ] || return 1
    [ "${addr[0]}" = "${addr[1]}" ] || return 1
    [ "${val[0]}" = "$1" ] && [ "${val[1]}" = "$2" ] || return 1
    assert_line "pid ${pid[0]}: after 300 ms, shared_word = $1" || return 1
    assert_line "pid ${pid[1]}: after 300 ms, shared_word = $2" || return 1
}

@test "two running copies of twin print the same address and each keeps its own value" {
    run -0 "$MEMKIT_ROOT/tools/twins.sh" 111 222
    check_twins 111 222
}

@test "twin's address is the same natively too, with a different value in each copy" {
    skip_unless_native
    QEMU= run -0 "$MEMKIT_ROOT/tools/twins.sh" 7 9
    check_twins 7 9
}

@test "the twins check fails when one copy reads the other's value" {
    run -0 "$MEMKIT_ROOT/tools/twins.sh" 111 222
    output=${output/after 300 ms, shared_word = 111/after 300 ms, shared_word = 222}
    mapfile -t lines <<< "$output"    # assert_line reads lines[]
    run ! check_twins 111 222
}

@test "twin rejects a missing or non-numeric value" {
    run -2 --separate-stderr i386 twin
    [ "$stderr" = "usage: twin VALUE   (a number to store)" ]
    run -2 i386 twin many
}
