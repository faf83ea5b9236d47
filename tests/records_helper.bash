# records_helper.bash — shared by the Records programs' .bats files
# (`load records_helper`, after `load test_helper`).

RECORD_SIZE=324
AGE_OFFSET=320

# ages FILE — the age of every whole record in FILE, space separated,
# decoded from the 4-byte little-endian field at offset 320.
ages() {
    local size n i out=""
    size=$(stat -c %s "$1")
    n=$((size / RECORD_SIZE))
    for ((i = 0; i < n; i++)); do
        out="$out $(od -An -t d4 -j $((i * RECORD_SIZE + AGE_OFFSET)) -N 4 "$1" | tr -d ' ')"
    done
    echo "${out# }"
}

# trace PROG [ARGS...] — run build/PROG under qemu-i386 -strace, through
# tools/run-i386 (timeout, no core). The trace (and the program's own
# stderr) goes to $BATS_TEST_TMPDIR/trace; stdout and the exit status are
# the program's. Always qemu: QEMU= has no -strace.
trace() {
    local prog=$1; shift
    QEMU="qemu-i386 -strace" "$MEMKIT_ROOT/tools/run-i386" "$BUILD/$prog" "$@" \
        2> "$BATS_TEST_TMPDIR/trace"
}

# assert_opens_closed — every descriptor a successful open(2) returned in
# $BATS_TEST_TMPDIR/trace was released by a successful close(2). Fails
# when the trace holds no successful open, so it cannot pass vacuously.
assert_opens_closed() {
    local t="$BATS_TEST_TMPDIR/trace" left
    grep -Eq ' open\(.*\) = [0-9]+$' "$t" ||
        fail "no successful open in the trace: $(cat "$t")"
    left=$(awk '
        / open\(.*\) = [0-9]+$/     { open[$NF] = 1 }
        / close\([0-9]+\) = 0$/      { fd = $2; gsub(/[^0-9]/, "", fd); delete open[fd] }
        END { for (fd in open) printf "%s ", fd }' "$t")
    [ -z "$left" ] || fail "descriptors opened but never closed: $left
$(cat "$t")"
}
