#!/usr/bin/env bats
# overcommit.bats — examples/overcommit.c: a 512 MiB mapping is granted
# without memory, touching is what costs, and the limits refuse
# (docs/concepts.md, section 13).
bats_require_minimum_version 1.5.0

load test_helper

setup() {
    memkit_setup
}

@test "a 512 MiB mapping succeeds, and touching 256 of its pages takes a fault each, natively" {
    skip_unless_native
    QEMU= run -0 i386 overcommit
    assert_line "mmap2(512 MiB): ok"
    faults=$(sed -n 's/^touched 256 pages: \([0-9]*\) minor page faults$/\1/p' <<<"$output")
    # one fault per page; fewer only with huge pages, which need madvise
    [ "$faults" -ge 256 ] && [ "$faults" -le 300 ]
}

@test "under qemu-i386 the 512 MiB mapping is granted too" {
    run -0 i386 overcommit
    assert_line "mmap2(512 MiB): ok"
}

@test "natively RLIMIT_AS refuses the big mapping, RLIMIT_DATA the big brk, and small ones still pass" {
    skip_unless_native
    QEMU= run -0 i386 overcommit limit
    assert_output "== RLIMIT_AS lowered to 256 MiB
mmap2(512 MiB): refused (errno 12)
mmap2(16 MiB): ok
== RLIMIT_DATA lowered to 64 MiB
brk(+512 MiB): refused, the break stays
brk(+1 MiB): ok"
}

@test "without the lowered limits the same requests pass natively" {
    skip_unless_native
    QEMU= run -0 i386 overcommit
    assert_line "brk(+512 MiB): ok"
}

@test "overcommit refuses an unknown argument" {
    run -2 i386 overcommit bogus
    assert_output --partial "usage: overcommit [limit]"
}
