#!/bin/sh
# demo.sh — what `make demo` shows: the book's Records programs at work.
#
#   tools/demo.sh            (after `make all`; `make demo` does both)
#   QEMU= tools/demo.sh      run the programs natively (x86 hosts)
#
# Runs in a fresh scratch directory, build/demo/, so it never touches the
# work tree (a second demo started meanwhile waits for this one): write-records creates test.dat, read-records prints the names,
# add-year writes testout.dat. Each program runs once, through
# tools/run-i386, with its system calls traced (qemu-i386 -strace, or
# strace(1) when running natively); the last section shows the brk calls
# from those same runs.
#
# To add a section: write a function that prints a heading with `section`
# and its lines, and call it in the list at the bottom.

set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
build="$root/build"
demo=${MEMKIT_DEMO_DIR:-$build/demo}     # tests point this at a scratch dir
QEMU=${QEMU-qemu-i386}
"$root/tools/run-i386" --native-check || exit 2
RECORD_SIZE=324
AGE_OFFSET=320

for prog in write-records read-records add-year heap-map; do
    if [ ! -x "$build/$prog" ]; then
        echo "demo: $build/$prog is missing: run 'make' (or 'make demo') first" >&2
        exit 1
    fi
done

mkdir -p "$demo"
cd "$demo"
# Two demos at once in one checkout would share this directory, and one
# could read the other's half-written test.dat: the second waits here for
# the first to finish (flock(1), util-linux). The lock goes with fd 9 when
# this script exits.
exec 9> .demo.lock
if ! flock -n 9; then
    echo "demo: another demo is running in ${demo#"$root"/}; waiting for it" >&2
    flock 9
fi
rm -f test.dat testout.dat ./*.out ./*.trace     # only what this script writes

if [ -n "$QEMU" ]; then
    tracer="$QEMU -strace"
    runner="$QEMU"
elif command -v strace >/dev/null 2>&1; then
    tracer="strace"
    runner="natively"
else
    tracer=""
    runner="natively"
fi

section() {
    printf '\n-- %s\n' "$1"
}

# traced NAME ARGS... — run build/NAME once. Its stdout goes to NAME.out;
# its system calls (when a tracer exists) to NAME.trace. On failure, show
# what the program said and stop the demo.
traced() {
    name=$1; shift
    echo "\$ $name${*:+ $*}"
    status=0
    if [ -n "$QEMU" ]; then
        "$root/tools/run-i386" -strace "$build/$name" "$@" \
            > "$name.out" 2> "$name.trace" || status=$?
    elif [ -n "$tracer" ]; then
        "$root/tools/run-i386" strace -qq -e trace=brk -o "$name.trace" \
            "$build/$name" "$@" > "$name.out" || status=$?
    else
        "$root/tools/run-i386" "$build/$name" "$@" > "$name.out" || status=$?
    fi
    if [ "$status" -ne 0 ]; then
        # (>&2 first: cat's stdout to stderr, then only its own errors dropped)
        cat "$name.out" "$name.trace" >&2 2>/dev/null
        echo "demo: $name failed with exit status $status" >&2
        exit 1
    fi
}

# field FILE RECORD OFFSET WIDTH — a text field, NUL padding removed.
field() {
    dd if="$1" bs=1 skip=$(($2 * RECORD_SIZE + $3)) count="$4" 2>/dev/null |
        tr -d '\000'
}

# age FILE RECORD — the 4-byte little-endian age of record RECORD (from 0).
age() {
    od -An -t d4 -j $(($2 * RECORD_SIZE + AGE_OFFSET)) -N 4 "$1" | tr -d ' '
}

show_write_records() {
    section "write-records: write the book's three records to test.dat"
    traced write-records
    size=$(wc -c < test.dat)
    echo "test.dat: $size bytes = $((size / RECORD_SIZE)) records x $RECORD_SIZE bytes"
}

show_read_records() {
    section "read-records: print the first name of each record"
    traced read-records
    cat read-records.out
}

show_add_year() {
    section "add-year: copy test.dat to testout.dat, one year older"
    traced add-year
    echo "record  first name  age in test.dat  age in testout.dat  (4 bytes at offset $AGE_OFFSET)"
    n=$(($(wc -c < test.dat) / RECORD_SIZE))
    i=0
    while [ "$i" -lt "$n" ]; do
        printf '%-7s %-11s %-16s %s\n' "$((i + 1))" "$(field test.dat "$i" 0 40)" \
            "$(age test.dat "$i")" "$(age testout.dat "$i")"
        i=$((i + 1))
    done
}

show_brk() {
    if [ -z "$tracer" ]; then
        section "brk system calls: skipped"
        echo "Running natively (QEMU is empty) and strace is not installed."
        echo "Install strace, or run 'make demo' without QEMU= to trace with qemu-i386 -strace."
        return 0
    fi
    section "brk system calls each program made ($tracer)"
    echo "brk(NULL) asks where the break is; brk(addr) asks to move it to addr"
    echo "and returns the break it got (the old one if the kernel refused)."
    for name in write-records read-records add-year; do
        # qemu prefixes each line with the pid; strace -o without -f does not.
        lines=$(grep -E '(^|^[0-9]+ )brk\(' "$name.trace" | sed 's/^[0-9]* //; s/  */ /g') || true
        if [ -z "$lines" ]; then
            echo "$name: none (it never asks for heap memory)"
            continue
        fi
        echo "$name:"
        echo "$lines" | sed 's/^/  /'
        first=$(echo "$lines" | sed -n '1s/.* = \(0x[0-9a-fA-F]*\)$/\1/p')
        last=$(echo "$lines" | sed -n '$s/.* = \(0x[0-9a-fA-F]*\)$/\1/p')
        if [ -n "$first" ] && [ -n "$last" ]; then
            echo "  the break moved from $first to $last: $((last - first)) bytes of heap"
        fi
    done
}

# The heap read-records used holds a single block, so show the allocator
# with a few: build/heap-map runs a fixed sequence and prints the heap
# after each call. Steps 6 and 7 are the chapter's point: a freed block is
# found again by first fit and handed out whole.
show_heap() {
    section "the chapter's allocator: free a block, then reuse it (build/heap-map, steps 6-7)"
    "$root/tools/run-i386" "$build/heap-map" > heap-map.out || {
        cat heap-map.out >&2
        echo "demo: heap-map failed" >&2
        exit 1
    }
    echo "(steps 3-5 made a = allocate(16), b = allocate(32), c = allocate(32))"
    sed -n '/^== step 6:/,/^== step 8:/p' heap-map.out | sed '$d'
    echo "All steps: tools/run-i386 build/heap-map. Step through read-records in gdb:"
    echo "make gdb PROG=read-records ARGS=${demo#"$root"/}/test.dat  (then: continue, finish, heap)"
}

echo "memkit demo: the book's Records programs (in ${demo#"$root"/}, run $runner)"
show_write_records
show_read_records
show_add_year
show_brk
show_heap
