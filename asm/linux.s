# linux.s — i386 Linux system call numbers and constants, for .include.
#
# Numbers come from the kernel's arch/x86/entry/syscalls/syscall_32.tbl.
# A system call takes its number in %eax and its arguments in %ebx, %ecx,
# %edx, %esi, %edi; `int $LINUX_SYSCALL` enters the kernel and the result
# comes back in %eax. A result in [-4095, -1] is -errno (an error).

# System call numbers
.equ SYS_EXIT,      1
.equ SYS_READ,      3
.equ SYS_WRITE,     4
.equ SYS_OPEN,      5
.equ SYS_CLOSE,     6
.equ SYS_BRK,       45

.equ LINUX_SYSCALL, 0x80        # int $LINUX_SYSCALL enters the kernel

# Standard file descriptors
.equ STDIN,         0
.equ STDOUT,        1
.equ STDERR,        2

# open(2) flags (octal, as in <fcntl.h>)
.equ O_RDONLY,      00
.equ O_WRONLY,      01
.equ O_CREAT,       0100
.equ O_TRUNC,       01000
.equ O_CREAT_WRONLY_TRUNC, O_CREAT | O_WRONLY | O_TRUNC

.equ FILE_MODE,     0644        # rw-r--r--, further reduced by the umask

# read(2) returns 0 at end of file
.equ END_OF_FILE,   0

# A raw system call result r is an error when r > -4096 as unsigned:
#   cmpl $-4096, %eax ; ja error
.equ MAX_ERRNO_NEG, -4096
