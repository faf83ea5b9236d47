# tlsf.s — two-level segregated fit: a good fit found in constant time.
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
# Design: TLSF, the real-time allocator of Masmano, Ripoll, Crespo and
# Real (ECRTS 2004), written here from the paper's description. Its
# promise is a bound: allocate and deallocate cost the same number of
# instructions however many blocks the heap holds, because no list is
# ever searched; two bitmaps say which lists hold a block and bsf/bsr
# find the right one.
#
# Blocks are segfit's (asm/allocators/segfit.s): a 4-byte header word
# with the size (a multiple of 8, header included, at least 16) and two
# flags, USED and PREV_USED (the block just below is in use); free blocks
# end with a footer, a copy of the header (boundary tags). A freed block
# merges at once with free neighbours on both sides.
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
# The heap, from heap_begin (8-aligned) to current_break:
#
#   +--------+-------+-------+---- ... ---+------------+----------+--------+
#   |prologue| block | block |            | designated | top      |epilogue|
#   |USED, 0 |       |       |            | remainder  | (free)   |USED, 0 |
#   +--------+-------+-------+---- ... ---+------------+----------+--------+
#   +0       +4 (blocks start at 4 mod 8, so payloads are 8-aligned)
#
# The free lists. A block size s falls in first-level class f (its power
# of two) and second-level list sl (which of 32 equal slices of that
# power of two). Sizes below 256 are not split by powers: class 0 holds
# 32 lists of one exact size each (16, 24, ... 248), so small sizes, the
# common case, get an exact list.
#
#   class f   sizes              one list per          lists
#     0       16 .. 255          8 bytes (exact)       sl = s / 8
#     1       256 .. 511         8 bytes               sl = (s - 256) / 8
#     2       512 .. 1023        16 bytes              sl = (s - 512) / 16
#     f>=1    2^(f+7) .. 2^(f+8)-1   2^(f+2) bytes     sl = the 5 bits
#                                                      below the top one
#    24       2^31 .. 2^32-8     2^26 bytes
#
# list index = 32 f + sl (0..799). Two bitmaps, kept exact:
#
#   fl_map   bit f set: class f has a non-empty list
#   +--+--+--+-- ... --+--+--+--+
#   |24|23|22|         | 2| 1| 0|     25 bits of one word
#   +--+--+--+-- ... --+--+--+--+
#
#   sl_map[f]  bit sl set: list 32 f + sl is not empty
#   +--+--+-- ... --+--+--+
#   |31|30|         | 1| 0|   one word per class, 25 words: as a bit
#   +--+--+-- ... --+--+--+   string, bit (32 f + sl) is list f,sl
#
# Good fit. A request of s bytes (s >= 256) is rounded up to the next
# list boundary before the lists are looked at, so every block of the
# list found is at least s: the head is taken, never a search. The
# lookup is two masked bsf: the request's own class from its list on,
# then the first non-empty class above it. If no list qualifies, the
# head of the request's unrounded list is tried once (it may fit).
#
# The designated remainder (`dv`) is a free block on no list: the rest of
# the last block split for a small request (or for any request, when
# there was no remainder). The next small request whose exact list is
# empty is carved from it, the rest staying the remainder, so a run of
# small requests splits one block without binning each rest; a block
# freed next to it joins it, still on no list.
#
# The top (wilderness) block is the free block below the epilogue, also
# on no list. Growth policy: when nothing else fits, the break moves by
# exactly the shortfall of the top, rounded up to GROW_GRANULE bytes (8,
# the alignment: no slack at all): the heap is never bigger than its peak
# need, at the cost of one brk call each time the top runs out (89 per
# kit trace on average, docs/allocators.md). A top above TRIM_THRESHOLD
# is given back, down to about TOP_KEEP.
#
# Invariants (heap_check tests every one): the blocks tile the heap from
# heap_begin+4 to the epilogue; each PREV_USED bit tells the truth; no two
# free blocks are adjacent; a free block's footer equals its header;
# every free block but the top and the designated remainder is on the
# list of its size exactly once, and the lists' links agree both ways;
# each sl_map bit is set exactly when its list is non-empty and each
# fl_map bit exactly when its class's sl_map word is non-zero; the
# remainder, if any, is a free block of the heap and not the top; the
# top, if not empty, is free and ends at the epilogue.
#
# Before the first allocate the heap is empty (heap_begin == current_
# break) and `top` names heap_begin+4, where the first block will go; a
# walker takes an empty heap as empty before it applies memkit_layout's
# first and tail (4 and 4).

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

