#!/usr/bin/env bats
# add-year: copies test.dat (or IN) to testout.dat (or OUT), every age + 1.

bats_require_minimum_version 1.5.0
load test_helper
load records_helper

setup() {
    memkit_setup
    cp "$FIXTURES/test.dat" test.dat
}

@test "add-year writes testout.dat with the ages 46 30 37" {
    run -0 --separate-stderr i386 add-year
    assert_output ""
    [ -z "$stderr" ]
    run -0 ages testout.dat
    assert_output "46 30 37"
}

@test "add-year changes only the age bytes: testout.dat matches the derived fixture" {
    run -0 i386 add-year
    cmp testout.dat "$FIXTURES/testout.dat"
    # and the difference from the input is exactly the three age bytes
    run -0 sh -c 'cmp -l test.dat testout.dat | wc -l'
    assert_output 3
}

@test "add-year leaves its input unchanged" {
    run -0 i386 add-year
    cmp test.dat "$FIXTURES/test.dat"
}

@test "add-year IN writes testout.dat from IN" {
    mv test.dat in.dat
    run -0 i386 add-year in.dat
    cmp testout.dat "$FIXTURES/testout.dat"
}

@test "add-year IN OUT uses both paths and creates no testout.dat" {
    run -0 i386 add-year test.dat older.dat
    cmp older.dat "$FIXTURES/testout.dat"
    [ ! -e testout.dat ]
}

@test "running add-year on its own output adds another year" {
    run -0 i386 add-year test.dat one.dat
    run -0 i386 add-year one.dat two.dat
    run -0 ages two.dat
    assert_output "47 31 38"
}

@test "add-year creates its output with mode 0644, even under umask 000" {
    umask 000
    run -0 i386 add-year
    run -0 stat -c %a testout.dat
    assert_output 644
}

@test "a re-run truncates a longer existing output file" {
    head -c 5000 /dev/urandom > testout.dat
    run -0 i386 add-year
    cmp testout.dat "$FIXTURES/testout.dat"
}

@test "a trailing partial record is not copied" {
    run -0 i386 add-year "$FIXTURES/partial.dat" out.dat
    cmp out.dat "$FIXTURES/testout.dat"
}

@test "an empty input gives an empty output and exit status 0" {
    : > empty.dat
    run -0 --separate-stderr i386 add-year empty.dat out.dat
    [ -z "$stderr" ]
    [ -f out.dat ] && [ ! -s out.dat ]
}

@test "a missing input file is error 0001 naming the file, and no output is created" {
    run -1 --separate-stderr i386 add-year nosuch.dat
    assert_output ""
    [ "$stderr" = "add-year: error 0001: cannot open input file: nosuch.dat: No such file or directory" ]
    [ ! -e testout.dat ]
}

@test "an output file that cannot be created is error 0002 naming the file not created" {
    run -1 --separate-stderr i386 add-year test.dat nodir/out.dat
    assert_regex "$stderr" '^add-year: error 0002: cannot create output file: nodir/out\.dat\.partial-[0-9a-f]{8}: No such file or directory$'
}

@test "an input that cannot be read (a directory) is error 0003 naming it" {
    mkdir dir.dat
    run -1 --separate-stderr i386 add-year dir.dat out.dat
    [ "$stderr" = "add-year: error 0003: cannot read input file: dir.dat: Is a directory" ]
}

@test "a failing write is error 0004 naming the output file" {
    run -1 --separate-stderr i386 add-year test.dat /dev/full
    [ "$stderr" = "add-year: error 0004: cannot write output file: /dev/full: No space left on device" ]
}

@test "more than two arguments is usage error 0006 and touches no file" {
    run -1 --separate-stderr i386 add-year test.dat out.dat extra
    [ "$stderr" = "add-year: error 0006: usage: add-year [IN [OUT]]" ]
    [ ! -e out.dat ] && [ ! -e testout.dat ]
}

@test "the same file as input and output is error 0007 and the input survives" {
    run -1 --separate-stderr i386 add-year test.dat test.dat
    [ "$stderr" = "add-year: error 0007: input and output are the same file: test.dat" ]
    cmp test.dat "$FIXTURES/test.dat"
}

