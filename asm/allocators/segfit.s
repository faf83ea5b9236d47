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

.include "linux.s"

.equ HDR,               4       # header bytes in front of a payload
.equ ALIGNMENT,         8
.equ ALIGN_MASK,        ALIGNMENT - 1
.equ MIN_BLOCK,         16      # header, next, prev, footer
.equ F_USED,            1       # this block is in use
.equ F_PREV_USED,       2       # the block below is in use
.equ F_MARK,            4       # set only while heap_check runs
.equ FLAG_MASK,         7       # the low bits that are not size
.equ NEXT_OFF,          4       # free block: next block on its list
.equ PREV_OFF,          8       # free block: previous block, 0 at head
.equ FOOT_BACK,         4       # footer is the last word of a block

.equ EXACT_LIMIT,       512     # sizes below this have a bin each
.equ NEXACT,            62      # bins 0..61: 16, 24, ... 504
.equ NBINS,             85      # 62 exact + 2^9 .. 2^31 ranges
.equ MAP_WORDS,         3       # bitmap words, 32 bins each

.equ PAGE,              4096
.equ GROW_SHIFT,        6       # grow by heap size / 64 ...
.equ GROW_MIN,          512     # ... or this much, whichever is more
.equ TRIM_THRESHOLD,    256*1024 # top above this: move the break down
.equ TOP_KEEP,          64*1024  # ... leaving about this much

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
    movl  bins(,\bin,4), \tmp   # old head
    movl  \tmp, NEXT_OFF(\blk)
    movl  $0, PREV_OFF(\blk)
    movl  \blk, bins(,\bin,4)
    testl \tmp, \tmp
    jz    .Lpush_first\@
    movl  \blk, PREV_OFF(\tmp)
    jmp   .Lpush_done\@
.Lpush_first\@:
    btsl  \bin, bin_map         # the bin was empty
.Lpush_done\@:
.endm

# unlink BLK, T1, T2: take free block BLK off its list; an emptied list
# clears its bitmap bit. BLK's header still holds its size.
.macro unlink blk, t1, t2
    movl  NEXT_OFF(\blk), \t1   # next
    movl  PREV_OFF(\blk), \t2   # prev
    testl \t1, \t1
    jz    .Lunl_nonext\@
    movl  \t2, PREV_OFF(\t1)    # next->prev = prev
.Lunl_nonext\@:
    testl \t2, \t2
    jz    .Lunl_head\@
    movl  \t1, NEXT_OFF(\t2)    # prev->next = next
    jmp   .Lunl_done\@
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

.section .data
.balign 4

.globl heap_begin
.type heap_begin, @object
.size heap_begin, 4
heap_begin:
    .long 0                     # prologue word; 0 before allocate_init

.globl current_break
.type current_break, @object
.size current_break, 4
current_break:
    .long 0                     # first byte past the epilogue

.type top, @object
.size top, 4
top:
    .long 0                     # top block, or the epilogue if it is empty

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

# How the heap tools walk this heap (struct memkit_layout, layout.h).
.balign 4
.globl memkit_layout
.type memkit_layout, @object
memkit_layout:
    .long 0x314c4b4d            # magic "MKL1"
    .long 0                     # kind: blocks back to back
    .long 4                     # first: the prologue word
    .long 4                     # tail: the epilogue word
    .long HDR                   # header: 4 bytes
    .long 0                     # footer: none in a used block
    .long 0                     # size word at +0
    .long ~FLAG_MASK            # size bits
    .long 1                     # SIZE_BLOCK: header + payload
    .long 0                     # state word at +0 too
    .long F_USED                # state bit
    .long 0                     # free
    .long F_USED                # used
.size memkit_layout, .-memkit_layout

.section .text

# void allocate_init(void);
#
# Reads the break with brk(0), aligns it to 8 (one more brk only if it is
# not aligned already) and starts an empty heap there. Nothing else is
# asked of the kernel: the first allocate grows the heap. A second call
# changes nothing.
#
# Inputs:   none
# Output:   none; heap_begin, current_break and top set (0 if brk fails)
# Clobbers: %eax
.globl allocate_init
.type allocate_init, @function
allocate_init:
    pushl %ebp
    movl  %esp, %ebp
    pushl %ebx

    cmpl  $0, heap_begin        # already initialised: keep the heap
    jne   .Linit_done

    movl  $SYS_BRK, %eax
    xorl  %ebx, %ebx            # brk(0): the current break
    int   $LINUX_SYSCALL
    movl  %eax, %ebx
    addl  $ALIGN_MASK, %ebx
    andl  $~ALIGN_MASK, %ebx    # aligned heap start
    cmpl  %eax, %ebx
    je    .Linit_store
    movl  $SYS_BRK, %eax
    int   $LINUX_SYSCALL
    cmpl  %ebx, %eax            # refused: the old break comes back
    jne   .Linit_done

