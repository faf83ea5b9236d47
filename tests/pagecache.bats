#!/usr/bin/env bats
# pagecache.bats — examples/pagecache.c: a file's pages are in the page
# cache; read loads exactly what it reads (read-ahead off), a mapping
# uses the cache's pages, and a second process's mapping shares them
# (docs/concepts.md, section 16).
bats_require_minimum_version 1.5.0

load test_helper

setup() { memkit_setup; }

teardown() { [ -z "${DISK_SCRATCH:-}" ] || rm -rf "$DISK_SCRATCH"; }

# on_disk — cd to a scratch directory whose pages can leave memory: the
# test's own, or, where that is tmpfs (as /tmp is on many systems), one
# under the kit's build/. Skips, with the reason, when both are in memory.
on_disk() {
    case "$(stat -f -c %T .)" in
        tmpfs|ramfs) ;;
        *) return 0 ;;
    esac
    DISK_SCRATCH=$(mktemp -d "$BUILD/pagecache-test.XXXXXX")
    cd "$DISK_SCRATCH"
    case "$(stat -f -c %T .)" in
        tmpfs|ramfs) skip "both the scratch directory and build/ are on $(stat -f -c %T .), whose pages never leave memory" ;;
    esac
}

@test "dropped, then read 8 pages, then the whole mapping touched: 0, 8, 16 of 16 pages cached" {
    on_disk
    run -0 i386 pagecache "$PWD/f.dat"
    assert_line --index 0 "1. written, flushed, dropped: 0 of 16 pages in the page cache"
    assert_line --index 1 "2. after read() of the first 8 pages: 8 of 16 pages in the page cache"
    assert_line --index 2 "3. after touching the whole mapping: 16 of 16 pages in the page cache"
    [ "$(stat -c %s f.dat)" -eq 65536 ]
}

@test "natively a second process's own mapping of the file shares all 64 KiB of the cache's pages" {
    skip_unless_native
    on_disk
    QEMU= run -0 i386 pagecache "$PWD/f.dat"
    assert_line --index 3 --regexp '^4\. child.s own mapping: Shared_Clean: +64 kB$'
}

@test "pagecache wants exactly one file name" {
    run -2 i386 pagecache
    assert_output --partial "usage: pagecache FILE"
}
