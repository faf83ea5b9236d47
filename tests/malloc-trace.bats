#!/usr/bin/env bats
# malloc-trace.bats — examples/malloc-trace.c traced with tools/strace.sh:
# the C library's malloc takes small blocks from one brk-grown heap and
# gives a big block an mmap2 of its own, which free unmaps.
bats_require_minimum_version 1.5.0

load test_helper

setup() {
    memkit_setup
    [ -x "$BUILD/malloc-trace" ] || skip "gcc-multilib not installed: no build/malloc-trace"
    export QEMU=${QEMU:-qemu-i386}      # the trace format is qemu's
}

# trace — run malloc-trace under qemu -strace, keeping brk, mmap2, munmap;
# the program's output in $output, the trace in $TRACE.
trace() {
    TRACE=$BATS_TEST_TMPDIR/trace
    run -0 "$MEMKIT_ROOT/tools/strace.sh" --only brk,mmap2,munmap -o "$TRACE" malloc-trace
}

# check_small — the 100 small blocks lie inside the heap between the first
# brk(NULL) and the last break, which took at most 3 brk calls to grow.
check_small() {
    local start end grows first last
    start=$(awk '/ brk\(NULL\)/ { print $NF; exit }' "$TRACE")
    end=$(awk '/ brk\(0x/ { b = $NF } END { print b }' "$TRACE")
    grows=$(grep -c ' brk(0x' "$TRACE") || true
    [ -n "$start" ] && [ -n "$end" ] || return 1
    [ "$grows" -ge 1 ] && [ "$grows" -le 3 ] || { echo "brk grew $grows times"; return 1; }
    read -r first last < <(sed -n 's/^100 x malloc(100): first \(0x[0-9a-f]*\), last \(0x[0-9a-f]*\)$/\1 \2/p' <<< "$output")
    [ -n "$first" ] || return 1
    [ $((first)) -ge $((start)) ] && [ $((last + 100)) -le $((end)) ] ||
        { echo "small blocks $first..$last outside the heap $start..$end"; return 1; }
}

# check_big — the big block lies in an anonymous mmap2 of at least its
# size, and that same mapping (address and length) is what munmap frees.
check_big() {
    local big addr len
    big=$(sed -n 's/^malloc(204800) = \(0x[0-9a-f]*\)$/\1/p' <<< "$output")
    [ -n "$big" ] || return 1
    read -r addr len < <(sed -n 's/.* mmap2(NULL,\([0-9]*\),PROT_READ|PROT_WRITE,MAP_PRIVATE|MAP_ANONYMOUS,-1,0) = \(0x[0-9a-f]*\)$/\2 \1/p' "$TRACE" |
        while read -r a l; do
            [ $((a)) -le $((big)) ] && [ $((big + 204800)) -le $((a + l)) ] && echo "$a $l"
        done)
    [ -n "$addr" ] || { echo "no mmap2 holds $big"; return 1; }
    grep -q " munmap($addr,$len) = 0\$" "$TRACE" || { echo "no munmap($addr,$len)"; return 1; }
}

@test "malloc-trace: 100 small mallocs come from one heap grown by at most 3 brk calls" {
    trace
    check_small
}

@test "malloc-trace: a 200 KiB malloc is an mmap2 of its own and its free the munmap of it" {
    trace
    assert_line --regexp '^free\(0x[0-9a-f]+\)$'
    check_big
}

@test "the malloc-trace check fails when free leaves the big block mapped" {
    trace
    sed -i '/ munmap(/d' "$TRACE"
    run ! check_big
}
