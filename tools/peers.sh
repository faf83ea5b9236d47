#!/bin/bash
# peers.sh — the trace driver linked with real allocators from Debian's
# i386 packages, the peers make bench compares the kit with (mk/peers.mk,
# docs/allocators.md).
#
#   tools/peers.sh OUTDIR OBJECT...        fetch, link and try each peer
#   tools/peers.sh --unavailable OUTDIR WHY   mark every peer unavailable
#
# The peers, each a package that exports malloc, free and realloc:
#
#   jemalloc   libjemalloc2           libjemalloc.so.2
#   mimalloc   libmimalloc2.0         libmimalloc.so.2
#   tcmalloc   libtcmalloc-minimal4   libtcmalloc_minimal.so.4
#              (+ libstdc++6, libgcc-s1: it is C++)
#
# tools/fetch-i386-debs downloads the packages into OUTDIR/debs/root,
# never installing anything system-wide: one download for all of them,
# and, when that fails for want of a package (not of the index: offline),
# one per peer (OUTDIR/debs-NAME) so each row can say why it has none. The OBJECTs (the hosted trace driver and
# c-harness/glibc-shim.o) are linked by $CC -m32 with the peer's .so
# first, so its malloc is the one the driver calls; the run-time path
# to the library is $ORIGIN-relative (DT_RPATH, which the library's own
# dependencies use too), so the build tree can move.
#
# For each peer NAME, OUTDIR/NAME/ then holds either
#   trace-driver   linked, and seen to replay a small trace under
#                  tools/run-i386 (the i386 loader: tools/host.sh), and
#   version        the package's version,
# or
#   unavailable    one line: why not (the download, the link or the
#                  trial run failed, with the tool's own words).
# Exit status 0 either way: a missing peer is a row that says why, not a
# failed benchmark. 2 for bad usage.
set -u

here=$(cd "$(dirname "$0")" && pwd)
PEERS=(jemalloc mimalloc tcmalloc)
declare -A PKGS=(
    [jemalloc]="libjemalloc2"
    [mimalloc]="libmimalloc2.0"
    [tcmalloc]="libtcmalloc-minimal4 libstdc++6 libgcc-s1"
)
declare -A LIBS=(
    [jemalloc]=libjemalloc.so.2
    [mimalloc]=libmimalloc.so.2
    [tcmalloc]=libtcmalloc_minimal.so.4
)
LIBDIRS="usr/lib/i386-linux-gnu lib/i386-linux-gnu"

usage() {
    echo "usage: peers.sh OUTDIR OBJECT... | peers.sh --unavailable OUTDIR WHY" >&2
    exit 2
}

# mark NAME WHY — NAME has no driver, for this reason (one line).
mark() {
    mkdir -p "$out/$1"
    rm -f "$out/$1/trace-driver" "$out/$1/version"
    printf '%s\n' "$2" | tr '\n' ' ' | sed 's/ *$//' > "$out/$1/unavailable"
    echo >> "$out/$1/unavailable"
    echo "peers: $1 unavailable: $(cat "$out/$1/unavailable")" >&2
}

if [ "${1:-}" = --unavailable ]; then
    [ "$#" -eq 3 ] || usage
    out=$2
    for name in "${PEERS[@]}"; do mark "$name" "$3"; done
    exit 0
fi
[ "$#" -ge 2 ] || usage
out=$1; shift
objs=("$@")
CC=${CC:-gcc}
mkdir -p "$out"

# The whole set in one download; the reason, per peer, when it fails.
all_pkgs=
for name in "${PEERS[@]}"; do all_pkgs="$all_pkgs ${PKGS[$name]}"; done
declare -A DIR
# shellcheck disable=SC2086  # the package list splits on purpose
if "$here/fetch-i386-debs" "$out/debs" $all_pkgs 2> "$out/fetch.err"; then
    for name in "${PEERS[@]}"; do DIR[$name]=debs; done
elif grep -q 'apt-get update failed' "$out/fetch.err"; then
    # No package index at all (offline, no mirror): the same for each.
    for name in "${PEERS[@]}"; do
        mark "$name" "download failed: $(grep -v '^ *$' "$out/fetch.err" | head -n 3)"
    done
else
    for name in "${PEERS[@]}"; do
        # shellcheck disable=SC2086
        if "$here/fetch-i386-debs" "$out/debs-$name" ${PKGS[$name]} \
               2> "$out/fetch-$name.err"; then
            DIR[$name]=debs-$name
        else
            mark "$name" "download failed: $(grep -v '^ *$' "$out/fetch-$name.err" | tail -n 2)"
        fi
    done
fi

# A small trace every peer must replay before it gets a row.
trial=$out/trial.rep
printf '%s\n' 0 3 6 1 'a 0 100' 'a 1 5000' 'r 0 300' 'f 1' 'a 2 70000' \
    'f 0' > "$trial"

for name in "${PEERS[@]}"; do
    [ -n "${DIR[$name]:-}" ] || continue
    rel=${DIR[$name]}/root
    root=$out/$rel
    lib=
    for d in $LIBDIRS; do
        [ -f "$root/$d/${LIBS[$name]}" ] && lib=$root/$d/${LIBS[$name]}
    done
    if [ -z "$lib" ]; then
        mark "$name" "the packages hold no ${LIBS[$name]}"
        continue
    fi
    rpath=''
    link=''
    for d in $LIBDIRS; do
        rpath="$rpath:\$ORIGIN/../$rel/$d"
        link="$link:$root/$d"
    done
    mkdir -p "$out/$name"
    drv=$out/$name/trace-driver
    if ! "$CC" -m32 -no-pie -o "$drv.new" "${objs[@]}" "$lib" \
            -Wl,--disable-new-dtags -Wl,-rpath,"${rpath#:}" \
            -Wl,-rpath-link,"${link#:}" 2> "$out/$name/link.err"; then
        mark "$name" "link failed: $(tail -n 2 "$out/$name/link.err")"
        rm -f "$drv.new"
        continue
    fi
    if ! MEMKIT_TIMEOUT=60 "$here/run-i386" "$drv.new" "$trial" \
            > "$out/$name/trial.log" 2>&1; then
        mark "$name" "its driver does not run: $(grep -v '^ *$' "$out/$name/trial.log" | tail -n 2)"
        rm -f "$drv.new"
        continue
    fi
    mv "$drv.new" "$drv"
    pkg=${PKGS[$name]%% *}
    deb=
    for f in "$out/${DIR[$name]}/debs/${pkg}"_*_i386.deb; do
        [ -f "$f" ] && deb=$f
    done
    if [ -n "$deb" ]; then
        dpkg-deb -f "$deb" Version > "$out/$name/version"
    else
        echo "?" > "$out/$name/version"
    fi
    rm -f "$out/$name/unavailable"
    echo "peers: $name $(cat "$out/$name/version"): $drv"
done
exit 0
