# bitmap.s — a chunk allocator driven by a bitmap.
#
#   void  allocate_init(void);
#   void *allocate(unsigned size);
#   void  deallocate(void *p);
#   void *reallocate(void *p, unsigned size);
#   int   heap_check(void);             0 when the heap is consistent
#   extern char *heap_begin, *current_break;
#   extern unsigned chunk_map[], chunk_count;   the index (read by tests)
#   extern const char memkit_props[];   "splits coalesces"
#   extern const struct memkit_layout memkit_layout;   c-harness/layout.h
#
# Design, after the BareMetal OS allocator in the kit's sources (which
# keeps one byte per 2 MiB page and looks for a row of free ones): the
# heap is cut into 16-byte chunks, and chunk_map holds one bit per chunk,
# 1 = in use. allocate(size) needs n = (size + 8 + 15) / 16 chunks and
# looks for the first row of n clear bits (first fit); it sets them and
# returns the row's start + 8. deallocate clears the row's bits. Free
# space needs no merging: two free rows side by side are simply a longer
# row of clear bits.
#
# The string instructions do the bulk work: `repe scasl` skips whole
# words of 32 used (0xffffffff) or 32 free (0) chunks while searching,
# and `rep stosl` sets or clears whole words while marking. They run
# forward: DF is clear on entry (cdecl) and nothing here sets it.
#
# So that the kit's heap tools (and deallocate, which must learn a
# block's length) can walk the heap, every row begins with an 8-byte
# header, used or free:
#
#   chunk c                 c+1                         c+n
#   |                       |                           |
#   v                       v                           v
#   +-----------+-----------+-------- ... --------------+----
#   | bytes     | state     | payload (16n - 8 bytes)   | next row's
#   | (16n)     | 0 used    |                           | header
#   |           | 1 free    |                           |
#   +-----------+-----------+-------- ... --------------+----
#   +0          +4          +8
#
#   chunk_map bits c .. c+n-1: all 1 for a used row, all 0 for a free one
#
# The bitmap is the index used for searching; the headers are the
# layout (memkit_layout: SIZE_BLOCK at +0, state at +4). A free row's
# header may be stale beyond its own row: allocate writes a fresh header
# after every row it takes, sized by the bitmap, so the rows always tile
# the heap. The bitmap has room for MAX_CHUNKS chunks (128 MiB of heap),
# in .bss; a request beyond that returns 0 without asking the kernel.
# The break grows by what is needed plus 1/16 of the heap, rounded up to
# GROW_CHUNKS chunks (512 bytes): few brk calls, little slack.
#
# Invariants (heap_check): current_break - heap_begin = 16 * chunk_count;
# the headers tile the heap; a used row's bits are all 1, a free row's all
# 0; no bit at or beyond chunk_count is set.

.include "allocators/seg-core.inc"

.equ CHUNK,             16      # bytes per chunk
.equ CHUNK_SHIFT,       4
.equ HDR,               8       # row header: bytes, state
.equ SIZE_OFF,          0
.equ STATE_OFF,         4
.equ USED,              0
.equ FREE,              1
.equ MAX_CHUNKS,        1 << 23 # 128 MiB of heap
.equ MAP_WORDS,         MAX_CHUNKS / 32
.equ GROW_CHUNKS,       32      # the break moves in steps of 512 bytes
.equ GROW_SHIFT,        4       # plus 1/16 of the heap

# heap_begin: chunk 0; current_break: heap_begin + 16 * chunk_count.
heap_bounds

.globl chunk_count
data_word chunk_count           # chunks in the heap

.section .bss
.balign 4
.globl chunk_map
.type chunk_map, @object
.size chunk_map, MAP_WORDS * 4
chunk_map:
    .space MAP_WORDS * 4        # bit c: chunk c is in use

.section .rodata
.globl memkit_props
.type memkit_props, @object
memkit_props:
    .asciz "splits coalesces reallocate-in-place grows-in-chunks chunk-bitmap"
.size memkit_props, .-memkit_props

# The heap tools walk the rows from heap_begin to current_break: an
# 8-byte header, the row's bytes at +0, its state at +4.
memkit_layout_record header=HDR, size_off=SIZE_OFF, state_off=STATE_OFF, state_free=FREE, state_used=USED

.section .text

