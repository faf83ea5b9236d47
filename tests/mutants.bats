#!/usr/bin/env bats
# mutants.bats — the checkers are checked: tools/mutants.sh and the
# planted bugs in tests/mutants/ (make mutants runs them all, in minutes;
# here every one is checked to be well formed and a few are run).

bats_require_minimum_version 1.5.0
load test_helper

setup() {
    memkit_setup
}

@test "every planted checker bug names its property and catching tests that exist, and applies" {
    local p n=0 c file filter
    for p in "$MEMKIT_ROOT"/tests/mutants/*.patch; do
        grep -q '^Property: .' "$p" || fail "$p: no Property: line"
        grep -q '^Caught by: .' "$p" || fail "$p: no Caught by: line"
        while IFS= read -r c; do
            file=${c%%: *}
            filter=${c#*: }
            [ -f "$MEMKIT_ROOT/$file" ] || fail "$p: no $file"
            sed -n 's/^@test "\(.*\)" {$/\1/p' "$MEMKIT_ROOT/$file" | grep -Eq -- "$filter" ||
                fail "$p: no test in $file matches '$filter'"
        done < <(sed -n 's/^Caught by: //p' "$p")
        # One defect: one file, and the patch applies to the checkout.
        [ "$(grep -c '^--- ' "$p")" -eq 1 ] || fail "$p: more than one file"
        (cd "$MEMKIT_ROOT" && patch -p0 --dry-run --quiet --fuzz=0 < "$p") >/dev/null ||
            fail "$p no longer applies"
        n=$((n + 1))
    done
    [ "$n" -ge 25 ]
}

@test "the mutants the issue lists are all kept" {
    local m
    for m in td-unreported-child-passes td-last-window td-size-2p31 td-id-equals-count \
             cs-heapmap-status-ignored cs-no-ok-passes at-crash-counts-as-pass \
             at-timeout-counts-as-pass ap-first-fit-weak as-corrupt-blind \
             as-realloc-zero-weak at-fits-rule-off at-grow-rule-off; do
        [ -f "$MEMKIT_ROOT/tests/mutants/$m.patch" ] || fail "no tests/mutants/$m.patch"
    done
}

@test "tools/mutants.sh catches planted bugs and reports one that no test notices as MISSED" {
    skip_if_withheld asm/allocators/segfit.s
    # Two real ones (a parser bound in the trace driver, the realloc rule
    # in alloc-test) and a change no test can see: a comment. make
    # mutants runs them all.
    {
        echo "Property: nothing (a comment)"
        echo "Caught by: tests/trace-driver.bats: id equal to the header"
        echo
        echo "--- c-harness/trace-driver.c"
        echo "+++ c-harness/trace-driver.c"
        echo "@@ -1,1 +1,1 @@"
        echo "-$(head -1 "$MEMKIT_ROOT/c-harness/trace-driver.c")"
        echo "+$(head -1 "$MEMKIT_ROOT/c-harness/trace-driver.c" | sed 's/replay/Replay/')"
    } > harmless.patch
    run -1 "$MEMKIT_ROOT/tools/mutants.sh" td-id-equals-count \
        as-realloc-zero-weak "$PWD/harmless.patch"
    assert_line --regexp '^\[OK\]   td-id-equals-count: caught by tests/trace-driver\.bats '
    assert_line --regexp '^\[OK\]   as-realloc-zero-weak: caught by tests/allocators-seg\.bats '
    assert_line '[FAIL] harmless: MISSED: every test named passed with the defect in'
    assert_line 'mutants: 2 caught, 1 missed, 0 broken'
}
