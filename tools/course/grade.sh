#!/bin/bash
# grade.sh — grade one allocator: what the Gradescope and Autolab
# packages run (tools/course/package.sh, docs/teaching.md).
#
#   tools/course/grade.sh [--config FILE] [--traces DIR] --results FILE
#                         SUBMISSION.s
#
# Runs make check on SUBMISSION (the contract, each case in its own
# process; the heap map; every kit trace), then each held-out trace
# (--traces DIR, default course/traces/*.rep) and the performance index,
# and writes FILE: a Gradescope results.json. Points, visibility, timeouts
# and the performance targets come from --config (default
# course/grading.conf). Everything the submission prints is kept as
# data only: cut to output_limit characters a test, printable ASCII,
# and written through jq, so no output can break the JSON.
#
# A submission that does not assemble scores 0 with the assembler's
# message as its output; one that loops fails the case or trace it loops
# in (each is bounded), and if the whole run passes total_timeout the
# results so far are kept and a test says so. FILE is written beside its
# place and renamed when complete.
#
# Exit status: 0 when FILE was written (whatever the score), 2 usage.
set -euo pipefail

kit=$(cd "$(dirname "$0")/../.." && pwd)
config="$kit/course/grading.conf"
heldout="$kit/course/traces"
results=
while [ $# -gt 0 ]; do
    case "$1" in
    --config)  config=$2; shift 2 ;;
    --traces)  heldout=$2; shift 2 ;;
    --results) results=$2; shift 2 ;;
    --) shift; break ;;
    -*) echo "grade: unknown option '$1'" >&2; exit 2 ;;
    *)  break ;;
    esac
