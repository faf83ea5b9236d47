#!/usr/bin/env bats
# map-records.bats — examples/map-records.s: read-records with the file
# mapped by one mmap2 instead of read one record at a time.
bats_require_minimum_version 1.5.0

load test_helper

setup() {
    memkit_setup
}

# same_as_read FILE — map-records prints exactly what read-records prints.
same_as_read() {
    run -0 i386 read-records "$1"
    local expected=$output
    run -0 i386 map-records "$1"
    [ "$output" = "$expected" ]
}

@test "map-records prints the same first names as read-records for whole, partial and full-width records" {
    local f
    for f in test.dat partial.dat fullname.dat; do
        same_as_read "$FIXTURES/$f"
    done
    run -0 i386 map-records "$FIXTURES/test.dat"
    assert_output $'Fredrick\nMarilyn\nDerrick'
}

@test "map-records prints the same natively too" {
    skip_unless_native
    QEMU= same_as_read "$FIXTURES/test.dat"
}

@test "map-records prints nothing for an empty file, a file shorter than one record, and defaults to test.dat" {
    : > empty.dat
    head -c 100 "$FIXTURES/test.dat" > short.dat
    run -0 i386 map-records empty.dat
    assert_output ''
    run -0 i386 map-records short.dat
    assert_output ''
    cp "$FIXTURES/test.dat" test.dat
    run -0 i386 map-records
    assert_line 'Derrick'
}

@test "traced, map-records maps the whole file with one mmap2 and never reads; read-records reads once per record" {
    export QEMU=${QEMU:-qemu-i386}      # the trace format is qemu's
    local only=open,read,lseek,mmap2,close
    run -0 "$MEMKIT_ROOT/tools/strace.sh" --only "$only" -o map.trace \
        map-records "$FIXTURES/test.dat"
    run -0 "$MEMKIT_ROOT/tools/strace.sh" --only "$only" -o read.trace \
        read-records "$FIXTURES/test.dat"
    [ "$(grep -c ' read(' map.trace)" -eq 0 ]
    [ "$(grep -c ' mmap2(' map.trace)" -eq 1 ]
    grep -q ' mmap2(NULL,972,PROT_READ,MAP_PRIVATE,[0-9]*,0) = 0x' map.trace
    [ "$(grep -c ' read([0-9]*,0x[0-9a-f]*,324) = 324$' read.trace)" -eq 3 ]
    [ "$(grep -c ' mmap2(' read.trace)" -eq 0 ]
}

@test "map-records reports a missing file, a directory and extra arguments" {
    run -1 --separate-stderr i386 map-records nosuch.dat
    [ "$stderr" = "map-records: error 0001: cannot open input file: nosuch.dat" ]
    mkdir 'a dir'
    run -1 --separate-stderr i386 map-records 'a dir'
    [ "$stderr" = "map-records: error 0003: cannot map input file: a dir" ]
    run -1 --separate-stderr i386 map-records a b
    [ "$stderr" = "map-records: error 0006: usage: map-records [FILE]" ]
}
