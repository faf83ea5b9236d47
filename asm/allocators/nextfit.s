# nextfit.s — next fit with splitting and boundary-tag coalescing.
#
#   void  allocate_init(void);
#   void *allocate(unsigned size);
#   void  deallocate(void *p);
#   void *reallocate(void *p, unsigned size);
#   int   heap_check(void);
#   extern char *heap_begin, *current_break;
#   extern const char memkit_props[];
#   extern const struct memkit_layout memkit_layout;
#
# Design: the heap, the tags, split and merge of coalesce.s (all in
# tags-core.inc); only the policy differs. A "rover" remembers where the
# last placement ended; allocate searches from there to the epilogue, then
# wraps round from the first block back to the rover, and takes the first
# free block that is big enough. The search no longer starts among the
# small leftovers that pile up at the bottom of a first-fit heap, which
# makes it faster, but placements spread over the whole heap, which
# usually fragments it more.
#
#   block:  | size|s | payload ........ | size|s |     s: 1 used, 0 free
#            header (4)                  footer (4)
#
# Invariant: rover is 0 (start at the first block) or the start of a block
# or of the epilogue. Merging erases block starts, so whenever a block is
# written over a range that holds the rover, the rover moves to that
# block's start (MERGED); heap_check verifies the invariant (HC_ROVER).
#
# docs/allocators.md draws the whole heap and gives the measured costs.

.section .data
.balign 4
# Where the next search starts (0 until the first placement).
.type rover, @object
.size rover, 4
rover:
    .long 0

# The hooks need one scratch register other than reg itself: %edx, or
# %eax when reg is %edx.

# PLACED reg — the search resumes just after the block handed out.
.macro PLACED reg
    .ifc \reg,%edx
        PLACED_WITH \reg, %eax
    .else
        PLACED_WITH \reg, %edx
    .endif
.endm
.macro PLACED_WITH reg, tmp
    pushl \tmp
    movl  (\reg), \tmp
    andl  $SIZE_MASK, \tmp
    addl  \reg, \tmp          # the block after it
    movl  \tmp, rover
    popl  \tmp
.endm

# MERGED reg — if the rover lies strictly inside the block at reg, a block
# start it pointed at was swallowed: point it at reg instead.
.macro MERGED reg
    .ifc \reg,%edx
        MERGED_WITH \reg, %eax
    .else
        MERGED_WITH \reg, %edx
    .endif
.endm
.macro MERGED_WITH reg, tmp
    cmpl  \reg, rover
    jbe   1f                    # at or below the block
    pushl \tmp
    movl  (\reg), \tmp
    andl  $SIZE_MASK, \tmp
    addl  \reg, \tmp          # the block's end
    cmpl  \tmp, rover
    popl  \tmp                 # (popl leaves the flags alone)
    jae   1f                    # at or past its end
    movl  \reg, rover
1:
.endm

# Free blocks live only in the heap itself.
.macro FREE_ADD reg
.endm
.macro FREE_DEL reg
.endm

.include "allocators/tags-core.inc"

.section .text

# fit_find — next fit: the first free block big enough, searching from the
# rover up to the epilogue and then from the first block up to the rover.
#
# Inputs:   %ecx  block bytes needed
# Output:   %eax  the block's start, or 0 if none fits (or the heap is
#           empty)
# Clobbers: %edx
.type fit_find, @function
fit_find:
    pushl %ebx
    movl  heap_begin, %ebx
    xorl  %eax, %eax            # not found yet
    cmpl  current_break, %ebx
    je    .Lfit_done            # empty heap: no frame yet
    addl  $FIRST_BLOCK, %ebx    # %ebx = first block: where a wrap starts
    movl  rover, %eax
    testl %eax, %eax
    jnz   .Lfit_upper
    movl  %ebx, %eax            # no placement yet: from the start

    # First leg: the rover up to the epilogue.
.Lfit_upper:
    movl  (%eax), %edx          # tag
    cmpl  $EPILOGUE_TAG, %edx
    je    .Lfit_wrap
    testl $USED, %edx
    jnz   .Lfit_upper_next
    cmpl  %ecx, %edx            # free: the tag is the size
    jae   .Lfit_done
.Lfit_upper_next:
    andl  $SIZE_MASK, %edx
    addl  %edx, %eax
    jmp   .Lfit_upper

    # Second leg: the first block up to the rover (a block start, so the
    # walk meets it exactly).
.Lfit_wrap:
    movl  %ebx, %eax
.Lfit_lower:
    cmpl  rover, %eax
    jae   .Lfit_none            # back where we started
    movl  (%eax), %edx
    testl $USED, %edx
    jnz   .Lfit_lower_next
    cmpl  %ecx, %edx
    jae   .Lfit_done
.Lfit_lower_next:
    andl  $SIZE_MASK, %edx
    addl  %edx, %eax
    jmp   .Lfit_lower

.Lfit_none:
    xorl  %eax, %eax
.Lfit_done:
    popl  %ebx
    ret
.size fit_find, .-fit_find

# policy_check — the rover is 0, a block start, or the epilogue.
#
# Walks the blocks again (heap_check has just found them well formed).
#
# Inputs:   %eax  free blocks heap_check counted (unused)
# Output:   %eax  HC_OK, or HC_ROVER
# Clobbers: %ecx, %edx
.type policy_check, @function
policy_check:
    movl  rover, %edx
    movl  $HC_OK, %eax
    testl %edx, %edx
    jz    .Lpcheck_done
    movl  heap_begin, %ecx
    addl  $FIRST_BLOCK, %ecx
.Lpcheck_loop:
    cmpl  %edx, %ecx
    je    .Lpcheck_done         # found it
    ja    .Lpcheck_bad          # walked past it
    cmpl  $EPILOGUE_TAG, (%ecx)
    je    .Lpcheck_bad
    movl  (%ecx), %eax
    andl  $SIZE_MASK, %eax
    addl  %eax, %ecx
    movl  $HC_OK, %eax
    jmp   .Lpcheck_loop
.Lpcheck_bad:
    movl  $HC_ROVER, %eax
.Lpcheck_done:
    ret
.size policy_check, .-policy_check

# The promises alloc-test checks (c-harness/layout.h). Not first-fit: the
# search starts at the rover, not at the lowest address.
.section .rodata
.globl memkit_props
.type memkit_props, @object
memkit_props:
    .asciz "splits coalesces next-fit boundary-tags coalesces-at-once reallocate-in-place"
.size memkit_props, .-memkit_props

.section .note.GNU-stack,"",@progbits
