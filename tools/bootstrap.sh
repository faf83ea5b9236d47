#!/bin/sh
# bootstrap.sh — find the tools memkit needs and install the missing ones.
#
#   tools/bootstrap.sh           install what is missing (apt-get; sudo when not root)
#   tools/bootstrap.sh --check   only report; exit 1 when something is missing
#
# Every check names the Debian package that provides the tool, so the
# report doubles as the install line. Nothing is installed when all is
# present, so `make test` stays fast on a machine that is already set up.

set -u

mode=install
[ "${1:-}" = "--check" ] && mode=check

host=$(uname -m)
case "$host" in
    x86_64|i?86) cross="" ;;
    *)           cross="i686-linux-gnu-" ;;
esac

missing=""      # packages to install, space separated
report=""       # one line per tool, printed in --check mode

add_missing() {
    case " $missing " in
        *" $1 "*) ;;
        *) missing="${missing:+$missing }$1" ;;
    esac
}

# have_cmd COMMAND PACKAGE — is COMMAND on PATH?
have_cmd() {
    if command -v "$1" >/dev/null 2>&1; then
        report="$report
  ok       $1"
    else
        report="$report
  MISSING  $1  (Debian package $2)"
        add_missing "$2"
    fi
}

# have_file PATH WHAT PACKAGE — does PATH exist?
have_file() {
    if [ -e "$1" ]; then
        report="$report
  ok       $2"
    else
        report="$report
  MISSING  $2  (Debian package $3)"
        add_missing "$3"
    fi
}

# Tools the build, the demo and the tests run.
have_cmd make make
have_cmd timeout coreutils
have_cmd qemu-i386 qemu-user
have_cmd bats bats
have_file /usr/lib/bats/bats-support/load.bash bats-support bats-support
have_file /usr/lib/bats/bats-assert/load.bash bats-assert bats-assert
have_cmd gdb-multiarch gdb-multiarch
have_cmd valgrind valgrind
have_cmd gnuplot gnuplot-nox
# The heap picture's tests: a real XML parser and a real SVG renderer.
have_cmd xmllint libxml2-utils
have_cmd rsvg-convert librsvg2-bin

if [ -z "$cross" ]; then
    have_cmd as binutils
    have_cmd ld binutils
    have_cmd objdump binutils
    have_cmd gcc gcc
    have_cmd strace strace      # QEMU= runs natively and traces with strace(1)
    # gcc -m32 compiles freestanding code without multilib, but the
    # dynamically linked comparison program needs the i386 libc and crt files.
    have_file /usr/lib32/crt1.o "gcc -m32 (i386 libc, crt1.o)" gcc-multilib
else
    have_cmd "${cross}as" "binutils-$(echo "$cross" | sed 's/-$//')"
    have_cmd "${cross}ld" "binutils-$(echo "$cross" | sed 's/-$//')"
    have_cmd "${cross}objdump" "binutils-$(echo "$cross" | sed 's/-$//')"
    have_cmd "${cross}gcc" "gcc-$(echo "$cross" | sed 's/-$//')"
    have_file /usr/i686-linux-gnu/lib/crt1.o "i386 libc for the cross gcc" libc6-dev-i386-cross
fi

# The command a person would type: each apt-get needs root on its own.
install_line() {
    echo "$1apt-get update && $1apt-get install -y --no-install-recommends $missing"
}

if [ "$mode" = check ]; then
    echo "memkit toolchain on $host:$report"
    if [ -n "$missing" ]; then
        echo "Missing packages. Install them with:"
        echo "  $(install_line "sudo ")"
        exit 1
    fi
    echo "Everything memkit needs is installed."
    exit 0
fi

[ -z "$missing" ] && exit 0

echo "bootstrap: installing missing Debian packages: $missing"
if [ "$(id -u)" -eq 0 ]; then
    sudo=""
elif command -v sudo >/dev/null 2>&1; then
    # -n: never wait for a password on a terminal nobody is watching (CI).
    if [ -t 0 ]; then sudo="sudo"; else sudo="sudo -n"; fi
else
    echo "bootstrap: not root and sudo is not installed. As root, run:" >&2
    echo "  $(install_line "")" >&2
    exit 1
fi

if $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq &&
   $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing; then
    echo "bootstrap: done."
    exit 0
fi

echo "bootstrap: could not install the packages. Run this, then try again:" >&2
echo "  $(install_line "sudo ")" >&2
exit 1
