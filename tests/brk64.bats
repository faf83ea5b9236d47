#!/usr/bin/env bats
# brk64.bats — examples/brk64.s: the chapter's brk on x86-64, with
# `syscall` and register arguments, under qemu-x86_64 (docs/concepts.md,
# section 15).
bats_require_minimum_version 1.5.0

load test_helper

setup() {
    memkit_setup
    [ -x "$BUILD/x86-64/brk64" ] ||
        skip "build/x86-64/brk64 is not built: this assembler cannot make x86-64 code (mk/topics.mk)"
    command -v qemu-x86_64 >/dev/null || skip "qemu-x86_64 is not installed (Debian package qemu-user)"
}

@test "brk64 moves the break by 4096 bytes through syscall and exits 0 under qemu-x86_64" {
    run -0 timeout 30 qemu-x86_64 "$BUILD/x86-64/brk64"
    [ "${#lines[@]}" -eq 2 ]
    first=$(sed -n '1s/^break 0x\([0-9a-f]\{16\}\)$/\1/p' <<<"$output")
    second=$(sed -n '2s/^break 0x\([0-9a-f]\{16\}\)$/\1/p' <<<"$output")
    [ -n "$first" ] && [ -n "$second" ] || false
    [ $((16#$second - 16#$first)) -eq 4096 ]
}

@test "brk64 uses syscall with the x86-64 numbers, never int \$0x80" {
    run -0 "${CROSS}objdump" -d "$BUILD/x86-64/brk64"
    assert_output --partial "syscall"
    refute_output --partial "int    \$0x80"
    assert_output --partial "mov    \$0xc,%rax"      # brk is 12 on x86-64, 45 on i386
}

@test "the same binary is not an i386 program: qemu-i386 refuses it" {
    run ! timeout 30 qemu-i386 "$BUILD/x86-64/brk64"
}