.equ SL_BITS,           5       # 32 second-level lists per class
.equ SL_COUNT,          32
.equ SMALL_LIMIT,       256     # below: class 0, one exact size a list
.equ FL_COUNT,          25      # classes 0..24 (2^31 is class 24)
.equ NLISTS,            FL_COUNT * SL_COUNT

.equ PAGE,              4096
.equ GROW_GRANULE,      8       # the break moves in multiples of this
.equ TRIM_THRESHOLD,    256*1024 # top above this: move the break down
.equ TOP_KEEP,          64*1024  # ... leaving about this much

# list_of SIZE, OUT: OUT = the list index (32 f + sl) of block size SIZE.
# Clobbers %ecx; SIZE and OUT may be the same register, neither %ecx.
#
#   s < 256:  s / 8
#   else:     t = bsr(s);  (t - 8) * 32 + (s >> (t - 5))
#             (s >> (t - 5) is 32 + sl: the top bit and the 5 below it)
.macro list_of size, out
    movl  \size, \out
    cmpl  $SMALL_LIMIT, \out
    jae   .Llist_range\@
    shrl  $3, \out              # exact: 16 -> 2 ... 248 -> 31
    jmp   .Llist_done\@
.Llist_range\@:
    bsrl  \out, %ecx            # t: the power of two
    subl  $SL_BITS, %ecx
    shrl  %cl, \out             # 32 + sl
    shll  $SL_BITS, %ecx        # 32 (t - 5)
    leal  -3*SL_COUNT(\out,%ecx), \out  # 32 (t - 8) + 32 + sl
.Llist_done\@:
.endm

# push_front BLK, LST, OLD, DONE — put free block BLK at the head of list
# LST (its index, as list_of gives it); when that list was empty, set its
# sl_map bit and its class's fl_map bit. The non-empty case (the common
# one) jumps to DONE; the other falls through. OLD ends as the old head;
# LST is clobbered. A macro, not a call: deallocate inlines it on its
# fast path, insert uses it too, and both stay one text.
.macro push_front blk, lst, old, done
    movl  lists(,\lst,4), \old  # old head
    movl  \old, NEXT_OFF(\blk)
    movl  $0, PREV_OFF(\blk)
    movl  \blk, lists(,\lst,4)
    testl \old, \old
    jz    .Lpf_first\@
    movl  \blk, PREV_OFF(\old)
    jmp   \done
.Lpf_first\@:
    btsl  \lst, sl_map          # the list was empty ...
    shrl  $SL_BITS, \lst
    btsl  \lst, fl_map          # ... so its class is not
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

.type dv, @object
.size dv, 4
dv:
    .long 0                     # the designated remainder, 0 if none

.section .bss
.balign 4
lists:
    .space NLISTS * 4           # list heads, 0 = empty
sl_map:
    .space FL_COUNT * 4         # bit 32 f + sl: list f,sl not empty
fl_map:
    .space 4                    # bit f: sl_map[f] != 0

.section .rodata
.globl memkit_props
.type memkit_props, @object
memkit_props:
    .asciz "splits coalesces free-lists good-fit remainder coalesces-at-once reallocate-in-place reallocate-at-top grows-exactly trims"
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
# not aligned already) and starts an empty heap there. The first allocate
# grows it. A second call changes nothing.
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

# insert — put a free block at the head of the list of its size and set
# its bitmap bits (internal, registers). The block's header holds its
# size already.
#
# Inputs:   %eax  the free block
# Output:   none
# Clobbers: %ecx, %edx
.type insert, @function
insert:
    pushl %ebx
    movl  (%eax), %edx
    andl  $~FLAG_MASK, %edx
    list_of %edx, %edx          # its list
    push_front %eax, %edx, %ebx, .Lins_done
.Lins_done:
    popl  %ebx
    ret
.size insert, .-insert

# detach — take a free block out of wherever it waits: the designated
# remainder stops being one; a list block is unlinked, and a list (and
# a class) left empty clears its bitmap bit (internal, registers). Never
# called for the top.
#
# Inputs:   %eax  the free block; its header still holds its size
# Output:   none
# Clobbers: %ecx, %edx
.type detach, @function
detach:
    cmpl  dv, %eax
    je    .Ldt_dv
    movl  NEXT_OFF(%eax), %ecx  # next
    movl  PREV_OFF(%eax), %edx  # prev
    testl %ecx, %ecx
    jz    .Ldt_nonext
    movl  %edx, PREV_OFF(%ecx)  # next->prev = prev
