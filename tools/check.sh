#!/bin/bash
# check.sh — what `make check ALLOC=...` runs: every check of one
# allocator, one verdict.
#
#   tools/check.sh [--alloc LABEL] [--tap] [--results-json FILE]
#                  [--timeout SECONDS] [--traces DIR] [--build-failed]
#                  [--build-log FILE] ABUILD
#
# ABUILD is the allocator's build directory (build/ for the reference,
# build/alloc/TAG/ for any other; the Makefile passes it). Runs, against
# the programs built there:
#
#   the contract      ABUILD/alloc-test: one result per case, each case in
#                     a process of its own (callee-saved is the register
#                     check); the cases are the universal ones, those
#                     of what the allocator's memkit_props declares and
#                     those its exports call for (alloc-test --list)
#   the heap map      ABUILD/heap-map runs to its end (its closing "brk
#                     calls seen" line) and its walk of the heap (through
#                     memkit_layout) finds no corrupt block
#   the trace driver  ABUILD/trace-driver TRACE for each tests/traces/*.rep
#                     (--traces DIR: DIR/*.rep), when both exist ("trace
#                     driver: not built yet" otherwise); exit 0 passes
#
# --build-failed: the allocator did not assemble or link; that is the one
# result, nothing is run. --build-log FILE: what the build printed; its
# assembler and linker lines go into that result (the terminal, TAP and
# results.json alike), naming the allocator's own file (ABUILD/srcfile),
# not the copy in ABUILD that was assembled.
#
# Nothing stops at the first failure. Every failing property is listed
# with its [FAIL] line (got, expected, in words) and the last line is the
# verdict:  check: ALLOC=LABEL: N passed, N failed
#
# --tap writes the results as TAP instead of the plain report. With
# --results-json FILE it also writes a Gradescope-style results.json: one
# test per property (name, score, max_score, status, output), the total
# score, and the allocator's measured figures as leaderboard entries. The
# file is written beside FILE and renamed into place when complete
# (tools/write-atomic: O_EXCL, never a planted name; a read-only FILE is
# refused; /dev/stdout and other non-regular files are written in place).
#
# A submission that crashes or hangs fails its own cases: each case has
# an alarm (--timeout, default 10 s), each trace the same limit, and
# every program run is bounded by tools/run-i386's timeout. Once one
# check has timed out the allocator is known to loop, so every later
# case, the heap map and every trace get 1 s each: a looping allocator
# costs one timeout and a few seconds, not minutes. A timed-out check
# says "timed out after N s". qemu-user is not a sandbox: run untrusted
# submissions in a container.
#
# Exit status: 0 when every check passed, 1 when any failed, 2 for a
# usage error.
set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
run="$root/tools/run-i386"

label=
tap=
json=
timeout=10
traces_dir="$root/tests/traces"
build_failed=
build_log=
while [ $# -gt 0 ]; do
    case "$1" in
    --alloc)        label=$2; shift 2 ;;
    --tap)          tap=1; shift ;;
    --results-json) json=$2; shift 2 ;;
    --timeout)      timeout=$2; shift 2 ;;
    --traces)       traces_dir=$2; shift 2 ;;
    --build-failed) build_failed=1; shift ;;
    --build-log)    build_log=$2; shift 2 ;;
    --)             shift; break ;;
    -*)             echo "check: unknown option '$1'" >&2; exit 2 ;;
    *)              break ;;
    esac
done
if [ $# -ne 1 ]; then
    echo "usage: tools/check.sh [--alloc LABEL] [--tap] [--results-json FILE] [--timeout S] ABUILD" >&2
    exit 2
fi
case "$timeout" in
    ''|*[!0-9]*|0) echo "check: --timeout takes a number of seconds" >&2; exit 2 ;;
esac
abuild=$1
label=${label:-ref}
looped=                         # a check has timed out: 1 s for the rest