.Linit_store:
    movl  %ebx, current_break
    movl  %ebx, heap_begin
    addl  $HDR, %ebx            # where the first block will start
    movl  %ebx, top

.Linit_done:
    popl  %ebx
    movl  %ebp, %esp
    popl  %ebp
    ret
.size allocate_init, .-allocate_init

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
.equ GT_WANT, 8

.type grow_top, @function
grow_top:
    pushl %ebp
    movl  %esp, %ebp
    pushl %ebx

    movl  GT_WANT(%ebp), %ecx
    cmpl  $MIN_BLOCK, %ecx      # a top block is a real block
    jae   .Lgt_sized
    movl  $MIN_BLOCK, %ecx
.Lgt_sized:
    addl  top, %ecx             # top + want ...
    jc    .Lgt_fail
    addl  $HDR, %ecx            # ... + epilogue: the least break
    jc    .Lgt_fail

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
    movl  $SYS_BRK, %eax
    int   $LINUX_SYSCALL
    cmpl  %ebx, %eax
    jne   .Lgt_fail

.Lgt_grown:
    movl  current_break, %edx
    cmpl  heap_begin, %edx      # first growth: the prologue is new
    jne   .Lgt_blocks
    movl  $F_USED, (%edx)
.Lgt_blocks:
    movl  %ebx, current_break
    movl  $F_USED, -HDR(%ebx)   # epilogue; the top below it is free
    movl  top, %ecx
    leal  -HDR(%ebx), %eax
    subl  %ecx, %eax            # top size
    movl  %eax, %edx
    orl   $F_PREV_USED, %edx    # below the top is always a used block
    movl  %edx, (%ecx)          # header
    movl  %edx, -FOOT_BACK(%ecx,%eax)   # footer
    movl  $1, %eax
    jmp   .Lgt_done

.Lgt_fail:
    xorl  %eax, %eax

.Lgt_done:
    popl  %ebx
    movl  %ebp, %esp
    popl  %ebp
    ret
.size grow_top, .-grow_top

# carve — make the block at %eax, which is the top block or the used
# block just below it, a used block of %ecx bytes (internal, registers).
# The rest up to the epilogue becomes the new top; a rest smaller than
# MIN_BLOCK stays in the block, and the top is then empty.
#
# Inputs:   %eax  block start; %ecx  block size wanted, and %eax + %ecx
#                 lies at or below the epilogue
# Output:   %eax  unchanged
# Clobbers: %ecx, %edx
.type carve, @function
carve:
    pushl %ebx
    movl  current_break, %edx
    subl  $HDR, %edx            # epilogue
    movl  %edx, %ebx
    subl  %eax, %ebx
    subl  %ecx, %ebx            # bytes left over
    cmpl  $MIN_BLOCK, %ebx
    jb    .Lcarve_all

    leal  (%eax,%ecx), %edx     # new top
    movl  %edx, top
    orl   $F_PREV_USED, %ebx    # its header word
    movl  %ebx, (%edx)
    movl  current_break, %edx
    movl  %ebx, -HDR-FOOT_BACK(%edx)    # its footer, below the epilogue
    movl  $F_USED, -HDR(%edx)   # epilogue: the top below is free
    jmp   .Lcarve_header

.Lcarve_all:
    movl  %edx, top             # no top block now
    movl  $F_USED|F_PREV_USED, (%edx)
    movl  %edx, %ecx
    subl  %eax, %ecx            # the block runs to the epilogue

.Lcarve_header:
    movl  (%eax), %edx
    andl  $F_PREV_USED, %edx    # keep what is known of the block below
    orl   $F_USED, %edx
    orl   %ecx, %edx
    movl  %edx, (%eax)
    popl  %ebx
    ret
.size carve, .-carve

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
.equ ARG_SIZE, 8

