#!/usr/bin/env bats
# review.bats — docs/review.md answers each of the chapter's nine "Know
# the Concepts" questions, and the commands it shows work as written.
bats_require_minimum_version 1.5.0

load test_helper

REVIEW="$MEMKIT_ROOT/docs/review.md"

# commands — the "$ COMMAND" lines of review.md's code blocks, one a line.
commands() {
    sed -n 's/^\$ //p' "$REVIEW"
}

@test "review.md asks the chapter's nine questions, each answered with a kit command" {
    run -0 grep -c '^## .*?$' "$REVIEW"
    [ "$output" -eq 9 ]
    # every answer section names a command of the kit
    run -0 awk '/^## / { if (sec && !cmd) { print sec; bad = 1 } sec = $0; cmd = 0 }
                /(tools\/|make [a-z])/ { cmd = 1 }
                END { if (sec && !cmd) { print sec; bad = 1 } exit bad }' "$REVIEW"
}

@test "every command shown with a prompt in review.md runs and succeeds from the top of the kit" {
    local cmd n=0
    while IFS= read -r cmd; do
        case "$cmd" in
        # native runs only where the kernel runs i386 (tools/host.sh);
        # bats' skip would not work from a subshell, so ask directly.
        QEMU=\ *) memkit_native || continue ;;
        esac
        (cd "$MEMKIT_ROOT" && bash -c "$cmd" >/dev/null 2>&1) ||
            { echo "failed: $cmd"; return 1; }
        n=$((n + 1))
    done < <(commands)
    [ "$n" -ge 6 ]
}

@test "the README links the review page" {
    run -0 grep -F '(docs/review.md)' "$MEMKIT_ROOT/README.md"
}
