# coalesce.s — first fit with splitting and boundary-tag coalescing.
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
# Design: the chapter's allocator with its two missing cures. Every block
# has a header and a footer holding its size (the low bit is the state),
# so a freed block finds both neighbours in constant time and merges with
# the free ones: free blocks never sit side by side. allocate still walks
# every block from the start and takes the first free one that is big
# enough (first fit), but it splits that block, leaving the rest free. The
# heap, the tags, split and merge live in tags-core.inc, shared with
# bestfit.s, nextfit.s and explicit.s; this file adds only the policy.
#
#   block:  | size|s | payload ........ | size|s |     s: 1 used, 0 free
#            header (4)                  footer (4)
#
# docs/allocators.md draws the whole heap and gives the measured costs.

# This policy keeps no state: the hooks the core calls have nothing to do.
.macro FREE_ADD reg
.endm
.macro FREE_DEL reg
.endm
.macro MERGED reg
.endm
.macro PLACED reg
.endm

.include "allocators/tags-core.inc"

# fit_find — first fit: the lowest-addressed free block that is big enough.
#
# Walks from the first block to the epilogue (the only tag that is size
# 0, used). A free block's tag is exactly its size (state bit 0), so once
# the state bit says free the tag compares directly with the need.
#
# Inputs:   %ecx  block bytes needed
# Output:   %eax  the block's start, or 0 if none fits (or the heap is
#           empty)
# Clobbers: %edx
.type fit_find, @function
fit_find:
    movl  heap_begin, %eax
    cmpl  current_break, %eax
    je    .Lfit_none            # empty heap: no frame yet
    addl  $FIRST_BLOCK, %eax
.Lfit_loop:
    movl  (%eax), %edx          # tag
    cmpl  $EPILOGUE_TAG, %edx
    je    .Lfit_none
    testl $USED, %edx
    jnz   .Lfit_next
    cmpl  %ecx, %edx            # free: the tag is the size
    jae   .Lfit_done
.Lfit_next:
    andl  $SIZE_MASK, %edx
    addl  %edx, %eax
    jmp   .Lfit_loop
.Lfit_none:
    xorl  %eax, %eax
.Lfit_done:
    ret
.size fit_find, .-fit_find

# policy_check — first fit keeps nothing beyond the blocks themselves.
#
# Inputs:   %eax  free blocks heap_check counted (unused)
# Output:   %eax  HC_OK
# Clobbers: nothing else
.type policy_check, @function
policy_check:
    movl  $HC_OK, %eax
    ret
.size policy_check, .-policy_check

# The promises alloc-test checks (c-harness/layout.h).
.section .rodata
.globl memkit_props
.type memkit_props, @object
memkit_props:
    .asciz "splits coalesces first-fit boundary-tags coalesces-at-once reallocate-in-place"
.size memkit_props, .-memkit_props

.section .note.GNU-stack,"",@progbits
