#!/usr/bin/env bats
# check: make check ALLOC=... (tools/check.sh) and the contract it runs
# (c-harness/contract/), checked against allocators whose answer is
# known: the reference, correct exercise answers (tests/fixtures/good/),
# one header layout that is not the book's (tests/fixtures/layouts/), and
# deliberately broken allocators, one defect each (tests/fixtures/broken/).
# Each broken one must be caught by its named case, and by no case that
# has nothing to do with its defect: the exact set of failing cases is
# pinned.

bats_require_minimum_version 1.5.0
load test_helper

# dir_of FIXTURE — the build directory of an allocator file.
dir_of() {
    echo "$BUILD/alloc/$("$MEMKIT_ROOT/tools/alloc-resolve" "$1")"
}

# build_alloc FILE PROGRAM... — build these programs against FILE only
# (make's targets are relative to the checkout).
build_alloc() {
    local f=$1 tag t targets=()
    shift
    tag=$("$MEMKIT_ROOT/tools/alloc-resolve" "$f")
    for t in "$@"; do
        targets+=("build/alloc/$tag/$t")
    done
    make -s -C "$MEMKIT_ROOT" ALLOC="$f" "${targets[@]}" >/dev/null
}

# The contract programs of every fixture, built once for the whole file
# (each is asm/alloc.s plus one change: a fraction of a second each).
setup_file() {
    local f
    for f in "$BATS_TEST_DIRNAME"/fixtures/{broken,good,layouts}/*.s; do
        [ -f "$f" ] || continue     # a handout may withhold good/
        build_alloc "$f" alloc-test heap-map
    done
}

setup() {
    memkit_setup
}

# contract FIXTURE [ARGS...] — run that allocator's alloc-test.
contract() {
    local f="$FIXTURES/$1"; shift
    i386 "$(dir_of "$f")/alloc-test" "$@"
}

# failing_cases — the case IDs in $output that have a [RUN] and no [OK],
# space-separated, in run order.
failing_cases() {
    awk '/^\[RUN\]  /{ id = $2; sub(":", "", id); ids[++n] = id }
         /^\[OK\]   /{ id = $2; sub(":", "", id); ok[id] = 1 }
         END { for (i = 1; i <= n; i++) if (!ok[ids[i]]) printf "%s%s", s, ids[i], s = " " ; print "" }' <<<"$output"
}

# fails_exactly FIXTURE ID... — the fixture's full contract run exits 1,
# runs every case it lists, and fails exactly these cases.
fails_exactly() {
    local f=$1; shift
    skip_if_withheld "tests/fixtures/${f%.s}.patch"
    run -1 contract "$f"
    assert_equal "$(failing_cases)" "$*"
    local want
    want=$(contract "$f" --list | wc -l)
    assert_equal "$(grep -c '^\[RUN\]  ' <<<"$output")" "$want"
    assert_line "$((want - $#)) passed, $# failed"
}

# ------------------------------------------------------------ verdicts

@test "make check passes the reference allocator and ends with one verdict line" {
    run -0 make -s -C "$MEMKIT_ROOT" check ALLOC=
    n=$(( $(i386 alloc-test --list | wc -l) + 1 ))
    if [ -x "$BUILD/trace-driver" ]; then
        n=$(( n + $(ls "$MEMKIT_ROOT"/tests/traces/*.rep 2>/dev/null | wc -l) ))
    fi
    assert_equal "${lines[-1]}" "check: ALLOC=ref: $n passed, 0 failed"
    refute_line --partial "[FAIL]"
    assert_line "heap map: heap-map ran to its end; every walk found the heap whole"
}

@test "every kit allocator in asm/allocators passes make check, each property it declares included" {
    local f a p n=0
    for f in "$MEMKIT_ROOT"/asm/allocators/*.s; do
        [ -f "$f" ] || continue
        a=$(basename "$f" .s)
        run -0 make -s -C "$MEMKIT_ROOT" check ALLOC="$a"
        assert_line "heap map: heap-map ran to its end; every walk found the heap whole"
        # every kit trace replayed with zero errors (the trace driver's
        # only test of the kit's designs on them)
        [ "$(grep -cE '^trace [a-z0-9-]+: ok$' <<<"$output")" -eq "$(ls "$MEMKIT_ROOT"/tests/traces/*.rep | wc -l)" ] ||
            fail "$a: not every kit trace replayed OK"
        refute_line --partial "[FAIL]"
        while read -r p ids; do
            [ -n "$ids" ] || fail "$a: no case checks $p"
            for id in $ids; do
                assert_line --regexp "^\[OK\]   $id: "
            done
        done < <(declared_cases "$BUILD/alloc/$a/alloc-test")
        assert_line "$(i386 "$BUILD/alloc/$a/alloc-test" --list | wc -l) passed, 0 failed"
        assert_regex "${lines[-1]}" "^check: ALLOC=$a: [0-9]+ passed, 0 failed\$"
        n=$((n + 1))
    done
    # A course handout may withhold some or all of them.
    gone=$(withheld_count 'asm/allocators/*.s')
    [ "$n" -gt 0 ] || [ "$gone" -eq 0 ] || skip "withheld from the handout: asm/allocators/*.s"
    [ "$n" -ge $((10 - gone)) ]
}

@test "next fit passes splits and coalesces on a heap that earlier cases left full of free blocks" {
    skip_if_withheld asm/allocators/nextfit.s
    run -0 i386 "$BUILD/alloc/nextfit/alloc-test" --no-fork no-overlap random splits coalesces
    assert_equal "${lines[-1]}" "4 passed, 0 failed"
}

@test "a correct split answer in a path with a space passes make check, splits included" {
    skip_if_withheld tests/fixtures/good/split.patch
    cp "$FIXTURES/good/split.s" "my split.s"
    run -0 make -s -C "$MEMKIT_ROOT" check ALLOC="$PWD/my split.s"
    assert_line --regexp '^declared: first-fit book-header splits$'
    assert_line --regexp '^\[OK\]   splits: '
    assert_line --regexp "^check: ALLOC=$PWD/my split.s: [0-9]+ passed, 0 failed$"
}

@test "an ALLOC path with a single quote in it passes make check" {
    skip_if_withheld tests/fixtures/good/split.patch
    # docs/exercises.md suggests ALLOC="$HOME/mine.s"; HOME may be /home/o'brien.
    mkdir "o'brien"
    cp "$FIXTURES/good/split.s" "o'brien/mine.s"
    run -0 make -s -C "$MEMKIT_ROOT" check ALLOC="$PWD/o'brien/mine.s"
    assert_line --regexp "^check: ALLOC=$PWD/o'brien/mine\.s: [0-9]+ passed, 0 failed$"
}

@test "an ALLOC path with \$(...) in it is refused before anything runs, and nothing in it is run" {
    skip_if_withheld tests/fixtures/good/split.patch
    mkdir -p 'd$(shell touch made-by-make)'
    cp "$FIXTURES/good/split.s" 'd$(shell touch made-by-make)/mine.s'
    run -2 --separate-stderr make -s -C "$MEMKIT_ROOT" check ALLOC="$PWD/"'d$(shell touch made-by-make)/mine.s'
    [[ "$stderr" == *"a path with '\$' in it cannot go through make"* ]]
    [ ! -e made-by-make ] && [ ! -e "$MEMKIT_ROOT/made-by-make" ] || false
    assert_output ""
}

@test "a correct auto-init answer passes make check: auto-init replaces before-init" {
    skip_if_withheld tests/fixtures/good/autoinit.patch
    cp "$FIXTURES/good/autoinit.s" mine.s
    run -0 make -s -C "$MEMKIT_ROOT" check ALLOC="$PWD/mine.s"
    assert_line --regexp '^\[OK\]   auto-init: '
    refute_line --regexp '^\[RUN\]  before-init: '
    assert_line --regexp '^check: ALLOC=.*mine.s: [0-9]+ passed, 0 failed$'
}

@test "a broken split fails make check naming the property, and the other cases still run" {
    skip_if_withheld tests/fixtures/broken/split-no-header.patch
    run -2 --separate-stderr make -s -C "$MEMKIT_ROOT" check ALLOC="$FIXTURES/broken/split-no-header.s"
    assert_line --regexp '^  splits: \[FAIL\] got 0xffffffff, expected 0x0 \(splits: after the split the heap no longer walks: flag is neither 0 nor 1: the block at 0x[0-9a-f]{8} \(heap_begin \+ 0x[0-9a-f]{8}\), header words 0x[0-9a-f]{8} 0x[0-9a-f]{8}, c-harness/contract/tags\.c:[0-9]+\)$'
    assert_line --regexp '^\[OK\]   callee-saved: '
    assert_line --regexp '^\[RUN\]  random: '
    # Three contract cases, and every kit trace (each overlaps or crashes).
    local traces=("$MEMKIT_ROOT"/tests/traces/*.rep)
    assert_line --regexp '^\[FAIL\] trace records: tests/traces/records\.rep: op [0-9]+ \(line [0-9]+: a [0-9]+ 324\): '
    assert_line --regexp "^  trace records: \[FAIL\] tests/traces/records\.rep: op "
    assert_equal "${lines[-1]}" "check: ALLOC=$FIXTURES/broken/split-no-header.s: $(( $(contract broken/split-no-header.s --list | wc -l) - 2 )) passed, $(( 3 + ${#traces[@]} )) failed"
}

@test "check.sh exits 1 when a property fails and 0 when none does" {
    run -1 "$MEMKIT_ROOT/tools/check.sh" "$(dir_of "$FIXTURES/broken/coalesce-lie.s")"
    assert_line --regexp '^  coalesces: \[FAIL\] got 0x[0-9a-f]+, expected 0x[0-9a-f]+ \(coalesces: after two neighbouring 64-byte blocks are freed, a 136-byte request should fit in them merged, without moving the break, c-harness/contract/tags\.c:[0-9]+\)$'
    run -0 "$MEMKIT_ROOT/tools/check.sh" "$(dir_of "$FIXTURES/layouts/swapped.s")"
}

@test "a crashing allocator fails its cases with the signal named; make check still gives its verdict" {
    skip_if_crash_hangs
    run -2 make -s -C "$MEMKIT_ROOT" check ALLOC="$FIXTURES/broken/free-null-crash.s"
    assert_line --regexp '^  free-null: \[FAIL\] got 0xb, expected 0x0 \(free-null: crashed with signal 11 \(SIGSEGV, a bad memory access\) '
    assert_line --regexp '^\[OK\]   random: '
    assert_line --regexp '^check: ALLOC=.*free-null-crash.s: [0-9]+ passed, 3 failed$'
}

@test "a case that never returns fails on its alarm and the next case still runs" {
    run -1 contract broken/free-null-hang.s --timeout 1 free-null reuse
    assert_line --regexp '^\[FAIL\] got 0x1, expected 0x0 \(free-null: timed out after 1 s of CPU time: an allocator call that never returns'
    assert_line --regexp '^\[OK\]   reuse: '
    assert_line "1 passed, 1 failed"
}

@test "after one case times out the later ones get 1 s each, and make check says timed out in every output" {
    run -1 contract broken/free-null-hang.s --timeout 2 free-null callee-saved before-init
    assert_line --regexp '\(free-null: timed out after 2 s of CPU time: '
    assert_line --regexp '\(callee-saved: timed out after 1 s of CPU time: '
    assert_line --regexp '\(before-init: timed out after 1 s of CPU time: '
    run -2 make -s -C "$MEMKIT_ROOT" check ALLOC="$FIXTURES/broken/free-null-hang.s" TIMEOUT=2 FORMAT=tap RESULTS="$PWD/r.json"
    assert_line --regexp '^# \[FAIL\] got 0x2, expected 0x0 \((before-init|free-null): timed out after 2 s of CPU time: '
    refute_line --partial 'status 124'
    run -0 jq -r '.tests[] | select(.name == "free-null") | .output' r.json
    assert_output --regexp 'free-null: timed out after [12] s of CPU time'
}

@test "an allocator that does not assemble gets one failed build result, and a results.json" {
    printf '.globl allocate\nallocate:\n    movl %%eax, %%nosuch\n' > bad.s
    run -2 --separate-stderr make -s -C "$MEMKIT_ROOT" check ALLOC="$PWD/bad.s" RESULTS="$PWD/r.json"
    [[ "$stderr" == *"bad register name"* ]]
    assert_line --regexp '^\[FAIL\] build: the allocator did not assemble or link'
    # The assembler's own line, naming the student's file and line.
    assert_line "$PWD/bad.s:3: Error: bad register name \`%nosuch'"
    refute_line --regexp 'build/alloc/[^ ]*/alloc\.s:' 
    assert_equal "${lines[-1]}" "check: ALLOC=$PWD/bad.s: 0 passed, 1 failed"
    run -0 jq -r '[.score, (.tests | length), .tests[0].name, .tests[0].status] | @tsv' r.json
    assert_output "$(printf '0\t1\tbuild\tfailed')"
    run -0 jq -r '.tests[0].output' r.json
    assert_line "$PWD/bad.s:3: Error: bad register name \`%nosuch'"
    run -2 make -s -C "$MEMKIT_ROOT" check ALLOC="$PWD/bad.s" FORMAT=tap
    assert_line "# $PWD/bad.s:3: Error: bad register name \`%nosuch'"
}

