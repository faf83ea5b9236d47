#!/bin/bash
# handin.sh FILE.s — what `make handin ALLOC=FILE.s` runs in the handout:
# the student's submission, checked first (docs/teaching.md).
#
# Assembles FILE (refused, with the assembler's own message, when it does
# not assemble), runs make check on it and prints the verdict, then
# writes handin-USER-DATE.tar.gz in the kit's top folder holding FILE
# alone (USER: HANDIN_USER, else the login name; DATE: UTC, to the
# second). A failing check does not stop the handin: the verdict says
# what the grader will find. Upload the .s file itself where the course
# asks for a single file (Gradescope), the tarball where it asks for one.
#
# Exit status: 0 written, 1 refused, 2 usage.
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
case "${1:-}" in
''|ref|alloc|reference)
    echo "usage: make handin ALLOC=path/to/your-allocator.s" >&2; exit 2 ;;
esac
[ -f "$1" ] || { echo "handin: no file $1" >&2; exit 2; }
case "$1" in *.s) ;; *) echo "handin: $1 is not a .s file" >&2; exit 2 ;; esac
file=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
case "$file" in
"$root"/asm/*) echo "handin: $1 is one of the kit's own files; hand in your copy" >&2; exit 2 ;;
esac

. "$root/tools/host.sh"
if ! msg=$("${MEMKIT_CROSS}as" --32 -I "$root/asm" -I "$(dirname "$file")" \
        -o /dev/null "$file" 2>&1); then
    printf '%s\n' "$msg" >&2
    echo "handin: refused: $(basename "$file") does not assemble (the assembler's messages are above); nothing written" >&2
    exit 1
fi

echo "handin: make check ALLOC=$1"
unset MAKEFLAGS MAKELEVEL MFLAGS
set +e
make -s --no-print-directory -C "$root" check ALLOC="$file" > "$root/build/handin-check.log" 2>&1
rc=$?
set -e
grep -E '^  [^ ].*: \[FAIL\]|^failing properties:' "$root/build/handin-check.log" || true
verdict=$(tail -1 "$root/build/handin-check.log")
echo "$verdict"
[ "$rc" -eq 0 ] || echo "handin: not every check passes (full report: build/handin-check.log); handing in anyway"

user=${HANDIN_USER:-$(id -un 2>/dev/null || echo student)}
user=$(printf '%s' "$user" | tr -c 'A-Za-z0-9._-' '_')
out="$root/handin-$user-$(date -u +%Y%m%d-%H%M%S).tar.gz"
tar -C "$(dirname "$file")" --owner=0 --group=0 --numeric-owner \
    -czf "$out.tmp" "$(basename "$file")"
mv "$out.tmp" "$out"
echo "handin: wrote $(basename "$out") ($(basename "$file") alone)"
