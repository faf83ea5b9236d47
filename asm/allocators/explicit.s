# explicit.s — an explicit free list (LIFO) with boundary-tag coalescing.
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
# tags-core.inc), plus a doubly-linked list of the free blocks, threaded
# through their payloads, which a free block does not need. allocate walks
# only the free list, not every block, and takes the first block on it that
# is big enough: with most of the heap in use that is far fewer steps.
#
# The list is LIFO: a block that becomes free goes to the front. Insertion
# is then constant time, so deallocate stays constant time (unlink the
# neighbours it merges with, link the result). An address-ordered list
# fragments less (first fit on it behaves like first fit on the heap), but
# inserting in order means walking the list on every deallocate; the kit
# keeps deallocate O(1) and lets the numbers in docs/allocators.md show
# what that costs in memory. Recently freed blocks are also the ones most
# likely still in the cache.
#
#   used block:  | size|1 | payload ....................... | size|1 |
#   free block:  | size|0 | next | prev | (unused) ........ | size|0 |
#                +0        +4     +8                         +size-4
#
#   next, prev   block starts of the neighbours on the list (0 at either
#                end); free_head is the first block on it (0: list empty).
#
# MIN_BLOCK (16) is exactly header + two links + footer.
#
# docs/allocators.md draws the whole heap and gives the measured costs.

.equ LINK_NEXT, 4               # block start to its next link
.equ LINK_PREV, 8               # block start to its prev link

.section .data
.balign 4
# The first free block on the list, or 0.
.type free_head, @object
.size free_head, 4
free_head:
    .long 0

# The hooks need scratch registers other than reg itself: %ecx and %edx,
# or %ecx and %eax when reg is %edx. They save what they use.

# FREE_ADD reg — push the free block at reg on the front of the list.
.macro FREE_ADD reg
    .ifc \reg,%edx
        LIST_PUSH \reg, %eax
    .else
        LIST_PUSH \reg, %edx
    .endif
.endm
.macro LIST_PUSH reg, head
    pushl \head
    movl  free_head, \head
    movl  \head, LINK_NEXT(\reg)
    movl  $0, LINK_PREV(\reg)
    testl \head, \head
    jz    1f
    movl  \reg, LINK_PREV(\head)        # old front points back at it
1:
    movl  \reg, free_head
    popl  \head
.endm

# FREE_DEL reg — unlink the free block at reg from the list.
.macro FREE_DEL reg
    .ifc \reg,%edx
        LIST_UNLINK \reg, %ecx, %eax
    .else
        LIST_UNLINK \reg, %ecx, %edx
    .endif
.endm
.macro LIST_UNLINK reg, next, prev
    pushl \next
    pushl \prev
    movl  LINK_NEXT(\reg), \next
    movl  LINK_PREV(\reg), \prev
    testl \prev, \prev
    jz    1f
    movl  \next, LINK_NEXT(\prev)
    jmp   2f
1:
    movl  \next, free_head      # it was the front
2:
    testl \next, \next
    jz    3f
    movl  \prev, LINK_PREV(\next)
3:
    popl  \prev
    popl  \next
.endm

# Placement and merging need nothing beyond the list updates above.
.macro MERGED reg
.endm
.macro PLACED reg
.endm

.include "allocators/tags-core.inc"

.section .text

# fit_find — the first block on the free list that is big enough.
#
# Inputs:   %ecx  block bytes needed
# Output:   %eax  the block's start, or 0 if none fits
# Clobbers: %edx
.type fit_find, @function
fit_find:
    movl  free_head, %eax
.Lfit_loop:
    testl %eax, %eax
    jz    .Lfit_done            # end of the list: 0
    cmpl  %ecx, (%eax)          # a free block's tag is its size
    jae   .Lfit_done
    movl  LINK_NEXT(%eax), %eax
    jmp   .Lfit_loop
.Lfit_done:
    ret
.size fit_find, .-fit_find

# policy_check — the free list holds exactly the free blocks.
#
# Walks the list from free_head: every node must be a well-formed free
# block inside the heap, its prev link must name the node before it, and
# the list must have exactly as many nodes as heap_check counted free
# blocks. Consistent prev links rule out a node appearing twice (the walk
# would come back to a node from a different predecessor), so equal counts
# mean every free block is on the list. The walk stops after that many
# nodes, so a cycle cannot make it loop.
#
# Inputs:   %eax  free blocks heap_check counted
# Output:   %eax  HC_OK, HC_LIST_NODE, HC_LIST_LINK or HC_LIST_COUNT
# Clobbers: %ecx, %edx
.type policy_check, @function
policy_check:
    pushl %ebx
    pushl %esi
    pushl %edi
    movl  %eax, %edi            # nodes still expected
    movl  free_head, %ebx       # node
    xorl  %esi, %esi            # the node before it (0: none)
.Lpcheck_loop:
    testl %ebx, %ebx
    jz    .Lpcheck_end
    movl  $HC_LIST_COUNT, %eax
    testl %edi, %edi
    jz    .Lpcheck_done         # more nodes than free blocks

    movl  $HC_LIST_NODE, %eax
    movl  heap_begin, %ecx
    addl  $FIRST_BLOCK, %ecx
    cmpl  %ecx, %ebx
    jb    .Lpcheck_done         # below the first block
    movl  current_break, %edx
    subl  $WORD, %edx           # the epilogue
    cmpl  %edx, %ebx
    jae   .Lpcheck_done         # at or past the epilogue
    subl  %ebx, %edx            # room up to the epilogue
    movl  (%ebx), %ecx          # tag
    testl $STATE_BITS, %ecx
    jnz   .Lpcheck_done         # used, or stray bits
    cmpl  $MIN_BLOCK, %ecx
    jb    .Lpcheck_done
    cmpl  %edx, %ecx
    ja    .Lpcheck_done         # runs past the epilogue
    cmpl  %ecx, -WORD(%ebx,%ecx)
    jne   .Lpcheck_done         # footer differs

    movl  $HC_LIST_LINK, %eax
    cmpl  %esi, LINK_PREV(%ebx)
    jne   .Lpcheck_done

    movl  %ebx, %esi
    movl  LINK_NEXT(%ebx), %ebx
    decl  %edi
    jmp   .Lpcheck_loop

.Lpcheck_end:
    movl  $HC_OK, %eax
    testl %edi, %edi
    jz    .Lpcheck_done
    movl  $HC_LIST_COUNT, %eax  # a free block is not on the list
.Lpcheck_done:
    popl  %edi
    popl  %esi
    popl  %ebx
    ret
.size policy_check, .-policy_check

# The promises alloc-test checks (c-harness/layout.h). Not first-fit: the
# list is in LIFO order, not address order.
.section .rodata
.globl memkit_props
.type memkit_props, @object
memkit_props:
    .asciz "splits coalesces lifo free-lists boundary-tags coalesces-at-once reallocate-in-place"
.size memkit_props, .-memkit_props

.section .note.GNU-stack,"",@progbits
