#!/usr/bin/env bats
# docs.bats — every transcript in README.md and docs/*.md is what the kit
# prints now (tools/doc-transcripts): each fenced block of real output is
# marked <!-- check ... --> and re-run, or <!-- unchecked: REASON -->.

bats_require_minimum_version 1.5.0
load test_helper

setup() {
    memkit_setup
}

# native — yes when this host runs i386 natively: tools/host.sh's probe,
# the one skip_unless_native asks (no with MEMKIT_NATIVE=no).
native() {
    case "$MEMKIT_HOST" in
        x86_64|i?86) ;;
        *) echo no; return ;;
    esac
    if memkit_native; then echo yes; else echo no; fi
}

@test "every transcript in the docs prints what the doc shows, blocks needing native i386 skipped with that reason" {
    # A course handout keeps the pages but not every program they run
    # (course/withhold): the full kit, where they were checked, is where
    # the transcripts are held true.
    [ ! -f "$MEMKIT_ROOT/course/withheld-files" ] ||
        skip "withheld from the handout: the docs' transcripts run programs the handout leaves out"
    # The transcripts were made on an x86_64 host: elsewhere the cross
    # gcc and Debian's cross i386 libc build the C programs and libraries
    # (other code, sizes and addresses), so an honest doc cannot match
    # both. The checker's own tests below run on every host.
    case "$MEMKIT_HOST" in
        x86_64|i?86) ;;
        *) skip "the docs' transcripts are an x86_64 host's; on $MEMKIT_HOST the cross compilers build other code" ;;
    esac
    run "$MEMKIT_ROOT/tools/doc-transcripts" --native "$(native)"
    # On failure the output names the doc's lines, the command and a diff.
    [ "$status" -eq 0 ] || { printf '%s\n' "$output"; return 1; }
    assert_line --regexp "^doc-transcripts: [0-9]+ blocks' commands match, 0 failed"
    # the checker really found the docs' transcripts
    n=$(sed -n "s/^doc-transcripts: \([0-9]*\) blocks.*/\1/p" <<<"$output")
    [ "$n" -ge 100 ]
}

@test "every fenced block is code, checked output or output with a reason" {
    run -0 "$MEMKIT_ROOT/tools/doc-transcripts" --list
    refute_line --partial "FAIL"
    assert_line --regexp '^unchecked docs/[a-z-]+\.md:[0-9]+-[0-9]+ \(.+\)$'
}

# A scratch doc: copy the checker into a scratch kit layout, so the doc it
# reads is the test's own.
scratch_kit() {
    mkdir -p kit/tools kit/docs
    cp "$MEMKIT_ROOT/tools/doc-transcripts" "$MEMKIT_ROOT/tools/host.sh" \
       "$MEMKIT_ROOT/tools/run-i386" kit/tools/
    ln -s "$MEMKIT_ROOT/build" kit/build
    printf '# t\n' > kit/README.md
}

@test "a transcript whose output changed fails, naming the doc's lines, the command and the difference" {
    scratch_kit
    printf '%s\n' 'Text.' '' '<!-- check -->' '```' '$ echo one; echo two' \
        'one' 'three' '```' > kit/docs/t.md
    run -1 kit/tools/doc-transcripts --native no docs/t.md
    assert_line "FAIL docs/t.md:4-8: the doc's output of"
    assert_line '  $ echo one; echo two'
    assert_line -- '-three'
    assert_line -- '+two'
}

@test "an output block with neither a marker nor a language is refused" {
    scratch_kit
    printf '%s\n' 'Text.' '' '```' 'some output' '```' > kit/docs/t.md
    run -1 kit/tools/doc-transcripts --native no docs/t.md
    assert_line --partial "docs/t.md:3: a fenced block with neither a marker nor a language"
    printf '%s\n' '<!-- unchecked: -->' '```' 'x' '```' > kit/docs/t.md
    run -1 kit/tools/doc-transcripts --native no docs/t.md
    assert_line --partial "unchecked\` needs a reason"
}

