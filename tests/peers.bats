#!/usr/bin/env bats
# peers — what make bench compares the kit's allocators with, and how it
# measures memory for all of them alike: glibc as it comes and glibc
# fair (c-harness/glibc-shim.c, mk/bench.mk), the Debian peers
# (tools/peers.sh, mk/peers.mk) and the footprint measure
# (c-harness/footprint.c, trace-driver --footprint), calibrated on
# tests/fixtures/pagealloc.c, whose pages are known.
bats_require_minimum_version 1.5.0

load test_helper

TRACES="$BATS_TEST_DIRNAME/traces"
PEERS="$BUILD/peers"

setup_file() {
    # One fetch and link of the peers for the whole file, bounded; where
    # it cannot be done, tools/peers.sh leaves each peer's reason in
    # build/peers/NAME/unavailable and the peer's test skips with it.
    if [ -x "$BUILD/glibc/trace-driver" ]; then
        FETCH_TIMEOUT=60 make -s -C "$MEMKIT_ROOT" peers \
            > "$BATS_FILE_TMPDIR/peers.log" 2>&1 || true
    fi
}

setup() {
    memkit_setup
    if [ -n "$QEMU" ]; then
        command -v "$QEMU" >/dev/null || skip "$QEMU is not installed"
    fi
}

need_hosted() {
    [ -x "$BUILD/glibc-fair/trace-driver" ] ||
        skip "no hosted trace driver (needs gcc-multilib: make all builds build/glibc-fair)"
}

# trace FILE OP... — a trace file with the ops given, its header counted.
trace() {
    local f=$1 ids
    shift
    ids=$(printf '%s\n' "$@" | awk '{ if ($2 + 1 > n) n = $2 + 1 } END { print n }')
    { echo 0; echo "$ids"; echo "$#"; echo 1; printf '%s\n' "$@"; } > "$f"
}

