#!/usr/bin/env bats
# instr-bytes.bats — examples/instr-bytes.s: the chapter's 7-byte movl,
# as assembled by the kit and as read back from memory by the program.
bats_require_minimum_version 1.5.0

load test_helper

setup() {
    memkit_setup
}

# listing_bytes — the hex bytes objdump lists for the instruction at
# load_item in build/instr-bytes.lst, space separated.
listing_bytes() {
    awk '/<load_item>:$/ { getline; sub(/^ *[0-9a-f]+:\t/, ""); sub(/\t.*/, ""); print }' \
        "$BUILD/instr-bytes.lst" | xargs
}

# le32 ADDR — ADDR (hex, no 0x) as four little-endian bytes.
le32() {
    local a
    a=$(printf '%08x' "$((0x$1))")
    echo "${a:6:2} ${a:4:2} ${a:2:2} ${a:0:2}"
}

# check_encoding BYTES ADDR — BYTES is opcode 8b, ModRM 1c, SIB bd, then
# the 32-bit address ADDR of data_items.
check_encoding() {
    [ "$1" = "8b 1c bd $(le32 "$2")" ] || { echo "bytes '$1', data_items at $2"; return 1; }
}

@test "the listing shows movl data_items(,%edi,4), %ebx as 7 bytes: 8b, ModRM 1c, SIB bd, data_items' address" {
    local bytes addr
    bytes=$(listing_bytes)
    addr=$("${CROSS}nm" "$BUILD/instr-bytes" | awk '$3 == "data_items" { print $1 }')
    [ -n "$addr" ]
    [ "$(wc -w <<< "$bytes")" -eq 7 ]
    check_encoding "$bytes" "$addr"
    grep -q '<load_item>:' "$BUILD/instr-bytes.lst"
    grep -Eq 'mov +0x[0-9a-f]+\(,%edi,4\),%ebx' "$BUILD/instr-bytes.lst"
}

@test "the encoding check fails when the displacement is not data_items' address" {
    run ! check_encoding "$(listing_bytes)" 0804b000
}

@test "instr-bytes reads its own instruction from memory: the same 7 bytes, and it loads item 2 = 42" {
    run -42 bash -c '"$1" "$2" | od -An -tx1 | xargs; exit "${PIPESTATUS[0]}"' _ \
        "$MEMKIT_ROOT/tools/run-i386" "$BUILD/instr-bytes"
    [ "$output" = "$(listing_bytes)" ]
}
