#!/usr/bin/env bats
# tools/demo.sh, what `make demo` runs after building.

bats_require_minimum_version 1.5.0
load test_helper

setup() {
    memkit_setup
    export MEMKIT_DEMO_DIR="$BATS_TEST_TMPDIR/demo"
}

@test "the demo shows test.dat's size, the three names and each age before and after" {
    run -0 "$MEMKIT_ROOT/tools/demo.sh"
    assert_line "test.dat: 972 bytes = 3 records x 324 bytes"
    assert_line "Fredrick"
    assert_line "Marilyn"
    assert_line "Derrick"
    assert_line --regexp '^1 +Fredrick +45 +46$'
    assert_line --regexp '^2 +Marilyn +29 +30$'
    assert_line --regexp '^3 +Derrick +36 +37$'
}

@test "the demo shows read-records' brk calls and that the other two make none" {
    run -0 "$MEMKIT_ROOT/tools/demo.sh"
    assert_line --regexp '^  brk\(NULL\) = 0x[0-9a-f]+$'
    assert_line --regexp '^  brk\(0x[0-9a-f]+\) = 0x[0-9a-f]+$'
    assert_line --regexp '^  the break moved from 0x[0-9a-f]+ to 0x[0-9a-f]+: [1-9][0-9]* bytes of heap$'
    assert_line "write-records: none (it never asks for heap memory)"
    assert_line "add-year: none (it never asks for heap memory)"
}

@test "the demo's heap map shows a freed block handed out again whole, the break unmoved" {
    run -0 "$MEMKIT_ROOT/tools/demo.sh"
    assert_line --partial "-- the chapter's allocator: free a block, then reuse it"
    # The heap section alone: from its heading to the end.
    local heap
    heap=$(printf '%s\n' "${lines[@]}" | sed -n "/^-- the chapter's allocator/,\$p")
    run -0 grep -c -E '^heap: begin 0x[0-9a-f]+  break 0x[0-9a-f]+  \(104 bytes, 3 blocks\)$' <<< "$heap"
    assert_output 2                                 # both maps: same break
    run -0 grep -E '^  \+0x0018 ' <<< "$heap"
    assert_line --index 0 --regexp '    32  free$'    # after deallocate(b)
    assert_line --index 1 --regexp '    32  used$'    # allocate(24) took it whole
}

@test "the demo works in its scratch directory and writes nothing where it is run" {
    mkdir here && cd here
    run -0 "$MEMKIT_ROOT/tools/demo.sh"
    [ -z "$(ls -A)" ]
    cmp "$MEMKIT_DEMO_DIR/test.dat" "$FIXTURES/test.dat"
    cmp "$MEMKIT_DEMO_DIR/testout.dat" "$FIXTURES/testout.dat"
}

@test "run natively (QEMU=) the demo traces brk with strace" {
    skip_unless_native
    command -v strace >/dev/null || skip "strace is not installed"
    QEMU= run -0 "$MEMKIT_ROOT/tools/demo.sh"
    assert_line --partial "run natively"
    assert_line "-- brk system calls each program made (strace)"
    assert_line --regexp '^  brk\(NULL\) = 0x[0-9a-f]+$'
}

@test "run natively without strace the demo says why the brk section is skipped" {
    skip_unless_native
    mkdir bin
    for c in sh dirname mkdir rm cat dd tr od wc sed grep timeout flock uname mktemp chmod; do
        ln -s "$(command -v "$c")" "bin/$c"
    done
    QEMU= run -0 env PATH="$PWD/bin" "$MEMKIT_ROOT/tools/demo.sh"
    assert_line "-- brk system calls: skipped"
    assert_line "Running natively (QEMU is empty) and strace is not installed."
    assert_line "Fredrick"
}

@test "the README quotes the demo's real output, line for line" {
    [ -n "$QEMU" ] || skip "natively the break is randomised; the README shows a qemu-i386 run"
    run -0 "$MEMKIT_ROOT/tools/demo.sh"
    printf '%s\n' "$output" | sed "s|$MEMKIT_DEMO_DIR|build/demo|g" > actual
    # The README's block that starts with the demo's first line.
    sed -n '/^memkit demo: /,/^```$/p' "$MEMKIT_ROOT/README.md" | sed '$d' > quoted
    [ -s quoted ]
    diff -u quoted actual
}

@test "the demo stops at a program that fails and says which one" {
    # A qemu that fails read-records with status 3 and runs the rest.
    mkdir bin
    cat > bin/qemu-failing <<'SH'
#!/bin/sh
for a in "$@"; do
    case "$a" in */read-records) echo "simulated failure" >&2; exit 3 ;; esac
done
exec qemu-i386 "$@"
SH
    chmod +x bin/qemu-failing
    PATH="$PWD/bin:$PATH" QEMU=qemu-failing run -1 --separate-stderr \
        "$MEMKIT_ROOT/tools/demo.sh"
    assert_line '$ write-records'
    assert_line '$ read-records'
    refute_line --partial 'add-year'
    [[ "$stderr" == *"simulated failure"* ]]
    [[ "$stderr" == *"demo: read-records failed with exit status 3" ]]
}

@test "a second demo in the same directory waits for the first instead of mixing files" {
    # The first demo's add-year is slowed down, so the second surely starts
    # while the first still works in the directory.
    mkdir bin
    cat > bin/qemu-slow <<'SH'
#!/bin/sh
for a in "$@"; do
    case "$a" in */add-year) sleep 2 ;; esac
done
exec qemu-i386 "$@"
SH
    chmod +x bin/qemu-slow
    PATH="$PWD/bin:$PATH" QEMU=qemu-slow "$MEMKIT_ROOT/tools/demo.sh" \
        > first.out 2> first.err &
    local pid=$!
    until grep -q 'add-year' first.out 2>/dev/null; do sleep 0.1; done
    # qemu-i386 also when the suite runs natively: the outputs compare.
    run -0 --separate-stderr env QEMU=qemu-i386 "$MEMKIT_ROOT/tools/demo.sh"
    wait "$pid"
    [[ "$stderr" == "demo: another demo is running in "*"; waiting for it" ]]
    [ ! -s first.err ]
    diff <(sed 's/qemu-slow/qemu-i386/' first.out) <(printf '%s\n' "$output")
    cmp "$MEMKIT_DEMO_DIR/testout.dat" "$FIXTURES/testout.dat"
}
