#!/usr/bin/env bats
# gdb.bats — tools/gdb-session.sh and the gdb commands in tools/gdb/.
#
# Every test drives a real gdb-multiarch attached to qemu-i386's gdbstub,
# in batch mode (tools/gdb-session.sh --batch -ex ...), bounded twice: by
# MEMKIT_GDB_TIMEOUT inside the script and by `timeout` around it. The
# script writes qemu's pid to $QPIDFILE; a qemu still there when the
# session returns fails the test at once (no_stray_qemu) rather than
# holding it open, and teardown kills it if anything else left one.
bats_require_minimum_version 1.5.0

load test_helper

setup() {
    memkit_setup
    # A gdb session needs qemu's gdbstub, also when the rest of the suite
    # runs natively (make test QEMU=). A make below gets it on its command
    # line: the outer make's QEMU= reaches it through MAKEFLAGS and would
    # win over the environment.
    export QEMU=${QEMU:-qemu-i386}
    QPIDFILE=$BATS_TEST_TMPDIR/qemu.pid
    export MEMKIT_QEMU_PIDFILE=$QPIDFILE MEMKIT_GDB_TIMEOUT=20
    DATA=$FIXTURES/test.dat
}

teardown() {
    local pid
    [ -f "$QPIDFILE" ] && pid=$(cat "$QPIDFILE") && kill -9 "$pid" 2>/dev/null
    [ -n "${OTHER_QEMU:-}" ] && kill -9 "$OTHER_QEMU" 2>/dev/null
    return 0
}

# session [-ex CMD]... PROG [ARGS...] — a batch gdb session; the output
# (gdb's stdout and stderr together) is in $output.
session() {
    no_stray_qemu timeout --kill-after=5 40 \
        "$MEMKIT_ROOT/tools/gdb-session.sh" --batch "$@"
}

# no_stray_qemu CMD... — run CMD; if the qemu it started (the pid in
# $QPIDFILE) outlives it, kill that qemu, say so, and return 99. A qemu
# left behind keeps `run`'s output pipe open, so without this a broken
# cleanup in gdb-session.sh would hang the test (and CI) for as long as
# the program blocks, instead of failing it.
no_stray_qemu() {
    local rc=0 pid
    "$@" || rc=$?
    pid=$(cat "$QPIDFILE" 2>/dev/null)
    if [ -n "$pid" ] && ! qemu_gone; then
        kill -9 "$pid" 2>/dev/null
        echo "gdb.bats: qemu (pid $pid) outlived the session; killed it"
        return 99
    fi
    return "$rc"
}

# qemu_gone — the qemu this test started has exited.
qemu_gone() {
    local pid state=
    pid=$(cat "$QPIDFILE")
    [ -n "$pid" ] || return 1
    # A zombie counts as gone: it has exited, only its status is left.
    { read -r _ _ state _ < "/proc/$pid/stat"; } 2>/dev/null || true
    [ -z "$state" ] || [ "$state" = Z ]
}

@test "a session stops at _start with breakpoints on allocate and deallocate" {
    run -0 session read-records "$DATA"
    assert_line --regexp '^_start \(\) at asm/read-records\.s:[0-9]+$'
    assert_line --regexp '^Breakpoint 1 at 0x[0-9a-f]+: file asm/alloc\.s, line [0-9]+\.$'
    assert_line --regexp '^Breakpoint 2 at 0x[0-9a-f]+: file asm/alloc\.s, line [0-9]+\.$'
    assert_line --regexp '^eip +0x[0-9a-f]+ +0x[0-9a-f]+ <_start>$'
}

@test "heap says the allocator is not initialised before allocate_init runs" {
    run -0 session -ex heap read-records "$DATA"
    assert_line 'heap: not initialised (heap_begin is 0)'
}