@test "the same file under another name (a symlink) is still error 0007" {
    ln -s test.dat alias.dat
    run -1 --separate-stderr i386 add-year ./test.dat alias.dat
    [ "$stderr" = "add-year: error 0007: input and output are the same file: alias.dat" ]
    cmp test.dat "$FIXTURES/test.dat"
}

@test "add-year closes both files it opened and exits 0" {
    run -0 trace add-year
    assert_opens_closed
    [ "$(grep -Ec ' open\(.*\) = [0-9]+$' "$BATS_TEST_TMPDIR/trace")" -eq 2 ]
    grep -q 'exit(0)' "$BATS_TEST_TMPDIR/trace"
}

# assert_no_temp_files — no PATH.partial-PID file (out-file.s) is left here.
assert_no_temp_files() {
    local left
    left=$(find . -name '*.partial-*')
    [ -z "$left" ] || fail "temporary files left behind: $left"
}

# limited N PROG ARGS... — run build/PROG with files limited to N KiB and
# SIGXFSZ ignored, so a write past the limit fails with EFBIG half-way
# through, the way a full disk fails it.
limited() {
    local kib=$1 prog=$2; shift 2
    bash -c 'trap "" XFSZ; ulimit -f "$1"; shift; exec "$@"' _ "$kib" \
        "$MEMKIT_ROOT/tools/run-i386" "$BUILD/$prog" "$@"
}

@test "an input that is a directory leaves an existing output untouched" {
    mkdir somedir
    echo "keep me" > keep.dat
    run -1 --separate-stderr i386 add-year somedir keep.dat
    [ "$stderr" = "add-year: error 0003: cannot read input file: somedir: Is a directory" ]
    [ "$(cat keep.dat)" = "keep me" ]
    assert_no_temp_files
}

@test "a write that fails half-way leaves the old output intact and no temporary file" {
    skip_if_exec_drops_ignored_xfsz
    for i in 1 2 3 4; do cat test.dat; done > big.dat     # 3888 bytes
    echo "old content" > out.dat
    run -1 --separate-stderr limited 1 add-year big.dat out.dat
    [ "$stderr" = "add-year: error 0004: cannot write output file: out.dat: File too large" ]
    [ "$(cat out.dat)" = "old content" ]
    assert_no_temp_files
}

@test "a short write is retried with the rest of the record" {
    skip_if_exec_drops_ignored_xfsz
    # At the 1 KiB limit the fourth record's write stops after 52 bytes;
    # the retry offers the other 272 (and then fails: the limit).
    local fd
    for i in 1 2; do cat test.dat; done > big.dat       # 1944 bytes
    # The trace goes through a pipe: the file limit would stop it too.
    QEMU="qemu-i386 -strace" limited 1 add-year big.dat out.dat 2>&1 >/dev/null |
        cat > trace
    grep -q '^[0-9]* exit(1)' trace
    # The output's descriptor: whatever the open of the temporary file got.
    fd=$(sed -n 's/.* open("out\.dat\.partial-.*) = \([0-9]*\)$/\1/p' trace)
    [ -n "$fd" ]
    run -0 grep -E "^[0-9]+ write\\($fd," trace
    assert_equal "${#lines[@]}" 5
    assert_line --index 3 --regexp ',324\) = 52$'
    assert_line --index 4 --regexp ',272\) = -1 errno=27'
}

@test "an existing output is replaced whole and keeps its permission bits" {
    head -c 5000 /dev/zero > out.dat
    chmod 640 out.dat
    run -0 i386 add-year test.dat out.dat
    cmp out.dat "$FIXTURES/testout.dat"
    [ "$(stat -c %a out.dat)" = 640 ]
}

@test "an output that is a pipe is written directly" {
    run -0 bash -c '"$1" "$2" test.dat /dev/stdout | cat > piped.dat' _ \
        "$MEMKIT_ROOT/tools/run-i386" "$BUILD/add-year"
    cmp piped.dat "$FIXTURES/testout.dat"
}

@test "an output named by a symlink is replaced by the new file and the link's target is kept" {
    echo "target" > target.dat
    ln -s target.dat link.dat
    run -0 i386 add-year test.dat link.dat
    [ ! -L link.dat ]
    cmp link.dat "$FIXTURES/testout.dat"
    [ "$(cat target.dat)" = "target" ]
}