@test "RESULTS= may name a file with a single quote in its path" {
    printf '.globl allocate\nallocate:\n    movl %%eax, %%nosuch\n' > bad.s
    mkdir "o'brien"
    run -2 make -s -C "$MEMKIT_ROOT" check ALLOC="$PWD/bad.s" RESULTS="$PWD/o'brien/r.json"
    run -0 jq -r '.tests[0].name' "o'brien/r.json"
    assert_output build
}

@test "FORMAT=tap keeps stdout pure TAP while make builds the allocator" {
    cp "$MEMKIT_ROOT/asm/alloc.s" fresh.s       # a new path: built now
    # not -s: make echoes every as/ld line it runs, all to stderr
    run -0 --separate-stderr bash -c 'cd "$1" && make --no-print-directory check ALLOC="$2" FORMAT=tap' \
        _ "$MEMKIT_ROOT" "$PWD/fresh.s"
    [[ "$stderr" == *"ld -m elf_i386"* ]]
    assert_equal "${lines[0]}" "TAP version 13"
    other=$(grep -vE '^(TAP version 13|1\.\.[0-9]+|(not )?ok [0-9]+ - .*|# .*)$' <<<"$output" || true)
    assert_equal "$other" ""
}

@test "under make test a failing contract shows its [FAIL] lines, not just an exit code" {
    skip_if_withheld tests/fixtures/broken/split-no-header.patch
    # tests/alloc.bats's main test, run as make test ALLOC=... runs it
    MEMKIT_ALLOC_TAG="$("$MEMKIT_ROOT/tools/alloc-resolve" "$FIXTURES/broken/split-no-header.s")" \
        run -1 user_bats -f "passes every case under qemu-i386" "$MEMKIT_ROOT/tests/alloc.bats"
    assert_line --regexp '^#   \[FAIL\] got 0xffffffff, expected 0x0 \(splits: after the split the heap no longer walks'
}

