#!/usr/bin/env bats
# locality.bats — examples/locality.c and tools/bench-locality.sh: the
# same sum row-wise and column-wise, the same instructions, not the same
# cache misses (docs/concepts.md, section 18).
bats_require_minimum_version 1.5.0

load test_helper

setup() {
    memkit_setup
}

@test "both orders sum the whole array" {
    run -0 i386 locality rows
    assert_output "rows: sum 1048576"
    run -0 i386 locality cols
    assert_output "cols: sum 1048576"
    run -2 i386 locality diagonal
}

@test "counted, both orders execute the same instructions and column order misses D1 16 times as often" {
    skip_unless_native
    command -v valgrind >/dev/null || skip "valgrind is not installed (make bench installs it)"
    run -0 "$MEMKIT_ROOT/tools/bench-locality.sh"
    read -r _ ir_r dr_r d1_r ll_r < <(grep '^rows ' <<<"$output")
    read -r _ ir_c dr_c d1_c ll_c < <(grep '^cols ' <<<"$output")
    [ "$ir_r" -gt 4000000 ] && [ "$ir_r" -eq "$ir_c" ] && [ "$dr_r" -eq "$dr_c" ] || false
    # a 64-byte line holds 16 ints: row order misses once per line,
    # column order (4096-byte stride) on every read
    [ "$d1_r" -le $((dr_r / 16 + 16)) ]
    [ "$d1_c" -ge $((dr_c - 16)) ]
    [ "$ll_c" -ge $((ll_r * 8)) ]
}

@test "a callgrind run whose counts cannot be read is an error, never a number" {
    skip_unless_native
    mkdir bin
    printf '#!/bin/sh\ncase "$1" in --version) echo valgrind-fake ;; esac\nexit 0\n' > bin/valgrind
    chmod +x bin/valgrind
    PATH="$PWD/bin:$PATH" run -1 "$MEMKIT_ROOT/tools/bench-locality.sh"
    assert_output --partial "no counts for locality rows"
}
