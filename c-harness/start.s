# start.s — _start for the freestanding C harness.
#
#   int main(int argc, char **argv, char **envp);   (provided by the program)
#
# The kernel enters _start with the stack holding argc, then argv[0..argc-1],
# a NULL, then envp[], a NULL (the System V i386 process entry layout):
#
#   %esp -> argc
#           argv[0] ... argv[argc-1]  0
#           envp[0] ... 0
#
# _start passes these to main as cdecl arguments on a 16-byte aligned
# stack (gcc assumes that alignment at every call) and exits with main's
# return value.

.equ SYS_EXIT_GROUP, 252        # exit every thread; same as exit here
.equ LINUX_SYSCALL,  0x80

.section .text

# void _start(void);    never returns
#
# Inputs:   0(%esp) argc, 4(%esp) argv[0], ... as above
# Output:   none; exits with main's return value
# Clobbers: everything (there is no caller)
.globl _start
.type _start, @function
_start:
    xorl  %ebp, %ebp            # outermost frame: gdb's backtrace stops here
    movl  (%esp), %eax          # argc
    leal  4(%esp), %ecx         # argv
    leal  4(%ecx,%eax,4), %edx  # envp: just past argv's NULL

    andl  $-16, %esp            # 16-byte aligned after the three pushes
    subl  $4, %esp              # and the padding word
    pushl %edx                  # envp
    pushl %ecx                  # argv
    pushl %eax                  # argc
    call  main

    movl  %eax, %ebx            # exit status
    movl  $SYS_EXIT_GROUP, %eax
    int   $LINUX_SYSCALL
    hlt                         # not reached
.size _start, .-_start

.section .note.GNU-stack,"",@progbits
