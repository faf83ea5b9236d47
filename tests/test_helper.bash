# test_helper.bash — loaded by every memkit .bats file (`load test_helper`).
#
# Provides bats-support/bats-assert, the paths of the kit, and i386: run a
# kit binary under qemu-i386 (or natively when QEMU is set and empty),
# with core dumps off and a timeout, through tools/run-i386.

bats_load_library bats-support
bats_load_library bats-assert

MEMKIT_ROOT="$(cd "$BATS_TEST_DIRNAME/.." && pwd)"
BUILD="$MEMKIT_ROOT/build"
FIXTURES="$BATS_TEST_DIRNAME/fixtures"
# ABUILD — where the programs built against the chosen allocator live:
# build/ for the reference, build/alloc/TAG/ for `make test ALLOC=...`
# (the Makefile exports MEMKIT_ALLOC_TAG). Tests of any allocator's
# contract use ABUILD; tests that pin the reference's exact behaviour use
# BUILD, so a student's better allocator never fails them.
case "${MEMKIT_ALLOC_TAG:-ref}" in
    ref) ABUILD="$BUILD" ;;
    *)   ABUILD="$BUILD/alloc/$MEMKIT_ALLOC_TAG" ;;
esac
export QEMU="${QEMU-qemu-i386}"

# The suite may itself run under make, with whatever flags its caller
# gave (`make -s test`, `make -k -C DIR test`): a make the tests run must
# behave the same either way, so the outer make's options are dropped
# (no -s silencing the commands a test looks for, no -w adding "Entering
# directory" lines) and of its variables only the two that choose what
# the suite tests are kept: ALLOC=... and QEMU=.
# (Variables come after " -- " in MAKEFLAGS, a space inside one escaped
# as "\ "; options go before.)
memkit_makeflags() {
    local - vars word keep=()
    set -f                      # a word is never a glob
    case " ${MAKEFLAGS:-} " in
        *" -- "*) vars=${MAKEFLAGS#*-- } ;;
        *)        vars= ;;
    esac
    vars=${vars//\\ /$'\001'}
    for word in $vars; do
        case "$word" in
            ALLOC=*|QEMU=*) keep+=("${word//$'\001'/\\ }") ;;
        esac
    done
    MAKEFLAGS="--no-print-directory${keep[*]:+ -- ${keep[*]}}"
}
memkit_makeflags
export MAKEFLAGS
unset MFLAGS MAKELEVEL
# Nor may the caller's environment steer what a test checks: the make
# variables and kit settings a test means to set, it sets itself.
unset FORMAT RESULTS TIMEOUT PROG ARGS ONLY OUT TRACE \
      MEMKIT_TIMEOUT MEMKIT_TRACE MEMKIT_TRACE_OUT MEMKIT_LIB MEMKIT_DEMO_DIR \
      MEMKIT_HOST_ARCH MEMKIT_STDIN MEMKIT_ARGS MEMKIT_ABUILD \
      MEMKIT_BOOTSTRAP_ROOT MEMKIT_GDB_TIMEOUT MEMKIT_QEMU_PIDFILE \
      MEMKIT_TEST_JOBS MEMKIT_KILL_AFTER MEMKIT_LEAKS VALGRIND

# CROSS — the prefix of the binutils the Makefile picks on this host, for
# tests that assemble, link or inspect by hand: none on x86, the i686 cross
# tools (binutils-i686-linux-gnu) anywhere else. tools/host.sh decides,
# for the Makefile's HOST, bootstrap and run-i386 alike.
. "$MEMKIT_ROOT/tools/host.sh"
CROSS=$MEMKIT_CROSS
READELF=${CROSS}readelf
NM=${CROSS}nm

