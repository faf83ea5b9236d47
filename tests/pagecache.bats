#!/usr/bin/env bats
# pagecache.bats — examples/pagecache.c: a file's pages are in the page
# cache; read loads exactly what it reads (read-ahead off), a mapping
# uses the cache's pages, and a second process's mapping shares them
# (docs/concepts.md, section 16).
bats_require_minimum_version 1.5.0

load test_helper

setup() {
    memkit_setup
    case "$(stat -f -c %T .)" in
        tmpfs|ramfs) skip "the scratch directory is on $(stat -f -c %T .), whose pages never leave memory" ;;
    esac
}

@test "dropped, then read 8 pages, then the whole mapping touched: 0, 8, 16 of 16 pages cached" {
    run -0 i386 pagecache "$PWD/f.dat"
    assert_line --index 0 "1. written, flushed, dropped: 0 of 16 pages in the page cache"
    assert_line --index 1 "2. after read() of the first 8 pages: 8 of 16 pages in the page cache"
    assert_line --index 2 "3. after touching the whole mapping: 16 of 16 pages in the page cache"
    [ "$(stat -c %s f.dat)" -eq 65536 ]
}

@test "natively a second process's own mapping of the file shares all 64 KiB of the cache's pages" {
    skip_unless_native
    QEMU= run -0 i386 pagecache "$PWD/f.dat"
    assert_line --index 3 --regexp '^4\. child.s own mapping: Shared_Clean: +64 kB$'
}

@test "pagecache wants exactly one file name" {
    run -2 i386 pagecache
    assert_output --partial "usage: pagecache FILE"
}