@test "heap shows one used 328-byte block after allocate returns the record buffer" {
    run -0 session -ex continue -ex finish -ex 'printf "eax=0x%08x\n", $eax' \
        -ex heap read-records "$DATA"
    assert_line --regexp '^heap: begin 0x[0-9a-f]{8}  break 0x[0-9a-f]{8}  \(336 bytes, 1 block\)$'
    assert_line '  offset   header      payload     size  state'
    assert_line --regexp '^  \+0x0000  0x[0-9a-f]{8}  0x[0-9a-f]{8}   328  used$'
    assert_line 'totals: used 328, free 0, headers 8, largest free 0'
    # The payload column is what allocate returned, 8 bytes past the header.
    local eax payload header
    eax=$(grep -o '^eax=0x[0-9a-f]*' <<< "$output"); eax=${eax#eax=}
    read -r _ header payload _ < <(grep '^  +0x0000' <<< "$output")
    [ "$payload" = "$eax" ]
    [ $((payload - header)) -eq 8 ]
}

@test "heap shows the record buffer free after deallocate returns" {
    run -0 session -ex continue -ex continue -ex finish -ex heap \
        read-records "$DATA"
    assert_line --regexp '^  \+0x0000  0x[0-9a-f]{8}  0x[0-9a-f]{8}   328  free$'
    assert_line 'totals: used 0, free 328, headers 8, largest free 328'
}

@test "heap stops with a message at a header whose flag is neither 0 nor 1" {
    run -0 session -ex continue -ex finish \
        -ex 'set var *(int *)(int)heap_begin = 7' -ex heap read-records "$DATA"
    assert_line --regexp '^heap: begin 0x[0-9a-f]{8}  break 0x[0-9a-f]{8}  \(336 bytes, 0 blocks\)$'
    assert_line --regexp '^heap: corrupt header at 0x[0-9a-f]{8}: flag is neither 0 nor 1; stopping$'
    refute_line --partial 'totals:'
}

@test "heap stops with a message at a header whose size runs past the break" {
    run -0 session -ex continue -ex finish \
        -ex 'set var *(int *)((int)heap_begin + 4) = 0x7ffffff8' -ex heap \
        read-records "$DATA"
    assert_line --regexp '^heap: corrupt header at 0x[0-9a-f]{8}: size runs past the break; stopping$'
    refute_line --partial 'totals:'
}

@test "heap stops with a message when the break cuts a header in half" {
    run -0 session -ex continue -ex finish \
        -ex 'set var *(int *)&current_break = (int)heap_begin + 4' -ex heap \
        read-records "$DATA"
    assert_line --regexp '^heap: corrupt header at 0x[0-9a-f]{8}: header runs past the break; stopping$'
}

@test "heap reports a current_break below heap_begin instead of walking" {
    run -0 session -ex continue -ex finish \
        -ex 'set var *(int *)&current_break = (int)heap_begin - 8' -ex heap \
        read-records "$DATA"
    assert_line --regexp '^heap: corrupt header at 0x[0-9a-f]{8}: current_break 0x[0-9a-f]{8} is below heap_begin; stopping$'
    refute_line --partial 'offset   header'
}

@test "heap stops with a message at a header it cannot read, even one split by a page end" {
    # heap_begin 4 bytes before the end of the heap's only page: the next
    # page is not mapped, so the 8-byte header is half unreadable.
    run -0 session -ex continue -ex finish \
        -ex 'set var *(int *)&current_break = (int)heap_begin + 0x2000' \
        -ex 'set var *(int *)&heap_begin = (int)heap_begin + 0xffc' -ex heap \
        read-records "$DATA"
    assert_line --regexp '^heap: corrupt header at 0x[0-9a-f]{8}: cannot read 8 bytes at 0x[0-9a-f]{8}; stopping$'
    refute_output --partial 'Python'
}

@test "heap and memkit-break say so for a program without the allocator" {
    run -0 session -ex heap write-records
    assert_line 'memkit: no allocator in this program, no breakpoints set'
    assert_line --partial 'heap: this program has no allocator'
}

@test "stepi through allocate's prologue leaves %ebp at %esp and the size at 8(%ebp)" {
    run -0 session -ex continue -ex 'stepi 2' \
        -ex 'printf "ebp==esp %d\n", $ebp == $esp' \
        -ex 'printf "arg %d\n", *(int *)($ebp + 8)' \
        -ex 'stepi 2' -ex 'printf "eax==heap_begin %d\n", $eax == (int)heap_begin' \
        read-records "$DATA"
    assert_line 'ebp==esp 1'
    assert_line 'arg 324'
    assert_line 'eax==heap_begin 1'
}

@test "cframe shows allocate's argument, return address and saved %ebp" {
    run -0 session -ex continue -ex 'stepi 2' -ex cframe read-records "$DATA"
    assert_line --regexp '^cframe: allocate\+3  \(prologue done: %ebp points at the saved %ebp\)$'
    assert_line --regexp '^  0x[0-9a-f]{8}  \+8\(%ebp\)    0x00000144  argument 1 = 324$'
    assert_line --regexp '^  0x[0-9a-f]{8}  \+4\(%ebp\)    0x[0-9a-f]{8}  return address -> _start\+[0-9]+$'
    assert_line --regexp '^  0x[0-9a-f]{8}  \+0\(%ebp\)    0x[0-9a-f]{8}  saved %ebp \(caller.s frame pointer\)'
}

@test "finish works from the first instruction of allocate even with %ebp = 0" {
    # c-harness/start.s zeroes %ebp, and gdb's own unwinder calls any frame
    # with %ebp = 0 outermost; tools/gdb/memkit/unwind.py unwinds it from %esp.
    run -0 session -ex continue -ex 'set var $ebp = 0' -ex bt -ex finish \
        read-records "$DATA"
    assert_line --regexp '^#1  0x[0-9a-f]+ in _start \(\) at asm/read-records\.s:[0-9]+$'
    assert_line --regexp '^_start \(\) at asm/read-records\.s:[0-9]+$'
    refute_output --partial 'outermost'
}

@test "records decodes the last record read-records read into its buffer" {
    run -0 session -ex continue -ex continue \
        -ex 'records *(int *)($esp + 4)' read-records "$DATA"
    assert_line --regexp '^record at 0x[0-9a-f]{8} \(324 bytes\)$'
    assert_line '  firstname  "Derrick"'
    assert_line '  lastname   "McIntire"'
    assert_line '  age        36'
}

@test "records reports an unreadable address instead of failing" {
    run -0 session -ex 'records 0' read-records "$DATA"
    assert_line 'records: cannot read 324 bytes at 0x00000000'
}

@test "the session leaves no qemu process behind after the program exits" {
    run -0 session -ex continue -ex continue -ex continue read-records "$DATA"
    assert_line '[Inferior 1 (process 1) exited normally]'
    qemu_gone
}

@test "the session kills qemu when gdb quits with the program still stopped" {
    run -0 session -ex continue read-records "$DATA"
    qemu_gone
}

@test "the session kills qemu when gdb detaches and the program blocks forever" {
    # gdb lets go of qemu here, so only gdb-session.sh's EXIT trap ends it.
    mkfifo "$BATS_TEST_TMPDIR/fifo"         # open() blocks: no writer, ever
    run -0 session -ex continue -ex detach \
        read-records "$BATS_TEST_TMPDIR/fifo"
    assert_line '[Inferior 1 (process 1) detached]'
    qemu_gone
}

@test "a session whose program blocks forever ends at the timeout without a stray qemu" {
    mkfifo "$BATS_TEST_TMPDIR/fifo"         # open() blocks: no writer, ever
    MEMKIT_GDB_TIMEOUT=1 run -124 session -ex continue -ex continue \
        read-records "$BATS_TEST_TMPDIR/fifo"
    qemu_gone
}

# qemu_sockets — run from gdb (`shell`) while the session holds qemu: one
# line per socket qemu has open, "tcp LOCAL-ADDRESS" or "unix PATH", read
# from /proc/net/{tcp,tcp6,unix} by the socket's inode.
qemu_sockets() {
    cat > "$BATS_TEST_TMPDIR/sockets.sh" <<'SH'
pid=$(cat "$1")
for fd in /proc/"$pid"/fd/*; do
    inode=$(readlink "$fd" | sed -n 's/^socket:\[\([0-9]*\)\]$/\1/p')
    [ -n "$inode" ] || continue
    awk -v i="$inode" '$10 == i { print "tcp", $2 }' /proc/net/tcp /proc/net/tcp6
    awk -v i="$inode" '$7 == i { print "unix", $8 }' /proc/net/unix
done | sed 's/^/qemu socket: /'
SH
    echo "shell sh \"$BATS_TEST_TMPDIR/sockets.sh\" \"$QPIDFILE\""
}

@test "qemu's gdbstub listens on no network address, only on a private Unix socket" {
    run -0 session -ex "$(qemu_sockets)" read-records "$DATA"
    refute_line --partial 'qemu socket: tcp'
    assert_line --regexp '^qemu socket: unix /.*/memkit-gdb\.[A-Za-z0-9]{6}/gdbstub$'
    local sock
    sock=$(sed -n 's/^qemu socket: unix //p' <<< "$output")
    [ ! -e "$(dirname "$sock")" ]       # removed with the session
}

@test "a relative TMPDIR starting with digits never makes qemu listen on that TCP port" {
    # qemu takes a -g argument that starts with digits for a port number.
    mkdir 5678tmp
    TMPDIR=5678tmp run -0 session -ex "$(qemu_sockets)" read-records "$DATA"
    refute_line --partial 'qemu socket: tcp'
    assert_line --regexp "^qemu socket: unix $PWD/5678tmp/memkit-gdb\.[A-Za-z0-9]{6}/gdbstub\$"
}

@test "a TMPDIR with a ':' in it is not used: gdb would read the socket path as HOST:PORT" {
    mkdir 'a:b'
    TMPDIR="$PWD/a:b" run -0 session -ex "$(qemu_sockets)" read-records "$DATA"
    refute_line --partial 'qemu socket: tcp'
    assert_line --regexp '^qemu socket: unix /tmp/memkit-gdb\.[A-Za-z0-9]{6}/gdbstub$'
    [ -z "$(ls -A 'a:b')" ]
}

@test "a program qemu cannot start is reported once, with qemu's own message" {
    run -1 session /bin/true
    [ "$(grep -c 'Invalid ELF image' <<< "$output")" -eq 1 ]
    assert_line --partial 'could not start /bin/true'
    refute_output --partial 'port'
}

@test "qemu's own messages come after gdb's output in a batch session, never inside it" {
    # A qemu that speaks first: its line must still come after all of
    # gdb's, as qemu's last words ("Terminated via GDBstub") do when gdb
    # quits while a slow host is still printing gdb's lines.
    printf '#!/bin/sh\necho "qemu wrapper: starting" >&2\nexec qemu-i386 "$@"\n' > qemu-early
    chmod +x qemu-early
    QEMU=$PWD/qemu-early run -0 session -ex 'info registers eip' read-records "$DATA"
    assert_line --regexp '^eip +0x'
    local eip wrapper
    eip=$(grep -n '^eip ' <<< "$output" | tail -1 | cut -d: -f1)
    wrapper=$(grep -n '^qemu wrapper: starting$' <<< "$output" | cut -d: -f1)
    [ -n "$wrapper" ] || fail "the wrapper's line is missing"
    [ "$wrapper" -gt "$eip" ] || fail "qemu's line $wrapper came before gdb's line $eip"
}

@test "qemu's message comes before the line that says qemu could not start" {
    run -1 session /bin/true
    local q s
    q=$(grep -n 'Invalid ELF image' <<< "$output" | cut -d: -f1)
    s=$(grep -n 'could not start /bin/true' <<< "$output" | cut -d: -f1)
    [ "$q" -lt "$s" ] || fail "qemu's message (line $q) after ours (line $s)"
}

@test "a session on a program that crashes leaves no core file" {
    printf '.globl _start\n_start: movl 0, %%eax\n.section .note.GNU-stack,"",@progbits\n' > crash.s
    "${CROSS}as" --32 -o crash.o crash.s
    "${CROSS}ld" -m elf_i386 -o crash crash.o
    ulimit -Sc unlimited                 # what a user's shell may have
    run -0 session -ex continue -ex continue ./crash
    assert_output --partial 'SIGSEGV'
    [ -z "$(find . -name '*core*')" ] || fail "core files: $(find . -name '*core*')"
}

@test "make gdb PROG=nope says so and lists the programs in build/" {
    run -2 make -s -C "$MEMKIT_ROOT" QEMU="$QEMU" gdb PROG=nope
    assert_line 'gdb-session.sh: no program nope'
    assert_line --regexp '^programs in build/: .*read-records'
    refute_output --partial 'No rule to make target'
}

@test "make gdb PROG=build/NAME and PROG=an absolute path with a space both work" {
    mkdir "with space"
    cp "$BUILD/read-records" "with space/rr"
    run -0 no_stray_qemu timeout --kill-after=5 40 make -s -C "$MEMKIT_ROOT" QEMU="$QEMU" \
        gdb PROG=build/read-records ARGS="$DATA" <<< 'heap'
    assert_line --partial 'read-records'
    run -0 no_stray_qemu timeout --kill-after=5 40 make -s -C "$MEMKIT_ROOT" QEMU="$QEMU" \
        gdb PROG="$PWD/with space/rr" ARGS="$DATA" <<< $'continue\nfinish\nheap'
    assert_line 'totals: used 328, free 0, headers 8, largest free 0'
    refute_output --partial 'No such file'
}

@test "the commands load from a checkout whose path has a space and quotes, never from a memkit package in the current directory" {
    # tools/gdb/memkit.py finds its package tools/gdb/memkit/ from its own
    # path. A decoy package of the same name in the current directory
    # must not be the one gdb loads.
    local kit="$BATS_TEST_TMPDIR/it's a \"kit\""
    mkdir -p "$kit" cwd/memkit
    cp -R "$MEMKIT_ROOT/tools" "$kit/"
    echo 'raise ImportError("the decoy memkit package in the cwd")' \
        > cwd/memkit/__init__.py
    cd cwd
    run -0 no_stray_qemu timeout --kill-after=5 40 "$kit/tools/gdb-session.sh" \
        --batch -ex continue -ex finish -ex heap -ex memkit \
        "$BUILD/read-records" "$DATA"
    assert_line 'totals: used 328, free 0, headers 8, largest free 0'
    assert_line 'memkit commands (help NAME for details):'
    refute_output --partial 'decoy'
    refute_output --partial 'Traceback'
    # Loading the package writes nothing into the checkout.
    run -0 find "$kit/tools/gdb" -name __pycache__
    assert_output ''
}

@test "make gdb without PROG prints the usage" {
    run ! make -s -C "$MEMKIT_ROOT" QEMU="$QEMU" gdb
    assert_output --partial 'usage: make gdb|strace PROG=read-records'
}

@test "make gdb PROG=read-records reads gdb commands from a pipe" {
    run -0 no_stray_qemu timeout --kill-after=5 40 make -s -C "$MEMKIT_ROOT" QEMU="$QEMU" \
        gdb PROG=read-records ARGS="$DATA" <<< $'continue\nfinish\nheap'
    assert_line 'totals: used 328, free 0, headers 8, largest free 0'
    qemu_gone
}

@test "make gdb with stdin closed quits without reading a stray file as commands" {
    # Closed inside the function: `run ... <&-` would let run's own
    # output pipe take fd 0.
    stdin_closed() { "$@" <&-; }
    run -0 no_stray_qemu stdin_closed timeout --kill-after=5 40 \
        make -s -C "$MEMKIT_ROOT" QEMU="$QEMU" gdb PROG=read-records ARGS="$DATA"
    assert_line --partial 'memkit: stopped at the entry point'
    refute_output --partial 'Undefined command'
    qemu_gone
}

@test "records/2 decodes two records 324 bytes apart" {
    run -0 session -ex continue -ex continue \
        -ex 'records/2 *(int *)($esp + 4)' read-records "$DATA"
    local first second
    first=$(grep -m1 '^record at' <<< "$output" | grep -o '0x[0-9a-f]*')
    second=$(grep '^record at' <<< "$output" | sed -n 2p | grep -o '0x[0-9a-f]*')
    [ $((second - first)) -eq 324 ]
    assert_line '  firstname  "Derrick"'
}

@test "records without an address prints its usage" {
    run -0 session -ex 'records' -ex 'records/x $eax' read-records "$DATA"
    assert_line 'usage: records[/COUNT] ADDRESS'
    assert_line 'records: COUNT after / must be a number'
}

@test "SIGINT (what Ctrl-C sends) stops a program blocked in open and the session goes on" {
    mkfifo "$BATS_TEST_TMPDIR/fifo"         # open() blocks: no writer, ever
    # The terminal sends Ctrl-C's SIGINT to qemu too; do it by hand once
    # qemu sits in the host's openat for the fifo (system call 257 on
    # x86_64, 56 on aarch64), or after 10 seconds where /proc/PID/syscall
    # says otherwise, and only if that pid is still a qemu (never a reused
    # pid). fd 3 is closed so bats does not wait for this helper.
    ( for _ in $(seq 100); do [ -s "$QPIDFILE" ] && break; sleep 0.1; done
      pid=$(cat "$QPIDFILE") nr=
      for _ in $(seq 100); do
          { read -r nr _ < "/proc/$pid/syscall"; } 2>/dev/null
          case $nr in 257|56) break ;; esac
          sleep 0.1
      done
      [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = qemu-i386 ] &&
          kill -INT "$pid" ) 3>&- &
    run -0 session -ex continue -ex continue -ex heap \
        read-records "$BATS_TEST_TMPDIR/fifo"
    assert_line 'Program received signal SIGINT, Interrupt.'
    assert_line 'totals: used 328, free 0, headers 8, largest free 0'
    qemu_gone
}

