#!/usr/bin/env bats
# preload.bats — libmemkit.so as malloc for real i386 programs
# (preload/, tools/preload-run, tools/trace-from-preload, docs/preload.md).
#
# Each program runs twice under qemu-i386: with glibc's malloc
# (tools/run-i386) and with the library (tools/preload-run); the outputs
# must be byte-identical. The Debian programs (mawk, diff, bzip2) are
# downloaded once into build/preload/debs by tools/fetch-i386-debs; where
# they cannot be had, their tests skip with the reason.
bats_require_minimum_version 1.5.0

load test_helper

LIB_DIR="$BUILD/preload"
DEBS="$LIB_DIR/debs"
DEB_PKGS="mawk diffutils bzip2 libbz2-1.0"

setup_file() {
    # One download for the whole file, bounded; the reason is kept for
    # the tests that need the packages.
    export FETCH_STATUS="$BATS_FILE_TMPDIR/fetch-status"
    if [ -f "$BUILD/preload/libmemkit.so" ]; then
        if FETCH_TIMEOUT=60 "$MEMKIT_ROOT/tools/fetch-i386-debs" \
               "$BUILD/preload/debs" mawk diffutils bzip2 libbz2-1.0 \
               2> "$FETCH_STATUS.err"; then
            echo ok > "$FETCH_STATUS"
        else
            tail -n 2 "$FETCH_STATUS.err" | tr '\n' ' ' > "$FETCH_STATUS"
        fi
    fi
}

setup() {
    memkit_setup
    [ -f "$LIB_DIR/libmemkit.so" ] ||
        skip "build/preload/libmemkit.so is not built (needs gcc-multilib; make preload)"
    if [ -n "$QEMU" ]; then
        command -v "$QEMU" >/dev/null || skip "$QEMU is not installed"
    fi
}

# plain [-E NAME=VALUE]... PROG ARGS: run with glibc's malloc, the
# variables in the program's environment (qemu-i386 -E, or env natively),
# like preload-run's -E.
plain() {
    local pre=()
    while [ "$1" = -E ]; do
        if [ -n "$QEMU" ]; then pre+=(-E "$2"); else pre+=("$2"); fi
        shift 2
    done
    if [ -n "$QEMU" ]; then
        "$MEMKIT_ROOT/tools/run-i386" "${pre[@]}" "$@"
    else
        env "${pre[@]}" "$MEMKIT_ROOT/tools/run-i386" "$@"
    fi
}
# preload [-E NAME=VALUE]... PROG ARGS: the same on libmemkit.so.
preload() { "$MEMKIT_ROOT/tools/preload-run" "$@"; }

# same PROG ARGS: status 0 both ways and byte-identical standard output.
same() {
    plain "$@" > glibc.out || return
    preload "$@" > memkit.out || return
    cmp glibc.out memkit.out
}

need_debs() {
    local status
    status=$(cat "$FETCH_STATUS" 2>/dev/null || echo "not fetched")
    [ "$status" = ok ] ||
        skip "Debian i386 packages unavailable: $status"
}

# --------------------------------------------------------------- the build

@test "libmemkit.so has no text relocations and exports the ten allocation functions" {
    run -0 "$MEMKIT_ROOT/tools/check-textrel" "$LIB_DIR/libmemkit.so"
    run -0 "$READELF" --dyn-syms -W "$LIB_DIR/libmemkit.so"
    local f
    for f in malloc free calloc realloc memalign posix_memalign \
             aligned_alloc valloc pvalloc malloc_usable_size; do
        assert_line --regexp " FUNC +GLOBAL +DEFAULT +[0-9]+ $f\$"
    done
    # The core stays private: no mk_ symbol is exported.
    refute_output --partial " mk_"
}

