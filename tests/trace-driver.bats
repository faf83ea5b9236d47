#!/usr/bin/env bats
# trace-driver.bats — c-harness/trace-driver.c: replaying the kit's traces
# (tests/traces/), every check shown failing on a deliberately broken
# allocator (tests/fixtures/broken-trace/), bad trace files, the report
# and the heap picture (--svg, --dump, make heapviz). docs/lab.md.

bats_require_minimum_version 1.5.0
load test_helper

BROKEN_DIR="$BATS_TEST_DIRNAME/fixtures/broken-trace"
TRACES="$BATS_TEST_DIRNAME/traces"

# link_driver ALLOC.s OUT [-I DIR]... — the trace driver linked by hand
# with ALLOC.s (link_trace_driver, test_helper.bash).
link_driver() {
    local src=$1 out=$2
    shift 2
    "${CROSS}as" --32 -I "$MEMKIT_ROOT/asm" "$@" -o "$out.o" "$src" &&
    link_trace_driver "$out" "$out.o"
}

setup_file() {
    local f n
    for f in "$BROKEN_DIR"/*.s; do
        n=$(basename "$f" .s)
        link_driver "$f" "$BATS_FILE_TMPDIR/td-$n" -I "$BROKEN_DIR"
    done
}

setup() {
    memkit_setup
    BROKEN=$BATS_FILE_TMPDIR
}

# trace FILE OPS... — write a trace with a correct header (ids 0..99).
trace() {
    local out=$1
    shift
    { printf '0\n100\n%d\n1\n' "$#"; printf '%s\n' "$@"; } > "$out"
}

# ------------------------------------------------------ good allocators

@test "the chosen allocator replays every kit trace with zero errors" {
    run -0 i386 "$ABUILD/trace-driver" "$TRACES"/*.rep
    refute_line --partial '[FAIL]'
    assert_line --regexp '^[0-9]+ passed, 0 failed$'
    assert_line --regexp '^mean utilization over [0-9]+ traces: [0-9]+\.[0-9]%$'
}

@test "the chosen allocator replays the 1k to 16k scaling series with zero errors" {
    run -0 i386 "$ABUILD/trace-driver" "$TRACES"/scale/scale-{1,2,4,8,16}k.rep
    assert_line '5 passed, 0 failed'
}

@test "every kit allocator's heap walks cleanly in the trace driver through its memkit_layout" {
    # Their replays of every kit trace are make check's, which
    # check.bats's "every kit allocator ... passes make check" runs and
    # holds to zero failures; the scaling series takes each of them
    # seconds (their heap_check walks every block after every
    # operation): make check-scale ALLOC=NAME runs it, docs/lab.md has
    # the results.
    local f n found=0
    for f in "$MEMKIT_ROOT"/asm/allocators/*.s; do
        [ -f "$f" ] || continue
        found=1
        n=$(basename "$f" .s)
        link_driver "$f" "$BATS_TEST_TMPDIR/td-$n" -I "$(dirname "$f")"
        # Its heap walks cleanly through its memkit_layout, also while
        # empty (no prologue yet) and after every block is freed.
        run -0 i386 "$BATS_TEST_TMPDIR/td-$n" --dump "$TRACES/records.rep"
        refute_line --partial corrupt
    done
    if [ "$found" = 0 ] && [ "$(withheld_count 'asm/allocators/*.s')" -gt 0 ]; then
        skip "withheld from the handout: asm/allocators/*.s"
    fi
    [ "$found" = 1 ] || skip "no allocators in asm/allocators yet"
}

@test "the bump allocator the broken ones are made from passes every check" {
    run -0 i386 "$BROKEN/td-bump" "$TRACES"/*.rep
    assert_line --regexp '^[0-9]+ passed, 0 failed$'
}

@test "the report gives ops, peak payload, heap high-water, utilization and brk calls" {
    trace t.rep 'a 0 10' 'a 1 324' 'r 0 100' 'f 1' 'f 0'
    # The reference: blocks of 8+16, 8+328 and 8+104 bytes, never reused.
    run -0 i386 "$BUILD/trace-driver" t.rep
    assert_line '[OK]   t.rep: 5 ops, peak 424, heap 472, util 89.8%, brk 4'
    assert_line --regexp '^t\.rep +5 +424 +472 +89\.8%  4$'
    assert_line 'mean utilization over 1 trace: 89.8%'
}

# ------------------------------------------------------------- checks

@test "an allocate that returns 0 fails the trace at that operation" {
    run -1 i386 "$BROKEN/td-null" "$TRACES/records.rep"
    assert_line '[FAIL] '"$TRACES"'/records.rep: op 4 (line 8: a 2 12): allocate returned 0 (NULL)'
    assert_line '0 passed, 1 failed'
}

@test "--bench replays a trace's calls without the checks and stops loudly at a NULL" {
    run -0 i386 "$BUILD/trace-driver" --bench "$TRACES/records.rep"
    assert_output "bench: $(sed -n 3p "$TRACES/records.rep") ops replayed"
    # The overlapping allocator passes --bench: it checks nothing ...
    run -0 i386 "$BROKEN/td-overlap" --bench "$TRACES/records.rep"
    # ... but a NULL cannot be replayed past, and says where.
    run -1 --separate-stderr i386 "$BROKEN/td-null" --bench "$TRACES/records.rep"
    assert_equal "$stderr" "trace-driver: --bench: op 4 of $TRACES/records.rep got NULL"
    run -2 i386 "$BUILD/trace-driver" --bench "$TRACES/records.rep" "$TRACES/lifo.rep"
    assert_output --partial 'take one trace'
}

@test "a payload that is not 8-byte aligned fails the trace" {
    trace t.rep 'a 0 16' 'f 0'
    run -1 i386 "$BROKEN/td-misalign" t.rep
    assert_line --regexp '^\[FAIL\] t\.rep: op 1 \(line 5: a 0 16\): payload is not 8-byte aligned: 0x[0-9a-f]{7}[4c]$'
}

@test "a payload that runs past current_break fails the trace" {
    trace t.rep 'a 0 16' 'f 0'
    run -1 i386 "$BROKEN/td-outside" t.rep
    assert_line --regexp '^\[FAIL\] t\.rep: op 1 \(line 5: a 0 16\): payload lies outside \[heap_begin, current_break\): at 0x[0-9a-f]{8}$'
}

@test "a payload that overlaps a live one fails the trace and names the live id" {
    trace t.rep 'a 0 64' 'a 1 8' 'f 1' 'f 0'
    run -1 i386 "$BROKEN/td-overlap" t.rep
    assert_line --regexp '^\[FAIL\] t\.rep: op 2 \(line 6: a 1 8\): payload overlaps live id 0 at 0x[0-9a-f]{8}$'
}

@test "the overlap check also catches a new block that contains a live one" {
    # overlap.s returns 16 bytes too low: a 64-byte block starts below
    # the 8-byte block before it and covers it whole.
    trace t.rep 'a 0 8' 'a 1 64' 'f 1' 'f 0'
    run -1 i386 "$BROKEN/td-overlap" t.rep
    assert_line --regexp '^\[FAIL\] t\.rep: op 2 \(line 6: a 1 64\): payload overlaps live id 0 at 0x[0-9a-f]{8}$'
}

@test "a deallocate that writes into a live neighbour's bytes fails at that free" {
    trace t.rep 'a 0 16' 'a 1 16' 'f 0' 'f 1'
    run -1 i386 "$BROKEN/td-clobber" t.rep
    assert_line --regexp '^\[FAIL\] t\.rep: op 3 \(line 7: f 0\): bytes of live id 1 changed: first bad byte at 0x[0-9a-f]{8}$'
}

@test "a reallocate that does not copy the old bytes fails at that realloc" {
    trace t.rep 'a 0 16' 'r 0 200' 'f 0'
    run -1 i386 "$BROKEN/td-nocopy" t.rep
    assert_line --regexp '^\[FAIL\] t\.rep: op 2 \(line 6: r 0 200\): bytes of live id 0 changed: first bad byte at 0x[0-9a-f]{8}$'
}

# A trace of C's realloc edge cases: r ID 0 frees the block (glibc's
# realloc(p, 0) returns NULL), the id then holds NULL: f ID is free(NULL)
# and r ID N is malloc(N).
realloc_zero_trace() {
    trace "$1" 'a 0 40' 'a 1 24' 'r 0 0' 'a 2 16' 'r 0 32' 'r 1 0' 'f 1' 'f 0' 'f 2'
}

@test "r ID 0 follows glibc: reallocate(p, 0) frees p and returns 0, for every allocator and glibc itself" {
    skip_if_withheld asm/allocators/segfit.s asm/allocators/buddy.s asm/allocators/bitmap.s asm/allocators/bestfit.s asm/allocators/coalesce.s asm/allocators/tlsf.s
    realloc_zero_trace t.rep
    run -0 i386 "$BUILD/trace-driver" t.rep             # no reallocate: C's rule by hand
    local a
    for a in segfit buddy bitmap bestfit; do
        make -s -C "$MEMKIT_ROOT" ALLOC="$a" "build/alloc/$a/trace-driver" >/dev/null
        run -0 i386 "$BUILD/alloc/$a/trace-driver" t.rep
        assert_line '1 passed, 0 failed'
    done
    if [ -x "$BUILD/glibc/trace-driver" ]; then
        run -0 i386 "$BUILD/glibc/trace-driver" t.rep
        assert_line '1 passed, 0 failed'
    fi
}

@test "a reallocate(p, 0) that returns a block instead of 0 fails at that op, citing the rule" {
    realloc_zero_trace t.rep
    run -1 i386 "$BROKEN/td-realloc0" t.rep
    assert_line --regexp '^\[FAIL\] t\.rep: op 3 \(line 7: r 0 0\): reallocate\(p, 0\) returned a block at 0x[0-9a-f]{8}: it should free p and return 0, as glibc.s realloc does \(docs/lab\.md\)$'
    # The same allocator is right on every other realloc.
    trace u.rep 'a 0 40' 'r 0 200' 'r 0 8' 'f 0'
    run -0 i386 "$BROKEN/td-realloc0" u.rep
}

@test "an allocator that ends the program with exit(0) mid-trace fails it, never passes" {
    trace short.rep 'a 0 8' 'f 0'
    run -1 i386 "$BROKEN/td-exit0" "$TRACES/records.rep" short.rep
    assert_line "[FAIL] $TRACES/records.rep: the process exited 0 before the case finished (the allocator ended the program: a call to exit?)"
    assert_line '1 passed, 1 failed'
}

@test "the realloc fallback (allocate, copy, deallocate) keeps the bytes" {
    # bump.s exports no reallocate: the driver copies, and checks the copy.
    trace t.rep 'a 0 16' 'a 1 8' 'r 0 200' 'r 0 8' 'f 0' 'f 1'
    run -0 i386 "$BROKEN/td-bump" t.rep
    assert_line '1 passed, 0 failed'
}

@test "a heap_check that returns non-zero fails the trace after that operation" {
    run -1 i386 "$BROKEN/td-check" "$TRACES/lifo.rep"
    assert_line --regexp '^\[FAIL\] .*lifo\.rep: op 5 \(line 9: f 2\): heap_check returned non-zero: 0x00000001$'
}

@test "an allocator that crashes fails that trace, names the op, and the others still run" {
    trace short.rep 'a 0 8' 'a 1 8' 'f 0' 'f 1'
    run -1 i386 "$BROKEN/td-crash" "$TRACES/records.rep" short.rep
    assert_line --partial 'records.rep: op 5 (line 9: a 3 15): the allocator crashed with SIGSEGV'
    assert_line '[OK]   short.rep: 4 ops, peak 16, heap 32, util 50.0%, brk 3'
    assert_line '1 passed, 1 failed'
}

@test "damage far from the current op is found by a sampled check and pinned to its op by a replay" {
    # scale-4k is big enough that every live byte is checked only every
    # few operations; late.s flips a byte of block 0 in its 2000th
    # allocate (op 2000), which only a full check sees.
    run -1 i386 "$BROKEN/td-late" "$TRACES/scale/scale-4k.rep"
    assert_line --regexp '^       damage found after op [0-9]+, not after op [0-9]+: replaying with full checks from op [0-9]+$'
    assert_line --regexp '^\[FAIL\] .*scale-4k\.rep: op 2000 \(line 2004: a 1999 [0-9]+\): bytes of live id 0 changed: first bad byte at 0x[0-9a-f]{8}$'
}

@test "damage done in the last ops, after the last sampled check, is still found" {
    # A trace checked in samples (1 MiB live x 2000 ops is over the
    # 64 MiB budget: every 32nd op): late.s damages block 0 in its 2000th
    # allocate, the trace's last op, far from the block it hands out and
    # after the last sample (op 1984). Only the check after the last op
    # can see it.
    {
        printf '0\n2000\n2000\n1\na 0 1048576\n'
        for i in $(seq 1 1999); do echo "a $i 8"; done
    } > tail.rep
    run -1 i386 "$BROKEN/td-late" tail.rep
    assert_line --regexp '^\[FAIL\] tail\.rep: op 2000 \(line 2004: a 1999 8\): bytes of live id 0 changed'
}

@test "--full checks every live byte after every op and names the same op without a replay" {
    run -1 i386 "$BROKEN/td-late" --full "$TRACES/scale/scale-2k.rep"
    refute_line --partial 'replaying'
    assert_line --regexp '^\[FAIL\] .*scale-2k\.rep: op 2000 \(line 2004: a 1999 [0-9]+\): bytes of live id 0 changed'
}

# ------------------------------------------------------- bad traces

# bad_trace LINE MESSAGE BODY... — the driver rejects the trace with
# `t.rep:LINE: MESSAGE` and exit status 2, before running anything.
bad_trace() {
    local line=$1 msg=$2
    shift 2
    printf '%b' "$@" > t.rep
    run -2 i386 "$BUILD/trace-driver" t.rep
    assert_line "t.rep:$line: $msg"
    assert_line '0 passed, 1 failed'
}

@test "an unknown operation is a bad trace at its line, exit 2" {
    bad_trace 6 'unknown operation (not a, f or r)' '0\n2\n3\n1\na 0 8\nx 1 8\nf 0\n'
}

@test "an id beyond the header's number of ids is a bad trace, exit 2" {
    bad_trace 6 'id 5 out of range: the header says 2 ids' '0\n2\n3\n1\na 0 8\na 5 8\nf 0\n'
}

@test "freeing an id never allocated is a bad trace, exit 2" {
    bad_trace 6 'f 1 but id 1 is not allocated (never, or freed already)' '0\n2\n2\n1\na 0 8\nf 1\n'
}

@test "freeing an id twice is a bad trace at the second free, exit 2" {
    bad_trace 7 'f 0 but id 0 is not allocated (never, or freed already)' '0\n2\n3\n1\na 0 8\nf 0\nf 0\n'
}

@test "a size that does not parse is a bad trace, exit 2" {
    bad_trace 5 'size is not a number below 2^31' '0\n2\n2\n1\na 0 8x\nf 0\n'
    bad_trace 5 'size is not a number below 2^31' '0\n2\n2\n1\na 0 4294967296\nf 0\n'
}

@test "a size of exactly 2^31 is a bad trace, 2^31 - 1 is not" {
    bad_trace 5 'size is not a number below 2^31' '0\n2\n2\n1\na 0 2147483648\nf 0\n'
    printf '0\n2\n2\n1\nr 0 2147483647\nf 0\n' > t.rep
    run -2 i386 "$BUILD/trace-driver" t.rep            # parses: r of a dead id is the error
    assert_line 't.rep:5: r 0 but id 0 is not allocated'
}

@test "an id equal to the header's number of ids is out of range, one below is not" {
    bad_trace 6 'id 2 out of range: the header says 2 ids' '0\n2\n3\n1\na 0 8\na 2 8\nf 0\n'
    printf '0\n2\n4\n1\na 0 8\na 1 8\nf 1\nf 0\n' > t.rep
    run -0 i386 "$BUILD/trace-driver" t.rep
}

@test "a file that ends before the header's operations is a bad trace, exit 2" {
    bad_trace 7 'file ends after 2 of 4 operations (truncated?)' '0\n2\n4\n1\na 0 8\nf 0\n'
    bad_trace 3 'file ends inside the 4-line header' '0\n2\n'
    bad_trace 6 'last line has no newline (truncated?)' '0\n2\n2\n1\na 0 8\nf 0'
}

@test "more operations than the header says is a bad trace, exit 2" {
    bad_trace 7 'operation 3 but the header says 2 operations' '0\n2\n2\n1\na 0 8\nf 0\na 1 8\n'
}

@test "a missing trace file is an error, exit 2" {
    run -2 i386 "$BUILD/trace-driver" "no such file.rep"
    assert_line --regexp '^no such file\.rep: cannot open \(errno 2\)$'
}

@test "a bad trace does not stop the good ones, and exit 2 wins over a pass" {
    printf '0\n1\n1\n1\nq 0\n' > bad.rep
    run -2 i386 "$BUILD/trace-driver" bad.rep "$TRACES/records.rep"
    assert_line 'bad.rep:5: unknown operation (not a, f or r)'
    assert_line --regexp '^\[OK\]   .*records\.rep: 326 ops'
    assert_line '1 passed, 1 failed'
}

# ------------------------------------------------------- the picture

# svg_blocks FILE — "row offset size state" for every block drawn.
svg_blocks() {
    python3 - "$1" <<'EOF'
import sys
import xml.etree.ElementTree as ET
ns = "{http://www.w3.org/2000/svg}"
for g in ET.parse(sys.argv[1]).getroot().iter(ns + "g"):
    if g.get("data-row") is not None:
        print(g.get("data-row"), g.get("data-off"), g.get("data-size"),
              g.get("data-state"))
EOF
}

@test "--svg writes an SVG a real XML parser accepts and rsvg-convert renders" {
    run -0 i386 "$ABUILD/trace-driver" --svg "heap pic.svg" "$TRACES/records.rep"
    run -0 xmllint --noout "heap pic.svg"
    run -0 rsvg-convert -o heap.png "heap pic.svg"
    # A PNG whose IHDR says 1350 pixels wide, and big enough to hold more
    # than a blank canvas.
    [ "$(head -c 8 heap.png | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ]
    [ "$(od -An -tu1 -j16 -N4 heap.png | tr -s ' ' | sed 's/^ //')" = "0 0 5 70" ]
    [ "$(stat -c %s heap.png)" -gt 20000 ]
}

@test "the blocks the picture draws are the blocks the driver walked, row by row" {
    run -0 i386 "$ABUILD/trace-driver" --dump --svg h.svg "$TRACES/mixed.rep"
    awk '$1 == "block" { sub(/^\+/, "", $3); print $2, $3, $4, $5 }' \
        <<<"$output" > dump.txt
    svg_blocks h.svg > drawn.txt
    [ -s dump.txt ]
    [ "$(wc -l < dump.txt)" -gt 100 ]
    diff -u dump.txt drawn.txt
}

@test "the dump's rows agree with the reference's first-fit heap on a small trace" {
    trace t.rep 'a 0 10' 'a 1 324' 'f 0' 'a 2 8'
    run -0 i386 "$BUILD/trace-driver" --dump t.rep
    assert_line 'row 4 op 4 break +360 blocks 2'
    assert_line 'block 4 +0 24 used'
    assert_line 'block 4 +24 336 used'
    assert_line 'row 3 op 3 break +360 blocks 2'
    assert_line 'block 3 +0 24 free'
}

@test "a long trace is drawn in evenly sampled rows, the last op included" {
    run -0 i386 "$ABUILD/trace-driver" --rows 10 --dump "$TRACES/lifo.rep"
    [ "$(grep -c '^row ' <<<"$output")" -le 11 ]
    assert_line --regexp '^row [0-9]+ op 924 '
}

@test "the picture draws a failed operation in red with what failed" {
    trace t.rep 'a 0 64' 'a 1 8' 'f 1' 'f 0'
    run -1 i386 "$BROKEN/td-overlap" --svg bad.svg t.rep
    run -0 xmllint --noout bad.svg
    grep -q 'class="failrow"' bad.svg
    grep -q '2: a 1 8 FAILED: payload overlaps live id 0' bad.svg
    # A correct run draws no red row.
    run -0 i386 "$BROKEN/td-bump" --svg good.svg t.rep
    run ! grep -q 'class="failrow"' good.svg
}

@test "make heapviz writes the picture for ALLOC and TRACE, paths with spaces" {
    cp "$TRACES/lifo.rep" "my trace.rep"
    run -0 make -s -C "$MEMKIT_ROOT" heapviz TRACE="$PWD/my trace.rep" \
        OUT="$PWD/out dir.svg"
    assert_line "heapviz: wrote $PWD/out dir.svg"
    run -0 xmllint --noout "out dir.svg"
    grep -q '<text class="op" x="8" y="[0-9]*">924: f 22</text>' "out dir.svg"
}

@test "--svg into a character device writes it in place: the device stays a device" {
    mknod fulldev c 1 7 2>/dev/null || skip "mknod is not allowed here (it needs CAP_MKNOD)"
    run -2 --separate-stderr i386 "$BUILD/trace-driver" --svg fulldev "$TRACES/lifo.rep"
    assert_equal "$stderr" "trace-driver: cannot write the picture fulldev: No space left on device (the old file, if any, is kept)"
    [ -c fulldev ]
}

@test "--svg that cannot be written whole (ulimit -f) keeps the old picture, leaves no temporary file, exits 2" {
    echo "old picture" > pic.svg
    run -2 --separate-stderr bash -c 'ulimit -f 8; exec "$@"' _ \
        "$MEMKIT_ROOT/tools/run-i386" "$BUILD/trace-driver" --svg pic.svg "$TRACES/lifo.rep"
    assert_equal "$stderr" "trace-driver: cannot write the picture pic.svg: File too large (the old file, if any, is kept)"
    assert_equal "$(cat pic.svg)" "old picture"
    [ -z "$(find . -name 'pic.svg?*')" ]
}

@test "--svg never writes through a planted FILE.part, and a read-only picture is refused" {
    echo precious > victim
    ln -s victim pic.svg.part
    run -0 i386 "$BUILD/trace-driver" --svg pic.svg "$TRACES/lifo.rep"
    assert_equal "$(cat victim)" precious
    run -0 xmllint --noout pic.svg
    chmod 444 pic.svg
    run -2 --separate-stderr i386 "$BUILD/trace-driver" --svg pic.svg "$TRACES/lifo.rep"
    assert_equal "$stderr" "trace-driver: cannot write the picture pic.svg: Permission denied (the old file, if any, is kept)"
}

@test "make heapviz with an OUT that cannot be written exits non-zero and says so" {
    # A device of our own, never /dev/full: a regression must not be able
    # to replace the system's.
    mknod fulldev c 1 7 2>/dev/null || skip "mknod is not allowed here (it needs CAP_MKNOD)"
    run -2 --separate-stderr make -s -C "$MEMKIT_ROOT" heapviz TRACE="$TRACES/lifo.rep" OUT="$PWD/fulldev"
    [[ "$stderr" == *"cannot write the picture $PWD/fulldev: No space left on device"* ]]
    refute_output --partial "heapviz: wrote"
    [ -c fulldev ]
}

@test "a row drawn before an id is allocated again shows the size the id had then" {
    trace t.rep 'a 0 64' 'f 0' 'a 0 8' 'f 0'
    run -0 i386 "$BUILD/trace-driver" --rows 10 --svg s.svg t.rep
    # Row 1 (after a 0 64) and row 3 (a 0 8 reuses the 64-byte block).
    grep -q '<title>+0: id 0, 64 of 64 bytes used</title>' s.svg
    grep -q '<title>+0: id 0, 8 of 64 bytes used</title>' s.svg
}

@test "--svg into a directory that does not exist is an error, exit 2, and make heapviz says no wrote" {
    trace t.rep 'a 0 16' 'f 0'
    run -2 --separate-stderr i386 "$BUILD/trace-driver" --svg "no such dir/s.svg" t.rep
    [[ "$stderr" =~ ^"trace-driver: cannot write the picture no such dir/s.svg.partial-"[0-9a-f]+": No such file or directory (the old file, if any, is kept)"$ ]] ||
        fail "stderr: $stderr"
    [ ! -e "no such dir" ]
    run -2 make -s -C "$MEMKIT_ROOT" heapviz TRACE="$PWD/t.rep" OUT="$PWD/no such dir/s.svg"
    refute_output --partial 'heapviz: wrote'
}

@test "--svg, --dump and --no-fork take exactly one trace" {
    run -2 i386 "$BUILD/trace-driver" --svg x.svg "$TRACES/lifo.rep" "$TRACES/mixed.rep"
    assert_output --partial 'take one trace'
    [ ! -e x.svg ]
}

@test "--no-fork replays one trace in the driver's own process, for gdb" {
    trace t.rep 'a 0 16' 'a 1 5' 'f 0'
    run -0 i386 "$BUILD/trace-driver" --no-fork t.rep
    assert_line '[OK]   t.rep: 3 ops, peak 21, heap 40, util 52.5%, brk 3'
    run -1 i386 "$BROKEN/td-overlap" --no-fork t.rep
    assert_line --partial 'op 2 (line 6: a 1 5): payload overlaps live id 0'
}

@test "the heap walk reads the allocator's memkit_layout: footers, whole-block sizes" {
    # footer.s: 8-byte header, 8-byte footer, size word = the whole block.
    trace t.rep 'a 0 16' 'a 1 5' 'f 0'
    run -0 i386 "$BROKEN/td-footer" --dump t.rep
    assert_line 'block 3 +0 32 free'
    assert_line 'block 3 +32 24 used'
    # The same heap read with the book's layout would be two blocks of
    # 8 + 32 and 8 + 24 bytes: the bump allocator without the footer.
    run -0 i386 "$BROKEN/td-bump" --dump t.rep
    assert_line 'block 3 +0 24 free'
    assert_line 'block 3 +24 16 used'
}

@test "a header the walk cannot decode shows as a corrupt row in the dump and the picture" {
    trace t.rep 'a 0 16' 'a 1 8' 'f 1' 'f 0'
    run -0 i386 "$BROKEN/td-state" --dump --svg s.svg t.rep
    assert_line 'row 1 op 1 break +24 blocks 0 corrupt at +0'
    grep -q '<rect class="corrupt" [^>]*><title>flag is neither 0 nor 1</title>' s.svg
    run -0 xmllint --noout s.svg
}

@test "an allocator that never returns fails that trace at the time limit, and the others still run" {
    trace short.rep 'a 0 8' 'f 0'
    run -1 i386 "$BROKEN/td-loop" --timeout 1 "$TRACES/records.rep" short.rep
    assert_line --partial 'records.rep: op 5 (line 9: a 3 15): timed out after 1 s of CPU time (an allocator call that never returns?)'
    assert_line '1 passed, 1 failed'
}

@test "--axis draws two allocators at one scale" {
    trace t.rep 'a 0 16' 'f 0'
    run -0 i386 "$BUILD/trace-driver" --axis 1000 --svg a.svg t.rep
    grep -q '>+1000</text>' a.svg
    # without it the axis ends at the high-water mark, 24 bytes
    run -0 i386 "$BUILD/trace-driver" --svg b.svg t.rep
    grep -q '>+24</text>' b.svg
}

@test "the picture shows the part of a used block beyond the bytes its id asked for" {
    # The reference gives a 16-byte request the whole freed 256-byte
    # block (no split): 240 bytes of it drawn as slack.
    trace t.rep 'a 0 256' 'f 0' 'a 1 16' 'f 1'
    run -0 i386 "$BUILD/trace-driver" --svg s.svg t.rep
    grep -q '<title>+0: id 1, 16 of 256 bytes used</title></rect><rect class="slack"' s.svg
    # A block that holds exactly what was asked for has no slack.
    trace u.rep 'a 0 256' 'f 0'
    run -0 i386 "$BUILD/trace-driver" --svg u.svg u.rep
    grep -q '<title>+0: id 0, 256 of 256 bytes used</title>' u.svg
    run ! grep -q '<rect class="slack" x="[0-9.]*" y="[0-9]*" width="[0-9.]*" height="12"/>' u.svg
}
