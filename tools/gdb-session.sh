#!/bin/bash
# gdb-session.sh — one command for a gdb session on a memkit program.
#
#   tools/gdb-session.sh [--batch] [-ex CMD]... [-x FILE]... PROG [ARGS...]
#
# Starts `qemu-i386 -g SOCKET PROG ARGS`, its gdbstub on a Unix socket in
# a private temporary directory (nothing listens on the network), then
# gdb-multiarch attached to it with the kit's commands tools/gdb/memkit.py
# and script tools/gdb/memkit.gdb (heap, brk, records, cframe;
# breakpoints on allocate/deallocate). PROG is a name in build/
# (read-records), build/NAME, or any path. `make gdb PROG=... ARGS=...`
# runs this.
#
#   --batch     no prompt: run the -ex/-x commands, then quit (tests, docs);
#               bounded by MEMKIT_GDB_TIMEOUT seconds (default 60)
#   -ex CMD     a gdb command to run after the session is set up
#   -x FILE     a file of gdb commands to run after the session is set up
#
# Environment: GDB (default gdb-multiarch), QEMU (default qemu-i386),
# MEMKIT_STDIN (a file for the program's stdin, default /dev/null),
# MEMKIT_QEMU_PIDFILE (write qemu's pid there, for tests that check it
# is gone afterwards).
#
# qemu shares the terminal's process group with gdb: Ctrl-C reaches qemu
# as a host SIGINT, which it reports to gdb as "Program received signal
# SIGINT" (even while the program waits in a system call), and gdb does
# not pass it on when you continue. qemu-i386 7.2 ignores gdb's own
# interrupt request, so this is the way Ctrl-C works. Whatever way this
# script ends (gdb quits, an error, Ctrl-C, hangup, a timeout), the EXIT
# trap kills the qemu it started, so no stray process is left. gdb keeps this
# script's stdin (the terminal, or a pipe of commands); the program reads
# /dev/null, or the file named by MEMKIT_STDIN.
set -u

KIT=$(cd "$(dirname "$0")/.." && pwd)
. "$KIT/tools/host.sh"      # QEMU_LD_PREFIX on a host that is not x86

# With stdin closed (a CI job or `make gdb <&-`), the first file gdb opens
# becomes its fd 0 and gdb runs that file's lines as commands (it read
# gconv-modules that way). Give it /dev/null instead: an empty command
# stream, so gdb quits.
(exec 3<&0) 2>/dev/null || exec </dev/null
GDB=${GDB:-gdb-multiarch}
QEMU=${QEMU-qemu-i386}
BATCH=
USER_CMDS=()

usage() {
    echo "usage: $0 [--batch] [-ex CMD]... [-x FILE]... PROG [ARGS...]" >&2
    exit 2
}

while [ $# -gt 0 ]; do
    case "$1" in
    --batch) BATCH=1; shift ;;
    -ex) [ $# -ge 2 ] || usage; USER_CMDS+=(-ex "$2"); shift 2 ;;
    -x)  [ $# -ge 2 ] || usage; USER_CMDS+=(-x "$2"); shift 2 ;;
    -h|--help) usage ;;
    -*) echo "$0: unknown option $1" >&2; usage ;;
    *) break ;;
    esac
