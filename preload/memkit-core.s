# memkit-core.s — the block manager of libmemkit.so (docs/preload.md).
#
#   void     mk_lock(void);                  spin lock around every call
#   void     mk_unlock(void);
#   void    *mk_malloc(unsigned size);       16-byte aligned, or 0
#   void    *mk_memalign(unsigned align, unsigned size);  align: 2^k
#   int      mk_check(const void *p);        MK_HEAP, MK_MAPPED, or error
#   void     mk_free(void *p);               p checked by mk_check first
#   void    *mk_resize(void *p, unsigned size);  no copy, or 0
#   unsigned mk_usable(const void *p);
#
# Design: segregated fit. Blocks carry a 4-byte header (size and flags);
# a free block repeats its size in a footer (boundary tag), so free()
# finds both neighbours in constant time and merges with them. Free blocks
# sit in doubly linked lists, one per size class (class k holds sizes in
# [2^(k+4), 2^(k+5))); a bitmap says which lists are non-empty, so the
# search for a bigger class is one `bsf`. Requests of MMAP_THRESHOLD bytes
# and more get their own mmap and go back with munmap.
#
# The heap never moves the program break. The break is shared with the
# C library, the loader and the program itself, and glibc's sbrk keeps its
# own copy of it: a program that calls sbrk after the heap had moved the
# break would set it back below the heap and unmap live blocks. So the
# heap takes its memory from mmap, in regions of at least CHUNK bytes,
# asking each time for the address next to the last region so that it
# usually just grows (see grow). Regions are never returned.
#
# Position-independent: the only data, mk_state, is reached @GOTOFF from
# the GOT address computed from the pc (see STATE). Every symbol is hidden,
# so calls inside the library are direct: no text relocations.
#
# Callers hold the lock (mk_lock) around every call but mk_lock itself.

.equ SYS_MUNMAP,        91
.equ SYS_SCHED_YIELD,   158
.equ SYS_MMAP2,         192
.equ SYS_MREMAP,        163
.equ MREMAP_MAYMOVE,    1
.equ LINUX_SYSCALL,     0x80

.equ PROT_RW,           3       # PROT_READ | PROT_WRITE
.equ MAP_PRIV_ANON,     0x22    # MAP_PRIVATE | MAP_ANONYMOUS

# Block layout (header address h; payload h+4 is 16-byte aligned):
#
#   used block                        free block
#   +--------+----------------+       +--------+------+------+---+--------+
#   | header | payload        |       | header | next | prev |...| footer |
#   +--------+----------------+       +--------+------+------+---+--------+
#   h        h+4         h+size       h        h+4    h+8      h+size-4
#
# header = size | flags. size is a multiple of 16, at least MIN_BLOCK.
# The last block of a region is followed by an epilogue header: size 0,
# ALLOC_BIT set, so no merge ever runs past the end of a region.
.equ ALLOC_BIT,         1       # this block is in use
.equ PREV_ALLOC_BIT,    2       # the block before is in use (no footer)
.equ MAPPED_BIT,        4       # the block has its own mmap
.equ FREED_BIT,         8       # a used block the program freed, held
                                # back by memkit.c's quarantine
.equ FLAG_MASK,         15
.equ HDR,               4       # header bytes in front of a payload
.equ NEXT_OFF,          4       # free-list links, in the payload
.equ PREV_OFF,          8
.equ MIN_BLOCK,         16      # header + two links + footer
.equ ALIGN_MASK,        15

# A mapped block (its own mmap of map_size bytes at map_base):
#
#   map_base                      payload (aligned as asked)
#   |                             |
#   v                             v
#   +-------------+----------+----+---------------------------+
#   | (padding)   | map_base | hdr| payload ...               |
#   +-------------+----------+----+---------------------------+
#                 p-8        p-4                map_base+map_size
#
# hdr = map_size | MAPPED_BIT | ALLOC_BIT (map_size is page-aligned).
.equ MAP_BASE_OFF,      -8
.equ PAGE_SIZE,         4096
.equ PAGE_MASK,         4095

.equ MMAP_THRESHOLD,    131072  # glibc's default M_MMAP_THRESHOLD
.equ CHUNK,             131072  # least the heap grows by
.equ MAX_REQUEST,       0x7fff0000  # larger requests fail (no wrap)

.equ NCLASSES,          28      # classes 0..27: sizes 2^4 .. 2^31+

# mk_check results (memkit.c has the same values)
.equ MK_HEAP,           0       # a used heap block
.equ MK_MAPPED,         1       # a used mapped block
.equ MK_INVALID,        2       # not a pointer this library returned
.equ MK_FREED,          3       # a heap block that is already free

# mk_state: everything the allocator knows.
.equ ST_LOCK,           0       # 0 free, 1 held
.equ ST_BITMAP,         4       # bit k: list k is non-empty
.equ ST_RBASE,          8       # the last region: its start
.equ ST_REND,           12      # and its end (0: no region yet)
.equ ST_LO,             16      # lowest region start (0: none yet)
.equ ST_HI,             20      # highest region end
.equ ST_HEADS,          24      # NCLASSES list heads (header addresses)
.equ ST_SIZE,           ST_HEADS + 4 * NCLASSES

