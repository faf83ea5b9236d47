#!/usr/bin/env bats
# LICENSE and the README's pointers for courses and students.

bats_require_minimum_version 1.5.0
load test_helper

@test "the kit carries the MIT licence, copyright 2026 the memkit authors" {
    run -0 head -3 "$MEMKIT_ROOT/LICENSE"
    assert_line --index 0 "MIT License"
    assert_line --index 1 "Copyright (c) 2026 the memkit authors"
    grep -q '^THE SOFTWARE IS PROVIDED "AS IS"' "$MEMKIT_ROOT/LICENSE"
}

@test "the README links the licence and docs/exercises.md, and says qemu-user is not a sandbox" {
    grep -q '(LICENSE)' "$MEMKIT_ROOT/README.md"
    grep -q '(docs/exercises.md)' "$MEMKIT_ROOT/README.md"
    grep -q -F '**qemu-user is not a sandbox.**' "$MEMKIT_ROOT/README.md"
}

@test "every kit file docs/exercises.md names in backquotes exists" {
    run -0 grep -o -E '`(asm|c-harness|examples|tests|tools|mk)/[^` ]+`' \
        "$MEMKIT_ROOT/docs/exercises.md"
    for f in "${lines[@]}"; do
        f=${f//\`/}
        # a course handout names its withheld answers without them
        # (a fixture .s is made from its withheld .patch)
        [ "$(withheld_count "$f")" -eq 0 ] || continue
        [ "$(withheld_count "${f%.s}.patch")" -eq 0 ] || continue
        [ -e "$MEMKIT_ROOT/$f" ] || fail "docs/exercises.md names $f, which does not exist"
    done
}
