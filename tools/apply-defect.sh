#!/bin/sh
# apply-defect.sh PATCH OUT — write the broken allocator PATCH describes.
#
# tests/fixtures/broken/NAME.patch is one deliberately broken allocator
# for tests/check.bats: a few lines saying what its defect is, then a
# unified diff that puts that defect into a correct allocator (the file
# its `--- ` line names: asm/alloc.s, or tests/fixtures/good/split.s).
# `make` runs this for each patch and writes tests/fixtures/broken/NAME.s
# beside it (not committed): the correct allocator with the defect in, so
# every broken fixture follows the allocator it breaks, and reads as the
# few lines of its defect.
#
# A patch that no longer applies exactly (no fuzz) stops the build with
# its name; OUT is replaced only when the new one is complete.
set -eu

patch_file=$1
out=$2
root=$(cd "$(dirname "$0")/.." && pwd)
base=$(sed -n 's/^--- \([^	]*\).*$/\1/p' "$patch_file" | head -1)
if [ -z "$base" ] || [ ! -f "$root/$base" ]; then
    echo "apply-defect: $patch_file names no allocator to patch (its --- line)" >&2
    exit 1
fi
tmp=$out.part
trap 'rm -f "$tmp" "$tmp.body"' EXIT

if ! patch --quiet --fuzz=0 --no-backup-if-mismatch --reject-file=- \
        -o "$tmp.body" "$root/$base" < "$patch_file" >/dev/null 2>&1; then
    echo "apply-defect: $patch_file no longer applies to $base: make the" \
         "defect again in a copy of $base and write the patch with" \
         "diff -u --label $base --label $out $base COPY" >&2
    exit 1
fi
{
    echo "# $(basename "$out") — a deliberately broken allocator, made by make from"
    echo "# $patch_file (edit that, not this file):"
    sed -n '/^--- /q; s/^\(.\)/# \1/; s/^$/#/; p' "$patch_file" | sed '$ { /^#$/d; }'
    echo "#"
    echo "# What follows is $base with the patch applied."
    echo
    cat "$tmp.body"
} > "$tmp"
mv "$tmp" "$out"