# scan — the first chunk in [%esi, %edx) whose bit is not the one in the
# pattern %eax: with %eax = 0 the first used chunk, with %eax = -1 the
# first free one (internal, registers). Whole words equal to the pattern
# are skipped with repe scasl; within a word, xor with the pattern and
# bsf find the bit. Bits past chunk_count are 0, so a free chunk found
# there lies at or past the limit, which caps the answer.
#
# Inputs:   %esi  first chunk; %edx  limit; %eax  0 or -1
# Output:   %esi  that chunk, or %edx if there is none
# Clobbers: %ecx, %edi
.type scan, @function
scan:
.Lscan_loop:
    cmpl  %edx, %esi
    jae   .Lscan_limit
    testl $31, %esi
    jnz   .Lscan_bit
    movl  %edx, %ecx
    subl  %esi, %ecx
    shrl  $5, %ecx              # whole words before the limit
    jz    .Lscan_bit
    movl  %esi, %edi
    shrl  $3, %edi
    addl  $chunk_map, %edi      # the word of chunk %esi
    repe scasl                  # skip words equal to the pattern
    je    .Lscan_skipped        # all of them were
    movl  -4(%edi), %ecx
    xorl  %eax, %ecx            # bits that differ from the pattern
    bsfl  %ecx, %ecx
    subl  $chunk_map + 4, %edi
    shll  $3, %edi              # chunk of the word's bit 0
    leal  (%edi,%ecx), %esi
    jmp   .Lscan_limit
.Lscan_skipped:
    subl  $chunk_map, %edi
    shll  $3, %edi
    movl  %edi, %esi
    jmp   .Lscan_loop
.Lscan_bit:
    # Within one word: the bits from %esi up to the word's end that
    # differ from the pattern; bsf finds the first of them.
    movl  %esi, %ecx
    shrl  $5, %ecx
    movl  chunk_map(,%ecx,4), %edi
    xorl  %eax, %edi            # bits that differ from the pattern
    movl  %esi, %ecx
    shrl  %cl, %edi             # %cl = chunk mod 32: from %esi on
    testl %edi, %edi
    jz    .Lscan_word_end
    bsfl  %edi, %edi
    addl  %edi, %esi            # found (capped at the limit below)
    jmp   .Lscan_limit
.Lscan_word_end:
    addl  $32, %esi
    andl  $-32, %esi            # on to the next word
    jmp   .Lscan_loop
.Lscan_limit:
    cmpl  %edx, %esi            # a word may run past the limit
    jbe   .Lscan_done
    movl  %edx, %esi
.Lscan_done:
    ret
.size scan, .-scan

# mark — set (%eax = -1) or clear (%eax = 0) the bits of chunks %esi ..
# %esi + %ecx - 1 (internal, registers): single bits up to a word
# boundary, whole words with rep stosl, single bits after.
#
# Inputs:   %esi  first chunk; %ecx  chunks; %eax  -1 or 0
# Output:   none
# Clobbers: %ecx, %esi, %edi, %edx
.type mark, @function
mark:
.Lmark_head:
    testl %ecx, %ecx
    jz    .Lmark_done
    testl $31, %esi
    jz    .Lmark_words
    call  .Lmark_bit
    jmp   .Lmark_head
.Lmark_words:
    movl  %ecx, %edx
    andl  $31, %edx             # bits left after the words
    shrl  $5, %ecx
    movl  %esi, %edi
    shrl  $3, %edi
    addl  $chunk_map, %edi
    shll  $5, %ecx
    addl  %ecx, %esi            # chunk after the words
    shrl  $5, %ecx
    rep stosl
    movl  %edx, %ecx
.Lmark_tail:
    testl %ecx, %ecx
    jz    .Lmark_done
    call  .Lmark_bit
    jmp   .Lmark_tail
.Lmark_done:
    ret
.Lmark_bit:
    # one bit: chunk %esi, then the next chunk and one fewer to do
    testl %eax, %eax
    jz    .Lmark_clear
    btsl  %esi, chunk_map
    jmp   .Lmark_next
.Lmark_clear:
    btrl  %esi, chunk_map
.Lmark_next:
    incl  %esi
    decl  %ecx
    ret
.size mark, .-mark

