# seg-callcheck.s — call a two-argument cdecl function (reallocate) and
# report which callee-saved registers it failed to preserve.
#
#   unsigned call2_checked(void *fn, unsigned a, unsigned b,
#                          unsigned *result);
#
# The two-argument sibling of call_checked (callcheck.s): the same
# canaries in %ebx, %esi, %edi and %ebp, DF cleared before the call and
# tested after it, %esp compared with its value at the call. Used by
# alloc-seg-test's callee-saved case.

# Bits of the result (as in callcheck.s and alloc-test.c):
.equ BAD_EBX, 0x01
.equ BAD_ESI, 0x02
.equ BAD_EDI, 0x04
.equ BAD_EBP, 0x08
.equ BAD_ESP, 0x10
.equ BAD_DF,  0x20

.equ CANARY_EBX, 0xB0B0B0B0
.equ CANARY_ESI, 0x51515151
.equ CANARY_EDI, 0xD1D1D1D1
.equ CANARY_EBP, 0xEBEBEBEB

.equ DF_BIT, 0x400              # direction flag in EFLAGS

.section .bss
.lcomm esp_at_call, 4           # %esp just before the call

.section .text

# unsigned call2_checked(void *fn, unsigned a, unsigned b, unsigned *result);
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

    movl  C2_FN(%ebp), %eax
    pushl C2_B(%ebp)            # arguments right to left
    pushl C2_A(%ebp)
    movl  %esp, esp_at_call
    movl  $CANARY_EBX, %ebx
    movl  $CANARY_ESI, %esi
    movl  $CANARY_EDI, %edi
    movl  $CANARY_EBP, %ebp
    cld                         # the ABI's state on entry
    call  *%eax

    # %ebp is a canary now; the frame is found again through the saved
    # %esp once it has been compared.
    xorl  %ecx, %ecx            # BAD_* bits
    pushfl
    popl  %edx                  # EFLAGS after the call
    testl $DF_BIT, %edx
    jz    .Lc2_ebx
    orl   $BAD_DF, %ecx
    cld
.Lc2_ebx:
    cmpl  $CANARY_EBX, %ebx
    je    .Lc2_esi
    orl   $BAD_EBX, %ecx
.Lc2_esi:
    cmpl  $CANARY_ESI, %esi
    je    .Lc2_edi
    orl   $BAD_ESI, %ecx
.Lc2_edi:
    cmpl  $CANARY_EDI, %edi
    je    .Lc2_ebp
    orl   $BAD_EDI, %ecx
.Lc2_ebp:
    cmpl  $CANARY_EBP, %ebp
    je    .Lc2_esp
    orl   $BAD_EBP, %ecx
.Lc2_esp:
    cmpl  esp_at_call, %esp
    je    .Lc2_pop
    orl   $BAD_ESP, %ecx
    movl  esp_at_call, %esp     # recover the frame anyway
.Lc2_pop:
    addl  $8, %esp              # pop the arguments (caller pops)
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
