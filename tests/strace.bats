#!/usr/bin/env bats
# strace.bats — tools/strace.sh (make strace) and the brk calls it shows.
#
# qemu-i386 -strace prints "PID brk(NULL) = 0x0804c000" and
# "PID brk(0x0804c150) = 0x0804c150". Addresses differ between builds and
# machines, so the tests compare each break with the first brk(NULL).
bats_require_minimum_version 1.5.0

load test_helper

setup() {
    memkit_setup
    # These tests read qemu-i386 -strace's format, so they use qemu also
    # when the rest of the suite runs natively (make test QEMU=, where
    # strace.sh would run strace(1) instead). A make below gets it on
    # its command line: the outer make's QEMU= reaches it through
    # MAKEFLAGS and would win over the environment.
    export QEMU=${QEMU:-qemu-i386}
    DATA=$FIXTURES/test.dat
    TRACE=$BATS_TEST_TMPDIR/trace
}

strace_sh() {
    "$MEMKIT_ROOT/tools/strace.sh" "$@"
}

@test "read-records makes two brk calls: brk(NULL), then one that grows the heap by 336 bytes" {
    run -0 strace_sh --only brk -o "$TRACE" read-records "$DATA"
    mapfile -t calls < "$TRACE"
    [ "${#calls[@]}" -eq 2 ]
    # 1: allocate_init reads the break.
    [[ ${calls[0]} =~ ^[0-9]+\ brk\(NULL\)\ =\ (0x[0-9a-f]+)$ ]]
    local initial=${BASH_REMATCH[1]}
    # 2: allocate(324) asks for the break + 8-byte header + 328 (324
    # rounded up to 8) and gets exactly what it asked for.
    [[ ${calls[1]} =~ ^[0-9]+\ brk\((0x[0-9a-f]+)\)\ =\ (0x[0-9a-f]+)$ ]]
    local asked=${BASH_REMATCH[1]} got=${BASH_REMATCH[2]}
    [ $((asked - initial)) -eq 336 ]
    [ $((got)) -eq $((asked)) ]
}

@test "the initial break under qemu is page aligned and above the end of .bss" {
    run -0 strace_sh --only brk -o "$TRACE" read-records "$DATA"
    local initial end
    initial=$(sed -n '1s/.*= //p' "$TRACE")
    # readelf reads any ELF; the host's nm may not know i386 (aarch64).
    end=0x$("$READELF" -sW "$BUILD/read-records" |
            awk '$8 == "_end" { print $2 }')
    [ "$end" != 0x ]
    [ $((initial % 4096)) -eq 0 ]
    [ $((initial)) -ge $((end)) ]
}

@test "read-records makes the same brk calls when the file does not open" {
    run -1 strace_sh --only brk -o "$TRACE" read-records "$BATS_TEST_TMPDIR/missing.dat"
    # The buffer is allocated before the file is opened.
    run -0 grep -c brk "$TRACE"
    assert_output 2
}

@test "the full trace shows open, reads of 324 bytes until 0, and close in order" {
    run -0 strace_sh -o "$TRACE" read-records "$DATA"
    run -0 awk '{ c = $2; sub(/\(.*/, "", c); print c }' "$TRACE"
    # Three records, each read then written as name + newline, then EOF.
    local expected
    expected=$(printf '%s\n' brk brk open read write write read write write \
               read write write read close exit)
    assert_output "$expected"
    run -0 grep -c 'read([0-9]*,0x[0-9a-f]*,324) = 324$' "$TRACE"
    assert_output 3
    run -0 grep -c 'read([0-9]*,0x[0-9a-f]*,324) = 0$' "$TRACE"
    assert_output 1
}

@test "a failed open shows up in the trace as -1 errno=2" {
    run -1 strace_sh -o "$TRACE" read-records "$BATS_TEST_TMPDIR/missing.dat"
    run -0 grep -F "open(\"$BATS_TEST_TMPDIR/missing.dat\",O_RDONLY) = -1 errno=2" "$TRACE"
}

@test "--only keeps the program's output and exit status unchanged" {
    run -0 --separate-stderr strace_sh --only brk read-records "$DATA"
    assert_output $'Fredrick\nMarilyn\nDerrick'
    [ "$(grep -c ' brk(' <<< "$stderr")" -eq 2 ]
    run ! grep -q -e ' open(' -e ' read(' -e ' write(' <<< "$stderr"
}

