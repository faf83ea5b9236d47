#!/usr/bin/env bats
# traces.bats — the kit's traces (tests/traces/) and their generator
# (c-harness/tracegen.c, `make traces`). docs/lab.md.

bats_require_minimum_version 1.5.0
load test_helper

setup() {
    memkit_setup
}

@test "tracegen reproduces every committed synthetic trace byte for byte" {
    mkdir -p "out dir/scale"
    run -0 i386 tracegen "out dir"
    assert_line "out dir/records.rep"
    assert_line "out dir/scale/scale-16k.rep"
    local f n=0
    for f in "out dir"/*.rep "out dir"/scale/*.rep; do
        cmp "$f" "$BATS_TEST_DIRNAME/traces/${f#out dir/}"
        n=$((n + 1))
    done
    [ "$n" -eq 11 ]
}

@test "tracegen writes beside each trace and leaves no .part file behind" {
    mkdir -p d/scale
    run -0 i386 tracegen d
    [ -s d/records.rep ]
    [ -z "$(find d -name '*.part')" ]
}

@test "tracegen never writes through a planted NAME.part, and a failed write keeps the old trace" {
    mkdir -p d/scale
    echo precious > victim
    ln -s ../victim d/records.rep.part
    run -0 i386 tracegen d
    assert_equal "$(cat victim)" precious
    cmp d/records.rep "$BATS_TEST_DIRNAME/traces/records.rep"
    echo old > d/records.rep
    run -1 bash -c 'ulimit -f 1; exec "$@"' _ "$MEMKIT_ROOT/tools/run-i386" "$BUILD/tracegen" d
    assert_line --regexp '^tracegen: cannot write d/[a-z0-9-]+\.rep: File too large$'
    [ -z "$(find d -name '*.partial-*')" ]
}

@test "tracegen without a directory prints its usage and exits 2" {
    run -2 i386 tracegen
    assert_output --partial 'usage: tracegen DIR'
}

@test "tracegen fails with a message when it cannot write the directory" {
    run -1 i386 tracegen "$BATS_TEST_TMPDIR/missing"
    assert_line --partial 'tracegen: cannot write'
}

@test "every committed trace's header agrees with its body" {
    # The driver rejects a header that disagrees (exit 2); here the counts
    # themselves: ids, operations.
    local f ids ops n_ops max_id
    for f in "$BATS_TEST_DIRNAME"/traces/*.rep "$BATS_TEST_DIRNAME"/traces/scale/*.rep; do
        ids=$(sed -n 2p "$f")
        ops=$(sed -n 3p "$f")
        n_ops=$(tail -n +5 "$f" | wc -l)
        max_id=$(tail -n +5 "$f" | awk '$2 > m { m = $2 } END { print m + 0 }')
        [ "$n_ops" -eq "$ops" ]
        [ "$max_id" -lt "$ids" ]
    done
}

@test "the recorded trace of a real program is in the set and replays" {
    run -0 i386 "$ABUILD/trace-driver" "$BATS_TEST_DIRNAME/traces/ls-usr-bin.rep"
    assert_line --regexp '^\[OK\]   .*ls-usr-bin\.rep: 5940 ops, '
}

@test "tracegen --scaling writes the bounded-cost series: every size, the same mix of operations" {
    skip_if_withheld asm/allocators/tlsf.s
    mkdir "series dir" again
    run -0 i386 tracegen --scaling "series dir"
    assert_equal "${#lines[@]}" 12
    local r n f live sizes
    for r in 64 1024 64k; do
        for n in 1 4 16 64; do
            f="series dir/scaling-$r-${n}k.rep"
            live=$((n * 1024))
            # ids: the live blocks and one per churn; ops: a quarter
            # filling, half churn, a quarter emptying
            assert_equal "$(sed -n 2,3p "$f" | paste -sd ' ')" "$((2 * live)) $((4 * live))"
            assert_equal "$(sed -n "$((4 + live)),$((5 + live))p" "$f" | cut -c1)" "$(printf 'a\nf')"
        done
        # sizes stay in the range (8..64, 8..1024, 8..65536)
        sizes=$(awk 'NR > 4 && $1 == "a" { if (!lo || $3 < lo) lo = $3; if ($3 > hi) hi = $3 }
                     END { print lo, hi }' "series dir/scaling-$r-16k.rep")
        case $r in
        64)   [[ $sizes =~ ^8\ 64$ ]] ;;
        1024) [[ $sizes =~ ^8\ 10[0-9][0-9]$ ]] ;;
        64k)  [[ $sizes =~ ^8\ 6[0-9]{4}$ ]] ;;
        esac
    done
    # the 64k traces sit exactly at the trace driver's limits, and replay
    # (with tlsf: the reference walks 64k blocks per call)
    run -0 i386 "$BUILD/alloc/tlsf/trace-driver" --bench "series dir/scaling-64-64k.rep"
    assert_output "bench: 262144 ops replayed"
    # deterministic: a second run writes the same bytes
    run -0 i386 tracegen --scaling again
    for f in again/*.rep; do cmp "$f" "series dir/${f#again/}"; done
}
