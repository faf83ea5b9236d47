#!/bin/sh
# outside-view.sh — a running process seen from inside and from outside.
#
#   tools/outside-view.sh          (natively: needs an x86 host that runs
#                                   i386 programs, and ps and pmap, procps)
#
# Starts build/selfview natively with its stdin on a pipe, so it stays
# alive after printing what it knows about itself (pid, VmSize, VmRSS,
# heap range). While it waits, looks at the same process from outside:
# `ps -o pid,vsz,rss,comm` (virtual and resident size, KiB) and the heap's
# line of `pmap -x` (the mapping's size, resident and dirty KiB). Then
# closes the pipe, so selfview exits, and says whether ps agrees with the
# process's own VmSize and VmRSS (RSS within 4 pages: the process went on
# running in between). docs/concepts.md, section 17.
#
# Exit status 0 when they agree, 1 when not, 2 when it cannot run.
set -eu

KIT=$(cd "$(dirname "$0")/.." && pwd)
for tool in ps pmap; do
    command -v "$tool" >/dev/null 2>&1 ||
        { echo "$0: $tool is missing (Debian package procps)" >&2; exit 2; }
done
[ -x "$KIT/build/selfview" ] || { echo "$0: build/selfview is missing; run make" >&2; exit 2; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/memkit-outside.XXXXXX")
pid=
trap 'exec 3>&- 2>/dev/null || true; [ -z "$pid" ] || kill "$pid" 2>/dev/null || true; rm -rf "$tmp"' EXIT

mkfifo "$tmp/in"
QEMU= "$KIT/tools/run-i386" "$KIT/build/selfview" < "$tmp/in" > "$tmp/out" &
runner=$!
exec 3> "$tmp/in"               # selfview's stdin stays open until we close it
tries=0
until grep -q '^ready$' "$tmp/out" 2>/dev/null; do
    tries=$((tries + 1))
    if [ "$tries" -gt 100 ] || ! kill -0 "$runner" 2>/dev/null; then
        echo "$0: build/selfview did not start natively (QEMU=)" >&2
        cat "$tmp/out" >&2
        exit 2
    fi
    sleep 0.1
done
pid=$(sed -n 's/^pid //p' "$tmp/out")
vmsize=$(awk '$1 == "VmSize:" { print $2 }' "$tmp/out")
vmrss=$(awk '$1 == "VmRSS:" { print $2 }' "$tmp/out")
heap=$(sed -n 's/^heap 0x0*\([0-9a-f]*\)-.*/\1/p' "$tmp/out")

echo "-- what the process says about itself (build/selfview)"
grep -v -e '^ready$' "$tmp/out"
echo "-- ps -o pid,vsz,rss,comm -p PID"
ps -o pid,vsz,rss,comm -p "$pid" > "$tmp/ps"
cat "$tmp/ps"
echo "-- pmap -x PID: the header and the heap's line"
pmap -x "$pid" > "$tmp/pmap"
sed -n '2p' "$tmp/pmap"
grep -E "^0*$heap " "$tmp/pmap" || echo "(no pmap line starts at the heap, 0x$heap)"
ps_vsz=$(awk 'NR == 2 { print $2 }' "$tmp/ps")
ps_rss=$(awk 'NR == 2 { print $3 }' "$tmp/ps")

exec 3>&-                       # end of file: selfview exits
wait "$runner" || true
pid=

# The process went on running after it read its own status (it printed,
# it waited on its stack), so its resident size may have grown a page or
# two by the time ps looks: RSS agrees within 4 pages; VSZ exactly.
diff=$((ps_rss - vmrss))
if [ "$ps_vsz" = "$vmsize" ] && [ "${diff#-}" -le 16 ]; then
    echo "-- ps's VSZ is the process's VmSize, its RSS its VmRSS (within 4 pages): they agree"
else
    echo "-- ps's VSZ $ps_vsz and RSS $ps_rss, but VmSize $vmsize and VmRSS $vmrss: they differ"
    exit 1
fi
