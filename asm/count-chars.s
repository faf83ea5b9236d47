# count-chars.s — the length of a text field, never looking past its end.
#
#   unsigned count_chars(const char *s, unsigned max);
#
# The book's count_chars scans until it meets a NUL byte. A record's text
# fields are NUL-padded, but a first name that fills all 40 bytes of its
# field has no NUL, so a scan without a limit would run on into the last
# name. This version takes the field width as a second argument and never
# reads byte s[max] or beyond. That is a deliberate difference from the
# book: pass RECORD_FIRSTNAME_SIZE for a field, 0xFFFFFFFF (-1) for an
# ordinary NUL-terminated C string.

.section .text

# unsigned count_chars(const char *s, unsigned max);
# Inputs:   ARG_STRING  address of the first byte
#           ARG_MAX     the most bytes to look at (unsigned)
# Output:   %eax = number of bytes before the first NUL, or max if the
#           first max bytes hold no NUL
# Clobbers: %ecx, %edx, flags
.equ ARG_STRING, 8
.equ ARG_MAX,    12

.globl count_chars
.type count_chars, @function
count_chars:
    pushl %ebp
    movl  %esp, %ebp

    movl  ARG_STRING(%ebp), %edx    # %edx = start of the string
    movl  ARG_MAX(%ebp), %ecx       # %ecx = limit
    xorl  %eax, %eax                # %eax = bytes counted so far

    # Invariant: the bytes s[0] .. s[%eax-1] are all non-NUL and %eax <= max.
.Lcount:
    cmpl  %ecx, %eax                # unsigned: max = -1 means "no limit"
    jae   .Ldone
    cmpb  $0, (%edx,%eax,1)
    je    .Ldone
    incl  %eax
    jmp   .Lcount

.Ldone:
    popl  %ebp
    ret
.size count_chars, .-count_chars

.section .note.GNU-stack,"",@progbits
