# upcase.s — copy a file, turning every lower-case ASCII letter into
# upper case: the chapter's third exercise, done for the kit.
#
#   usage: upcase IN OUT
#
# Reads IN through a buffer of BUFFER_SIZE bytes, changes a-z to A-Z in
# each chunk (every other byte is copied as it is) and writes the chunk to
# OUT. An empty IN gives an empty OUT.
#
# The exercise: the buffer is not in .bss but comes from the chapter's
# memory manager, so this program links an allocator (the Makefile's
# ALLOC_LINKS: build/upcase with asm/alloc.s, build/alloc/TAG/upcase
# with the one ALLOC= names):
#
#     allocate_init();
#     buffer = allocate(BUFFER_SIZE);      /* 0: error 0005 */
#     ... read(in, buffer, BUFFER_SIZE) ... write(out, buffer, n) ...
#     deallocate(buffer);
#
# OUT is never destroyed before its replacement is complete: upcase
# writes it through out-file.s, as write-records and add-year do. When OUT
# is missing or a regular file, the bytes go to a new file beside it,
# "OUT.partial-PID", which gets OUT's permission bits and is renamed over
# OUT only once everything is written and closed; on any error, or when a
# timeout's SIGTERM or Ctrl-C ends the run, the new file is removed and
# OUT is as it was. Anything else named OUT, such as a pipe or /dev/null,
# is written directly. So IN and OUT may be the same file. A read-only
# OUT (no write permission) is refused.
#
# Errors go to error_exit with the codes of the Records programs
# (docs/records.md), the file concerned and the kernel's reason: 0001
# open IN, 0002 create OUT (the message names the file that could not be
# created), 0003 read IN, 0004 write OUT (including the final close and
# rename), 0005 no memory for the buffer, 0006 usage. The exit status is
# then 1.

.include "linux.s"

.equ BUFFER_SIZE,   4096        # bytes read and written at a time

.section .rodata
# Error reports: error_exit(program_name, code, message, file, err).
program_name:
    .asciz "upcase"
code_cannot_open:
    .asciz "0001"
msg_cannot_open:
    .asciz "cannot open input file"
code_cannot_create:
    .asciz "0002"
msg_cannot_create:
    .asciz "cannot create output file"
code_cannot_read:
    .asciz "0003"
msg_cannot_read:
    .asciz "cannot read input file"
code_cannot_write:
    .asciz "0004"
msg_cannot_write:
    .asciz "cannot write output file"
code_no_memory:
    .asciz "0005"
msg_no_memory:
    .asciz "cannot allocate the buffer"
code_usage:
    .asciz "0006"
msg_usage:
    .asciz "usage: upcase IN OUT"

.section .text

# The initial stack (%ebp = %esp at _start) and the locals below it:
#
#   ST_ARGV_2(%ebp)    argv[2]: OUT
#   ST_ARGV_1(%ebp)    argv[1]: IN
#   ST_ARGV_0(%ebp)    argv[0]
#   ST_ARGC(%ebp)      argc
#   ST_IN_FD(%ebp)     local: input descriptor
#   ST_OUT_FD(%ebp)    local: descriptor written (output_open's)
#   ST_BUFFER(%ebp)    local: the buffer, from allocate
.equ ST_ARGC,     0
.equ ST_ARGV_0,   4
.equ ST_ARGV_1,   8
.equ ST_ARGV_2,   12
.equ ST_IN_FD,    -4
.equ ST_OUT_FD,   -8
.equ ST_BUFFER,   -12
.equ ST_LOCALS,   12

.globl _start
.type _start, @function
_start:
    movl  %esp, %ebp
    subl  $ST_LOCALS, %esp

    cmpl  $3, ST_ARGC(%ebp)                 # upcase IN OUT, nothing else
    jne   .Lusage

    call  allocate_init
    pushl $BUFFER_SIZE
    call  allocate
    addl  $4, %esp
    testl %eax, %eax
    jz    .Lno_memory
    movl  %eax, ST_BUFFER(%ebp)

    movl  $SYS_OPEN, %eax
    movl  ST_ARGV_1(%ebp), %ebx             # %ebx = IN
    movl  $O_RDONLY, %ecx
    xorl  %edx, %edx
    int   $LINUX_SYSCALL
    cmpl  $MAX_ERRNO_NEG, %eax
    ja    .Lcannot_open
    movl  %eax, ST_IN_FD(%ebp)

    # A new file beside a regular (or missing) OUT, OUT itself otherwise.
    pushl ST_ARGV_2(%ebp)
    call  output_open
    addl  $4, %esp
    cmpl  $MAX_ERRNO_NEG, %eax
    ja    .Lcannot_create
    movl  %eax, ST_OUT_FD(%ebp)

    # One buffer at a time until read returns 0 (end of file).
.Lcopy:
    movl  $SYS_READ, %eax
    movl  ST_IN_FD(%ebp), %ebx
    movl  ST_BUFFER(%ebp), %ecx
    movl  $BUFFER_SIZE, %edx
    int   $LINUX_SYSCALL
    cmpl  $MAX_ERRNO_NEG, %eax
    ja    .Lcannot_read_discard
    testl %eax, %eax
    jz    .Lfinish

    pushl %eax                              # n, kept for write_all
    pushl %eax
    pushl ST_BUFFER(%ebp)
    call  upper_case
    addl  $8, %esp
    popl  %eax                              # %eax = n

    pushl %eax
    pushl ST_BUFFER(%ebp)
    pushl ST_OUT_FD(%ebp)
    call  write_all
    addl  $12, %esp
    testl %eax, %eax
    jnz   .Lcannot_write_discard
    jmp   .Lcopy

    # output_commit closes OUT, which can report a delayed write error
    # (NFS, quotas), then renames the new file into place.