@test "make check with a FORMAT other than tap exits 2 and says why" {
    run -2 make -s -C "$MEMKIT_ROOT" check ALLOC= FORMAT=xml
    assert_output --partial "FORMAT is tap or empty, not 'xml'"
}

# ------------------------------------------------------------ TAP and JSON

@test "FORMAT=tap prints TAP: version, plan, one line per property, failures as not ok" {
    run -2 make -s -C "$MEMKIT_ROOT" check FORMAT=tap ALLOC="$FIXTURES/broken/coalesce-lie.s"
    assert_equal "${lines[0]}" "TAP version 13"
    n=$(grep -cE '^(not )?ok [0-9]+ - ' <<<"$output")
    assert_equal "${lines[1]}" "1..$n"
    assert_line --regexp '^not ok [0-9]+ - coalesces$'
    assert_equal "$(grep -c '^not ok ' <<<"$output")" 1
    assert_line --regexp '^ok [0-9]+ - heap-map$'
    refute_line --regexp '^\[(RUN|OK)\]'
}

@test "RESULTS= writes a Gradescope results.json that jq reads: one test per property, score, leaderboard" {
    command -v jq >/dev/null || fail "jq is missing: run make deps"
    mkdir "out dir"
    run -2 make -s -C "$MEMKIT_ROOT" check ALLOC="$FIXTURES/broken/coalesce-lie.s" RESULTS="$PWD/out dir/results.json"
    j="out dir/results.json"
    run -0 jq -e 'type == "object"' "$j"
    total=$(jq '.tests | length' "$j")
    [ "$total" -ge 16 ]
    run -0 jq -r '.tests[] | select(.status == "failed") | .name' "$j"
    assert_output "coalesces"
    run -0 jq -e '.score == ([.tests[].score] | add) and .score == '"$((total - 1))" "$j"
    run -0 jq -e 'all(.tests[]; .max_score == 1 and (.output | type) == "string")' "$j"
    run -0 jq -r '.tests[] | select(.name == "coalesces") | .output' "$j"
    assert_line --partial "[FAIL] got 0x"
    run -0 jq -e '(.leaderboard | length) >= 2 and all(.leaderboard[]; (.value | type) == "number" and .order == "asc")' "$j"
    # the figure is the one the random case printed
    bytes=$(jq -r '.tests[] | select(.name == "random") | .output' "$j" |
            sed -n 's/.*; heap \([0-9]*\) bytes in .*/\1/p')
    [ -n "$bytes" ]
    run -0 jq -r '.leaderboard[] | select(.name == "random: heap bytes at the end") | .value' "$j"
    assert_output "$bytes"
    ls -A "out dir" > files
    assert_equal "$(cat files)" "results.json"
}

