# book-caller.s — a caller written the way the book's programs call the
# memory manager, to show asm/alloc.o is a drop-in for the book's alloc.o.
#
#   build/book-caller       prints a line it built in heap memory
#
# It uses only the book's interface: call allocate_init first, push the
# size, call allocate, pop the argument, read the pointer from %eax; push
# the pointer, call deallocate, pop. It copies a message into the block,
# writes it out from there, frees the block and asks again for the same
# size: first fit must hand back the same block.
#
# Exit status: 0 all went as described, 1 allocate returned 0,
#              2 the second allocate did not reuse the freed block,
#              3 the line could not be written whole.

.include "linux.s"

.equ BUFFER_SIZE, 64            # bytes asked of allocate

.section .data

message:
    .ascii "book-caller: this line was copied into a block from allocate\n"
message_end:
.equ MESSAGE_LEN, message_end - message
.if MESSAGE_LEN > BUFFER_SIZE
    .error "the message does not fit in the block"
.endif

.balign 4                       # word variables on word boundaries
buffer_ptr:
    .long 0                     # the block from allocate

.section .text

# void _start(void);    never returns
#
# Inputs:   none
# Output:   exit status as above
# Clobbers: everything (there is no caller)
.globl _start
.type _start, @function
_start:
    movl  %esp, %ebp

    call  allocate_init

    pushl $BUFFER_SIZE
    call  allocate
    addl  $4, %esp
    movl  %eax, buffer_ptr
    cmpl  $0, %eax
    je    .Lno_memory

    # Copy the message into the block: rep movsb moves %ecx bytes from
    # (%esi) to (%edi), upwards with DF clear. _start has no caller to
    # preserve %esi and %edi for, so it may use them freely.
    movl  $message, %esi        # source
    movl  buffer_ptr, %edi      # destination
    movl  $MESSAGE_LEN, %ecx    # bytes left
    cld
    rep movsb

    movl  $SYS_WRITE, %eax
    movl  $STDOUT, %ebx
    movl  buffer_ptr, %ecx      # write from the heap block
    movl  $MESSAGE_LEN, %edx
    int   $LINUX_SYSCALL
    cmpl  $MESSAGE_LEN, %eax    # -errno or a short write
    jne   .Lnot_written

    pushl buffer_ptr
    call  deallocate
    addl  $4, %esp

    # Same size again: the freed block is the first that fits.
    pushl $BUFFER_SIZE
    call  allocate
    addl  $4, %esp
    cmpl  buffer_ptr, %eax
    jne   .Lnot_reused

    movl  $0, %ebx              # exit status
    jmp   .Lexit
.Lno_memory:
    movl  $1, %ebx
    jmp   .Lexit
.Lnot_reused:
    movl  $2, %ebx
    jmp   .Lexit
.Lnot_written:
    movl  $3, %ebx
.Lexit:
    movl  $SYS_EXIT, %eax
    int   $LINUX_SYSCALL
.size _start, .-_start

.section .note.GNU-stack,"",@progbits