.section .bss
.balign 64
.type mk_state, @object
.size mk_state, ST_SIZE
mk_state:
    .zero ST_SIZE

.section .text

# get_pc — file-local helper, not cdecl.
#
# Inputs:   none
# Output:   %ebx  the return address: the instruction after the call
# Clobbers: nothing else
.type get_pc, @function
get_pc:
    movl  (%esp), %ebx
    ret
.size get_pc, .-get_pc

# STATE — %ebx = &mk_state. Every entry point that touches the heap saves
# %ebx and starts with this; the internal helpers below expect it.
#
# get_pc leaves the address of the `addl` in %ebx. The assembler encodes
# $_GLOBAL_OFFSET_TABLE_ there as the distance from that very instruction
# to the GOT (R_386_GOTPC), and mk_state@GOTOFF as the distance from the
# GOT to mk_state: both fixed when the library is linked, so the code is
# the same wherever the loader maps it and needs no relocation.
.macro STATE
    call  get_pc
    addl  $_GLOBAL_OFFSET_TABLE_, %ebx
    leal  mk_state@GOTOFF(%ebx), %ebx
.endm

# CLASS reg — size (>= 16) in reg becomes its class index in reg.
.macro CLASS reg
    bsrl  \reg, \reg
    subl  $4, \reg
.endm

# void mk_lock(void);
#
# A test-and-set spin lock: `lock cmpxchg` swaps 0 for 1 atomically; a
# thread that finds 1 gives its time slice away (sched_yield) and tries
# again, so a waiting thread does not burn the holder's CPU.
#
# Inputs:   none
# Output:   none; the lock is held
# Clobbers: %eax, %ecx, %edx
.globl mk_lock
.hidden mk_lock
.type mk_lock, @function
mk_lock:
    pushl %ebp
    movl  %esp, %ebp
    pushl %ebx
    STATE
.Llock_try:
    xorl  %eax, %eax            # expect free
    movl  $1, %ecx              # and make it held
    lock cmpxchgl %ecx, ST_LOCK(%ebx)
    je    .Llock_done
    movl  $SYS_SCHED_YIELD, %eax
    int   $LINUX_SYSCALL
    jmp   .Llock_try
.Llock_done:
    popl  %ebx
    movl  %ebp, %esp
    popl  %ebp
    ret
.size mk_lock, .-mk_lock

# void mk_unlock(void);
#
# A plain store releases the lock: on x86 stores are not reordered with
# earlier loads or stores, so the heap updates are visible first.
#
# Inputs:   none
# Output:   none
# Clobbers: none
.globl mk_unlock
.hidden mk_unlock
.type mk_unlock, @function
mk_unlock:
    pushl %ebp
    movl  %esp, %ebp
    pushl %ebx
    STATE
    movl  $0, ST_LOCK(%ebx)
    popl  %ebx
    movl  %ebp, %esp
    popl  %ebp
    ret
.size mk_unlock, .-mk_unlock

# list_insert — internal. Push free block %eax onto its class list.
#
# Inputs:   %eax  header of a free block (header and footer written)
#           %ebx  &mk_state
# Output:   none
# Clobbers: %ecx, %edx
.type list_insert, @function
list_insert:
    movl  (%eax), %ecx
    andl  $~FLAG_MASK, %ecx
    CLASS %ecx                  # class
    movl  ST_HEADS(%ebx,%ecx,4), %edx   # old head
    movl  %edx, NEXT_OFF(%eax)
    movl  $0, PREV_OFF(%eax)
    testl %edx, %edx
    jz    .Lins_linked
    movl  %eax, PREV_OFF(%edx)
.Lins_linked:
    movl  %eax, ST_HEADS(%ebx,%ecx,4)
    btsl  %ecx, ST_BITMAP(%ebx) # list is non-empty
    ret
.size list_insert, .-list_insert

# list_remove — internal. Unlink free block %eax from its class list.
#
# Inputs:   %eax  header of a free block that is in its list
#           %ebx  &mk_state
# Output:   none
# Clobbers: %ecx, %edx
.type list_remove, @function
list_remove:
    pushl %esi
    movl  NEXT_OFF(%eax), %esi  # next
    movl  PREV_OFF(%eax), %edx  # prev
    testl %esi, %esi
    jz    .Lrm_next_done
    movl  %edx, PREV_OFF(%esi)  # next->prev = prev
.Lrm_next_done:
    testl %edx, %edx
    jz    .Lrm_head
    movl  %esi, NEXT_OFF(%edx)  # prev->next = next
    jmp   .Lrm_done
.Lrm_head:
    movl  (%eax), %ecx          # first in its list: the head moves on
    andl  $~FLAG_MASK, %ecx
    CLASS %ecx
    movl  %esi, ST_HEADS(%ebx,%ecx,4)
    testl %esi, %esi
    jnz   .Lrm_done
    btrl  %ecx, ST_BITMAP(%ebx) # list is now empty