.Ldt_nonext:
    testl %edx, %edx
    jz    .Ldt_head
    movl  %ecx, NEXT_OFF(%edx)  # prev->next = next
    jmp   .Ldt_done
.Ldt_head:
    pushl %ebx
    movl  %ecx, %ebx            # the new head
    movl  (%eax), %edx
    andl  $~FLAG_MASK, %edx
    list_of %edx, %edx
    movl  %ebx, lists(,%edx,4)
    testl %ebx, %ebx
    jnz   .Ldt_popped
    btrl  %edx, sl_map          # the list is empty now
    shrl  $SL_BITS, %edx
    cmpl  $0, sl_map(,%edx,4)
    jne   .Ldt_popped
    btrl  %edx, fl_map          # and so is its class
.Ldt_popped:
    popl  %ebx
    jmp   .Ldt_done
.Ldt_dv:
    movl  $0, dv
.Ldt_done:
    ret
.size detach, .-detach

# grow_top — move the break up so the top block holds at least `want`
# bytes (internal, cdecl): by exactly the shortfall, the new break
# rounded up to GROW_GRANULE (an offset from heap_begin, so the top's
# size stays a multiple of 8). Writes the prologue on the first growth,
# the top's header and footer and the epilogue.
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
    movl  heap_begin, %edx
    subl  %edx, %ecx            # as heap bytes
    addl  $GROW_GRANULE - 1, %ecx
    jc    .Lgt_fail
    andl  $-GROW_GRANULE, %ecx  # rounded up to the granule
    addl  %edx, %ecx            # the new break
    jc    .Lgt_fail
    movl  %ecx, %ebx
    movl  $SYS_BRK, %eax
    int   $LINUX_SYSCALL        # %eax = the break now
    cmpl  %ebx, %eax            # refused: the old break comes back
    jne   .Lgt_fail

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
# The block size is size + 4 rounded up to 8, at least 16. In order:
#   1. a small size (below 256) takes the head of its exact list, whole;
#   2. a small size whose list is empty is cut from the designated
#      remainder, if that is big enough;
#   3. the bitmaps give the first non-empty list whose every block fits
#      (the size rounded up to the next list boundary first); its head is
#      split, the rest becoming the designated remainder for a small
#      request (or when there is none) and going on its list otherwise;
#   4. the head of the size's own list, or the remainder, if it fits;
#   5. the top block, grown by the shortfall if it is too small.
# No step walks a list, so the cost does not depend on the heap.
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
    cmpl  $SMALL_LIMIT, %esi
    jae   .Lalloc_large

    # 1. Small: the exact list's head is exactly the size wanted, so it
    # is popped without the general detach and split.
    movl  %esi, %edx
    shrl  $3, %edx              # its list (class 0)
    movl  lists(,%edx,4), %eax
    testl %eax, %eax
    jz    .Lalloc_small_miss
    movl  NEXT_OFF(%eax), %ecx
    movl  %ecx, lists(,%edx,4)
    testl %ecx, %ecx
    jz    .Lalloc_emptied
    movl  $0, PREV_OFF(%ecx)    # the new head
.Lalloc_exact:
    orl   $F_USED, (%eax)
    orl   $F_PREV_USED, (%eax,%esi)     # the block above: not the top
    jmp   .Lalloc_payload
.Lalloc_emptied:
    btrl  %edx, sl_map
    cmpl  $0, sl_map            # class 0's word
    jne   .Lalloc_exact
    andl  $~1, fl_map
    jmp   .Lalloc_exact

.Lalloc_small_miss:
    # 2. The designated remainder, if it is big enough.
    movl  dv, %eax
    testl %eax, %eax
    jz    .Lalloc_small_search
    movl  (%eax), %ecx
    andl  $~FLAG_MASK, %ecx
    cmpl  %esi, %ecx
    jb    .Lalloc_small_search
    movl  $0, dv                # it is cut up: no remainder for now
    jmp   .Lalloc_take
.Lalloc_small_search:
    cmpl  $0, fl_map            # no list holds a block: the top
    jne   .Lalloc_search
    jmp   .Lalloc_top

