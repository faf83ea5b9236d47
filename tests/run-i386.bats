#!/usr/bin/env bats
# run-i386.bats — tools/run-i386, the runner every test and script uses:
# its timeout, its core limit, and its choice of runner.

bats_require_minimum_version 1.5.0
load test_helper

setup() { memkit_setup; }

@test "run-i386 stops a program that blocks forever at MEMKIT_TIMEOUT, with status 124" {
    mkfifo fifo                                 # open() blocks: no writer
    local start=$SECONDS
    MEMKIT_TIMEOUT=1 run -124 "$MEMKIT_ROOT/tools/run-i386" "$BUILD/read-records" fifo
    [ $((SECONDS - start)) -lt 8 ]
}

@test "run-i386 stops a program that spins forever at MEMKIT_TIMEOUT" {
    printf '.globl _start\n_start: jmp _start\n.section .note.GNU-stack,"",@progbits\n' > spin.s
    "${CROSS}as" --32 -o spin.o spin.s
    "${CROSS}ld" -m elf_i386 -o spin spin.o
    local start=$SECONDS
    MEMKIT_TIMEOUT=1 run -124 "$MEMKIT_ROOT/tools/run-i386" ./spin
    [ $((SECONDS - start)) -lt 8 ]
}

# orphan_program — an i386 program whose forked child ignores SIGTERM and
# waits forever, holding the output it inherited open; the parent waits
# too, but dies of SIGTERM. (rt_sigaction: qemu-i386 has no signal(2).)
orphan_program() {
    cat > orphan.s <<'ASM'
.globl _start
_start:
    movl $2, %eax           # fork
    int $0x80
    testl %eax, %eax
    jnz 1f
    movl $174, %eax         # child: rt_sigaction(SIGTERM, &ignore, 0, 8)
    movl $15, %ebx
    movl $ignore, %ecx
    xorl %edx, %edx
    movl $8, %esi
    int $0x80
1:  movl $29, %eax          # pause, for ever
    int $0x80
    jmp 1b
.data
ignore: .long 1, 0, 0, 0, 0 # SIG_IGN, no flags, no restorer, empty mask
.section .note.GNU-stack,"",@progbits
ASM
    "${CROSS}as" --32 -o orphan.o orphan.s
    "${CROSS}ld" -m elf_i386 -o orphan orphan.o
}

# orphans_left — is any process still running the orphan program built in
# this test's directory? (its path is on the command line, qemu's or its own)
orphans_left() {
    local f
    for f in /proc/[0-9]*/cmdline; do
        grep -qF "$BATS_TEST_TMPDIR/orphan" "$f" 2>/dev/null && return 0
    done
    return 1
}