done
if [ $# -ne 1 ] || [ -z "$results" ]; then
    echo "usage: tools/course/grade.sh [--config FILE] [--traces DIR] --results FILE SUBMISSION.s" >&2
    exit 2
fi
sub=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
[ -f "$sub" ] || { echo "grade: no file $1" >&2; exit 2; }
[ -f "$config" ] || { echo "grade: no config $config" >&2; exit 2; }
command -v jq >/dev/null || { echo "grade: jq is missing (tools/bootstrap.sh grade)" >&2; exit 2; }
start=$(date +%s)

# conf SECTION KEY DEFAULT — a value of the config file.
conf() {
    awk -v sec="$1" -v key="$2" -v def="$3" '
        { sub(/#.*/, "") }
        /^\[.*\]/ { s = $0; gsub(/[][ \t]/, "", s); next }
        s == sec && index($0, "=") {
            k = substr($0, 1, index($0, "=") - 1); v = substr($0, index($0, "=") + 1)
            gsub(/^[ \t]+|[ \t]+$/, "", k); gsub(/^[ \t]+|[ \t]+$/, "", v)
            if (k == key) { print v; found = 1; exit }
        }
        END { if (!found) print def }' "$config"
}

# points NAME — the points of test NAME: the first key of [points] that
# names it or, as a shell pattern, matches it.
mapfile -t point_keys < <(awk '
    { sub(/#.*/, "") }
    /^\[.*\]/ { s = $0; gsub(/[][ \t]/, "", s); next }
    s == "points" && index($0, "=") {
        k = substr($0, 1, index($0, "=") - 1); v = substr($0, index($0, "=") + 1)
        gsub(/^[ \t]+|[ \t]+$/, "", k); gsub(/^[ \t]+|[ \t]+$/, "", v)
        print k "\t" v
    }' "$config")
for kv in "${point_keys[@]}"; do
    [[ "${kv#*$'\t'}" =~ ^[0-9]+(\.[0-9]+)?$ ]] || {
        echo "grade: $config: [points] ${kv%%$'\t'*} = '${kv#*$'\t'}' is not a number" >&2
        exit 2
    }
done
points() {
    local kv
    for kv in "${point_keys[@]}"; do
        # shellcheck disable=SC2053
        if [[ "$1" == ${kv%%$'\t'*} ]]; then
            echo "${kv#*$'\t'}"
            return
        fi
    done
    echo 1
}

case_timeout=$(conf run case_timeout 10)
trace_timeout=$(conf run trace_timeout 20)
total_timeout=$(conf run total_timeout 600)
limit=$(conf run output_limit 4000)
vis=$(conf gradescope visibility visible)
held_vis=$(conf gradescope held_out_visibility after_published)
stdout_vis=$(conf gradescope stdout_visibility hidden)
for k in points util_weight util_min util_max ops_target; do
    v=$(conf performance "$k" 1)
    [[ "$v" =~ ^[0-9]+(\.[0-9]+)?$ ]] || {
        echo "grade: $config: [performance] $k = '$v' is not a number" >&2; exit 2; }
done
for v in "$case_timeout" "$trace_timeout" "$total_timeout" "$limit"; do
    [[ "$v" =~ ^[1-9][0-9]*$ ]] || {
        echo "grade: $config: [run] takes whole seconds and characters, not '$v'" >&2; exit 2; }
done
for v in "$vis" "$held_vis" "$stdout_vis"; do
    case "$v" in visible|hidden|after_due_date|after_published) ;;
    *) echo "grade: $config: visibility '$v' is not one of visible, hidden, after_due_date, after_published" >&2; exit 2 ;;
    esac
done

work=$(mktemp -d "${TMPDIR:-/tmp}/memkit-grade.XXXXXX")
trap 'rm -rf "$work"' EXIT
: > "$work/tests.jsonl"
n_out=0

# clean FILE — FILE as text a student may see: printable ASCII, tabs and
# newlines only, at most $limit characters (the cut is said).
clean() {
    local size
    LC_ALL=C tr -cd '\11\12\40-\176' < "$1" > "$1.c"
    size=$(wc -c < "$1.c")
    if [ "$size" -gt "$limit" ]; then
        head -c "$limit" "$1.c" > "$1"
        printf '\n... (%d more characters cut)\n' "$((size - limit))" >> "$1"
    else
        mv "$1.c" "$1"
    fi
    rm -f "$1.c"
}

# add_test NAME PASSED(1/0) OUTPUT-TEXT [VISIBILITY] [MAX] [SCORE]
add_test() {
    local name=$1 ok=$2 text=$3 v=${4:-$vis} max=${5:-} score=${6:-}
    [ -n "$max" ] || max=$(points "$name")
    [ -n "$score" ] || { if [ "$ok" = 1 ]; then score=$max; else score=0; fi; }
    n_out=$((n_out + 1))
    printf '%s\n' "$text" > "$work/out.$n_out"
    clean "$work/out.$n_out"
    jq -nc --arg name "$name" --argjson score "$score" --argjson max "$max" \
        --arg status "$([ "$ok" = 1 ] && echo passed || echo failed)" \
        --arg vis "$v" --rawfile output "$work/out.$n_out" \
        '{name: $name, score: $score, max_score: $max, status: $status,
          visibility: $vis, output: $output}' >> "$work/tests.jsonl"
}

# keep — stdin without NUL bytes, at most 2 MB of it (the rest read and
# dropped), each line cut to its last 2000 bytes: a program that prints
# without end neither fills the disk nor dies of a closed pipe, and a
# long line of its own cannot hide the driver's result after it.
keep() {
    tr -d '\000' | { head -c 2000000; cat > /dev/null; } |
        LC_ALL=C awk '{ if (length($0) > 2000) $0 = "..." substr($0, length($0) - 1999) } 1'
}

# remaining — seconds left of total_timeout (at least 1).
remaining() {
    local left=$((total_timeout - ($(date +%s) - start)))
    [ "$left" -gt 0 ] || left=1
    echo "$left"
}

# The runs below never see the grader's make flags or ALLOC.
unset MAKEFLAGS MAKELEVEL MFLAGS ALLOC
tag=$("$kit/tools/alloc-resolve" "$sub")
abuild="$kit/build/alloc/$tag"
run="$kit/tools/run-i386"
timed_out=

# ------------------------------------------------- build and make check
set +e
MEMKIT_TIMEOUT=$trace_timeout timeout --kill-after=5 "$(remaining)" \
    make -s --no-print-directory -C "$kit" check ALLOC="$sub" \
    RESULTS="$work/check.json" TIMEOUT="$case_timeout" \
    > "$work/check.log" 2> "$work/build.log"
check_rc=$?
set -e
[ "$check_rc" -ne 124 ] && [ "$check_rc" -ne 137 ] || timed_out="make check"
built=1
if [ -f "$work/check.json" ]; then
    if jq -e '.tests | any(.name == "build" and .status == "failed")' \
            "$work/check.json" >/dev/null; then
        built=
        msg=$(grep -E -i 'error|warning' "$work/build.log" | sed "s|$abuild/alloc.s|$(basename "$sub")|g" | head -40)
        add_test build 0 "$(basename "$sub") does not assemble or link; nothing else was run.
${msg:-$(tail -20 "$work/build.log")}" "$vis" "$(points build)"
    else
        # One jq for all of make check's results: the points of each
        # name looked up here, the output cleaned and cut there.
        jq -r '.tests[].name' "$work/check.json" | while IFS= read -r name; do
            printf '%s\t%s\n' "$name" "$(points "$name")"
        done > "$work/points"
        jq -c --rawfile pts "$work/points" --arg vis "$vis" --argjson limit "$limit" '
            ($pts | split("\n") | map(select(length > 0) | split("\t") | {(.[0]): (.[1] | tonumber)}) | add) as $p
            | .tests[]
            | (.output | explode | map(select(. == 9 or . == 10 or (. >= 32 and . <= 126))) | implode) as $o
            | {name, score: (if .status == "passed" then $p[.name] else 0 end),
               max_score: $p[.name], status, visibility: $vis,
               output: (if ($o | length) > $limit
                        then $o[:$limit] + "\n... (\(($o | length) - $limit) more characters cut)\n"
                        else $o end)}' \
            "$work/check.json" >> "$work/tests.jsonl"
    fi
else
    add_test "make check" 0 "make check gave no result (exit status $check_rc)${timed_out:+: the whole grading ran out of its $total_timeout s}.
$(tail -20 "$work/build.log")"
fi

# ------------------------------------------------ required declarations
req=$(conf require props "")
if [ -n "$built" ] && [ -n "$req" ] && [ -x "$abuild/alloc-test" ]; then
    declared=" $("$run" "$abuild/alloc-test" --props 2>/dev/null | tr '\n' ' ') "
    for p in $req; do
        if [[ "$declared" == *" $p "* ]]; then
            add_test "declares $p" 1 "memkit_props declares $p: its case runs above"
        else
            add_test "declares $p" 0 "[FAIL] memkit_props does not declare $p (declared:$declared); the course requires it (docs/exercises.md)"
        fi
    done
fi

# ---------------------------------------------------- held-out traces
driver="$abuild/trace-driver"
for t in "$heldout"/*.rep; do
    [ -f "$t" ] || continue
    name="held-out $(basename "$t" .rep)"
    if [ -z "$built" ] || [ ! -x "$driver" ]; then
        add_test "$name" 0 "not run: the allocator was not built" "$held_vis"
        continue
    fi
    set +e
    (cd "$(dirname "$t")" && MEMKIT_TIMEOUT=$trace_timeout \
        timeout --kill-after=5 "$(remaining)" "$run" "$driver" \
        --timeout "$trace_timeout" "$(basename "$t")") 2>&1 | keep > "$work/trace.out"
    rc=${PIPESTATUS[0]}
    out=$(cat "$work/trace.out")
    set -e
    if [ "$rc" -eq 0 ]; then
        add_test "$name" 1 "$(grep -m1 '^\[OK\]' <<<"$out" || true)" "$held_vis"
    else
        add_test "$name" 0 "$(grep -m1 -A3 '\[FAIL\]' <<<"$out" || echo "exit status $rc")" "$held_vis"
    fi
done

# -------------------------------------------------------- performance
perf_points=$(conf performance points 0)
perf_traces=$(conf performance traces "")
if [ -n "$perf_traces" ]; then
    weight=$(conf performance util_weight 0.6)
    umin=$(conf performance util_min 0.55)
    umax=$(conf performance util_max 0.90)
    target=$(conf performance ops_target 150)
    counter=$(conf performance counter "")
    case "$counter" in /*|'') ;; *) counter="$kit/$counter" ;; esac
    # The kit's counter needs its plugin, built for this host (setup.sh
    # has built it on Gradescope; on Autolab every run starts afresh).
    make -s --no-print-directory -C "$kit" build/plugin/icount.so > "$work/plugin.log" 2>&1 || true
    report="trace  ops  utilization  instructions/op"
    sum_u=0; sum_i=0; n=0; bad=; unmeasured=
    for t in $perf_traces; do
        [ -n "$built" ] && [ -x "$driver" ] || { bad="the allocator was not built"; break; }
        set +e
        (cd "$kit" && MEMKIT_TIMEOUT=$trace_timeout "$run" "$driver" \
            --timeout "$trace_timeout" "$t") 2>&1 | keep > "$work/trace.out"
        rc=${PIPESTATUS[0]}
        out=$(cat "$work/trace.out")
        set -e
        line=$(grep -m1 '^\[OK\]' <<<"$out" || true)
        if [ "$rc" -ne 0 ] || [ -z "$line" ]; then
            bad="$t failed: $(grep -m1 '\[FAIL\]' <<<"$out" || echo "exit status $rc")"
            break
        fi
        ops=$(sed -n 's/.*: \([0-9]*\) ops,.*/\1/p' <<<"$line")
        util=$(sed -n 's/.*util \([0-9.]*\)%.*/\1/p' <<<"$line")
        ipo="not measured"
        if [ -n "$counter" ] && [ -x "$counter" ]; then
            if ins=$(cd "$kit" && "$counter" "$driver" "$t" 2> "$work/counter.err") &&
               [[ "$ins" =~ ^[0-9]+$ ]] && [ "$ops" -gt 0 ]; then
                ipo=$(awk -v i="$ins" -v o="$ops" 'BEGIN { printf "%.1f", i / o }')
                sum_i=$(awk -v a="$sum_i" -v b="$ipo" 'BEGIN { print a + b }')
            elif [ -z "$unmeasured" ]; then
                why=$(head -n 1 "$work/counter.err" | LC_ALL=C tr -cd '\40-\176')
                unmeasured="the counter $counter gave no count for $t${why:+ ($why)}"
            fi
        else
            unmeasured="no instruction counter ($counter is not there): the speed credit cannot be measured"
        fi
        sum_u=$(awk -v a="$sum_u" -v b="$util" 'BEGIN { print a + b / 100 }')
        n=$((n + 1))
        report+=$'\n'"$t  $ops  $util%  $ipo"
    done
    if [ -n "$bad" ]; then
        add_test performance 0 "performance: 0: $bad (as in the malloc lab, any failing trace scores 0)
$report" "$vis" "$perf_points" 0
    elif [ -n "$unmeasured" ]; then
        mean_u=$(awk -v s="$sum_u" -v n="$n" 'BEGIN { printf "%.3f", s / n }')
        add_test performance 0 "performance: not measured: $unmeasured.
mean utilization $mean_u over $n traces (target $umin..$umax); the index needs both numbers, so it scores 0 here rather than a guess.
$report" "$vis" "$perf_points" 0
    else
        read -r mean_u mean_i uc sc idx score < <(awk -v su="$sum_u" -v si="$sum_i" \
            -v n="$n" -v w="$weight" -v lo="$umin" -v hi="$umax" -v tg="$target" \
            -v pts="$perf_points" 'BEGIN {
                u = su / n; i = si / n
                uc = (u - lo) / (hi - lo); if (uc < 0) uc = 0; if (uc > 1) uc = 1
                sc = (i > 0) ? tg / i : 0; if (sc > 1) sc = 1
                idx = w * uc + (1 - w) * sc
                printf "%.4f %.1f %.4f %.4f %.4f %.2f\n", u, i, uc, sc, idx, pts * idx }')
        add_test performance 1 "performance index $idx = $weight x utilization credit $uc + (1 - $weight) x speed credit $sc
mean utilization $mean_u (credit from $umin to $umax), mean instructions per operation $mean_i (target $target)
$report" "$vis" "$perf_points" "$score"
        jq -nc --argjson u "$mean_u" --argjson i "$mean_i" \
            '[{name: "utilization", value: $u, order: "desc"},
              {name: "instructions per operation", value: $i, order: "asc"}]' > "$work/leaderboard"
    fi
fi

[ -z "$timed_out" ] || add_test "time limit" 0 "grading stopped after $total_timeout s in $timed_out: the results above are the ones it had" "$vis" 0

# ------------------------------------------------------- results.json
elapsed=$(( $(date +%s) - start ))
cat "$work/check.log" "$work/build.log" > "$work/stdout" 2>/dev/null || true
clean "$work/stdout"
[ -f "$work/leaderboard" ] || echo '[]' > "$work/leaderboard"
tmp="$results.tmp.$$"
jq -s --argjson t "$elapsed" --arg sv "$stdout_vis" \
      --rawfile log "$work/stdout" --slurpfile lb "$work/leaderboard" \
      --arg file "$(basename "$sub")" '
    {score: ([.[].score] | add // 0 | . * 100 | round / 100),
     execution_time: $t,
     output: ("memkit: " + $file + ": " + ([.[] | select(.status == "passed")] | length | tostring)
              + " of " + (length | tostring) + " tests passed\n\n" + $log),
     stdout_visibility: $sv,
     visibility: "visible",
     tests: .}
    + (if ($lb[0] | length) > 0 then {leaderboard: $lb[0]} else {} end)' \
    "$work/tests.jsonl" > "$tmp"
mv "$tmp" "$results"