@test "under qemu 7.2, stepi over int \$0x80 also runs the next instruction" {
    # A qemu-user quirk docs/gdb.md warns about. Step from allocate's entry
    # to its brk system call (int $0x80 is the bytes cd 80), then once more.
    cat > "$BATS_TEST_TMPDIR/to-int80.gdb" <<'GDB'
continue
set var $n = 0
while *(unsigned short *)$pc != 0x80cd && $n < 500
  stepi
  set var $n = $n + 1
end
set var $at_int = $pc
stepi
printf "moved %d bytes\n", $pc - $at_int
GDB
    run -0 session -x "$BATS_TEST_TMPDIR/to-int80.gdb" read-records "$DATA"
    # int $0x80 is 2 bytes and the cmpl %ebx,%eax after it 2 more.
    assert_line 'moved 4 bytes'
}

@test "cframe at _start shows argc and argv as the kernel left them" {
    run -0 session -ex cframe read-records "$DATA"
    assert_line --regexp '^cframe: _start  \(the entry point: the kernel, not a call, left this stack\)$'
    assert_line --regexp '^  0x[0-9a-f]{8}  \+0\(%esp\)    0x00000002  argc = 2  <- %esp$'
    assert_line --regexp '^  0x[0-9a-f]{8}  \+12\(%esp\)   0x00000000  argv\[2\] = NULL$'
    refute_line --partial 'return address'
}