@test "an indented \`\$ COMMAND\` transcript nothing re-runs is refused; one a marker below takes is not" {
    scratch_kit
    # a Markdown code block by indentation, with its output: never run
    printf '%s\n' 'Text:' '' '    $ echo one' '    one' '' 'More.' > kit/docs/t.md
    run -1 kit/tools/doc-transcripts --native no docs/t.md
    assert_line "FAIL docs/t.md:3: an indented \`\$ COMMAND\` transcript that nothing re-runs: make it a fenced block with a marker (see tools/doc-transcripts)"
    # inside a list item too; --list says so as well
    printf '%s\n' '1. Item:' '' '       $ echo one' '       one' > kit/docs/t.md
    run -1 kit/tools/doc-transcripts --list docs/t.md
    assert_line --partial "FAIL docs/t.md:3: an indented"
    # the command of the check block below it: run, so allowed
    printf '%s\n' 'Text:' '' '    $ echo one' '' '<!-- check -->' '```' 'one' '```' > kit/docs/t.md
    run -0 kit/tools/doc-transcripts --native no docs/t.md
    # under an unchecked marker: the reason covers it
    printf '%s\n' '    $ echo one' '' '<!-- unchecked: it takes minutes -->' '```' 'one' '```' > kit/docs/t.md
    run -0 kit/tools/doc-transcripts --native no docs/t.md
    # but not above a check block that runs its own command
    printf '%s\n' '    $ echo one' '' '<!-- check -->' '```' '$ echo two' 'two' '```' > kit/docs/t.md
    run -1 kit/tools/doc-transcripts --native no docs/t.md
    assert_line --partial "FAIL docs/t.md:1: an indented"
}

@test "--update rewrites a stale block inside a list item with its indent kept" {
    scratch_kit
    printf '%s\n' '1. Item:' '' '   <!-- check -->' '   ```' '   $ echo one; echo two' \
        '   one' '   three' '   ```' > kit/docs/t.md
    run -1 kit/tools/doc-transcripts --update --native no docs/t.md
    assert_line "updated docs/t.md:4-8"
    run -0 sed -n 6,7p kit/docs/t.md
    assert_output "$(printf '   one\n   two')"
    run -0 kit/tools/doc-transcripts --native no docs/t.md
}

# echoed STATUS PRINTS DOC — a one-line doc block whose command prints
# PRINTS (echo) and whose doc says DOC; the checker must exit with STATUS.
echoed() {
    printf '%s\n' '<!-- check -->' '```' "\$ echo '$2'" "$3" '```' > kit/docs/t.md
    run "-$1" kit/tools/doc-transcripts --native no docs/t.md
}

@test "only the stated differences are allowed: one qemu stack shift (two: strings and frames) yes, any other address no" {
    scratch_kit
    # one shift (0x10) of every stack address: allowed
    echoed 0 'sp 0x40800e80 arg 0x40800e84 code 0x08049000' \
        'sp 0x40800e90 arg 0x40800e94 code 0x08049000'
    # the strings by 5, the frames by 16: allowed
    echoed 0 'sp 0x40800e80 text 0x40800fb1' 'sp 0x40800e90 text 0x40800fb6'
    # three different shifts: refused
    echoed 1 'sp 0x40800e80 arg 0x40800e84 text 0x40800fb1' \
        'sp 0x40800e90 arg 0x40800ea4 text 0x40800fb6'
    # a code address never moves
    echoed 1 'code 0x08049000' 'code 0x08049010'
    # pids are PID
    echoed 0 'pid 123: 5 brk(NULL)' 'pid 77: 5 brk(NULL)'
    # valgrind's ==PID== prefix, but only at the start of a line
    echoed 0 '==123== 9 bytes' '==4567== 9 bytes'
    echoed 1 'x ==123== 9 bytes' 'x ==4567== 9 bytes'
}

@test "the mmap area may move by whole pages, all by one amount (the machine's ld.so.cache), the stack with it" {
    scratch_kit
    # every mmap address 0x6000 up, the stack 0x10 up: allowed
    echoed 0 'cache 0x3f7c2000 libc 0x3f598000 malloc 0x3f471010 sp 0x40800e90' \
        'cache 0x3f7bc000 libc 0x3f592000 malloc 0x3f46b010 sp 0x40800e80'
    # not a whole number of pages: refused
    echoed 1 'cache 0x3f7c2010 libc 0x3f598010' 'cache 0x3f7bc000 libc 0x3f592000'
    # two amounts: refused
    echoed 1 'cache 0x3f7c2000 libc 0x3f599000' 'cache 0x3f7bc000 libc 0x3f592000'
}

@test "the kit's directory reads as /work/main only as a whole path name" {
    scratch_kit
    echoed 0 "$PWD/kit/build/x" '/work/main/build/x'
    echoed 1 "$PWD/kit-gdb.x" '/work/main-gdb.x'
}

@test "a block marked native is skipped with its reason when native i386 is not there" {
    scratch_kit
    printf '%s\n' '<!-- check native -->' '```' '$ echo yes' 'no' '```' > kit/docs/t.md
    run -0 kit/tools/doc-transcripts --native no docs/t.md
    assert_line "skip docs/t.md:2-5: needs native i386 (QEMU=), which this host does not run or MEMKIT_NATIVE=no"
    run -1 kit/tools/doc-transcripts --native yes docs/t.md
}
