#!/bin/bash
# package.sh gradescope|autolab — what `make autograder` and `make
# autolab` run (docs/teaching.md). Both packages hold the kit as the
# students get it (build/handout/memkit-handout.tar.gz: make handout runs
# first, so no withheld solution is inside) plus what only the grader
# needs: the held-out traces course/traces/*.rep and the teacher's
# course/grading.conf, as memkit/.
#
#   gradescope  build/autograder/autograder.zip: setup.sh and
#               run_autograder at its root (tools/course/gradescope/)
#   autolab     build/autolab/autograde.tar (memkit/) and
#               build/autolab/autograde-Makefile
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
handout="$root/build/handout/memkit-handout.tar.gz"
[ -f "$handout" ] || { echo "package: no $handout: run make handout" >&2; exit 1; }

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
tar -C "$stage" -xzf "$handout"
mv "$stage/memkit-handout" "$stage/memkit"
mkdir -p "$stage/memkit/course/traces"
cp "$root/course/grading.conf" "$stage/memkit/course/"
n=0
for t in "$root"/course/traces/*.rep; do
    [ -f "$t" ] || continue
    cp "$t" "$stage/memkit/course/traces/"
    n=$((n + 1))
done

case "${1:-}" in
gradescope)
    command -v zip >/dev/null || { echo "package: zip is missing (sudo apt-get install zip)" >&2; exit 1; }
    out="$root/build/autograder"
    mkdir -p "$out"
    cp "$root/tools/course/gradescope/setup.sh" "$root/tools/course/gradescope/run_autograder" "$stage/"
    rm -f "$out/autograder.zip.tmp"
    (cd "$stage" && zip -qr -X "$out/autograder.zip.tmp" setup.sh run_autograder memkit)
    mv "$out/autograder.zip.tmp" "$out/autograder.zip"
    echo "autograder: wrote build/autograder/autograder.zip (the handout, $n held-out traces, course/grading.conf)"
    echo "autograder: upload it as the assignment's autograder (Gradescope: Configure Autograder, Ubuntu 22.04)"
    ;;
autolab)
    out="$root/build/autolab"
    mkdir -p "$out"
    tar -C "$stage" --sort=name --owner=0 --group=0 --numeric-owner --mtime='@0' \
        -cf "$out/autograde.tar.tmp" memkit
    mv "$out/autograde.tar.tmp" "$out/autograde.tar"
    cp "$root/tools/course/autolab/autograde-Makefile" "$out/autograde-Makefile"
    echo "autolab: wrote build/autolab/autograde.tar (the handout, $n held-out traces, course/grading.conf) and build/autolab/autograde-Makefile"
    echo "autolab: problems to define in the assessment: correctness, held-out, performance"
    ;;
*)  echo "usage: tools/course/package.sh gradescope|autolab" >&2; exit 2 ;;
esac