teardown() {
    local f
    for f in /proc/[0-9]*/cmdline; do
        grep -qF "$BATS_TEST_TMPDIR/orphan" "$f" 2>/dev/null || continue
        f=${f#/proc/}; kill -KILL "${f%/cmdline}" 2>/dev/null
    done
    return 0
}

@test "at its time limit run-i386 ends the program's forked child too, even one that ignores SIGTERM" {
    orphan_program
    local start=$SECONDS
    # The pipe to cat stays open while any process holds it: the guard's
    # SIGKILL at 30 s (status 137) would be the only way out.
    MEMKIT_TIMEOUT=1 MEMKIT_KILL_AFTER=1 run -124 timeout -s KILL 30 \
        bash -c 'set -o pipefail; "$1" "$2" 2>&1 | cat' _ "$MEMKIT_ROOT/tools/run-i386" "$PWD/orphan"
    [ $((SECONDS - start)) -lt 20 ]
    refute orphans_left
}

@test "run-i386 leaves no core file when the program crashes" {
    printf '.globl _start\n_start: movl 0, %%eax\n.section .note.GNU-stack,"",@progbits\n' > crash.s
    "${CROSS}as" --32 -o crash.o crash.s
    "${CROSS}ld" -m elf_i386 -o crash crash.o
    ulimit -Sc unlimited                        # what a user's shell may have
    run ! "$MEMKIT_ROOT/tools/run-i386" ./crash
    [ -z "$(find . -name '*core*')" ] || fail "core files: $(find . -name '*core*')"
}

@test "run-i386 runs the program natively when QEMU is set and empty" {
    skip_unless_native
    QEMU= run -0 "$MEMKIT_ROOT/tools/run-i386" "$BUILD/read-records" "$FIXTURES/test.dat"
    assert_output $'Fredrick\nMarilyn\nDerrick'
}

@test "run-i386 with QEMU= on a kernel without native i386 says so in one line and exits 2" {
    MEMKIT_NATIVE=no QEMU= run -2 --separate-stderr "$MEMKIT_ROOT/tools/run-i386" "$BUILD/read-records" "$FIXTURES/test.dat"
    assert_equal "$output" ""
    assert_equal "$stderr" "run-i386: this kernel cannot run i386 binaries natively; run without QEMU= to use qemu-i386"
    # the same host, qemu-i386 as the runner: it runs
    MEMKIT_NATIVE=no run -0 "$MEMKIT_ROOT/tools/run-i386" "$BUILD/read-records" "$FIXTURES/test.dat"
    assert_output $'Fredrick\nMarilyn\nDerrick'
}

@test "make demo, make test and preload-run with QEMU= refuse at once on a kernel without native i386" {
    export MEMKIT_NATIVE=no
    run -2 make -C "$MEMKIT_ROOT" --no-print-directory demo QEMU=
    assert_line "this kernel cannot run i386 binaries natively; run without QEMU= to use qemu-i386"
    refute_line --partial 'Syntax error'
    run -2 make -C "$MEMKIT_ROOT" --no-print-directory test QEMU=
    assert_line "this kernel cannot run i386 binaries natively; run without QEMU= to use qemu-i386"
    refute_line --regexp '^(ok|not ok) '
    : > lib.so
    MEMKIT_LIB="$PWD/lib.so" QEMU= run -2 "$MEMKIT_ROOT/tools/preload-run" /bin/true
    assert_output "preload-run: this kernel cannot run i386 binaries natively; run without QEMU= to use qemu-i386"
}

@test "the native probe is a complete i386 program: it exits with 42 under qemu-i386" {
    # The probe is what decides QEMU= works; if it were not a valid i386
    # program, every native test would skip on every machine.
    . "$MEMKIT_ROOT/tools/host.sh"
    memkit_write_probe probe
    chmod +x probe
    run -0 "${CROSS}readelf" -h probe
    assert_line --regexp 'Class: +ELF32'
    assert_line --regexp 'Machine: +Intel 80386'
    run -42 "$MEMKIT_ROOT/tools/run-i386" ./probe
}

@test "check-toolchain says whether this kernel runs i386 natively" {
    # The x86 answers on any host: an x86 host is set up, not assumed.
    MEMKIT_HOST_ARCH=x86_64 MEMKIT_NATIVE=no run make -C "$MEMKIT_ROOT" --no-print-directory check-toolchain
    assert_line "  native i386: no (this kernel cannot run i386 binaries; every program runs under qemu-i386)"
    MEMKIT_HOST_ARCH=x86_64 MEMKIT_NATIVE=yes run make -C "$MEMKIT_ROOT" --no-print-directory check-toolchain
    assert_line "  native i386: yes (this kernel runs i386 binaries; QEMU= runs them natively)"
    MEMKIT_HOST_ARCH=aarch64 run env PATH=/usr/bin:/bin "$MEMKIT_ROOT/tools/bootstrap.sh" --check build
    assert_line "  native i386: no (not an x86 host; every program runs under qemu-i386)"
}

@test "run-i386's time limit ends a forked child too, even one that ignores SIGTERM" {
    # fork, then parent and child both ignore SIGTERM and spin: only
    # SIGKILL to the whole process group ends them.
    cat > forkspin.s <<'ASM'
.globl _start
_start:
    movl $48, %eax          # signal(SIGTERM, SIG_IGN)
    movl $15, %ebx
    movl $1, %ecx
    int $0x80
    movl $2, %eax           # fork
    int $0x80
1:  jmp 1b
.section .note.GNU-stack,"",@progbits
ASM
    "${CROSS}as" --32 -o forkspin.o forkspin.s
    "${CROSS}ld" -m elf_i386 -o forkspin forkspin.o
    local tag="memkit-forkspin-$$-$RANDOM" start=$SECONDS
    ln -s forkspin "$tag"
    # Its output goes nowhere: a survivor must not hold the test's pipe.
    local rc=0
    MEMKIT_TIMEOUT=1 MEMKIT_KILL_AFTER=1 "$MEMKIT_ROOT/tools/run-i386" "./$tag" \
        </dev/null >/dev/null 2>&1 || rc=$?
    [[ "$rc" == 124 || "$rc" == 137 ]] || fail "exit status $rc, expected 124 or 137"
    [ $((SECONDS - start)) -lt 8 ]
    sleep 0.5
    local left
    left=$(pgrep -f "$tag" || true)
    [ -z "$left" ] || { pkill -9 -f "$tag"; fail "still running after the limit: $left"; }
}

@test "without-native-i386 refuses every i386 executable as such a kernel does, and qemu-i386 still runs them" {
    run "$MEMKIT_ROOT/tools/without-native-i386" true
    [ "$status" -ne 3 ] || skip "no private binfmt_misc here: $output"
    # Where the host's own programs run through binfmt_misc (an emulated
    # host: tools/arm64-sandbox), the fresh binfmt_misc lacks their
    # emulator and not even true runs inside.
    [ "$status" -eq 0 ] ||
        skip "this host's own programs do not run in a fresh binfmt_misc (they need an emulator registered there): exit $status"
    run -126 "$MEMKIT_ROOT/tools/without-native-i386" "$BUILD/book-caller"
    assert_output --partial "Exec format error"
    run -0 "$MEMKIT_ROOT/tools/without-native-i386" sh -c \
        '. "$1/tools/host.sh"; memkit_native && echo native || echo "no native i386"' _ "$MEMKIT_ROOT"
    assert_output "no native i386"
    run -2 "$MEMKIT_ROOT/tools/without-native-i386" env QEMU= "$MEMKIT_ROOT/tools/run-i386" "$BUILD/book-caller"
    assert_output "run-i386: this kernel cannot run i386 binaries natively; run without QEMU= to use qemu-i386"
    run -0 "$MEMKIT_ROOT/tools/without-native-i386" "$MEMKIT_ROOT/tools/run-i386" "$BUILD/book-caller"
}
