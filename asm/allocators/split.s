# split.s — the chapter's second exercise solved: a memory manager that
# splits a free block when the request leaves enough of it over.
#
#   void  allocate_init(void);
#   void *allocate(unsigned size);
#   void  deallocate(void *p);
#   extern char *heap_begin, *current_break;
#   extern const char memkit_props[];   /* "splits first-fit book-header" */
#
# Build and check it with `make ALLOC=split` (docs/exercises.md).
#
# Design: asm/alloc.s, the reference, with one change. When first fit
# finds a free block larger than the request, the reference hands out the
# whole block and the rest of it is wasted until the block is freed. Here
# the block is cut in two when the part left over can be a block of its
# own: a header of its own (8 bytes, which the chapter warns not to
# forget) plus the smallest payload (8 bytes). The front part, exactly the
# rounded request, is handed out; the back part becomes a free block
# right behind it. A smaller leftover stays inside the block handed out.
#
# Everything else is the reference's: 8-byte header, first fit, no
# coalescing, allocate returns 0 before allocate_init, the fixes of
# docs/errata.md, cdecl.

.include "linux.s"

# Block header, in front of every payload:
#
#   header                    payload (returned pointer)
#   |                         |
#   v                         v
#   +------------+------------+---------------------------+----
#   | available  | size       | size bytes                | next header
#   | 4 bytes    | 4 bytes    | (multiple of 8)           |
#   +------------+------------+---------------------------+----
#   +0           +4           +8                          +8+size
#
.equ HEADER_SIZE,       8       # bytes in front of each payload
.equ HDR_AVAIL_OFFSET,  0       # AVAILABLE or UNAVAILABLE
.equ HDR_SIZE_OFFSET,   4       # payload bytes (not counting the header)

.equ UNAVAILABLE,       0       # block is in use
.equ AVAILABLE,         1       # block may be handed out again

# Payloads are aligned to ALIGNMENT: heap_begin is aligned, the header is
# ALIGNMENT bytes, and every size is rounded up to a multiple of it, so each
# header (and so each payload) stays aligned.
.equ ALIGNMENT,         8
.equ ALIGN_MASK,        ALIGNMENT - 1
.equ MIN_BLOCK,         ALIGNMENT  # allocate(0) gets a block of this size

# A free block is split only if what is left over after the request can
# hold a header and the smallest payload:
.equ MIN_SPLIT,         HEADER_SIZE + MIN_BLOCK   # leftover bytes needed

# The promises this allocator makes, read by every check of the kit
# (c-harness/layout.h): it splits, takes the first block that fits, and
# keeps the book's header.
.section .rodata
.globl memkit_props
.type memkit_props, @object
memkit_props:
    .asciz "splits first-fit book-header"
.size memkit_props, .-memkit_props

.section .data
.balign 4                       # word variables on word boundaries

# Both are 0 until allocate_init runs; allocate checks heap_begin for that.
.globl heap_begin
.type heap_begin, @object
.size heap_begin, 4
heap_begin:
    .long 0                     # first header of the heap

.globl current_break
.type current_break, @object
.size current_break, 4
current_break:
    .long 0                     # first byte past the last block

.section .text

# void allocate_init(void);
#
# Reads the break with brk(0) and starts an empty heap there. Linux returns
# the current break, which is already the first unusable address, so it is
# used as it is (the book adds 1, see errata 1). If the break is not 8-byte
# aligned, the break is first moved up to the next multiple of 8. Calling
# it again once the heap exists changes nothing: the heap keeps its blocks.
#
# Inputs:   none
# Output:   none; heap_begin and current_break set (left 0 if brk fails)
# Clobbers: %eax
.globl allocate_init
.type allocate_init, @function
allocate_init:
    pushl %ebp
    movl  %esp, %ebp
    pushl %ebx                  # brk takes its argument in %ebx

    cmpl  $0, heap_begin        # already initialised: keep the heap
    jne   .Linit_done

    movl  $SYS_BRK, %eax
    xorl  %ebx, %ebx            # brk(0) asks for the current break
    int   $LINUX_SYSCALL

    # Round up to ALIGNMENT. An aligned break (the usual case: the kernel
    # starts it on a page) needs no second system call.
    movl  %eax, %ebx            # current break
    addl  $ALIGN_MASK, %ebx
    andl  $~ALIGN_MASK, %ebx    # aligned heap start
    cmpl  %eax, %ebx
    je    .Linit_store

    movl  $SYS_BRK, %eax
    int   $LINUX_SYSCALL        # brk(aligned start)
    cmpl  %ebx, %eax            # a refused brk returns the old break
    jne   .Linit_done           # leave the heap uninitialised

.Linit_store:
    movl  %ebx, current_break
    movl  %ebx, heap_begin

.Linit_done:
    popl  %ebx
    movl  %ebp, %esp
    popl  %ebp
    ret
.size allocate_init, .-allocate_init

