#!/usr/bin/env bats
# vmsize.bats — examples/vmsize.c: brk grows the virtual size at once, the
# resident size grows only when the new pages are touched.
bats_require_minimum_version 1.5.0

load test_helper

setup() {
    memkit_setup
}

# kb SECTION FIELD — the number of kB on FIELD's line (VmSize, VmRSS) in
# SECTION (start, after brk, after touching) of $output.
kb() {
    sed -n "/^== $1\$/,/^==/p" <<< "$output" | awk -v f="$2:" '$1 == f { print $2; exit }'
}

# check_native KIB — the native run's numbers for a heap grown by KIB.
check_native() {
    local kib=$1 v0 v1 v2 r0 r1 r2
    v0=$(kb start VmSize) v1=$(kb 'after brk' VmSize) v2=$(kb 'after touching' VmSize)
    r0=$(kb start VmRSS) r1=$(kb 'after brk' VmRSS) r2=$(kb 'after touching' VmRSS)
    [ -n "$v0" ] && [ -n "$r2" ] || return 1
    # brk adds its KiB to the virtual size (plus at most a partial page)
    [ $((v1 - v0)) -ge "$kib" ] && [ $((v1 - v0)) -le $((kib + 4)) ] ||
        { echo "VmSize $v0 -> $v1 after brk"; return 1; }
    # but almost nothing to the resident size
    [ $((r1 - r0)) -lt 256 ] || { echo "VmRSS $r0 -> $r1 after brk"; return 1; }
    # touching makes the pages resident; the virtual size stays
    [ "$v2" -eq "$v1" ] || return 1
    [ $((r2 - r1)) -ge $((kib - 64)) ] || { echo "VmRSS $r1 -> $r2 after touching"; return 1; }
}

@test "natively brk grows VmSize by the heap's size at once and VmRSS only once its pages are touched" {
    skip_unless_native
    QEMU= run -0 i386 vmsize 8192
    check_native 8192
}

@test "the vmsize check fails when VmRSS grows at the brk instead of at the touch" {
    skip_unless_native
    QEMU= run -0 i386 vmsize 8192
    local r2
    r2=$(kb 'after touching' VmRSS)
    output=$(awk -v r="$r2" '/^== after brk$/ { s = 1 } s && $1 == "VmRSS:" { $2 = r; s = 0 } { print }' <<< "$output")
    run ! check_native 8192
}

@test "under qemu the status is qemu's own, whose resident size still grows with the touched pages" {
    QEMU=${QEMU:-qemu-i386} run -0 i386 vmsize 8192
    local r1 r2
    r1=$(kb 'after brk' VmRSS) r2=$(kb 'after touching' VmRSS)
    [ -n "$r1" ] && [ -n "$r2" ] || false
    [ $((r2 - r1)) -ge 8000 ]
}

@test "vmsize refuses a size that is not a multiple of 4 KiB or is too large" {
    run -2 i386 vmsize 5
    run -2 i386 vmsize 0
    run -2 i386 vmsize 262148
}
