#!/usr/bin/env bats
# auxv.bats — examples/auxv.c: the auxiliary vector above envp, and the
# [vdso] and [vvar] mappings (docs/concepts.md, section 12).
bats_require_minimum_version 1.5.0

load test_helper

setup() {
    memkit_setup
}

@test "the auxiliary vector starts right after envp's NULL and tells the page size and the entry point" {
    run -0 env -i PATH=/usr/bin:/bin "$MEMKIT_ROOT/tools/run-i386" "$BUILD/auxv"
    n=$(sed -n "s/^auxv at envp + \([0-9]*\) words (after envp's NULL)$/\1/p" <<<"$output")
    [ -n "$n" ]
    # one more environment variable: the vector starts one word further up
    run -0 env -i PATH=/usr/bin:/bin ONE_MORE=1 "$MEMKIT_ROOT/tools/run-i386" "$BUILD/auxv"
    assert_line "auxv at envp + $((n + 1)) words (after envp's NULL)"
    assert_line --regexp '^ 6 AT_PAGESZ +0x00001000  page size$'
    entry=$("$READELF" -h "$BUILD/auxv" | awk '/Entry point/ { print $4 }')
    assert_line --regexp "^ 9 AT_ENTRY +0x0*${entry#0x}  the program's entry point"
    assert_line --regexp '^ 7 AT_BASE +0x00000000  '
    assert_line " 0 AT_NULL          end of the vector"
}

@test "natively the vector names the vdso, and the vdso and vvar are mapped next to each other" {
    skip_unless_native
    QEMU= run -0 i386 auxv
    ehdr=$(awk '$2 == "AT_SYSINFO_EHDR" { print $3 }' <<<"$output")
    [ -n "$ehdr" ] || fail "no AT_SYSINFO_EHDR"
    # AT_SYSINFO_EHDR is the start of the [vdso] line
    vdso=$(awk '$NF == "[vdso]" { split($1, r, "-"); print r[1] }' <<<"$output")
    [ "$((ehdr))" -eq "$((16#$vdso))" ]
    assert_line --regexp '^[0-9a-f]+-[0-9a-f]+ r-xp .*\[vdso\]$'
    assert_line --regexp '^[0-9a-f]+-[0-9a-f]+ r--p .*\[vvar\]$'
}
