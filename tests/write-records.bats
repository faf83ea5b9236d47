#!/usr/bin/env bats
# write-records: writes the book's three records to test.dat (or FILE).

bats_require_minimum_version 1.5.0
load test_helper
load records_helper

setup() { memkit_setup; }

@test "the committed fixtures are what make-fixtures.sh derives from the record format" {
    mkdir derived
    sh "$FIXTURES/make-fixtures.sh" derived
    for f in test.dat testout.dat fullname.dat partial.dat; do
        cmp "derived/$f" "$FIXTURES/$f"
    done
}

@test "a record string longer than its field stops write-records.s from assembling" {
    local name40=FredrickFredrickFredrickFredrickFredrick      # exactly 40
    sed "s/RECORD record1, \"Fredrick\"/RECORD record1, \"$name40\"/" \
        "$MEMKIT_ROOT/asm/write-records.s" > fits.s
    refute cmp -s fits.s "$MEMKIT_ROOT/asm/write-records.s"
    run -0 "${CROSS}as" --32 -I "$MEMKIT_ROOT/asm" -o fits.o fits.s
    sed "s/RECORD record1, \"Fredrick\"/RECORD record1, \"${name40}X\"/" \
        "$MEMKIT_ROOT/asm/write-records.s" > spills.s
    run ! "${CROSS}as" --32 -I "$MEMKIT_ROOT/asm" -o spills.o spills.s
    assert_output --partial "Error: a field of record1 runs past offset RECORD_LASTNAME"
}

@test "write-records writes test.dat byte-identical to the book's program" {
    run -0 i386 write-records
    assert_output ""
    cmp test.dat "$FIXTURES/test.dat"
}

@test "test.dat is 972 bytes: three records of 324" {
    run -0 i386 write-records
    run -0 stat -c %s test.dat
    assert_output 972
}

@test "the ages in test.dat read back as 45 29 36" {
    run -0 i386 write-records
    run -0 ages test.dat
    assert_output "45 29 36"
}

@test "write-records FILE writes FILE and does not create test.dat" {
    run -0 i386 write-records other.dat
    cmp other.dat "$FIXTURES/test.dat"
    [ ! -e test.dat ]
}

@test "write-records creates its file with mode 0644, even under umask 000" {
    umask 000
    run -0 i386 write-records
    run -0 stat -c %a test.dat
    assert_output 644
}

@test "the umask still applies: umask 077 gives mode 0600" {
    umask 077
    run -0 i386 write-records
    run -0 stat -c %a test.dat
    assert_output 600
}

@test "a re-run truncates a longer existing file to exactly the three records" {
    head -c 5000 /dev/urandom > test.dat
    run -0 i386 write-records
    cmp test.dat "$FIXTURES/test.dat"
}

@test "an output file that cannot be created is error 0002 naming the file not created, exit status 1" {
    run -1 --separate-stderr i386 write-records nodir/out.dat
    assert_output ""
    assert_regex "$stderr" '^write-records: error 0002: cannot create output file: nodir/out\.dat\.partial-[0-9a-f]{8}: No such file or directory$'
}

@test "a failing write is error 0004 naming the file, exit status 1" {
    run -1 --separate-stderr i386 write-records /dev/full
    [ "$stderr" = "write-records: error 0004: cannot write output file: /dev/full: No space left on device" ]
}

@test "more than one argument is usage error 0006 and writes nothing" {
    run -1 --separate-stderr i386 write-records a.dat b.dat
    [ "$stderr" = "write-records: error 0006: usage: write-records [FILE]" ]
    [ ! -e a.dat ] && [ ! -e b.dat ] && [ ! -e test.dat ]
}

@test "write-records closes the file it opened and exits 0" {
    run -0 trace write-records
    assert_opens_closed
    grep -q 'exit(0)' "$BATS_TEST_TMPDIR/trace"
}

