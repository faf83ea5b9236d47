/* layout.h — what an allocator tells the kit about itself.
 *
 * Every allocator the kit can build (ALLOC=, tools/alloc-resolve) has the
 * book's ABI: allocate_init, allocate, deallocate (cdecl) and the two words
 * heap_begin and current_break, the heap being [heap_begin, current_break).
 * Beyond that, an allocator may export, all optional:
 *
 *   const char memkit_props[];        which promises it makes (below)
 *   const struct memkit_layout memkit_layout;  how its blocks are laid out
 *   void *reallocate(void *p, unsigned size);  realloc, same ABI
 *   int   heap_check(void);           0 when its heap is consistent
 *
 * The harness declares them weak, so a missing one reads as 0 and the kit
 * falls back to the reference's behaviour: the book's promises and the
 * book's header.
 *
 * memkit_props is one declaration read by every check (alloc-test, the
 * trace driver, the heap tools): a NUL-terminated list of property names
 * separated by spaces, e.g. in the allocator's .s file
 *
 *     .section .rodata
 *     .globl memkit_props
 *     memkit_props: .asciz "first-fit book-header splits"
 *
 * An allocator that does not export it is taken to declare
 * MEMKIT_PROPS_DEFAULT, the reference's promises. A name the kit does not
 * know is an error (a typo must not switch a check off). The names, what
 * each promises and the cases that check it: c-harness/contract/cases.c
 * (the table in docs/allocator.md).
 */
#ifndef MEMKIT_LAYOUT_H
#define MEMKIT_LAYOUT_H

#define MEMKIT_PROPS_DEFAULT "first-fit book-header"

/* How the heap tools walk an allocator's heap: blocks back to back from
 * heap_begin + first up to current_break - tail, each a header, a payload
 * and an optional footer. The size word and the state word may be the
 * same word (size in the high bits, state in the low ones).
 *
 *   block start                      payload (what allocate returned)
 *   |                                |
 *   v                                v
 *   +--------------------------------+---------------------+--------+
 *   | header (size word, state word) | payload             | footer |
 *   +--------------------------------+---------------------+--------+
 *   <------------ header -----------> <---- payload ------> <footer>
 *
 * A missing memkit_layout means MEMKIT_LAYOUT_BOOK: the book's 8-byte
 * header, state word at +0 (1 free, 0 used), payload size at +4.
 */
#define MEMKIT_LAYOUT_MAGIC 0x314c4b4du /* "MKL1" in memory */

enum memkit_size_kind {
    SIZE_PAYLOAD = 0,   /* the word holds the payload bytes */
    SIZE_BLOCK   = 1,   /* the word holds header + payload + footer */
    SIZE_LOG2    = 2,   /* the block is (1 << word) bytes (buddy) */
};

struct memkit_layout {
    unsigned magic;         /* MEMKIT_LAYOUT_MAGIC */
    unsigned kind;          /* 0: blocks back to back (the only kind yet) */
    unsigned first;         /* heap_begin to the first block (prologue) */
    unsigned tail;          /* bytes below current_break in no block */
    unsigned header;        /* block start to payload */
    unsigned footer;        /* bytes after the payload, in the block */
    unsigned size_off;      /* offset of the size word in the block */
    unsigned size_mask;     /* bits of it that hold the size */
    unsigned size_kind;     /* enum memkit_size_kind */
    unsigned state_off;     /* offset of the state word in the block */
    unsigned state_mask;    /* bits of it that hold the state */
    unsigned state_free;    /* (word & state_mask) == state_free: free */
    unsigned state_used;    /* == state_used: in use; else corrupt */
};

_Static_assert(sizeof(struct memkit_layout) == 13 * 4,
               "memkit_layout is 13 words; allocators lay it out in .long");

#define MEMKIT_LAYOUT_BOOK { MEMKIT_LAYOUT_MAGIC, 0, 0, 0, 8, 0, \
                             4, 0xffffffffu, SIZE_PAYLOAD, \
                             0, 0xffffffffu, 1, 0 }

#endif