@test "a results.json in a directory that does not exist is an error, exit 2" {
    run -2 "$MEMKIT_ROOT/tools/check.sh" --results-json "$PWD/no such dir/r.json" "$(dir_of "$FIXTURES/layouts/swapped.s")"
    assert_line --partial "check: cannot write $PWD/no such dir/r.json"
}

@test "RESULTS= never writes through a symlink planted at a predictable temporary name" {
    # check.sh used to write "$json.tmp.$$": with exec, $$ is this shell's.
    echo "precious" > victim
    run -1 bash -c 'ln -s victim "r.json.tmp.$$"
        exec "$0" --build-failed --results-json r.json "$1"' \
        "$MEMKIT_ROOT/tools/check.sh" "$BUILD"
    assert_equal "$(cat victim)" "precious"
    run -0 jq -r '.tests[0].name' r.json
    assert_output "build"
    [ -z "$(find . -name '.write-atomic.*')" ]
}

@test "a read-only results.json is refused, exit 2, and kept as it was" {
    echo old > r.json && chmod 444 r.json
    run -2 --separate-stderr "$MEMKIT_ROOT/tools/check.sh" --build-failed --results-json r.json "$BUILD"
    [[ "$stderr" == *"Permission denied"* ]]
    [[ "$stderr" == *"check: cannot write r.json"* ]]
    assert_equal "$(cat r.json)" old
}

@test "a results.json that is not a regular file (a pipe) is written in place, not replaced" {
    mkfifo r.json
    timeout 20 cat r.json > got &
    run -1 "$MEMKIT_ROOT/tools/check.sh" --build-failed --results-json r.json "$BUILD"
    wait
    [ -p r.json ]
    run -0 jq -r '.tests[0].name' got
    assert_output "build"
}

@test "a results.json write that fails (ulimit -f) keeps the old file and leaves no temporary file" {
    echo old > r.json
    run -2 bash -c 'ulimit -f 0; exec "$@"' _ \
        "$MEMKIT_ROOT/tools/check.sh" --build-failed --results-json r.json "$BUILD"
    assert_line --partial "check: cannot write r.json"
    assert_equal "$(cat r.json)" old
    run -0 ls -A
    assert_output r.json
}

@test "results.json stays valid JSON when the allocator crashes" {
    skip_if_crash_hangs
    run -2 make -s -C "$MEMKIT_ROOT" check ALLOC="$FIXTURES/broken/free-null-crash.s" RESULTS="$PWD/r.json"
    run -0 jq -r '.tests[] | select(.status == "failed") | .name' r.json
    assert_output "before-init
free-null
callee-saved"
    run -0 jq -r '.tests[] | select(.name == "free-null") | .output' r.json
    assert_output --partial "SIGSEGV"
}

# ------------------------------------------------------------ trace driver