@test "a session on the dynamically linked hello-dynamic stops in ld-linux and can break on main" {
    [ -x "$BUILD/hello-dynamic" ] || skip "gcc-multilib not installed: no build/hello-dynamic"
    run -0 session -ex 'break main' -ex continue hello-dynamic
    assert_line 'memkit: no allocator in this program, no breakpoints set'
    assert_line --regexp '^Breakpoint 1, main \(\) at examples/hello-dynamic\.c:[0-9]+$'
}

@test "heap stops with a message at a header whose size is not a multiple of 8" {
    run -0 session -ex continue -ex finish \
        -ex 'set var *(int *)((int)heap_begin + 4) = 13' -ex heap \
        read-records "$DATA"
    assert_line --regexp '^heap: begin 0x[0-9a-f]{8}  break 0x[0-9a-f]{8}  \(336 bytes, 0 blocks\)$'
    assert_line --regexp '^heap: corrupt header at 0x[0-9a-f]{8}: size is not a multiple of 8; stopping$'
    refute_line --partial 'totals:'
    refute_line --regexp '^  \+0x'
}

# blocks_of TEXT — the block rows and the totals of a heap listing, with
# the addresses (which differ between two programs) left out.
blocks_of() {
    awk '/^  \+0x/ { print $1, $4, $5 } /^totals:/' <<< "$1"
}

