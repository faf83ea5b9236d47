#!/usr/bin/env bats
# touch.bats — examples/touch.c: which memory accesses fault, and where.
#
# Addresses differ between qemu and a native run (the native break is
# randomised), so the tests check each probe's result and that the
# address the kernel reports for a fault is the probed address.
bats_require_minimum_version 1.5.0

load test_helper

setup() {
    memkit_setup
}

# check_probes — the output in $output shows the expected result for each
# probe, and every fault is reported at the address that was probed.
check_probes() {
    assert_line --regexp '^heap_last +0x[0-9a-f]{8}  write  ok$' || return 1
    assert_line --regexp '^past_break +0x[0-9a-f]{8}  write  ok$' || return 1
    assert_line --regexp '^page_last +0x[0-9a-f]{8}  write  ok$' || return 1
    assert_line --regexp '^next_page +0x[0-9a-f]{8}  read   SIGSEGV at 0x[0-9a-f]{8} \(SEGV_MAPERR: nothing mapped\)$' || return 1
    assert_line --regexp '^below_text +0x[0-9a-f]{8}  read   SIGSEGV at 0x[0-9a-f]{8} \(SEGV_MAPERR: nothing mapped\)$' || return 1
    assert_line --regexp '^text_write +0x[0-9a-f]{8}  write  SIGSEGV at 0x[0-9a-f]{8} \(SEGV_ACCERR: not allowed\)$' || return 1
    local name addr faddr n=0
    while read -r name addr _ _ _ faddr _; do
        [ "$faddr" = "$addr" ] || { echo "$name: fault at $faddr, probed $addr"; return 1; } || return 1
        n=$((n + 1))
    done < <(grep ' SIGSEGV at ' <<< "$output")
    [ "$n" -eq 3 ] || return 1
}

# page_math — past_break is the break, page_last the byte before the next
# page, next_page the page boundary just above the break.
page_math() {
    local brk last next
    brk=$(awk '$1 == "past_break" { print $2 }' <<< "$output")
    last=$(awk '$1 == "page_last" { print $2 }' <<< "$output")
    next=$(awk '$1 == "next_page" { print $2 }' <<< "$output")
    [ $((brk % 4096)) -ne 0 ] || return 1
    [ $((next % 4096)) -eq 0 ] || return 1
    [ $((last + 1)) -eq $((next)) ] || return 1
    [ $((next - brk)) -lt 4096 ] || return 1
}

@test "touch: the rest of the break's page is usable, the next page and below the program fault, under qemu" {
    QEMU=${QEMU:-qemu-i386} run -0 i386 touch
    check_probes
    page_math
}

@test "touch: the same accesses fault natively, at the same probed addresses" {
    skip_unless_native
    QEMU= run -0 i386 touch
    check_probes
    page_math
}

@test "touch's check fails when a fault is reported at an address other than the one probed" {
    QEMU=${QEMU:-qemu-i386} run -0 i386 touch
    output=$(sed 's/^\(next_page .*SIGSEGV at 0x\)[0-9a-f]\{8\}/\100000000/' <<< "$output")
    mapfile -t lines <<< "$output"    # assert_line reads lines[]
    run ! check_probes
}