@test "check-textrel reads the library with the cross readelf on a host that has no plain readelf" {
    mkdir bin
    ln -s "$(command -v "${CROSS}readelf")" bin/i686-linux-gnu-readelf
    for c in sh dirname uname grep; do ln -s "$(command -v "$c")" "bin/$c"; done
    MEMKIT_HOST_ARCH=aarch64 run -0 env PATH="$PWD/bin" "$MEMKIT_ROOT/tools/check-textrel" "$LIB_DIR/libmemkit.so"
    MEMKIT_HOST_ARCH=x86_64 run -2 env PATH="$PWD/bin" "$MEMKIT_ROOT/tools/check-textrel" "$LIB_DIR/libmemkit.so"
    assert_output --partial "cannot read"
}

@test "check-textrel rejects a shared object that has text relocations" {
    printf '%s\n' '.data' 'v: .long 0' '.text' '.globl f' 'f: movl v, %eax' \
        'ret' '.section .note.GNU-stack,"",@progbits' > bad.s
    "${CROSS}as" --32 -o bad.o bad.s
    "${CROSS}ld" -m elf_i386 -shared -o bad.so bad.o 2>/dev/null
    run -1 "$MEMKIT_ROOT/tools/check-textrel" bad.so
    assert_output --partial "has text relocations"
}

# ------------------------------------------------- the kit's test programs

@test "the seeded stress program prints the same with and without libmemkit.so" {
    run -0 same "$LIB_DIR/t-stress" 7 4000
    run -0 cat memkit.out
    assert_line --regexp '^stress: seed 7, 4000 operations: .* free$'
    assert_line --regexp '^stress: [0-9]+ bytes verified, .* ok$'
}

@test "the stress program catches a realloc that loses the old contents" {
    "${CROSS}gcc" -m32 -shared -fPIC -O2 -fno-builtin -o forgetful.so \
        "$FIXTURES/forgetful-malloc.c"
    MEMKIT_LIB="$BATS_TEST_TMPDIR/forgetful.so" \
        run -1 preload "$LIB_DIR/t-stress" 7 300
    assert_output --regexp '^stress: slot [0-9]+ byte 0 of [0-9]+: got 0, expected [0-9]+$'
}

@test "every allocation function gives the alignment it promises, with the same report as glibc" {
    run -0 same "$LIB_DIR/t-align"
    run -0 cat memkit.out
    assert_line "[OK]	memalign, posix_memalign and aligned_alloc align to 16 .. 1 MiB"
    assert_line "[OK]	blocks stay intact when the program moves the break itself"
    assert_line "8 passed, 0 failed"
}

@test "four threads allocating at once corrupt no block" {
    run -0 same "$LIB_DIR/t-threads" 8000
    run -0 cat memkit.out
    assert_output "threads: 4 threads x 8000 operations, 0 bad bytes"
}

@test "printf, strdup, qsort and stdio streams print the same on libmemkit.so" {
    run -0 same "$LIB_DIR/t-stdio"
    run -0 cat memkit.out
    assert_line "done: 3000 strings freed"
}

@test "libmemkit.so never moves the break: its heap comes from mmap" {
    # qemu-i386 -strace in every mode: it is the tracer the kit has.
    command -v qemu-i386 >/dev/null || skip "qemu-i386 is not installed"
    QEMU="qemu-i386 -strace" preload "$LIB_DIR/t-stdio" \
        > /dev/null 2> strace.txt
    run -0 grep -E '^[0-9]+ openat\(.*libmemkit\.so' strace.txt
    run -0 grep -E '^[0-9]+ brk\(' strace.txt
    # the loader asks where the break is; nobody moves it
    refute_line --regexp 'brk\(0x'
    run -0 grep -cE 'mmap2\((NULL|0x[0-9a-f]+),131072,PROT_READ\|PROT_WRITE,' strace.txt
    [ "$output" -ge 1 ]
    # glibc's malloc, for contrast, does move it
    qemu-i386 -strace "$LIB_DIR/t-stdio" > /dev/null 2> glibc.txt
    run -0 grep -E '^[0-9]+ brk\(0x' glibc.txt
}

