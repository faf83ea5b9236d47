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
# The name of the temporary file (below) comes from the allocator too.
#
# OUT is never destroyed before its replacement is complete. When OUT is
# missing or a regular file, upcase writes a new file beside it,
# "OUT.upcase-PID", gives it OUT's permission bits when OUT exists, and
# renames it over OUT only once everything is written and closed; on any
# error the new file is removed and OUT is as it was. (A symbolic link
# named OUT is replaced by the new file, not followed.) Anything else
# named OUT, such as a pipe or /dev/null, cannot be renamed over and is
# written directly. So IN and OUT may be the same file.
#
# Errors go to error_exit with the codes of the Records programs
# (docs/records.md): 0001 open IN, 0002 create OUT, 0003 read IN,
# 0004 write OUT (including the final close and rename), 0005 no memory
# for the buffer, 0006 usage. The exit status is then 1.

.include "linux.s"

# More system calls and constants, only used here.
.equ SYS_UNLINK,    10
.equ SYS_GETPID,    20
.equ SYS_RENAME,    38
.equ SYS_FCHMOD,    94
.equ SYS_STAT64,    195

.equ O_EXCL,        0200        # open fails if the file exists
.equ O_CREAT_WRONLY_EXCL, O_CREAT | O_WRONLY | O_EXCL

# struct stat64 on i386 (the kernel's arch/x86/include/uapi/asm/stat.h):
#
#   0        8        12       16        20
#   +--------+--------+--------+---------+--- ... ---+
#   | st_dev | pad    | ino32  | st_mode |           |
#   | u64    |        |        | u32     |           |
#   +--------+--------+--------+---------+--- ... ---+
.equ STAT64_MODE,   16
.equ STAT64_SIZE,   96
.equ S_IFMT,        0170000     # file type bits of st_mode
.equ S_IFREG,       0100000     # a regular file
.equ MODE_BITS,     07777       # permission bits of st_mode

.equ BUFFER_SIZE,   4096        # bytes read and written at a time
.equ PID_DIGITS,    10          # a 32-bit number has at most 10 digits

.section .rodata
temp_suffix:
    .asciz ".upcase-"

# Error reports: error_exit(program_name, code, message, file).
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
#   ST_OUT_FD(%ebp)    local: descriptor written (the new file, or OUT)
#   ST_BUFFER(%ebp)    local: the buffer, from allocate
#   ST_TEMP(%ebp)      local: the new file's name, from allocate; 0 when
#                      OUT is written directly
#   ST_MADE(%ebp)      local: 1 while the new file exists and must be
#                      removed on an error
#   ST_OLD_MODE(%ebp)  local: OUT's permission bits, or -1 if OUT is new
#   ST_STAT(%ebp)      local: struct stat64 of OUT (STAT64_SIZE bytes)
.equ ST_ARGC,     0
.equ ST_ARGV_0,   4
.equ ST_ARGV_1,   8
.equ ST_ARGV_2,   12
.equ ST_IN_FD,    -4
.equ ST_OUT_FD,   -8
.equ ST_BUFFER,   -12
.equ ST_TEMP,     -16
.equ ST_MADE,     -20
.equ ST_OLD_MODE, -24
.equ ST_STAT,     -24 - STAT64_SIZE
.equ ST_LOCALS,   24 + STAT64_SIZE

.globl _start
.type _start, @function
_start:
    movl  %esp, %ebp
    subl  $ST_LOCALS, %esp
    movl  $0, ST_TEMP(%ebp)
    movl  $0, ST_MADE(%ebp)
    movl  $-1, ST_OLD_MODE(%ebp)

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

    # What is OUT now? Missing (stat fails) or a regular file: write a new
    # file beside it. Anything else (a pipe, a device): write it directly.
    movl  $SYS_STAT64, %eax
    movl  ST_ARGV_2(%ebp), %ebx             # %ebx = OUT
    leal  ST_STAT(%ebp), %ecx               # %ecx = struct stat64
    int   $LINUX_SYSCALL
    testl %eax, %eax
    jnz   .Lmake_temp
    movl  ST_STAT+STAT64_MODE(%ebp), %eax   # %eax = OUT's st_mode
    movl  %eax, %ecx
    andl  $S_IFMT, %ecx
    cmpl  $S_IFREG, %ecx
    jne   .Lopen_direct
    andl  $MODE_BITS, %eax
    movl  %eax, ST_OLD_MODE(%ebp)

