#!/usr/bin/env bats
# read-records: prints the first name of every record in test.dat (or FILE).

bats_require_minimum_version 1.5.0
load test_helper
load records_helper

setup() {
    memkit_setup
    cp "$FIXTURES/test.dat" test.dat
}

@test "read-records prints the three first names, one per line" {
    run -0 --separate-stderr i386 read-records
    assert_output "Fredrick
Marilyn
Derrick"
    [ -z "$stderr" ]
}

@test "read-records FILE reads FILE instead of test.dat" {
    mv test.dat people.dat
    run -0 i386 read-records people.dat
    assert_output "Fredrick
Marilyn
Derrick"
}

@test "read-records reads what write-records wrote" {
    rm test.dat
    run -0 i386 write-records
    run -0 i386 read-records
    assert_output "Fredrick
Marilyn
Derrick"
}

@test "an empty file prints nothing and exits 0" {
    : > empty.dat
    run -0 --separate-stderr i386 read-records empty.dat
    assert_output ""
    [ -z "$stderr" ]
}

@test "a trailing partial record is ignored, not printed" {
    run -0 i386 read-records "$FIXTURES/partial.dat"
    assert_output "Fredrick
Marilyn
Derrick"
}

@test "a first name filling all 40 bytes prints exactly those 40 bytes" {
    # The last name "Overrun" follows with no NUL in between.
    run -0 i386 read-records "$FIXTURES/fullname.dat"
    assert_output "Maximiliana-Wilhelmina-Konstantinopoulos"
    [ "${#output}" -eq 40 ]
}

@test "a record that arrives in pieces through a pipe is still read whole" {
    # The first read(2) returns only 100 bytes; a single-read read_record
    # would take that for the end of the file and print nothing.
    run -0 sh -c '{ head -c 100 test.dat; sleep 0.5; tail -c +101 test.dat; } |
                  QEMU="qemu-i386 -strace" "$0"/tools/run-i386 "$0"/build/read-records /dev/stdin \
                  2> trace' "$MEMKIT_ROOT"
    assert_output "Fredrick
Marilyn
Derrick"
    # and the record really did arrive in two pieces (else this proves nothing)
    grep -Eq ' read\([0-9]+,0x[0-9a-f]+,324\) = 100$' trace || fail "no short read: $(cat trace)"
    grep -Eq ' read\([0-9]+,0x[0-9a-f]+,224\) = 224$' trace || fail "no second read: $(cat trace)"
}

@test "a record with an empty first name prints an empty line" {
    { head -c 40 /dev/zero; tail -c +41 test.dat; } > blank.dat
    run -0 i386 read-records blank.dat
    assert_output "
Marilyn
Derrick"
}

@test "a newline that cannot be written is error 0004 (empty first name, full stdout)" {
    # One record, its name empty: nothing is written for the name, so the
    # newline is the first write to fail.
    { head -c 40 /dev/zero; head -c 324 test.dat | tail -c +41; } > blank.dat
    [ "$(stat -c %s blank.dat)" -eq 324 ]
    run -1 --separate-stderr sh -c '"$0"/tools/run-i386 "$0"/build/read-records blank.dat > /dev/full' "$MEMKIT_ROOT"
    [ "$stderr" = "read-records: error 0004: cannot write to standard output: No space left on device" ]
}

@test "a missing input file is error 0001 naming the file, exit status 1" {
    run -1 --separate-stderr i386 read-records nosuch.dat
    assert_output ""
    [ "$stderr" = "read-records: error 0001: cannot open input file: nosuch.dat: No such file or directory" ]
}

@test "a missing default test.dat is error 0001 naming test.dat" {
    rm test.dat
    run -1 --separate-stderr i386 read-records
    [ "$stderr" = "read-records: error 0001: cannot open input file: test.dat: No such file or directory" ]
}

@test "an input that cannot be read (a directory) is error 0003, exit status 1" {
    mkdir dir.dat
    run -1 --separate-stderr i386 read-records dir.dat
    assert_output ""
    [ "$stderr" = "read-records: error 0003: cannot read input file: dir.dat: Is a directory" ]
}

@test "a standard output that cannot be written is error 0004, exit status 1" {
    run -1 --separate-stderr sh -c '"$0"/tools/run-i386 "$0"/build/read-records > /dev/full' "$MEMKIT_ROOT"
    [ "$stderr" = "read-records: error 0004: cannot write to standard output: No space left on device" ]
}

@test "more than one argument is usage error 0006" {
    run -1 --separate-stderr i386 read-records a.dat b.dat
    assert_output ""
    [ "$stderr" = "read-records: error 0006: usage: read-records [FILE]" ]
}

@test "read-records reports error 0005 when the heap cannot grow" {
    # RLIMIT_DATA caps the writable data pages plus the heap. A limit of
    # exactly the pages of the program's writable LOAD segment (.data and
    # .bss) lets it start but leaves no room for the heap, so brk fails and
    # allocate returns 0. The limit applies to the kernel's brk, so this
    # runs natively (qemu-i386 itself would not start under the limit).
    skip_unless_native
    local type off vaddr paddr filesz memsz flags pages=0
    while read -r type off vaddr paddr filesz memsz flags _; do
        [ "$type" = LOAD ] && [[ "$flags" == *W* ]] || continue
        pages=$((pages + (vaddr + memsz + 4095) / 4096 - vaddr / 4096))
    done < <("$READELF" -lW "$BUILD/read-records")
    [ "$pages" -ge 1 ] || fail "no writable LOAD segment in read-records"
    run -1 --separate-stderr sh -c 'ulimit -d "$1" && exec "$0"' \
        "$BUILD/read-records" $((pages * 4))
    assert_output ""
    [ "$stderr" = "read-records: error 0005: cannot allocate the record buffer" ]
}

@test "read-records reads each record into a buffer on the heap, between the old and the new break" {
    run -0 trace read-records
    local t="$BATS_TEST_TMPDIR/trace" start end buf
    start=$(sed -n 's/.* brk(NULL) = \(0x[0-9a-f]*\)$/\1/p' "$t" | head -1)
    end=$(sed -n 's/.* brk(0x[0-9a-f]*) = \(0x[0-9a-f]*\)$/\1/p' "$t" | tail -1)
    buf=$(sed -n 's/.* read([0-9]*,\(0x[0-9a-f]*\),324) = 324$/\1/p' "$t" | head -1)
    [ -n "$start" ] && [ -n "$end" ] && [ -n "$buf" ] || fail "trace: $(cat "$t")"
    (( buf >= start && buf + 324 <= end )) || fail "buffer $buf not in heap [$start, $end)"
}

@test "read-records closes the file it opened and exits 0" {
    run -0 trace read-records
    assert_opens_closed
    grep -q 'exit(0)' "$BATS_TEST_TMPDIR/trace"
}
