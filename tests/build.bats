#!/usr/bin/env bats
# The build and the toolchain: tools/bootstrap.sh, the Makefile's tool
# selection, and what every binary in build/ must be.

bats_require_minimum_version 1.5.0
load test_helper

setup() { memkit_setup; }

# kit_progs — the static programs the Makefile builds ($(PROGS)), read from
# make's database without building anything.
kit_progs() {
    make -C "$MEMKIT_ROOT" -s --no-print-directory -pn all 2>/dev/null |
        sed -n 's/^PROGS := //p'
}

# elf_binaries — every ELF file directly in build/ (not the objects).
elf_binaries() {
    local f
    for f in "$BUILD"/*; do
        [ -f "$f" ] && [ "$(head -c 4 "$f")" = $'\x7fELF' ] && echo "$f"
    done
}

# BASE_UTILS — what bootstrap itself runs; always the machine's own.
BASE_UTILS=(sh env uname sed grep dirname)

# BOOTSTRAP_TOOLS — every command bootstrap looks for, on either kind of
# host (qemu-i386 is left out: most tests take it away).
BOOTSTRAP_TOOLS=(make timeout patch bats gdb-multiarch valgrind jq xmllint rsvg-convert parallel zip unzip
                 gnuplot strace as ld objdump gcc readelf nm i686-linux-gnu-as
                 i686-linux-gnu-ld i686-linux-gnu-objdump i686-linux-gnu-gcc
                 i686-linux-gnu-readelf i686-linux-gnu-nm python3 ps pmap
                 qemu-x86_64 dpkg-deb)

# BOOTSTRAP_FILES — every file bootstrap looks for.
BOOTSTRAP_FILES=(/usr/lib32/crt1.o /usr/i686-linux-gnu/lib/crt1.o
                 /usr/lib/bats/bats-support/load.bash
                 /usr/lib/bats/bats-assert/load.bash
                 /usr/share/keyrings/debian-archive-keyring.gpg
                 /usr/include/stdio.h)

# fake_path DIR CMD... — DIR holds the base utilities and a stub for each
# named command: a PATH with exactly those tools, whatever this machine
# has installed. The files bootstrap looks for are all present
# (MEMKIT_BOOTSTRAP_ROOT); no_files takes them away.
fake_path() {
    local dir=$1 cmd f; shift
    mkdir -p "$dir"
    for cmd in "${BASE_UTILS[@]}"; do
        ln -sf "$(command -v "$cmd")" "$dir/$cmd"
    done
    for cmd in "$@"; do
        fake_cmd "$dir" "$cmd" 'exit 0'
    done
    for f in "${BOOTSTRAP_FILES[@]}"; do
        mkdir -p "$PWD/sysroot$(dirname "$f")"
        : > "$PWD/sysroot$f"
    done
    export MEMKIT_BOOTSTRAP_ROOT="$PWD/sysroot"
}

no_files() {
    rm -rf "$PWD/sysroot"
    mkdir -p "$PWD/sysroot"
}

# fake_cmd DIR NAME SCRIPT — an executable DIR/NAME running the sh SCRIPT
# (never writing through a link to a real command).
fake_cmd() {
    mkdir -p "$1"
    rm -f "$1/$2"
    printf '#!/bin/sh\n%s\n' "$3" > "$1/$2"
    chmod +x "$1/$2"
}

@test "bootstrap --check reports a missing qemu-i386 with the exact apt-get line and exits 1" {
    fake_path bin "${BOOTSTRAP_TOOLS[@]}"          # everything but qemu-i386
    run -1 env PATH="$PWD/bin" /bin/sh "$MEMKIT_ROOT/tools/bootstrap.sh" --check
    assert_line "  MISSING  qemu-i386  (Debian package qemu-user)"
    assert_line --regexp '^  sudo apt-get update && sudo apt-get install -y --no-install-recommends (.+ )?qemu-user( |$)'
}

@test "bootstrap --check says everything is installed and exits 0 on a complete machine" {
    fake_path bin "${BOOTSTRAP_TOOLS[@]}" qemu-i386
    for arch in x86_64 aarch64; do
        MEMKIT_HOST_ARCH=$arch MEMKIT_NATIVE=no \
            run -0 env PATH="$PWD/bin" /bin/sh "$MEMKIT_ROOT/tools/bootstrap.sh" --check
        assert_line "  ok       qemu-i386"
        assert_line "  ok       bats"
        refute_line --partial MISSING
        assert_line "Everything memkit needs is installed."
    done
}

@test "bootstrap installs nothing when everything is present" {
    fake_path bin "${BOOTSTRAP_TOOLS[@]}" qemu-i386
    # apt-get and sudo that only record being called.
    fake_cmd bin apt-get "echo \"apt-get \$*\" >> '$PWD/called'"
    fake_cmd bin sudo "echo \"sudo \$*\" >> '$PWD/called'"
    run -0 env PATH="$PWD/bin" /bin/sh "$MEMKIT_ROOT/tools/bootstrap.sh"
    assert_output ""
    [ ! -e called ]
}

@test "bootstrap without root or sudo prints the install command and exits 1" {
    fake_path bin "${BOOTSTRAP_TOOLS[@]}"          # no qemu-i386, no sudo
    printf '#!/bin/sh\necho 1000\n' > bin/id       # not root
    chmod +x bin/id
    run -1 --separate-stderr env PATH="$PWD/bin" /bin/sh "$MEMKIT_ROOT/tools/bootstrap.sh"
    [[ "$stderr" == *"not root and sudo is not installed"* ]]
    [[ "$stderr" == *"apt-get update && apt-get install -y --no-install-recommends"*qemu-user* ]]
}

@test "bootstrap as a non-root user installs through sudo -n when nobody can type a password" {
    fake_path bin "${BOOTSTRAP_TOOLS[@]}"          # no qemu-i386
    printf '#!/bin/sh\necho 1000\n' > bin/id       # not root
    printf '#!/bin/sh\necho "sudo $*" >> "%s/called"\n' "$PWD" > bin/sudo
    chmod +x bin/id bin/sudo
    # The fake sudo installs nothing, so the re-check fails: not the point.
    run -1 env PATH="$PWD/bin" /bin/sh "$MEMKIT_ROOT/tools/bootstrap.sh" < /dev/null
    run cat called
    assert_line --index 0 --regexp '^sudo -n env DEBIAN_FRONTEND=noninteractive apt-get update'
    assert_line --index 1 --regexp '^sudo -n env DEBIAN_FRONTEND=noninteractive apt-get install -y .*qemu-user'
}

@test "bootstrap stops with the exact install command when apt-get fails" {
    fake_path bin "${BOOTSTRAP_TOOLS[@]}"           # no qemu-i386
    fake_cmd bin id 'echo 1000'                     # not root ...
    fake_cmd bin sudo 'exec "$@"'                   # ... with sudo
    fake_cmd bin apt-get 'exit 100'
    run -1 --separate-stderr env PATH="$PWD/bin" /bin/sh "$MEMKIT_ROOT/tools/bootstrap.sh"
    [[ "$stderr" == *"could not install the packages"* ]]
    [[ "$stderr" == *"  sudo apt-get update && sudo apt-get install -y --no-install-recommends"*qemu-user* ]]
}

@test "as root without sudo, the install line bootstrap suggests does not start with sudo" {
    fake_path bin "${BOOTSTRAP_TOOLS[@]}"           # no qemu-i386, no sudo
    fake_cmd bin id 'echo 0'
    fake_cmd bin apt-get 'exit 100'
    run -1 --separate-stderr env PATH="$PWD/bin" /bin/sh "$MEMKIT_ROOT/tools/bootstrap.sh"
    [[ "$stderr" == *$'\n  apt-get update && apt-get install -y --no-install-recommends'*qemu-user* ]]
    [[ "$stderr" != *sudo* ]]
    run -1 env PATH="$PWD/bin" /bin/sh "$MEMKIT_ROOT/tools/bootstrap.sh" --check
    assert_line --regexp '^  apt-get update && apt-get install -y --no-install-recommends .*qemu-user'
}

@test "bootstrap fails clearly when apt-get succeeds but a tool is still missing" {
    fake_path bin "${BOOTSTRAP_TOOLS[@]}"           # no qemu-i386
    fake_cmd bin id 'echo 0'
    fake_cmd bin apt-get 'exit 0'                   # "succeeds", installs nothing
    run -1 --separate-stderr env PATH="$PWD/bin" /bin/sh "$MEMKIT_ROOT/tools/bootstrap.sh"
    [[ "$stderr" == *"apt-get succeeded, but these are still missing:"* ]]
    [[ "$stderr" == *"MISSING  qemu-i386  (Debian package qemu-user)"* ]]
    refute_output --partial 'bootstrap: done.'
}

@test "a non-root user without sudo, with everything installed, gets no error from bootstrap" {
    fake_path bin "${BOOTSTRAP_TOOLS[@]}" qemu-i386
    fake_cmd bin id 'echo 1000'
    run -0 env PATH="$PWD/bin" /bin/sh "$MEMKIT_ROOT/tools/bootstrap.sh" test
    assert_output ""
}

@test "the test and build groups do not ask for gnuplot, bench does, and none asks for valgrind" {
    local t tools=()
    for t in "${BOOTSTRAP_TOOLS[@]}"; do
        case "$t" in valgrind|gnuplot) ;; *) tools+=("$t") ;; esac
    done
    fake_path bin "${tools[@]}" qemu-i386
    run -0 env PATH="$PWD/bin" /bin/sh "$MEMKIT_ROOT/tools/bootstrap.sh" --check test
    refute_output --partial valgrind
    run -0 env PATH="$PWD/bin" /bin/sh "$MEMKIT_ROOT/tools/bootstrap.sh" --check build
    run -1 env PATH="$PWD/bin" /bin/sh "$MEMKIT_ROOT/tools/bootstrap.sh" --check bench
    refute_output --partial valgrind
    assert_line "  MISSING  gnuplot  (Debian package gnuplot-nox)"
    refute_line --partial 'MISSING  bats'
}

@test "make test asks bootstrap for the test group, make demo for build, make bench for bench" {
    run -0 make -C "$MEMKIT_ROOT" -n --no-print-directory test demo bench
    assert_line 'tools/bootstrap.sh test'
    assert_line 'tools/bootstrap.sh build'
    assert_line 'tools/bootstrap.sh bench'
    refute_line 'tools/bootstrap.sh'
}

@test "an aarch64 host takes the cross tools, the cross packages and the i386 loader prefix" {
    # MEMKIT_HOST_ARCH stands in for uname -m everywhere (tools/host.sh).
    export MEMKIT_HOST_ARCH=aarch64
    run -0 make -C "$MEMKIT_ROOT" -n -B --no-print-directory build/write-records
    assert_line --regexp '^i686-linux-gnu-as --32 '
    assert_line --regexp '^i686-linux-gnu-ld -m elf_i386 '
    # bootstrap on a machine with none of the tools: the cross packages
    fake_path bin
    no_files
    run -1 env PATH="$PWD/bin" /bin/sh "$MEMKIT_ROOT/tools/bootstrap.sh" --check
    assert_line "  MISSING  i686-linux-gnu-as  (Debian package binutils-i686-linux-gnu)"
    assert_line "  MISSING  i686-linux-gnu-gcc  (Debian package gcc-i686-linux-gnu)"
    assert_line "  MISSING  gcc  (Debian package gcc)"     # the qemu plugin
    assert_line "  MISSING  the host's C headers (the qemu plugin)  (Debian package libc6-dev)"
    assert_line "  MISSING  i686-linux-gnu-readelf  (Debian package binutils-i686-linux-gnu)"
    assert_line "  MISSING  i386 libc for the cross gcc  (Debian package libc6-dev-i386-cross)"
    refute_line --partial '(Debian package binutils)'
    refute_line --partial 'gcc-multilib'
    refute_line --partial 'strace'
    # run-i386 hands qemu the cross loader's prefix
    fake_cmd bin fake-qemu 'echo "QEMU_LD_PREFIX=$QEMU_LD_PREFIX"'
    PATH="$PWD/bin:$PATH" QEMU=fake-qemu run -0 "$MEMKIT_ROOT/tools/run-i386" x
    assert_output "QEMU_LD_PREFIX=/usr/i686-linux-gnu"
    # and the tests' own tool prefix
    run -0 bash -c '. "$1/tools/host.sh"; echo "$MEMKIT_CROSS"' _ "$MEMKIT_ROOT"
    assert_output "i686-linux-gnu-"
}

@test "an x86 host uses its own binutils and sets no loader prefix" {
    export MEMKIT_HOST_ARCH=x86_64
    unset QEMU_LD_PREFIX
    fake_cmd bin fake-qemu 'echo "QEMU_LD_PREFIX=${QEMU_LD_PREFIX-unset}"'
    PATH="$PWD/bin:$PATH" QEMU=fake-qemu run -0 "$MEMKIT_ROOT/tools/run-i386" x
    assert_output "QEMU_LD_PREFIX=unset"
    run -0 make -C "$MEMKIT_ROOT" -n -B --no-print-directory build/write-records
    assert_line --regexp '^as --32 '
}

@test "the test runner runs the test files side by side, one per core, and in order with MEMKIT_TEST_JOBS=1" {
    fake_cmd bin bats 'echo "bats $*"'
    fake_cmd bin parallel 'exit 0'
    fake_cmd bin nproc 'echo 2'
    run -0 env PATH="$PWD/bin:$PATH" "$MEMKIT_ROOT/tools/run-tests.sh" x.bats
    assert_line "bats --formatter tap --jobs 2 --no-parallelize-within-files x.bats"
    run -0 env MEMKIT_TEST_JOBS=1 PATH="$PWD/bin:$PATH" "$MEMKIT_ROOT/tools/run-tests.sh" x.bats
    assert_line "bats --formatter tap x.bats"
}

@test "the test runner closes with its time, then N passed, N failed, N skipped, and fails when a test fails" {
    printf '@test "a" { true; }\n@test "b" { false; }\n@test "c" { skip "why"; }\n' > mixed.bats
    # A clean environment, as a user's shell has: the outer bats exports
    # variables and puts its libexec/ first on PATH.
    local path
    path=$(printf '%s' "$PATH" | tr ':' '\n' | grep -v bats-core | paste -sd:)
    run -1 env -i PATH="$path" "$MEMKIT_ROOT/tools/run-tests.sh" mixed.bats
    assert_line --index 0 "1..3"
    assert_equal "${lines[-1]}" "1 passed, 1 failed, 1 skipped"
    [[ ${lines[-2]} =~ ^time:\ [0-9]+\ min\ [0-9]+\ s,\ [0-9]+\ job\(s\)$ ]]
    printf '@test "a" { true; }\n' > green.bats
    run -0 env -i PATH="$path" "$MEMKIT_ROOT/tools/run-tests.sh" green.bats
    assert_equal "${lines[-1]}" "1 passed, 0 failed, 0 skipped"
}

@test "make AS=... LD=... uses the given assembler and linker" {
    run -0 make -C "$MEMKIT_ROOT" -n -B --no-print-directory \
        AS=my-as LD=my-ld build/write-records
    assert_line --regexp '^my-as --32 .*-o build/obj/asm/write-records\.o asm/write-records\.s$'
    assert_line --regexp '^my-ld -m elf_i386 .*-o build/write-records '
    refute_line --regexp '^as '
}

@test "on a non-x86 host make uses the i686-linux-gnu- cross binutils" {
    run -0 make -C "$MEMKIT_ROOT" -n -B --no-print-directory \
        HOST=aarch64 build/write-records
    assert_line --regexp '^i686-linux-gnu-as --32 '
    assert_line --regexp '^i686-linux-gnu-ld -m elf_i386 '
}

@test "every binary in build/ is a 32-bit i386 ELF" {
    local f n=0 files
    mapfile -t files < <(elf_binaries)      # one a line: paths may hold spaces
    for f in "${files[@]}"; do
        run -0 "$READELF" -hW "$f"
        assert_line --regexp '^ +Class: +ELF32$'
        assert_line --regexp '^ +Machine: +Intel 80386$'
        n=$((n + 1))
    done
    [ "$n" -ge 3 ] || fail "only $n ELF files in $BUILD: run make first"
}

@test "every program the Makefile links is a static executable: no interpreter, no dynamic section" {
    local p progs
    progs=$(kit_progs)
    [[ " $progs " == *" build/read-records "* ]] || fail "PROGS not found: '$progs'"
    for p in $progs; do
        run -0 "$READELF" -hW "$MEMKIT_ROOT/$p"
        assert_line --regexp '^ +Type: +EXEC '
        run -0 "$READELF" -lW "$MEMKIT_ROOT/$p"
        refute_line --regexp '^ +INTERP '
        refute_line --regexp '^ +DYNAMIC '
    done
}

@test "every binary in build/ has a non-executable stack (GNU_STACK RW, not RWE)" {
    local f n=0 files
    mapfile -t files < <(elf_binaries)      # one a line: paths may hold spaces
    for f in "${files[@]}"; do
        run -0 "$READELF" -lW "$f"
        assert_line --regexp '^ +GNU_STACK +.* RW +0x'
        n=$((n + 1))
    done
    [ "$n" -ge 3 ]
}

@test "every binary in build/ has its disassembly listing next to it" {
    local f n=0 files
    mapfile -t files < <(elf_binaries)      # one a line: paths may hold spaces
    for f in "${files[@]}"; do
        [ -s "$f.lst" ] || fail "no listing $f.lst"
        grep -q '<_start>:\|<main>:' "$f.lst" || fail "$f.lst has no _start or main"
        n=$((n + 1))
    done
    [ "$n" -ge 3 ]
}

@test "the Records programs run natively with QEMU= on an x86 host" {
    skip_unless_native
    QEMU= run -0 "$MEMKIT_ROOT/tools/run-i386" "$BUILD/write-records" native.dat
    cmp native.dat "$FIXTURES/test.dat"
    QEMU= run -0 "$MEMKIT_ROOT/tools/run-i386" "$BUILD/read-records" native.dat
    assert_output "Fredrick
Marilyn
Derrick"
}

@test "a program built by hand with as --32 and ld -m elf_i386 runs under qemu-i386" {
    # The commands of docs/records.md, "Building one program by hand".
    local f objs=""
    for f in write-records write-record out-file error-exit errno-text count-chars write-newline; do
        run -0 "${CROSS}as" --32 -I "$MEMKIT_ROOT/asm" -o "$f.o" "$MEMKIT_ROOT/asm/$f.s"
        objs="$objs $f.o"
    done
    run -0 "${CROSS}ld" -m elf_i386 -o write-records $objs
    assert_output ""
    run -0 qemu-i386 ./write-records
    cmp test.dat "$FIXTURES/test.dat"
}

@test "make -j8 clean with other goals removes build/ first and then builds them again" {
    # A copy of the kit, built. Its rm is slow, so clean surely still runs
    # when the other goals start: a make that ran them side by side would
    # find them up to date, and then lose build/ to the late rm. (Two
    # programs, not all: the ordering is the same for any goal after
    # clean, and all takes a whole build.)
    local d
    mkdir kit
    for d in "$MEMKIT_ROOT"/*; do          # all of it but tests, docs, build
        case "${d##*/}" in tests|docs|build) ;; *) cp -r "$d" kit/ ;; esac
    done
    make -C kit -s build/read-records build/add-year build/write-records
    fake_cmd bin rm 'sleep 1; exec /bin/rm "$@"'
    run -0 env PATH="$PWD/bin:$PATH" make -C kit -s -j8 clean build/read-records build/add-year
    refute_output --partial 'up to date'
    [ -x kit/build/read-records ]
    [ -x kit/build/add-year ]
    [ ! -e kit/build/write-records ]              # clean ran, and first
}
