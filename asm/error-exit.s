# error-exit.s — report an error on stderr and end the program.
#
#   void error_exit(const char *program, const char *code,
#                   const char *message, const char *file,
#                   int err);                               /* no return */
#
# The book's error_exit(code, message) writes the code, the message and a
# newline to stderr, then exits with status 1. This one keeps that shape
# and adds the three things a user needs to act on the error: which
# program complained, which file it was about, and the reason the kernel
# gave. It writes one line,
#
#     PROGRAM: error CODE: MESSAGE: FILE: REASON
#
# (": FILE" is left out when file is NULL; ": REASON" when err is not a
# failed system call's result, -4095 .. -1) and exits with status 1. The
# reason is errno_text's sentence (errno-text.s): "No such file or
# directory", "Is a directory", ...
# Every Records program uses the same codes; docs/records.md lists them.

.include "linux.s"

.section .rodata
error_word:
    .asciz ": error "
separator:
    .asciz ": "

.section .text

# void error_exit(const char *program, const char *code,
#                 const char *message, const char *file, int err);
# Inputs:   ARG_PROGRAM  program name, e.g. "read-records"
#           ARG_CODE     four-digit error code as a string, e.g. "0001"
#           ARG_MESSAGE  what went wrong
#           ARG_FILE     the file concerned, or 0 (NULL) for none
#           ARG_ERR      the failed system call's result (-errno), or
#                        anything else (0, a short count) for no reason
# Output:   none: the process exits with status 1
# Clobbers: everything (it does not return)
.equ ARG_PROGRAM, 8
.equ ARG_CODE,    12
.equ ARG_MESSAGE, 16
.equ ARG_FILE,    20
.equ ARG_ERR,     24

.equ EXIT_FAILURE, 1

.globl error_exit
.type error_exit, @function
error_exit:
    pushl %ebp
    movl  %esp, %ebp

    # Each piece is a separate write(2). Errors of these writes are
    # ignored: there is nowhere left to report them.
    pushl ARG_PROGRAM(%ebp)
    call  write_stderr
    pushl $error_word
    call  write_stderr
    pushl ARG_CODE(%ebp)
    call  write_stderr
    pushl $separator
    call  write_stderr
    pushl ARG_MESSAGE(%ebp)
    call  write_stderr
    addl  $20, %esp

    cmpl  $0, ARG_FILE(%ebp)
    je    .Lreason
    pushl $separator
    call  write_stderr
    pushl ARG_FILE(%ebp)
    call  write_stderr
    addl  $8, %esp

.Lreason:
    movl  ARG_ERR(%ebp), %eax
    cmpl  $MAX_ERRNO_NEG, %eax
    jbe   .Lnewline                 # not -errno: no reason to give
    pushl %eax
    call  errno_text
    movl  %eax, (%esp)              # the argument slot, reused
    pushl $separator
    call  write_stderr
    addl  $4, %esp
    call  write_stderr
    addl  $4, %esp

.Lnewline:
    pushl $STDERR
    call  write_newline
    addl  $4, %esp

    movl  $SYS_EXIT, %eax
    movl  $EXIT_FAILURE, %ebx
    int   $LINUX_SYSCALL
.size error_exit, .-error_exit

# static int write_stderr(const char *s);
# Inputs:   ARG_S       a NUL-terminated string
# Output:   %eax = write's result
# Clobbers: %ecx, %edx, flags
.equ ARG_S, 8

.type write_stderr, @function
write_stderr:
    pushl %ebp
    movl  %esp, %ebp
    pushl %ebx

    pushl $-1                       # no limit: s is an ordinary C string
    pushl ARG_S(%ebp)
    call  count_chars
    addl  $8, %esp

    movl  %eax, %edx                # %edx = length
    movl  $SYS_WRITE, %eax
    movl  $STDERR, %ebx             # %ebx = fd
    movl  ARG_S(%ebp), %ecx         # %ecx = buffer
    int   $LINUX_SYSCALL

    popl  %ebx
    popl  %ebp
    ret
.size write_stderr, .-write_stderr

.section .note.GNU-stack,"",@progbits
