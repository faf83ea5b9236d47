# buddy.s — the binary buddy system.
#
#   void  allocate_init(void);
#   void *allocate(unsigned size);
#   void  deallocate(void *p);
#   void *reallocate(void *p, unsigned size);
#   int   heap_check(void);             0 when the heap is consistent
#   extern char *heap_begin, *current_break;
#   extern const char memkit_props[];   "splits"
#   extern const struct memkit_layout memkit_layout;   SIZE_LOG2
#
# Design. The heap is one arena of 2^K bytes from heap_begin; every block
# in it is 2^k bytes (k = its order, 4 <= k <= K) and starts at an offset
# from heap_begin that is a multiple of 2^k. Two blocks of order k whose
# offsets differ only in bit k are buddies: the halves of one block of
# order k+1. So a block's buddy is found by arithmetic alone:
#
#     buddy = heap_begin + ((block - heap_begin) XOR 2^k)
#
# allocate rounds size + 8 up to a power of two, takes the smallest free
# block of at least that order (a bitmask of non-empty orders and bsf
# find it), and splits it in halves until it fits, each upper half going
# on the free list of its order. deallocate merges the block with its
# buddy for as long as the buddy is free and whole, then lists the result.
# When no block is big enough the arena doubles (or more, for a large
# request) with one brk: the new upper part is a run of free blocks of
# orders K, K+1, ..., which merge with the old arena if it is all free.
#
# Costs: allocate and deallocate take O(K) steps at most, whatever the
# heap holds; the price is internal fragmentation (a 33-byte request gets
# 64 bytes) and an arena that doubles. Only buddies merge: two free
# neighbours that are not buddies stay apart, which is why this file
# declares "splits" but not "coalesces".
#
# A block (16 bytes at least):
#
#   +--------+--------+--------+--------+------ ... ------+
#   | order  | state  | next   | prev   |                 |   free
#   +--------+--------+--------+--------+------ ... ------+
#   | order  | state  | payload (2^order - 8 bytes)       |   used
#   +--------+--------+------------------ ... ------------+
#   +0       +4       +8       +12
#
# state is 1 (free) or 0 (used). Free blocks of each order are on a
# doubly-linked list, LIFO.
#
# Invariants (heap_check): current_break - heap_begin = 2^K (0 before the
# first allocate); the blocks tile the arena, each aligned to its size;
# every free block is on the list of its order exactly once, the links
# agree both ways, and a bit of free_map is set exactly when its list is
# not empty; no free block has a free buddy of the same order.

.include "allocators/seg-core.inc"

.equ HDR,               8       # header: order, state
.equ ORDER_OFF,         0
.equ STATE_OFF,         4
.equ NEXT_OFF,          8       # free block: next on its list
.equ PREV_OFF,          12      # free block: previous, 0 at the head
.equ USED,              0
.equ FREE,              1
.equ MARKED,            3       # FREE, seen on a list by heap_check
.equ MIN_ORDER,         4       # 16 bytes: header and two links
.equ MAX_ORDER,         31      # the arena stays below 2^32 bytes
.equ ARENA_ORDER0,      12      # the first arena: 4 KiB at least

# heap_begin: the arena's start; current_break: heap_begin + 2^K.
heap_bounds

data_word arena_order           # K; 0 while the arena is empty
data_word free_map              # bit k set: free_head[k] is not empty

.section .bss
.balign 4
free_head:
    .space (MAX_ORDER + 1) * 4  # list heads by order, 0 = empty

.section .rodata
.globl memkit_props
.type memkit_props, @object
memkit_props:
    .asciz "splits free-lists buddies grows-in-chunks"
.size memkit_props, .-memkit_props

# The heap tools walk the arena from heap_begin to current_break: an
# 8-byte header, the order at +0 (the block is 2^order bytes), the state
# at +4.
memkit_layout_record header=HDR, size_off=ORDER_OFF, size_kind=SIZE_LOG2, state_off=STATE_OFF, state_free=FREE, state_used=USED