# rest_header — write a free row's header at chunk %esi if that chunk is
# free and inside the heap, sized by the bitmap up to the next used chunk
# (internal, registers). Called after a row is taken, so the rows keep
# tiling the heap.
#
# Inputs:   %esi  chunk just after the row that was taken
# Output:   none
# Clobbers: %eax, %ecx, %edx, %esi, %edi
.type rest_header, @function
rest_header:
    movl  chunk_count, %edx
    cmpl  %edx, %esi
    jae   .Lrest_done           # the row ends at the break
    btl   %esi, chunk_map
    jc    .Lrest_done           # a used row's header is already there
    pushl %esi
    xorl  %eax, %eax
    call  scan                  # next used chunk, or the end
    popl  %edi                  # first free chunk
    subl  %edi, %esi            # free chunks
    shll  $CHUNK_SHIFT, %esi
    shll  $CHUNK_SHIFT, %edi
    addl  heap_begin, %edi
    movl  %esi, SIZE_OFF(%edi)
    movl  $FREE, STATE_OFF(%edi)
.Lrest_done:
    ret
.size rest_header, .-rest_header

# allocate_init (seg-core.inc): an empty heap of 0 chunks at the aligned
# break.
define_allocate_init

# void *allocate(unsigned size);
#
# First fit over the bitmap: from chunk 0, skip to a free chunk c, count
# free chunks from c; n of them: take them; a used chunk first: skip on
# from it. When the free row reaching the end of the heap is too short
# (or there is none), the break moves up so that it is long enough.
# Returns 0, nothing changed, before allocate_init, when size + 23 would
# pass 2^32, when n > MAX_CHUNKS - (chunks before the row), or when brk
# is refused.
#
# Inputs:   ARG_SIZE(%ebp)  requested payload bytes
# Output:   %eax  payload address, 8-byte aligned, or 0
# Clobbers: %ecx, %edx
.equ AL_N,    -16               # chunks needed

.globl allocate
fn_begin allocate, %ebx, %esi, %edi
    subl  $4, %esp

    cmpl  $0, heap_begin
    je    .Lalloc_fail
    movl  ARG_SIZE(%ebp), %eax
    addl  $HDR + CHUNK - 1, %eax
    jc    .Lalloc_fail
    shrl  $CHUNK_SHIFT, %eax    # chunks, at least 1
    cmpl  $MAX_CHUNKS, %eax
    ja    .Lalloc_fail
    movl  %eax, AL_N(%ebp)

    xorl  %esi, %esi            # search from chunk 0
.Lalloc_find:
    movl  chunk_count, %edx
    movl  $-1, %eax
    call  scan                  # first free chunk
    movl  %esi, %ebx            # c, the row's start
    cmpl  chunk_count, %esi
    jae   .Lalloc_grow          # none: the new row starts at the break
    movl  AL_N(%ebp), %edx
    addl  %esi, %edx            # c + n
    cmpl  chunk_count, %edx
    jbe   .Lalloc_limit
    movl  chunk_count, %edx
.Lalloc_limit:
    xorl  %eax, %eax
    call  scan                  # first used chunk before c + n
    movl  %esi, %ecx
    subl  %ebx, %ecx            # free chunks from c
    cmpl  AL_N(%ebp), %ecx
    jae   .Lalloc_take
    cmpl  chunk_count, %esi     # the row reaches the end: grow it
    jae   .Lalloc_grow
    jmp   .Lalloc_find          # on from the used chunk

.Lalloc_grow:
    movl  %ebx, %eax
    addl  AL_N(%ebp), %eax      # chunks needed in all (< 2^24)
    cmpl  $MAX_CHUNKS, %eax
    ja    .Lalloc_fail
    movl  chunk_count, %edi
    shrl  $GROW_SHIFT, %edi     # slack: 1/16 of the heap ...
    addl  %eax, %edi
    addl  $GROW_CHUNKS - 1, %edi
    andl  $-GROW_CHUNKS, %edi   # ... rounded up to a step
    cmpl  $MAX_CHUNKS, %edi
    jbe   .Lalloc_brk
    movl  %eax, %edi            # no room for the step: exactly
.Lalloc_brk:
    pushl %ebx
    movl  %edi, %ebx
    shll  $CHUNK_SHIFT, %ebx
    addl  heap_begin, %ebx      # the new break
    jc    .Lalloc_brk_fail
    move_break .Lalloc_brk_fail
    movl  %ebx, current_break
    movl  %edi, chunk_count
    popl  %ebx
    jmp   .Lalloc_take
