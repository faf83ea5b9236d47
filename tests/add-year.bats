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
    [ "$stderr" = "add-year: error 0001: cannot open input file: nosuch.dat" ]
    [ ! -e testout.dat ]
}

@test "an output file that cannot be created is error 0002 naming the file" {
    run -1 --separate-stderr i386 add-year test.dat nodir/out.dat
    [ "$stderr" = "add-year: error 0002: cannot create output file: nodir/out.dat" ]
}

@test "an input that cannot be read (a directory) is error 0003 naming it" {
    mkdir dir.dat
    run -1 --separate-stderr i386 add-year dir.dat out.dat
    [ "$stderr" = "add-year: error 0003: cannot read input file: dir.dat" ]
}

@test "a failing write is error 0004 naming the output file" {
    run -1 --separate-stderr i386 add-year test.dat /dev/full
    [ "$stderr" = "add-year: error 0004: cannot write output file: /dev/full" ]
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