.Lfinish:
    pushl ST_OUT_FD(%ebp)
    call  output_commit
    addl  $4, %esp
    testl %eax, %eax
    jnz   .Lcannot_write

    movl  $SYS_CLOSE, %eax
    movl  ST_IN_FD(%ebp), %ebx
    int   $LINUX_SYSCALL

    pushl ST_BUFFER(%ebp)
    call  deallocate
    addl  $4, %esp

    movl  $SYS_EXIT, %eax
    xorl  %ebx, %ebx                        # exit status 0
    int   $LINUX_SYSCALL

    # Each error pushes error_exit's arguments last first: the system
    # call's result (its -errno is the reason printed), the file, the
    # message and the code. Once OUT is open, the temporary file goes.
.Lusage:
    pushl $0                                # err: no reason given
    pushl $0
    pushl $msg_usage
    pushl $code_usage
    jmp   .Lerror
.Lno_memory:
    pushl $0                                # err: no reason given
    pushl $0
    pushl $msg_no_memory
    pushl $code_no_memory
    jmp   .Lerror
.Lcannot_open:
    pushl %eax
    pushl ST_ARGV_1(%ebp)
    pushl $msg_cannot_open
    pushl $code_cannot_open
    jmp   .Lerror
.Lcannot_create:
    movl  %eax, %esi                        # %esi = -errno
    call  output_name                       # %eax = the file not created
    pushl %esi
    pushl %eax
    pushl $msg_cannot_create
    pushl $code_cannot_create
    jmp   .Lerror
.Lcannot_read_discard:
    movl  %eax, %esi                        # %esi = -errno, kept across the call
    call  output_discard
    pushl %esi
    pushl ST_ARGV_1(%ebp)
    pushl $msg_cannot_read
    pushl $code_cannot_read
    jmp   .Lerror
.Lcannot_write_discard:
    movl  %eax, %esi                        # %esi = -errno, or 0: no reason
    call  output_discard
    movl  %esi, %eax
.Lcannot_write:
    pushl %eax
    pushl ST_ARGV_2(%ebp)
    pushl $msg_cannot_write
    pushl $code_cannot_write
.Lerror:
    pushl $program_name
    call  error_exit                        # does not return
.size _start, .-_start

# static void upper_case(char *buf, unsigned n);
#
# Turns the ASCII letters a-z among the n bytes at buf into A-Z, in place.
# Every other byte (digits, punctuation, UTF-8 sequences, which never use
# bytes below 0x80 inside a multi-byte character) is left alone.
#
# Inputs:   ARG_BUF(%ebp)  the bytes
#           ARG_N(%ebp)    how many
# Output:   none
# Clobbers: %eax, %ecx, %edx
.equ ARG_BUF, 8
.equ ARG_N,   12
.equ CASE_DIFF, 'a' - 'A'               # lower minus upper, in ASCII

.type upper_case, @function
upper_case:
    pushl %ebp
    movl  %esp, %ebp

    movl  ARG_BUF(%ebp), %edx               # %edx = next byte
    movl  ARG_N(%ebp), %ecx                 # %ecx = bytes left
    jecxz .Lupper_done
.Lupper_next:
    movb  (%edx), %al
    cmpb  $'a', %al
    jb    .Lupper_keep
    cmpb  $'z', %al
    ja    .Lupper_keep
    subb  $CASE_DIFF, %al
    movb  %al, (%edx)
.Lupper_keep:
    incl  %edx
    decl  %ecx
    jnz   .Lupper_next

.Lupper_done:
    movl  %ebp, %esp
    popl  %ebp
    ret
.size upper_case, .-upper_case

# static int write_all(int fd, const char *buf, unsigned n);
#
# write(2) may write fewer bytes than asked (a pipe, a signal): keep
# writing the rest until all n are out.
#
# Inputs:   ARG_FD(%ebp)      descriptor
#           ARG_WBUF(%ebp)    the bytes
#           ARG_WN(%ebp)      how many
# Output:   %eax  0 when all n bytes were written; else the failed
#           write's -errno, or 1 when write made no progress (no reason)
# Clobbers: %ecx, %edx
.equ ARG_FD,   8
.equ ARG_WBUF, 12
.equ ARG_WN,   16

.type write_all, @function
write_all:
    pushl %ebp
    movl  %esp, %ebp
    pushl %ebx
    pushl %esi
    pushl %edi

    movl  ARG_WBUF(%ebp), %esi              # %esi = next byte to write
    movl  ARG_WN(%ebp), %edi                # %edi = bytes left
.Lwrite_more:
    testl %edi, %edi
    jz    .Lwrite_ok
    movl  $SYS_WRITE, %eax
    movl  ARG_FD(%ebp), %ebx
    movl  %esi, %ecx
    movl  %edi, %edx
    int   $LINUX_SYSCALL
    cmpl  $MAX_ERRNO_NEG, %eax
    ja    .Lwrite_done                      # %eax = -errno
    testl %eax, %eax                        # 0 bytes: no progress, give up
    jz    .Lwrite_stuck
    addl  %eax, %esi
    subl  %eax, %edi
    jmp   .Lwrite_more

.Lwrite_ok:
    xorl  %eax, %eax
    jmp   .Lwrite_done
.Lwrite_stuck:
    movl  $1, %eax

.Lwrite_done:
    popl  %edi
    popl  %esi
    popl  %ebx
    movl  %ebp, %esp
    popl  %ebp
    ret
.size write_all, .-write_all

.section .note.GNU-stack,"",@progbits