@test "a write that fails leaves the old file intact and no temporary file" {
    skip_if_exec_drops_ignored_xfsz
    echo "old content" > out.dat
    # Files limited to 0 bytes, SIGXFSZ ignored: the first write fails
    # with EFBIG. The message goes through a pipe, which has no limit.
    run -1 bash -c 'set -o pipefail
                    (trap "" XFSZ; ulimit -f 0; exec "$@") 2>&1 | cat' _ \
        "$MEMKIT_ROOT/tools/run-i386" "$BUILD/write-records" out.dat
    assert_output "write-records: error 0004: cannot write output file: out.dat: File too large"
    [ "$(cat out.dat)" = "old content" ]
    [ -z "$(find . -name '*.partial-*')" ]
}

@test "write-records writes beside FILE and renames the complete file into place" {
    run -0 trace write-records out.dat
    run -0 grep -E ' (open|rename)\(' "$BATS_TEST_TMPDIR/trace"
    assert_line --index 0 --regexp '^[0-9]+ open\("out\.dat\.partial-[0-9a-f]{8}",O_WRONLY\|O_CREAT\|O_EXCL,0644\) = [0-9]+$'
    assert_line --index 1 --regexp '^[0-9]+ rename\("out\.dat\.partial-[0-9a-f]{8}","out\.dat"\) = 0$'
    cmp out.dat "$FIXTURES/test.dat"
}

@test "a failing close of the output is error 0004 and the old file survives" {
    skip_unless_native
    command -v strace >/dev/null || skip "strace(1) is not installed"
    echo "old content" > out.dat
    QEMU= run -1 --separate-stderr "$MEMKIT_ROOT/tools/run-i386" \
        strace -qq -o /dev/null -e trace=close -e inject=close:error=EIO \
        "$BUILD/write-records" out.dat
    [ "$stderr" = "write-records: error 0004: cannot write output file: out.dat: Input/output error" ]
    [ "$(cat out.dat)" = "old content" ]
    [ -z "$(find . -name '*.partial-*')" ]
}

# The output rules of asm/out-file.s, which add-year and upcase share.

@test "a 245-byte output name works: the temporary name is shortened to fit NAME_MAX" {
    local name
    name=$(printf 'n%.0s' $(seq 245))
    run -0 i386 write-records "$name"
    cmp "$name" "$FIXTURES/test.dat"
    [ -z "$(find . -name '*.partial-*')" ]
}

@test "a temporary name that exists already is error 0002 naming it, and it is left alone" {
    # The process id is the shell's: exec keeps it for qemu (or the
    # program itself when QEMU is empty), and the suffix is its hex.
    run -1 --separate-stderr bash -c 'p=out.dat.partial-$(printf %08x $$)
        echo planted > "$p"; exec ${QEMU:+"$QEMU"} "$0" out.dat' \
        "$BUILD/write-records"
    assert_regex "$stderr" '^write-records: error 0002: cannot create output file: out\.dat\.partial-[0-9a-f]{8}: File exists$'
    [ "$(cat out.dat.partial-*)" = planted ]
    [ ! -e out.dat ]
}

@test "a read-only (0444) output is refused with error 0002 and kept, for root too" {
    echo "old content" > out.dat
    chmod 444 out.dat
    run -1 --separate-stderr i386 write-records out.dat
    assert_equal "$stderr" "write-records: error 0002: cannot create output file: out.dat: Permission denied"
    [ "$(cat out.dat)" = "old content" ]
    [ "$(stat -c %a out.dat)" = 444 ]
    [ -z "$(find . -name '*.partial-*')" ]
}

@test "a write past ulimit -f is error 0004 File too large, with SIGXFSZ left at its default" {
    # The program ignores SIGXFSZ itself, so natively and under qemu alike
    # the write fails with EFBIG instead of the signal killing the
    # program with its partial file beside the old output.
    echo "old content" > out.dat
    run -1 bash -c 'set -o pipefail
                    (trap - XFSZ; ulimit -f 0; exec "$@") 2>&1 | cat' _ \
        "$MEMKIT_ROOT/tools/run-i386" "$BUILD/write-records" out.dat
    assert_output "write-records: error 0004: cannot write output file: out.dat: File too large"
    [ "$(cat out.dat)" = "old content" ]
    [ -z "$(find . -name '*.partial-*')" ]
}