.Lrm_done:
    popl  %esi
    ret
.size list_remove, .-list_remove

# place — internal. Make free block %eax (already out of its list) a used
# block of %ecx bytes; a tail of MIN_BLOCK or more becomes a free block.
#
# Inputs:   %eax  header of a free block, not in any list
#           %ecx  block size wanted (multiple of 16, <= the block's size)
#           %ebx  &mk_state
# Output:   %eax  unchanged (the header of the used block)
# Clobbers: %ecx, %edx
.type place, @function
place:
    pushl %esi
    pushl %edi
    movl  (%eax), %esi
    movl  %esi, %edi
    andl  $PREV_ALLOC_BIT, %edi # keep the neighbour's bit
    andl  $~FLAG_MASK, %esi     # block size
    subl  %ecx, %esi            # tail size
    cmpl  $MIN_BLOCK, %esi
    jb    .Lplace_whole

    orl   $ALLOC_BIT, %edi
    orl   %ecx, %edi
    movl  %edi, (%eax)          # used block of exactly %ecx bytes
    leal  (%eax,%ecx), %edx     # tail header
    leal  PREV_ALLOC_BIT(%esi), %edi
    movl  %edi, (%edx)          # tail: free, its predecessor used
    movl  %esi, -4(%edx,%esi)   # tail footer
    pushl %eax
    movl  %edx, %eax
    call  list_insert
    popl  %eax
    jmp   .Lplace_done

.Lplace_whole:
    orl   $ALLOC_BIT, (%eax)
    movl  (%eax), %ecx
    andl  $~FLAG_MASK, %ecx
    orl   $PREV_ALLOC_BIT, (%eax,%ecx)  # tell the next block
.Lplace_done:
    popl  %edi
    popl  %esi
    ret
.size place, .-place

# free_block — internal. Free heap block %eax: merge it with a free
# neighbour on either side (boundary tags), put the result in its list.
#
# The block's own header is rewritten with ALLOC_BIT clear before any
# merge, and merging never rewrites it again: a second free of the same
# pointer finds the bit clear (mk_check: MK_FREED) until the memory is
# handed out again.
#
# Inputs:   %eax  header of a used heap block
#           %ebx  &mk_state
# Output:   none
# Clobbers: %eax, %ecx, %edx
.type free_block, @function
free_block:
    pushl %esi
    pushl %edi
    movl  (%eax), %esi
    andl  $~ALLOC_BIT, %esi
    movl  %esi, (%eax)          # mark free
    movl  %esi, %edi
    andl  $PREV_ALLOC_BIT, %edi # predecessor's state
    andl  $~FLAG_MASK, %esi     # size

    # The next block: merge if free, else tell it its predecessor is free.
    leal  (%eax,%esi), %edx     # next header
    testl $ALLOC_BIT, (%edx)
    jnz   .Lfree_next_used
    pushl %eax
    movl  %edx, %eax
    call  list_remove
    movl  (%eax), %ecx
    andl  $~FLAG_MASK, %ecx
    addl  %ecx, %esi            # size with the next block
    popl  %eax
    jmp   .Lfree_prev
.Lfree_next_used:
    andl  $~PREV_ALLOC_BIT, (%edx)

.Lfree_prev:
    testl %edi, %edi
    jnz   .Lfree_write
    movl  -4(%eax), %ecx        # predecessor's footer: its size
    subl  %ecx, %eax            # predecessor's header
    addl  %ecx, %esi
    call  list_remove
    # Two free blocks are never adjacent, so the predecessor's own
    # predecessor is in use: its PREV_ALLOC_BIT is set.
    movl  $PREV_ALLOC_BIT, %edi

.Lfree_write:
    orl   %esi, %edi
    movl  %edi, (%eax)          # header of the merged block
    movl  %esi, -4(%eax,%esi)   # its footer
    call  list_insert
    popl  %edi
    popl  %esi
    ret
.size free_block, .-free_block

# find_fit — internal. A free block of at least %ecx bytes, or 0.
#
# First fit in the request's own class (its blocks may be smaller than
# the request), else the head of the first non-empty bigger class (all of
# its blocks are big enough): one `bsf` on the bitmap.
#
# Inputs:   %ecx  block size wanted (multiple of 16, >= MIN_BLOCK)
#           %ebx  &mk_state
# Output:   %eax  header of a free block (still in its list), or 0
# Clobbers: %edx
.type find_fit, @function
find_fit:
    pushl %esi
    movl  %ecx, %esi
    CLASS %esi                  # the request's class
    movl  ST_HEADS(%ebx,%esi,4), %eax
.Lfit_walk:
    testl %eax, %eax
    jz    .Lfit_bigger
    movl  (%eax), %edx
    andl  $~FLAG_MASK, %edx
    cmpl  %ecx, %edx
    jae   .Lfit_done
    movl  NEXT_OFF(%eax), %eax
    jmp   .Lfit_walk