# A build directory with only heap-map (the contract then fails as
# missing, which keeps these tests quick): 2 results before the traces.
@test "without a trace driver make check says so and counts nothing for it" {
    mkdir ab
    cp "$BUILD/heap-map" ab/
    run -1 "$MEMKIT_ROOT/tools/check.sh" ab
    assert_line "trace driver: not built yet (no ab/trace-driver)"
    assert_equal "${lines[-1]}" "check: ALLOC=ref: 1 passed, 1 failed"
}

@test "check.sh runs the trace driver on each trace and fails the trace it rejects" {
    mkdir ab traces
    cp "$BUILD/heap-map" ab/
    touch traces/one.rep traces/two.rep
    cp "$BUILD/book-caller" ab/trace-driver     # exits 0 whatever the trace
    run -1 "$MEMKIT_ROOT/tools/check.sh" --traces traces ab
    assert_line "trace one: ok"
    assert_line "trace two: ok"
    assert_equal "${lines[-1]}" "check: ALLOC=ref: 3 passed, 1 failed"
    cp "$BUILD/heap-map" ab/trace-driver        # a file argument: exits 2
    run -1 "$MEMKIT_ROOT/tools/check.sh" --traces traces ab
    assert_line "[FAIL] trace one: exit status 2"
    assert_line --regexp '^  trace two: '
    assert_equal "${lines[-1]}" "check: ALLOC=ref: 1 passed, 3 failed"
}

# ------------------------------------------------ declarations

@test "an allocator without memkit_props is held to the book's promises" {
    sed '/^\.section \.rodata$/,/^\.size memkit_props/d' "$MEMKIT_ROOT/asm/alloc.s" > plain.s
    refute grep -q memkit_props plain.s
    build_alloc "$PWD/plain.s" alloc-test
    run -0 i386 "$(dir_of "$PWD/plain.s")/alloc-test" --props
    assert_output "first-fit
book-header"
    run -0 i386 "$(dir_of "$PWD/plain.s")/alloc-test" before-init
    assert_line "declared: first-fit book-header  (no memkit_props: the book's)"
}

@test "a property name the kit does not know stops alloc-test with exit 2, and make check fails" {
    run -2 --separate-stderr contract broken/unknown-prop.s
    [[ "$stderr" == *"names a property the kit does not know: 'splitz'"* ]]
    run -2 make -s -C "$MEMKIT_ROOT" check ALLOC="$FIXTURES/broken/unknown-prop.s"
    assert_line --partial "'splitz'"
    assert_line --regexp '^  memkit_props: alloc-test: memkit_props names a property'
    assert_line --regexp '^check: ALLOC=.*: [0-9]+ passed, 1 failed$'
}

@test "alloc-test --list-all names the property each declared case needs" {
    skip_if_withheld tests/fixtures/good/split.patch
    run -0 i386 alloc-test --list-all
    assert_line --regexp '^splits  .* \[needs splits\]$'
    assert_line --regexp '^before-init  .* \[unless auto-init\]$'
    assert_line --regexp '^no-overlap  live blocks never overlap'
    run -0 contract good/split.s --list
    assert_line --regexp '^splits  '
    run -0 i386 alloc-test --list
    refute_line --regexp '^splits  '
}

@test "a plain run's cases are decided by memkit_props and the exports alone" {
    skip_if_withheld asm/allocators/coalesce.s asm/allocators/bestfit.s
    # the reference exports no reallocate, heap_check or memkit_layout:
    # the cases that need them are listed, and left out of a plain run
    run -0 i386 alloc-test --list-all
    assert_line --regexp '^realloc-edges  .* \[needs reallocate, heap_check\]$'
    assert_line --regexp '^best-fit  .* \[needs best-fit, heap_check\]$'
    run -0 i386 alloc-test --list
    refute_line --regexp '^realloc-'
    refute_line --regexp '^heap-check-damage  '
    # bestfit declares best-fit and exports all three: its case and the
    # export cases run; first fit's do not
    run -0 i386 "$BUILD/alloc/bestfit/alloc-test" --list
    assert_line --regexp '^best-fit  '
    assert_line --regexp '^realloc-edges  '
    assert_line --regexp '^heap-check-damage  '
    refute_line --regexp '^first-fit(-policy)?  '
    run -0 i386 "$BUILD/alloc/coalesce/alloc-test" --list
    assert_line --regexp '^first-fit-policy  '
    refute_line --regexp '^best-fit  '
}

@test "a first-fit allocator that declares best-fit fails the best-fit case alone" {
    fails_exactly broken/bestfit-lie.s best-fit
    assert_line --regexp '^\[FAIL\] got 0x[0-9a-f]+, expected 0x[0-9a-f]+ \(A\(150\), .*contract/fit\.c:[0-9]+\)$'
}

@test "a case named on the command line runs even when the allocator does not declare it" {
    # The reference hands a reused block out whole: splits says so.
    run -1 i386 alloc-test splits
    assert_line --regexp '^\[FAIL\] got 0x0, expected 0x1 \(splits: after a 64-byte request reuses a 256-byte free block, the rest of it should be a free block; found none \(it was handed out whole\), c-harness/contract/tags\.c:[0-9]+\)$'
}

