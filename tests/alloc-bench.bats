#!/usr/bin/env bats
# alloc-bench: the workloads behind `make bench` (c-harness/alloc-bench.c)
# and tools/bench.sh, whose counts are exact: the reference's costs are
# known (docs/allocator.md) and asserted here.

bats_require_minimum_version 1.5.0
load test_helper

setup() {
    memkit_setup
}

@test "search N leaves N used blocks and reuses the one free block after them" {
    run -0 i386 alloc-bench search 100
    assert_output "search: 100 used blocks before; heap now 101 blocks, 2424 bytes"
}

@test "grow N adds exactly one block after N used ones" {
    run -0 i386 alloc-bench grow 100
    assert_output "grow: 100 used blocks before; heap now 101 blocks, 2424 bytes"
}

@test "growth N makes one brk call per allocate, between the two marks" {
    run -0 --separate-stderr env QEMU="qemu-i386 -strace" \
        "$MEMKIT_ROOT/tools/run-i386" "$BUILD/alloc-bench" growth 50
    n=$(awk '/ getpid\(/ { mark++ } mark == 1 && / brk\(0x/ { n++ } END { print n + 0 }' <<<"$stderr")
    assert_equal "$n" 50
}

@test "frag never hands out fewer bytes than were asked for, and its columns add up" {
    run -0 i386 alloc-bench frag
    assert_equal "${#lines[@]}" 4
    # after the phase title: requested R heap H used U free F headers S ...
    run -0 awk '{
            sub(/^.*requested  /, "requested  ")
            if ($1 != "requested" || $5 != "used") { print "bad line: " $0; bad = 1 }
            if ($6 < $2) { print "used " $6 " < requested " $2; bad = 1 }
            if ($4 != $6 + $8 + $10) { print "heap " $4 " != sum"; bad = 1 }
            n++
        } END { print n " lines"; exit bad }' <<<"$output"
    assert_output "4 lines"
}

@test "alloc-bench with a missing or bad N prints usage and exits 2" {
    run -2 --separate-stderr i386 alloc-bench search
    [[ "$stderr" == usage:* ]]
    run -2 --separate-stderr i386 alloc-bench search 0x
    [[ "$stderr" == usage:* ]]
    run -2 --separate-stderr i386 alloc-bench search 4294967296
    [[ "$stderr" == usage:* ]]
}

@test "bench.sh counts the chapter's costs on any host: 7 per block walked, 9 per deallocate, one brk per growth" {
    MEMKIT_BENCH_OUT=$PWD/out MEMKIT_BENCH_NS="10 10000" run -0 "$MEMKIT_ROOT/tools/bench.sh"
    assert_line --regexp '^ +10 +96 +102 +1 +9$'
    assert_line --regexp '^ +10000 +70026 +70032 +1 +9$'
    assert_line --regexp '^ +1000 +1000 +3528500 +3528$'
    [ -s out/allocate.dat ]
}

@test "bench.sh stops with the counter's reason when no count can be made" {
    printf 'not a plugin\n' > broken.so
    MEMKIT_BENCH_OUT=$PWD/out PLUGIN=$PWD/broken.so run -1 "$MEMKIT_ROOT/tools/bench.sh"
    assert_line --regexp '^bench: no count for build/alloc-bench search 10: icount: no count: qemu-i386 with the plugin failed: .*Could not load plugin'
}
