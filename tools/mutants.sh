#!/bin/bash
# mutants.sh — check the checkers: plant one known bug at a time in a
# checker and make sure a test notices.
#
#   tools/mutants.sh [--keep] [NAME|FILE.patch...]
#
# Each tests/mutants/NAME.patch is one small defect in one of the kit's
# checkers (alloc-test, trace-driver, heap-map, check.sh): a few header
# lines, then a unified diff against the checkout (paths from its top,
# `--- c-harness/trace-driver.c`). The header says what the defect breaks
# and which tests must catch it:
#
#   Property: the trace driver fails a trace whose child dies unreported
#   Caught by: tests/trace-driver.bats: exit\(0\) mid-trace
#
# "Caught by: FILE: REGEX" names a bats file and a filter (bats -f) for
# the tests in it that must fail; there may be several such lines.
#
# The kit is copied once into a scratch directory (its build/ too, so
# only what a mutant changes is rebuilt). For each mutant: apply it,
# `make all`, run its tests, take it out again. A mutant is CAUGHT when
# at least one of its tests fails, MISSED when they all pass (a check
# that cannot fail), BROKEN when it no longer applies or the kit does
# not build with it. The checkout itself is never touched.
#
# Exit status: 0 when every mutant named (all by default) was caught,
# 1 when any was missed or broken, 2 for a usage error.
set -u

root=$(cd "$(dirname "$0")/.." && pwd)
keep=
if [ "${1:-}" = --keep ]; then
    keep=1
    shift
fi
case "${1:-}" in -*) echo "usage: tools/mutants.sh [--keep] [NAME...]" >&2; exit 2 ;; esac

mutants=()
if [ $# -eq 0 ]; then
    for p in "$root"/tests/mutants/*.patch; do
        [ -f "$p" ] && mutants+=("$p")
    done
else
    for n in "$@"; do
        case "$n" in
            */*) p=$(cd "$(dirname "$n")" && pwd)/$(basename "$n") ;;
            *)   p=$root/tests/mutants/${n%.patch}.patch ;;
        esac
        if [ ! -f "$p" ]; then
            echo "mutants: no $n (a name in tests/mutants/ or a .patch file)" >&2
            exit 2
        fi
        mutants+=("$p")
    done
fi
[ ${#mutants[@]} -gt 0 ] || { echo "mutants: no tests/mutants/*.patch" >&2; exit 2; }

scratch=$(mktemp -d "${TMPDIR:-/tmp}/memkit-mutants.XXXXXX")
if [ -z "$keep" ]; then
    trap 'rm -rf "$scratch"' EXIT
fi
kit=$scratch/kit
mkdir "$kit"
# The checkout as it is (uncommitted changes included), without .git.
tar -C "$root" --exclude=./.git -cf - . | tar -C "$kit" -xf -
# The tests run one file at a time, each in the scratch kit only, in an
# environment of their own: not part of whatever bats run called this one
# (a bats inside bats inherits its state and runs nothing).
# (bats puts its libexec directory first in PATH, where `bats` is not the
# command a user runs: leave it out.)
path=$(tr ':' '\n' <<<"$PATH" | grep -v '/bats-core' | paste -sd: -)
clean_env=(env -i "PATH=$path" "HOME=${HOME:-/}" "TMPDIR=${TMPDIR:-/tmp}"
           "LANG=${LANG:-C.UTF-8}" MEMKIT_TEST_JOBS=1)
for v in QEMU MEMKIT_NATIVE BATS_LIB_PATH; do
    [ -z "${!v+set}" ] || clean_env+=("$v=${!v}")
done

if ! (cd "$kit" && "${clean_env[@]}" make -s all) >"$scratch/build.log" 2>&1; then
    echo "mutants: the kit does not build unchanged:" >&2
    tail -n 20 "$scratch/build.log" >&2
    exit 1
fi

caught=0
missed=0
broken=0
for p in "${mutants[@]}"; do
    name=$(basename "$p" .patch)
    prop=$(sed -n 's/^Property: //p' "$p" | head -1)
    mapfile -t catchers < <(sed -n 's/^Caught by: //p' "$p")
    printf '[RUN]  %s: %s\n' "$name" "${prop:-?}"
    if [ ${#catchers[@]} -eq 0 ]; then
        echo "[FAIL] $name: BROKEN: no 'Caught by:' line"
        broken=$((broken + 1))
        continue
    fi
    if ! (cd "$kit" && patch -p0 --quiet --fuzz=0 --no-backup-if-mismatch \
              --reject-file=- < "$p") >"$scratch/patch.log" 2>&1; then
        echo "[FAIL] $name: BROKEN: the patch no longer applies"
        sed 's/^/       /' "$scratch/patch.log"
        broken=$((broken + 1))
        continue
    fi
    if ! (cd "$kit" && "${clean_env[@]}" make -s all) >"$scratch/build.log" 2>&1; then
        echo "[FAIL] $name: BROKEN: the kit does not build with it"
        tail -n 5 "$scratch/build.log" | sed 's/^/       /'
        broken=$((broken + 1))
    else
        seen=
        for c in "${catchers[@]}"; do
            file=${c%%: *}
            filter=${c#*: }
            out=$(cd "$kit" && "${clean_env[@]}" tools/run-tests.sh -f "$filter" "$file" 2>&1)
            n=$(grep -c '^not ok ' <<<"$out")
            ran=$(grep -c '^\(not \)\?ok ' <<<"$out")
            if [ "$ran" -eq 0 ]; then
                echo "       $file: no test ran for '$filter':"
                tail -n 5 <<<"$out" | sed 's/^/         /'
            elif [ "$n" -gt 0 ]; then
                seen+="$file ($n of $ran failed) "
            fi
        done
        if [ -n "$seen" ]; then
            echo "[OK]   $name: caught by $seen"
            caught=$((caught + 1))
        else
            echo "[FAIL] $name: MISSED: every test named passed with the defect in"
            missed=$((missed + 1))
        fi
    fi
    if ! (cd "$kit" && patch -p0 -R --quiet --fuzz=0 --no-backup-if-mismatch \
              --reject-file=- < "$p") >/dev/null 2>&1; then
        echo "mutants: could not take $name out again; stopping" >&2
        exit 1
    fi
done
echo "mutants: $caught caught, $missed missed, $broken broken"
[ -n "$keep" ] && echo "mutants: scratch kit kept in $kit"
[ "$missed" -eq 0 ] && [ "$broken" -eq 0 ]