.Lalloc_brk_fail:
    popl  %ebx
    jmp   .Lalloc_fail

.Lalloc_take:
    # %ebx: c, the first of n free chunks.
    movl  %ebx, %esi
    movl  AL_N(%ebp), %ecx
    movl  $-1, %eax
    call  mark
    movl  AL_N(%ebp), %esi
    addl  %ebx, %esi
    call  rest_header           # the rest of the free row, if any
    movl  AL_N(%ebp), %ecx
    shll  $CHUNK_SHIFT, %ecx
    movl  %ebx, %eax
    shll  $CHUNK_SHIFT, %eax
    addl  heap_begin, %eax      # the row
    movl  %ecx, SIZE_OFF(%eax)
    movl  $USED, STATE_OFF(%eax)
    addl  $HDR, %eax
    jmp   .Lalloc_done

.Lalloc_fail:
    xorl  %eax, %eax

.Lalloc_done:
    leal  -12(%ebp), %esp       # drop the local
    fn_end allocate, %ebx, %esi, %edi

# void deallocate(void *p);
#
# Clears the row's bits and marks its header free; a free row just above
# is folded into the header (the bitmap needs no merging, the walk reads
# better). deallocate(0) does nothing.
#
# Inputs:   ARG_PTR(%ebp)  payload address from allocate, or 0
# Output:   none
# Clobbers: %eax, %ecx, %edx
.globl deallocate
fn_begin deallocate, %ebx, %esi, %edi

    movl  ARG_PTR(%ebp), %ebx
    testl %ebx, %ebx
    jz    .Lfree_done
    subl  $HDR, %ebx            # the row
    movl  SIZE_OFF(%ebx), %ecx
    movl  %ebx, %esi
    subl  heap_begin, %esi
    shrl  $CHUNK_SHIFT, %esi    # its first chunk
    shrl  $CHUNK_SHIFT, %ecx    # its chunks
    xorl  %eax, %eax
    call  mark
    movl  $FREE, STATE_OFF(%ebx)
    movl  SIZE_OFF(%ebx), %ecx
    leal  (%ebx,%ecx), %edx     # the row above
    cmpl  current_break, %edx
    jae   .Lfree_done
    cmpl  $FREE, STATE_OFF(%edx)
    jne   .Lfree_done
    addl  SIZE_OFF(%edx), %ecx
    movl  %ecx, SIZE_OFF(%ebx)

.Lfree_done:
    fn_end deallocate, %ebx, %esi, %edi

# void *reallocate(void *p, unsigned size);
#
# realloc: p == 0 allocates; size == 0 frees p and returns 0. A row that
# already has the chunks is kept. A row whose following chunks are free
# for as many as it lacks grows in place (same pointer). Otherwise a new
# row is allocated, the payload copied with rep movsl, and p freed; if
# that fails, 0 is returned and p is untouched.
#
# Inputs:   RA_PTR(%ebp)   payload from allocate, or 0
#           RA_SIZE(%ebp)  new payload bytes
# Output:   %eax  the payload, or 0
# Clobbers: %ecx, %edx
.equ RA_N,   -16                # chunks needed

.globl reallocate
fn_begin reallocate, %ebx, %esi, %edi
    subl  $4, %esp

    realloc_edges %ebx, %eax, .Lra_done, .Lra_fail  # p == 0, size == 0
    addl  $HDR + CHUNK - 1, %eax
    jc    .Lra_fail
    shrl  $CHUNK_SHIFT, %eax
    cmpl  $MAX_CHUNKS, %eax
    ja    .Lra_fail
    movl  %eax, RA_N(%ebp)
    subl  $HDR, %ebx            # the row
    movl  SIZE_OFF(%ebx), %ecx
    shrl  $CHUNK_SHIFT, %ecx    # its chunks
    cmpl  %eax, %ecx
    jae   .Lra_same
    movl  %ebx, %esi
    subl  heap_begin, %esi
    shrl  $CHUNK_SHIFT, %esi
    movl  %esi, %edx
    addl  %eax, %edx            # first chunk + needed (< 2^24)
    cmpl  chunk_count, %edx
    ja    .Lra_move             # would pass the break
    addl  %ecx, %esi            # first chunk after the row
    pushl %esi
    xorl  %eax, %eax
    call  scan                  # a used chunk in the way?
    popl  %eax
    cmpl  %edx, %esi
    jb    .Lra_move
    movl  %eax, %esi            # grow: mark the extra chunks
    movl  %edx, %ecx
    subl  %eax, %ecx
    pushl %edx
    movl  $-1, %eax
    call  mark
    popl  %esi
    call  rest_header
    movl  RA_N(%ebp), %eax
    shll  $CHUNK_SHIFT, %eax
    movl  %eax, SIZE_OFF(%ebx)
