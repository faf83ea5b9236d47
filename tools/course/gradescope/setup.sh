#!/bin/bash
# setup.sh — Gradescope runs this once, as root, to build the autograder's
# image (Ubuntu 22.04 by default; Debian 12 works the same). It installs
# what grading needs with apt-get, through the kit's own bootstrap
# (memkit/tools/bootstrap.sh grade: the same Debian package names as
# make demo), then builds the kit once so each submission only builds
# its own allocator.
#
#   setup.sh          install and build
#   setup.sh --check  only say what is there and what would be installed
#
# AUTOGRADER_ROOT (default /autograder) is where Gradescope put the zip's
# files: $AUTOGRADER_ROOT/source. The instruction counter of the
# performance score is the kit's qemu plugin, built here for this host.
set -eu
root=${AUTOGRADER_ROOT:-/autograder}
kit="$root/source/memkit"
if [ "${1:-}" = "--check" ]; then
    exec "$kit/tools/bootstrap.sh" --check grade
fi
export DEBIAN_FRONTEND=noninteractive
"$kit/tools/bootstrap.sh" grade
make -s -C "$kit" build/alloc-test build/heap-map build/trace-driver \
    build/plugin/icount.so