@test "an allocator with another header layout passes, walked through its memkit_layout" {
    run -0 contract layouts/swapped.s
    assert_line --regexp '^declared: first-fit$'
    refute_line --regexp '^\[RUN\]  header-layout'
    run -0 i386 "$(dir_of "$FIXTURES/layouts/swapped.s")/heap-map"
    diff -u "$FIXTURES/heap-map.expected" <(sed -E 's/0x[0-9a-f]{8}/0x????????/g' <<<"$output")
}

@test "the same swapped header walked as the book's reads as corrupt" {
    sed '/^memkit_layout:/,/^\.size memkit_layout/d; /memkit_layout/d' \
        "$FIXTURES/layouts/swapped.s" > nolayout.s
    build_alloc "$PWD/nolayout.s" heap-map
    run -0 i386 "$(dir_of "$PWD/nolayout.s")/heap-map"
    assert_line --regexp '^heap: corrupt header at 0x[0-9a-f]{8}: flag is neither 0 nor 1; stopping$'
}

# ------------------------------------------------ broken allocators

@test "misaligned payloads are caught by alignment (and the cases that place odd sizes)" {
    fails_exactly broken/misaligned.s header-layout alignment zero-size no-overlap first-fit free-null random
    assert_line --regexp '^\[FAIL\] got 0x[1-7], expected 0x0 \(alignment: allocate\([0-9]+\) returned a payload that is not 8-byte aligned'
}

@test "a block handed out twice is caught by no-overlap, first-fit and random" {
    fails_exactly broken/overlap.s alignment no-overlap first-fit random
    assert_line --regexp '^\[FAIL\] .*\(random: operation [0-9]+: allocate\([0-9]+\) overlaps a live [0-9]+-byte block'
}

@test "a lost byte in a live block is caught by every case that checks live bytes after growth" {
    fails_exactly broken/lost-byte.s alignment no-overlap brk-failure random
    assert_line --regexp '^\[FAIL\] .*\(no-overlap: a live [0-9]+-byte block lost a byte'
}

@test "a clobbered %esi is caught by callee-saved alone, named" {
    fails_exactly broken/clobber-esi.s callee-saved
    assert_line --regexp '^\[FAIL\] got 0x2, expected 0x0 \(callee-saved: deallocate\(p\) broke %esi, '
}

@test "DF left set is caught by callee-saved alone, named" {
    fails_exactly broken/df-set.s callee-saved
    assert_line --regexp '^\[FAIL\] got 0x20, expected 0x0 \(callee-saved: deallocate\(p\) broke DF \(left set\), '
}

@test "a brk before allocate_init without declaring auto-init is caught by before-init alone" {
    fails_exactly broken/brk-before-init.s before-init
    assert_line --regexp '^\[FAIL\] .*\(before-init: allocate\(16\) before allocate_init should return 0 \(declare auto-init'
}

@test "a split that does not subtract the new header is caught by splits, no-overlap and random" {
    skip_if_withheld tests/fixtures/broken/split-no-header.patch
    fails_exactly broken/split-no-header.s no-overlap splits random
    assert_line --regexp '^\[FAIL\] got 0xffffffff, expected 0x0 \(splits: after the split the heap no longer walks: flag is neither 0 nor 1: the block at 0x[0-9a-f]{8} '
}

@test "declaring splits while never using a bigger free block is caught by splits alone" {
    skip_if_withheld tests/fixtures/broken/split-never.patch
    fails_exactly broken/split-never.s splits
    assert_line --regexp '^\[FAIL\] got 0x0, expected 0x1 \(splits: 64-byte requests should be carved out of the free 256-byte block before the heap grows; 1 requests never used it, '
}

@test "a split that leaves its rest marked in use is caught by splits and random" {
    skip_if_withheld tests/fixtures/broken/split-rest-used.patch
    fails_exactly broken/split-rest-used.s splits random
    assert_line --regexp '^\[FAIL\] got 0x2, expected 0x1 \(splits: the old free block should hold the 64-byte block and free blocks only \(got: used blocks in it\), '
}

@test "a split whose rest runs up to the break is caught by splits as not covering the old block" {
    skip_if_withheld tests/fixtures/broken/split-to-break.patch
    fails_exactly broken/split-to-break.s no-overlap first-fit splits random
    assert_line --regexp '^\[FAIL\] got 0x1, expected 0x0 \(splits: the used block and the free remainder should cover the old block exactly, headers included \(a gap or an overlap\), '
}

@test "declaring coalesces without merging is caught by coalesces alone" {
    fails_exactly broken/coalesce-lie.s coalesces
}

@test "declaring coalesces without merging is caught by coalesces alone even when the request fits elsewhere" {
    fails_exactly broken/coalesce-chunk-lie.s coalesces
    assert_line --regexp '^\[FAIL\] got 0x[0-9a-f]+, expected 0x[0-9a-f]+ \(coalesces: the two freed neighbours are not one free block, so the 136-byte block should be made of them, \[0x[0-9a-f]+, 0x[0-9a-f]+\); it is at 0x[0-9a-f]+, '
}

@test "declaring auto-init without it is caught by auto-init alone" {
    fails_exactly broken/autoinit-lie.s auto-init
    assert_line --regexp '^\[FAIL\] .*\(auto-init: allocate\(16\) before allocate_init should start the heap'
}

