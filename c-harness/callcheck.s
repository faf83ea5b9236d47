# callcheck.s — call a cdecl function and report which callee-saved
# registers it failed to preserve.
#
#   unsigned call_checked(void *fn, unsigned arg, unsigned *result);
#   unsigned call2_checked(void *fn, unsigned a, unsigned b,
#                          unsigned *result);
#
# The System V i386 ABI lets a function change %eax, %ecx, %edx and the
# flags, but it must return with %ebx, %esi, %edi, %ebp and %esp as it
# found them and with the direction flag clear. A C compiler cannot check
# that (it assumes it), so this thunk loads known values into those
# registers, pushes the arguments, calls fn, pops them as the book's
# callers do, and compares. call_checked is for the one-argument
# functions (allocate, deallocate, heap_check), call2_checked for
# reallocate(p, size); one body serves both.

# Bits of the result, one per broken promise:
.equ BAD_EBX, 0x01
.equ BAD_ESI, 0x02
.equ BAD_EDI, 0x04
.equ BAD_EBP, 0x08
.equ BAD_ESP, 0x10
.equ BAD_DF,  0x20              # direction flag set on return

# Values planted in the callee-saved registers; unlikely as results.
.equ CANARY_EBX, 0xB0B0B0B0
.equ CANARY_ESI, 0x51515151
.equ CANARY_EDI, 0xD1D1D1D1
.equ CANARY_EBP, 0xEBEBEBEB

.equ DF_BIT, 0x400              # direction flag in EFLAGS

.section .bss
.lcomm saved_esp, 4             # %esp just before the call

.section .text

# unsigned call_checked(void *fn, unsigned arg, unsigned *result);
#
# Inputs:   ARG_FN(%esp)      on entry: function to call (cdecl, one
#                             stack argument)
#           ARG_ARG(%esp)     the argument for it
#           ARG_RESULT(%esp)  where to store its %eax
# Output:   as call2_checked: call2_checked(fn, arg, 0, result). The
#           extra 0 is pushed after arg; a one-argument function never
#           reads it, and it is popped with arg.
# Clobbers: %ecx, %edx
.equ ARG_FN,     4
.equ ARG_ARG,    8
.equ ARG_RESULT, 12

.globl call_checked
.type call_checked, @function
call_checked:
    pushl ARG_RESULT(%esp)      # result
    pushl $0                    # b: unused by fn
    pushl ARG_ARG+8(%esp)       # arg (two pushes ago: +8)
    pushl ARG_FN+12(%esp)       # fn (three pushes ago: +12)
    call  call2_checked
    addl  $16, %esp
    ret
.size call_checked, .-call_checked

# unsigned call2_checked(void *fn, unsigned a, unsigned b,
#                        unsigned *result);
#
# Inputs:   C2_FN(%ebp)      function to call (cdecl, two stack arguments)
#           C2_A(%ebp)       its first argument
#           C2_B(%ebp)       its second argument
#           C2_RESULT(%ebp)  where to store its %eax
# Output:   %eax  0 if every callee-saved register and DF survived,
#                 else an OR of the BAD_* bits
# Clobbers: %ecx, %edx
.equ C2_FN,     8
.equ C2_A,      12
.equ C2_B,      16
.equ C2_RESULT, 20

.globl call2_checked
.type call2_checked, @function
call2_checked:
    pushl %ebp
    movl  %esp, %ebp
    pushl %ebx
    pushl %esi
    pushl %edi
    pushl %ebp                  # our frame pointer, replaced by a canary

    movl  C2_FN(%ebp), %eax     # function
    pushl C2_B(%ebp)            # its arguments, right to left
    pushl C2_A(%ebp)
    movl  %esp, saved_esp
    movl  $CANARY_EBX, %ebx
    movl  $CANARY_ESI, %esi
    movl  $CANARY_EDI, %edi
    movl  $CANARY_EBP, %ebp
    cld                         # the ABI's state on entry
    call  *%eax

    # %ebp is a canary now: the frame is reached again through the saved
    # %esp, which is only trusted after it has been compared.
    xorl  %ecx, %ecx            # BAD_* bits
    pushfl
    popl  %edx                  # EFLAGS after the call
    testl $DF_BIT, %edx
    jz    1f
    orl   $BAD_DF, %ecx
    cld
1:  cmpl  $CANARY_EBX, %ebx
    je    1f
    orl   $BAD_EBX, %ecx
1:  cmpl  $CANARY_ESI, %esi
    je    1f
    orl   $BAD_ESI, %ecx
1:  cmpl  $CANARY_EDI, %edi
    je    1f
    orl   $BAD_EDI, %ecx
1:  cmpl  $CANARY_EBP, %ebp
    je    1f
    orl   $BAD_EBP, %ecx
1:  cmpl  saved_esp, %esp
    je    1f
    orl   $BAD_ESP, %ecx
    movl  saved_esp, %esp       # recover the frame anyway
1:  addl  $8, %esp              # pop the arguments (caller pops)
    popl  %ebp                  # our frame pointer back

    movl  C2_RESULT(%ebp), %edx
    movl  %eax, (%edx)          # fn's return value
    movl  %ecx, %eax            # BAD_* bits

    popl  %edi
    popl  %esi
    popl  %ebx
    movl  %ebp, %esp
    popl  %ebp
    ret
.size call2_checked, .-call2_checked

.section .note.GNU-stack,"",@progbits