@test "the fair glibc passes every kit trace's checks with every payload in the break's heap" {
    need_hosted
    run -0 i386 "$BUILD/glibc-fair/trace-driver" "$TRACES"/*.rep "$TRACES"/scale/*.rep
    n=$(ls "$TRACES"/*.rep "$TRACES"/scale/*.rep | wc -l)
    assert_line --regexp "^$n passed, 0 failed$"
    # A utilization for every trace: no payload came from mmap.
    refute_line --regexp '^[a-z0-9-]+\.rep +[0-9]+ +[0-9]+ +[0-9]+ +- +[0-9]+$'
    assert_line --regexp "^mean utilization over $n traces: "
}

@test "the fair glibc keeps no 128 KiB top pad, glibc as it comes does" {
    need_hosted
    [ -x "$BUILD/glibc/trace-driver" ] || skip "no build/glibc/trace-driver"
    run -0 i386 "$BUILD/glibc-fair/trace-driver" "$TRACES/records.rep"
    heap=$(awk '$1 == "records.rep" { print $4 }' <<< "$output")
    [ "$heap" -lt 131072 ]
    run -0 i386 "$BUILD/glibc/trace-driver" "$TRACES/records.rep"
    heap=$(awk '$1 == "records.rep" { print $4 }' <<< "$output")
    [ "$heap" -ge 131072 ]
}

@test "glibc as it comes passes a trace with big blocks, its mmap payloads counted and its break utilization left out" {
    [ -x "$BUILD/glibc/trace-driver" ] || skip "no build/glibc/trace-driver (gcc-multilib)"
    trace big.rep 'a 0 100' 'a 1 300000' 'f 0' 'f 1'
    run -0 i386 "$BUILD/glibc/trace-driver" big.rep
    assert_line --regexp '^\[OK\]   big\.rep: 4 ops, peak 300100, heap [0-9]+ \(the break.s; 1 payloads outside it\), util -, brk [0-9]+$'
    assert_line --regexp '^big\.rep +4 +300100 +[0-9]+ +- +[0-9]+$'
    # The fair build takes it from the break: every payload inside.
    need_hosted
    run -0 i386 "$BUILD/glibc-fair/trace-driver" big.rep
    assert_line --regexp '^big\.rep +4 +300100 +[0-9]+ +[0-9.]+% +[0-9]+$'
}

@test "the footprint counts exactly the pages a calibration allocator holds, less what munmap and MADV_DONTNEED gave back" {
    [ -x "$PEERS/pagealloc/trace-driver" ] || skip "build/peers/pagealloc is not built (make all)"
    # pages held after each op (a block of n bytes: ceil((n + 8) / 4096)):
    #   a0 3 | a1 4 | r0 shrinks to 1: 2 | a2 4 | f1 3 | a1 7 | f0 6
    # munmap not seen would give 8 at a1; MADV_DONTNEED not seen, 9.
    trace cal.rep 'a 0 12280' 'a 1 4088' 'r 0 4088' 'a 2 8184' 'f 1' \
        'a 1 16376' 'f 0'
    run -0 i386 "$PEERS/pagealloc/trace-driver" --footprint cal.rep
    assert_output --regexp '^footprint: 7 ops, peak payload 28648, peak held 28672 \(7 pages; [0-9]+ before allocate_init\), util 99\.9%$'
    # Its checked replay passes: payloads outside the break, counted.
    run -0 i386 "$PEERS/pagealloc/trace-driver" cal.rep
    assert_line '1 passed, 0 failed'
}

@test "the footprint of a break allocator is its heap in pages" {
    # The reference: an 8-byte header, so 8184 bytes make a heap of two
    # pages from the page-aligned initial break; the free gives none back.
    trace brk.rep 'a 0 8184' 'f 0'
    run -0 i386 "$BUILD/trace-driver" --footprint brk.rep
    assert_output --regexp '^footprint: 2 ops, peak payload 8184, peak held 8192 \(2 pages; [0-9]+ before allocate_init\), util 99\.9%$'
}

@test "a C library's malloc is held to C's alignment: 4 bytes for a 4-byte request, never less than 8 for 8" {
    [ -x "$PEERS/pagealloc4/trace-driver" ] || skip "build/peers/pagealloc4 is not built (make all)"
    # pagealloc4 puts every payload 4 bytes into its page and declares C's
    # promise (memkit_align_c).
    trace four.rep 'a 0 4' 'a 1 2' 'f 0' 'f 1'
    run -0 i386 "$PEERS/pagealloc4/trace-driver" four.rep
    trace eight.rep 'a 0 4' 'a 1 8' 'f 0' 'f 1'
    run -1 i386 "$PEERS/pagealloc4/trace-driver" eight.rep
    assert_line --regexp '^\[FAIL\] eight\.rep: op 2 \(line 6: a 1 8\): payload is not 8-byte aligned: 0x[0-9a-f]+4$'
}

# peer NAME — skip with the reason tools/peers.sh found, or run NAME's
# driver on a small trace: its checks, and a footprint.
peer() {
    need_hosted
    if [ -f "$PEERS/$1/unavailable" ]; then
        skip "$1: $(cat "$PEERS/$1/unavailable")"
    fi
    [ -x "$PEERS/$1/trace-driver" ] || skip "$1: make peers did not run"
    run -0 i386 "$PEERS/$1/trace-driver" "$TRACES/records.rep" "$TRACES/realloc-pinned.rep"
    assert_line '2 passed, 0 failed'
    run -0 i386 "$PEERS/$1/trace-driver" --footprint "$TRACES/records.rep"
    assert_output --regexp '^footprint: 326 ops, peak payload 1980, peak held [1-9][0-9]* \([0-9]+ pages?; [0-9]+ before allocate_init\), util [0-9.]+%$'
}

@test "jemalloc from Debian's i386 package passes a small trace's checks and has a footprint" {
    peer jemalloc
}

@test "mimalloc from Debian's i386 package passes a small trace's checks and has a footprint" {
    peer mimalloc
}

@test "tcmalloc-minimal from Debian's i386 package passes a small trace's checks and has a footprint" {
    peer tcmalloc
}

@test "a peer that cannot be downloaded gets the reason, not a driver" {
    need_hosted
    # Nothing listens on port 9 of the loopback: apt-get fails at once.
    run -0 env DEBIAN_MIRROR=http://127.0.0.1:9/debian FETCH_TIMEOUT=3 \
        "$MEMKIT_ROOT/tools/peers.sh" out /dev/null
    for n in jemalloc mimalloc tcmalloc; do
        [ ! -e "out/$n/trace-driver" ]
        run -0 cat "out/$n/unavailable"
        assert_output --regexp '^download failed: .+'
    done
}

@test "make bench's tables give a peer that could not be had a row that says why" {
    [ -f "$BUILD/plugin/icount.so" ] || skip "build/plugin/icount.so is not built (make all)"
    mkdir -p peers/jemalloc
    echo "download failed: no network here" > peers/jemalloc/unavailable
    run -0 env BENCH_PEERS="$PWD/peers" BENCH_ALLOCS="ref jemalloc" \
        BENCH_TRACES=tests/traces/records.rep BENCH_SCALE=1 BENCH_JOBS=2 \
        "$MEMKIT_ROOT/tools/bench-all.sh" "$PWD/out"
    # Every table has the row, and the header says it too.
    n=$(grep -c '^## ' out/results.md)
    [ "$(grep -c '^| jemalloc | not measured: download failed: no network here |$' out/results.md)" -eq "$n" ]
    grep -q '^jemalloc: not measured: download failed: no network here$' out/results.md
    # The footprint table has the reference's number, from a real run.
    awk '/^## Utilization % by footprint/ { on = 1 } on && $2 == "ref" { print; exit }' \
        out/results.md | grep -q '^| ref | 48\.3 | 48\.3 |$'
    # mimalloc and tcmalloc, not asked for, get none.
    refute grep -q 'mimalloc\|tcmalloc' out/results.md
}
