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
# Blocks are segfit's (asm/allocators/segfit.s; seg-core.inc keeps what
# the two share): a 4-byte header word with the size (a multiple of 8,
# header included, at least 16) and two flags, USED and PREV_USED (the
# block just below is in use); free blocks end with a footer, a copy of
# the header (boundary tags). A freed block merges at once with free
# neighbours on both sides.
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

.include "allocators/seg-core.inc"

hw_block_constants              # segfit's block (seg-core.inc)

.equ SL_BITS,           5       # 32 second-level lists per class
.equ SL_COUNT,          32
.equ SMALL_LIMIT,       256     # below: class 0, one exact size a list
.equ FL_COUNT,          25      # classes 0..24 (2^31 is class 24)
.equ NLISTS,            FL_COUNT * SL_COUNT

.equ GROW_GRANULE,      8       # the break moves in multiples of this

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
    dlist_push lists, \lst, \blk, \old, .Lpf_first\@
    jmp   \done
.Lpf_first\@:
    btsl  \lst, sl_map          # the list was empty ...
    shrl  $SL_BITS, \lst
    btsl  \lst, fl_map          # ... so its class is not
.endm

# heap_begin: the prologue word; current_break: past the epilogue.
heap_bounds

data_word top                   # top block, or the epilogue if it is empty
data_word dv                    # the designated remainder, 0 if none

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

hw_layout                       # segfit's memkit_layout (seg-core.inc)

.section .text

# allocate_init (seg-core.inc): an empty heap at the aligned break; top
# names heap_begin + 4, where the first block will go. The first
# allocate grows it.
define_allocate_init top

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
    dlist_unlink %eax, %ecx, %edx, .Ldt_head, .Ldt_done
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
fn_begin grow_top, %ebx
    hw_least_break .Lgt_fail    # %ecx = the least break
    movl  heap_begin, %edx
    subl  %edx, %ecx            # as heap bytes
    addl  $GROW_GRANULE - 1, %ecx
    jc    .Lgt_fail
    andl  $-GROW_GRANULE, %ecx  # rounded up to the granule
    addl  %edx, %ecx            # the new break
    jc    .Lgt_fail
    movl  %ecx, %ebx
    move_break .Lgt_fail
    hw_grow_end                 # top, epilogue (prologue); 1, or 0

# carve (seg-core.inc): the block at %eax becomes a used block of %ecx
# bytes, the rest up to the epilogue the new top. (allocate does the same
# in line; reallocate calls it.)
define_carve

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
.globl allocate
fn_begin allocate, %ebx, %esi, %edi

    hw_block_size ARG_SIZE(%ebp), %esi, .Lalloc_fail
    cmpl  $SMALL_LIMIT, %esi
    jae   .Lalloc_large

    # 1. Small: the exact list's head is exactly the size wanted, so it
    # is popped without the general detach and split.
    movl  %esi, %edx
    shrl  $3, %edx              # its list (class 0)
    movl  lists(,%edx,4), %eax
    testl %eax, %eax
    jz    .Lalloc_small_miss
    hw_take_exact lists
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
    hw_split %ebx, .Lalloc_whole  # %edi = the rest, free
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
    hw_give_whole %ebx

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
    # remainder, so every request ends up here: hw_top_fits knows
    # whether there is a heap.
    hw_top_fits .Lalloc_carve, .Lalloc_fail
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

    hw_payload_return

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
.globl deallocate
fn_begin deallocate, %ebx, %esi, %edi

    hw_free_begin %ebx, .Lfree_up
    cmpl  dv, %esi              # the remainder grows down: it stays one
    je    .Lfree_up
    movl  %esi, %eax
    call  detach

.Lfree_up:
    hw_free_above %ebx
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
    hw_free_tags %ebx
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
    hw_free_to_top              # and deallocate's way out

# reallocate (seg-core.inc): in place when it can be, else move. The
# free block above (on a list, or the designated remainder) leaves where
# it waits by detach.
.macro UNLIST blk
    movl  \blk, %eax
    call  detach
.endm
define_hw_reallocate

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
#   1 .. 10  as in segfit (seg-core.inc lists them); 8 is a bit of
#      sl_map that disagrees with its list, or of fl_map with its class
#  11  the designated remainder is no free block of the heap, or the top
#
# Inputs:   none
# Output:   %eax  0 or the failure's number
# Clobbers: %ecx, %edx
.equ HC_END,    -24             # the epilogue's address
.equ HC_TOTAL,  -28             # blocks the list pass marked
.equ HC_DVSEEN, -32             # 1 once the walk met the remainder

hc_begin 20, HC_DVSEEN
    hw_check_empty .Lhc_nonempty
    jne   .Lhc_err1
    cmpl  $0, dv                # and there is nothing to remain
    jne   .Lhc_err11
    jmp   .Lhc_return
.Lhc_nonempty:
    hw_check_bounds
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
    hc_lists lists, sl_map
    hw_check_node list_of
    hc_lists_next NLISTS

    # ---- the heap, block by block
    hw_walk
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
    hw_walk_top_ends
    hw_walk_listed
.Lhc_used:
    cmpl  dv, %esi              # the remainder is never in use
    je    .Lhc_err11
    movl  $1, %edi
    hw_walk_end
    cmpl  $0, dv                # a remainder the walk never met
    je    .Lhc_clean
    cmpl  $0, HC_DVSEEN(%ebp)
    je    .Lhc_err11
    jmp   .Lhc_clean

    hc_codes .Lhc_return, 1     # nothing marked yet
    hc_codes .Lhc_clean, 2, 3, 4, 5, 6, 7, 8, 9, 10
.Lhc_err11:
    movl  $11, HC_ERR(%ebp)
    hc_clean lists, NLISTS, b, hw_unmark
    hc_end

.section .note.GNU-stack,"",@progbits
