#!/usr/bin/env bats
# brkdown.bats — examples/brkdown.c: brk up maps the heap's pages, brk
# down gives them back.
bats_require_minimum_version 1.5.0

load test_helper

setup() {
    memkit_setup
}

# section NAME — the lines of section NAME in $output, header excluded.
section() {
    sed -n "/^== $1\$/,/^==/p" <<< "$output" | sed -e 1d -e '/^==/d'
}

# covered NAME — some mapping in section NAME covers the heap range.
covered() {
    local lo hi start end
    read -r lo hi < <(sed -n 's/^heap range \(0x[0-9a-f]*\)-\(0x[0-9a-f]*\) .*/\1 \2/p' <<< "$output")
    while IFS='- ' read -r start end _; do
        [[ $start =~ ^[0-9a-f]+$ ]] || continue
        [ $((0x$start)) -le $((lo)) ] && [ $((0x$end)) -ge $((hi)) ] && return 0
    done < <(section "$1")
    return 1
}

# check_break — the break is the initial one, then 64 KiB up, then back.
check_break() {
    local b0 b1 b2
    b0=$(section before | awk '$1 == "break" { print $2 }')
    b1=$(section 'after brk up' | awk '$1 == "break" { print $2 }')
    b2=$(section 'after brk down' | awk '$1 == "break" { print $2 }')
    [ $((b1 - b0)) -eq 65536 ] && [ "$b2" = "$b0" ]
}

@test "natively brk up maps the heap's pages and brk down unmaps them again" {
    skip_unless_native
    QEMU= run -0 i386 brkdown 64
    check_break
    [ "$(section before | tail -n 1)" = "(no mapping)" ]
    covered 'after brk up'
    section 'after brk up' | grep -q '\[heap\]$'
    [ "$(section 'after brk down' | tail -n 1)" = "(no mapping)" ]
    run ! covered 'after brk down'
}

@test "under qemu the break goes up and back down, but qemu keeps the pages mapped" {
    QEMU=${QEMU:-qemu-i386} run -0 i386 brkdown 64
    check_break
    [ "$(section before | tail -n 1)" = "(no mapping)" ]
    covered 'after brk up'
    covered 'after brk down'
}

@test "the brkdown break check fails when the break does not come back down" {
    QEMU=${QEMU:-qemu-i386} run -0 i386 brkdown 64
    local up
    up=$(section 'after brk up' | awk '$1 == "break" { print $2 }')
    output=$(awk -v up="$up" '/^== after brk down$/ { s = 1 } s && $1 == "break" { $2 = up; s = 0 } { print }' <<< "$output")
    run ! check_break
}

@test "brkdown refuses a size that is not a multiple of 4 KiB" {
    run -2 i386 brkdown 6
}
