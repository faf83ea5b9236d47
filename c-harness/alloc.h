/* alloc.h — the C view of asm/alloc.s (link build/obj/asm/alloc.o).
 *
 * The block header layout is fixed by the .equ constants in asm/alloc.s.
 * The constants below repeat them (the assembler's .equ names are not
 * visible to C), and the _Static_asserts tie struct block_header to these
 * constants, so the C side cannot drift from itself at compile time. A
 * change to alloc.s that is not copied here is caught at run time: the
 * "header-layout" case of alloc-test reads a real header through this
 * struct. The heap walk (heapmap.c) does not use it: it reads any
 * allocator's blocks through memkit_layout, MEMKIT_LAYOUT_BOOK in layout.h
 * describing these same offsets.
 */
#ifndef MEMKIT_ALLOC_H
#define MEMKIT_ALLOC_H

void  allocate_init(void);
void *allocate(unsigned size);
void  deallocate(void *p);

/* 0 until allocate_init runs; the heap is [heap_begin, current_break). */
extern char *heap_begin;
extern char *current_break;

/* Mirrors of asm/alloc.s */
#define HEADER_SIZE      8
#define HDR_AVAIL_OFFSET 0
#define HDR_SIZE_OFFSET  4
#define UNAVAILABLE      0
#define AVAILABLE        1
#define ALIGNMENT        8

struct block_header {
    unsigned avail;             /* AVAILABLE or UNAVAILABLE */
    unsigned size;              /* payload bytes, a multiple of ALIGNMENT */
};

_Static_assert(sizeof(struct block_header) == HEADER_SIZE,
               "header size differs from alloc.s HEADER_SIZE");
_Static_assert(__builtin_offsetof(struct block_header, avail)
               == HDR_AVAIL_OFFSET, "flag offset differs from alloc.s");
_Static_assert(__builtin_offsetof(struct block_header, size)
               == HDR_SIZE_OFFSET, "size offset differs from alloc.s");
_Static_assert(HEADER_SIZE % ALIGNMENT == 0,
               "a header must keep the payload after it aligned");

static inline struct block_header *header_of(void *payload)
{
    return (struct block_header *)((char *)payload - HEADER_SIZE);
}

#endif