.Lalloc_large:
    cmpl  $0, fl_map            # no list holds a block: straight on
    je    .Lalloc_try_dv
    # Good fit: round the size up to the next list boundary, 2^(t-5)
    # for a size in [2^t, 2^(t+1)), so the whole list found fits.
    bsrl  %esi, %ecx
    subl  $SL_BITS, %ecx
    movl  $1, %edx
    shll  %cl, %edx
    decl  %edx                  # the slice's bytes - 1
    addl  %esi, %edx
    jc    .Lalloc_fail          # no block can be that big
    list_of %edx, %edx

.Lalloc_search:
    # 3. %edx: the first list every block of which fits. Its class's
    # lists from sl on, then any class above.
    movl  %edx, %ecx
    andl  $SL_COUNT - 1, %ecx   # sl
    shrl  $SL_BITS, %edx        # f
    movl  $-1, %eax
    shll  %cl, %eax             # lists >= sl
    andl  sl_map(,%edx,4), %eax
    jnz   .Lalloc_list
    leal  1(%edx), %ecx
    movl  $-1, %eax
    shll  %cl, %eax             # classes > f (f + 1 <= 25)
    andl  fl_map, %eax
    jz    .Lalloc_nolist
    bsfl  %eax, %edx            # the class
    movl  sl_map(,%edx,4), %eax
.Lalloc_list:
    bsfl  %eax, %eax            # the list in the class
    shll  $SL_BITS, %edx
    addl  %eax, %edx            # the list
    movl  lists(,%edx,4), %eax  # its head, popped
    movl  NEXT_OFF(%eax), %ecx
    movl  %ecx, lists(,%edx,4)
    testl %ecx, %ecx
    jz    .Lalloc_list_emptied
    movl  $0, PREV_OFF(%ecx)    # the new head
    jmp   .Lalloc_take
.Lalloc_list_emptied:
    btrl  %edx, sl_map
    shrl  $SL_BITS, %edx
    cmpl  $0, sl_map(,%edx,4)
    jne   .Lalloc_take
    btrl  %edx, fl_map          # the class is empty too

.Lalloc_take:
    # %eax: a free block of at least %esi bytes, off every list, not the
    # top. Split it when 16 bytes or more are left.
    movl  (%eax), %ebx
    andl  $~FLAG_MASK, %ebx     # its size
    movl  %ebx, %ecx
    subl  %esi, %ecx            # what a split would leave
    cmpl  $MIN_BLOCK, %ecx
    jb    .Lalloc_whole
    leal  (%eax,%esi), %edi     # the rest, a free block above ours
    movl  %ecx, %edx
    orl   $F_PREV_USED, %edx
    movl  %edx, (%edi)
    movl  %edx, -FOOT_BACK(%edi,%ecx)
    movl  %esi, %edx
    orl   $F_USED|F_PREV_USED, %edx     # below a free block: used
    movl  %edx, (%eax)
    movl  %eax, %ebx            # ours
    movl  dv, %eax
    testl %eax, %eax
    jz    .Lalloc_new_dv        # no remainder: the rest is it
    cmpl  $SMALL_LIMIT, %esi
    jae   .Lalloc_bin_rest
    movl  %edi, dv              # small: the rest replaces the remainder
    call  insert                # which goes on its list
    jmp   .Lalloc_split_done
.Lalloc_bin_rest:
    movl  %edi, %eax
    call  insert
    jmp   .Lalloc_split_done
.Lalloc_new_dv:
    movl  %edi, dv
.Lalloc_split_done:
    movl  %ebx, %eax
    jmp   .Lalloc_payload
.Lalloc_whole:
    orl   $F_USED, (%eax)
    orl   $F_PREV_USED, (%eax,%ebx)     # the block above: not the top
    jmp   .Lalloc_payload

.Lalloc_nolist:
    # 4. No list is sure to fit: the head of the size's own list, or the
    # remainder, may still hold it.
    cmpl  $SMALL_LIMIT, %esi
    jb    .Lalloc_try_dv        # small lists are exact: it was empty
    list_of %esi, %edx
    movl  lists(,%edx,4), %eax
    testl %eax, %eax
    jz    .Lalloc_try_dv
    movl  (%eax), %ecx
    andl  $~FLAG_MASK, %ecx
    cmpl  %esi, %ecx
    jb    .Lalloc_try_dv
    call  detach
    jmp   .Lalloc_take
.Lalloc_try_dv:
    movl  dv, %eax
    testl %eax, %eax
    jz    .Lalloc_top
    movl  (%eax), %ecx
    andl  $~FLAG_MASK, %ecx
    cmpl  %esi, %ecx
    jb    .Lalloc_top
    movl  $0, dv
    jmp   .Lalloc_take

