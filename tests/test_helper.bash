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

# The suite may itself run under make (`make -C DIR test` passes -w on):
# a make the tests run must not add "Entering directory" lines to the
# output they compare. Everything else the outer make passes (ALLOC=...)
# is kept.
# (Variables come after " -- " in MAKEFLAGS; the option goes before.)
case " ${MAKEFLAGS:-} " in
    *" -- "*) MAKEFLAGS="${MAKEFLAGS%%-- *}--no-print-directory -- ${MAKEFLAGS#*-- }" ;;
    *)        MAKEFLAGS="${MAKEFLAGS:-} --no-print-directory" ;;
esac
export MAKEFLAGS

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
# itself (QEMU=): an x86 kernel with IA32 emulation. Probes with a small
# kit program rather than trusting uname alone.
skip_unless_native() {
    case "$MEMKIT_HOST" in
        x86_64|i?86) ;;
        *) skip "native i386 needs an x86 host" ;;
    esac
    QEMU= "$MEMKIT_ROOT/tools/run-i386" "$BUILD/book-caller" >/dev/null 2>&1 ||
        skip "this kernel cannot run i386 binaries natively"
}

# memkit_setup — run each test in its own scratch directory, so programs
# that write test.dat by default never touch the work tree.
memkit_setup() {
    ulimit -Sc 0         # soft only: a test may raise it again
    cd "$BATS_TEST_TMPDIR" || return 1
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
