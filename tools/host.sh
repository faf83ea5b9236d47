# host.sh — sourced (not run) by run-i386, gdb-session.sh, bootstrap.sh and
# tests/test_helper.bash: the decisions that depend on the host's CPU,
# made in one place. The Makefile makes the same ones from the same input.
#
#   MEMKIT_HOST     the host's machine name: $MEMKIT_HOST_ARCH if set (tests
#                   use it to take an aarch64 host's decisions on x86),
#                   else `uname -m`
#   MEMKIT_CROSS    the binutils/gcc prefix for i386: none on x86, where the
#                   host's own tools take --32/-m32; i686-linux-gnu- else
#   QEMU_LD_PREFIX  (exported, non-x86 only, unless already set) where
#                   qemu-i386 finds the i386 dynamic loader and libc that
#                   Debian's cross packages install: /usr/i686-linux-gnu.
#                   On x86 they are in the host's own /lib.
#
#   memkit_native   a function: true when this kernel runs i386 binaries
#                   itself (QEMU= works). MEMKIT_NATIVE=no makes it false
#                   on any host, so a test (or a person) can see what the
#                   kit does on a kernel without IA32 emulation; =yes skips
#                   the probe. Unset: probed once per shell.
#   MEMKIT_NATIVE_REFUSED
#                   the one line to print when a command needs native i386
#                   and memkit_native is false.

MEMKIT_HOST=${MEMKIT_HOST_ARCH:-$(uname -m)}
case "$MEMKIT_HOST" in
    x86_64|i?86)
        MEMKIT_CROSS= ;;
    *)
        MEMKIT_CROSS=i686-linux-gnu-
        QEMU_LD_PREFIX=${QEMU_LD_PREFIX:-/usr/i686-linux-gnu}
        export QEMU_LD_PREFIX ;;
esac

MEMKIT_NATIVE_REFUSED="this kernel cannot run i386 binaries natively; run without QEMU= to use qemu-i386"

# The probe is the smallest static i386 program there is: one ELF header,
# one PT_LOAD program header, and exit(42) at 0x08048054:
#   movl $42,%ebx; movl $1,%eax; int $0x80
# A kernel without IA32 emulation refuses it with ENOEXEC; a shell that
# then reads it as a script cannot make it exit with 42. Written with
# printf (octal escapes, which every sh's printf knows): no assembler needed.
memkit_write_probe() {
    printf '\177ELF\001\001\001\000\000\000\000\000\000\000\000\000' > "$1"
    # e_type EXEC, e_machine 386, e_version 1, e_entry 0x08048054,
    # e_phoff 52, e_shoff 0, e_flags 0, e_ehsize 52, e_phentsize 32,
    # e_phnum 1, no sections
    printf '\002\000\003\000\001\000\000\000\124\200\004\010\064\000\000\000' >> "$1"
    printf '\000\000\000\000\000\000\000\000\064\000\040\000\001\000\000\000\000\000\000\000' >> "$1"
    # PT_LOAD from offset 0 at 0x08048000, 96 bytes, R+X, page aligned
    printf '\001\000\000\000\000\000\000\000\000\200\004\010\000\200\004\010' >> "$1"
    printf '\140\000\000\000\140\000\000\000\005\000\000\000\000\020\000\000' >> "$1"
    # the code: exit(42)
    printf '\273\052\000\000\000\270\001\000\000\000\315\200' >> "$1"
}

# A temporary directory mounted noexec makes the probe fail with 126
# (permission denied) whatever the kernel can do: then try $HOME.
memkit_native_probe() {
    for _mk_dir in "${TMPDIR:-/tmp}" "${HOME:-/}"; do
        _mk_probe=$(mktemp "$_mk_dir/.memkit-probe.XXXXXX" 2>/dev/null) || continue
        memkit_write_probe "$_mk_probe"
        chmod 700 "$_mk_probe"
        "$_mk_probe" </dev/null >/dev/null 2>&1
        _mk_rc=$?
        rm -f "$_mk_probe"
        [ "$_mk_rc" -eq 126 ] || break
    done
    [ "${_mk_rc:-1}" -eq 42 ]
}

memkit_native() {
    case "${MEMKIT_NATIVE:-}" in
        no)  return 1 ;;
        yes) return 0 ;;
    esac
    if [ -z "${_mk_native_known:-}" ]; then
        if memkit_native_probe; then _mk_native_known=yes; else _mk_native_known=no; fi
    fi
    [ "$_mk_native_known" = yes ]
}