.globl allocate
.type allocate, @function
allocate:
    pushl %ebp
    movl  %esp, %ebp
    pushl %ebx
    pushl %esi
    pushl %edi

    movl  ARG_SIZE(%ebp), %esi
    addl  $HDR + ALIGN_MASK, %esi
    jc    .Lalloc_fail          # size + header passes 2^32
    andl  $~ALIGN_MASK, %esi    # block size
    cmpl  $MIN_BLOCK, %esi
    jae   .Lalloc_sized
    movl  $MIN_BLOCK, %esi
.Lalloc_sized:
    bin_of %esi, %edx           # the request's bin
    movl  bins(,%edx,4), %eax
    cmpl  $NEXACT, %edx
    jae   .Lalloc_scan
    testl %eax, %eax
    jz    .Lalloc_next_bin
    # Quick fit: the head of an exact bin is exactly the size wanted, so
    # it is popped without the general unlink and split.
    movl  NEXT_OFF(%eax), %ecx
    movl  %ecx, bins(,%edx,4)
    testl %ecx, %ecx
    jz    .Lalloc_emptied
    movl  $0, PREV_OFF(%ecx)    # the new head
.Lalloc_exact:
    orl   $F_USED, (%eax)
    orl   $F_PREV_USED, (%eax,%esi)     # the block above: not the top
    jmp   .Lalloc_payload
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
    movl  (%eax), %edx
    andl  $~FLAG_MASK, %edx     # its size
    movl  %edx, %ecx
    subl  %esi, %ecx            # what a split would leave
    cmpl  $MIN_BLOCK, %ecx
    jb    .Lalloc_whole
    leal  (%eax,%esi), %edi     # the rest, a free block above ours
    movl  %ecx, %edx
    orl   $F_PREV_USED, %edx
    movl  %edx, (%edi)
    movl  %edx, -FOOT_BACK(%edi,%ecx)
    bin_of %ecx, %ebx
    bin_push %edi, %ebx, %edx
    movl  %esi, %edx
    orl   $F_USED|F_PREV_USED, %edx     # below a free block: used
    movl  %edx, (%eax)
    jmp   .Lalloc_payload
.Lalloc_whole:
    orl   $F_USED, (%eax)
    orl   $F_PREV_USED, (%eax,%edx)     # the block above: not the top
    jmp   .Lalloc_payload

.Lalloc_top:
    # Before allocate_init every bin is empty, so every request ends up
    # here: the one place that must know whether there is a heap.
    cmpl  $0, heap_begin
    je    .Lalloc_fail
    movl  top, %eax
    movl  current_break, %edx
    cmpl  heap_begin, %edx      # empty heap: not even an epilogue yet
    je    .Lalloc_grow
    subl  $HDR, %edx
    subl  %eax, %edx            # top size (0: no top block)
    cmpl  %esi, %edx
    jae   .Lalloc_carve
.Lalloc_grow:
    pushl %esi
    call  grow_top
    addl  $4, %esp
    testl %eax, %eax
    jz    .Lalloc_fail
    movl  top, %eax
.Lalloc_carve:
    movl  %esi, %ecx
    call  carve

.Lalloc_payload:
    addl  $HDR, %eax
    jmp   .Lalloc_done

.Lalloc_fail:
    xorl  %eax, %eax

.Lalloc_done:
    popl  %edi
    popl  %esi
    popl  %ebx
    movl  %ebp, %esp
    popl  %ebp
    ret
.size allocate, .-allocate

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
.equ ARG_PTR, 8

.globl deallocate
.type deallocate, @function
deallocate:
    pushl %ebp
    movl  %esp, %ebp
    pushl %ebx
    pushl %esi
    pushl %edi

    movl  ARG_PTR(%ebp), %esi
    testl %esi, %esi
    jz    .Lfree_done
    subl  $HDR, %esi            # block
    movl  (%esi), %ecx
    andl  $~FLAG_MASK, %ecx     # its size
    testl $F_PREV_USED, (%esi)
    jnz   .Lfree_up
    movl  -FOOT_BACK(%esi), %edx
    andl  $~FLAG_MASK, %edx     # size of the free block below
    subl  %edx, %esi
    addl  %edx, %ecx
    unlink %esi, %eax, %edx

.Lfree_up:
    leal  (%esi,%ecx), %edi     # the block above
    cmpl  top, %edi
    je    .Lfree_top
    movl  (%edi), %edx
    testl $F_USED, %edx
    jnz   .Lfree_list
    unlink %edi, %eax, %ebx
    andl  $~FLAG_MASK, %edx
    addl  %edx, %ecx
    leal  (%esi,%ecx), %edi     # now the used block above both