.Lalloc_top:
    # 5. Before allocate_init every list is empty and there is no
    # remainder, so every request ends up here: the one place that must
    # know whether there is a heap.
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
    movl  current_break, %edx
    subl  $HDR, %edx
    subl  %eax, %edx            # the grown top's size
.Lalloc_carve:
    # %eax: the top, %edx: its size, at least %esi. carve's work, in
    # line: the top moves up, still free, so the epilogue stays as it
    # is; below the top is always a used block (PREV_USED). A rest too
    # small for a block stays in ours, and the top is then empty (the
    # usual case after an exact growth).
    subl  %esi, %edx            # the rest
    cmpl  $MIN_BLOCK, %edx
    jb    .Lalloc_carve_all
    leal  (%eax,%esi), %ecx     # the new top
    movl  %ecx, top
    orl   $F_PREV_USED, %edx
    movl  %edx, (%ecx)          # its header ...
    movl  current_break, %ecx
    movl  %edx, -HDR-FOOT_BACK(%ecx)    # ... and footer
    movl  %esi, %edx
    orl   $F_USED|F_PREV_USED, %edx
    movl  %edx, (%eax)
    jmp   .Lalloc_payload
.Lalloc_carve_all:
    addl  %esi, %edx            # the whole top is ours
    orl   $F_USED|F_PREV_USED, %edx
    movl  %edx, (%eax)
    movl  current_break, %ecx
    subl  $HDR, %ecx            # no top block: top names the epilogue
    movl  %ecx, top
    movl  $F_USED|F_PREV_USED, (%ecx)

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
# PREV_USED and its footer) and a free block above (its header), taking
# each off its list, then puts the result at the head of its list or, if
# it touches the top, makes it part of the top. A block next to the
# designated remainder joins it instead: the merged block is the
# remainder, on no list (freeing what was just cut from it undoes the
# cut without touching a list). A top above TRIM_THRESHOLD is given back to the kernel.
# deallocate(0) does nothing.
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
    movl  (%esi), %ebx
    andl  $~FLAG_MASK, %ebx     # its size
    testl $F_PREV_USED, (%esi)
    jnz   .Lfree_up
    movl  -FOOT_BACK(%esi), %edx
    andl  $~FLAG_MASK, %edx     # size of the free block below
    subl  %edx, %esi
    addl  %edx, %ebx
    cmpl  dv, %esi              # the remainder grows down: it stays one
    je    .Lfree_up
    movl  %esi, %eax
    call  detach

.Lfree_up:
    leal  (%esi,%ebx), %edi     # the block above
    cmpl  top, %edi
    je    .Lfree_top
    movl  (%edi), %edx
    testl $F_USED, %edx
    jnz   .Lfree_list
    cmpl  dv, %edi
    jne   .Lfree_detach_up
    movl  %esi, dv              # the remainder grows up: it starts here
    jmp   .Lfree_merge_up
.Lfree_detach_up:
    movl  %edi, %eax
    call  detach
    movl  (%edi), %edx
.Lfree_merge_up:
    andl  $~FLAG_MASK, %edx
    addl  %edx, %ebx
    leal  (%esi,%ebx), %edi     # now the used block above both

.Lfree_list:
    andl  $~F_PREV_USED, (%edi)
    movl  %ebx, %edx
    orl   $F_PREV_USED, %edx    # no free block below a free block
    movl  %edx, (%esi)
    movl  %edx, -FOOT_BACK(%esi,%ebx)
    cmpl  dv, %esi              # merged into the remainder: on no list
    je    .Lfree_done
    list_of %ebx, %edx          # insert, inline: the common free
    push_front %esi, %edx, %eax, .Lfree_done
    jmp   .Lfree_done

.Lfree_top:
    cmpl  dv, %esi              # the remainder below joins the top
    jne   .Lfree_to_top
    movl  $0, dv
