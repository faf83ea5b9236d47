# read-records.s — print the first name of every record in a file.
#
#   usage: read-records [FILE]         (FILE defaults to test.dat)
#
# Reads FILE one 324-byte record at a time and writes each first name,
# then a newline, to stdout. A first name is the bytes of its 40-byte
# field up to the first NUL, or all 40 when there is none. A trailing
# partial record (file size not a multiple of 324) is not a record and is
# ignored; an empty file prints nothing and exits 0.
#
# Design: the book's read-records, with the change from the memory
# chapter: the record buffer is not in .bss but on the heap, obtained
# from the chapter's memory manager (alloc.s):
#
#     allocate_init();
#     record_buffer_ptr = allocate(RECORD_SIZE);
#     ... read_record(record_buffer_ptr, fd) ...
#     deallocate(record_buffer_ptr);

.include "linux.s"
.include "record-def.s"

.section .data
.balign 4                       # word variables on word boundaries
# The record buffer: a pointer to heap memory, set by allocate.
record_buffer_ptr:
    .long 0

.section .rodata
default_file:
    .asciz "test.dat"

# Error reports: error_exit(program_name, code, message, file, err).
program_name:
    .asciz "read-records"
code_cannot_open:
    .asciz "0001"
msg_cannot_open:
    .asciz "cannot open input file"
code_cannot_read:
    .asciz "0003"
msg_cannot_read:
    .asciz "cannot read input file"
code_cannot_write:
    .asciz "0004"
msg_cannot_write:
    .asciz "cannot write to standard output"
code_no_memory:
    .asciz "0005"
msg_no_memory:
    .asciz "cannot allocate the record buffer"
code_usage:
    .asciz "0006"
msg_usage:
    .asciz "usage: read-records [FILE]"

.section .text

# The initial stack (%ebp = %esp at _start) and the locals below it:
#
#   ST_ARGV_1(%ebp)  argv[1]: the input file, if given
#   ST_ARGV_0(%ebp)  argv[0]
#   ST_ARGC(%ebp)    argc
#   ST_FD(%ebp)      local: the input descriptor
#   ST_FILE(%ebp)    local: the input file name
.equ ST_ARGC,   0
.equ ST_ARGV_0, 4
.equ ST_ARGV_1, 8
.equ ST_FD,     -4
.equ ST_FILE,   -8
.equ ST_LOCALS, 8

.globl _start
.type _start, @function
_start:
    movl  %esp, %ebp
    subl  $ST_LOCALS, %esp

    # argc 0 or 1: the default name; 2: argv[1]; more: a usage error.
    movl  $default_file, ST_FILE(%ebp)
    cmpl  $2, ST_ARGC(%ebp)
    jb    .Lsetup_heap
    ja    .Lusage
    movl  ST_ARGV_1(%ebp), %eax
    movl  %eax, ST_FILE(%ebp)

.Lsetup_heap:
    call  allocate_init
    pushl $RECORD_SIZE
    call  allocate
    addl  $4, %esp
    testl %eax, %eax
    jz    .Lno_memory
    movl  %eax, record_buffer_ptr

    movl  $SYS_OPEN, %eax
    movl  ST_FILE(%ebp), %ebx               # %ebx = path
    movl  $O_RDONLY, %ecx                   # %ecx = flags
    movl  $0, %edx                          # %edx = mode (unused)
    int   $LINUX_SYSCALL
    cmpl  $MAX_ERRNO_NEG, %eax
    ja    .Lcannot_open
    movl  %eax, ST_FD(%ebp)

.Lnext_record:
    pushl ST_FD(%ebp)
    pushl record_buffer_ptr
    call  read_record
    addl  $8, %esp
    cmpl  $MAX_ERRNO_NEG, %eax
    ja    .Lcannot_read
    cmpl  $RECORD_SIZE, %eax
    jne   .Lfinished                        # end of file (or a partial record)

    # The name's length, bounded by its field: a 40-byte name has no NUL.
    movl  record_buffer_ptr, %eax
    addl  $RECORD_FIRSTNAME, %eax
    pushl $RECORD_FIRSTNAME_SIZE
    pushl %eax
    call  count_chars
    addl  $8, %esp

    # An empty name writes nothing: write(2) of 0 bytes is no output, and
    # some files (/dev/full) fail even that.
    testl %eax, %eax
    jz    .Lend_line
    movl  %eax, %edx                        # %edx = length
    movl  %eax, %esi                        # %esi = length, kept for the check
    movl  $SYS_WRITE, %eax
    movl  $STDOUT, %ebx                     # %ebx = fd
    movl  record_buffer_ptr, %ecx
    addl  $RECORD_FIRSTNAME, %ecx           # %ecx = the first name
    int   $LINUX_SYSCALL
    cmpl  %esi, %eax
    jne   .Lcannot_write                    # -errno, or a short write

.Lend_line:
    pushl $STDOUT
    call  write_newline
    addl  $4, %esp
    cmpl  $1, %eax
    jne   .Lcannot_write
    jmp   .Lnext_record

.Lfinished:
    movl  $SYS_CLOSE, %eax
    movl  ST_FD(%ebp), %ebx
    int   $LINUX_SYSCALL

    pushl record_buffer_ptr
    call  deallocate
    addl  $4, %esp

    movl  $SYS_EXIT, %eax
    xorl  %ebx, %ebx                        # exit status 0
    int   $LINUX_SYSCALL

    # Each error pushes error_exit's arguments last first: the system
    # call's result (its -errno is the reason printed), the file, the
    # message and the code.
.Lusage:
    pushl $0
    pushl $0
    pushl $msg_usage
    pushl $code_usage
    jmp   .Lerror
.Lno_memory:
    pushl $0
    pushl $0
    pushl $msg_no_memory
    pushl $code_no_memory
    jmp   .Lerror
.Lcannot_open:
    pushl %eax
    pushl ST_FILE(%ebp)
    pushl $msg_cannot_open
    pushl $code_cannot_open
    jmp   .Lerror
.Lcannot_read:
    pushl %eax
    pushl ST_FILE(%ebp)
    pushl $msg_cannot_read
    pushl $code_cannot_read
    jmp   .Lerror
.Lcannot_write:
    pushl %eax
    pushl $0
    pushl $msg_cannot_write
    pushl $code_cannot_write
.Lerror:
    pushl $program_name
    call  error_exit                        # does not return
.size _start, .-_start

.section .note.GNU-stack,"",@progbits
