#!/bin/bash
# gdb-session.sh — one command for a gdb session on a memkit program.
#
#   tools/gdb-session.sh [--batch] [-ex CMD]... [-x FILE]... PROG [ARGS...]
#
# Starts `qemu-i386 -g PORT PROG ARGS` on a free TCP port, then
# gdb-multiarch attached to it with the kit's script tools/gdb/memkit.gdb
# (heap, brk, records, cframe; breakpoints on allocate/deallocate). PROG
# is a name in build/ (read-records) or a path. `make gdb PROG=... ARGS=...`
# runs this.
#
#   --batch     no prompt: run the -ex/-x commands, then quit (tests, docs);
#               bounded by MEMKIT_GDB_TIMEOUT seconds (default 60)
#   -ex CMD     a gdb command to run after the session is set up
#   -x FILE     a file of gdb commands to run after the session is set up
#
# Environment: GDB (default gdb-multiarch), QEMU (default qemu-i386),
# MEMKIT_GDB_PORT (use this port instead of a random free one),
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
PROG=$1; shift
case "$PROG" in */*) ;; *) PROG=$KIT/build/$PROG ;; esac

if [ ! -x "$PROG" ]; then
    echo "$0: no program $PROG (run make first; PROG is a name in build/)" >&2
    exit 2
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
trap cleanup EXIT
# Until gdb starts, Ctrl-C or a hangup ends the script (and so qemu).
trap 'exit 130' INT
trap 'exit 143' TERM HUP

# listen_inodes PORT — the socket inodes listening on TCP PORT (IPv4 or
# IPv6), one a line; none when the port is free. Reads /proc/net instead of
# connecting: qemu's gdbstub takes a single connection, and a probe
# connection would use it up.
listen_inodes() {
    local hex
    hex=$(printf ':%04X' "$1")
    cat /proc/net/tcp /proc/net/tcp6 2>/dev/null |
        awk -v p="$hex" '$4 == "0A" && substr($2, length($2) - 4) == p {
                             print $10 }'
}

# listening PORT — true when something listens on TCP PORT.
listening() {
    [ -n "$(listen_inodes "$1")" ]
}

# listens_on PID PORT — true when the listening socket on PORT is PID's.
# Another session can take the port between our check and qemu's bind: our
# qemu then exits, but until it does, the port is busy with someone else's
# gdbstub, and gdb must not attach to that one.
listens_on() {
    local inode fd
    for inode in $(listen_inodes "$2"); do
        for fd in /proc/"$1"/fd/*; do
            [ "$(readlink "$fd" 2>/dev/null)" = "socket:[$inode]" ] &&
                return 0
        done
    done
    return 1
}

# start_qemu PORT — start qemu on PORT; true once it listens, false when it
# could not (the port was taken between our check and its bind).
start_qemu() {
    local port=$1
    shift
    "$QEMU" -g "$port" "$PROG" "$@" < "${MEMKIT_STDIN:-/dev/null}" &
    QPID=$!
    for _ in $(seq 50); do
        if ! alive "$QPID"; then
            wait "$QPID" 2>/dev/null
            QPID=
            return 1
        fi
        listens_on "$QPID" "$port" && return 0
        sleep 0.1
    done
    echo "$0: qemu did not open port $port within 5 seconds" >&2
    exit 1
}

PORT=
for _ in $(seq 20); do
    port=${MEMKIT_GDB_PORT:-$((20000 + RANDOM % 40000))}
    if ! listening "$port" && start_qemu "$port" "$@"; then
        PORT=$port
        break
    fi
    if [ -n "${MEMKIT_GDB_PORT:-}" ]; then
        echo "$0: port $port is busy" >&2
        exit 1
    fi
done
if [ -z "$PORT" ]; then
    echo "$0: found no free port for qemu's gdbstub" >&2
    exit 1
fi
[ -n "${MEMKIT_QEMU_PIDFILE:-}" ] && echo "$QPID" > "$MEMKIT_QEMU_PIDFILE"
echo "memkit: $QEMU -g $PORT ${PROG#"$KIT"/} $* (pid $QPID)" >&2

GDB_ARGS=(-q -nx
          -iex 'set debuginfod enabled off'
          -iex "set directories $KIT/tools/gdb:\$cdir:\$cwd"
          -x "$KIT/tools/gdb/memkit.gdb"
          -ex "target remote 127.0.0.1:$PORT"
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
