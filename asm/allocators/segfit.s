# segfit.s — the kit's performance allocator: segregated free lists.
#
#   void  allocate_init(void);
#   void *allocate(unsigned size);
#   void  deallocate(void *p);
#   void *reallocate(void *p, unsigned size);
#   int   heap_check(void);             0 when the heap is consistent
#   extern char *heap_begin, *current_break;
#   extern const char memkit_props[];   "splits coalesces"
#   extern const struct memkit_layout memkit_layout;   c-harness/layout.h
#
# Design. Every block has a 4-byte header word: the block's size (a
# multiple of 8, header included, at least 16) in the high bits and two
# flags in the low three: USED, and PREV_USED (the block just below is in
# use). Free blocks also end with a footer, a copy of the header, so a
# block being freed finds its lower neighbour in constant time (boundary
# tags); used blocks need no footer, because PREV_USED tells whether the
# neighbour below is free, and only then is its footer read.
#
# Free blocks live on 85 segregated lists ("bins"), LIFO, doubly linked
# through their payloads. Bins 0..61 hold one exact size each, 16..504
# bytes ("quick fit": a request finds a block of exactly its size at a
# list head, no search); bins 62..84 hold the power-of-two ranges
# [512,1024), [1024,2048), ... [2^31,2^32). A 3-word bitmap says which
# bins are non-empty, so the first non-empty bin at or above a request's
# is found with bsf in a few instructions, whatever the heap holds.
#
# The block just below the epilogue is the top (wilderness) block. It is
# never on a list: allocate cuts from it when no bin has a block, grows
# it with brk when it is too small, and deallocate merges into it. The
# break grows by 1/64 of the heap (512 bytes at least) beyond the need, so
# a heap of N blocks needs O(log N) brk calls, not N, and wastes at most
# 1/64 of itself on slack. (It once grew by 1/16, 2 KiB at least: half
# the brk calls, and 2.6 points less utilization on the kit's traces,
# docs/allocators-seg.md.) When the top block grows past TRIM_THRESHOLD
# the break is moved down, leaving TOP_KEEP bytes.
#
# The heap, from heap_begin (8-aligned) to current_break:
#
#   heap_begin                                        current_break
#   |                                                             |
#   v                                                             v
#   +--------+---------+---------+------- ... ----+----------+--------+
#   |prologue| block   | block   |                | top      |epilogue|
#   |USED, 0 |         |         |                | (free)   |USED, 0 |
#   +--------+---------+---------+------- ... ----+----------+--------+
#   +0       +4 (every block starts at 4 mod 8, so payloads are 8-aligned)
#
# A used block and a free block:
#
#   +-----------------+---------------------------------+
#   | size|PREV|USED  | payload (size - 4 bytes)        |   used
#   +-----------------+---------------------------------+
#   +0                +4
#
#   +-----------------+--------+--------+------ ... ----+-----------------+
#   | size|PREV|0     | next   | prev   |   (unused)    | size|PREV|0     |
#   +-----------------+--------+--------+------ ... ----+-----------------+
#   +0                +4       +8                       +size-4  footer
#
# Invariants (heap_check tests every one): the blocks tile the heap from
# heap_begin+4 to the epilogue; each PREV_USED bit tells the truth; no two
# free blocks are adjacent; a free block's footer equals its header; every
# free block but the top is on the list of its size exactly once, and the
# lists' links agree both ways; a bin's bitmap bit is set exactly when its
# list is non-empty; the top, if not empty, is free and ends at the
# epilogue.
#
# Before the first allocate the heap is empty (heap_begin == current_
# break); `top` then names heap_begin+4, where the first block will go.
# There is no prologue or epilogue yet, so a walker must take an empty
# heap as empty before it applies memkit_layout's first and tail (4 and
# 4): the contract's init-at-break case wants the break untouched.

.include "allocators/seg-core.inc"

hw_block_constants              # the block (seg-core.inc): HDR, flags