.Lfree_to_top:
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
# free (on a list or the designated remainder) and big enough together
# absorbs it; a block just below the top grows into the top, moving the
# break if need be. The pointer is the same in all three. Only then is a
# new block allocated, the payload copied with rep movsl and p freed. On
# failure 0 is returned and p is untouched.
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
    movl  %edi, %eax
    call  detach
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
#   8  a bitmap bit disagrees with its list or its class
#   9  the epilogue is wrong
#  10  the top block is not the free block below the epilogue
#  11  the designated remainder is no free block of the heap, or the top
#
# Inputs:   none
# Output:   %eax  0 or the failure's number
# Clobbers: %ecx, %edx
.equ HC_ERR,    -16             # the result so far
.equ HC_COUNT,  -20             # list blocks marked but not yet walked
.equ HC_END,    -24             # the epilogue's address
.equ HC_TOTAL,  -28             # blocks the list pass marked
.equ HC_DVSEEN, -32             # 1 once the walk met the remainder

.globl heap_check
.type heap_check, @function
heap_check:
    pushl %ebp
    movl  %esp, %ebp
    pushl %ebx
    pushl %esi
    pushl %edi
    subl  $20, %esp
    movl  $0, HC_ERR(%ebp)
    movl  $0, HC_TOTAL(%ebp)
    movl  $0, HC_COUNT(%ebp)
    movl  $0, HC_DVSEEN(%ebp)

    movl  heap_begin, %ebx
    testl %ebx, %ebx
    jz    .Lhc_return           # no heap yet: nothing to be wrong
    movl  current_break, %ecx
    cmpl  %ebx, %ecx
    jne   .Lhc_nonempty
    leal  HDR(%ebx), %eax       # empty heap: top names the first block
    cmpl  top, %eax
    jne   .Lhc_err1
    cmpl  $0, dv                # and there is nothing to remain
    jne   .Lhc_err11
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
    movl  dv, %eax              # the remainder: inside, and not the top
    testl %eax, %eax
    jz    .Lhc_fl
    cmpl  %edx, %eax
    jb    .Lhc_err11
    cmpl  HC_END(%ebp), %eax
    jae   .Lhc_err11
    cmpl  top, %eax
    je    .Lhc_err11

.Lhc_fl:
    # ---- the class bitmap: bit f exactly when sl_map[f] is not 0
    xorl  %ebx, %ebx
.Lhc_class:
    xorl  %eax, %eax
    btl   %ebx, fl_map
    adcl  $0, %eax              # the class's bit
    cmpl  $0, sl_map(,%ebx,4)
    setne %cl
    cmpb  %cl, %al
    jne   .Lhc_err8
    incl  %ebx
    cmpl  $FL_COUNT, %ebx
    jb    .Lhc_class
    movl  fl_map, %eax
    shrl  $FL_COUNT, %eax       # no class beyond the last
    jnz   .Lhc_err8

    # ---- the lists: %ebx list, %esi block, %edi the block before it
    xorl  %ebx, %ebx
.Lhc_list:
    movl  lists(,%ebx,4), %esi
    xorl  %edi, %edi
    xorl  %eax, %eax
    btl   %ebx, sl_map
    adcl  $0, %eax              # the list's bit
    testl %esi, %esi
    setnz %cl
    cmpb  %cl, %al
    jne   .Lhc_err8
.Lhc_node:
    testl %esi, %esi
    jz    .Lhc_list_done
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
    list_of %edx, %eax
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
.Lhc_list_done:
    incl  %ebx
    cmpl  $NLISTS, %ebx
    jb    .Lhc_list

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
    je    .Lhc_unlisted
    cmpl  dv, %esi
    jne   .Lhc_listed
    movl  $1, HC_DVSEEN(%ebp)
.Lhc_unlisted:
    testl $F_MARK, %edx         # the top and the remainder: on no list
    jnz   .Lhc_err6
    cmpl  top, %esi
    jne   .Lhc_free_ok
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
    cmpl  dv, %esi              # the remainder is never in use
    je    .Lhc_err11
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
    cmpl  $0, dv                # a remainder the walk never met
    je    .Lhc_clean
    cmpl  $0, HC_DVSEEN(%ebp)
    je    .Lhc_err11
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
    jmp   .Lhc_clean
.Lhc_err11:
    movl  $11, HC_ERR(%ebp)

.Lhc_clean:
    # Clear every mark still set. Each list is followed again from its
    # head, as the list pass did, for at most HC_TOTAL steps: the pass
    # marked no more than that on any list, so a cyclic list ends too.
    cmpl  $0, HC_COUNT(%ebp)
    je    .Lhc_return
    xorl  %ebx, %ebx
.Lhc_clean_list:
    movl  lists(,%ebx,4), %esi
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
    cmpl  $NLISTS, %ebx
    jb    .Lhc_clean_list

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
