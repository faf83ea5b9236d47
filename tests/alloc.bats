#!/usr/bin/env bats
# alloc: the allocator contract program (c-harness/contract/) against
# the chosen allocator ($ABUILD: asm/alloc.s, or ALLOC= under make test),
# under qemu-i386 and natively, and read-records taking its record buffer
# from the reference allocator as the chapter describes ($BUILD: it pins
# the reference's exact brk growth). What the contract does with broken
# and better allocators is in tests/check.bats.

bats_require_minimum_version 1.5.0
load test_helper

setup() {
    memkit_setup
}

# contract [ARGS...] — the chosen allocator's alloc-test.
contract() {
    i386 "$ABUILD/alloc-test" "$@"
}

# The closing line when every case passes: "N passed, 0 failed" with N the
# number of cases alloc-test --list names (the ones the allocator's
# memkit_props selects).
all_passed() {
    local n
    n=$(contract --list | wc -l)
    [ "$n" -ge 14 ] || return 1
    echo "$n passed, 0 failed"
}

# assert_success (not run -0) prints the program's output when it fails,
# so make test shows which case broke and its [FAIL] line.
@test "the contract program passes every case under qemu-i386" {
    expected=$(all_passed)
    run contract
    assert_success
    refute_line --partial "[FAIL]"
    assert_equal "${lines[-1]}" "$expected"
}

@test "the contract program passes every case natively on an x86 host" {
    skip_unless_native
    expected=$(all_passed)
    QEMU= run contract
    assert_success
    refute_line --partial "[FAIL]"
    assert_equal "${lines[-1]}" "$expected"
}

@test "natively the brk-failure case really lowers RLIMIT_DATA" {
    skip_unless_native
    QEMU= run contract brk-failure
    assert_success
    assert_line "       RLIMIT_DATA lowered: brk refuses past 1 MiB more"
    assert_line "1 passed, 0 failed"
}

@test "every case prints [RUN] and then [OK] with the same name" {
    run contract
    assert_success
    runs=$(sed -n 's/^\[RUN\]  //p' <<<"$output")
    oks=$(sed -n 's/^\[OK\]   //p' <<<"$output")
    [ "$(wc -l <<<"$runs")" -eq "$(contract --list | wc -l)" ]
    assert_equal "$oks" "$runs"
}

@test "the contract's first line names the properties the allocator declares" {
    run contract --props
    assert_success
    [ -n "$output" ]
    declared=$(paste -sd' ' <<<"$output")
    run contract init-twice
    assert_success
    [[ "${lines[0]}" == "declared: "* ]]
    for p in $declared; do
        [[ " ${lines[0]#declared: } " == *" $p "* ]] || fail "$p missing from ${lines[0]}"
    done
}

@test "the reference declares first-fit and the book's header, at the end of asm/alloc.s" {
    run -0 i386 alloc-test --props
    assert_output "first-fit
book-header"
    # the declaration comes after the last function, before the stack note
    last_fn=$(grep -n '^\.size deallocate' "$MEMKIT_ROOT/asm/alloc.s" | cut -d: -f1)
    decl=$(grep -n '^memkit_props:' "$MEMKIT_ROOT/asm/alloc.s" | cut -d: -f1)
    [ "$decl" -gt "$last_fn" ]
    assert_equal "$(tail -n 1 "$MEMKIT_ROOT/asm/alloc.s")" '.section .note.GNU-stack,"",@progbits'
}

@test "the random case runs 25000 operations and ends with every block freed" {
    run contract random
    assert_success
    assert_line --regexp '^       25000 operations \(seed 0x2545f491\): [0-9]+ grew the heap, [0-9]+ reused a block, [0-9]+ frees; '
    assert_line "1 passed, 0 failed"
}

@test "each case runs in a process of its own: a case alone sees a fresh heap" {
    # Cases run in the order given. random leaves a grown heap behind;
    # init-at-break then still finds no heap and starts one at the break,
    # which it could not in a process shared with random.
    run contract random init-at-break
    assert_success
    assert_line "2 passed, 0 failed"
}

@test "the program reports the brk calls it saw, matching qemu-i386 -strace" {
    run -0 --separate-stderr env QEMU="qemu-i386 -strace" \
        "$MEMKIT_ROOT/tools/run-i386" "$ABUILD/alloc-test" --no-fork init-at-break reuse random
    seen=$(sed -n 's/^brk calls seen: \([0-9]*\) .*/\1/p' <<<"$output")
    # the program's own brk(0) probes are brk(NULL); allocate_init's too.
    # --no-fork: the three cases share one process (whose trace lines no
    # other process interleaves) and one heap, started once.
    probes=$(grep -c ' brk(NULL)' <<<"$stderr")
    grows=$(grep -c ' brk(0x' <<<"$stderr")
    [ "$seen" -gt 2 ]
    assert_equal "$seen" "$((grows + 1))"
    [ "$probes" -ge 1 ]
}

@test "the brk calls of forked cases add up: three cases together report the sum of each alone" {
    # each case counts in its own process and sends its count up a pipe
    # (the --no-fork test above checks a count against qemu's trace; two
    # processes' trace lines interleave, so this one adds up instead)
    seen() { contract "$@" | sed -n 's/^brk calls seen: \([0-9]*\) .*/\1/p'; }
    a=$(seen init-at-break)
    b=$(seen reuse)
    c=$(seen random)
    [ "$a" -ge 1 ] && [ "$b" -ge 2 ] && [ "$c" -gt 2 ] || false
    assert_equal "$(seen init-at-break reuse random)" "$((a + b + c))"
}

