# instr-bytes.s — an instruction is bytes in memory, like the data.
#
#   build/instr-bytes | od -An -tx1    the 7 bytes of one instruction
#   build/instr-bytes; echo $?         42: the item that instruction loaded
#
# The chapter's example instruction, `movl data_items(,%edi,4), %ebx`,
# loads item %edi of a list of longs. The program runs it with %edi = 2,
# then writes the instruction's own bytes to stdout with write(2), reading
# them from the code the way any data is read: from an address, here the
# label load_item. They are the bytes objdump shows in build/instr-bytes.lst
# (docs/concepts.md takes them apart field by field):
#
#   8b        opcode: mov r32 <- r/m32
#   1c        ModRM:  mod 00, reg 011 (%ebx), r/m 100 (a SIB byte follows)
#   bd        SIB:    scale 10 (x4), index 111 (%edi), base 101 (none with
#                     mod 00: a 32-bit displacement follows)
#   xx xx xx xx  disp32: the address of data_items, little-endian
#
# Exit status: the item loaded (42), or 1 if the write failed.

.include "linux.s"

.equ ITEM_INDEX, 2              # data_items[2] = 42

.section .data
.balign 4                       # longs on word boundaries
data_items:
    .long 5, 17, 42, 8

.section .text

# void _start(void);    never returns
#
# Inputs:   none
# Output:   the 7 instruction bytes on stdout; exit status data_items[2]
# Clobbers: everything (there is no caller)
.globl _start
.type _start, @function
_start:
    movl  $ITEM_INDEX, %edi                 # %edi = the index
.globl load_item
load_item:
    movl  data_items(,%edi,4), %ebx         # %ebx = data_items[%edi]
load_item_end:
    movl  %ebx, %esi                        # %esi = the item, kept

    movl  $SYS_WRITE, %eax
    movl  $STDOUT, %ebx                     # %ebx = fd
    movl  $load_item, %ecx                  # %ecx = the instruction's bytes
    movl  $load_item_end - load_item, %edx  # %edx = how many: 7
    int   $LINUX_SYSCALL
    cmpl  %edx, %eax
    je    .Lexit
    movl  $1, %esi                          # the write failed: status 1

.Lexit:
    movl  %esi, %ebx                        # %ebx = exit status
    movl  $SYS_EXIT, %eax
    int   $LINUX_SYSCALL
.size _start, .-_start

.section .note.GNU-stack,"",@progbits