.Lra_same:
    leal  HDR(%ebx), %eax
    jmp   .Lra_done

.Lra_move:
    realloc_new .Lra_done
    movl  %eax, %edi
    leal  HDR(%ebx), %esi
    movl  SIZE_OFF(%ebx), %ecx
    subl  $HDR, %ecx
    shrl  $2, %ecx              # payload words
    rep movsl                   # DF clear (cdecl)
    movl  %eax, %ebx
    realloc_free_old
    jmp   .Lra_done

.Lra_fail:
    xorl  %eax, %eax

.Lra_done:
    leal  -12(%ebp), %esp
    fn_end reallocate, %ebx, %esi, %edi

# int heap_check(void);
#
# Walks the rows by their headers and compares each with the bitmap.
# Returns the first failure:
#
#   0  consistent (also before allocate_init)
#   1  current_break is not heap_begin + 16 * chunk_count, or too large
#   2  a row header's size or state is wrong, or the rows do not tile
#   3  a row's bits disagree with its state, or a bit past the end is set
#
# Inputs:   none
# Output:   %eax  0 or the failure's number
# Clobbers: %ecx, %edx
.globl heap_check
fn_begin heap_check, %ebx, %esi, %edi

    movl  heap_begin, %ebx
    testl %ebx, %ebx
    jz    .Lhc_ok
    movl  chunk_count, %eax
    cmpl  $MAX_CHUNKS, %eax
    ja    .Lhc_err1
    shll  $CHUNK_SHIFT, %eax
    addl  %ebx, %eax
    cmpl  current_break, %eax
    jne   .Lhc_err1

.Lhc_row:
    # %ebx: a row's header
    cmpl  current_break, %ebx
    jae   .Lhc_rows_done
    movl  SIZE_OFF(%ebx), %ecx
    testl %ecx, %ecx
    jz    .Lhc_err2
    testl $CHUNK - 1, %ecx
    jnz   .Lhc_err2
    movl  current_break, %eax
    subl  %ebx, %eax
    cmpl  %eax, %ecx
    ja    .Lhc_err2
    movl  %ebx, %esi
    subl  heap_begin, %esi
    shrl  $CHUNK_SHIFT, %esi    # first chunk
    shrl  $CHUNK_SHIFT, %ecx
    leal  (%esi,%ecx), %edx     # past the row
    movl  STATE_OFF(%ebx), %eax
    cmpl  $USED, %eax
    je    .Lhc_used
    cmpl  $FREE, %eax
    jne   .Lhc_err2
    xorl  %eax, %eax            # free: no set bit in the row
    jmp   .Lhc_bits
.Lhc_used:
    movl  $-1, %eax             # used: no clear bit in the row
.Lhc_bits:
    call  scan
    cmpl  %edx, %esi
    jne   .Lhc_err3
    movl  SIZE_OFF(%ebx), %ecx
    addl  %ecx, %ebx
    jmp   .Lhc_row
.Lhc_rows_done:
    cmpl  current_break, %ebx
    jne   .Lhc_err2
    movl  chunk_count, %ecx     # bits past the last chunk, same word
    testl $31, %ecx
    jz    .Lhc_ok
    movl  %ecx, %edx
    shrl  $5, %edx
    movl  chunk_map(,%edx,4), %eax
    shrl  %cl, %eax             # %cl = count mod 32
    testl %eax, %eax
    jnz   .Lhc_err3

.Lhc_ok:
    xorl  %eax, %eax
    jmp   .Lhc_return
.Lhc_err1:
    movl  $1, %eax
    jmp   .Lhc_return
.Lhc_err2:
    movl  $2, %eax
    jmp   .Lhc_return
.Lhc_err3:
    movl  $3, %eax

.Lhc_return:
    fn_end heap_check, %ebx, %esi, %edi

.section .note.GNU-stack,"",@progbits
