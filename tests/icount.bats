#!/usr/bin/env bats
# icount.bats — the instruction counter every benchmark uses: the qemu
# plugin plugin/icount.c behind tools/icount. Its counts must be exact
# (checked on tests/fixtures/icount/known.s, whose counts are known by
# construction), the same on every run, and agree with callgrind where
# callgrind can run; a count it cannot make must be an error naming why.
bats_require_minimum_version 1.5.0

load test_helper

ICOUNT="$MEMKIT_ROOT/tools/icount"

setup() {
    memkit_setup
}

# build NAME — assemble and link tests/fixtures/icount/NAME.s into ./NAME.
build() {
    "${CROSS}as" --32 -o "$1.o" "$FIXTURES/icount/$1.s"
    "${CROSS}ld" -m elf_i386 -static -o "$1" "$1.o"
}

# count ARGS... — run tools/icount ARGS with the counts in ./counts; the
# count NAME's value is then $(value NAME).
count() {
    run -0 "$ICOUNT" --counts counts "$@"
}
value() { awk -v k="$1" '$1 == k { print $2 }' counts; }

@test "the plugin is a shared object for this host, not for i386" {
    local machine
    case $(uname -m) in
    x86_64)  machine="X86-64" ;;
    aarch64) machine="AArch64" ;;
    *)       skip "no expected ELF machine for $(uname -m)" ;;
    esac
    run -0 "$READELF" -h "$BUILD/plugin/icount.so"
    assert_line --regexp '^ +Type: +DYN '
    assert_line --regexp "^ +Machine: .*$machine"
}

@test "icount counts a known loop exactly: the window, a tail call into it and the whole run" {
    build known
    count --window loop10 ./known      # called once, tail-jumped into once
    [ "$(value window)" -eq 44 ]
    [ "$(value entries)" -eq 2 ]
    count --window tail ./known        # 1 jmp + loop10's 22
    [ "$(value window)" -eq 23 ]
    count ./known                      # 9 in _start + 22 + 107 + 5 + 23 + 7
    [ "$(value window)" -eq 173 ]
    count --code loop10 ./known        # loop10's own code, both times
    [ "$(value code)" -eq 44 ]
    count --window tail --code loop10 ./known
    [ "$(value code)" -eq 22 ]
    count --func loop10 ./known
    assert_equal "$(grep '^func' counts)" "func loop10 2 44"
}

@test "a loop back to a function's first instruction is not another call" {
    build known
    count --window head --func head ./known
    [ "$(value window)" -eq 7 ]
    [ "$(value entries)" -eq 1 ]
    assert_equal "$(grep '^func' counts)" "func head 1 7"
}

@test "a rep string instruction counts once per iteration, plus the check that ends it" {
    build known
    count --window rep_stos ./known    # rep stosb x 100: 4 + 101 + 2
    [ "$(value window)" -eq 107 ]
    count --window rep_none ./known    # rep stosb x 0: counted once
    [ "$(value window)" -eq 5 ]
}

@test "two runs of the trace driver count the same instructions" {
    local a b
    count --window bench_replay --code bench_replay \
        "$BUILD/trace-driver" --bench "$BATS_TEST_DIRNAME/traces/mixed.rep"
    a=$(cat counts)
    count --window bench_replay --code bench_replay \
        "$BUILD/trace-driver" --bench "$BATS_TEST_DIRNAME/traces/mixed.rep"
    b=$(cat counts)
    assert_equal "$a" "$b"
    [ "$(value window)" -gt "$(value code)" ]
    [ "$(value code)" -gt 0 ]
}

@test "--code OBJ counts the allocator's instructions: all of the window but the harness's" {
    skip_if_withheld asm/allocators/segfit.s
    local w c self
    count --window bench_replay --code "$BUILD/alloc/segfit/obj/alloc.o" \
        "$BUILD/alloc/segfit/trace-driver" --bench "$BATS_TEST_DIRNAME/traces/mixed.rep"
    w=$(value window) c=$(value code)
    count --window bench_replay --code bench_replay \
        "$BUILD/alloc/segfit/trace-driver" --bench "$BATS_TEST_DIRNAME/traces/mixed.rep"
    self=$(value code)
    # segfit has reallocate: bench_replay calls nothing but the allocator
    [ "$c" -gt 0 ]
    [ "$((c + self))" -eq "$w" ]
}

@test "the plugin's count and callgrind's agree within 0.1% on the same run" {
    skip_unless_native
    command -v valgrind >/dev/null || skip "valgrind is not installed (it is optional)"
    local cg
    count --window bench_replay "$BUILD/trace-driver" --bench \
        "$BATS_TEST_DIRNAME/traces/fragment.rep"
    QEMU= run -0 valgrind --tool=callgrind --callgrind-out-file=cg.out \
        --toggle-collect=bench_replay "$BUILD/trace-driver" --bench \
        "$BATS_TEST_DIRNAME/traces/fragment.rep"
    cg=$(sed -n 's/^==[0-9]*== Collected : \([0-9]*\)$/\1/p' <<< "$output")
    [ -n "$cg" ] && [ "$cg" -gt 0 ] || false
    awk -v a="$(value window)" -v b="$cg" \
        'BEGIN { d = a - b; if (d < 0) d = -d; exit !(d * 1000 <= b) }'
}

@test "a window function the program never runs is an error naming it" {
    build known
    run -3 "$ICOUNT" --window never ./known
    assert_line "icount: no count: the window never opened: ./known never ran never"
    run -3 "$ICOUNT" --window nosuch ./known
    assert_line --partial "has no function nosuch"
}

@test "a window that never closes, or opens outside any call, is an error" {
    build quits
    run -3 "$ICOUNT" --window quits ./quits
    assert_line --partial "the window quits never closed"
    build known
    run -3 "$ICOUNT" --window _start ./known
    assert_line --partial "_start was entered 1 time(s) by a jump"
}

@test "a plugin that qemu cannot load is an error quoting qemu's reason" {
    build known
    PLUGIN=$PWD/known.o run -3 "$ICOUNT" ./known
    assert_line --regexp "^icount: no count: qemu-i386 with the plugin failed: .*Could not load plugin .*known\.o"
    PLUGIN=$PWD/nothing.so run -3 "$ICOUNT" ./known
    assert_line --partial "the plugin $PWD/nothing.so is missing"
}

@test "a program that fails gives its counts, its status and exit 1" {
    run -1 "$ICOUNT" "$BUILD/trace-driver" --bench nosuch.rep
    assert_line --regexp '^window [0-9]+$'
    assert_line "status 2"
    assert_line --partial "exited with status 2"
}