@test "MEMKIT_TRACE=1 shows every call went through libmemkit.so" {
    MEMKIT_TRACE=1 preload "$BUILD/hello-dynamic" > out 2> trace
    # hello-dynamic prints the pointer malloc(100) gave it; the trace
    # line for that call names the same pointer, and its free too.
    local p
    p=$(sed -n '1s/.*malloc gave \(0x[0-9a-f]*\).*/\1/p' out)
    [ -n "$p" ]
    run -0 grep -c '^memkit: ' trace
    [ "$output" -ge 3 ]
    run -0 grep -x "memkit: malloc(100) = $(printf '0x%08x' "$p")" trace
    run -0 grep -x "memkit: free($(printf '0x%08x' "$p"))" trace
}

@test "a setuid program ignores MEMKIT_TRACE (secure_getenv), natively" {
    # LD_PRELOAD is ignored for a setuid program, so this one is linked
    # with the library (an absolute rpath, which ld.so still follows).
    skip_unless_native
    [ "$(id -u)" -eq 0 ] || skip "making a program setuid to another user needs root"
    id nobody >/dev/null 2>&1 || skip "no user 'nobody' to make the program setuid to"
    # The setuid program loads the library as nobody: its folder must be
    # one nobody may enter (a checkout under a 0700 directory is not).
    runuser -u nobody -- test -r "$LIB_DIR/libmemkit.so" 2>/dev/null ||
        skip "user nobody cannot read $LIB_DIR/libmemkit.so (a private checkout path)"
    printf '#include <stdlib.h>\nint main(void) { free(malloc(10)); return 0; }\n' > t.c
    gcc -m32 -O2 -fno-builtin-malloc -o t t.c -L"$LIB_DIR" -l:libmemkit.so \
        -Wl,-rpath,"$LIB_DIR"
    MEMKIT_TRACE=1 ./t 2> trace
    grep -q '^memkit: malloc(10) = ' trace      # traced when not setuid
    chmod 755 . && chown nobody t && chmod u+s t
    MEMKIT_TRACE=1 ./t 2> trace
    [ ! -s trace ]
}

@test "without MEMKIT_TRACE the library writes nothing to stderr" {
    preload "$LIB_DIR/t-stdio" > out 2> err
    [ ! -s err ]
}

@test "the library runs natively too (QEMU=)" {
    skip_unless_native
    QEMU= run -0 "$MEMKIT_ROOT/tools/preload-run" "$LIB_DIR/t-align"
    assert_line "8 passed, 0 failed"
}

@test "preload-run works when the library's path contains a space" {
    mkdir "a dir"
    cp "$LIB_DIR/libmemkit.so" "a dir/libmemkit.so"
    MEMKIT_TRACE=1 MEMKIT_LIB="$BATS_TEST_TMPDIR/a dir/libmemkit.so" \
        run -0 --separate-stderr preload "$BUILD/hello-dynamic"
    assert_line --index 0 --partial "hello from a dynamically linked"
    [[ $stderr == *"memkit: malloc(100) = 0x"* ]]
    # the private link directory is gone afterwards
    run -0 find "${TMPDIR:-/tmp}" -maxdepth 1 -name 'memkit-preload.*' -newer "a dir"
    assert_output ""
}

@test "preload-run through a linked library reports a program killed by a signal only by its status" {
    mkdir "a dir"
    cp "$LIB_DIR/libmemkit.so" "a dir/libmemkit.so"
    MEMKIT_LIB="$BATS_TEST_TMPDIR/a dir/libmemkit.so" \
        run -134 --separate-stderr preload "$LIB_DIR/t-faults" double
    [[ $stderr == *"memkit: free(): double free of 0x"* ]]
    # qemu says "uncaught target signal 6 (Aborted)"; a shell's own
    # report is a line of its own
    refute grep -qE '^(.*: )?Aborted( \(core dumped\))?$' <<< "$stderr"
    run -0 find "${TMPDIR:-/tmp}" -maxdepth 1 -name 'memkit-preload.*' -newer "a dir"
    assert_output ""
}