.Lfree_list:
    andl  $~F_PREV_USED, (%edi)
    movl  %ecx, %edx
    orl   $F_PREV_USED, %edx    # no free block below a free block
    movl  %edx, (%esi)
    movl  %edx, -FOOT_BACK(%esi,%ecx)
    bin_of %ecx, %ebx
    bin_push %esi, %ebx, %edx
    jmp   .Lfree_done

.Lfree_top:
    movl  %esi, top
    movl  current_break, %edx
    movl  $F_USED, -HDR(%edx)   # epilogue: the top below is free
    subl  $HDR, %edx
    subl  %esi, %edx            # top size
    movl  %edx, %ecx
    orl   $F_PREV_USED, %ecx
    movl  %ecx, (%esi)
    movl  %ecx, -FOOT_BACK(%esi,%edx)
    cmpl  $TRIM_THRESHOLD, %edx
    jbe   .Lfree_done

    # Give back all but about TOP_KEEP bytes: the new break is a page
    # boundary well inside the top, so the top stays a real block.
    leal  TOP_KEEP + HDR + PAGE - 1(%esi), %ebx
    andl  $-PAGE, %ebx
    movl  $SYS_BRK, %eax
    int   $LINUX_SYSCALL
    cmpl  %ebx, %eax            # refused: keep the top as it is
    jne   .Lfree_done
    movl  %ebx, current_break
    movl  $F_USED, -HDR(%ebx)
    leal  -HDR(%ebx), %edx
    subl  %esi, %edx
    movl  %edx, %ecx
    orl   $F_PREV_USED, %ecx
    movl  %ecx, (%esi)
    movl  %ecx, -FOOT_BACK(%esi,%edx)

.Lfree_done:
    popl  %edi
    popl  %esi
    popl  %ebx
    movl  %ebp, %esp
    popl  %ebp
    ret
.size deallocate, .-deallocate

# void *reallocate(void *p, unsigned size);
#
# realloc: p == 0 is allocate(size); size == 0 frees p and returns 0.
# Otherwise, in order: a block already big enough is kept (a rest of 16
# bytes or more is cut off and freed); a block whose upper neighbour is
# free and big enough together absorbs it; a block just below the top
# grows into the top, moving the break if need be. The pointer is the
# same in all three. Only then is a new block allocated, the payload
# copied with rep movsl and p freed. On failure 0 is returned and p is
# untouched.
#
# Inputs:   RA_PTR(%ebp)   payload from allocate, or 0
#           RA_SIZE(%ebp)  new payload bytes
# Output:   %eax  the payload (p itself when resized in place), or 0
# Clobbers: %ecx, %edx
.equ RA_PTR,  8
.equ RA_SIZE, 12

.globl reallocate
.type reallocate, @function
reallocate:
    pushl %ebp
    movl  %esp, %ebp
    pushl %ebx
    pushl %esi
    pushl %edi

    movl  RA_PTR(%ebp), %esi
    testl %esi, %esi
    jnz   .Lra_have
    pushl RA_SIZE(%ebp)         # reallocate(0, n) = allocate(n)
    call  allocate
    addl  $4, %esp
    jmp   .Lra_done
.Lra_have:
    movl  RA_SIZE(%ebp), %ecx
    testl %ecx, %ecx
    jnz   .Lra_size
    pushl %esi                  # reallocate(p, 0) frees p
    call  deallocate
    addl  $4, %esp
    jmp   .Lra_fail
.Lra_size:
    addl  $HDR + ALIGN_MASK, %ecx
    jc    .Lra_fail
    andl  $~ALIGN_MASK, %ecx    # block size needed
    cmpl  $MIN_BLOCK, %ecx
    jae   .Lra_sized
    movl  $MIN_BLOCK, %ecx
