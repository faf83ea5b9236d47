#!/usr/bin/env bats
# errno-text.bats — asm/errno-text.s, the table error_exit takes its
# reasons from. errno_text is called inside a stopped read-records through
# gdb (tools/gdb-session.sh --batch), so the real assembly is what answers.

bats_require_minimum_version 1.5.0
load test_helper

setup() {
    memkit_setup
    export QEMU=${QEMU:-qemu-i386}
}

# call_text N... — errno_text(N) for each N, one `$k = 0x... "text"` line each.
call_text() {
    local args=() n
    for n in "$@"; do
        args+=(-ex "p ((char *(*)(int))errno_text)($n)")
    done
    timeout --kill-after=5 40 "$MEMKIT_ROOT/tools/gdb-session.sh" --batch \
        "${args[@]}" read-records
}

@test "errno_text takes an errno as a positive number or as a system call returns it" {
    run -0 call_text 2 -2 -21
    assert_line --regexp '^\$1 = 0x[0-9a-f]+ "No such file or directory"$'
    assert_line --regexp '^\$2 = 0x[0-9a-f]+ "No such file or directory"$'
    assert_line --regexp '^\$3 = 0x[0-9a-f]+ "Is a directory"$'
}

@test "a number not in the table is Unknown error N, in decimal" {
    run -0 call_text -200 4095 10
    assert_line --regexp '^\$1 = 0x[0-9a-f]+ <unknown_text> "Unknown error 200"$'
    assert_line --regexp '^\$2 = 0x[0-9a-f]+ <unknown_text> "Unknown error 4095"$'
    assert_line --regexp '^\$3 = 0x[0-9a-f]+ <unknown_text> "Unknown error 10"$'
}

@test "every text in the table is the host's strerror for that number" {
    run -0 timeout --kill-after=5 40 "$MEMKIT_ROOT/tools/gdb-session.sh" --batch \
        -x "$FIXTURES/errno-table.py" read-records
    refute_line --partial 'kit says'
    assert_line --regexp '^errno table: (2[0-9]|[3-9][0-9]) known, 0 differ from strerror$'
}
