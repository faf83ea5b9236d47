#!/bin/sh
# bootstrap.sh — find the tools memkit needs and install the missing ones.
#
#   tools/bootstrap.sh [GROUP...]          install what GROUPs miss (apt-get;
#                                          sudo when not root)
#   tools/bootstrap.sh --check [GROUP...]  only report; exit 1 when something
#                                          is missing
#
# Each make target asks only for the tools it uses:
#
#   build   assembler, linker, gcc, qemu-i386,  make, make demo
#           the host's gcc (the qemu plugin)
#   test    build + bats and its libraries, gdb-multiarch, readelf/nm,
#           strace on x86                       make test
#   debug   build + gdb-multiarch, strace on x86   make gdb, make strace
#   bench   build + nm, gnuplot                 make bench (valgrind is
#                                               optional: a cross-check)
#   grade   build + nm, jq                      the course autograders
#                                               setup.sh (docs/teaching.md)
#   all     every group (the default)           make deps, make check-toolchain
#
# Every check names the Debian package that provides the tool, so the
# report doubles as the install line. Nothing is installed when all is
# present, so `make test` stays fast on a machine that is already set up.
# After installing, every tool is checked again: an apt-get that exits 0
# without providing a tool is still a failure. MEMKIT_HOST_ARCH stands in
# for `uname -m` (tools/host.sh), MEMKIT_BOOTSTRAP_ROOT for / when files are
# looked for.

set -u

mode=install
if [ "${1:-}" = "--check" ]; then
    mode=check
    shift
fi
[ $# -gt 0 ] || set -- all

. "$(dirname "$0")/host.sh"
host=$MEMKIT_HOST
cross=$MEMKIT_CROSS

for group in "$@"; do
    case "$group" in
        build|test|debug|bench|grade|all) ;;
        *) echo "bootstrap: unknown group '$group' (build, test, debug, bench, grade, all)" >&2
           exit 2 ;;
    esac
done

missing=""      # packages to install, space separated
report=""       # one line per tool, printed in --check mode
checked=" "     # tools already checked, so a shared one is listed once

add_missing() {
    case " $missing " in
        *" $1 "*) ;;
        *) missing="${missing:+$missing }$1" ;;
    esac
}

# once NAME — true the first time NAME is seen.
once() {
    case "$checked" in
        *" $1 "*) return 1 ;;
    esac
    checked="$checked$1 "
}

# have_cmd COMMAND PACKAGE — is COMMAND on PATH?
have_cmd() {
    once "$1" || return 0
    if command -v "$1" >/dev/null 2>&1; then
        report="$report
  ok       $1"
    else
        report="$report
  MISSING  $1  (Debian package $2)"
        add_missing "$2"
    fi
}

# have_file PATH WHAT PACKAGE — does PATH exist? MEMKIT_BOOTSTRAP_ROOT
# stands in for / (tests set up a machine's files in a scratch folder).
have_file() {
    once "$1" || return 0
    if [ -e "${MEMKIT_BOOTSTRAP_ROOT:-}$1" ]; then
        report="$report
  ok       $2"
    else
        report="$report
  MISSING  $2  (Debian package $3)"
        add_missing "$3"
    fi
}

cross_pkg=$(echo "$cross" | sed 's/-$//')     # i686-linux-gnu

# The build: binutils and gcc for i386, qemu-i386 to run the programs.
check_build() {
    have_cmd make make
    have_cmd timeout coreutils
    have_cmd qemu-i386 qemu-user
    have_cmd patch patch        # the broken test allocators (mk/fixtures.mk)
    if [ -z "$cross" ]; then
        have_cmd as binutils
        have_cmd ld binutils
        have_cmd objdump binutils
        have_cmd gcc gcc
        # gcc -m32 compiles freestanding code without multilib, but the
        # dynamically linked comparison program needs the i386 libc.
        have_file /usr/lib32/crt1.o "gcc -m32 (i386 libc, crt1.o)" gcc-multilib
    else
        have_cmd "${cross}as" "binutils-$cross_pkg"
        have_cmd "${cross}ld" "binutils-$cross_pkg"
        have_cmd "${cross}objdump" "binutils-$cross_pkg"
        have_cmd "${cross}gcc" "gcc-$cross_pkg"
        # The instruction counter is a qemu plugin: a host shared object,
        # built by the host's own gcc (mk/plugin.mk).
        have_cmd gcc gcc
        # gcc alone does not bring the host's C headers (libc6-dev is only
        # its recommendation); the plugin includes <stdio.h>.
        have_file /usr/include/stdio.h "the host's C headers (the qemu plugin)" libc6-dev
        # also the loader and libc qemu-i386 -L finds (QEMU_LD_PREFIX)
        have_file /usr/i686-linux-gnu/lib/crt1.o "i386 libc for the cross gcc" libc6-dev-i386-cross
    fi
}

# make gdb / make strace. QEMU= runs natively and traces with strace(1).
check_debug() {
    check_build
    have_cmd gdb-multiarch gdb-multiarch
    [ -n "$cross" ] || have_cmd strace strace
}

