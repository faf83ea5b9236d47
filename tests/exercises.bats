#!/usr/bin/env bats
# docs/exercises.md, docs/solutions.md (and the C-runtime lines in
# docs/allocator.md): the
# commands the docs give for building programs by hand really work as
# written. Each block the docs mark with `<!-- test: NAME -->` is taken
# from the doc and run in a scratch copy of the repository's layout.

bats_require_minimum_version 1.5.0
load test_helper

setup() {
    memkit_setup
    EXERCISES="$MEMKIT_ROOT/docs/exercises.md"
    SOLUTIONS="$MEMKIT_ROOT/docs/solutions.md"
    # The repository's layout, read-only, with a scratch build/by-hand.
    mkdir -p repo/build
    for d in asm tools tests examples c-harness; do
        ln -s "$MEMKIT_ROOT/$d" "repo/$d"
    done
    ln -s "$BUILD/obj" repo/build/obj
    cd repo
}

# doc_block DOC NAME — the fenced block after `<!-- test: NAME -->`.
doc_block() {
    awk -v name="<!-- test: $2 -->" '
        $0 == name { want = 1; next }
        want && /^```/ { if (inside) exit; inside = 1; next }
        inside { print }' "$1"
}

# run_doc_commands DOC NAME — run that block with sh -eu, with this
# host's binutils prefix (test_helper's CROSS) on as, ld and gcc.
run_doc_commands() {
    doc_block "$1" "$2" | sed -E "s/^(as|ld|gcc) /${CROSS}\\1 /" > commands.sh
    [ -s commands.sh ] || fail "no block '$2' in $1"
    sh -eu commands.sh
}

@test "the add-year change shown in docs/solutions.md is the whole difference to examples/add-year-heap.s" {
    skip_if_withheld examples/add-year-heap.s docs/solutions.md
    doc_block "$SOLUTIONS" add-year-diff > shown.diff
    [ -s shown.diff ]
    # When asm/add-year.s changes, make the same change in the example and
    # paste the new diff into the doc.
    (cd "$MEMKIT_ROOT" && diff -u asm/add-year.s examples/add-year-heap.s) |
        sed -E '1,2s/\t.*//' > actual.diff || true
    diff -u shown.diff actual.diff
}

@test "add-year changed as documented links with alloc.o and writes the same records" {
    skip_if_withheld examples/add-year-heap.s docs/solutions.md
    run -0 run_doc_commands "$SOLUTIONS" add-year-commands
    cmp build/by-hand/testout.dat "$FIXTURES/testout.dat"
}

@test "add-year changed as documented takes its buffer from the heap: one growth of 336 bytes" {
    skip_if_withheld examples/add-year-heap.s docs/solutions.md
    run_doc_commands "$SOLUTIONS" add-year-commands
    run -0 --separate-stderr env QEMU="qemu-i386 -strace" \
        "$MEMKIT_ROOT/tools/run-i386" build/by-hand/add-year-heap \
        "$FIXTURES/test.dat" out.dat
    run -0 grep -c ' brk(' <<<"$stderr"
    assert_output 2
    first=$(sed -n 's/.* brk(NULL) = \(0x[0-9a-f]*\)$/\1/p' <<<"$stderr")
    second=$(sed -n 's/.* brk(0x[0-9a-f]*) = \(0x[0-9a-f]*\)$/\1/p' <<<"$stderr")
    assert_equal $((second - first)) 336
}

@test "without alloc.o on its line the changed add-year does not link" {
    skip_if_withheld examples/add-year-heap.s docs/solutions.md
    run_doc_commands "$SOLUTIONS" add-year-commands
    run ! "${CROSS}ld" -m elf_i386 -static -o nolink build/by-hand/add-year-heap.o \
        build/obj/asm/{read-record,write-record,out-file,error-exit,errno-text,count-chars,write-newline}.o
    assert_output --partial "undefined reference to \`allocate_init'"
}

@test "the template program builds by hand with the documented lines and prints its text" {
    mkdir -p build/by-hand
    doc_block "$EXERCISES" template > build/by-hand/hello-heap.s
    run -0 run_doc_commands "$EXERCISES" by-hand
    assert_output "hello from the heap"
}

@test "the template without its .note.GNU-stack line does not link with --fatal-warnings" {
    mkdir -p build/by-hand
    doc_block "$EXERCISES" template | grep -v '^\.section \.note\.GNU-stack' \
        > build/by-hand/hello-heap.s
    run ! run_doc_commands "$EXERCISES" by-hand
    assert_output --partial "executable stack"
}

@test "the template links against another allocator's alloc.o (build/alloc/split)" {
    skip_if_withheld asm/allocators/split.s
    mkdir -p build/by-hand
    doc_block "$EXERCISES" template > build/by-hand/hello-heap.s
    ln -s "$BUILD/alloc" build/alloc
    doc_block "$EXERCISES" by-hand |
        sed 's|build/obj/asm/alloc.o|build/alloc/split/obj/alloc.o|' > by-hand
    grep -q 'build/alloc/split/obj/alloc.o' by-hand
    doc_block() { cat by-hand; }
    run -0 run_doc_commands x y
    assert_output "hello from the heap"
}

# A C program that uses the runtime, the allocator and the heap map.
write_your_c() {
    cat > your.c <<'C'
#include "rt.h"
#include "alloc.h"
#include "heapmap.h"
int main(int argc, char **argv, char **envp)
{
    struct heap_stats s;
    (void)argc; (void)argv; (void)envp;
    allocate_init();
    deallocate(allocate(100));
    heap_map(1);
    return heap_stats(&s) == 0 && s.free == 104 ? 0 : 1;
}
C
}

@test "the C-runtime compile and link lines in docs/allocator.md build a program using heap_map" {
    write_your_c
    run -0 run_doc_commands "$MEMKIT_ROOT/docs/allocator.md" c-runtime
    run -0 i386 "$PWD/your-program"
    assert_line "totals: used 0, free 104, headers 8, largest free 104"
}

@test "without heapmap.o on the C-runtime link line that program does not link" {
    write_your_c
    doc_block "$MEMKIT_ROOT/docs/allocator.md" c-runtime |
        sed 's| build/obj/c/heapmap.o||' > lines
    refute grep -q heapmap.o lines
    doc_block() { cat lines; }
    run ! run_doc_commands x y
    assert_output --partial "undefined reference to \`heap_map'"
}

@test "every one-command output docs/exercises.md quotes is what that command prints now" {
    [ -n "$QEMU" ] || skip "natively the break is randomised; the doc shows qemu-i386 runs"
    # Each fenced block whose only '$ ' line is its first: a command and
    # its output. Written out as block.N (command) and block.N.out.
    awk '
        /^```/ { if (inside) { inside = 0; close(f) } else { inside = 1; n++; first = 1 }; next }
        inside && first { first = 0; if ($0 !~ /^\$ tools\/run-i386 /) { inside = 0; next }
                          f = "block." n; print substr($0, 3) > f; close(f); f = f ".out"; printf "" > f; next }
        inside { if ($0 ~ /^\$ /) { system("rm -f block." n " block." n ".out"); inside = 0; next }
                 print > f }' "$EXERCISES"
    n=0
    gone=0
    for cmd in block.*[0-9]; do
        [ -e "$cmd" ] || continue
        # In a course handout, the runs of withheld answers cannot be made.
        if [[ "$(cat "$cmd")" =~ build/alloc/([a-z]+)/ ]] &&
           [ "$(withheld_count "asm/allocators/${BASH_REMATCH[1]}.s")" -gt 0 ] ||
           { [[ "$(cat "$cmd")" == *build/upcase* ]] &&
             [ "$(withheld_count asm/upcase.s)" -gt 0 ]; }; then
            gone=$((gone + 1))
            continue
        fi
        (cd "$MEMKIT_ROOT" && sh -c "$(cat "$OLDPWD/$cmd")" 2>&1) > actual || true
        diff -u "$cmd.out" actual || fail "docs/exercises.md: $(cat "$cmd")"
        n=$((n + 1))
    done
    [ "$n" -ge $((5 - gone)) ] && [ "$n" -ge 1 ] ||
        fail "only $n quoted commands found ($gone of withheld answers)"
}

