#!/bin/sh
# record-trace.sh OUT.rep PROG [ARGS...] — record the malloc, calloc,
# realloc and free calls a real (host, glibc) program makes, as a
# malloc-lab trace the trace driver replays (docs/lab.md).
#
#   tools/record-trace.sh tests/traces/ls-usr-bin.rep /bin/ls -l /usr/bin
#
# gdb-multiarch runs PROG natively with breakpoints on glibc's allocation
# functions (tools/gdb/record-malloc.py). It is slow (every call stops
# twice: about a minute for 5,000 calls) but needs nothing beyond the
# kit's own tools. PROG's own output goes to /dev/null. The sizes are
# those of a 64-bit program; the order, the lifetimes and the mix of
# sizes are what the trace is for.
set -eu
[ $# -ge 2 ] || { echo "usage: $0 OUT.rep PROG [ARGS...]" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
out=$1
shift
MEMKIT_TRACE_OUT=$out
export MEMKIT_TRACE_OUT
"${GDB:-gdb-multiarch}" -nx -batch -iex 'set debuginfod enabled off' \
    -x "$here/gdb/record-malloc.py" -ex run --args "$@" >/dev/null
[ -s "$out" ] || { echo "$0: no trace written" >&2; exit 1; }
echo "record-trace: wrote $out ($(sed -n 3p "$out") operations)"