.equ EXACT_LIMIT,       512     # sizes below this have a bin each
.equ NEXACT,            62      # bins 0..61: 16, 24, ... 504
.equ NBINS,             85      # 62 exact + 2^9 .. 2^31 ranges
.equ MAP_WORDS,         3       # bitmap words, 32 bins each

.equ GROW_SHIFT,        6       # grow by heap size / 64 ...
.equ GROW_MIN,          512     # ... or this much, whichever is more

# bin_of SIZE, OUT: OUT = the bin of block size SIZE (any registers).
.macro bin_of size, out
    movl  \size, \out
    cmpl  $EXACT_LIMIT, \out
    jae   .Lbin_range\@
    shrl  $3, \out              # 16 -> 2 ...
    subl  $2, \out              # ... -> bin 0
    jmp   .Lbin_done\@
.Lbin_range\@:
    bsrl  \out, \out            # 9 for 512..1023 ...
    addl  $NEXACT - 9, \out     # ... -> bin 62
.Lbin_done\@:
.endm

# bin_push BLK, BIN, TMP: put free block BLK at the head of list BIN and
# mark the bin non-empty. BLK's header must already be written.
.macro bin_push blk, bin, tmp
    dlist_push bins, \bin, \blk, \tmp, .Lpush_first\@
    jmp   .Lpush_done\@
.Lpush_first\@:
    btsl  \bin, bin_map         # the bin was empty
.Lpush_done\@:
.endm

# unlink BLK, T1, T2: take free block BLK off its list; an emptied list
# clears its bitmap bit. BLK's header still holds its size.
.macro unlink blk, t1, t2
    dlist_unlink \blk, \t1, \t2, .Lunl_head\@, .Lunl_done\@
.Lunl_head\@:
    movl  (\blk), \t2
    andl  $~FLAG_MASK, \t2
    bin_of \t2, \t2
    movl  \t1, bins(,\t2,4)     # the head moves on
    testl \t1, \t1
    jnz   .Lunl_done\@
    btrl  \t2, bin_map          # the list is empty now
.Lunl_done\@:
.endm

# heap_begin: the prologue word; current_break: past the epilogue.
heap_bounds

data_word top                   # top block, or the epilogue if it is empty

.section .bss
.balign 4
bins:
    .space NBINS * 4            # list heads, 0 = empty
bin_map:
    .space MAP_WORDS * 4        # bit b set: bins[b] is not empty

.section .rodata
.globl memkit_props
.type memkit_props, @object
memkit_props:
    .asciz "splits coalesces free-lists coalesces-at-once reallocate-in-place reallocate-at-top grows-in-chunks trims"
.size memkit_props, .-memkit_props

# How the heap tools walk this heap: seg-core.inc's hw_layout.
hw_layout

.section .text

# allocate_init (seg-core.inc): an empty heap at the aligned break; top
# names heap_begin + 4, where the first block will go.
define_allocate_init top

# grow_top — move the break up so the top block holds at least `want`
# bytes (internal, cdecl). First asks for want plus a slack of 1/64 of
# the heap (at least GROW_MIN); if the kernel refuses, asks for exactly
# want. The slack is not rounded to a page: the kit measures utilization
# against the break, and on small heaps a page would be most of it.
# Writes the prologue on the first growth, the top's header and footer
# and the epilogue.
#
# Inputs:   GT_WANT(%ebp)  bytes the top block must hold (multiple of 8)
# Output:   %eax  1 on success, 0 (nothing changed) if brk refused or
#                 the new break would pass 2^32
# Clobbers: %ecx, %edx
fn_begin grow_top, %ebx
    hw_least_break .Lgt_fail    # %ecx = the least break

    movl  current_break, %edx
    subl  heap_begin, %edx
    shrl  $GROW_SHIFT, %edx     # slack: heap / 64 ...
    cmpl  $GROW_MIN, %edx
    jae   .Lgt_slack
    movl  $GROW_MIN, %edx       # ... but at least GROW_MIN