@test "the documented way to work on a copy of alloc.s builds it apart and runs its heap-map" {
    export HOME="$BATS_TEST_TMPDIR/a home"
    mkdir -p "$HOME"
    cd "$MEMKIT_ROOT"
    doc_block "$EXERCISES" workflow-build > "$BATS_TEST_TMPDIR/build.sh"
    run -0 sh -eu "$BATS_TEST_TMPDIR/build.sh"
    tag=$(tools/alloc-resolve "$HOME/mine.s")
    [ -x "build/alloc/$tag/heap-map" ]
    doc_block "$EXERCISES" workflow-run > "$BATS_TEST_TMPDIR/run.sh"
    run -0 sh -eu "$BATS_TEST_TMPDIR/run.sh"
    rm -rf "build/alloc/$tag"
    assert_line --partial "#2 = allocate(16): first fit reuses #1's block, whole (no split)"
}

@test "the solution code docs/solutions.md quotes is in the solutions, line for line" {
    skip_if_withheld asm/allocators/autoinit.s asm/allocators/split.s docs/solutions.md
    for v in autoinit split; do
        quoted=$(doc_block "$SOLUTIONS" "excerpt-$v")
        [ -n "$quoted" ] || fail "no excerpt-$v block"
        source=$(cat "$MEMKIT_ROOT/asm/allocators/$v.s")
        [[ "$source" == *"$quoted"* ]] || fail "the $v excerpt is not in asm/allocators/$v.s"
    done
}

@test "docs/exercises.md gives no solution away: no solution code, diff or kit program walk-through, and links solutions.md with a warning" {
    run -0 grep -F '(solutions.md#exercise-1)' "$EXERCISES"
    run -0 grep -F '(solutions.md#exercise-2)' "$EXERCISES"
    run -0 grep -F '(solutions.md#exercise-3)' "$EXERCISES"
    run -0 grep -c 'spoils the exercise' "$EXERCISES"
    [ "$output" -ge 3 ]
    # none of the solutions' quoted code or diff is on the exercise page
    run ! grep -E '^<!-- test: (excerpt-|add-year-diff|add-year-commands)' "$EXERCISES"
    run ! grep -F 'call  allocate_init         # no: start it now' "$EXERCISES"
    run ! grep -F 'cmpl  $MIN_SPLIT, %edx' "$EXERCISES"
    run ! grep -E '^```diff' "$EXERCISES"
    # and solutions.md warns before it answers
    skip_if_withheld docs/solutions.md
    run -0 sed -n 3p "$SOLUTIONS"
    assert_output --partial "Spoilers"
}