@test "taking the last fitting block while declaring first-fit is caught by first-fit alone" {
    fails_exactly broken/last-fit.s first-fit
    assert_line --regexp '^\[FAIL\] .*\(first-fit: with two free 1000-byte blocks, allocate\(800\) should come from the lower one, \[0x[0-9a-f]+, 0x[0-9a-f]+\); it returned 0x[0-9a-f]+, '
}

# ------------------------------------- correct but unusual allocators
#
# Each keeps the promises it declares with addresses the reference would
# not pick: each passes make check whole (exit 0), and its broken twin
# fails naming the property.

# passes_check FIXTURE — make check passes it, every check, exit 0.
passes_check() {
    skip_if_withheld "tests/fixtures/${1%.s}.patch"
    run -0 make -s -C "$MEMKIT_ROOT" check ALLOC="$FIXTURES/$1"
    refute_line --partial "[FAIL]"
    assert_regex "${lines[-1]}" "^check: ALLOC=.*$1: [0-9]+ passed, 0 failed\$"
}

@test "a split that places at the end (the front stays free) passes make check, first-fit included" {
    passes_check good/split-end.s
    assert_line --regexp '^\[OK\]   first-fit: '
    assert_line --regexp '^\[OK\]   splits: '
}

@test "its twin, a place-at-end split that leaves a 0-byte free front, fails splits and random" {
    fails_exactly broken/split-end-tiny.s splits random
    assert_line --regexp '^\[FAIL\] .*\(splits: allocate\(176\) from a free 184-byte block left a free remainder of 0 bytes: too small to use'
}

@test "a place-at-end split that also coalesces passes make check, coalesces included" {
    passes_check good/split-end-coalesce.s
    assert_line --regexp '^\[OK\]   coalesces: '
}

@test "its twin, a merge that loses the next block's header, fails coalesces and random" {
    fails_exactly broken/split-end-coalesce-lost-header.s coalesces random
    assert_line --regexp "^\[FAIL\] .*\(random: operation [0-9]+: the heap no longer walks with the allocator's layout: .*: the block at 0x[0-9a-f]{8} \(heap_begin \+ 0x[0-9a-f]{8}\), header words 0x[0-9a-f]{8} 0x[0-9a-f]{8}, "
}

@test "a 16-byte header that does not declare book-header passes make check" {
    passes_check good/header16.s
    refute_line --regexp '^\[RUN\]  header-layout: '
}

@test "its twin, the 16-byte header declaring book-header, fails header-layout and random" {
    fails_exactly broken/header16-book.s header-layout random
}

@test "a heap that starts at the break rounded up to a page passes make check" {
    passes_check good/heap-page.s
}

@test "its twin, a heap a page past the break, fails init-at-break alone" {
    fails_exactly broken/heap-page-past.s init-at-break
    assert_line --regexp '^\[FAIL\] .*\(init-at-break: heap_begin should be the break brk\(0\) returned \(0x[0-9a-f]+\), rounded up to a multiple of 8, 16, ... or 4096; it is 0x[0-9a-f]+, '
}

# ------------------------------------------------- misses, now caught

@test "a split that leaves a free remainder of 0 bytes is caught by splits and random" {
    fails_exactly broken/split-tiny.s splits random
    assert_line --regexp '^\[FAIL\] .*\(splits: allocate\(176\) from a free 184-byte block left a free remainder of 0 bytes: too small to use \(a block needs a header and a payload of at least 8 bytes\), '
}

@test "heap-map calls a 0-byte free remainder too small to use" {
    skip_if_withheld tests/fixtures/broken/split-tiny.patch
    build_alloc "$FIXTURES/broken/split-tiny.s" heap-map
    run -0 i386 "$(dir_of "$FIXTURES/broken/split-tiny.s")/heap-map" a64 a16 f1 a56
    assert_line --partial "splits #1's block: 56 bytes used, a free remainder of 0 bytes: too small to use (a block needs a payload of at least 8)"
}

@test "a split at the unrounded size is caught by alignment on the block cut from a freed one" {
    fails_exactly broken/split-misaligned.s alignment random
    assert_line --regexp '^\[FAIL\] got 0x[1-7], expected 0x0 \(alignment: allocate\(2\) from a freed 1024-byte block returned a payload that is not 8-byte aligned'
}

@test "a first-fit allocator that passes by a larger free block and grows is caught by first-fit and random's fit rule" {
    fails_exactly broken/exact-fit.s first-fit random
    assert_line --regexp '^\[FAIL\] .*\(random: operation [0-9]+: a free block of [0-9]+ bytes fitted allocate\([0-9]+\), but the break moved \(first-fit\), '
}

@test "a book-header allocator that grows with a block to spare is caught by random's growth rule alone" {
    fails_exactly broken/grow-pad.s random
    assert_line --regexp '^\[FAIL\] .*\(random: operation 0: nothing free fitted allocate\([0-9]+\): the new block should start at the old break, '
}

@test "make check fails the heap map, naming the signal, when heap-map itself crashes" {
    skip_if_crash_hangs
    # crash.s's 4th allocate dereferences NULL: heap-map's 4th step.
    run -2 make -s -C "$MEMKIT_ROOT" check ALLOC="$MEMKIT_ROOT/tests/fixtures/broken-trace/crash.s"
    assert_line '[FAIL] heap-map: heap-map was killed by signal 11 (it crashed in the allocator or on memory it returned) (expected: exit 0 and no corrupt block)'
    refute_line --partial 'heap-map ran to its end'
}

