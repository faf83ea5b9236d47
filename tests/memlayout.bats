#!/usr/bin/env bats
# memlayout.bats — examples/memlayout.c prints its own memory layout.
#
# Addresses differ between qemu and a native run (and natively between
# runs: the kernel randomises the break and the stack), so the tests check
# the invariants of the chapter's picture, not addresses:
#   text < data < end of bss <= initial break < stack,
# and that brk moves the break by exactly what was asked.
bats_require_minimum_version 1.5.0

load test_helper

setup() {
    memkit_setup
}

# layout [ARGS...] — run memlayout (under $QEMU) and load the "name addr"
# lines of its first section into the associative array A, in order into
# NAMES.
layout() {
    run -0 i386 memlayout "$@"
    declare -gA A=()
    NAMES=()
    local name addr
    while read -r name addr _; do
        [ -z "$name" ] && break
        A[$name]=$((addr))
        NAMES+=("$name")
    done < <(sed -n '2,/^$/p' <<< "$output")
}

# under_qemu — run this test's programs under qemu even when the suite
# runs natively (make test QEMU=): it checks what qemu-i386 does.
under_qemu() {
    QEMU=${QEMU:-qemu-i386}
}

# check_order — the landmarks are printed lowest address first, and the
# chapter's picture holds.
check_order() {
    local expected="main etext rodata data_word edata bss_word end initial_break esp local_word argc argv envp argv0_text"
    [ "${NAMES[*]}" = "$expected" ]
    local i
    for ((i = 1; i < ${#NAMES[@]}; i++)); do
        [ "${A[${NAMES[i-1]}]}" -le "${A[${NAMES[i]}]}" ] ||
            { echo "${NAMES[i-1]} is above ${NAMES[i]}"; return 1; }
    done
    [ "${A[etext]}" -lt "${A[data_word]}" ]         # text < data
    [ "${A[data_word]}" -lt "${A[end]}" ]           # data < end of bss
    [ "${A[end]}" -le "${A[initial_break]}" ]       # bss end <= break
    [ "${A[initial_break]}" -lt "${A[esp]}" ]       # break < stack
    [ $((A[initial_break] % 4096)) -eq 0 ]          # the break starts on a page
}

@test "memlayout prints text, data, bss, break and stack in ascending order under qemu" {
    under_qemu
    layout
    check_order
}

@test "memlayout's order holds natively too" {
    skip_unless_native
    QEMU= layout
    check_order
}

@test "under qemu the initial break is the end of .bss rounded up to a page" {
    under_qemu
    layout
    [ "${A[initial_break]}" -eq $(( (A[end] + 4095) / 4096 * 4096 )) ]
}

@test "argc sits just below argv on the stack and holds the argument count" {
    layout 4096
    [ $((A[argv] - A[argc])) -eq 4 ]
    assert_line --regexp '^argc +0x[0-9a-f]{8}  stack: argc = 2$'
    # argv[0] is the program's path, cut to its first 40 bytes and "..."
    # when longer (the checkout's path decides).
    local path="$BUILD/memlayout" shown
    shown="\"$path\""
    [ "${#path}" -le 40 ] || shown="\"${path:0:40}\"..."
    assert_line --regexp '^argv +0x[0-9a-f]{8}  stack: argv\[0\] = '
    [[ "$output" == *"stack: argv[0] = $shown"$'\n'* ]]
}

@test "brk moves the break by exactly the bytes asked for, not whole pages, under qemu" {
    under_qemu
    local grow
    for grow in 1 4096 10000; do
        layout "$grow"
        assert_line --regexp "^new_break +0x[0-9a-f]{8}  brk\(0\) after growing: moved by $grow bytes$"
        local new_break
        new_break=$(awk '$1 == "new_break" { print $2 }' <<< "$output")
        [ $((A[initial_break] + grow)) -eq $((new_break)) ]
    done
}

@test "brk moves the break by exactly the bytes asked for natively too" {
    skip_unless_native
    QEMU= layout 10000
    assert_line --regexp '^new_break +0x[0-9a-f]{8}  brk\(0\) after growing: moved by 10000 bytes$'
}

@test "after growing, /proc/self/maps has a mapping that covers the new heap" {
    layout 10000
    local heap_end=$((A[initial_break] + 10000)) lo hi found=0
    while IFS='- ' read -r lo hi _; do
        if [ $((0x$lo)) -le "${A[initial_break]}" ] && [ $((0x$hi)) -ge "$heap_end" ]; then
            found=1
        fi
    done < <(sed -n '/^== \/proc\/self\/maps after growing$/,$p' <<< "$output" | tail -n +2)
    [ "$found" -eq 1 ]
}

@test "natively the grown heap is the mapping the kernel labels [heap]" {
    skip_unless_native
    QEMU= layout 10000
    run -0 sed -n '/^== \/proc\/self\/maps after growing$/,$p' <<< "$output"
    assert_line --regexp '^[0-9a-f]+-[0-9a-f]+ rw-p .*\[heap\]$'
}

@test "memlayout rejects a GROW that is not a number" {
    run -2 --separate-stderr i386 memlayout lots
    [ "$stderr" = "usage: memlayout [GROW]   (GROW: bytes, decimal or 0x hex)" ]
}

@test "memlayout refuses a GROW that would take the break past 4 GiB" {
    run -1 i386 memlayout 0xffffffff
    assert_line 'refused: the break would pass 4 GiB'
    refute_line --partial 'brk(0x'
}

@test "a brk the kernel refuses returns the old break and memlayout says so" {
    under_qemu
    # 2 GiB more than qemu's guest address space can hold.
    run -1 i386 memlayout 0x7fffffff
    assert_line --regexp '^brk\(0x[0-9a-f]{8}\) returned 0x[0-9a-f]{8}: refused, the break stays at 0x[0-9a-f]{8}$'
    [[ $output =~ returned\ (0x[0-9a-f]+):\ refused,\ the\ break\ stays\ at\ (0x[0-9a-f]+) ]]
    [ "${BASH_REMATCH[1]}" = "${BASH_REMATCH[2]}" ]
}

@test "the static memlayout maps no shared library and has no INTERP segment" {
    run -0 i386 memlayout
    refute_output --partial '.so'
    run -0 "$READELF" -lW "$BUILD/memlayout"
    refute_line --partial 'INTERP'
}

@test "hello-dynamic maps ld-linux and libc and names its interpreter" {
    [ -x "$BUILD/hello-dynamic" ] || skip "gcc-multilib not installed: no build/hello-dynamic"
    run -0 i386 hello-dynamic
    assert_line --partial 'hello from a dynamically linked i386 program'
    assert_line --regexp 'ld-linux\.so\.2$'
    assert_line --regexp 'libc\.so\.6$'
    run -0 "$READELF" -lW "$BUILD/hello-dynamic"
    assert_line --partial '[Requesting program interpreter: /lib/ld-linux.so.2]'
}