.Lfit_bigger:
    incl  %esi                  # first bigger class
    cmpl  $NCLASSES, %esi
    jae   .Lfit_done            # none: %eax is 0
    movl  ST_BITMAP(%ebx), %edx
    pushl %ecx
    movl  %esi, %ecx
    shrl  %cl, %edx             # bits of the bigger classes, shifted down
    popl  %ecx
    bsfl  %edx, %edx            # lowest non-empty one
    jz    .Lfit_done            # no bit set: %eax is still 0
    addl  %edx, %esi
    movl  ST_HEADS(%ebx,%esi,4), %eax
.Lfit_done:
    popl  %esi
    ret
.size find_fit, .-find_fit

# do_mmap — internal. mmap2(hint, len, RW, PRIVATE|ANONYMOUS, -1, 0).
#
# The hint is only a wish (no MAP_FIXED): the kernel uses it if that
# range is free and picks another place otherwise, never clobbering an
# existing mapping.
#
# Inputs:   %eax  length (page multiple)
#           %edx  address hint, or 0 for anywhere
# Output:   %eax  address, or 0 on failure
# Clobbers: %ecx, %edx
.type do_mmap, @function
do_mmap:
    pushl %ebx
    pushl %esi
    pushl %edi
    pushl %ebp                  # mmap2's sixth argument is in %ebp
    movl  %eax, %ecx            # length
    movl  %edx, %ebx            # hint
    movl  $PROT_RW, %edx
    movl  $MAP_PRIV_ANON, %esi
    movl  $-1, %edi             # no file
    xorl  %ebp, %ebp            # offset 0
    movl  $SYS_MMAP2, %eax
    int   $LINUX_SYSCALL
    cmpl  $-4096, %eax          # -errno is in [-4095, -1]
    jbe   .Lmmap_done
    xorl  %eax, %eax
.Lmmap_done:
    popl  %ebp
    popl  %edi
    popl  %esi
    popl  %ebx
    ret
.size do_mmap, .-do_mmap

# grow — internal. Add a free block of at least %ecx bytes to the heap.
#
# The heap never moves the break: it maps regions of M bytes (M a page
# multiple, at least CHUNK) with mmap, asking for the address right after
# the last region. Three outcomes:
#
#   right after it: the region grows up. Its epilogue becomes the header
#     of a new free block of M bytes (merged with a free last block);
#   right before it: the region grows down. A new free block of M bytes
#     goes in front of its first block (merged with it if free);
#   anywhere else: a new region, laid out so payloads are 16-aligned:
#
#   B      B+12                          B+M-4      B+M
#   +------+-----------------------------+----------+
#   | pad  | free block of M-16 bytes    | epilogue |
#   +------+-----------------------------+----------+
#
# The last region is [ST_RBASE, ST_REND); older regions keep their free
# blocks in the lists.
#
# Inputs:   %ecx  block bytes needed (multiple of 16)
#           %ebx  &mk_state
# Output:   %eax  1 if the heap grew, 0 if no memory
# Clobbers: %edx (%ecx is kept: callers search again with it)
.type grow, @function
grow:
    pushl %ecx
    pushl %esi
    pushl %edi
    leal  16+PAGE_MASK(%ecx), %esi
    andl  $~PAGE_MASK, %esi     # M: the block and a region's 16 bytes
    cmpl  $CHUNK, %esi
    jae   .Lgrow_sized
    movl  $CHUNK, %esi
.Lgrow_sized:
    movl  %esi, %eax
    movl  ST_REND(%ebx), %edx   # wish: right after the last region
    call  do_mmap
    testl %eax, %eax
    jz    .Lgrow_fail
    movl  %eax, %edi            # B
    leal  (%edi,%esi), %edx     # B + M

    cmpl  $0, ST_REND(%ebx)     # no region yet
    je    .Lgrow_region
    cmpl  ST_REND(%ebx), %edi
    je    .Lgrow_up
    cmpl  ST_RBASE(%ebx), %edx
    je    .Lgrow_down

.Lgrow_region:
    movl  %edi, ST_RBASE(%ebx)
    movl  %edx, ST_REND(%ebx)
    call  widen
    leal  12(%edi), %eax        # the region's first header
    leal  -16+PREV_ALLOC_BIT+ALLOC_BIT(%esi), %ecx
    movl  %ecx, (%eax)          # used for now; nothing before it
    movl  $ALLOC_BIT, -HDR(%edx)    # epilogue
    call  free_block
    jmp   .Lgrow_ok

.Lgrow_up:
    movl  %edx, ST_REND(%ebx)
    call  widen
    leal  -HDR(%edi), %eax      # old epilogue = new block's header
    movl  (%eax), %ecx
    andl  $PREV_ALLOC_BIT, %ecx
    orl   %esi, %ecx            # size M | the last block's bit
    orl   $ALLOC_BIT, %ecx      # used for now: free_block frees it
    movl  %ecx, (%eax)
    movl  $ALLOC_BIT, -HDR(%edx)    # new epilogue
    call  free_block
    jmp   .Lgrow_ok