# list_unlink BLK, ORDER, T1, T2: take BLK off list ORDER (a register holding
# the order); clears the order's bit when the list empties.
.macro list_unlink blk, order, t1, t2
    dlist_unlink \blk, \t1, \t2, .Lul_head\@, .Lul_done\@
.Lul_head\@:
    movl  \t1, free_head(,\order,4)
    testl \t1, \t1
    jnz   .Lul_done\@
    btrl  \order, free_map
.Lul_done\@:
.endm

# list_push BLK, ORDER, T: BLK (header written) to the head of list ORDER.
.macro list_push blk, order, t
    movl  free_head(,\order,4), \t
    movl  \t, NEXT_OFF(\blk)
    movl  $0, PREV_OFF(\blk)
    movl  \blk, free_head(,\order,4)
    btsl  \order, free_map
    testl \t, \t
    jz    .Lpu_done\@
    movl  \blk, PREV_OFF(\t)
.Lpu_done\@:
.endm

.section .text

# allocate_init (seg-core.inc): an empty arena at the aligned break; the
# first allocate sizes it.
define_allocate_init

# release — make the block at %eax, of order %ecx, free: merge it with
# its buddy while the buddy is a free block of the same order, then list
# it (internal, registers).
#
# Inputs:   %eax  block; %ecx  its order
# Output:   none
# Clobbers: %eax, %ecx, %edx
.type release, @function
release:
    pushl %ebx
    pushl %esi
.Lrel_loop:
    cmpl  arena_order, %ecx     # the whole arena has no buddy
    jae   .Lrel_list
    movl  %eax, %edx
    subl  heap_begin, %edx
    btcl  %ecx, %edx            # offset XOR 2^order
    addl  heap_begin, %edx      # buddy
    cmpl  $FREE, STATE_OFF(%edx)
    jne   .Lrel_list
    cmpl  %ecx, ORDER_OFF(%edx) # split further: not whole
    jne   .Lrel_list
    list_unlink %edx, %ecx, %ebx, %esi
    cmpl  %eax, %edx            # the pair starts at the lower one
    jae   .Lrel_up
    movl  %edx, %eax
.Lrel_up:
    incl  %ecx
    jmp   .Lrel_loop
.Lrel_list:
    movl  %ecx, ORDER_OFF(%eax)
    movl  $FREE, STATE_OFF(%eax)
    list_push %eax, %ecx, %edx
    popl  %esi
    popl  %ebx
    ret
.size release, .-release

# void *allocate(unsigned size);
#
# The block's order is the least k with 2^k >= size + 8 (and k >= 4).
# Takes the first non-empty list of order >= k and splits its head down
# to order k; with none, grows the arena with one brk and tries again.
# Returns 0, nothing changed, before allocate_init, when 2^k would pass
# 2^31, when the arena would pass 2^32, or when brk is refused.
#
# Inputs:   ARG_SIZE(%ebp)  requested payload bytes
# Output:   %eax  payload address, 8-byte aligned, or 0
# Clobbers: %ecx, %edx
.globl allocate
fn_begin allocate, %ebx, %esi, %edi

    cmpl  $0, heap_begin
    je    .Lalloc_fail
    movl  ARG_SIZE(%ebp), %eax
    addl  $HDR - 1, %eax        # size + 8 - 1 ...
    jc    .Lalloc_fail
    cmpl  $(1 << MIN_ORDER) - 1, %eax
    jae   .Lalloc_big
    movl  $(1 << MIN_ORDER) - 1, %eax
.Lalloc_big:
    bsrl  %eax, %esi
    incl  %esi                  # ... order: the bits of size + 7
    cmpl  $MAX_ORDER, %esi
    ja    .Lalloc_fail

.Lalloc_find:
    movl  %esi, %ecx
    movl  $-1, %edx
    shll  %cl, %edx             # orders >= k
    andl  free_map, %edx
    jz    .Lalloc_grow
    bsfl  %edx, %ecx            # the smallest order that has a block
    movl  free_head(,%ecx,4), %eax
    list_unlink %eax, %ecx, %edx, %ebx
