#!/usr/bin/env bats
# arm64-sandbox.bats — tools/arm64-sandbox, the emulated aarch64 Debian 12
# root used to test the kit as an arm64 host runs it. Building the root
# takes many minutes and the network, so its command line is tested here
# (every mistake is refused with the usage before anything is made) and
# sync, on a stand-in root.

bats_require_minimum_version 1.5.0
load test_helper

setup() { memkit_setup; }

sandbox() {
    ARM64_SANDBOX_DIR="$BATS_TEST_TMPDIR/sb" "$MEMKIT_ROOT/tools/arm64-sandbox" "$@"
}

@test "arm64-sandbox --help prints the usage and exits 0" {
    run -0 sandbox --help
    assert_line --regexp '^  tools/arm64-sandbox setup '
    assert_line --regexp '^  tools/arm64-sandbox run CMD\.\.\. '
}

@test "arm64-sandbox without a subcommand says so, prints the usage and exits 2" {
    run -2 --separate-stderr sandbox
    [ "${stderr_lines[0]}" = "arm64-sandbox: no subcommand" ]
    [[ "$stderr" == *"tools/arm64-sandbox setup"* ]]
    [ ! -e sb ]
}

@test "arm64-sandbox refuses an unknown subcommand, run without a command and setup with arguments" {
    run -2 --separate-stderr sandbox build
    [ "${stderr_lines[0]}" = "arm64-sandbox: unknown subcommand 'build'" ]
    run -2 --separate-stderr sandbox run
    [ "${stderr_lines[0]}" = "arm64-sandbox: run needs a command" ]
    run -2 --separate-stderr sandbox setup now
    [ "${stderr_lines[0]}" = "arm64-sandbox: setup takes no arguments" ]
    [ ! -e "$BATS_TEST_TMPDIR/sb" ]
}

@test "sync brings the copy to this tree by content: a changed file is new to make, an unchanged one keeps its time, build/ stays" {
    mkdir -p sb/root && : > sb/root/.stage2      # a root, as setup leaves it
    run -0 sandbox sync
    local copy=sb/root/memkit
    cmp "$MEMKIT_ROOT/Makefile" "$copy/Makefile"
    mkdir -p "$copy/build" && : > "$copy/build/made"
    touch -d 2001-01-01 "$copy/README.md" "$copy/Makefile" "$copy/build/made"
    echo "# edited in the copy" >> "$copy/Makefile"
    : > "$copy/stray"
    run -0 sandbox sync
    cmp "$MEMKIT_ROOT/Makefile" "$copy/Makefile"
    # the changed file is newer than what was built from it, the same one is not
    [ "$copy/Makefile" -nt "$copy/build/made" ]
    [ "$(stat -c %Y "$copy/README.md")" = "$(stat -c %Y "$copy/build/made")" ]
    [ -e "$copy/build/made" ]
    [ ! -e "$copy/stray" ]
    [ ! -e sb/root/memkit.sync ]
}
