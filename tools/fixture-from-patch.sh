#!/bin/sh
# fixture-from-patch.sh PATCH OUT — write the test allocator PATCH holds.
#
# The allocators tests/check.bats runs that are a few lines away from
# another one are kept as those lines: tests/fixtures/{broken,good,
# layouts}/NAME.patch says what the allocator is (a deliberately broken
# one: its defect; a correct exercise answer; another header layout),
# then a unified diff from the allocator its `--- ` line names
# (asm/alloc.s, or tests/fixtures/good/split.s). `make` runs this for
# each patch (mk/fixtures.mk) and writes NAME.s beside it, not committed,
# so each fixture follows the allocator it changes and reads as the few
# lines of its change.
#
# A patch that no longer applies exactly (no fuzz) stops the build with
# its name; OUT is replaced only when the new one is complete.
set -eu

patch_file=$1
out=$2
root=$(cd "$(dirname "$0")/.." && pwd)
base=$(sed -n 's/^--- \([^	]*\).*$/\1/p' "$patch_file" | head -1)
if [ -z "$base" ] || [ ! -f "$root/$base" ]; then
    echo "fixture-from-patch: $patch_file names no allocator to patch (its --- line)" >&2
    exit 1
fi
# A private temporary name (mktemp: O_EXCL), so two makes building the
# same fixture at once never write into one file.
tmp=$(mktemp "$(dirname "$out")/.fixture.XXXXXX")
trap 'rm -f "$tmp" "$tmp.body"' EXIT

if ! patch --quiet --fuzz=0 --no-backup-if-mismatch --reject-file=- \
        -o "$tmp.body" "$root/$base" < "$patch_file" >/dev/null 2>&1; then
    echo "fixture-from-patch: $patch_file no longer applies to $base: make the" \
         "defect again in a copy of $base and write the patch with" \
         "diff -u --label $base --label $out $base COPY" >&2
    exit 1
fi
{
    echo "# $(basename "$out") — made by make from $patch_file"
    echo "# (edit that, not this file):"
    sed -n '/^--- /q; s/^\(.\)/# \1/; s/^$/#/; p' "$patch_file" | sed '$ { /^#$/d; }'
    echo "#"
    echo "# What follows is $base with the patch applied."
    echo
    cat "$tmp.body"
} > "$tmp"
mv "$tmp" "$out"