.Lgrow_down:
    movl  %edi, ST_RBASE(%ebx)
    call  widen
    # The new block runs from B+12 to the old first header, B+M+12: it
    # takes over the old region's 12 bytes of padding.
    leal  12(%edi), %eax
    leal  PREV_ALLOC_BIT+ALLOC_BIT(%esi), %ecx
    movl  %ecx, (%eax)          # used for now; nothing before it
    call  free_block            # clears the old first block's bit

.Lgrow_ok:
    movl  $1, %eax
    jmp   .Lgrow_done
.Lgrow_fail:
    xorl  %eax, %eax
.Lgrow_done:
    popl  %edi
    popl  %esi
    popl  %ecx
    ret
.size grow, .-grow

# widen — internal. Stretch [ST_LO, ST_HI), the range mk_check accepts
# heap pointers in, over a new mapping.
#
# Inputs:   %edi  mapping start, %edx  mapping end
#           %ebx  &mk_state
# Output:   none
# Clobbers: nothing
.type widen, @function
widen:
    cmpl  $0, ST_LO(%ebx)
    je    .Lwiden_lo
    cmpl  ST_LO(%ebx), %edi
    jae   .Lwiden_hi
.Lwiden_lo:
    movl  %edi, ST_LO(%ebx)
.Lwiden_hi:
    cmpl  ST_HI(%ebx), %edx
    jbe   .Lwiden_done
    movl  %edx, ST_HI(%ebx)
.Lwiden_done:
    ret
.size widen, .-widen

# map_block — internal. A mapped block: payload of %ecx bytes aligned to
# %edx (a power of two >= 16), in a mapping of its own.
#
# Inputs:   %ecx  payload bytes (<= MAX_REQUEST)
#           %edx  alignment
# Output:   %eax  payload, or 0
# Clobbers: %ecx, %edx
.type map_block, @function
map_block:
    pushl %esi
    pushl %edi
    movl  %edx, %edi            # alignment
    # map_size = round_page(8 + size + align): room for base, header and
    # the worst alignment padding; all terms <= 2^31, no wrap.
    leal  8+PAGE_MASK(%ecx,%edx), %esi
    andl  $~PAGE_MASK, %esi
    movl  %esi, %eax
    xorl  %edx, %edx            # anywhere
    call  do_mmap
    testl %eax, %eax
    jz    .Lmap_done
    movl  %eax, %edx            # map_base
    leal  8(%eax,%edi), %eax
    decl  %edi
    notl  %edi
    leal  -1(%eax), %eax
    andl  %edi, %eax            # payload: first aligned address > base+8
    movl  %edx, MAP_BASE_OFF(%eax)
    orl   $MAPPED_BIT+ALLOC_BIT, %esi
    movl  %esi, -HDR(%eax)
.Lmap_done:
    popl  %edi
    popl  %esi
    ret
.size map_block, .-map_block

# block_size — internal. The block size a request of %ecx bytes needs:
# header + payload rounded up to 16, at least MIN_BLOCK.
#
# Inputs:   %ecx  bytes requested (<= MAX_REQUEST)
# Output:   %ecx  block size
# Clobbers: nothing else
.type block_size, @function
block_size:
    addl  $HDR+ALIGN_MASK, %ecx
    andl  $~ALIGN_MASK, %ecx
    cmpl  $MIN_BLOCK, %ecx
    jae   .Lbs_done
    movl  $MIN_BLOCK, %ecx
.Lbs_done:
    ret
.size block_size, .-block_size

# void *mk_malloc(unsigned size);
#
# Inputs:   ARG_SIZE(%ebp)  bytes wanted (0 gets the smallest block)
# Output:   %eax  payload (16-byte aligned), or 0 if no memory
# Clobbers: %ecx, %edx
.equ ARG_SIZE, 8

.globl mk_malloc
.hidden mk_malloc
.type mk_malloc, @function
mk_malloc:
    pushl %ebp
    movl  %esp, %ebp
    pushl %ebx
    STATE
    xorl  %eax, %eax
    movl  ARG_SIZE(%ebp), %ecx
    cmpl  $MAX_REQUEST, %ecx
    ja    .Lmalloc_done         # absurd size: 0
    cmpl  $MMAP_THRESHOLD, %ecx
    jb    .Lmalloc_heap
    movl  $16, %edx
    call  map_block
    jmp   .Lmalloc_done
.Lmalloc_heap:
    call  block_size
    call  find_fit
    testl %eax, %eax
    jnz   .Lmalloc_take
    call  grow                  # keeps %ecx
    testl %eax, %eax
    jz    .Lmalloc_done
    call  find_fit              # cannot miss now
    testl %eax, %eax
    jz    .Lmalloc_done
