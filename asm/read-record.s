# read-record.s — read one 324-byte record from a file descriptor.
#
#   int read_record(char *buffer, int fd);
#
# The book's read_record makes a single read(2) and returns its result;
# the caller treats anything but RECORD_SIZE as the end. A single read can
# return fewer bytes than asked for without being at the end (a pipe, a
# terminal, a signal), so this version keeps reading until it has a whole
# record, the file ends, or read fails. The caller's test stays the same:
# RECORD_SIZE means a whole record; less means the end, and a trailing
# partial record is left for the caller to ignore.

.include "linux.s"
.include "record-def.s"

.section .text

# int read_record(char *buffer, int fd);
# Inputs:   ARG_BUFFER  where to put the record (RECORD_SIZE bytes)
#           ARG_FD      the descriptor to read from
# Output:   %eax = RECORD_SIZE for a whole record; 0 .. RECORD_SIZE-1 when
#           the file ended first (0: nothing left); -errno if read failed
# Clobbers: %ecx, %edx, flags
.equ ARG_BUFFER, 8
.equ ARG_FD,     12

.globl read_record
.type read_record, @function
read_record:
    pushl %ebp
    movl  %esp, %ebp
    pushl %ebx
    pushl %esi

    xorl  %esi, %esi                # %esi = bytes read so far

    # Invariant: buffer[0 .. %esi-1] holds the first %esi bytes of the
    # record and 0 <= %esi <= RECORD_SIZE.
.Lread_more:
    cmpl  $RECORD_SIZE, %esi
    je    .Ldone
    movl  $SYS_READ, %eax
    movl  ARG_FD(%ebp), %ebx        # %ebx = fd
    movl  ARG_BUFFER(%ebp), %ecx
    addl  %esi, %ecx                # %ecx = first unfilled byte
    movl  $RECORD_SIZE, %edx
    subl  %esi, %edx                # %edx = bytes still missing
    int   $LINUX_SYSCALL
    cmpl  $MAX_ERRNO_NEG, %eax
    ja    .Lfailed                  # -4095 .. -1: an error
    cmpl  $END_OF_FILE, %eax
    je    .Ldone
    addl  %eax, %esi
    jmp   .Lread_more

.Ldone:
    movl  %esi, %eax
.Lfailed:                           # %eax = -errno
    popl  %esi
    popl  %ebx
    popl  %ebp
    ret
.size read_record, .-read_record

.section .note.GNU-stack,"",@progbits