# bounded — a program's output without NUL bytes, at most 16 MB of it
# (the rest read and dropped), each line cut to its last 2000 bytes: an
# allocator that prints (a long line, or without end until its alarm)
# must neither fill the grader's memory nor hide the harness's own line
# that follows its text. The program is the pipe's first command, so its
# exit status is PIPESTATUS[0].
bounded() {
    tr -d '\000' | { head -c 16000000; cat > /dev/null; } |
        LC_ALL=C awk '{ if (length($0) > 2000) $0 = "..." substr($0, length($0) - 1999) } 1'
}

# Results, in order: name, pass (1/0), output (the lines that explain it).
names=()
oks=()
outs=()
record() {
    names+=("$1")
    oks+=("$2")
    outs+=("$3")
}

# say LINE — a line of the plain report; with --tap kept for a comment
# after the plan (TAP's version line must come first).
notes=
say() {
    if [ -n "$tap" ]; then
        notes+="# $1"$'\n'
    else
        printf '%s\n' "$1"
    fi
}

say "check: ALLOC=$label ($abuild)"

# ------------------------------------------------------------ contract
contract_out=
if [ -n "$build_failed" ]; then
    msg="[FAIL] build: the allocator did not assemble or link; nothing else was run"
    # The assembler's and linker's own lines, with the allocator's file
    # named as the student knows it (the copy in ABUILD has the same
    # lines, so the line numbers hold).
    src=$(cat "$abuild/srcfile" 2>/dev/null || true)
    src=${src#"$root"/}
    lines=
    if [ -n "$build_log" ] && [ -f "$build_log" ]; then
        lines=$(grep -E '\.s:[0-9]+: |: [Ee]rror: |undefined reference|multiple definition|^[^ ]*ld: ' "$build_log" \
                | grep -v '^make' | head -n 20 || true)
        if [ -n "$src" ]; then
            # (the file's name as a sed replacement: & | \ escaped)
            esc=$(printf '%s' "$src" | sed 's/[&|\\]/\\&/g')
            lines=$(sed -e "s|[^ :]*/alloc/[^/ ]*/alloc\.s:|$esc:|g" \
                        -e "s|^build/alloc/[^/ ]*/alloc\.s:|$esc:|" <<<"$lines")
        fi
    fi
    [ -n "$lines" ] || lines="(the build printed no assembler or linker line; make's output is above)"
    msg+=$'\n'"$lines"
    say "$msg"
    record "build" 0 "$msg"
elif [ ! -x "$abuild/alloc-test" ]; then
    record "contract" 0 "$abuild/alloc-test is missing: run make check, which builds it"
elif ! props=$("$run" "$abuild/alloc-test" --props 2>&1); then
    say "$props"
    record "memkit_props" 0 "$props"
else
    ids=$("$run" "$abuild/alloc-test" --list | cut -d' ' -f1)
    set +e
    contract_out=$(MEMKIT_TIMEOUT=$((30 + 20 * timeout)) \
        "$run" "$abuild/alloc-test" --timeout "$timeout" 2>&1 | bounded
        exit "${PIPESTATUS[0]}")
    contract_rc=$?
    set -e
    if [ -z "$tap" ]; then
        printf '%s\n' "$contract_out"
    fi
    if grep -q ': timed out after [0-9]* s' <<<"$contract_out"; then
        looped=1
    fi
    # Each case's lines: from its [RUN] to the next [RUN] or the summary.
    declare -A case_out=() case_ok=()
    cur=
    while IFS= read -r line; do
        case "$line" in
        "[RUN]  "*)
            cur=${line#"[RUN]  "}
            cur=${cur%%:*}
            case_out[$cur]="$line" ;;
        "[OK]   "*)
            id=${line#"[OK]   "}
            id=${id%%:*}
            [ "$id" = "$cur" ] && case_ok[$cur]=1
            case_out[$cur]+=$'\n'"$line" ;;
        "brk calls seen: "*|"declared: "*) cur= ;;
        *)
            if [ -n "$cur" ]; then
                case_out[$cur]+=$'\n'"$line"
            fi ;;
        esac
    done <<<"$contract_out"
    for id in $ids; do
        if [ -n "${case_ok[$id]-}" ]; then
            record "$id" 1 "${case_out[$id]}"
        elif [ -n "${case_out[$id]-}" ]; then
            record "$id" 0 "${case_out[$id]}"
        else
            record "$id" 0 "[FAIL] $id: no result: alloc-test stopped before this case (exit status $contract_rc)"
        fi
    done
