# errno-text.s — the kernel's reason for a failed system call, as text.
#
#   const char *errno_text(int err);
#
# A system call that fails returns -errno (linux.s). error_exit prints
# the reason next to the file name, the way a C program would with
# strerror(), but without any library: this file holds a small table
# from errno to the sentence glibc uses for it. Only the errors the
# Records programs can meet on open, read, write, close, rename and
# stat are listed; any other number prints as "Unknown error N".
#
# Design: a table of (number, string) pairs ended by a 0 number, searched
# front to back. Errors are rare, so a linear search is plenty.
#
#   errno_table:  +--------+--------+--------+--------+ ... +---+
#                 | errno  | &text  | errno  | &text  |     | 0 |
#                 +--------+--------+--------+--------+ ... +---+

.section .rodata

# ERRNO number, text — one table entry; the text goes to .rodata.str.
.macro ERRNO number, text
    .section .rodata.str, "a"
0:
    .asciz "\text"
    .section .rodata
    .long \number, 0b
.endm

.balign 4
errno_table:
    ERRNO 1,   "Operation not permitted"            # EPERM
    ERRNO 2,   "No such file or directory"          # ENOENT
    ERRNO 4,   "Interrupted system call"            # EINTR
    ERRNO 5,   "Input/output error"                 # EIO
    ERRNO 9,   "Bad file descriptor"                # EBADF
    ERRNO 11,  "Resource temporarily unavailable"   # EAGAIN
    ERRNO 12,  "Cannot allocate memory"             # ENOMEM
    ERRNO 13,  "Permission denied"                  # EACCES
    ERRNO 14,  "Bad address"                        # EFAULT
    ERRNO 16,  "Device or resource busy"            # EBUSY
    ERRNO 17,  "File exists"                        # EEXIST
    ERRNO 18,  "Invalid cross-device link"          # EXDEV
    ERRNO 19,  "No such device"                     # ENODEV
    ERRNO 20,  "Not a directory"                    # ENOTDIR
    ERRNO 21,  "Is a directory"                     # EISDIR
    ERRNO 22,  "Invalid argument"                   # EINVAL
    ERRNO 23,  "Too many open files in system"      # ENFILE
    ERRNO 24,  "Too many open files"                # EMFILE
    ERRNO 26,  "Text file busy"                     # ETXTBSY
    ERRNO 27,  "File too large"                     # EFBIG
    ERRNO 28,  "No space left on device"            # ENOSPC
    ERRNO 29,  "Illegal seek"                       # ESPIPE
    ERRNO 30,  "Read-only file system"              # EROFS
    ERRNO 31,  "Too many links"                     # EMLINK
    ERRNO 32,  "Broken pipe"                        # EPIPE
    ERRNO 36,  "File name too long"                 # ENAMETOOLONG
    ERRNO 40,  "Too many levels of symbolic links"  # ELOOP
    ERRNO 75,  "Value too large for defined data type"  # EOVERFLOW
    ERRNO 122, "Disk quota exceeded"                # EDQUOT
    .long 0                                         # end of the table

unknown_prefix:
    .asciz "Unknown error "

.equ UNKNOWN_PREFIX_LEN, 14
.equ DIGITS_MAX, 10                 # 4294967295 has ten digits

.section .bss
# "Unknown error " followed by up to ten digits and a NUL.
.lcomm unknown_text, UNKNOWN_PREFIX_LEN + DIGITS_MAX + 1

.section .text

# const char *errno_text(int err);
# Inputs:   ARG_ERR     an errno: positive (2) or as a system call
#                       returns it (-2); both mean ENOENT
# Output:   %eax = a NUL-terminated sentence ("No such file or
#           directory"); for a number not in the table, "Unknown error N"
#           in a static buffer, overwritten by the next such call
# Clobbers: %ecx, %edx, flags
.equ ARG_ERR, 8

.globl errno_text
.type errno_text, @function
errno_text:
    pushl %ebp
    movl  %esp, %ebp
    pushl %ebx
    pushl %edi

    movl  ARG_ERR(%ebp), %ebx       # %ebx = err
    testl %ebx, %ebx
    jns   .Lsearch
    negl  %ebx                      # -errno -> errno

    # Invariant: %edx points at an entry not yet compared with %ebx.
.Lsearch:
    movl  $errno_table, %edx
.Lnext_entry:
    movl  (%edx), %eax
    testl %eax, %eax
    jz    .Lunknown                 # the end marker
    cmpl  %ebx, %eax
    je    .Lfound
    addl  $8, %edx
    jmp   .Lnext_entry
.Lfound:
    movl  4(%edx), %eax
    jmp   .Ldone

    # "Unknown error " then the decimal digits of %ebx. The digits come
    # out last first, so they are written backwards from the end of the
    # buffer and then moved up behind the prefix.
.Lunknown:
    movl  $unknown_text, %edi
    movl  $unknown_prefix, %ecx
1:  movb  (%ecx), %al
    movb  %al, (%edi)
    incl  %ecx
    incl  %edi
    testb %al, %al
    jnz   1b
    decl  %edi                      # %edi = where the digits go
    movl  %ebx, %eax                # %eax = what is left to print
    movl  $10, %ecx
    pushl $0                        # the NUL, popped last
2:  xorl  %edx, %edx
    divl  %ecx                      # %eax = quotient, %edx = next digit
    addl  $'0', %edx
    pushl %edx
    testl %eax, %eax
    jnz   2b
3:  popl  %eax                      # the digits, most significant first
    movb  %al, (%edi)
    incl  %edi
    testl %eax, %eax
    jnz   3b
    movl  $unknown_text, %eax

.Ldone:
    popl  %edi
    popl  %ebx
    popl  %ebp
    ret
.size errno_text, .-errno_text

.section .note.GNU-stack,"",@progbits
