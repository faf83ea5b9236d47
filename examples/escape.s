# escape.s — alloca, and a pointer to a local that outlives its frame.
#
#   build/escape            exit status: the value the escaped pointer
#                           reads at the end (7, not the 42 stored)
#
#   int *keep_on_stack(int value, unsigned nbytes);   the bug, on purpose
#   void  use_stack(int value);                      two locals
#
# keep_on_stack takes NBYTES from the stack at run time, the way C's
# alloca does (it only moves %esp down; there is no call and no
# bookkeeping), stores VALUE there and returns the address. The memory
# belongs to keep_on_stack's frame, and the frame is gone once it
# returns: the pointer has escaped. _start reads 42 through it at once
# (nothing has reused the memory yet), then calls use_stack, whose frame
# lands on the same addresses and overwrites the word with its own local,
# and reads again: 7. Watch it in gdb with the kit's cframe
# (docs/gdb.md, section "A pointer that outlives its frame").
#
# Each frame, from the higher addresses down:
#
#   | argument(s)    |  8(%ebp)...
#   | return address |  4(%ebp)
#   | caller's %ebp  |  0(%ebp)  <- %ebp
#   | locals, alloca | -4(%ebp)...  down to %esp

.include "linux.s"

.equ VALUE,  42                 # what keep_on_stack stores
.equ OTHER,  7                  # what use_stack stores over it
.equ NBYTES, 4                  # alloca's size: one word

.section .bss
.lcomm escaped, 4               # the escaped pointer
.lcomm first_read, 4            # what it read right away

.section .text

# void _start(void);    never returns
#
# Inputs:   none
# Output:   exit status: the word the escaped pointer reads last
# Clobbers: everything (there is no caller)
.globl _start
.type _start, @function
_start:
    pushl $NBYTES
    pushl $VALUE
    call  keep_on_stack
    addl  $8, %esp
    movl  %eax, escaped         # the pointer outlives its frame
    movl  (%eax), %ecx          # right away: still VALUE
    movl  %ecx, first_read

    pushl $OTHER
    call  use_stack             # a new frame on the same addresses
    addl  $4, %esp

    movl  escaped, %eax
    movl  (%eax), %ebx          # now: OTHER, use_stack's local
    movl  $SYS_EXIT, %eax
    int   $LINUX_SYSCALL
.size _start, .-_start

# int *keep_on_stack(int value, unsigned nbytes);
#
# alloca(nbytes) in its frame (rounded up to 4 bytes), stores VALUE in it
# and returns its address: a dangling pointer once this returns.
#
# Inputs:   ARG_VALUE, ARG_NBYTES
# Output:   %eax = address of the alloca'd word (in a dead frame)
# Clobbers: %ecx, flags
.equ ARG_VALUE,  8
.equ ARG_NBYTES, 12

.globl keep_on_stack
.type keep_on_stack, @function
keep_on_stack:
    pushl %ebp
    movl  %esp, %ebp
    movl  ARG_NBYTES(%ebp), %ecx
    addl  $3, %ecx              # round up to a whole word
    andl  $-4, %ecx
    subl  %ecx, %esp            # alloca: the stack grows by nbytes
    movl  ARG_VALUE(%ebp), %ecx
    movl  %ecx, (%esp)
    movl  %esp, %eax            # the address of the alloca'd memory
    movl  %ebp, %esp            # the frame, alloca's bytes with it, ends
    popl  %ebp
    ret
.size keep_on_stack, .-keep_on_stack

# void use_stack(int value);
#
# Keeps VALUE in two local variables, -4(%ebp) and -8(%ebp), as any
# function might. Its caller pushed one argument fewer than
# keep_on_stack's did, so its frame sits 4 bytes higher: the dead alloca'd
# word is its second local.
#
# Inputs:   ARG_VALUE
# Output:   none
# Clobbers: %ecx
.globl use_stack
.type use_stack, @function
use_stack:
    pushl %ebp
    movl  %esp, %ebp
    subl  $8, %esp              # two locals
    movl  ARG_VALUE(%ebp), %ecx
    movl  %ecx, -4(%ebp)
    movl  %ecx, -8(%ebp)
    movl  %ebp, %esp
    popl  %ebp
    ret
.size use_stack, .-use_stack

.section .note.GNU-stack,"",@progbits
