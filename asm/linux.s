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
.equ SYS_UNLINK,    10
.equ SYS_GETPID,    20
.equ SYS_RENAME,    38
.equ SYS_BRK,       45
.equ SYS_FCHMOD,    94
.equ SYS_STAT64,    195
.equ SYS_FSTAT64,   197

.equ LINUX_SYSCALL, 0x80        # int $LINUX_SYSCALL enters the kernel

# Standard file descriptors
.equ STDIN,         0
.equ STDOUT,        1
.equ STDERR,        2

# open(2) flags (octal, as in <fcntl.h>)
.equ O_RDONLY,      00
.equ O_WRONLY,      01
.equ O_CREAT,       0100
.equ O_EXCL,        0200
.equ O_TRUNC,       01000
.equ O_CREAT_WRONLY_TRUNC, O_CREAT | O_WRONLY | O_TRUNC
.equ O_CREAT_WRONLY_EXCL,  O_CREAT | O_WRONLY | O_EXCL

.equ FILE_MODE,     0644        # rw-r--r--, further reduced by the umask

# struct stat64 on i386 (the kernel's arch/x86/include/uapi/asm/stat.h),
# the fields the kit reads; stat64/fstat64 fill all STAT64_SIZE bytes.
#
#   0        8        16        20          88       96
#   +--------+--------+---------+--- ... ---+--------+
#   | st_dev |        | st_mode |           | st_ino |
#   | u64    |        | u32     |           | u64    |
#   +--------+--------+---------+--- ... ---+--------+
.equ STAT64_DEV,    0
.equ STAT64_MODE,   16
.equ STAT64_INO,    88
.equ STAT64_SIZE,   96

# st_mode: the file type is in S_IFMT, the permission bits in S_IPERM.
.equ S_IFMT,        0170000
.equ S_IFDIR,       0040000
.equ S_IFREG,       0100000
.equ S_IPERM,       07777

# errno values the kit tests for itself (error_exit prints any of them)
.equ ENOENT,        2
.equ EISDIR,        21
.equ ENAMETOOLONG,  36

# read(2) returns 0 at end of file
.equ END_OF_FILE,   0

# A raw system call result r is an error when r > -4096 as unsigned:
#   cmpl $-4096, %eax ; ja error
.equ MAX_ERRNO_NEG, -4096
