#!/usr/bin/env bats
# factorial.bats — examples/factorial.s: one stack frame per level of a
# recursion, seen with the kit's gdb command cframe.
bats_require_minimum_version 1.5.0

load test_helper

setup() {
    memkit_setup
    export QEMU=${QEMU:-qemu-i386}      # gdb needs qemu's gdbstub
    export MEMKIT_GDB_TIMEOUT=20
}

# frames — stop after factorial's prologue at every level and run
# `cframe 1` there; $output has gdb's transcript.
frames() {
    local -a ex=(-ex 'break *factorial+3')
    local i
    for i in 1 2 3 4; do
        ex+=(-ex continue -ex 'cframe 1')
    done
    run -0 timeout --kill-after=5 40 "$MEMKIT_ROOT/tools/gdb-session.sh" \
        --batch "${ex[@]}" factorial
}

# check_frames — four frames with arguments 4, 3, 2, 1; each frame's
# %ebp lies 12 bytes (argument, return address, saved %ebp) below the
# one before, and holds that one's %ebp as the saved frame pointer.
check_frames() {
    local -a args ebps saved
    mapfile -t args < <(awk '/\+8\(%ebp\)/ { print $NF }' <<< "$output")
    mapfile -t ebps < <(awk '/^  %esp/ { print $4 }' <<< "$output")
    mapfile -t saved < <(awk '/\+0\(%ebp\) .* saved %ebp/ { print $3 }' <<< "$output")
    [ "${args[*]}" = "4 3 2 1" ] || { echo "arguments: ${args[*]}"; return 1; }
    [ "${#ebps[@]}" -eq 4 ] && [ "${#saved[@]}" -eq 4 ] || return 1
    local i
    for i in 1 2 3; do
        [ $((ebps[i-1] - ebps[i])) -eq 12 ] || return 1
        [ $((saved[i])) -eq $((ebps[i-1])) ] || return 1
    done
}

@test "factorial exits with 4! = 24" {
    run -24 i386 factorial
}

@test "cframe shows one 12-byte frame per level, each linked to the one above by its saved %ebp" {
    frames
    check_frames
    assert_line --regexp 'return address -> _start\+[0-9]+$'
    assert_line --regexp 'return address -> factorial\+[0-9]+$'
}

@test "the frame check fails when a level's saved %ebp does not point at the frame above" {
    frames
    local third
    third=$(awk '/\+0\(%ebp\) .* saved %ebp/ { n++; if (n == 3) print $3 }' <<< "$output")
    output=${output/$third  saved/0x00000000  saved}
    run ! check_frames
}