@test "the same file under another name (a hard link) is error 0007: the inodes match" {
    ln test.dat hard.dat
    run -1 --separate-stderr i386 add-year test.dat hard.dat
    [ "$stderr" = "add-year: error 0007: input and output are the same file: hard.dat" ]
    cmp test.dat "$FIXTURES/test.dat"
}

@test "a copy of the input on the same device (same st_dev, other inode) is not the same file" {
    cp test.dat copy.dat
    [ "$(stat -c %d test.dat)" = "$(stat -c %d copy.dat)" ]
    run -0 i386 add-year test.dat copy.dat
    cmp copy.dat "$FIXTURES/testout.dat"
}

@test "an error's newline goes to stderr with the message, nothing to stdout" {
    run -1 bash -c '"$1" "$2" nosuch.dat > out.txt 2> err.txt' _ \
        "$MEMKIT_ROOT/tools/run-i386" "$BUILD/add-year"
    [ ! -s out.txt ]
    [ "$(tail -c 1 err.txt | od -An -c | tr -d ' ')" = '\n' ]
    [ "$(wc -l < err.txt)" -eq 1 ]
}

@test "an over-long file name is reported with the kernel's reason" {
    local long
    long=$(printf 'x%.0s' $(seq 300))
    run -1 --separate-stderr i386 add-year "$long"
    [ "$stderr" = "add-year: error 0001: cannot open input file: $long: File name too long" ]
}

@test "a failing close of the output is error 0004 and the old output survives" {
    skip_unless_native
    command -v strace >/dev/null || skip "strace(1) is not installed"
    echo "old content" > out.dat
    QEMU= run -1 --separate-stderr "$MEMKIT_ROOT/tools/run-i386" \
        strace -qq -o /dev/null -e trace=close -e inject=close:error=EIO:when=1 \
        "$BUILD/add-year" test.dat out.dat
    [ "$stderr" = "add-year: error 0004: cannot write output file: out.dat: Input/output error" ]
    [ "$(cat out.dat)" = "old content" ]
    assert_no_temp_files
}

@test "a failing rename of the new output is error 0004 and the old output survives" {
    skip_unless_native
    command -v strace >/dev/null || skip "strace(1) is not installed"
    echo "old content" > out.dat
    QEMU= run -1 --separate-stderr "$MEMKIT_ROOT/tools/run-i386" \
        strace -qq -o /dev/null -e trace=rename -e inject=rename:error=EXDEV \
        "$BUILD/add-year" test.dat out.dat
    [ "$stderr" = "add-year: error 0004: cannot write output file: out.dat: Invalid cross-device link" ]
    [ "$(cat out.dat)" = "old content" ]
    assert_no_temp_files
}

@test "a run the kit's timeout kills leaves the old output and no temporary file" {
    # /dev/zero never ends: add-year writes zero records until SIGTERM.
    echo "old content" > keep.dat
    MEMKIT_TIMEOUT=1 run -124 i386 add-year /dev/zero keep.dat
    [ "$(cat keep.dat)" = "old content" ]
    assert_no_temp_files
}

@test "two SIGTERMs back to back (timeout sends one to the program, one to its group) leave no temporary file" {
    # The second used to arrive while the handler was still removing the
    # file, and killed the program before the unlink (out-file.s now
    # holds the cleanup signals back until the file is gone).
    [ -n "$QEMU" ] || skip_unless_native
    echo "old content" > keep.dat
    local i pid
    for i in 1 2 3; do
        $QEMU "$BUILD/add-year" /dev/zero keep.dat & pid=$!
        # wait for the temporary file, so the signals find it there
        for _ in $(seq 100); do
            compgen -G 'keep.dat.partial-*' >/dev/null && break
            sleep 0.05
        done
        compgen -G 'keep.dat.partial-*' >/dev/null || fail "no temporary file appeared"
        # both from one shell of its own: between two commands bats runs
        # its debug trap, which would let the first signal finish alone
        bash -c 'kill -TERM "$1"; kill -TERM "$1"' _ "$pid"
        wait "$pid" || true
        [ "$(cat keep.dat)" = "old content" ]
        assert_no_temp_files
    done
}

@test "a 245-byte output name works" {
    local name
    name=$(printf 'o%.0s' $(seq 245))
    run -0 i386 add-year "$FIXTURES/test.dat" "$name"
    cmp "$name" "$FIXTURES/testout.dat"
    assert_no_temp_files
}