.Lmake_temp:
    pushl ST_ARGV_2(%ebp)
    call  temp_name
    addl  $4, %esp
    testl %eax, %eax
    jz    .Lno_memory
    movl  %eax, ST_TEMP(%ebp)

    movl  $SYS_OPEN, %eax
    movl  ST_TEMP(%ebp), %ebx               # %ebx = OUT.upcase-PID
    movl  $O_CREAT_WRONLY_EXCL, %ecx
    movl  $FILE_MODE, %edx
    int   $LINUX_SYSCALL
    cmpl  $MAX_ERRNO_NEG, %eax
    ja    .Lcannot_create
    movl  %eax, ST_OUT_FD(%ebp)
    movl  $1, ST_MADE(%ebp)

    # Keep OUT's permissions: open's mode is reduced by the umask.
    cmpl  $-1, ST_OLD_MODE(%ebp)
    je    .Lcopy
    movl  $SYS_FCHMOD, %eax
    movl  ST_OUT_FD(%ebp), %ebx
    movl  ST_OLD_MODE(%ebp), %ecx
    int   $LINUX_SYSCALL
    testl %eax, %eax
    jnz   .Lcannot_write
    jmp   .Lcopy

.Lopen_direct:
    movl  $SYS_OPEN, %eax
    movl  ST_ARGV_2(%ebp), %ebx             # %ebx = OUT
    movl  $O_CREAT_WRONLY_TRUNC, %ecx
    movl  $FILE_MODE, %edx
    int   $LINUX_SYSCALL
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
    ja    .Lcannot_read
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
    jnz   .Lcannot_write
    jmp   .Lcopy

    # close can report a delayed write error (NFS, quotas): check it, and
    # only then put the new file in OUT's place.
.Lfinish:
    movl  $SYS_CLOSE, %eax
    movl  ST_OUT_FD(%ebp), %ebx
    int   $LINUX_SYSCALL
    testl %eax, %eax
    jnz   .Lcannot_write
    cmpl  $0, ST_TEMP(%ebp)
    je    .Lclose_input
    movl  $SYS_RENAME, %eax
    movl  ST_TEMP(%ebp), %ebx               # %ebx = OUT.upcase-PID
    movl  ST_ARGV_2(%ebp), %ecx             # %ecx = OUT
    int   $LINUX_SYSCALL
    testl %eax, %eax
    jnz   .Lcannot_write
    movl  $0, ST_MADE(%ebp)                 # it is OUT now: keep it

.Lclose_input:
    movl  $SYS_CLOSE, %eax
    movl  ST_IN_FD(%ebp), %ebx
    int   $LINUX_SYSCALL

    pushl ST_TEMP(%ebp)                     # deallocate(0) does nothing
    call  deallocate
    pushl ST_BUFFER(%ebp)
    call  deallocate
    addl  $8, %esp

    movl  $SYS_EXIT, %eax
    xorl  %ebx, %ebx                        # exit status 0
    int   $LINUX_SYSCALL

.Lusage:
    pushl $0
    pushl $msg_usage
    pushl $code_usage
    jmp   .Lerror
.Lno_memory:
    pushl $0
    pushl $msg_no_memory
    pushl $code_no_memory
    jmp   .Lerror
.Lcannot_open:
    pushl ST_ARGV_1(%ebp)
    pushl $msg_cannot_open
    pushl $code_cannot_open
    jmp   .Lerror
.Lcannot_create:
    pushl ST_ARGV_2(%ebp)
    pushl $msg_cannot_create
    pushl $code_cannot_create
    jmp   .Lerror