@test "heap reads segfit's, buddy's and tlsf's blocks through their memkit_layout, as heap-map does" {
    skip_if_withheld asm/allocators/segfit.s asm/allocators/buddy.s asm/allocators/tlsf.s
    local a gdb_rows map_rows
    for a in segfit buddy tlsf; do
        run -0 session -ex continue -ex finish -ex heap \
            "$BUILD/alloc/$a/read-records" "$DATA"
        gdb_rows=$(blocks_of "$output")
        run -0 "$MEMKIT_ROOT/tools/run-i386" "$BUILD/alloc/$a/heap-map" i a324
        map_rows=$(blocks_of "$(sed -n '/^== step 2:/,$p' <<< "$output")")
        [ -n "$gdb_rows" ]
        assert_equal "$gdb_rows" "$map_rows"
    done
}

@test "heap stops at a segfit header whose size runs past the break" {
    skip_if_withheld asm/allocators/segfit.s
    run -0 session -ex continue -ex finish \
        -ex 'set var *(int *)((int)heap_begin + 4) = 0x7ffffff0' -ex heap \
        "$BUILD/alloc/segfit/read-records" "$DATA"
    assert_line --regexp '^heap: begin 0x[0-9a-f]{8}  break 0x[0-9a-f]{8}  \(848 bytes, 0 blocks\)$'
    assert_line --regexp '^heap: corrupt header at 0x[0-9a-f]{8}: size runs past the break; stopping$'
    refute_line --partial 'totals:'
}

