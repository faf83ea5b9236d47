# map-records.s — read-records with the file mapped instead of read.
#
#   usage: map-records [FILE]           (FILE defaults to test.dat)
#
# Prints the first name of every 324-byte record in FILE, like
# asm/read-records.s, but never calls read(2): it asks the kernel to map
# the whole file into memory with one mmap2 and walks the records where
# they lie, through a pointer. The pages are filled from the file when
# first touched. Traced (docs/concepts.md), read-records makes one read
# per record, map-records one mmap2 for the whole file.
#
#     fd = open(file, O_RDONLY);
#     size = lseek(fd, 0, SEEK_END);        the file's length
#     base = mmap2(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);
#     close(fd);                            the mapping outlives the fd
#     for (p = base; p + RECORD_SIZE <= base + size; p += RECORD_SIZE)
#         print the first name at p
#
# As in read-records, a trailing partial record is ignored and a file too
# short to hold one record prints nothing (and is not mapped: a mapping
# of 0 bytes is an error). Error codes are the Records programs' (see
# docs/records.md); 0003 here means the file could not be measured or
# mapped (a directory, say).

.include "linux.s"
.include "record-def.s"

# Not in linux.s: the calls only this program makes.
.equ SYS_LSEEK,     19
.equ SYS_MMAP2,     192         # offset in 4096-byte pages, 6 arguments
.equ SEEK_END,      2
.equ PROT_READ,     1
.equ MAP_PRIVATE,   2

.section .rodata
default_file:
    .asciz "test.dat"

# Error reports: error_exit(program_name, code, message, file).
program_name:
    .asciz "map-records"
code_cannot_open:
    .asciz "0001"
msg_cannot_open:
    .asciz "cannot open input file"
code_cannot_map:
    .asciz "0003"
msg_cannot_map:
    .asciz "cannot map input file"
code_cannot_write:
    .asciz "0004"
msg_cannot_write:
    .asciz "cannot write to standard output"
code_usage:
    .asciz "0006"
msg_usage:
    .asciz "usage: map-records [FILE]"

.section .text

# The initial stack (%ebp = %esp at _start) and the locals below it:
#
#   ST_ARGV_1(%ebp)  argv[1]: the input file, if given
#   ST_ARGV_0(%ebp)  argv[0]
#   ST_ARGC(%ebp)    argc
#   ST_FILE(%ebp)    local: the input file name
#   ST_END(%ebp)     local: base + size rounded down to whole records
.equ ST_ARGC,   0
.equ ST_ARGV_0, 4
.equ ST_ARGV_1, 8
.equ ST_FILE,   -4
.equ ST_END,    -8
.equ ST_LOCALS, 8

# void _start(void);    never returns
#
# Inputs:   the initial stack, as above
# Output:   exit status 0, or 1 through error_exit
# Clobbers: everything (there is no caller)
.globl _start
.type _start, @function
_start:
    movl  %esp, %ebp
    subl  $ST_LOCALS, %esp

    # argc 0 or 1: the default name; 2: argv[1]; more: a usage error.
    movl  $default_file, ST_FILE(%ebp)
    cmpl  $2, ST_ARGC(%ebp)
    jb    .Lopen
    ja    .Lusage
    movl  ST_ARGV_1(%ebp), %eax
    movl  %eax, ST_FILE(%ebp)