fi

# ------------------------------------------------------------ heap map
if [ -n "$build_failed" ]; then
    :
elif [ ! -x "$abuild/heap-map" ]; then
    record "heap-map" 0 "$abuild/heap-map is missing: run make check, which builds it"
else
    # heap-map has no limit of its own: after a loop, 2 s of wall time
    # (it runs in a twentieth of that; the allocator already failed)
    map_limit=$((${looped:-0} ? 2 : timeout))
    set +e
    map=$(MEMKIT_TIMEOUT=$map_limit "$run" "$abuild/heap-map" 2>&1 | bounded
          exit "${PIPESTATUS[0]}")
    map_rc=$?
    set -e
    bad=$(grep -E '^heap: corrupt' <<<"$map" || true)
    ended=$(grep -E '^brk calls seen: ' <<<"$map" || true)
    if [ "$map_rc" -eq 0 ] && [ -z "$bad" ] && [ -n "$ended" ]; then
        say "heap map: heap-map ran to its end; every walk found the heap whole"
        record "heap-map" 1 "heap-map ran to its end; no walk found a corrupt block"
    else
        if [ -n "$bad" ]; then
            why=$bad
        elif [ "$map_rc" -eq 124 ] || [ "$map_rc" -eq 137 ]; then
            why="timed out after $map_limit s (an allocator call that never returns?)"
            looped=1
        elif [ "$map_rc" -gt 128 ]; then
            why="heap-map was killed by signal $((map_rc - 128)) (it crashed in the allocator or on memory it returned)"
        elif [ -z "$ended" ]; then
            why="the process exited $map_rc before the case finished (heap-map printed no closing line: the allocator ended the program?)"
        else
            why="heap-map exited with status $map_rc"
        fi
        msg="[FAIL] heap-map: $why (expected: exit 0 and no corrupt block)"
        say "$msg"
        record "heap-map" 0 "$msg"$'\n'"$(tail -n 12 <<<"$map")"
    fi
fi

