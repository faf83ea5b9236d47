# write-newline.s — write one newline character to a file descriptor.
#
#   int write_newline(int fd);
#
# As in the book, but cdecl-clean (the book's version clobbers %ebx) and
# it returns write's result so the caller can notice a failed write.

.include "linux.s"

.section .rodata
newline:
    .ascii "\n"

.section .text

# int write_newline(int fd);
# Inputs:   ARG_FD      the descriptor to write to
# Output:   %eax = 1 on success, -errno on failure
# Clobbers: %ecx, %edx, flags
.equ ARG_FD, 8

.globl write_newline
.type write_newline, @function
write_newline:
    pushl %ebp
    movl  %esp, %ebp
    pushl %ebx

    movl  $SYS_WRITE, %eax
    movl  ARG_FD(%ebp), %ebx        # %ebx = fd
    movl  $newline, %ecx            # %ecx = buffer
    movl  $1, %edx                  # %edx = length
    int   $LINUX_SYSCALL

    popl  %ebx
    popl  %ebp
    ret
.size write_newline, .-write_newline

.section .note.GNU-stack,"",@progbits