.Lalloc_split:
    cmpl  %esi, %ecx
    je    .Lalloc_mark
    decl  %ecx
    movl  $1, %edi
    shll  %cl, %edi
    addl  %eax, %edi            # the upper half, now free
    movl  %ecx, ORDER_OFF(%edi)
    movl  $FREE, STATE_OFF(%edi)
    list_push %edi, %ecx, %edx
    jmp   .Lalloc_split
.Lalloc_mark:
    movl  %esi, ORDER_OFF(%eax)
    movl  $USED, STATE_OFF(%eax)
    addl  $HDR, %eax
    jmp   .Lalloc_done

.Lalloc_grow:
    # New arena order: the first one, or the old + 1, and in either case
    # enough that a free block of order k comes out of the growth.
    movl  arena_order, %edi     # K (0: no arena yet)
    testl %edi, %edi
    jnz   .Lgrow_double
    movl  $ARENA_ORDER0, %edi
    cmpl  %esi, %edi
    jae   .Lgrow_brk
    movl  %esi, %edi
    jmp   .Lgrow_brk
.Lgrow_double:
    incl  %edi                  # K + 1 ...
    leal  1(%esi), %eax
    cmpl  %eax, %edi
    jae   .Lgrow_brk
    movl  %eax, %edi            # ... or k + 1
.Lgrow_brk:
    cmpl  $MAX_ORDER, %edi
    ja    .Lalloc_fail
    movl  %edi, %ecx
    movl  $1, %ebx
    shll  %cl, %ebx
    addl  heap_begin, %ebx      # the new break
    jc    .Lalloc_fail
    move_break .Lalloc_fail
    movl  %ebx, current_break
    movl  arena_order, %ecx     # old K
    movl  %edi, arena_order
    testl %ecx, %ecx
    jnz   .Lgrow_blocks
    movl  heap_begin, %eax      # a new arena: one free block
    movl  %edi, %ecx
    call  release
    jmp   .Lalloc_find
.Lgrow_blocks:
    # Free blocks of orders K .. new K - 1 at offsets 2^K .. 2^(new K - 1),
    # each released so it merges with what is below when that is free.
    cmpl  %edi, %ecx
    jae   .Lalloc_find
    movl  $1, %eax
    shll  %cl, %eax
    addl  heap_begin, %eax
    pushl %ecx
    call  release
    popl  %ecx
    incl  %ecx
    jmp   .Lgrow_blocks

.Lalloc_fail:
    xorl  %eax, %eax

.Lalloc_done:
    fn_end allocate, %ebx, %esi, %edi

# void deallocate(void *p);
#
# Frees p's block and merges it with its buddy as far as it goes.
# deallocate(0) does nothing.
#
# Inputs:   ARG_PTR(%ebp)  payload address from allocate, or 0
# Output:   none
# Clobbers: %eax, %ecx, %edx
.globl deallocate
fn_begin deallocate

    movl  ARG_PTR(%ebp), %eax
    testl %eax, %eax
    jz    .Lfree_done
    subl  $HDR, %eax
    movl  ORDER_OFF(%eax), %ecx
    call  release

.Lfree_done:
    fn_end deallocate