# -------------------------------------------------------- trace driver
# The trace driver (c-harness, linked per allocator) replays each trace;
# exit 0 means the allocator passed it.
traces=()
[ ! -d "$traces_dir" ] || traces_dir=$(cd "$traces_dir" && pwd)
for t in "$traces_dir"/*.rep; do
    [ -f "$t" ] && traces+=("$t")
done
if [ -n "$build_failed" ]; then
    :
elif [ ! -x "$abuild/trace-driver" ]; then
    say "trace driver: not built yet (no $abuild/trace-driver)"
elif [ ${#traces[@]} -eq 0 ]; then
    say "trace driver: no traces yet (no $traces_dir/*.rep)"
else
    # The driver names the trace in its messages as it was given: the
    # kit's own traces as tests/traces/NAME.rep, from the checkout.
    driver=$(cd "$(dirname "$abuild/trace-driver")" && pwd)/trace-driver
    for t in "${traces[@]}"; do
        name="trace $(basename "$t" .rep)"
        set +e
        limit=$((${looped:-0} ? 1 : timeout))
        out=$(cd "$root" && MEMKIT_TIMEOUT=$((limit + 30)) \
              "$run" "$driver" --timeout "$limit" "${t#"$root"/}" 2>&1 | bounded
              exit "${PIPESTATUS[0]}")
        rc=$?
        set -e
        if grep -q ': timed out after [0-9]* s' <<<"$out"; then
            looped=1
        fi
        if [ "$rc" -eq 0 ]; then
            say "$name: ok"
            record "$name" 1 "$out"
        else
            why=$(grep -m1 '\[FAIL\] ' <<<"$out" || true)
            why=${why#*"[FAIL] "}
            say "[FAIL] $name: ${why:-exit status $rc}"
            record "$name" 0 "$out"
        fi
    done
fi

# ------------------------------------------------------------ verdict
passed=0
failed=0
failing=()
for i in "${!names[@]}"; do
    if [ "${oks[$i]}" = 1 ]; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        failing+=("${names[$i]}")
    fi
done
verdict="check: ALLOC=$label: $passed passed, $failed failed"

if [ -n "$tap" ]; then
    echo "TAP version 13"
    echo "1..${#names[@]}"
    printf '%s' "$notes"
    for i in "${!names[@]}"; do
        if [ "${oks[$i]}" = 1 ]; then
            echo "ok $((i + 1)) - ${names[$i]}"
        else
            echo "not ok $((i + 1)) - ${names[$i]}"
            printf '%s\n' "${outs[$i]}" | sed 's/^/# /'
        fi
    done
    echo "# $verdict"
else
    if [ "$failed" -gt 0 ]; then
        echo
        echo "failing properties:"
        for i in "${!names[@]}"; do
            [ "${oks[$i]}" = 1 ] && continue
            fail_line=$(grep -m1 '^\[FAIL\]' <<<"${outs[$i]}" || true)
            echo "  ${names[$i]}: ${fail_line:-${outs[$i]%%$'\n'*}}"
        done
    fi
    echo "$verdict"
fi

# ------------------------------------------------------- results.json
# json_str TEXT — TEXT as a JSON string: printable ASCII only (a student's
# program may print anything), quotes, backslashes and newlines escaped.
json_str() {
    local s
    s=$(printf '%s' "$1" | LC_ALL=C tr -cd '\11\12\40-\176')
    s=${s//\\/\\\\}
    s=${s//\"/\\\"}
    s=${s//$'\t'/\\t}
    s=${s//$'\n'/\\n}
    printf '"%s"' "$s"
}

if [ -n "$json" ]; then
    # The measured figures: the random case's heap at its end.
    figures=$(sed -n 's/^ *[0-9]* operations (seed [0-9a-fx]*): \([0-9]*\) grew the heap, .*; heap \([0-9]*\) bytes in \([0-9]*\) blocks$/\1 \2 \3/p' <<<"$contract_out")
    brk_seen=$(sed -n 's/^brk calls seen: \([0-9]*\) .*/\1/p' <<<"$contract_out")
    # Written through tools/write-atomic: a new file made with O_EXCL
    # beside FILE, renamed over it when complete (never through a name
    # planted in a shared directory such as /tmp).
    {
        printf '{\n  "score": %d,\n  "output": %s,\n  "tests": [\n' \
            "$passed" "$(json_str "$verdict")"
        for i in "${!names[@]}"; do
            [ "$i" -gt 0 ] && printf ',\n'
            if [ "${oks[$i]}" = 1 ]; then s=1 st=passed; else s=0 st=failed; fi
            printf '    {"name": %s, "score": %d, "max_score": 1, "status": "%s", "output": %s}' \
                "$(json_str "${names[$i]}")" "$s" "$st" "$(json_str "${outs[$i]}")"
        done
        printf '\n  ],\n  "leaderboard": ['
        sep=
        if [ -n "$figures" ]; then
            read -r grew bytes _ <<<"$figures"
            printf '\n    {"name": "random: heap bytes at the end", "value": %d, "order": "asc"}' "$bytes"
            printf ',\n    {"name": "random: times the heap grew", "value": %d, "order": "asc"}' "$grew"
            sep=,
        fi
        if [ -n "$brk_seen" ]; then
            printf '%s\n    {"name": "brk calls (all cases)", "value": %d, "order": "asc"}' "$sep" "$brk_seen"
        fi
        printf '\n  ]\n}\n'
    } | "$root/tools/write-atomic" "$json" || {
        echo "check: cannot write $json (is its directory there?)" >&2
        exit 2
    }
fi

[ "$failed" -eq 0 ]