# i386 PROG [ARGS...] — PROG is a name in build/ (read-records) or a path.
i386() {
    local prog=$1; shift
    case "$prog" in */*) ;; *) prog="$BUILD/$prog" ;; esac
    "$MEMKIT_ROOT/tools/run-i386" "$prog" "$@"
}

# skip_unless_native — skip this test unless the host runs i386 binaries
# itself (QEMU=): an x86 kernel with IA32 emulation. tools/host.sh probes
# with a tiny i386 program rather than trusting uname alone, and
# MEMKIT_NATIVE=no makes every such test skip on any host.
# Call it in the test's own shell, never in a subshell: bats' skip only
# works there.
skip_unless_native() {
    case "$MEMKIT_HOST" in
        x86_64|i?86) ;;
        *) skip "native i386 needs an x86 host" ;;
    esac
    memkit_native || skip "this kernel cannot run i386 binaries natively"
}

# user_bats ARGS... — bats run from inside a test the way a user runs it.
# The outer bats puts its libexec/ first on PATH, where `bats` is the
# inner script that works only with functions the outer one exported
# (under nested emulation they did not arrive: "bats_readlinkf: command
# not found"); the PATH without it finds the bats a user runs.
user_bats() {
    local path
    path=$(tr ':' '\n' <<<"$PATH" | grep -v '/bats-core' | paste -sd: -)
    PATH=$path bats "$@"
}

# memkit_setup — run each test in its own scratch directory, so programs
# that write test.dat by default never touch the work tree.
memkit_setup() {
    ulimit -Sc 0         # soft only: a test may raise it again
    cd "$BATS_TEST_TMPDIR" || return 1
}

# link_parts TARGET OUT OBJ... — a kit program linked by hand with the
# allocator object(s) OBJ, from the objects `make` left in build/obj/
# that `make TARGET` lists, as the Makefile links them.
link_parts() {
    local target=$1 out=$2 objs=() o
    shift 2
    for o in $(make -s -C "$MEMKIT_ROOT" "$target"); do
        objs+=("$MEMKIT_ROOT/$o")
    done
    [ ${#objs[@]} -gt 0 ] || { echo "make $target listed nothing" >&2; return 1; }
    "${CROSS}ld" -m elf_i386 -static --fatal-warnings -o "$out" "${objs[@]}" "$@"
}

# link_trace_driver OUT OBJ... — the trace driver: the runtime and the
# driver's parts (make driver-parts: HARNESS_RT and DRIVER_PARTS).
link_trace_driver() {
    link_parts driver-parts "$@"
}

# link_contract OUT OBJ... — alloc-test, the allocator contract: the
# runtime and its parts (make contract-parts: HARNESS_RT and
# CONTRACT_PARTS).
link_contract() {
    link_parts contract-parts "$@"
}

# save_declared_runs NAME... — in setup_file: run alloc-test of
# build/alloc/NAME/ once for each NAME (one that is not built, withheld
# from a handout, is left out) with the cases of its plain run that are
# not universal: those --list-all marks with what they need, a declared
# property or an export (make check, tests/check.bats, runs the rest).
# Its output goes into $BATS_FILE_TMPDIR/NAME.out, its exit status into
# NAME.rc, the IDs into NAME.ids; saved NAME then reads the output back
# as a test's $output and $lines, for the many tests that read one run.
save_declared_runs() {
    local a prog rc ids
    for a in "$@"; do
        prog=$BUILD/alloc/$a/alloc-test
        [ -f "$prog" ] || continue
        ids=$("$MEMKIT_ROOT/tools/run-i386" "$prog" --list | cut -d' ' -f1 |
              grep -Fx -f <("$MEMKIT_ROOT/tools/run-i386" "$prog" --list-all |
                            sed -n 's/^\([^ ]*\) .* \[[^]]*\]$/\1/p'))
        echo "$ids" > "$BATS_FILE_TMPDIR/$a.ids"
        rc=0
        "$MEMKIT_ROOT/tools/run-i386" "$prog" $ids \
            > "$BATS_FILE_TMPDIR/$a.out" 2>&1 || rc=$?
        echo "$rc" > "$BATS_FILE_TMPDIR/$a.rc"
    done
}

saved() {
    output=$(cat "$BATS_FILE_TMPDIR/$1.out") || return 1
    mapfile -t lines <<<"$output"
}

# declared_cases ALLOC-TEST — for each property ALLOC-TEST (a path)
# declares, a line "PROPERTY ID..." naming the cases a plain run runs for
# it: those --list-all says check it ("[needs PROPERTY" or ", needs
# PROPERTY") that --list names (the allocator's exports allow them). A
# property with no such case is a line of its name alone.
declared_cases() {
    local props all listed p
    props=$("$MEMKIT_ROOT/tools/run-i386" "$1" --props) || return 1
    all=$("$MEMKIT_ROOT/tools/run-i386" "$1" --list-all) || return 1
    listed=$("$MEMKIT_ROOT/tools/run-i386" "$1" --list | cut -d' ' -f1) || return 1
    for p in $props; do
        echo "$p" $(awk -v p="$p" 'index($0, "needs " p "]") || index($0, "needs " p ",") { print $1 }' <<<"$all" |
                    grep -Fx -f <(printf '%s\n' "$listed"))
    done
}

# skip_if_withheld PATH... — skip this test when a course handout left
# one of these kit files out: `make handout` lists what it withheld in
# course/withheld-files (tools/course/handout.sh). In the full kit there
# is no such list and nothing is skipped: a missing file is a failure.
skip_if_withheld() {
    local list="$MEMKIT_ROOT/course/withheld-files" p
    [ -f "$list" ] || return 0
    for p in "$@"; do
        if grep -qxF -- "$p" "$list"; then
            skip "withheld from the handout: $p"
        fi
    done
}

# withheld_count GLOB — how many of the kit's files matching GLOB (a
# shell pattern, * crossing /) the handout withheld; 0 in the full kit.
withheld_count() {
    local list="$MEMKIT_ROOT/course/withheld-files" p n=0
    [ -f "$list" ] || { echo 0; return 0; }
    while IFS= read -r p; do
        [[ "$p" == $1 ]] && n=$((n + 1))
    done < "$list"
    echo "$n"
}

# skip_if_crash_hangs — skip this test where qemu-i386 never ends a
# program that crashes. Seen with qemu-i386 nested in qemu-aarch64 (an
# aarch64 host emulated on x86, tools/arm64-sandbox): it prints
# "uncaught target signal 11" and then waits in sigsuspend for a signal
# that the outer emulator never delivers, so every test of a crash meets
# only its timeout. A real kernel or a single qemu ends the program with
# the signal. Detected, not assumed: the smallest crashing i386 program
# (tools/host.sh's probe with its exit(42) replaced by a load from
# address 0) runs under $QEMU, bounded; only when it outlives the bound is
# the test skipped. Natively (QEMU=) the kernel ends it: never skipped.
# The answer is kept for the whole run. Call it in the test's own shell.
skip_if_crash_hangs() {
    [ -n "$QEMU" ] || return 0
    local cache="$BATS_RUN_TMPDIR/memkit-crash-probe" probe rc
    if [ ! -f "$cache" ]; then
        probe=$(mktemp "$BATS_RUN_TMPDIR/crash-probe.XXXXXX")
        memkit_write_probe "$probe.tmp"
        # movl 0, %eax (a1 00000000), then nops to keep the 96 bytes
        { head -c 84 "$probe.tmp"
          printf '\241\000\000\000\000\220\220\220\220\220\220\220'; } > "$probe"
        rm -f "$probe.tmp"
        chmod 700 "$probe"
        rc=0
        (ulimit -c 0; exec timeout --kill-after=2 "${MEMKIT_CRASH_PROBE_TIMEOUT:-15}" \
            $QEMU "$probe") >/dev/null 2>&1 || rc=$?
        rm -f "$probe"
        echo "$rc" > "$cache.$$" && mv "$cache.$$" "$cache"
    fi
    rc=$(cat "$cache")
    case "$rc" in
        124|137) skip "qemu-i386 here never ends a program that crashes (it hangs after 'uncaught target signal': nested emulation)" ;;
    esac
}

# skip_if_exec_drops_ignored_xfsz — skip this test where a program
# started through exec does not inherit an ignored SIGXFSZ. The tests
# that fill a file up to `ulimit -f` ignore SIGXFSZ (trap "") so that the
# write fails with EFBIG, as on a full disk, and the kit's program reports
# it; POSIX keeps an ignored signal ignored across exec. Under user-mode
# emulation of the whole host (tools/arm64-sandbox: every aarch64 program
# runs under qemu-aarch64) the emulator keeps a handler of its own where
# the guest asked for SIG_IGN, and exec resets that to the default: the
# program then dies of SIGXFSZ (status 153) instead. Detected with the
# host's own programs, no kit code: bash ignores SIGXFSZ, limits files to
# 1 KiB and execs sh, which execs head to write 4 KiB; head must see EFBIG
# (exit 1), not die of the signal.
skip_if_exec_drops_ignored_xfsz() {
    local rc=0
    bash -c 'trap "" XFSZ; ulimit -f 1; exec sh -c "exec head -c 4096 /dev/zero > \"\$1\"" sh "$1"' \
        _ "$BATS_TEST_TMPDIR/xfsz-probe" 2>/dev/null || rc=$?
    rm -f "$BATS_TEST_TMPDIR/xfsz-probe"
    [ "$rc" -ne 153 ] ||
        skip "an ignored SIGXFSZ is not inherited through exec here (user-mode emulation of the host): the program dies of it instead of seeing EFBIG"
}