@test "make gdb ALLOC=segfit debugs the program linked with segfit and reads its heap" {
    skip_if_withheld asm/allocators/segfit.s
    run -0 no_stray_qemu timeout --kill-after=5 40 make -s -C "$MEMKIT_ROOT" QEMU="$QEMU" \
        gdb PROG=read-records ALLOC=segfit ARGS="$DATA" <<< $'continue\nfinish\nheap'
    assert_line --regexp '^Breakpoint 1, allocate \(\) at build/alloc/segfit/alloc\.s:[0-9]+$'
    assert_line --regexp '^  \+0x0004  0x[0-9a-f]{8}  0x[0-9a-f]{8}   324  used$'
    assert_line 'totals: used 324, free 508, headers 16, largest free 508'
    qemu_gone
}

@test "heap totals tell the largest free block from all free bytes" {
    # read-records' 336-byte heap rewritten as four blocks:
    #   free 8 | used 8 | free 16 | used 272
    run -0 session -ex continue -ex finish \
        -ex 'set var $h = (int)heap_begin' \
        -ex 'set var *(int *)$h = 1'         -ex 'set var *(int *)($h + 4) = 8' \
        -ex 'set var *(int *)($h + 16) = 0'  -ex 'set var *(int *)($h + 20) = 8' \
        -ex 'set var *(int *)($h + 32) = 1'  -ex 'set var *(int *)($h + 36) = 16' \
        -ex 'set var *(int *)($h + 56) = 0'  -ex 'set var *(int *)($h + 60) = 272' \
        -ex heap read-records "$DATA"
    assert_line --regexp '^heap: begin 0x[0-9a-f]{8}  break 0x[0-9a-f]{8}  \(336 bytes, 4 blocks\)$'
    assert_line --regexp '^  \+0x0000  0x[0-9a-f]{8}  0x[0-9a-f]{8}     8  free$'
    assert_line --regexp '^  \+0x0010  0x[0-9a-f]{8}  0x[0-9a-f]{8}     8  used$'
    assert_line --regexp '^  \+0x0020  0x[0-9a-f]{8}  0x[0-9a-f]{8}    16  free$'
    assert_line --regexp '^  \+0x0038  0x[0-9a-f]{8}  0x[0-9a-f]{8}   272  used$'
    assert_line 'totals: used 280, free 24, headers 32, largest free 16'
}