# The suite: everything debug needs (gdb.bats, strace.bats), bats, and the
# ELF readers the tests call.
check_test() {
    check_debug
    have_cmd bats bats
    have_file /usr/lib/bats/bats-support/load.bash bats-support bats-support
    have_file /usr/lib/bats/bats-assert/load.bash bats-assert bats-assert
    if [ -z "$cross" ]; then
        have_cmd readelf binutils
        have_cmd nm binutils
    else
        have_cmd "${cross}readelf" "binutils-$cross_pkg"
        have_cmd "${cross}nm" "binutils-$cross_pkg"
    fi
    have_cmd jq jq              # tests parse make check's results.json with it
    have_cmd python3 python3    # tools/doc-transcripts (tests/docs.bats)
    have_cmd qemu-x86_64 qemu-user  # examples/brk64.s (tests/brk64.bats)
    have_cmd ps procps          # tools/outside-view.sh (tests/outside-view.bats)
    have_cmd pmap procps
    have_cmd zip zip            # course.bats: make autograder's zip,
    have_cmd unzip unzip        # unpacked as Gradescope does
    have_cmd parallel parallel  # bats --jobs: the test files side by side
    # The heap picture's tests: a real XML parser and a real SVG renderer.
    have_cmd xmllint libxml2-utils
    have_cmd rsvg-convert librsvg2-bin
}

# What grading a submission needs (tools/course/grade.sh): the build,
# nm for tools/icount (the performance score's instruction counts) and
# jq to write the results.json.
check_grade() {
    check_build
    have_cmd "${cross}nm" "binutils${cross:+-$cross_pkg}"
    have_cmd jq jq
}
# make bench counts instructions with qemu-i386 and the kit's plugin
# (tools/icount, which reads the symbols with nm) on any host, and draws
# the charts with gnuplot. valgrind is not needed: where the kernel runs
# i386 natively, tests/icount.bats compares the plugin with callgrind if
# valgrind happens to be there.
check_bench() {
    check_build
    have_cmd "${cross}nm" "binutils${cross:+-$cross_pkg}"
    have_cmd gnuplot gnuplot-nox
    # make peers (tools/peers.sh, tools/fetch-i386-debs): Debian's i386
    # allocators, downloaded with a private apt and unpacked by dpkg-deb.
    have_cmd dpkg-deb dpkg
    have_file /usr/share/keyrings/debian-archive-keyring.gpg \
        "Debian's archive keys (make peers)" debian-archive-keyring
}

check_groups() {
    missing=""
    report=""
    checked=" "
    for group in "$@"; do
        case "$group" in
            build) check_build ;;
            test)  check_test ;;
            debug) check_debug ;;
            bench) check_bench ;;
            grade) check_grade ;;
            all)   check_test; check_bench ;;
        esac
    done
}

# How this user can run apt-get: "" as root, "sudo" (or "sudo -n" when
# nobody can type a password) otherwise; "none" without sudo.
uid=$(id -u 2>/dev/null) || uid=unknown
if [ "$uid" = 0 ]; then
    sudo=""
elif command -v sudo >/dev/null 2>&1; then
    # -n: never wait for a password on a terminal nobody is watching (CI).
    if [ -t 0 ]; then sudo="sudo"; else sudo="sudo -n"; fi
else
    sudo=none
fi

# install_line [PREFIX] — the command a person would type: each apt-get
# needs root on its own. Root types it as it is, anybody else through
# sudo: PREFIX defaults to "sudo " unless this is root.
install_line() {
    if [ $# -gt 0 ]; then p=$1
    elif [ "$uid" = 0 ]; then p=""
    else p="sudo "
    fi
    echo "${p}apt-get update && ${p}apt-get install -y --no-install-recommends $missing"
}

check_groups "$@"

# Whether QEMU= can work here: not a package, so it never counts as
# missing; everything runs under qemu-i386 either way.
native_line() {
    case "$host" in
        x86_64|i?86) ;;
        *) echo "  native i386: no (not an x86 host; every program runs under qemu-i386)"; return ;;
    esac
    if memkit_native; then
        echo "  native i386: yes (this kernel runs i386 binaries; QEMU= runs them natively)"
    else
        echo "  native i386: no (this kernel cannot run i386 binaries; every program runs under qemu-i386)"
    fi
}

if [ "$mode" = check ]; then
    echo "memkit toolchain on $host ($*):$report"
    native_line
    if [ -n "$missing" ]; then
        echo "Missing packages. Install them with:"
        echo "  $(install_line)"
        exit 1
    fi
    echo "Everything memkit needs is installed."
    exit 0
fi

[ -z "$missing" ] && exit 0

echo "bootstrap: installing missing Debian packages: $missing"
if [ "$sudo" = none ]; then
    echo "bootstrap: not root and sudo is not installed. As root, run:" >&2
    echo "  $(install_line "")" >&2
    exit 1
fi

if ! { $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq &&
       $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing; }; then
    echo "bootstrap: could not install the packages. Run this, then try again:" >&2
    echo "  $(install_line)" >&2
    exit 1
fi

# apt-get can succeed without providing a tool (a package that no longer
# ships it, a PATH without /usr/sbin): check again, and say what is left.
check_groups "$@"
if [ -n "$missing" ]; then
    echo "bootstrap: apt-get succeeded, but these are still missing:$(echo "$report" | grep MISSING)" >&2
    exit 1
fi
echo "bootstrap: done."
exit 0
