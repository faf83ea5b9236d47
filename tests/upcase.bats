#!/usr/bin/env bats
# upcase (asm/upcase.s): the chapter's third exercise, a file converter
# whose buffer comes from the memory manager. Every test runs on real
# files in its own scratch directory.

bats_require_minimum_version 1.5.0
load test_helper

BUFFER_SIZE=4096        # asm/upcase.s BUFFER_SIZE

setup() {
    skip_if_withheld asm/upcase.s
    memkit_setup
}

# expect IN OUT — OUT holds IN with a-z turned into A-Z, nothing else.
expect_upper() {
    LC_ALL=C tr 'a-z' 'A-Z' < "$1" > expected
    cmp expected "$2"
}

# text N — N bytes of mixed-case text (letters, digits, punctuation).
text() {
    yes 'The quick brown Fox, 42 jumps; over the lazy dog!' |
        head -c "$1"
}

# no_temp_files — nothing like OUT.partial-PID is left in the directory.
no_temp_files() {
    run -0 find . -name '*.partial-*'
    assert_output ""
}

@test "upcase turns a-z into A-Z and copies all 256 byte values otherwise unchanged" {
    for i in $(seq 0 255); do printf "\\$(printf %03o "$i")"; done > bytes
    [ "$(wc -c < bytes)" -eq 256 ]
    run -0 i386 upcase bytes out
    assert_output ""
    expect_upper bytes out
    refute cmp -s bytes out                      # something did change
}

@test "upcase of an empty file writes an empty file" {
    : > empty
    run -0 i386 upcase empty out
    [ -f out ] && [ ! -s out ]
}

@test "upcase of a one-byte file writes that byte in upper case" {
    printf q > one
    run -0 i386 upcase one out
    [ "$(cat out)" = "Q" ]
}

@test "upcase of exactly one buffer of input writes it all" {
    text "$BUFFER_SIZE" > in
    run -0 i386 upcase in out
    [ "$(wc -c < out)" -eq "$BUFFER_SIZE" ]
    expect_upper in out
}

@test "upcase of many buffers plus a tail writes every byte, in order" {
    text $((3 * BUFFER_SIZE + 123)) > in
    run -0 i386 upcase in out
    [ "$(wc -c < out)" -eq $((3 * BUFFER_SIZE + 123)) ]
    expect_upper in out
}

@test "upcase replaces an existing output file and keeps its permission bits" {
    text 100 > in
    text 9000 > out
    chmod 640 out
    run -0 i386 upcase in out
    expect_upper in out
    [ "$(stat -c %a out)" = 640 ]
    no_temp_files
}

@test "upcase works on paths with spaces, and with IN and OUT the same file" {
    mkdir "my dir"
    text 5000 > "my dir/in file"
    cp "my dir/in file" orig
    run -0 i386 upcase "my dir/in file" "my dir/out file"
    expect_upper orig "my dir/out file"
    run -0 i386 upcase "my dir/in file" "my dir/in file"
    expect_upper orig "my dir/in file"
    no_temp_files
}

@test "upcase writes straight into an output that is not a regular file (a pipe)" {
    text 5000 > in
    mkfifo fifo
    cat fifo > out &
    run -0 i386 upcase in fifo
    wait
    expect_upper in out
    [ -p fifo ]
}

@test "a missing input file is error 0001, exit 1, and no output file appears" {
    run -1 --separate-stderr i386 upcase nosuch out
    assert_output ""
    assert_equal "$stderr" "upcase: error 0001: cannot open input file: nosuch: No such file or directory"
    [ ! -e out ]
    no_temp_files
}

@test "an output in a missing directory is error 0002 naming the file not created and the reason" {
    printf abc > in
    run -1 --separate-stderr i386 upcase in nodir/out
    assert_regex "$stderr" '^upcase: error 0002: cannot create output file: nodir/out\.partial-[0-9a-f]{8}: No such file or directory$'
}

@test "a directory as output is error 0002, and the directory is left alone" {
    printf abc > in
    mkdir outdir && touch outdir/keep
    run -1 --separate-stderr i386 upcase in outdir
    assert_equal "$stderr" "upcase: error 0002: cannot create output file: outdir: Is a directory"
    [ -f outdir/keep ]
}

@test "an output that cannot take the bytes (/dev/full) is error 0004" {
    printf abc > in
    run -1 --separate-stderr i386 upcase in /dev/full
    assert_equal "$stderr" "upcase: error 0004: cannot write output file: /dev/full: No space left on device"
}

@test "a write that fails half-way is error 0004 and the existing output is intact" {
    skip_if_exec_drops_ignored_xfsz
    text $((3 * BUFFER_SIZE)) > in
    echo "the old contents" > out
    cp out before
    # A 4 KiB file size limit: the second buffer's write fails (EFBIG;
    # SIGXFSZ is ignored so the program sees the error, as with a full disk).
    run -1 --separate-stderr bash -c 'trap "" XFSZ; ulimit -f 4; exec "$@"' \
        _ "$MEMKIT_ROOT/tools/run-i386" "$BUILD/upcase" in out
    assert_equal "$stderr" "upcase: error 0004: cannot write output file: out: File too large"
    cmp before out
    no_temp_files
}

