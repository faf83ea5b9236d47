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

MEMKIT_HOST=${MEMKIT_HOST_ARCH:-$(uname -m)}
case "$MEMKIT_HOST" in
    x86_64|i?86)
        MEMKIT_CROSS= ;;
    *)
        MEMKIT_CROSS=i686-linux-gnu-
        QEMU_LD_PREFIX=${QEMU_LD_PREFIX:-/usr/i686-linux-gnu}
        export QEMU_LD_PREFIX ;;
esac