@test "cframe prints one argument row per argument: one for allocate, argc + 1 argv rows at _start" {
    run -0 session -ex continue -ex 'stepi 2' -ex cframe read-records "$DATA"
    [ "$(grep -c '  argument [0-9]' <<< "$output")" -eq 1 ]
    run -0 session -ex 'cframe' read-records "$DATA"
    [ "$(grep -Ec '  argv\[[0-9]+\]( |$)' <<< "$output")" -eq 3 ]     # argv[0], [1], NULL
    run -0 session -ex 'cframe' read-records
    [ "$(grep -Ec '  argv\[[0-9]+\]( |$)' <<< "$output")" -eq 2 ]     # argv[0], NULL
}

@test "records decodes every field: first and last name, the address with its newline, the age" {
    run -0 session -ex continue -ex continue \
        -ex 'records *(int *)($esp + 4)' read-records "$DATA"
    assert_line '  firstname  "Derrick"'
    assert_line '  lastname   "McIntire"'
    assert_line '  address    "500 W Oakland\nSan Diego, CA 54321"'
    assert_line '  age        36'
    [ "$(grep -c '^  [a-z]* ' <<< "$output")" -ge 4 ]
}

# ------------------------------------------------ owner and heap --svg

# footer_driver — the trace driver linked with the fixture allocator whose
# memkit_layout has footers (tests/fixtures/broken-trace/footer.s), and a
# three-op trace for it, in $BATS_TEST_TMPDIR.
footer_driver() {
    local dir="$FIXTURES/broken-trace"
    "${CROSS}as" --32 -I "$dir" -o footer.o "$dir/footer.s" &&
    link_trace_driver td-footer footer.o &&
    printf '0\n3\n3\n1\na 0 16\na 1 5\nf 0\n' > f.rep
}

@test "owner tells a payload byte from a header byte and from the break" {
    run -0 session -ex continue -ex finish -ex 'owner $eax' \
        -ex 'owner $eax-3' -ex 'owner $eax+327' -ex 'owner $eax+328' \
        -ex 'owner $eax+333' -ex 'owner (int)heap_begin-1' \
        read-records "$DATA"
    local h='0x[0-9a-f]{8}'
    assert_line --regexp "^$h: payload\+0 in used block at $h \(328-byte payload\)$"
    assert_line --regexp "^$h: header\+5 in used block at $h \(328-byte payload\)$"
    assert_line --regexp "^$h: payload\+327 in used block at $h \(328-byte payload\)$"
    assert_line --regexp "^$h: outside the heap, current_break\+0 \(the break is $h\)$"
    assert_line --regexp "^$h: outside the heap, current_break\+5 \(the break is $h\)$"
    assert_line --regexp "^$h: outside the heap, heap_begin-1 \(heap_begin is $h\)$"
}