@test "alloc-test with an unknown case ID exits 2 instead of passing nothing" {
    run -2 --separate-stderr contract no-such-case
    assert_output ""
    [[ "$stderr" == *"no case 'no-such-case'"* ]]
}

@test "a broken allocator makes the contract program print [FAIL] got X, expected Y and exit 1" {
    # Drop the rounding of sizes to 8 in a scratch copy of alloc.s.
    sed '/andl  \$~ALIGN_MASK, %ecx    # rounded size/d' \
        "$MEMKIT_ROOT/asm/alloc.s" > alloc.s
    refute cmp -s alloc.s "$MEMKIT_ROOT/asm/alloc.s"
    "${CROSS}as" --32 -I "$MEMKIT_ROOT/asm" -o alloc.o alloc.s
    link_contract alloc-test alloc.o
    run -1 i386 ./alloc-test alignment
    assert_line --regexp '^\[FAIL\] got 0x[0-9a-f]+, expected 0x[0-9a-f]+ \(.*contract/universal\.c:[0-9]+\)$'
    assert_line "0 passed, 1 failed"
}

@test "read-records takes its record buffer from the allocator: one brk growth of 8 + 328 bytes" {
    cp "$FIXTURES/test.dat" test.dat
    run -0 --separate-stderr env QEMU="qemu-i386 -strace" \
        "$MEMKIT_ROOT/tools/run-i386" "$BUILD/read-records"
    assert_output "Fredrick
Marilyn
Derrick"
    brks=$(grep ' brk(' <<<"$stderr" | sed 's/^[0-9]* //')
    [ "$(wc -l <<<"$brks")" -eq 2 ]
    begin=$(sed -n '1s/^brk(NULL) = \(0x[0-9a-f]*\)$/\1/p' <<<"$brks")
    [ -n "$begin" ]
    # RECORD_SIZE 324 rounds up to 328; the header adds 8.
    want=$(printf '0x%08x' $((begin + 8 + 328)))
    assert_equal "$(sed -n 2p <<<"$brks")" "brk($want) = $want"
}

@test "read-records runs allocate_init, allocate, then read_record, and deallocate last" {
    # qemu-i386 -d in_asm logs each block of code the first time it runs,
    # headed "IN: function": the order in which functions were first
    # entered, _start left out. The chapter's sequence: allocate_init,
    # allocate, read_record (into the block) ... and deallocate at the end.
    cp "$FIXTURES/test.dat" test.dat
    run -0 env QEMU="qemu-i386 -d in_asm -D in_asm.log" \
        "$MEMKIT_ROOT/tools/run-i386" "$BUILD/read-records"
    assert_output "Fredrick
Marilyn
Derrick"
    run -0 sh -c "sed -n 's/^IN: //p' in_asm.log | grep -vx _start | uniq | paste -sd' '"
    assert_output --regexp '^allocate_init allocate read_record .*deallocate$'
}

# caller NAME BODY — build NAME, an i386 program whose _start runs the
# assembly BODY (%eax at the end becomes the exit status) linked with the
# reference allocator, asm/alloc.s, assembled here.
caller() {
    printf '.globl _start\n_start:\n%s\n    movl %%eax, %%ebx\n    movl $1, %%eax\n    int $0x80\n.section .note.GNU-stack,"",@progbits\n' \
        "$2" > "$1.s"
    "${CROSS}as" --32 -o "$1.o" "$1.s"
    "${CROSS}as" --32 -I "$MEMKIT_ROOT/asm" -o alloc.o "$MEMKIT_ROOT/asm/alloc.s"
    "${CROSS}ld" -m elf_i386 -static -o "$1" "$1.o" alloc.o
}

@test "allocate before allocate_init returns 0 without calling brk at all" {
    caller early '    pushl $16
    call  allocate
    addl  $4, %esp'
    run -0 env QEMU="qemu-i386 -strace" "$MEMKIT_ROOT/tools/run-i386" ./early
    refute_output --partial 'brk('
    assert_line --regexp '^[0-9]+ exit\(0\)$'
}

@test "allocate(0) on an empty heap grows it by exactly one 8-byte block and its header" {
    caller zero '    call  allocate_init
    pushl $0
    call  allocate
    addl  $4, %esp
    movl  -4(%eax), %eax            # the block'"'"'s size, from its header'
    run -8 env QEMU="qemu-i386 -strace" "$MEMKIT_ROOT/tools/run-i386" ./zero
    local first second
    first=$(sed -n 's/^[0-9]* brk(NULL) = \(0x[0-9a-f]*\)$/\1/p' <<< "$output")
    second=$(sed -n 's/^[0-9]* brk(\(0x[0-9a-f]*\)) = 0x[0-9a-f]*$/\1/p' <<< "$output")
    [ -n "$first" ] && [ -n "$second" ] || false
    [ "$((second - first))" -eq 16 ]
    [ "$(grep -c ' brk(' <<< "$output")" -eq 2 ]
}