# void *allocate(unsigned size);
#
# Rounds size up to a multiple of 8 (allocate(0) gets an 8-byte block, so
# every call that succeeds returns a unique pointer), then walks the heap
# for the first available block of at least that size. If the block has
# at least MIN_SPLIT bytes more than needed, it is split (below). If there
# is no such block, the break is moved to make room for one new block at
# the old break.
#
# Returns 0, leaving the heap as it was, when: allocate_init has not run;
# the rounded size or the new break would not fit in 32 bits; or the
# kernel refuses the new break (Linux then returns the old break, never 0).
#
# Invariant of the walk: %eax is the address of a header in
# [heap_begin, current_break), or current_break itself at the end.
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
    pushl %ebx                  # brk takes its argument in %ebx

    movl  heap_begin, %eax      # current header
    testl %eax, %eax            # no heap before allocate_init
    jz    .Lalloc_fail

    movl  ARG_SIZE(%ebp), %ecx  # requested size
    addl  $ALIGN_MASK, %ecx     # round up to ALIGNMENT...
    jc    .Lalloc_fail          # ...unless that passes 2^32
    andl  $~ALIGN_MASK, %ecx    # rounded size
    jnz   .Lalloc_sized
    movl  $MIN_BLOCK, %ecx      # allocate(0): smallest real block
.Lalloc_sized:
    movl  current_break, %ebx   # end of the heap

.Lalloc_loop:
    cmpl  %ebx, %eax            # reached the end: nothing fitted
    jae   .Lmove_break
    movl  HDR_SIZE_OFFSET(%eax), %edx   # size of this block
    cmpl  $UNAVAILABLE, HDR_AVAIL_OFFSET(%eax)
    je    .Lnext_block
    cmpl  %ecx, %edx            # unsigned: block size >= rounded size
    jae   .Lallocate_here
.Lnext_block:
    leal  HEADER_SIZE(%eax,%edx), %eax  # next header
    jmp   .Lalloc_loop

.Lallocate_here:
    # First fit found the block at %eax, %edx payload bytes, %ecx needed.
    # Split it when the leftover can be a block:
    #
    #   before   +--------+------------------------------------------+
    #            | hdr    | edx bytes, free                          |
    #            +--------+------------------------------------------+
    #   after    +--------+-----------------+--------+---------------+
    #            | hdr    | ecx bytes, used | hdr    | rest, free    |
    #            +--------+-----------------+--------+---------------+
    #            %eax     %eax+8            %eax+8+ecx
    #
    #   rest = edx - ecx - HEADER_SIZE
    #
    # edx >= ecx here (the compare above), so edx - ecx cannot wrap, and
    # both are multiples of 8, so the new header and its payload stay
    # aligned. The new block lies inside the old one: below current_break.
    # %ebx (the end of the heap) is not needed on this path any more.
    subl  %ecx, %edx            # leftover bytes
    cmpl  $MIN_SPLIT, %edx      # unsigned: room for header + payload?
    jb    .Ltake_whole
    subl  $HEADER_SIZE, %edx    # payload of the back part
    movl  %ecx, HDR_SIZE_OFFSET(%eax)   # front part: exactly the request
    leal  HEADER_SIZE(%eax,%ecx), %ebx  # back part's header
    movl  $AVAILABLE, HDR_AVAIL_OFFSET(%ebx)
    movl  %edx, HDR_SIZE_OFFSET(%ebx)

.Ltake_whole:
    # Split or not (too little left over: its size stays), the block at
    # %eax is handed out.
    movl  $UNAVAILABLE, HDR_AVAIL_OFFSET(%eax)
    addl  $HEADER_SIZE, %eax    # payload
    jmp   .Lalloc_done

.Lmove_break:
    # The new block goes at the old break: header at %eax, break at
    # %eax + HEADER_SIZE + size. Either addition may carry past 2^32.
    movl  %eax, %edx            # new block's header
    addl  $HEADER_SIZE, %ebx
    jc    .Lalloc_fail
    addl  %ecx, %ebx            # requested break
    jc    .Lalloc_fail

    # The kernel keeps every register but %eax, so %ecx and %edx survive.
    movl  $SYS_BRK, %eax
    int   $LINUX_SYSCALL        # %eax = the break now in effect
    # Linux answers a successful brk with exactly the requested break and
    # a refused one with the old break (never 0, never -errno), so anything
    # but the requested value is a failure.
    cmpl  %ebx, %eax
    jne   .Lalloc_fail

    movl  $UNAVAILABLE, HDR_AVAIL_OFFSET(%edx)
    movl  %ecx, HDR_SIZE_OFFSET(%edx)
    movl  %ebx, current_break   # heap ends where we asked
    leal  HEADER_SIZE(%edx), %eax       # payload
    jmp   .Lalloc_done

.Lalloc_fail:
    xorl  %eax, %eax            # no memory: NULL

.Lalloc_done:
    popl  %ebx
    movl  %ebp, %esp
    popl  %ebp
    ret
.size allocate, .-allocate

# void deallocate(void *p);
#
# Marks the block whose payload starts at p available, so a later allocate
# can hand it out again. The break never moves back. deallocate(0) does
# nothing, like free(NULL).
#
# Inputs:   ARG_PTR(%ebp)  payload address from allocate, or 0
# Output:   none
# Clobbers: %eax
.equ ARG_PTR, 8

.globl deallocate
.type deallocate, @function
deallocate:
    pushl %ebp
    movl  %esp, %ebp

    movl  ARG_PTR(%ebp), %eax   # payload
    testl %eax, %eax
    jz    .Ldealloc_done
    movl  $AVAILABLE, HDR_AVAIL_OFFSET - HEADER_SIZE(%eax)

.Ldealloc_done:
    movl  %ebp, %esp
    popl  %ebp
    ret
.size deallocate, .-deallocate

.section .note.GNU-stack,"",@progbits