@test "an allocator that ends the program with exit(0) fails every case it cuts short, heap-map and the traces" {
    fails_exactly broken/exit0.s init-twice header-layout alignment zero-size no-overlap reuse first-fit free-null brk-failure unsigned-size callee-saved random
    [ "$(grep -c 'the process exited 0 before the case finished' <<<"$output")" -eq 12 ]
    run -2 make -s -C "$MEMKIT_ROOT" check ALLOC="$FIXTURES/broken/exit0.s" FORMAT=tap RESULTS="$PWD/r.json"
    assert_line --regexp '^not ok [0-9]+ - heap-map$'
    assert_line --regexp '^# \[FAIL\] heap-map: the process exited 0 before the case finished'
    assert_line --regexp '^not ok [0-9]+ - trace records$'
    run -0 jq -r '.tests[] | select(.status == "passed") | .name' r.json
    assert_output "$(printf 'before-init\ninit-at-break\nsize-overflow')"
    run -0 jq -r '.tests[] | select(.name == "trace lifo") | .output' r.json
    assert_output --partial 'the process exited 0 before the case finished'
}

@test "a deallocate(0) that crashes fails exactly the cases that call it, each naming SIGSEGV" {
    skip_if_crash_hangs
    fails_exactly broken/free-null-crash.s before-init free-null callee-saved
    [ "$(grep -c 'crashed with signal 11 (SIGSEGV' <<<"$output")" -eq 3 ]
}

@test "an allocator whose own heap_check() complains is caught by random and first-fit-policy alone" {
    # (and by first-fit-policy, the one declared case that asks heap_check
    # whether the heap is still whole)
    fails_exactly broken/heap-check-fails.s random first-fit-policy
    assert_line --regexp "^\[FAIL\] got 0x1, expected 0x0 \(random: by operation 999 the allocator's own heap_check\(\) finds its heap inconsistent, "
}

@test "every broken allocator fixture is pinned by a test in this file" {
    local p n=0
    for p in "$FIXTURES"/broken/*.patch; do
        [ -f "${p%.patch}.s" ] || fail "make wrote no ${p%.patch}.s"
        grep -q "broken/$(basename "${p%.patch}").s" "$BATS_TEST_FILENAME" ||
            fail "no test names broken/$(basename "${p%.patch}").s"
        n=$((n + 1))
    done
    [ "$n" -ge $((18 - $(withheld_count 'tests/fixtures/broken/*.patch'))) ]
}

@test "a broken fixture is the allocator it breaks with its patch's lines, and says what its defect is" {
    local f=$FIXTURES/broken/clobber-esi.s
    grep -q '^# deallocate zeroes %esi, a callee-saved register, without$' "$f"
    # Below the header, asm/alloc.s and the one added line, nothing else.
    run diff <(sed -n '/^\.include "linux.s"/,$p' "$MEMKIT_ROOT/asm/alloc.s") \
             <(sed -n '/^\.include "linux.s"/,$p' "$f")
    assert_equal "$(grep -c '^[<>]' <<< "$output")" 1
    assert_line --regexp '^> +xorl +%esi, %esi +# DEFECT'
}

@test "a defect patch that no longer applies stops with its name and leaves no allocator" {
    sed 's/^     testl %eax, %eax$/     testl %ebx, %eax/' \
        "$FIXTURES/broken/clobber-esi.patch" > stale.patch
    run -1 "$MEMKIT_ROOT/tools/fixture-from-patch.sh" stale.patch stale.s
    assert_output --partial 'stale.patch no longer applies to asm/alloc.s'
    [ ! -e stale.s ] && [ ! -e stale.s.part ]
}

# copy_kit DIR — the checkout's sources (no build/) in DIR, with one small
# trace so each check runs in a few seconds.
copy_kit() {
    mkdir "$1"
    tar -C "$MEMKIT_ROOT" --exclude=./build --exclude=./.git -cf - . |
        tar -C "$1" -xf -
    find "$1/tests/traces" -name '*.rep' ! -name lifo.rep -delete
}

@test "two make check runs at once in one checkout, of different allocators or the same one, both pass" {
    skip_if_withheld asm/allocators/split.s asm/allocators/autoinit.s
    # They share build/obj: unserialised, one linked the other's
    # half-written object (undefined reference to 'main') or lost its
    # fixed alloc.s.tmp. Three at once, from nothing: split twice (the
    # same allocator) and autoinit beside them (another one).
    copy_kit kit
    local a i pids=()
    local allocs=(split split autoinit)
    for i in 0 1 2; do
        make -s -C kit check ALLOC="${allocs[$i]}" > "$i.out" 2>&1 & pids+=($!)
    done
    for i in 0 1 2; do
        a=${allocs[$i]}
        wait "${pids[$i]}" || fail "make check ALLOC=$a failed: $(tail -3 "$i.out")"
        assert_regex "$(tail -1 "$i.out")" "^check: ALLOC=$a: [0-9]+ passed, 0 failed$"
    done
}