.Lra_sized:
    subl  $HDR, %esi            # block
    movl  (%esi), %edx
    andl  $~FLAG_MASK, %edx     # its size now
    leal  (%esi,%edx), %edi     # the block above
    cmpl  %ecx, %edx
    jae   .Lra_shrink
    cmpl  top, %edi
    je    .Lra_top
    movl  (%edi), %ebx
    testl $F_USED, %ebx
    jnz   .Lra_move
    andl  $~FLAG_MASK, %ebx
    addl  %edx, %ebx            # both together
    cmpl  %ecx, %ebx
    jb    .Lra_move
    pushl %ecx
    unlink %edi, %eax, %ecx
    popl  %ecx
    movl  (%esi), %eax
    andl  $F_PREV_USED, %eax
    orl   $F_USED, %eax
    orl   %ebx, %eax
    movl  %eax, (%esi)
    orl   $F_PREV_USED, (%esi,%ebx)     # above was free, now below is used
    movl  %ebx, %edx

.Lra_shrink:
    # %edx >= %ecx: the block is big enough; a rest of MIN_BLOCK or more
    # becomes a used block of its own, which deallocate merges upward.
    movl  %edx, %eax
    subl  %ecx, %eax            # rest
    cmpl  $MIN_BLOCK, %eax
    jb    .Lra_same
    movl  (%esi), %edx
    andl  $FLAG_MASK, %edx
    orl   %ecx, %edx
    movl  %edx, (%esi)
    leal  (%esi,%ecx), %edi     # the rest
    orl   $F_USED|F_PREV_USED, %eax
    movl  %eax, (%edi)
    addl  $HDR, %edi
    pushl %edi
    call  deallocate
    addl  $4, %esp
.Lra_same:
    leal  HDR(%esi), %eax
    jmp   .Lra_done

.Lra_top:
    # The block is just below the top: grow into it.
    movl  current_break, %ebx
    subl  $HDR, %ebx
    subl  %esi, %ebx            # the block and the top together
    cmpl  %ecx, %ebx
    jae   .Lra_carve
    pushl %ecx
    movl  %ecx, %eax
    subl  %edx, %eax            # what the top must hold
    pushl %eax
    call  grow_top
    addl  $4, %esp
    popl  %ecx
    testl %eax, %eax
    jz    .Lra_fail
.Lra_carve:
    movl  %esi, %eax
    call  carve
    leal  HDR(%esi), %eax
    jmp   .Lra_done

.Lra_move:
    pushl RA_SIZE(%ebp)
    call  allocate
    addl  $4, %esp
    testl %eax, %eax
    jz    .Lra_done             # p stays as it was
    movl  %eax, %ebx            # new payload
    movl  %eax, %edi
    movl  RA_PTR(%ebp), %esi
    movl  -HDR(%esi), %ecx
    andl  $~FLAG_MASK, %ecx
    subl  $HDR, %ecx            # old payload bytes, a multiple of 4
    shrl  $2, %ecx
    rep movsl                   # DF is clear (cdecl)
    pushl RA_PTR(%ebp)
    call  deallocate
    addl  $4, %esp
    movl  %ebx, %eax
    jmp   .Lra_done

.Lra_fail:
    xorl  %eax, %eax

.Lra_done:
    popl  %edi
    popl  %esi
    popl  %ebx
    movl  %ebp, %esp
    popl  %ebp
    ret
.size reallocate, .-reallocate

# int heap_check(void);
#
# Tests every invariant in the file header; never writes the heap except
# the F_MARK bits it sets and clears again. First it walks each list,
# marking its blocks (a block met marked is on a list twice, or in a
# cycle); then it walks the heap block by block, clearing the marks of the
# free blocks it meets; a mark left over belongs to a list entry that is
# no block at all. Returns the first failure found:
#
#   0  consistent (also before allocate_init and on an empty heap)
#   1  heap_begin, current_break, top or the prologue are wrong
#   2  a block's size is too small or runs past the epilogue
#   3  a PREV_USED bit disagrees with the block below
#   4  a free block's footer differs from its header
#   5  two free blocks are adjacent
#   6  a free block is on no list, the wrong list, or twice
#   7  a list link is broken (outside the heap, not free, prev wrong)
#   8  a bitmap bit disagrees with its list
#   9  the epilogue is wrong
#  10  the top block is not the free block below the epilogue
#
# Inputs:   none
# Output:   %eax  0 or the failure's number
# Clobbers: %ecx, %edx
.equ HC_ERR,    -16             # the result so far
.equ HC_COUNT,  -20             # list blocks marked but not yet walked
.equ HC_END,    -24             # the epilogue's address
.equ HC_TOTAL,  -28             # blocks the list pass marked