@test "--only with several names keeps each of them" {
    run -0 strace_sh --only brk,close -o "$TRACE" read-records "$DATA"
    run -0 awk '{ c = $2; sub(/\(.*/, "", c); print c }' "$TRACE"
    assert_output $'brk\nbrk\nclose'
}

@test "strace.sh exits with the program's status" {
    run -1 strace_sh --only brk read-records "$BATS_TEST_TMPDIR/missing.dat"
}

@test "strace.sh rejects --only with something that is not a call name" {
    run -2 strace_sh --only 'brk;rm' read-records "$DATA"
    assert_output --partial '--only takes system call names'
}

@test "strace.sh says which program is missing" {
    run -2 strace_sh no-such-program
    assert_output --partial 'no program'
}

@test "make strace PROG=read-records ONLY=brk prints only brk calls" {
    run -0 --separate-stderr make -s -C "$MEMKIT_ROOT" QEMU="$QEMU" strace \
        PROG=read-records ARGS="$DATA" ONLY=brk
    assert_output $'Fredrick\nMarilyn\nDerrick'
    [ "$(grep -c ' brk(' <<< "$stderr")" -eq 2 ]
    [ "$(wc -l <<< "$stderr")" -eq 2 ]
}

@test "make strace ALLOC=segfit traces read-records linked with segfit: one brk, with slack" {
    skip_if_withheld asm/allocators/segfit.s
    run -0 --separate-stderr make -s -C "$MEMKIT_ROOT" QEMU="$QEMU" strace \
        PROG=read-records ALLOC=segfit ARGS="$DATA" ONLY=brk
    assert_output $'Fredrick\nMarilyn\nDerrick'
    # The reference grows by 336 bytes; segfit by its 512-byte slack more.
    [ "$(wc -l <<< "$stderr")" -eq 2 ]
    local from to
    from=$(sed -n 's/.* brk(NULL) = \(0x[0-9a-f]*\)$/\1/p' <<< "$stderr")
    to=$(sed -n 's/.* brk(0x[0-9a-f]*) = \(0x[0-9a-f]*\)$/\1/p' <<< "$stderr")
    assert_equal "$(( to - from ))" 848
}

@test "heap-map's own count of brk calls matches the brk calls qemu traced" {
    run -0 strace_sh --only brk -o "$TRACE" heap-map
    local seen
    seen=$(sed -n 's/^brk calls seen: \([0-9]*\) .*/\1/p' <<< "$output")
    [ -n "$seen" ]
    run -0 grep -c ' brk(' "$TRACE"
    assert_output "$seen"
    # Every call after brk(NULL) got exactly the break it asked for.
    run -0 awk 'NR > 1 { a = $2; sub(/^brk\(/, "", a); sub(/\)$/, "", a)
                        if (a != $4) { print "asked " a ", got " $4; bad = 1 } }
                END { exit bad }' "$TRACE"
}

@test "make strace PROG=a directory says it is a directory, not a program" {
    run -2 make -s -C "$MEMKIT_ROOT" QEMU="$QEMU" strace PROG=build/obj
    assert_line 'strace.sh: build/obj is a directory, not a program'
}

@test "make strace PROG=nope says so and lists the programs in build/" {
    run -2 make -s -C "$MEMKIT_ROOT" QEMU="$QEMU" strace PROG=nope
    assert_line 'strace.sh: no program nope'
    assert_line --regexp '^programs in build/: .*read-records'
    refute_output --partial 'No rule to make target'
}

@test "make strace takes a program and an argument whose paths hold spaces" {
    mkdir "with space"
    cp "$BUILD/read-records" "with space/rr"
    cp "$DATA" "with space/my records.dat"
    run -0 --separate-stderr make -s -C "$MEMKIT_ROOT" QEMU="$QEMU" strace \
        PROG="$PWD/with space/rr" ARGS="$PWD/with space/my records.dat" ONLY=open
    assert_output $'Fredrick\nMarilyn\nDerrick'
    [[ "$stderr" == *"open(\"$PWD/with space/my records.dat\",O_RDONLY) = "* ]]
}

@test "make strace ARGS splits several arguments, and quotes keep one together" {
    cp "$DATA" "in file.dat"
    run -0 make -s -C "$MEMKIT_ROOT" QEMU="$QEMU" strace PROG=add-year \
        ARGS="'$PWD/in file.dat' '$PWD/out file.dat'" ONLY=exit
    cmp "out file.dat" "$FIXTURES/testout.dat"
}
