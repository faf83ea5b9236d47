# add-year.s — copy a records file, adding one year to every age.
#
#   usage: add-year [IN [OUT]]     (defaults: test.dat, testout.dat)
#
# Reads IN one 324-byte record at a time, increments the 32-bit age at
# offset RECORD_AGE, and writes the record to OUT; every other byte is
# copied unchanged. A new OUT gets mode 0644 (reduced by the umask); an
# existing one keeps its permission bits and is replaced whole. A
# trailing partial record (IN's size is not a multiple of 324) is not a
# record and is not copied; an empty IN gives an empty OUT.
#
# Beyond the book, OUT's old content is never lost to a failure: IN is
# checked first (a directory is refused before anything is written), and
# a regular OUT is written under a temporary name beside it and renamed
# into place only when every record is out (out-file.s). If OUT names the
# same file as IN (however it is spelled), add-year compares the device
# and inode numbers (fstat64 on IN, stat64 on OUT) and refuses with error
# 0007. Errors name the file and the kernel's reason (error-exit.s).
#
# Design: the book's. The record buffer lives in .bss; read_record and
# write_record take (buffer, fd); failures go to error_exit.

.include "linux.s"
.include "record-def.s"

.section .bss
.lcomm record_buffer, RECORD_SIZE
.lcomm in_stat, STAT64_SIZE
.lcomm out_stat, STAT64_SIZE

.section .rodata
default_in:
    .asciz "test.dat"
default_out:
    .asciz "testout.dat"

# Error reports: error_exit(program_name, code, message, file, err).
program_name:
    .asciz "add-year"
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
code_usage:
    .asciz "0006"
msg_usage:
    .asciz "usage: add-year [IN [OUT]]"
code_same_file:
    .asciz "0007"
msg_same_file:
    .asciz "input and output are the same file"

.section .text

# The initial stack (%ebp = %esp at _start) and the locals below it:
#
#   ST_ARGV_2(%ebp)   argv[2]: OUT, if given
#   ST_ARGV_1(%ebp)   argv[1]: IN, if given
#   ST_ARGV_0(%ebp)   argv[0]
#   ST_ARGC(%ebp)     argc
#   ST_IN_FD(%ebp)    local: input descriptor
#   ST_OUT_FD(%ebp)   local: output descriptor
#   ST_IN_FILE(%ebp)  local: input file name
#   ST_OUT_FILE(%ebp) local: output file name
.equ ST_ARGC,     0
.equ ST_ARGV_0,   4
.equ ST_ARGV_1,   8
.equ ST_ARGV_2,   12
.equ ST_IN_FD,    -4
.equ ST_OUT_FD,   -8
.equ ST_IN_FILE,  -12
.equ ST_OUT_FILE, -16
.equ ST_LOCALS,   16

.globl _start
.type _start, @function
_start:
    movl  %esp, %ebp
    subl  $ST_LOCALS, %esp

    # argc <= 1: both defaults; 2: IN given; 3: both given; more: usage.
    movl  $default_in, ST_IN_FILE(%ebp)
    movl  $default_out, ST_OUT_FILE(%ebp)
    movl  ST_ARGC(%ebp), %eax               # %eax = argc
    cmpl  $3, %eax
    ja    .Lusage
    jb    .Lmaybe_in
    movl  ST_ARGV_2(%ebp), %ecx
    movl  %ecx, ST_OUT_FILE(%ebp)
.Lmaybe_in:
    cmpl  $2, %eax
    jb    .Lopen_input
    movl  ST_ARGV_1(%ebp), %ecx
    movl  %ecx, ST_IN_FILE(%ebp)