done
[ $# -ge 1 ] || usage
. "$KIT/tools/find-prog.sh"
find_prog "$KIT" "$1" || exit 2
shift
# From make: the arguments come as one string in MEMKIT_ARGS.
if [ $# -eq 0 ] && [ -n "${MEMKIT_ARGS:-}" ]; then
    split_args "$MEMKIT_ARGS"
    set -- "${ARGV[@]}"
fi

if [ -z "$QEMU" ]; then
    echo "$0: gdb sessions need qemu's gdbstub; unset QEMU" >&2
    exit 2
fi
if [ -n "${MEMKIT_STDIN:-}" ] && [ ! -r "$MEMKIT_STDIN" ]; then
    echo "$0: cannot read MEMKIT_STDIN file $MEMKIT_STDIN" >&2
    exit 2
fi
for tool in "$QEMU" "$GDB"; do
    if ! command -v "$tool" >/dev/null; then
        echo "$0: $tool not found (make deps installs it)" >&2
        exit 2
    fi
done

# alive PID — the process exists and is not a zombie (kill -0 succeeds on
# a zombie, and an exited qemu that was not our child stays one here).
alive() {
    local st=
    [ -n "$1" ] && { read -r _ _ st _ < "/proc/$1/stat"; } 2>/dev/null
    [ -n "$st" ] && [ "$st" != Z ]
}

QPID=
cleanup() {
    if alive "$QPID"; then
        kill "$QPID" 2>/dev/null
        for _ in 1 2 3 4 5 6 7 8 9 10; do
            alive "$QPID" || break
            sleep 0.1
        done
        kill -9 "$QPID" 2>/dev/null
    fi
    [ -n "$QPID" ] && wait "$QPID" 2>/dev/null
    QPID=
}
# Until gdb starts, Ctrl-C or a hangup ends the script (and so qemu).
trap 'exit 130' INT
trap 'exit 143' TERM HUP

# The gdbstub listens on a Unix socket in a private directory, never on
# TCP: qemu-i386 7.2 binds a numeric -g PORT on every interface (0.0.0.0),
# so anyone who can reach the machine could attach first and take over
# the session. A socket path (qemu treats any -g argument that is not a
# number as one) is reachable only through the file system, and the
# directory is mode 0700. The socket's path must fit in a sockaddr_un
# (108 bytes), so a TMPDIR longer than 64 bytes is not used. (Spaces are
# fine: gdb takes the rest of `target remote`'s line as the path.)
#
# The path must also be unambiguous to both programs: qemu reads a -g
# argument that starts with digits as a TCP port (TMPDIR=5678tmp made it
# listen on 0.0.0.0:5678), and gdb reads any `target remote` argument
# with a ':' in it as HOST:PORT. So TMPDIR is made absolute (it starts
# with '/'), and one with a ':' (or too long) is not used: /tmp is.
tmp=${TMPDIR:-/tmp}
case "$tmp" in
    /*) ;;
    *)  tmp=$(cd -- "$tmp" 2>/dev/null && pwd) || tmp=/tmp ;;
esac
case "$tmp" in
    *:*) tmp=/tmp ;;
esac
[ "${#tmp}" -le 64 ] || tmp=/tmp
SOCKDIR=$(mktemp -d "$tmp/memkit-gdb.XXXXXX") || exit 1
SOCK=$SOCKDIR/gdbstub
case "$SOCK" in
    /*:*|[!/]*)
        echo "${0##*/}: refusing the gdbstub socket path $SOCK: it must be absolute and have no ':'" >&2
        rmdir "$SOCKDIR"
        exit 1 ;;
esac
trap 'cleanup; rm -rf "$SOCKDIR"' EXIT

# qemu writes core files of a crashing guest, hundreds of MB each:
# off, as in tools/run-i386.
ulimit -c 0

# Start qemu; its own error message (a directory, not an i386 ELF, ...)
# reaches stderr once. With --batch, qemu's stderr is held in a file and
# printed after gdb has finished: its last line ("QEMU: Terminated via
# GDBstub", written when gdb quits) otherwise races gdb's own output and,
# on a slow (emulated) host, lands in the middle of one of gdb's lines.
# Interactively it stays live. Wait until the socket exists.
QERR=
if [ -n "$BATCH" ]; then
    QERR=$SOCKDIR/qemu.stderr
    trap 'cleanup; cat "$QERR" >&2 2>/dev/null; rm -rf "$SOCKDIR"' EXIT
    "$QEMU" -g "$SOCK" "$PROG" "$@" < "${MEMKIT_STDIN:-/dev/null}" 2>"$QERR" &
else
    "$QEMU" -g "$SOCK" "$PROG" "$@" < "${MEMKIT_STDIN:-/dev/null}" &
fi
QPID=$!
for _ in $(seq 100); do
    [ -S "$SOCK" ] && break
    if ! alive "$QPID"; then
        wait "$QPID" 2>/dev/null
        status=$?
        QPID=
        [ -n "$QERR" ] && { cat "$QERR" >&2; : > "$QERR"; }
        echo "${0##*/}: $QEMU could not start ${PROG#"$KIT"/} (exit status $status; its message is above)" >&2
        exit 1
    fi
    sleep 0.1
done
if [ ! -S "$SOCK" ]; then
    echo "${0##*/}: qemu did not open its gdbstub within 10 seconds" >&2
    exit 1
fi
[ -n "${MEMKIT_QEMU_PIDFILE:-}" ] && echo "$QPID" > "$MEMKIT_QEMU_PIDFILE"
echo "memkit: $QEMU -g ${SOCK} ${PROG#"$KIT"/} $* (pid $QPID)" >&2

# Every path is one argv word: a checkout in a path with a space works.
GDB_ARGS=(-q -nx
          -iex 'set debuginfod enabled off'
          -x "$KIT/tools/gdb/memkit.py"
          -x "$KIT/tools/gdb/memkit.gdb"
          -ex "target remote $SOCK"
          -ex memkit-start)
# From here on Ctrl-C belongs to gdb: it interrupts the program, and the
# script must neither die nor report it when gdb later quits normally.
trap : INT
if [ -n "$BATCH" ]; then
    timeout --foreground --kill-after=5 "${MEMKIT_GDB_TIMEOUT:-60}" \
        "$GDB" -batch "${GDB_ARGS[@]}" "${USER_CMDS[@]}" "$PROG"
else
    "$GDB" "${GDB_ARGS[@]}" "${USER_CMDS[@]}" "$PROG"
fi
status=$?
exit $status
