# brk64.s — the chapter's brk, on x86-64: `syscall` and register arguments.
#
#   build/x86-64/brk64             prints where the break was, asks for 4096 bytes
#                           more, prints the new break; exit status 0
#                           (qemu-x86_64 build/x86-64/brk64 on any host)
#
# The same steps as allocate_init and one growth in asm/alloc.s, written
# for the 64-bit ABI to show what changes:
#
#                   i386 (the book, the kit)      x86-64 (this file)
#   instruction     int $0x80                     syscall
#   number in       %eax                          %rax
#   brk's number    45                            12
#   arguments in    %ebx %ecx %edx %esi %edi      %rdi %rsi %rdx %r10 %r8 %r9
#   result in       %eax (-errno on failure)      %rax (-errno on failure)
#   clobbered       %eax only                     %rax, %rcx, %r11
#
# `syscall` keeps the return address in %rcx and the flags in %r11, which
# is why those two are lost. Function calls (print_hex below) take their
# arguments in registers too (%rdi, %rsi, ...), not on the stack.
#
# Output: "break 0x..." twice, the second 4096 bytes above the first.

.equ SYS64_WRITE, 1             # x86-64 numbers: not the i386 ones
.equ SYS64_BRK,   12
.equ SYS64_EXIT,  60
.equ STDOUT,      1
.equ GROW,        4096          # bytes to add to the heap

.section .data
line:     .ascii "break 0x"
digits:   .ascii "0000000000000000\n"
.equ LINE_LEN, . - line
.equ NDIGITS,  16

.section .text

# void _start(void);    never returns
#
# Inputs:   none
# Output:   exit status 0, or 1 when brk refused to grow
# Clobbers: everything (there is no caller)
.globl _start
.type _start, @function
_start:
    movq  $SYS64_BRK, %rax
    xorl  %edi, %edi            # brk(0): the current break
    syscall
    movq  %rax, %rbx            # %rbx = initial break (callee-saved)
    movq  %rax, %rdi
    call  print_break

    leaq  GROW(%rbx), %rdi      # ask for GROW bytes more
    movq  $SYS64_BRK, %rax
    syscall
    movq  %rax, %r12            # %r12 = the break now in effect
    movq  %rax, %rdi
    call  print_break

    leaq  GROW(%rbx), %rax
    xorl  %edi, %edi            # exit status 0...
    cmpq  %rax, %r12
    je    .Lexit
    movl  $1, %edi              # ...or 1: the break did not move as asked
.Lexit:
    movq  $SYS64_EXIT, %rax
    syscall
.size _start, .-_start

# void print_break(unsigned long addr);
#
# Writes "break 0x" and ADDR as 16 hex digits and a newline to stdout.
#
# Inputs:   %rdi    the address (the first argument register)
# Output:   none
# Clobbers: %rax, %rcx, %rdx, %rsi, %rdi, %r11, flags
.type print_break, @function
print_break:
    pushq %rbp
    movq  %rsp, %rbp

    leaq  digits + NDIGITS(%rip), %rsi  # fill from the last digit back
    movl  $NDIGITS, %ecx
1:  decq  %rsi
    movl  %edi, %eax
    andl  $15, %eax
    cmpl  $10, %eax
    jb    2f
    addl  $'a' - '0' - 10, %eax
2:  addl  $'0', %eax
    movb  %al, (%rsi)
    shrq  $4, %rdi
    decl  %ecx
    jnz   1b

    movq  $SYS64_WRITE, %rax
    movq  $STDOUT, %rdi
    leaq  line(%rip), %rsi
    movq  $LINE_LEN, %rdx
    syscall

    popq  %rbp
    ret
.size print_break, .-print_break

.section .note.GNU-stack,"",@progbits