.Lopen_input:
    movl  $SYS_OPEN, %eax
    movl  ST_IN_FILE(%ebp), %ebx            # %ebx = path
    movl  $O_RDONLY, %ecx                   # %ecx = flags
    movl  $0, %edx                          # %edx = mode (unused)
    int   $LINUX_SYSCALL
    cmpl  $MAX_ERRNO_NEG, %eax
    ja    .Lcannot_open
    movl  %eax, ST_IN_FD(%ebp)

    # Check the input before anything is written: a directory opens
    # fine and only fails at the first read.
    movl  $SYS_FSTAT64, %eax
    movl  ST_IN_FD(%ebp), %ebx
    movl  $in_stat, %ecx
    int   $LINUX_SYSCALL
    testl %eax, %eax
    jnz   .Lcannot_read
    movl  in_stat+STAT64_MODE, %eax
    andl  $S_IFMT, %eax
    cmpl  $S_IFDIR, %eax
    movl  $-EISDIR, %eax                    # (the reason, if it is one)
    je    .Lcannot_read

    # Refuse OUT == IN: renaming the new file over IN would be safe, but
    # it is never what the user meant. stat64 on OUT failing (usually: it
    # does not exist yet) means they differ. Both halves of the 64-bit
    # inode and device numbers are compared.
    movl  $SYS_STAT64, %eax
    movl  ST_OUT_FILE(%ebp), %ebx
    movl  $out_stat, %ecx
    int   $LINUX_SYSCALL
    testl %eax, %eax
    jnz   .Lopen_output
    movl  in_stat+STAT64_INO, %eax
    cmpl  out_stat+STAT64_INO, %eax
    jne   .Lopen_output
    movl  in_stat+STAT64_INO+4, %eax
    cmpl  out_stat+STAT64_INO+4, %eax
    jne   .Lopen_output
    movl  in_stat+STAT64_DEV, %eax
    cmpl  out_stat+STAT64_DEV, %eax
    jne   .Lopen_output
    movl  in_stat+STAT64_DEV+4, %eax
    cmpl  out_stat+STAT64_DEV+4, %eax
    je    .Lsame_file

    # A regular OUT is written beside it and renamed into place at the end
    # (out-file.s): until then OUT keeps its old content, whatever fails.
.Lopen_output:
    pushl ST_OUT_FILE(%ebp)
    call  output_open
    addl  $4, %esp
    cmpl  $MAX_ERRNO_NEG, %eax
    ja    .Lcannot_create
    movl  %eax, ST_OUT_FD(%ebp)

.Lnext_record:
    pushl ST_IN_FD(%ebp)
    pushl $record_buffer
    call  read_record
    addl  $8, %esp
    cmpl  $MAX_ERRNO_NEG, %eax
    ja    .Lcannot_read_discard
    cmpl  $RECORD_SIZE, %eax
    jne   .Lclose                           # end of file (or a partial record)

    incl  record_buffer + RECORD_AGE

    pushl ST_OUT_FD(%ebp)
    pushl $record_buffer
    call  write_record
    addl  $8, %esp
    cmpl  $RECORD_SIZE, %eax
    jne   .Lcannot_write_discard
    jmp   .Lnext_record

    # output_commit closes OUT, which can report a delayed write error
    # (NFS, quotas), then renames the new file into place.
.Lclose:
    pushl ST_OUT_FD(%ebp)
    call  output_commit
    addl  $4, %esp
    testl %eax, %eax
    jnz   .Lcannot_write
    movl  $SYS_CLOSE, %eax
    movl  ST_IN_FD(%ebp), %ebx
    int   $LINUX_SYSCALL

    movl  $SYS_EXIT, %eax
    xorl  %ebx, %ebx                        # exit status 0
    int   $LINUX_SYSCALL

    # Each error pushes error_exit's arguments last first: the system
    # call's result (its -errno is the reason printed), the file, the
    # message and the code. Once OUT is open, the temporary file goes.
.Lusage:
    pushl $0
    pushl $0
    pushl $msg_usage
    pushl $code_usage
    jmp   .Lerror
.Lcannot_open:
    pushl %eax
    pushl ST_IN_FILE(%ebp)
    pushl $msg_cannot_open
    pushl $code_cannot_open
    jmp   .Lerror
.Lsame_file:
    pushl $0
    pushl ST_OUT_FILE(%ebp)
    pushl $msg_same_file
    pushl $code_same_file
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
    movl  %esi, %eax
.Lcannot_read:
    pushl %eax
    pushl ST_IN_FILE(%ebp)
    pushl $msg_cannot_read
    pushl $code_cannot_read
    jmp   .Lerror
.Lcannot_write_discard:
    movl  %eax, %esi                        # %esi = -errno or a short count
    call  output_discard
    movl  %esi, %eax
.Lcannot_write:
    pushl %eax
    pushl ST_OUT_FILE(%ebp)
    pushl $msg_cannot_write
    pushl $code_cannot_write
.Lerror:
    pushl $program_name
    call  error_exit                        # does not return
.size _start, .-_start

.section .note.GNU-stack,"",@progbits