.Lgt_slack:
    andl  $~ALIGN_MASK, %edx    # the break stays 8-aligned
    movl  %ecx, %ebx
    addl  %edx, %ebx            # generous break
    jc    .Lgt_exact
    movl  $SYS_BRK, %eax
    int   $LINUX_SYSCALL        # %eax = the break now
    cmpl  %ebx, %eax
    je    .Lgt_grown
.Lgt_exact:
    cmpl  %ecx, %ebx            # the same request again is pointless
    je    .Lgt_fail
    movl  %ecx, %ebx            # the least break
    move_break .Lgt_fail

.Lgt_grown:
    hw_grow_end                 # top, epilogue (prologue); 1, or 0

# carve (seg-core.inc): the block at %eax becomes a used block of %ecx
# bytes, the rest up to the epilogue the new top.
define_carve

# void *allocate(unsigned size);
#
# The block size is size + 4 rounded up to 8, at least 16. A size in an
# exact bin takes the head of that bin if there is one. A size in a range
# bin walks that bin for the first block big enough. Otherwise the bitmap
# gives the first non-empty bin above, whose head is big enough whatever
# it is. A block from a bin is split when 16 bytes or more are left; the
# rest goes on its own list. With no block in the bins, the block is cut
# from the top, which grows first if it is too small.
#
# Returns 0, the heap unchanged, before allocate_init, when size + 4
# would pass 2^32, or when brk is refused.
#
# Inputs:   ARG_SIZE(%ebp)  requested payload bytes
# Output:   %eax  payload address, 8-byte aligned, or 0
# Clobbers: %ecx, %edx
.globl allocate
fn_begin allocate, %ebx, %esi, %edi

    hw_block_size ARG_SIZE(%ebp), %esi, .Lalloc_fail
    bin_of %esi, %edx           # the request's bin
    movl  bins(,%edx,4), %eax
    cmpl  $NEXACT, %edx
    jae   .Lalloc_scan
    testl %eax, %eax
    jz    .Lalloc_next_bin
    # Quick fit: the head of an exact bin is exactly the size wanted, so
    # it is popped without the general unlink and split.
    hw_take_exact bins
.Lalloc_emptied:
    btrl  %edx, bin_map
    jmp   .Lalloc_exact
.Lalloc_next_bin:
    incl  %edx
    jmp   .Lalloc_search

.Lalloc_scan:
    # A range bin holds sizes up to twice the request: first fit in it.
    testl %eax, %eax
    jz    .Lalloc_scanned
    movl  (%eax), %ecx
    andl  $~FLAG_MASK, %ecx
    cmpl  %esi, %ecx
    jae   .Lalloc_take
    movl  NEXT_OFF(%eax), %eax
    jmp   .Lalloc_scan
.Lalloc_scanned:
    incl  %edx

.Lalloc_search:
    # First non-empty bin >= %edx: every block in it is big enough.
    cmpl  $NBINS, %edx
    jae   .Lalloc_top
    movl  %edx, %ecx
    movl  %edx, %ebx
    shrl  $5, %ebx              # bitmap word
    movl  $-1, %eax
    shll  %cl, %eax             # bins >= %edx within the word
    andl  bin_map(,%ebx,4), %eax
    jnz   .Lalloc_bit
.Lalloc_word:
    incl  %ebx
    cmpl  $MAP_WORDS, %ebx
    jae   .Lalloc_top
    movl  bin_map(,%ebx,4), %eax
    testl %eax, %eax
    jz    .Lalloc_word
.Lalloc_bit:
    bsfl  %eax, %eax
    shll  $5, %ebx
    addl  %ebx, %eax            # bin
    movl  bins(,%eax,4), %eax   # its head