# (-E reaching the program is shown by the bzip2 test: without
# -E LD_LIBRARY_PATH=... it cannot find libbz2.so.1.0.)
@test "preload-run refuses an -E without NAME=VALUE and a missing program" {
    run -2 preload -E
    assert_output --partial "usage: preload-run"
    run -2 preload -E NOEQUALS "$LIB_DIR/t-faults" calloc
    assert_output --partial "usage: preload-run"
    run -2 preload -E A=1
    assert_output --partial "usage: preload-run"
}

@test "preload-run says so when the library is not built" {
    MEMKIT_LIB="$BATS_TEST_TMPDIR/none.so" run -2 preload "$LIB_DIR/t-align"
    assert_output --partial "not found (run: make preload)"
}

# ---------------------------------------------------------- bad arguments

@test "a double free is reported on stderr and aborts with status 134" {
    run -134 preload "$LIB_DIR/t-faults" double
    assert_line --regexp '^memkit: free\(\): double free of 0x[0-9a-f]{8}$'
    refute_output --partial "was not detected"
}

@test "free, the same size allocated again, then the first pointer freed again is a double free" {
    # The freed block is held back (quarantine), so the new block is
    # another one and the stale pointer is still known to be free.
    run -134 preload "$LIB_DIR/t-faults" reuse
    assert_line --regexp '^memkit: free\(\): double free of 0x[0-9a-f]{8}$'
    refute_output --partial "t-faults:"
}

@test "freeing a pointer one byte into a block is reported as invalid and aborts" {
    run -134 preload "$LIB_DIR/t-faults" misaligned
    assert_line --regexp '^memkit: free\(\): invalid pointer 0x[0-9a-f]{7}1$'
}

@test "freeing a global array is reported as invalid and aborts" {
    run -134 preload "$LIB_DIR/t-faults" static
    assert_line --regexp '^memkit: free\(\): invalid pointer 0x[0-9a-f]{8}$'
}

@test "calloc whose size product overflows returns NULL with errno ENOMEM" {
    run -0 preload "$LIB_DIR/t-faults" calloc
    assert_output "calloc(65536, 65537) = NULL, errno ENOMEM"
}

@test "memalign(2^31) fails with ENOMEM and memalign(2^31 + 1) with EINVAL, as in glibc" {
    same "$LIB_DIR/t-faults" memalign
    run -0 cat memkit.out
    assert_output "memalign(2^31, 16) = NULL, errno ENOMEM
memalign(2^31 + 1, 16) = NULL, errno EINVAL"
}

# ------------------------------------------------------------- the traces