.Lmalloc_take:
    pushl %ecx
    call  list_remove
    popl  %ecx
    call  place
    addl  $HDR, %eax            # payload
.Lmalloc_done:
    popl  %ebx
    movl  %ebp, %esp
    popl  %ebp
    ret
.size mk_malloc, .-mk_malloc

# void *mk_memalign(unsigned align, unsigned size);
#
# align must be a power of two (memkit.c checks). Up to 16, mk_malloc
# already aligns. Otherwise a heap block big enough for the size plus
# align + MIN_BLOCK is taken, the payload put on the first aligned address
# that leaves at least MIN_BLOCK in front, and the front given back as a
# free block (it merges with a free predecessor). place() then trims the
# tail.
#
# Inputs:   ARG_ALIGN(%ebp) alignment, a power of two
#           ARG_ASIZE(%ebp) bytes wanted
# Output:   %eax  payload aligned to align, or 0
# Clobbers: %ecx, %edx
.equ ARG_ALIGN, 8
.equ ARG_ASIZE, 12

.globl mk_memalign
.hidden mk_memalign
.type mk_memalign, @function
mk_memalign:
    pushl %ebp
    movl  %esp, %ebp
    pushl %ebx
    pushl %esi
    pushl %edi
    STATE
    movl  ARG_ALIGN(%ebp), %edi
    cmpl  $16, %edi
    ja    .Lma_big
    pushl ARG_ASIZE(%ebp)
    call  mk_malloc
    addl  $4, %esp
    jmp   .Lma_done

.Lma_big:
    xorl  %eax, %eax
    cmpl  $MAX_REQUEST/2, %edi  # absurd alignment: 0
    ja    .Lma_done
    movl  ARG_ASIZE(%ebp), %ecx
    cmpl  $MAX_REQUEST/2, %ecx  # absurd size: 0 (sum below cannot wrap)
    ja    .Lma_done
    leal  (%ecx,%edi), %edx
    cmpl  $MMAP_THRESHOLD, %edx
    jb    .Lma_heap
    movl  %edi, %edx
    call  map_block
    jmp   .Lma_done

.Lma_heap:
    call  block_size            # the block the payload needs
    movl  %ecx, %esi
    leal  MIN_BLOCK(%ecx,%edi), %ecx    # with room to slide
    call  find_fit
    testl %eax, %eax
    jnz   .Lma_take
    call  grow
    testl %eax, %eax
    jz    .Lma_done
    call  find_fit
    testl %eax, %eax
    jz    .Lma_done
.Lma_take:
    call  list_remove
    # Aligned payload q: the first multiple of align >= h + 4 + MIN_BLOCK,
    # unless h + 4 itself is aligned (then no front piece at all).
    leal  HDR(%eax), %edx
    leal  -1(%edi), %ecx
    testl %ecx, %edx
    jz    .Lma_place            # already aligned
    leal  HDR+MIN_BLOCK(%eax,%ecx), %edx
    notl  %ecx
    andl  %ecx, %edx            # q
    # Split: front = [h, q-4), used part from q-4. Sizes are multiples of
    # 16 because h+4 and q are.
    leal  -HDR(%edx), %edx      # new header
    movl  %edx, %ecx
    subl  %eax, %ecx            # front size (>= MIN_BLOCK)
    pushl %esi
    movl  (%eax), %esi
    andl  $~FLAG_MASK, %esi
    subl  %ecx, %esi            # rest size
    # The rest looks used while the front is freed, so free_block does
    # not try to merge it (it is in no list); it clears the rest's
    # PREV_ALLOC_BIT. place() then sets the rest's size and flags.
    orl   $ALLOC_BIT+PREV_ALLOC_BIT, %esi
    movl  %esi, (%edx)
    popl  %esi
    # The front: a used block of its own size, then freed (merging with
    # a free predecessor).
    movl  (%eax), %edi
    andl  $PREV_ALLOC_BIT, %edi
    orl   $ALLOC_BIT, %edi
    orl   %ecx, %edi
    movl  %edi, (%eax)
    pushl %edx
    call  free_block
    popl  %eax                  # the rest's header
.Lma_place:
    movl  %esi, %ecx
    call  place
    addl  $HDR, %eax
.Lma_done:
    popl  %edi
    popl  %esi
    popl  %ebx
    movl  %ebp, %esp
    popl  %ebp
    ret
.size mk_memalign, .-mk_memalign

# int mk_check(const void *p);
#
# Cheap checks that p is a payload this library handed out and has not
# taken back. Catches: misaligned pointers, pointers outside every region,
# headers that do not make sense, and a heap block already free, or freed
# and held back in memkit.c's quarantine (FREED_BIT). A pointer into the
# middle of a used block usually fails the header tests; a pointer to
# memory that was handed out again cannot be told apart (the quarantine
# keeps the last blocks freed from being handed out again at once).
#
# Inputs:   ARG_P(%ebp)  pointer (not 0)
# Output:   %eax  MK_HEAP, MK_MAPPED, MK_INVALID or MK_FREED
# Clobbers: %ecx, %edx
.equ ARG_P, 8