.Lalloc_take:
    # %eax: a free block of at least %esi bytes, not the top.
    unlink %eax, %ecx, %edx
    hw_split %edx, .Lalloc_whole  # %edi = the rest, free
    bin_of %ecx, %ebx
    bin_push %edi, %ebx, %edx
    movl  %esi, %edx
    orl   $F_USED|F_PREV_USED, %edx     # below a free block: used
    movl  %edx, (%eax)
    jmp   .Lalloc_payload
.Lalloc_whole:
    hw_give_whole %edx

.Lalloc_top:
    # Before allocate_init every bin is empty, so every request ends up
    # here: hw_top_fits knows whether there is a heap.
    hw_top_fits .Lalloc_carve, .Lalloc_fail
.Lalloc_carve:
    movl  %esi, %ecx
    call  carve

    hw_payload_return

# void deallocate(void *p);
#
# Constant time: merges the block with a free block below (found through
# PREV_USED and its footer) and a free block above (its header), then
# either puts the result at the head of its list or, if it touches the
# top, makes it part of the top. A top above TRIM_THRESHOLD is given back
# to the kernel. deallocate(0) does nothing.
#
# Inputs:   ARG_PTR(%ebp)  payload address from allocate, or 0
# Output:   none
# Clobbers: %eax, %ecx, %edx
.globl deallocate
fn_begin deallocate, %ebx, %esi, %edi

    hw_free_begin %ecx, .Lfree_up
    unlink %esi, %eax, %edx     # the free block below, merged

.Lfree_up:
    hw_free_above %ecx
    unlink %edi, %eax, %ebx
    andl  $~FLAG_MASK, %edx
    addl  %edx, %ecx
    leal  (%esi,%ecx), %edi     # now the used block above both

.Lfree_list:
    hw_free_tags %ecx
    bin_of %ecx, %ebx
    bin_push %esi, %ebx, %edx
    jmp   .Lfree_done

.Lfree_top:
    hw_free_to_top              # and deallocate's way out

# reallocate (seg-core.inc): in place when it can be, else move. The
# free block above leaves its bin by unlink.
.macro UNLIST blk
    unlink \blk, %eax, %ecx
.endm
define_hw_reallocate

# int heap_check(void);
#
# Tests every invariant in the file header; never writes the heap except
# the F_MARK bits it sets and clears again (seg-core.inc: hc_begin). The
# list pass marks the blocks on each bin's list, the heap walk unmarks
# them, then any mark left is cleared. Returns the first failure found:
# 0, consistent (also before allocate_init and on an empty heap), or one
# of seg-core.inc's numbers 1-10 for these blocks.
#
# Inputs:   none
# Output:   %eax  0 or the failure's number
# Clobbers: %ecx, %edx
.equ HC_END,    -24             # the epilogue's address
.equ HC_TOTAL,  -28             # blocks the list pass marked

hc_begin 16
    hw_check_empty .Lhc_nonempty
    je    .Lhc_return
    movl  $1, HC_ERR(%ebp)
    jmp   .Lhc_return
.Lhc_nonempty:
    hw_check_bounds

    # ---- the lists: %ebx bin, %esi block, %edi the block before it
    hc_lists bins, bin_map
    hw_check_node bin_of
    hc_lists_next NBINS

    # ---- the heap, block by block
    hw_walk
    cmpl  top, %esi
    jne   .Lhc_listed
    testl $F_MARK, %edx         # the top is on no list
    jnz   .Lhc_err6
    hw_walk_top_ends
    hw_walk_listed
.Lhc_used:
    movl  $1, %edi
    hw_walk_end
    jmp   .Lhc_clean

    hc_codes .Lhc_return, 1     # nothing marked yet
    hc_codes .Lhc_clean, 2, 3, 4, 5, 6, 7, 8, 9
.Lhc_err10:
    movl  $10, HC_ERR(%ebp)
    hc_clean bins, NBINS, b, hw_unmark
    hc_end

.section .note.GNU-stack,"",@progbits