.globl heap_check
.type heap_check, @function
heap_check:
    pushl %ebp
    movl  %esp, %ebp
    pushl %ebx
    pushl %esi
    pushl %edi
    subl  $16, %esp
    movl  $0, HC_ERR(%ebp)
    movl  $0, HC_TOTAL(%ebp)
    movl  $0, HC_COUNT(%ebp)

    movl  heap_begin, %ebx
    testl %ebx, %ebx
    jz    .Lhc_return           # no heap yet: nothing to be wrong
    movl  current_break, %ecx
    cmpl  %ebx, %ecx
    jne   .Lhc_nonempty
    leal  HDR(%ebx), %eax       # empty heap: top names the first block
    cmpl  top, %eax
    je    .Lhc_return
    movl  $1, HC_ERR(%ebp)
    jmp   .Lhc_return
.Lhc_nonempty:
    testl $ALIGN_MASK, %ebx
    jnz   .Lhc_err1
    leal  2*HDR(%ebx), %eax     # prologue + epilogue at least
    cmpl  %eax, %ecx
    jb    .Lhc_err1
    testl $ALIGN_MASK, %ecx
    jnz   .Lhc_err1
    cmpl  $F_USED, (%ebx)       # prologue
    jne   .Lhc_err1
    leal  -HDR(%ecx), %eax
    movl  %eax, HC_END(%ebp)
    movl  top, %eax
    cmpl  HC_END(%ebp), %eax
    ja    .Lhc_err1
    leal  HDR(%ebx), %edx
    cmpl  %edx, %eax
    jb    .Lhc_err1

    # ---- the lists: %ebx bin, %esi block, %edi the block before it
    xorl  %ebx, %ebx
.Lhc_bin:
    movl  bins(,%ebx,4), %esi
    xorl  %edi, %edi
    xorl  %eax, %eax
    btl   %ebx, bin_map
    adcl  $0, %eax              # the bin's bit
    testl %esi, %esi
    setnz %cl
    cmpb  %cl, %al
    jne   .Lhc_err8
.Lhc_node:
    testl %esi, %esi
    jz    .Lhc_bin_done
    movl  heap_begin, %eax
    addl  $HDR, %eax
    cmpl  %eax, %esi
    jb    .Lhc_err7
    cmpl  HC_END(%ebp), %esi
    jae   .Lhc_err7
    movl  %esi, %eax
    andl  $ALIGN_MASK, %eax
    cmpl  $HDR, %eax            # blocks start at 4 mod 8
    jne   .Lhc_err7
    movl  (%esi), %edx
    testl $F_USED, %edx
    jnz   .Lhc_err7
    testl $F_MARK, %edx
    jnz   .Lhc_err6
    andl  $~FLAG_MASK, %edx
    cmpl  $MIN_BLOCK, %edx
    jb    .Lhc_err7
    movl  HC_END(%ebp), %eax
    subl  %esi, %eax
    cmpl  %eax, %edx            # must end at or below the epilogue
    ja    .Lhc_err7
    bin_of %edx, %eax
    cmpl  %ebx, %eax
    jne   .Lhc_err6
    cmpl  %edi, PREV_OFF(%esi)
    jne   .Lhc_err7
    orl   $F_MARK, (%esi)
    incl  HC_COUNT(%ebp)
    incl  HC_TOTAL(%ebp)
    movl  %esi, %edi
    movl  NEXT_OFF(%esi), %esi
    jmp   .Lhc_node
.Lhc_bin_done:
    incl  %ebx
    cmpl  $NBINS, %ebx
    jb    .Lhc_bin

    # ---- the heap: %esi block, %edi 1 if the block below is used,
    # %ebx the block below (0 for the prologue)
    movl  heap_begin, %esi
    addl  $HDR, %esi
    movl  $1, %edi
    xorl  %ebx, %ebx
.Lhc_walk:
    cmpl  HC_END(%ebp), %esi
    jae   .Lhc_walked
    movl  (%esi), %edx
    movl  %edx, %ecx
    andl  $~FLAG_MASK, %ecx     # size
    cmpl  $MIN_BLOCK, %ecx
    jb    .Lhc_err2
    movl  HC_END(%ebp), %eax
    subl  %esi, %eax
    cmpl  %eax, %ecx
    ja    .Lhc_err2
    movl  %edx, %eax
    shrl  $1, %eax
    andl  $1, %eax              # PREV_USED as 0/1
    cmpl  %edi, %eax
    jne   .Lhc_err3
    testl $F_USED, %edx
    jnz   .Lhc_used
    movl  %edx, %eax
    andl  $~F_MARK, %eax
    cmpl  -FOOT_BACK(%esi,%ecx), %eax
    jne   .Lhc_err4
    testl %edi, %edi
    jz    .Lhc_err5
    cmpl  top, %esi
    jne   .Lhc_listed
    testl $F_MARK, %edx         # the top is on no list
    jnz   .Lhc_err6
    leal  (%esi,%ecx), %eax
    cmpl  HC_END(%ebp), %eax
    jne   .Lhc_err10
    jmp   .Lhc_free_ok
