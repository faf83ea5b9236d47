# write-record.s — write one 324-byte record to a file descriptor.
#
#   int write_record(const char *buffer, int fd);
#
# The book's write_record makes a single write(2) and returns its result.
# write can accept fewer bytes than offered (a full disk, a pipe, a
# signal), so this version keeps writing the rest until the whole record
# is out or write fails. The caller checks for RECORD_SIZE.

.include "linux.s"
.include "record-def.s"

.section .text

# int write_record(const char *buffer, int fd);
# Inputs:   ARG_BUFFER  the record (RECORD_SIZE bytes)
#           ARG_FD      the descriptor to write to
# Output:   %eax = RECORD_SIZE on success; -errno if write failed, or the
#           bytes written so far if write stopped accepting bytes
# Clobbers: %ecx, %edx, flags
.equ ARG_BUFFER, 8
.equ ARG_FD,     12

.globl write_record
.type write_record, @function
write_record:
    pushl %ebp
    movl  %esp, %ebp
    pushl %ebx
    pushl %esi

    xorl  %esi, %esi                # %esi = bytes written so far

    # Invariant: buffer[0 .. %esi-1] has been written, 0 <= %esi <= RECORD_SIZE.
.Lwrite_more:
    cmpl  $RECORD_SIZE, %esi
    je    .Ldone
    movl  $SYS_WRITE, %eax
    movl  ARG_FD(%ebp), %ebx        # %ebx = fd
    movl  ARG_BUFFER(%ebp), %ecx
    addl  %esi, %ecx                # %ecx = first unwritten byte
    movl  $RECORD_SIZE, %edx
    subl  %esi, %edx                # %edx = bytes still to write
    int   $LINUX_SYSCALL
    cmpl  $MAX_ERRNO_NEG, %eax
    ja    .Lfailed                  # -4095 .. -1: an error
    testl %eax, %eax
    jz    .Ldone                    # no progress: report the short count
    addl  %eax, %esi
    jmp   .Lwrite_more

.Ldone:
    movl  %esi, %eax
.Lfailed:                           # %eax = -errno
    popl  %esi
    popl  %ebx
    popl  %ebp
    ret
.size write_record, .-write_record

.section .note.GNU-stack,"",@progbits
