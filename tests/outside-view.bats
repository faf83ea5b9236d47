#!/usr/bin/env bats
# outside-view.bats — tools/outside-view.sh and examples/selfview.c: ps
# and pmap see the same process the process describes itself
# (docs/concepts.md, section 17). Native i386 only.
bats_require_minimum_version 1.5.0

load test_helper

setup() {
    memkit_setup
    skip_unless_native
    command -v ps >/dev/null && command -v pmap >/dev/null ||
        skip "ps and pmap are not installed (Debian package procps)"
}

@test "ps's VSZ is the process's own VmSize and pmap's heap line is its 4 MiB heap, 1 MiB of it resident" {
    run -0 "$MEMKIT_ROOT/tools/outside-view.sh"
    pid=$(sed -n 's/^pid //p' <<<"$output")
    vmsize=$(awk '$1 == "VmSize:" { print $2 }' <<<"$output")
    assert_line --regexp "^ *$pid +$vmsize +[0-9]+ selfview$"
    # the heap's pmap line: 4096 KiB mapped, the 1024 KiB touched resident
    assert_line --regexp '^0*[0-9a-f]+ +4096 +10[0-9][0-9] +10[0-9][0-9] rw--- +\[ anon \]$'
    assert_line --partial "they agree"
    # and selfview is gone afterwards
    refute kill -0 "$pid" 2>/dev/null
}

@test "outside-view says they differ when ps reports another size" {
    # a ps that adds 100 MiB to every VSZ
    mkdir bin
    cat > bin/ps <<'SH'
#!/bin/sh
/usr/bin/env -i PATH=/usr/bin:/bin ps "$@" | awk 'NR == 2 { $2 += 102400 } { print }'
SH
    chmod +x bin/ps
    PATH="$PWD/bin:$PATH" run -1 "$MEMKIT_ROOT/tools/outside-view.sh"
    assert_line --partial "they differ"
}
