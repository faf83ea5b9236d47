# factorial.s — a recursive function, to watch the stack grow frame by frame.
#
#   build/factorial         exits with status 4! = 24 (echo $? shows it)
#
#   unsigned factorial(unsigned n);     n! for n >= 1, recursively
#
# The book's recursion example in the kit's style: _start pushes 4 and
# calls factorial; factorial(n) calls factorial(n - 1) until n is 1, so at
# the deepest point four frames sit on the stack, one per level, each
# holding its argument, its return address and the caller's %ebp. Step it
# in gdb with the kit's cframe command (docs/concepts.md):
#
#   make gdb PROG=factorial     then: break factorial, continue, cframe 1
#
# Each call's frame, from the higher addresses down:
#
#   +----------------+
#   | n              |   8(%ebp)   pushed by the caller
#   | return address |   4(%ebp)   pushed by call
#   | caller's %ebp  |   0(%ebp)   pushed by factorial's prologue
#   +----------------+  <- %ebp, then %esp: the next call's frame goes below

.include "linux.s"

.equ START_N, 4                 # 4! = 24 fits in an exit status

.section .text

# void _start(void);    never returns
#
# Inputs:   none
# Output:   exit status factorial(START_N)
# Clobbers: everything (there is no caller)
.globl _start
.type _start, @function
_start:
    pushl $START_N
    call  factorial
    addl  $4, %esp

    movl  %eax, %ebx                        # %ebx = exit status
    movl  $SYS_EXIT, %eax
    int   $LINUX_SYSCALL
.size _start, .-_start

# unsigned factorial(unsigned n);
#
# n * factorial(n - 1), with factorial(1) = 1. An argument of 0 is treated
# as 1 (0! = 1), so the recursion always ends. The product wraps modulo
# 2^32 for n > 12; this example only asks for 4!.
#
# Inputs:   ARG_N   n
# Output:   %eax = n!
# Clobbers: %edx (mull), flags
.equ ARG_N, 8

.globl factorial
.type factorial, @function
factorial:
    pushl %ebp
    movl  %esp, %ebp

    movl  ARG_N(%ebp), %eax                 # %eax = n
    cmpl  $1, %eax
    jbe   .Lbase                            # 0 or 1: the recursion ends

    decl  %eax
    pushl %eax                              # n - 1: the next frame's ARG_N
    call  factorial
    addl  $4, %esp
    mull  ARG_N(%ebp)                       # %eax = n * (n - 1)!
    jmp   .Lreturn

.Lbase:
    movl  $1, %eax
.Lreturn:
    movl  %ebp, %esp
    popl  %ebp
    ret
.size factorial, .-factorial

.section .note.GNU-stack,"",@progbits