@test "trace-from-preload turns a MEMKIT_TRACE log into a consistent malloc-lab trace" {
    MEMKIT_TRACE=1 preload "$LIB_DIR/t-stress" 3 2000 > /dev/null 2> log
    run -0 "$MEMKIT_ROOT/tools/trace-from-preload" log "my trace.rep"
    [ -z "$output" ]            # every free matched an allocation
    mapfile -t t < "my trace.rep"
    # header: peak bytes, ids, operations, weight 1
    [ "${t[3]}" = 1 ]
    [ "${t[2]}" -eq $(( ${#t[@]} - 4 )) ]
    run -0 grep -c '^a ' "my trace.rep"
    [ "$output" -eq "${t[1]}" ]
    # every logged call is one operation (free(NULL) is never logged)
    [ "${t[2]}" -eq "$(grep -c '^memkit: ' log)" ]
    run -0 grep -c '^r [0-9]* [0-9]*$' "my trace.rep"
    [ "$output" -gt 0 ]
}

@test "trace-from-preload counts a free of a pointer it never saw allocated" {
    printf '%s\n' 'memkit: malloc(24) = 0x08050010' 'noise from the program' \
        'memkit: free(0x08050010)' 'memkit: free(0x0805a000)' > log
    run -0 --separate-stderr "$MEMKIT_ROOT/tools/trace-from-preload" log
    assert_output "$(printf '%s\n' 24 1 2 1 'a 0 24' 'f 0')"
    [[ $stderr == *"1 frees of pointers no traced call returned"* ]]
}

@test "a trace recorded from a Debian program replays in the trace driver" {
    need_debs
    [ -x "$BUILD/trace-driver" ] || skip "no build/trace-driver in this checkout"
    seq 1 3000 | awk '{ print "line", $1, ($1 * 7919) % 10007 }' > a.txt
    awk '$3 % 7 != 0' a.txt > b.txt
    MEMKIT_TRACE=1 preload "$DEBS/root/usr/bin/diff" a.txt b.txt \
        > /dev/null 2> log || true
    "$MEMKIT_ROOT/tools/trace-from-preload" log diff.rep
    run -0 i386 trace-driver diff.rep
}

# ------------------------------------------ real programs from Debian i386

@test "mawk from Debian's i386 package prints the same with libmemkit.so" {
    need_debs
    seq 1 4000 | awk '{ print "line", $1, ($1 * 7919) % 10007 }' > in.txt
    cat > count.awk <<'EOF'
{ for (i = 1; i <= NF; i++) { n[$i]++; s[$1 % 211] = s[$1 % 211] substr($i, 1, 3) }
  split($0, f, " "); line[NR] = f[3] "-" f[2] }
END { t = 0; for (k = 0; k < 211; k++) t += length(s[k]); w = 0; for (x in n) w++
      for (i = 1; i <= NR; i++) if (line[i] ~ /^1/) { delete line[i]; d++ }
      print NR, w, t, d; print n["line"], n["1"], line[NR] }
EOF
    plain "$DEBS/root/usr/bin/mawk" -f count.awk in.txt > glibc.out
    MEMKIT_TRACE=1 preload "$DEBS/root/usr/bin/mawk" -f count.awk in.txt \
        > memkit.out 2> log
    cmp glibc.out memkit.out
    run -0 cat memkit.out
    assert_line --index 0 "4000 6403 35850 446"
    # and it was the kit's malloc: thousands of traced calls
    [ "$(grep -c '^memkit: malloc' log)" -gt 1000 ]
}

@test "diff from Debian's i386 package prints the same with libmemkit.so" {
    need_debs
    seq 1 20000 | awk '{ print "line", $1, ($1 * 7919) % 10007 }' > a.txt
    awk '$3 % 97 != 0 { print } $2 % 101 == 0 { print "extra", $2 }' \
        a.txt > b.txt
    # diff exits 1: the files differ
    run -1 plain "$DEBS/root/usr/bin/diff" a.txt b.txt
    printf '%s\n' "$output" > glibc.out
    run -1 preload "$DEBS/root/usr/bin/diff" a.txt b.txt
    printf '%s\n' "$output" > memkit.out
    cmp glibc.out memkit.out
    [ "$(wc -l < memkit.out)" -gt 300 ]
}

@test "bzip2 from Debian's i386 package compresses the same bytes with libmemkit.so" {
    need_debs
    local libs="$DEBS/root/lib/i386-linux-gnu"
    seq 1 30000 | awk '{ print "line", $1, ($1 * 7919) % 10007 }' > in.txt
    plain -E "LD_LIBRARY_PATH=$libs" \
        "$DEBS/root/bin/bzip2" -c in.txt > glibc.bz2
    MEMKIT_TRACE=1 preload -E "LD_LIBRARY_PATH=$libs" \
        "$DEBS/root/bin/bzip2" -c in.txt > memkit.bz2 2> log
    cmp glibc.bz2 memkit.bz2
    # its big work areas (over 128 KiB) came from their own mmap
    run -0 grep -E '^memkit: malloc\(3600000\) = 0x' log
    preload -E "LD_LIBRARY_PATH=$libs" \
        "$DEBS/root/bin/bzip2" -dc memkit.bz2 > back.txt
    cmp in.txt back.txt
}
