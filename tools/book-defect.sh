#!/bin/bash
# book-defect.sh — put the book's defects back into a copy of asm/alloc.s,
# to see what each fix in docs/errata.md is for.
#
#   tools/book-defect.sh [-o DIR] N...     N = erratum number, 1 to 6
#
# Writes DIR/alloc.s (default DIR: build/book-defect/N1-N2-...): asm/alloc.s
# with the book's behaviour for each erratum N and nothing else changed,
# prints the diff, and links DIR/alloc-test (the contract program) and
# DIR/heap-map against it. asm/alloc.s itself is never touched.
# Needs the harness objects: run `make all` first.
#
#   1  brk(0)'s result plus one becomes the heap start
#   2  only a brk result of 0 counts as failure
#   3  %ebx is used for brk's argument without being saved
#   4  block sizes are compared with a signed jump
#   5  size + header + break is computed without checking for a carry
#   6  sizes are used as asked and the heap start is not aligned
#
# Example (docs/errata.md):
#   tools/book-defect.sh 3 && tools/run-i386 build/book-defect/3/alloc-test callee-saved
set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd)
OBJ=$ROOT/build/obj
# The same tools the Makefile picks: i686-linux-gnu-as/ld on a host that
# is not x86; AS=... LD=... in the environment override them.
case "$(uname -m)" in
x86_64|i?86) cross= ;;
*)           cross=i686-linux-gnu- ;;
esac
AS=${AS:-${cross}as}
LD=${LD:-${cross}ld}
dir=
if [ "${1-}" = -o ]; then
    dir=$2
    shift 2
fi
if [ $# -eq 0 ]; then
    echo "usage: tools/book-defect.sh [-o DIR] N...   (N = erratum 1..6)" >&2
    exit 2
fi
for n in "$@"; do
    case $n in
    [1-6]) ;;
    *) echo "book-defect: no erratum '$n' (1 to 6)" >&2; exit 2 ;;
    esac
done
if [ -z "$dir" ]; then
    dir=$ROOT/build/book-defect/$(IFS=-; echo "$*")
fi
# alloc-test's objects, as the Makefile links them (make contract-parts).
contract=()
for o in $(make -s --no-print-directory -C "$ROOT" contract-parts) "build/obj/c/heap-map.o"; do
    if [ ! -f "$ROOT/$o" ]; then
        echo "book-defect: $ROOT/$o is missing; run 'make all' first" >&2
        exit 1
    fi
    case $o in */heap-map.o) ;; *) contract+=("$ROOT/$o") ;; esac
done
mkdir -p "$dir"

# defect N — sed script for erratum N, written against asm/alloc.s's lines.
defect() {
    case $1 in
    1) echo '/# brk(0) asks for the current break/{n;s/$/\n    incl  %eax/}' ;;
    2) echo 's/^    jne   \.Lalloc_fail$/    testl %eax, %eax\n    jz    .Lalloc_fail/' ;;
    3) echo '/^    pushl %ebx  /d; /^    popl  %ebx$/d' ;;
    4) echo 's/^    jae   \.Lallocate_here$/    jge   .Lallocate_here/' ;;
    5) echo '/^    jc    \.Lalloc_fail/d' ;;
    6) echo '/ALIGN_MASK, %e[bc]x/d; /# \.\.\.unless that passes 2^32$/d' ;;
    esac
}

cp "$ROOT/asm/alloc.s" "$dir/alloc.s"
for n in "$@"; do
    cp "$dir/alloc.s" "$dir/alloc.s.before"
    sed -i "$(defect "$n")" "$dir/alloc.s"
    if cmp -s "$dir/alloc.s" "$dir/alloc.s.before"; then
        echo "book-defect: erratum $n no longer applies to asm/alloc.s" \
             "(update defect() in $0)" >&2
        exit 1
    fi
done
rm -f "$dir/alloc.s.before"

echo "# asm/alloc.s with the book's behaviour for erratum $*:"
diff -U1 --label asm/alloc.s --label "${dir#"$ROOT"/}/alloc.s" \
    "$ROOT/asm/alloc.s" "$dir/alloc.s" || true

"$AS" --32 -I "$ROOT/asm" -o "$dir/alloc.o" "$dir/alloc.s"
"$LD" -m elf_i386 -static --fatal-warnings -o "$dir/alloc-test" \
    "${contract[@]}" "$dir/alloc.o"
"$LD" -m elf_i386 -static --fatal-warnings -o "$dir/heap-map" \
    "$OBJ"/c/{start,rt,heap-map,heapmap}.o "$dir/alloc.o"
echo "# built ${dir#"$ROOT"/}/alloc-test and ${dir#"$ROOT"/}/heap-map"