# void *reallocate(void *p, unsigned size);
#
# realloc: p == 0 allocates; size == 0 frees p and returns 0. A block
# already of the order needed (or larger) is kept as it is. A block that
# is a lower half whose upper buddies are free grows in place, taking
# them in, order by order. Otherwise a new block is allocated, the old
# payload copied (rep movsl) and p freed; if that fails, 0 is returned
# and p is untouched.
#
# Inputs:   RA_PTR(%ebp)   payload from allocate, or 0
#           RA_SIZE(%ebp)  new payload bytes
# Output:   %eax  the payload, or 0
# Clobbers: %ecx, %edx
.globl reallocate
fn_begin reallocate, %ebx, %esi, %edi

    realloc_edges %esi, %edx, .Lra_done     # p == 0, size == 0
    movl  ORDER_OFF - HDR(%esi), %ecx
    movl  $1, %ebx
    shll  %cl, %ebx
    subl  $HDR, %ebx            # the payload the block holds
    movl  %esi, %eax
    cmpl  %edx, %ebx
    jae   .Lra_done             # fits already: same pointer

    # In place: the block grows to order j if, for every order o from k
    # up to j - 1, it is the lower half of its block of order o + 1 and
    # the upper half is a whole free block of order o. All of that is
    # checked before anything is changed.
    movl  %edx, %eax
    addl  $HDR - 1, %eax
    jc    .Lra_move
    bsrl  %eax, %edi
    incl  %edi                  # j, the order needed
    cmpl  arena_order, %edi
    ja    .Lra_move
    leal  -HDR(%esi), %eax
    subl  heap_begin, %eax      # the block's offset
.Lra_check:
    cmpl  %edi, %ecx
    jae   .Lra_absorb
    btl   %ecx, %eax            # bit o set: an upper half, no room above
    jc    .Lra_move
    movl  $1, %edx
    shll  %cl, %edx
    addl  %eax, %edx
    addl  heap_begin, %edx      # the buddy above
    cmpl  $FREE, STATE_OFF(%edx)
    jne   .Lra_move
    cmpl  %ecx, ORDER_OFF(%edx)
    jne   .Lra_move
    incl  %ecx
    jmp   .Lra_check
.Lra_absorb:
    movl  ORDER_OFF - HDR(%esi), %ecx   # k again
.Lra_absorb_next:
    cmpl  %edi, %ecx
    jae   .Lra_grown
    movl  $1, %edx
    shll  %cl, %edx
    addl  %eax, %edx
    addl  heap_begin, %edx      # the buddy above, free
    pushl %eax
    list_unlink %edx, %ecx, %eax, %ebx
    popl  %eax
    incl  %ecx
    jmp   .Lra_absorb_next
.Lra_grown:
    movl  %edi, ORDER_OFF - HDR(%esi)
    movl  %esi, %eax
    jmp   .Lra_done

.Lra_move:
    realloc_new .Lra_done
    movl  %eax, %edi
    movl  %ebx, %ecx
    shrl  $2, %ecx              # words of the old payload
    rep movsl                   # DF clear (cdecl)
    movl  %eax, %ebx
    realloc_free_old

.Lra_done:
    fn_end reallocate, %ebx, %esi, %edi

# int heap_check(void);
#
# Walks the lists (marking each free block it meets: state MARKED), then
# the arena block by block (unmarking), then clears any mark left. The
# first failure found is returned:
#
#   0  consistent (also before allocate_init and with no arena yet)
#   1  the arena is not 2^arena_order bytes from heap_begin
#   2  a block's order, alignment or state is wrong, or runs past the end
#   5  a free block's buddy is free and whole: they should have merged
#   6  a free block is on no list, the wrong one, or twice
#   7  a list link is broken (outside the arena, not free, prev wrong)
#   8  a free_map bit disagrees with its list
#
# Inputs:   none
# Output:   %eax  0 or the failure's number
# Clobbers: %ecx, %edx
.equ HC_TOTAL, -24              # blocks the list pass marked

hc_begin 12                     # seg-core.inc: frame, locals, no heap
    movl  current_break, %eax
    subl  %ebx, %eax            # arena bytes
    movl  arena_order, %ecx
    testl %ecx, %ecx
    jnz   .Lhc_sized
    testl %eax, %eax            # no arena: an empty heap
    jz    .Lhc_return
    jmp   .Lhc_err1