@test "owner calls the payload of a freed block free space" {
    run -0 session -ex continue -ex continue -ex finish \
        -ex 'owner (int)heap_begin+8' read-records "$DATA"
    assert_line --regexp '^0x[0-9a-f]{8}: free space\+0 in free block at 0x[0-9a-f]{8} \(328-byte payload\)$'
}

@test "owner cannot tell past a corrupt header, and says where the walk stopped" {
    run -0 session -ex continue -ex finish \
        -ex 'set var *(int *)(int)heap_begin = 7' -ex 'owner $eax' \
        read-records "$DATA"
    assert_line --regexp '^0x[0-9a-f]{8}: cannot tell: the heap walk stopped at 0x[0-9a-f]{8} \(flag is neither 0 nor 1\), before reaching it$'
}

@test "owner without an address prints its usage; before allocate_init it says so" {
    run -0 session -ex owner -ex 'owner 0x1000' read-records "$DATA"
    assert_line 'usage: owner ADDRESS'
    assert_line '0x00001000: the heap is not initialised (heap_begin is 0)'
}

@test "owner and heap --svg read the allocator's memkit_layout: footers" {
    footer_driver
    run -0 session -ex continue -ex continue -ex continue -ex finish \
        -ex 'owner (int)heap_begin+26' -ex 'owner (int)heap_begin+32' \
        -ex "heap --svg $BATS_TEST_TMPDIR/f.svg" \
        "$BATS_TEST_TMPDIR/td-footer" --no-fork f.rep
    local h='0x[0-9a-f]{8}'
    assert_line --regexp "^$h: footer\+2 in free block at $h \(16-byte payload\)$"
    assert_line --regexp "^$h: header\+0 in used block at $h \(8-byte payload\)$"
    grep -q '<g data-row="0" data-off="0" data-size="32" data-state="free">' f.svg
    grep -q '<g data-row="0" data-off="32" data-size="24" data-state="used">' f.svg
}

@test "heap --svg never writes through a planted FILE.part and refuses a read-only picture" {
    echo precious > victim
    ln -s victim pic.svg.part
    echo old > ro.svg && chmod 444 ro.svg
    run -0 session -ex continue -ex finish \
        -ex "heap --svg $BATS_TEST_TMPDIR/pic.svg" \
        -ex "heap --svg $BATS_TEST_TMPDIR/ro.svg" read-records "$DATA"
    assert_line "heap: wrote $BATS_TEST_TMPDIR/pic.svg (1 blocks)"
    assert_line "heap: cannot write $BATS_TEST_TMPDIR/ro.svg: Permission denied (it is read-only)"
    assert_equal "$(cat victim)" precious
    assert_equal "$(cat ro.svg)" old
    run -0 xmllint --noout pic.svg
}

@test "heap --svg writes a picture an XML parser accepts and rsvg-convert renders" {
    run -0 session -ex continue -ex finish \
        -ex "heap --svg $BATS_TEST_TMPDIR/heap now.svg" read-records "$DATA"
    assert_line "heap: wrote $BATS_TEST_TMPDIR/heap now.svg (1 blocks)"
    run -0 xmllint --noout "heap now.svg"
    grep -q '<g data-row="0" data-off="0" data-size="336" data-state="used">' "heap now.svg"
    run -0 rsvg-convert -o heap.png "heap now.svg"
    [ "$(stat -c %s heap.png)" -gt 2000 ]
    [ -z "$(find . -name '.heap-svg.*' -o -name '*.part')" ]
}

@test "heap --svg draws a corrupt header in red and says where the walk stopped" {
    run -0 session -ex continue -ex finish \
        -ex 'set var *(int *)((int)heap_begin + 4) = 0x7ffffff8' \
        -ex "heap --svg $BATS_TEST_TMPDIR/bad.svg" read-records "$DATA"
    assert_line --regexp '^heap: wrote .*/bad\.svg \(0 blocks, walk stopped at 0x[0-9a-f]{8}: size runs past the break\)$'
    grep -q '<rect class="corrupt" [^>]*><title>size runs past the break</title>' bad.svg
    run -0 xmllint --noout bad.svg
}
