#!/bin/bash
# transcript.sh — record a gdb session as a student would see it.
#
#   tools/gdb/transcript.sh PROG "ARGS" CMD...
#
# Runs `make gdb PROG=PROG ARGS="ARGS"` on a pseudo-terminal (script(1)),
# types each CMD after a pause as if at the (gdb) prompt, and prints what
# the terminal showed, without colour codes or carriage returns. The
# transcripts in docs/gdb.md were made with it. MEMKIT_TYPE_DELAY sets
# the pause between commands (default 0.7 s).
set -u
[ $# -ge 2 ] || { echo "usage: $0 PROG ARGS [CMD...]" >&2; exit 2; }
KIT=$(cd "$(dirname "$0")/../.." && pwd)
prog=$1 args=$2
shift 2
delay=${MEMKIT_TYPE_DELAY:-0.7}

{
    sleep 3                                 # qemu and gdb starting up
    for cmd in "$@" quit; do
        printf '%s\n' "$cmd"
        sleep "$delay"
    done
} | (cd "$KIT" && timeout 120 script -qfec \
        "make -s gdb PROG=$(printf %q "$prog") ARGS=$(printf %q "$args")" /dev/null) 2>&1 |
    sed -e 's/\x1b\[[0-9;?]*[a-zA-Z]//g' -e 's/\r//g'
