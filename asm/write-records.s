# write-records.s — write the book's three example records to a file.
#
#   usage: write-records [FILE]        (FILE defaults to test.dat)
#
# Writes three 324-byte records to FILE: 972 bytes, byte for byte what
# the book's program writes. A new FILE gets mode 0644 (reduced by the
# umask); an existing one is replaced whole, so a re-run never leaves
# stale bytes behind. FILE keeps its old content until the new one is
# complete: a regular FILE is written under a temporary name beside it
# and renamed into place (out-file.s). Unlike the book's listing, the code is in .section .text: the
# book's write-records.s has none, its code lands in a writable data
# segment, and qemu-i386 refuses to run it.
#
# Design: the book's. The records are static data laid out field by field
# (see record-def.s); the main program opens the file (output_open) and calls
# write_record(buffer, fd) once per record; failures go to error_exit.

.include "linux.s"
.include "record-def.s"

.section .rodata

# PAD_TO label, offset — NUL bytes from here up to label + offset. A field
# that already runs past offset is an error: gas would only warn about the
# negative .space and let the string spill into the next field.
.macro PAD_TO label, offset
.if . - \label > \offset
    .error "a field of \label runs past offset \offset"
.endif
    .space \offset - (. - \label)
.endm

# RECORD label, first, last, address, age — one record, laid out as in
# record-def.s: each text field starts at its offset and is NUL-padded up
# to the next one, and the age is the last word. A string too long for its
# field, or any other drift from RECORD_SIZE, stops the assembly.
.macro RECORD label, first, last, address, age
\label:
    .ascii "\first"
    PAD_TO \label, RECORD_LASTNAME
    .ascii "\last"
    PAD_TO \label, RECORD_ADDRESS
    .ascii "\address"
    PAD_TO \label, RECORD_AGE
    .long \age
.if . - \label - RECORD_SIZE
    .error "\label is not RECORD_SIZE bytes"
.endif
.endm

RECORD record1, "Fredrick", "Bartlett", "4242 S Prairie\nTulsa, OK 55555", 45
RECORD record2, "Marilyn", "Taylor", "2224 S Johannan St\nChicago, IL 12345", 29
RECORD record3, "Derrick", "McIntire", "500 W Oakland\nSan Diego, CA 54321", 36

# The records in the order they are written.
.balign 4
record_table:
    .long record1, record2, record3
.equ RECORD_COUNT, (. - record_table) / 4

default_file:
    .asciz "test.dat"

# Error reports: error_exit(program_name, code, message, file, err).
program_name:
    .asciz "write-records"
code_cannot_create:
    .asciz "0002"
msg_cannot_create:
    .asciz "cannot create output file"
code_cannot_write:
    .asciz "0004"
msg_cannot_write:
    .asciz "cannot write output file"
code_usage:
    .asciz "0006"
msg_usage:
    .asciz "usage: write-records [FILE]"

.section .text

# The initial stack, as the kernel leaves it (%ebp = %esp at _start):
#
#   ST_ARGV_1(%ebp)  argv[1]: the output file, if given
#   ST_ARGV_0(%ebp)  argv[0]: the program's name
#   ST_ARGC(%ebp)    argc
#   ST_FD(%ebp)      local: the output descriptor
#   ST_FILE(%ebp)    local: the output file name
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
    jb    .Lopen
    ja    .Lusage
    movl  ST_ARGV_1(%ebp), %eax
    movl  %eax, ST_FILE(%ebp)

.Lopen:
    pushl ST_FILE(%ebp)
    call  output_open
    addl  $4, %esp
    cmpl  $MAX_ERRNO_NEG, %eax
    ja    .Lcannot_create
    movl  %eax, ST_FD(%ebp)

    # %esi survives write_record (cdecl), so it can count the records.
    xorl  %esi, %esi                        # %esi = records written
.Lnext_record:
    cmpl  $RECORD_COUNT, %esi
    je    .Lclose
    pushl ST_FD(%ebp)
    pushl record_table(,%esi,4)
    call  write_record
    addl  $8, %esp
    cmpl  $RECORD_SIZE, %eax
    jne   .Lcannot_write_discard
    incl  %esi
    jmp   .Lnext_record

    # output_commit closes the file, which can report a delayed write
    # error (NFS, quotas), then renames the new file into place.
.Lclose:
    pushl ST_FD(%ebp)
    call  output_commit
    addl  $4, %esp
    testl %eax, %eax
    jnz   .Lcannot_write

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
.Lcannot_create:
    movl  %eax, %esi                        # %esi = -errno
    call  output_name                       # %eax = the file not created
    pushl %esi
    pushl %eax
    pushl $msg_cannot_create
    pushl $code_cannot_create
    jmp   .Lerror
.Lcannot_write_discard:
    movl  %eax, %esi                        # %esi = -errno or a short count
    call  output_discard
    movl  %esi, %eax
.Lcannot_write:
    pushl %eax
    pushl ST_FILE(%ebp)
    pushl $msg_cannot_write
    pushl $code_cannot_write
.Lerror:
    pushl $program_name
    call  error_exit                        # does not return
.size _start, .-_start

.section .note.GNU-stack,"",@progbits