.Lhc_listed:
    testl $F_MARK, %edx
    jz    .Lhc_err6
    andl  $~F_MARK, (%esi)
    decl  HC_COUNT(%ebp)
.Lhc_free_ok:
    xorl  %edi, %edi
    jmp   .Lhc_next
.Lhc_used:
    movl  $1, %edi
.Lhc_next:
    movl  %esi, %ebx
    addl  %ecx, %esi
    jmp   .Lhc_walk

.Lhc_walked:
    cmpl  HC_END(%ebp), %esi
    jne   .Lhc_err2
    movl  %edi, %eax
    addl  %eax, %eax            # PREV_USED
    orl   $F_USED, %eax
    cmpl  (%esi), %eax          # epilogue
    jne   .Lhc_err9
    testl %edi, %edi
    jnz   .Lhc_top_empty
    cmpl  top, %ebx             # the free block below the epilogue
    jne   .Lhc_err10
    jmp   .Lhc_counted
.Lhc_top_empty:
    cmpl  top, %esi
    jne   .Lhc_err10
.Lhc_counted:
    cmpl  $0, HC_COUNT(%ebp)    # a list entry the walk never met
    jne   .Lhc_err6
    jmp   .Lhc_clean

.Lhc_err1:
    movl  $1, HC_ERR(%ebp)
    jmp   .Lhc_return           # nothing marked yet
.Lhc_err2:
    movl  $2, HC_ERR(%ebp)
    jmp   .Lhc_clean
.Lhc_err3:
    movl  $3, HC_ERR(%ebp)
    jmp   .Lhc_clean
.Lhc_err4:
    movl  $4, HC_ERR(%ebp)
    jmp   .Lhc_clean
.Lhc_err5:
    movl  $5, HC_ERR(%ebp)
    jmp   .Lhc_clean
.Lhc_err6:
    movl  $6, HC_ERR(%ebp)
    jmp   .Lhc_clean
.Lhc_err7:
    movl  $7, HC_ERR(%ebp)
    jmp   .Lhc_clean
.Lhc_err8:
    movl  $8, HC_ERR(%ebp)
    jmp   .Lhc_clean
.Lhc_err9:
    movl  $9, HC_ERR(%ebp)
    jmp   .Lhc_clean
.Lhc_err10:
    movl  $10, HC_ERR(%ebp)

.Lhc_clean:
    # Clear every mark still set. Each list is followed again from its
    # head, as the list pass did, for at most HC_TOTAL steps: the pass
    # marked no more than that on any list, so a cyclic list ends too.
    cmpl  $0, HC_COUNT(%ebp)
    je    .Lhc_return
    xorl  %ebx, %ebx
.Lhc_clean_bin:
    movl  bins(,%ebx,4), %esi
    movl  HC_TOTAL(%ebp), %edi  # steps left on this list
.Lhc_clean_node:
    testl %edi, %edi
    jz    .Lhc_clean_next
    decl  %edi
    testl %esi, %esi
    jz    .Lhc_clean_next
    movl  heap_begin, %eax
    addl  $HDR, %eax
    cmpl  %eax, %esi
    jb    .Lhc_clean_next
    cmpl  HC_END(%ebp), %esi
    jae   .Lhc_clean_next
    andl  $~F_MARK, (%esi)
    movl  NEXT_OFF(%esi), %esi
    jmp   .Lhc_clean_node
.Lhc_clean_next:
    incl  %ebx
    cmpl  $NBINS, %ebx
    jb    .Lhc_clean_bin

.Lhc_return:
    movl  HC_ERR(%ebp), %eax
    leal  -12(%ebp), %esp       # drop the locals
    popl  %edi
    popl  %esi
    popl  %ebx
    movl  %ebp, %esp
    popl  %ebp
    ret
.size heap_check, .-heap_check

.section .note.GNU-stack,"",@progbits