.globl mk_check
.hidden mk_check
.type mk_check, @function
mk_check:
    pushl %ebp
    movl  %esp, %ebp
    pushl %ebx
    pushl %esi
    STATE
    movl  ARG_P(%ebp), %esi
    movl  $MK_INVALID, %eax
    testl $ALIGN_MASK, %esi
    jnz   .Lchk_done
    cmpl  $PAGE_SIZE, %esi      # nothing of ours in the first page
    jb    .Lchk_done
    movl  -HDR(%esi), %edx      # header (a wild pointer may fault here)
    testl $MAPPED_BIT, %edx
    jnz   .Lchk_mapped

    # Heap block: inside [lo, hi), a sane size, then: in use, and the
    # next block agrees (its PREV_ALLOC_BIT); or already free.
    cmpl  ST_LO(%ebx), %esi
    jb    .Lchk_done
    cmpl  ST_HI(%ebx), %esi
    jae   .Lchk_done
    movl  %edx, %ecx
    andl  $~FLAG_MASK, %ecx     # size
    cmpl  $MIN_BLOCK, %ecx
    jb    .Lchk_done
    leal  -HDR(%esi,%ecx), %ecx # next header
    cmpl  %esi, %ecx
    jb    .Lchk_done            # wrapped
    cmpl  ST_HI(%ebx), %ecx
    jae   .Lchk_done
    testl $ALLOC_BIT, %edx
    jz    .Lchk_freed
    testl $PREV_ALLOC_BIT, (%ecx)
    jz    .Lchk_done
    testl $FREED_BIT, %edx
    jnz   .Lchk_freed
    movl  $MK_HEAP, %eax
    jmp   .Lchk_done
.Lchk_freed:
    movl  $MK_FREED, %eax
    jmp   .Lchk_done

.Lchk_mapped:
    # map_base page-aligned, below p, and p inside the mapping.
    testl $ALLOC_BIT, %edx
    jz    .Lchk_done
    movl  MAP_BASE_OFF(%esi), %ecx
    testl $PAGE_MASK, %ecx
    jnz   .Lchk_done
    cmpl  %esi, %ecx
    jae   .Lchk_done
    andl  $~PAGE_MASK, %edx     # map_size
    jz    .Lchk_done
    addl  %ecx, %edx            # end of the mapping
    jc    .Lchk_done
    cmpl  %edx, %esi
    jae   .Lchk_done
    movl  $MK_MAPPED, %eax
.Lchk_done:
    popl  %esi
    popl  %ebx
    movl  %ebp, %esp
    popl  %ebp
    ret
.size mk_check, .-mk_check

# void mk_free(void *p);
#
# p is a block mk_check called MK_HEAP or MK_MAPPED. A heap block goes
# back to the free lists, merged with its free neighbours; a mapped block
# is unmapped.
#
# Inputs:   ARG_P(%ebp)  payload
# Output:   none
# Clobbers: %eax, %ecx, %edx
.globl mk_free
.hidden mk_free
.type mk_free, @function
mk_free:
    pushl %ebp
    movl  %esp, %ebp
    pushl %ebx
    STATE
    movl  ARG_P(%ebp), %eax
    movl  -HDR(%eax), %edx
    testl $MAPPED_BIT, %edx
    jnz   .Lfree_unmap
    subl  $HDR, %eax
    call  free_block
    jmp   .Lfree_done
.Lfree_unmap:
    pushl %ebx
    movl  MAP_BASE_OFF(%eax), %ebx
    movl  %edx, %ecx
    andl  $~PAGE_MASK, %ecx     # map_size
    movl  $SYS_MUNMAP, %eax
    int   $LINUX_SYSCALL
    popl  %ebx
.Lfree_done:
    popl  %ebx
    movl  %ebp, %esp
    popl  %ebp
    ret
.size mk_free, .-mk_free

# void *mk_resize(void *p, unsigned size);
#
# Resizes p without copying when it can: a heap block shrinks (the tail
# is freed if it makes a block) or grows into a free successor; a mapped
# block keeps its mapping while the size fits in it, and grows with
# mremap otherwise (the kernel may move the pages: the result can differ
# from p). Otherwise returns 0 and p is unchanged; realloc in memkit.c
# then allocates, copies and frees.
#
# Inputs:   ARG_P(%ebp)     payload mk_check called MK_HEAP or MK_MAPPED
#           ARG_NSIZE(%ebp) new size in bytes
# Output:   %eax  the block (p, or where mremap moved it), or 0
# Clobbers: %ecx, %edx
.equ ARG_NSIZE, 12