.Lcannot_read:
    pushl ST_ARGV_1(%ebp)
    pushl $msg_cannot_read
    pushl $code_cannot_read
    jmp   .Lerror
.Lcannot_write:
    pushl ST_ARGV_2(%ebp)
    pushl $msg_cannot_write
    pushl $code_cannot_write

    # The half-written new file must not stay behind; OUT is untouched.
.Lerror:
    cmpl  $0, ST_MADE(%ebp)
    je    .Lreport
    movl  $SYS_UNLINK, %eax
    movl  ST_TEMP(%ebp), %ebx
    int   $LINUX_SYSCALL
.Lreport:
    pushl $program_name
    call  error_exit                        # does not return
.size _start, .-_start

# static char *temp_name(const char *out);
#
# Builds "OUT.upcase-PID" in memory from allocate: beside OUT (same
# directory, so rename never crosses file systems) and different for
# every running upcase (the process id). Nothing here can wrap: the
# length of OUT is below the size of the address space, and the suffix
# and digits add at most 19 bytes more, which the compare checks.
#
# Inputs:   ARG_OUT(%ebp)  the output file's name
# Output:   %eax  the new name, or 0 if allocate failed
# Clobbers: %ecx, %edx
.equ ARG_OUT, 8
.equ TEMP_EXTRA, 8 + PID_DIGITS + 1     # ".upcase-", the pid, the NUL

.type temp_name, @function
temp_name:
    pushl %ebp
    movl  %esp, %ebp
    pushl %ebx
    pushl %esi
    pushl %edi

    pushl $-1
    pushl ARG_OUT(%ebp)
    call  count_chars
    addl  $8, %esp
    movl  %eax, %esi                        # %esi = strlen(OUT)
    addl  $TEMP_EXTRA, %eax
    jc    .Ltemp_fail

    pushl %eax
    call  allocate
    addl  $4, %esp
    testl %eax, %eax
    jz    .Ltemp_done
    movl  %eax, %ebx                        # %ebx = the new name

    # OUT, then the suffix: rep movsb copies %ecx bytes from %esi to %edi.
    cld
    movl  %esi, %ecx
    movl  ARG_OUT(%ebp), %esi
    movl  %ebx, %edi
    rep   movsb
    movl  $temp_suffix, %esi
    movl  $8, %ecx                          # strlen(".upcase-")
    rep   movsb

    # The pid in decimal: digits come out last first, so they are pushed
    # on the stack and popped into the name in the right order.
    movl  $SYS_GETPID, %eax
    int   $LINUX_SYSCALL                    # %eax = pid (never fails)
    movl  $10, %ecx                         # %ecx = the base
    xorl  %esi, %esi                        # %esi = digits pushed
1:  xorl  %edx, %edx
    divl  %ecx                              # %eax = rest, %edx = digit
    addl  $'0', %edx
    pushl %edx
    incl  %esi
    testl %eax, %eax
    jnz   1b
2:  popl  %eax
    movb  %al, (%edi)
    incl  %edi
    decl  %esi
    jnz   2b
    movb  $0, (%edi)

    movl  %ebx, %eax
    jmp   .Ltemp_done

.Ltemp_fail:
    xorl  %eax, %eax

.Ltemp_done:
    popl  %edi
    popl  %esi
    popl  %ebx
    movl  %ebp, %esp
    popl  %ebp
    ret
.size temp_name, .-temp_name

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
# Output:   %eax  0 when all n bytes were written, else -1
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
    ja    .Lwrite_fail
    testl %eax, %eax                        # 0 bytes: no progress, give up
    jz    .Lwrite_fail
    addl  %eax, %esi
    subl  %eax, %edi
    jmp   .Lwrite_more

.Lwrite_ok:
    xorl  %eax, %eax
    jmp   .Lwrite_done
.Lwrite_fail:
    movl  $-1, %eax

.Lwrite_done:
    popl  %edi
    popl  %esi
    popl  %ebx
    movl  %ebp, %esp
    popl  %ebp
    ret
.size write_all, .-write_all

.section .note.GNU-stack,"",@progbits