.Lopen:
    movl  $SYS_OPEN, %eax
    movl  ST_FILE(%ebp), %ebx               # %ebx = path
    movl  $O_RDONLY, %ecx                   # %ecx = flags
    xorl  %edx, %edx                        # %edx = mode (unused)
    int   $LINUX_SYSCALL
    cmpl  $MAX_ERRNO_NEG, %eax
    ja    .Lcannot_open
    movl  %eax, %edi                        # %edi = fd

    movl  $SYS_LSEEK, %eax
    movl  %edi, %ebx                        # %ebx = fd
    xorl  %ecx, %ecx                        # %ecx = offset 0
    movl  $SEEK_END, %edx                   # %edx = from the end
    int   $LINUX_SYSCALL
    cmpl  $MAX_ERRNO_NEG, %eax
    ja    .Lcannot_map
    cmpl  $RECORD_SIZE, %eax
    jb    .Lfinished                        # not one whole record: no output
    movl  %eax, %ecx                        # %ecx = length = the file's size

    # mmap2 takes its sixth argument in %ebp, so the frame pointer is
    # saved around the call; the arguments below are the five others.
    movl  $SYS_MMAP2, %eax
    xorl  %ebx, %ebx                        # %ebx = NULL: kernel picks
    movl  $PROT_READ, %edx                  # %edx = prot
    movl  $MAP_PRIVATE, %esi                # %esi = flags
    pushl %ecx                              # the length, for ST_END
    pushl %ebp
    xorl  %ebp, %ebp                        # %ebp = offset 0 (pages)
    int   $LINUX_SYSCALL
    popl  %ebp
    popl  %ecx                              # %ecx = length
    cmpl  $MAX_ERRNO_NEG, %eax
    ja    .Lcannot_map
    movl  %eax, %esi                        # %esi = the first record

    # ST_END = base + (size / RECORD_SIZE) * RECORD_SIZE: the records
    # end there; any partial record after it is never looked at.
    movl  %ecx, %eax
    xorl  %edx, %edx
    movl  $RECORD_SIZE, %ecx
    divl  %ecx                              # %eax = whole records
    mull  %ecx                              # %eax = their bytes
    addl  %esi, %eax
    movl  %eax, ST_END(%ebp)

    # The mapping does not need the descriptor any more.
    movl  $SYS_CLOSE, %eax
    movl  %edi, %ebx
    int   $LINUX_SYSCALL

    # Invariant: %esi is the start of a whole record inside the mapping,
    # or ST_END when every record has been printed.
.Lnext_record:
    cmpl  ST_END(%ebp), %esi
    jae   .Lexit

    pushl $RECORD_FIRSTNAME_SIZE
    leal  RECORD_FIRSTNAME(%esi), %eax
    pushl %eax
    call  count_chars
    addl  $8, %esp

    testl %eax, %eax                        # an empty name writes nothing
    jz    .Lend_line
    movl  %eax, %edx                        # %edx = length
    movl  %eax, %edi                        # %edi = length, for the check
    movl  $SYS_WRITE, %eax
    movl  $STDOUT, %ebx                     # %ebx = fd
    leal  RECORD_FIRSTNAME(%esi), %ecx      # %ecx = the name, in the file
    int   $LINUX_SYSCALL
    cmpl  %edi, %eax
    jne   .Lcannot_write                    # -errno, or a short write

.Lend_line:
    pushl $STDOUT
    call  write_newline
    addl  $4, %esp
    cmpl  $1, %eax
    jne   .Lcannot_write
    addl  $RECORD_SIZE, %esi
    jmp   .Lnext_record

.Lfinished:                                 # nothing mapped: close the file
    movl  $SYS_CLOSE, %eax
    movl  %edi, %ebx
    int   $LINUX_SYSCALL
.Lexit:                                     # the mapping goes with the process
    movl  $SYS_EXIT, %eax
    xorl  %ebx, %ebx                        # exit status 0
    int   $LINUX_SYSCALL

.Lusage:
    pushl $0
    pushl $msg_usage
    pushl $code_usage
    jmp   .Lerror
.Lcannot_open:
    pushl ST_FILE(%ebp)
    pushl $msg_cannot_open
    pushl $code_cannot_open
    jmp   .Lerror
.Lcannot_map:
    pushl ST_FILE(%ebp)
    pushl $msg_cannot_map
    pushl $code_cannot_map
    jmp   .Lerror
.Lcannot_write:
    pushl $0
    pushl $msg_cannot_write
    pushl $code_cannot_write
.Lerror:
    pushl $program_name
    call  error_exit                        # does not return
.size _start, .-_start

.section .note.GNU-stack,"",@progbits