.globl mk_resize
.hidden mk_resize
.type mk_resize, @function
mk_resize:
    pushl %ebp
    movl  %esp, %ebp
    pushl %ebx
    pushl %esi
    pushl %edi
    STATE
    movl  ARG_P(%ebp), %esi
    movl  ARG_NSIZE(%ebp), %ecx
    xorl  %eax, %eax
    cmpl  $MAX_REQUEST, %ecx
    ja    .Lrs_done
    movl  -HDR(%esi), %edx
    testl $MAPPED_BIT, %edx
    jnz   .Lrs_mapped
    cmpl  $MMAP_THRESHOLD, %ecx # big blocks belong in their own mapping
    jae   .Lrs_done
    call  block_size            # %ecx = block size wanted
    leal  -HDR(%esi), %eax      # header
    movl  %edx, %edi
    andl  $~FLAG_MASK, %edi     # current size
    cmpl  %ecx, %edi
    jae   .Lrs_shrink

    # Grow into the next block if it is free and big enough.
    leal  (%eax,%edi), %edx     # next header
    testl $ALLOC_BIT, (%edx)
    jnz   .Lrs_fail
    pushl %eax
    movl  (%edx), %eax
    andl  $~FLAG_MASK, %eax
    addl  %eax, %edi            # combined size
    popl  %eax
    cmpl  %ecx, %edi
    jb    .Lrs_fail
    pushl %eax
    pushl %ecx
    movl  %edx, %eax
    call  list_remove
    popl  %ecx
    popl  %eax
    # One free block of the combined size, not in a list, for place().
    movl  (%eax), %edx
    andl  $PREV_ALLOC_BIT, %edx
    orl   %edi, %edx
    movl  %edx, (%eax)
    call  place
    jmp   .Lrs_ok

.Lrs_shrink:
    # Keep the block; a tail of MIN_BLOCK or more is freed (and merges
    # with a free successor).
    subl  %ecx, %edi            # tail size
    cmpl  $MIN_BLOCK, %edi
    jb    .Lrs_ok
    movl  (%eax), %edx
    andl  $FLAG_MASK, %edx
    orl   %ecx, %edx
    movl  %edx, (%eax)          # shorter, still used
    leal  (%eax,%ecx), %eax     # tail header: used, predecessor used
    leal  ALLOC_BIT+PREV_ALLOC_BIT(%edi), %edx
    movl  %edx, (%eax)
    call  free_block
    jmp   .Lrs_ok

.Lrs_mapped:
    # Fits between p and the end of the mapping? Then nothing to do.
    andl  $~PAGE_MASK, %edx     # map_size
    movl  MAP_BASE_OFF(%esi), %edi
    addl  %edi, %edx
    subl  %esi, %edx            # bytes from p to the end
    cmpl  %ecx, %edx
    jae   .Lrs_ok
    # No: let the kernel grow the mapping, moving its pages if it must
    # (mremap, no copy). p keeps its offset from the mapping's start.
    subl  %edi, %esi            # offset of p in the mapping
    leal  PAGE_MASK(%esi,%ecx), %edx
    andl  $~PAGE_MASK, %edx     # new map_size
    pushl %ebx
    pushl %edx
    movl  %edi, %ebx            # old start
    movl  -HDR(%edi,%esi), %ecx
    andl  $~PAGE_MASK, %ecx     # old map_size
    pushl %esi
    movl  $MREMAP_MAYMOVE, %esi
    movl  $SYS_MREMAP, %eax
    int   $LINUX_SYSCALL
    popl  %esi
    popl  %edx
    popl  %ebx
    cmpl  $-4096, %eax
    ja    .Lrs_fail             # -errno: the old mapping is untouched
    addl  %eax, %esi            # p in the new mapping
    movl  %eax, MAP_BASE_OFF(%esi)
    orl   $MAPPED_BIT+ALLOC_BIT, %edx
    movl  %edx, -HDR(%esi)
.Lrs_ok:
    movl  %esi, %eax
    jmp   .Lrs_done
.Lrs_fail:
    xorl  %eax, %eax
.Lrs_done:
    popl  %edi
    popl  %esi
    popl  %ebx
    movl  %ebp, %esp
    popl  %ebp
    ret
.size mk_resize, .-mk_resize

# unsigned mk_usable(const void *p);
#
# Inputs:   ARG_P(%ebp)  payload mk_check called MK_HEAP or MK_MAPPED
# Output:   %eax  bytes the caller may use from p
# Clobbers: %ecx, %edx
.globl mk_usable
.hidden mk_usable
.type mk_usable, @function
mk_usable:
    pushl %ebp
    movl  %esp, %ebp
    movl  ARG_P(%ebp), %ecx
    movl  -HDR(%ecx), %eax
    testl $MAPPED_BIT, %eax
    jnz   .Lusable_mapped
    andl  $~FLAG_MASK, %eax
    subl  $HDR, %eax            # a used block has no footer
    jmp   .Lusable_done
.Lusable_mapped:
    andl  $~PAGE_MASK, %eax
    addl  MAP_BASE_OFF(%ecx), %eax
    subl  %ecx, %eax            # to the end of the mapping
.Lusable_done:
    movl  %ebp, %esp
    popl  %ebp
    ret
.size mk_usable, .-mk_usable

.section .note.GNU-stack,"",@progbits