@test "an input that cannot be read (a directory) is error 0003 and the existing output is intact" {
    mkdir indir
    echo "the old contents" > out
    cp out before
    run -1 --separate-stderr i386 upcase indir out
    assert_equal "$stderr" "upcase: error 0003: cannot read input file: indir: Is a directory"
    cmp before out
    no_temp_files
}

@test "an output directory without write permission is error 0002 and the old output stays" {
    [ "$(id -u)" -ne 0 ] || skip "root may write into any directory"
    mkdir ro && echo old > ro/out && chmod 555 ro
    printf abc > in
    run -1 --separate-stderr i386 upcase in ro/out
    chmod 755 ro
    assert_regex "$stderr" '^upcase: error 0002: cannot create output file: ro/out\.partial-[0-9a-f]{8}: Permission denied$'
    [ "$(cat ro/out)" = old ]
}

@test "upcase reports error 0005, writing nothing, when the heap cannot grow" {
    # As for read-records: RLIMIT_DATA of exactly the writable LOAD pages
    # lets the program start but leaves brk no room (natively only: qemu
    # itself would not start under the limit).
    skip_unless_native
    local type off vaddr paddr filesz memsz flags pages=0
    while read -r type off vaddr paddr filesz memsz flags _; do
        [ "$type" = LOAD ] && [[ "$flags" == *W* ]] || continue
        pages=$((pages + (vaddr + memsz + 4095) / 4096 - vaddr / 4096))
    done < <("$READELF" -lW "$BUILD/upcase")
    [ "$pages" -ge 1 ] || fail "no writable LOAD segment in upcase"
    printf abc > in
    echo old > out
    run -1 --separate-stderr sh -c 'ulimit -d "$1" && exec "$0" in out' \
        "$BUILD/upcase" $((pages * 4))
    assert_output ""
    assert_equal "$stderr" "upcase: error 0005: cannot allocate the buffer"
    [ "$(cat out)" = old ]
    no_temp_files
}

@test "upcase with other than two arguments is error 0006 with the usage" {
    for args in "" "in" "in out extra"; do
        # shellcheck disable=SC2086
        run -1 --separate-stderr i386 upcase $args
        assert_equal "$stderr" "upcase: error 0006: usage: upcase IN OUT"
    done
}

@test "upcase takes its buffer from the allocator: the break grows by a header plus the buffer" {
    text 10 > in
    run -0 --separate-stderr env QEMU="qemu-i386 -strace" \
        "$MEMKIT_ROOT/tools/run-i386" "$BUILD/upcase" in out
    # brk(NULL) from allocate_init, then allocate(4096) moves the break
    # by the 8-byte header plus the buffer (the reference allocator).
    brks=$(grep -o -E 'brk\((NULL|0x[0-9a-f]+)\) = 0x[0-9a-f]+' <<<"$stderr")
    first=$(sed -n '1s/^brk(NULL) = //p' <<<"$brks")
    second=$(sed -n '2s/^brk(\(0x[0-9a-f]*\)) = \1$/\1/p' <<<"$brks")
    [ -n "$first" ] && [ -n "$second" ] || fail "brk calls: $brks"
    assert_equal $((second - first)) $((8 + BUFFER_SIZE))
    expect_upper in out
}

@test "upcase's own object has no buffer in .bss or .data: its memory comes from allocate" {
    run -0 "${CROSS}size" -A "$BUILD/obj/asm/upcase.o"
    assert_line --regexp '^\.bss +0 '
    assert_line --regexp '^\.data +0 '
    assert_line --regexp '^\.text +[1-9]'
}

@test "upcase built against another allocator (build/alloc/split) converts the same" {
    skip_if_withheld asm/allocators/split.s
    text $((2 * BUFFER_SIZE + 7)) > in
    run -0 i386 "$BUILD/alloc/split/upcase" in out
    expect_upper in out
}

@test "a run the kit's timeout kills leaves the old output and no temporary file" {
    echo "the old contents" > out
    MEMKIT_TIMEOUT=1 run -124 i386 upcase /dev/zero out
    [ "$(cat out)" = "the old contents" ]
    run -0 ls -A
    assert_output out
}

@test "a 245-byte output name works" {
    local name
    name=$(printf 'u%.0s' $(seq 245))
    printf 'abc\n' > in
    run -0 i386 upcase in "$name"
    [ "$(cat "$name")" = ABC ]
    no_temp_files
}

@test "a read-only (0444) output is refused with error 0002 and kept" {
    printf abc > in
    echo old > out && chmod 444 out
    run -1 --separate-stderr i386 upcase in out
    assert_equal "$stderr" "upcase: error 0002: cannot create output file: out: Permission denied"
    [ "$(cat out)" = old ]
}