.Lhc_sized:
    cmpl  $MAX_ORDER, %ecx
    ja    .Lhc_err1
    movl  $1, %edx
    shll  %cl, %edx
    cmpl  %edx, %eax
    jne   .Lhc_err1

    # ---- the lists: %ebx order, %esi block, %edi the one before it
    hc_lists free_head, free_map
    movl  %esi, %eax
    subl  heap_begin, %eax      # offset
    movl  current_break, %edx
    subl  heap_begin, %edx
    cmpl  %edx, %eax
    jae   .Lhc_err7
    cmpl  $MIN_ORDER, %ebx      # nothing is listed below MIN_ORDER
    jb    .Lhc_err7
    cmpl  arena_order, %ebx
    ja    .Lhc_err7
    movl  %ebx, %ecx
    movl  $1, %edx
    shll  %cl, %edx
    decl  %edx
    testl %edx, %eax            # aligned to its order
    jnz   .Lhc_err7
    cmpl  $MARKED, STATE_OFF(%esi)
    je    .Lhc_err6
    cmpl  $FREE, STATE_OFF(%esi)
    jne   .Lhc_err7
    cmpl  %ebx, ORDER_OFF(%esi)
    jne   .Lhc_err6
    cmpl  %edi, PREV_OFF(%esi)
    jne   .Lhc_err7
    movl  $MARKED, STATE_OFF(%esi)
    hc_lists_next MAX_ORDER, be

    # ---- the arena: %esi block, %ecx its order, %ebx its offset
    movl  heap_begin, %esi
.Lhc_walk:
    cmpl  current_break, %esi
    jae   .Lhc_walked
    movl  %esi, %ebx
    subl  heap_begin, %ebx
    movl  ORDER_OFF(%esi), %ecx
    cmpl  $MIN_ORDER, %ecx
    jb    .Lhc_err2
    cmpl  arena_order, %ecx
    ja    .Lhc_err2
    movl  $1, %edx
    shll  %cl, %edx             # block bytes
    leal  -1(%edx), %eax
    testl %eax, %ebx            # aligned to its size
    jnz   .Lhc_err2
    movl  current_break, %eax
    subl  %esi, %eax
    cmpl  %eax, %edx            # within the arena
    ja    .Lhc_err2
    movl  STATE_OFF(%esi), %eax
    cmpl  $USED, %eax
    je    .Lhc_next
    cmpl  $FREE, %eax           # free but on no list
    je    .Lhc_err6
    cmpl  $MARKED, %eax
    jne   .Lhc_err2
    movl  $FREE, STATE_OFF(%esi)
    decl  HC_COUNT(%ebp)
    cmpl  arena_order, %ecx     # the whole arena has no buddy
    je    .Lhc_next
    movl  %ebx, %eax
    xorl  %edx, %eax
    addl  heap_begin, %eax      # buddy
    cmpl  %ecx, ORDER_OFF(%eax)
    jne   .Lhc_next
    cmpl  $USED, STATE_OFF(%eax)
    jne   .Lhc_err5
.Lhc_next:
    addl  %edx, %esi
    jmp   .Lhc_walk
.Lhc_walked:
    cmpl  $0, HC_COUNT(%ebp)    # listed, but no block of the arena
    jne   .Lhc_err6
    jmp   .Lhc_return

    hc_codes .Lhc_return, 1
    hc_codes .Lhc_clean, 2, 5, 6, 7
.Lhc_err8:
    movl  $8, HC_ERR(%ebp)

    # Unmark what the list pass marked (seg-core.inc's hc_clean walks the
    # lists again; this says how a node inside the arena loses its mark).
.macro buddy_unmark
    cmpl  heap_begin, %esi
    jb    .Lhc_clean_next
    cmpl  current_break, %esi
    jae   .Lhc_clean_next
    cmpl  $MARKED, STATE_OFF(%esi)
    jne   .Lunmarked\@
    movl  $FREE, STATE_OFF(%esi)
.Lunmarked\@:
.endm
    hc_clean free_head, MAX_ORDER, be, buddy_unmark
    hc_end

.section .note.GNU-stack,"",@progbits
