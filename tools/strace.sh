#!/bin/bash
# strace.sh — show the system calls a memkit program makes.
#
#   tools/strace.sh [--only NAME[,NAME...]] [-o FILE] PROG [ARGS...]
#
# Runs PROG (a name in build/, build/NAME or any path; see find-prog.sh)
# under `qemu-i386 -strace`, which prints one line per system call,
# "PID name(args) = result". `make strace PROG=... ARGS=... ONLY=brk`
# runs this.
#
#   (no option)  qemu's trace goes to stderr as it happens, next to the
#                program's own output. qemu prints a call's name before it
#                runs and " = result" after, so a write to stderr shows up
#                in the middle of its own trace line.
#   --only LIST  keep only these calls (brk, or brk,open,read): the trace
#                goes to a temporary file (qemu -D), is filtered, and is
#                printed on stderr after the program ends. The log file
#                takes one descriptor in the program, so open() returns 4
#                where it would return 3.
#   -o FILE      write the (filtered) trace to FILE instead of stderr.
#
# QEMU= (empty) runs the program natively under strace(1) instead, if it
# is installed; its lines have no PID and show brk's argument as NULL too.
# The exit status is the program's. Each run goes through tools/run-i386,
# so it is bounded by MEMKIT_TIMEOUT seconds (default 30) and dumps no core.
set -u

KIT=$(cd "$(dirname "$0")/.." && pwd)
QEMU=${QEMU-qemu-i386}
ONLY=
OUT=

usage() {
    echo "usage: $0 [--only NAME[,NAME...]] [-o FILE] PROG [ARGS...]" >&2
    exit 2
}

while [ $# -gt 0 ]; do
    case "$1" in
    --only) [ $# -ge 2 ] || usage; ONLY=$2; shift 2 ;;
    -o) [ $# -ge 2 ] || usage; OUT=$2; shift 2 ;;
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
case "$ONLY" in
*[!a-z0-9_,]*) echo "$0: --only takes system call names: brk or brk,open" >&2
               exit 2 ;;
esac

RUN=$KIT/tools/run-i386

if [ -z "$QEMU" ]; then
    command -v strace >/dev/null || {
        echo "$0: QEMU is empty and strace(1) is not installed" >&2; exit 2; }
    opts=()
    [ -n "$ONLY" ] && opts+=(-e "trace=$ONLY")
    [ -n "$OUT" ] && opts+=(-o "$OUT")
    QEMU= "$RUN" strace "${opts[@]}" "$PROG" "$@"
    exit $?
fi

if [ -z "$ONLY" ] && [ -z "$OUT" ]; then
    QEMU=$QEMU "$RUN" -strace "$PROG" "$@"
    exit $?
fi

# keep LIST — print the trace lines of the named calls (and signals, which
# qemu reports as "PID --- SIGSEGV ..."); LIST empty keeps every line.
keep() {
    awk -v list="$1" '
        BEGIN {
            n = split(list, names, ",")
            for (i = 1; i <= n; i++) want[names[i]] = 1
        }
        {
            call = $2; sub(/\(.*/, "", call)
            if (list == "" || call in want || call == "---" || call == "+++")
                print
        }'
}

trace=$(mktemp "${TMPDIR:-/tmp}/memkit-strace.XXXXXX") || exit 1
trap 'rm -f "$trace"' EXIT
QEMU=$QEMU "$RUN" -strace -D "$trace" "$PROG" "$@"
status=$?
if [ -n "$OUT" ]; then
    keep "$ONLY" < "$trace" | "$KIT/tools/write-atomic" "$OUT" || exit 1
else
    keep "$ONLY" < "$trace" >&2
fi
exit $status
