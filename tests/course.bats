#!/usr/bin/env bats
# course: the kit as a graded lab (mk/course.mk, tools/course/,
# docs/teaching.md), tested as the platforms run it. Gradescope and
# Autolab cannot be reached from here, so the packages are unpacked into
# the trees the platforms make (Gradescope: ROOT/{source,submission,
# results}, the scripts taking ROOT from AUTOGRADER_ROOT; Autolab: one
# folder with autograde.tar, the Makefile and the handin) and run there,
# for submissions whose grade is known. Every results.json is checked
# against Gradescope's documented format with jq.

bats_require_minimum_version 1.5.0
load test_helper

# The replicated tree: one unpacked autograder.zip shared by one root per
# submission (ROOT/source is a link to it).
AG="$BATS_FILE_TMPDIR/autograder"

# case_root NAME — the Gradescope root of submission NAME.
case_root() {
    echo "$BATS_FILE_TMPDIR/case-$1"
}

# results NAME — that submission's results.json.
results() {
    echo "$(case_root "$1")/results/results.json"
}

# new_case NAME FILE... — a root whose submission/ holds these files.
new_case() {
    local r name=$1
    shift
    r=$(case_root "$name")
    mkdir -p "$r/submission" "$r/results"
    if [ "$name" = hang ]; then
        ln -s "$AG-fast/source" "$r/source"
    else
        ln -s "$AG/source" "$r/source"
    fi
    [ $# -eq 0 ] || cp "$@" "$r/submission/"
}

# noisy_alloc OUT — asm/alloc.s whose allocate_init first prints text
# that looks like the end of a results.json and 256 KiB of NUL bytes.
noisy_alloc() {
    awk '{ print }
         /^allocate_init:$/ { init = 1 }
         init && /^    pushl %ebx/ {
             print "    pushl %ecx"; print "    pushl %edx"
             print "    movl  $4, %eax"; print "    movl  $1, %ebx"
             print "    movl  $noise, %ecx"; print "    movl  $noise_len, %edx"
             print "    int   $0x80"
             print "    movl  $4, %eax"; print "    movl  $1, %ebx"
             print "    movl  $noise_buf, %ecx"; print "    movl  $262144, %edx"
             print "    int   $0x80"
             print "    popl  %edx"; print "    popl  %ecx"
             init = 0 }' "$MEMKIT_ROOT/asm/alloc.s" > "$1"
    cat >> "$1" <<'EOF'
.section .data
noise:
    .ascii "\n\"}], \"score\": 1000, \"tests\": [{\"name\": \"forged\", \"output\": \"\377\376\"}]}\n"
.equ noise_len, . - noise
.lcomm noise_buf, 262144
EOF
}

# The packages are built and every submission graded once, up front and
# side by side, so each test only reads its results.
setup_file() {
    local T=$BATS_FILE_TMPDIR n=0
    is_teachers_kit || return 0
    make -s -C "$MEMKIT_ROOT" all autograder autolab > "$T/make.out"
    mkdir -p "$AG/source"
    (cd "$AG/source" && unzip -q "$MEMKIT_ROOT/build/autograder/autograder.zip")
    AUTOGRADER_ROOT="$AG" "$AG/source/setup.sh" --check > "$T/setup-check.out" 2>&1 || true
    # What setup.sh builds once the packages are there.
    make -s -C "$AG/source/memkit" build/alloc-test build/heap-map build/trace-driver \
        build/plugin/icount.so > /dev/null
    # Two of the performance traces keep this file's time down.
    sed -i 's|^traces *=.*|traces = tests/traces/mixed.rep tests/traces/records.rep|' \
        "$AG/source/memkit/course/grading.conf"
    # The allocator that hangs is graded by a copy whose teacher turned
    # the knob: a case that hangs fails after 3 s, not 10.
    mkdir -p "$AG-fast"
    cp -a "$AG/source" "$AG-fast/source"
    sed -i 's/^case_timeout *=.*/case_timeout  = 3/' "$AG-fast/source/memkit/course/grading.conf"

    cp "$MEMKIT_ROOT/asm/alloc.s" "$T/mine.s"
    printf '.globl allocate\nallocate:\n    movl %%eax, %%nosuch\n' > "$T/broken asm.s"
    noisy_alloc "$T/noisy.s"
    new_case correct "$T/mine.s"
    new_case last-fit "$FIXTURES/broken/last-fit.s"
    new_case coalesce-lie "$FIXTURES/broken/coalesce-lie.s"
    new_case brk-before-init "$FIXTURES/broken/brk-before-init.s"
    new_case hang "$FIXTURES/broken/free-null-hang.s"
    new_case no-asm "$T/broken asm.s"
    new_case empty
    new_case two "$T/mine.s" "$FIXTURES/broken/last-fit.s"
    new_case noisy "$T/noisy.s"
    mkdir -p "$(case_root empty)/submission/notes"
    echo "my allocator is in my head" > "$(case_root empty)/submission/notes/README.txt"

    # Autolab: the tar, the Makefile and the handin in one folder.
    mkdir -p "$T/autolab"
    cp "$MEMKIT_ROOT/build/autolab/autograde.tar" "$T/autolab/"
    cp "$MEMKIT_ROOT/build/autolab/autograde-Makefile" "$T/autolab/Makefile"
    cp "$FIXTURES/broken/coalesce-lie.s" "$T/autolab/handin.s"

    # The handout, unpacked and built as a student would (its tests below).
    mkdir -p "$T/handout"
    tar -C "$T/handout" -xzf "$MEMKIT_ROOT/build/handout/memkit-handout.tar.gz"
    (cd "$T/handout/memkit-handout" && env -u MAKEFLAGS -u MAKELEVEL \
        make -s build/alloc-test build/heap-map build/trace-driver > "$T/handout.out" 2>&1) &

    for c in hang correct last-fit coalesce-lie brk-before-init no-asm empty two noisy; do
        AUTOGRADER_ROOT="$(case_root "$c")" "$(case_root "$c")/source/run_autograder" \
            > "$T/stdout-$c" 2>&1 &
        n=$((n + 1))
        [ $((n % 2)) -ne 0 ] || wait
    done
    (cd "$T/autolab" && env -u MAKEFLAGS -u MAKELEVEL make > out 2>&1) &
    # The performance index's arithmetic, with a stand-in counter whose
    # count is known: 300 instructions per operation of the trace.
    mkdir -p "$T/perf/none"
    printf '#!/bin/sh\necho $(( $(sed -n 3p "$2") * 300 ))\n' > "$T/perf/counter"
    chmod +x "$T/perf/counter"
    sed -e 's/^points *=.*/points = 20/' -e 's/^ops_target *=.*/ops_target = 150/' \
        -e 's|^traces *=.*|traces = tests/traces/records.rep|' \
        -e "s|^counter *=.*|counter = $T/perf/counter|" \
        "$MEMKIT_ROOT/course/grading.conf" > "$T/perf/grading.conf"
    "$MEMKIT_ROOT/tools/course/grade.sh" --config "$T/perf/grading.conf" \
        --traces "$T/perf/none" --results "$T/perf/results.json" "$T/mine.s" &
    # A counter that cannot count.
    sed "s|^counter *=.*|counter = /bin/false|" "$T/perf/grading.conf" > "$T/perf/false.conf"
    "$MEMKIT_ROOT/tools/course/grade.sh" --config "$T/perf/false.conf" \
        --traces "$T/perf/none" --results "$T/perf/false.json" "$T/mine.s" &
    wait
}

# is_teachers_kit — the packages are built from the kit's git checkout
# (git ls-files); a handout has none, and these tests are not its own.
is_teachers_kit() {
    git -C "$MEMKIT_ROOT" rev-parse --git-dir > /dev/null 2>&1
}

setup() {
    is_teachers_kit || skip "make handout and the graders build from the teacher's git checkout"
    memkit_setup
}

# gradescope_valid FILE — FILE is a results.json as Gradescope documents
# it: a number score and execution_time, a known stdout_visibility, and
# tests that each have a string name and output, number score and
# max_score, status passed or failed, a known visibility, no other keys.
gradescope_valid() {
    jq -e '
        def vis: . == "visible" or . == "hidden" or . == "after_due_date" or . == "after_published";
        type == "object"
        and (.score | type) == "number"
        and (.execution_time | type) == "number"
        and (.stdout_visibility | vis)
        and ((.visibility // "visible") | vis)
        and (.output | type) == "string"
        and (.tests | type) == "array" and (.tests | length) > 0
        and all(.tests[];
            (.name | type) == "string"
            and (.score | type) == "number" and (.max_score | type) == "number"
            and .score >= 0 and .score <= .max_score
            and (.status == "passed" or .status == "failed")
            and (.visibility | vis)
            and (.output | type) == "string"
            and ((keys - ["name", "score", "max_score", "status", "visibility", "output", "tags", "number"]) == []))
        and ((.leaderboard // []) | all(.[]; (.name | type) == "string" and (.value | type) == "number"))
        and .score == ([.tests[].score] | add)' "$1" > /dev/null
}

# lost NAME — "test points" for each test of that submission that lost
# points, one a line (performance, an index rather than a property, apart).
lost() {
    jq -r '.tests[] | select(.score < .max_score and .name != "performance") | "\(.name) \(.max_score - .score)"' "$(results "$1")"
}

# total NAME — the submission's full marks (the sum of max_score).
total() {
    jq '[.tests[].max_score] | add' "$(results "$1")"
}

# ------------------------------------------------------------ Gradescope

@test "setup.sh --check only reports what grading needs, by the kit's Debian package names" {
    run -0 cat "$BATS_FILE_TMPDIR/setup-check.out"
    assert_line --regexp '^memkit toolchain on .* \(grade\):$'
    assert_line --regexp '^  (ok      |MISSING ) jq'
    assert_line --regexp '^  (ok      |MISSING ) qemu-i386'
}

@test "autograder.zip holds setup.sh and run_autograder at its root, the kit and the held-out traces, no withheld answer" {
    run -0 unzip -Z1 "$MEMKIT_ROOT/build/autograder/autograder.zip"
    assert_line setup.sh
    assert_line run_autograder
    assert_line memkit/course/grading.conf
    assert_line --regexp '^memkit/course/traces/.+\.rep$'
    refute_line --regexp '^memkit/asm/allocators/.+\.s$'
    refute_line memkit/asm/upcase.s
    refute_line --regexp '^memkit/tests/fixtures/good/'
}

@test "a correct allocator gets full marks on every property, each a test with its points" {
    gradescope_valid "$(results correct)"
    run -0 lost correct
    assert_output ""
    run -0 jq -e '([.tests[] | select(.name != "performance") | .score == .max_score] | all)
        and ([.tests[] | select(.name != "performance") | .max_score] | add) > 30' "$(results correct)"
    run -0 jq -r '.tests[].name' "$(results correct)"
    assert_line alignment
    assert_line callee-saved
    assert_line heap-map
    assert_line "trace records"
    assert_line "held-out held-out-mixed"
}

@test "the held-out traces are tests visible after publishing; the rest as grading.conf says" {
    run -0 jq -r '.tests[] | "\(.visibility) \(.name)"' "$(results correct)"
    assert_line "after_published held-out held-out-mixed"
    assert_line "visible callee-saved"
    run -0 jq -r .stdout_visibility "$(results correct)"
    assert_output hidden
}

@test "the performance test shows the measured numbers behind its score, the same on every run" {
    run -0 jq -r '.tests[] | select(.name == "performance") | .output' "$(results correct)"
    assert_line --regexp '^performance index 0\.[0-9]{4} = 0\.6 x utilization credit [01]\.[0-9]{4} \+ \(1 - 0\.6\) x speed credit [01]\.[0-9]{4}$'
    assert_line --regexp '^tests/traces/records\.rep  326  90\.3%  [0-9]+\.[0-9]$'
    ipo=$(sed -n 's|^tests/traces/records\.rep  326  90\.3%  ||p' <<<"$output")
    # the count behind it, made again: the same number
    cd "$AG/source/memkit"
    d=$(ls -d build/alloc/file-mine-*/ | head -1)
    n=$(tools/icount-allocator "$d/trace-driver" tests/traces/records.rep)
    assert_equal "$(awk -v n="$n" 'BEGIN { printf "%.1f", n / 326 }')" "$ipo"
    assert_equal "$(tools/icount-allocator "$d/trace-driver" tests/traces/records.rep)" "$n"
    run -0 jq -r '.leaderboard[] | .name' "$(results correct)"
    assert_line "instructions per operation"
}

@test "a performance count that cannot be made scores 0 and says so, never a guess" {
    local r=$BATS_FILE_TMPDIR/perf/false.json
    gradescope_valid "$r"
    run -0 jq -r '.tests[] | select(.name == "performance") | "\(.score) \(.max_score) \(.status)", .output' "$r"
    assert_line "0 20 failed"
    assert_line --regexp '^performance: not measured: the counter /bin/false gave no count for tests/traces/records\.rep\.$'
    assert_line --regexp '^tests/traces/records\.rep  326  90\.3%  not measured$'
    run -0 jq -e 'has("leaderboard") | not' "$r"
}

@test "the performance index is the malloc lab's mix of utilization and speed credit, from the counter's count" {
    local r=$BATS_FILE_TMPDIR/perf/results.json
    gradescope_valid "$r"
    # records.rep: utilization 90.3%, at or above util_max 0.90: credit 1;
    # 300 instructions per operation against ops_target 150: credit 0.5;
    # 0.6 x 1 + 0.4 x 0.5 = 0.8 of 20 points.
    run -0 jq -r '.tests[] | select(.name == "performance") | "\(.score) \(.max_score) \(.status)", .output' "$r"
    assert_line "16 20 passed"
    assert_line "performance index 0.8000 = 0.6 x utilization credit 1.0000 + (1 - 0.6) x speed credit 0.5000"
    assert_line "tests/traces/records.rep  326  90.3%  300.0"
    run -0 jq -c '[.leaderboard[] | [.name, .value]]' "$r"
    assert_output '[["utilization",0.903],["instructions per operation",300]]'
}

@test "a grading.conf whose points or targets are not numbers is refused, naming the key" {
    sed 's/^random *=.*/random = lots/' "$MEMKIT_ROOT/course/grading.conf" > bad.conf
    run -2 "$MEMKIT_ROOT/tools/course/grade.sh" --config bad.conf --results r.json "$BATS_FILE_TMPDIR/mine.s"
    assert_output "grade: bad.conf: [points] random = 'lots' is not a number"
    sed 's/^ops_target *=.*/ops_target = fast/' "$MEMKIT_ROOT/course/grading.conf" > bad.conf
    run -2 "$MEMKIT_ROOT/tools/course/grade.sh" --config bad.conf --results r.json "$BATS_FILE_TMPDIR/mine.s"
    assert_output "grade: bad.conf: [performance] ops_target = 'fast' is not a number"
    [ ! -e r.json ]
}

@test "each broken allocator loses exactly its property's points, and its output names the failing call" {
    local c p
    for c in last-fit:first-fit coalesce-lie:coalesces brk-before-init:before-init; do
        p=${c#*:}
        c=${c%%:*}
        gradescope_valid "$(results "$c")"
        run -0 lost "$c"
        assert_output "$p 2"
        run -0 jq -e --argjson t "$(total "$c")" \
            '(.score - ($t - 2 - ([.tests[] | select(.name == "performance") | .max_score - .score] | add))) | fabs < 0.01' \
            "$(results "$c")"
    done
    run -0 jq -r '.tests[] | select(.name == "first-fit") | .output' "$(results last-fit)"
    assert_line --regexp '^\[FAIL\] .*\(first-fit: with two free 1000-byte blocks, allocate\(800\) should come from the lower one'
}

@test "a submission that does not assemble scores 0, with the assembler's message" {
    gradescope_valid "$(results no-asm)"
    run -0 jq -r '.score, (.tests[] | select(.name == "build") | .output)' "$(results no-asm)"
    assert_line 0
    assert_line --partial "broken asm.s does not assemble"
    assert_line --regexp "bad register name .%nosuch'"
}

@test "an allocator that loops fails the cases it hangs in on their alarm, and the JSON is still written" {
    gradescope_valid "$(results hang)"
    run -0 lost hang
    assert_output "before-init 2
free-null 2
callee-saved 2"
    run -0 jq -r '.tests[] | select(.name == "free-null") | .output' "$(results hang)"
    assert_output --regexp "timed out after [13] s of CPU time"
}

@test "no .s file, or two, scores 0 with a message that says what was found" {
    gradescope_valid "$(results empty)"
    run -0 jq -r '"\(.score) \(.tests[0].name)", .tests[0].output' "$(results empty)"
    assert_line "0 submission"
    assert_line --partial "No .s file in your submission"
    assert_line --partial "notes/README.txt"
    gradescope_valid "$(results two)"
    run -0 jq -r '.score, .tests[0].output' "$(results two)"
    assert_line 0
    assert_line --partial "Your submission has 2 .s files: last-fit.s mine.s"
}

@test "megabytes of output and text that looks like JSON do not break results.json or change a score" {
    gradescope_valid "$(results noisy)"
    run -0 lost noisy
    assert_output ""
    run -0 jq -r '[.tests[].name] | index("forged")' "$(results noisy)"
    assert_output null
    run -0 jq -e '.score < 1000 and (.output | length) < 20000' "$(results noisy)"
    # the submission did print: the log the platform shows has its text
    run -0 jq -r .output "$(results noisy)"
    assert_output --partial '"score": 1000'
}

@test "run_autograder prints each test's result for the platform's log" {
    run -0 cat "$BATS_FILE_TMPDIR/stdout-coalesce-lie"
    assert_line "failed  0/2  coalesces"
    assert_line "passed  2/2  heap-map"
}

# ---------------------------------------------------------------- Autolab

@test "Autolab: make prints each result and ends with the scores JSON, the property's points lost" {
    # full marks for correctness: Gradescope's for the same allocator (its
    # declared properties decide which cases run)
    full=$(jq '[.tests[] | select((.name | startswith("held-out ")) or .name == "performance" | not) | .max_score] | add' \
           "$(results coalesce-lie)")
    run -0 cat "$BATS_FILE_TMPDIR/autolab/out"
    assert_line --regexp '^failed  0/2  coalesces$'
    assert_line --regexp '^    \[FAIL\] got 0x'
    last=${lines[-1]}
    run -0 jq -e --argjson f "$full" '(.scores | keys) == ["correctness", "held-out", "performance"]
        and .scores.correctness == $f - 2 and .scores."held-out" == 3
        and .scores.performance > 0' <<<"$last"      # counted there too
}

# ---------------------------------------------------------------- handout

@test "the handout holds no withheld file, no held-out trace, and no line of their code" {
    local h=$BATS_FILE_TMPDIR/handout f
    run -0 find "$h/memkit-handout" -path '*/asm/allocators/*' -o -name 'upcase.s' \
        -o -name 'add-year-heap.s' -o -path '*/fixtures/good/*' -o -path '*/course/traces*'
    assert_output ""
    # a line of each answer that docs/solutions.md quotes in the full kit
    for f in 'asm/allocators/split.s:MIN_SPLIT, %edx' 'asm/allocators/autoinit.s:no: start it now' \
             'examples/add-year-heap.s:^# add-year-heap'; do
        line=$(grep -m1 -e "${f#*:}" "$MEMKIT_ROOT/${f%%:*}")
        [ -n "$line" ]
        grep -qF -- "$line" "$MEMKIT_ROOT/docs/solutions.md"
        run -1 grep -rF -- "$line" "$h/memkit-handout"
    done
    run -0 cat "$h/memkit-handout/course/withheld-files"
    assert_line asm/allocators/split.s
    assert_line asm/upcase.s
    # the exercise page links its withheld solutions with a note, thrice
    run -0 grep -c 'solutions.md#exercise-[123]) \*(withheld from the handout)\*' "$h/memkit-handout/docs/exercises.md"
    assert_output 3
}

@test "the handout builds without its withheld files and skips their tests with the reason" {
    cd "$BATS_FILE_TMPDIR/handout/memkit-handout"
    unset MAKEFLAGS MAKELEVEL
    run -0 make -n all                    # every rule it needs is there
    refute_output --partial upcase
    # (its make check: the handin test below)
    run -0 user_bats --formatter tap tests/variants.bats tests/upcase.bats
    assert_line --regexp '^ok 1 .* # skip withheld from the handout: asm/allocators/(autoinit|split)\.s$'
    refute_line --regexp '^not ok'
    [ "$(grep -c '# skip withheld from the handout' <<<"$output")" -eq "$(grep -c '^ok ' <<<"$output")" ]
}

@test "make handin in the handout refuses a file that does not assemble, else checks it and writes a tarball of that file alone" {
    cd "$BATS_FILE_TMPDIR/handout/memkit-handout"
    unset MAKEFLAGS MAKELEVEL
    run -2 --separate-stderr make -s handin ALLOC="$BATS_FILE_TMPDIR/broken asm.s" HANDIN_USER=ann
    [[ "$stderr" == *"bad register name"* ]]
    [[ "$stderr" == *"handin: refused: broken asm.s does not assemble"* ]]
    run -0 find . -maxdepth 1 -name 'handin-*'
    assert_output ""
    run -0 make -s handin ALLOC="$BATS_FILE_TMPDIR/mine.s" HANDIN_USER=ann
    assert_line --regexp '^check: ALLOC=.*mine\.s: [0-9]+ passed, 0 failed$'
    assert_line --regexp '^handin: wrote handin-ann-[0-9]{8}-[0-9]{6}\.tar\.gz \(mine\.s alone\)$'
    run -0 tar -tzf handin-ann-*.tar.gz
    assert_output mine.s
}

@test "make handout refuses to write a handout whose docs quote a withheld file" {
    echo asm/alloc.s > list             # docs/errata.md quotes the reference
    run -1 --separate-stderr "$MEMKIT_ROOT/tools/course/handout.sh" --withhold list --out "$PWD/out"
    [[ "$stderr" =~ handout:\ tests/fixtures/good/split\.patch\ shows\ [0-9]+\ lines\ of\ withheld\ asm/alloc\.s ]]
    [[ "$stderr" == *"nothing written"* ]]
    [ ! -e out/memkit-handout.tar.gz ]
}

@test "a link to a withheld page gets a note in the handout, and the page is not there" {
    echo docs/lab.md > list
    run -0 "$MEMKIT_ROOT/tools/course/handout.sh" --withhold list --out "$PWD/out"
    tar -xzf out/memkit-handout.tar.gz
    [ ! -e memkit-handout/docs/lab.md ]
    run -0 grep -F '[docs/lab.md](docs/lab.md)' memkit-handout/README.md
    assert_line '[docs/lab.md](docs/lab.md) *(withheld from the handout)*.'
    refute_line --regexp '\(docs/lab\.md\)( [^*]|$)'
    run -0 grep -F '([lab.md](lab.md)' memkit-handout/docs/allocators.md
    assert_line --partial '([lab.md](lab.md) *(withheld from the handout)*)'
    # the rest of the kit is handed out as it is
    cmp "$MEMKIT_ROOT/asm/alloc.s" memkit-handout/asm/alloc.s
}
