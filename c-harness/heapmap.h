/* heapmap.h — walk any allocator's heap and print it.
 *
 * The walk reads the blocks through the allocator's memkit_layout (see
 * layout.h; weak, so an allocator that does not export one is walked with
 * MEMKIT_LAYOUT_BOOK, the book's 8-byte header). One description serves
 * every allocator: heap-map, alloc-test and alloc-bench all walk with it.
 *
 * heap_map(fd) prints one line per block and the totals, in the format the
 * gdb `heap` command shares (docs/allocator.md shows real output):
 *
 *   heap: begin 0x080d5000  break 0x080d5068  (104 bytes, 3 blocks)
 *     offset   header      payload     size  state
 *     +0x0000  0x080d5000  0x080d5008    16  used
 *     +0x0018  0x080d5018  0x080d5020    32  free
 *     +0x0040  0x080d5040  0x080d5048    32  used
 *   totals: used 48, free 32, headers 24, largest free 32
 *
 * Before allocate_init it prints `heap: not initialised (heap_begin is 0)`.
 * A header that is not a valid block stops the walk with a line
 * `heap: corrupt header at 0x...: <reason>; stopping`; the walk never reads
 * past current_break, so it cannot loop or fault on a damaged heap.
 */
#ifndef MEMKIT_HEAPMAP_H
#define MEMKIT_HEAPMAP_H

#include "layout.h"

struct heap_stats {
    unsigned blocks;            /* valid blocks walked */
    unsigned used, free;        /* payload bytes by state */
    unsigned headers;           /* bytes in no payload: headers, footers,
                                 * the layout's first and tail bytes */
    unsigned largest_free;      /* biggest available payload */
    unsigned tiny_free;         /* free blocks with a payload under 8
                                 * bytes: too small for any request */
    const char *corrupt;        /* reason the walk stopped, or 0 */
    char *corrupt_at;           /* header address where it stopped */
};

/* One block as the walk sees it. */
struct heap_block {
    char *start;                /* first byte of the block (its header) */
    char *payload;              /* start + layout header */
    unsigned size;              /* payload bytes */
    unsigned len;               /* bytes of the whole block */
    int free;                   /* 1 free, 0 in use */
};

/* The layout the walk uses: the allocator's memkit_layout when it exports
 * one with the right magic, else the book's. heap_layout_error() says why
 * an exported one was refused (0 when it was taken or absent). */
const struct memkit_layout *heap_layout(void);
const char *heap_layout_error(void);

/* Calls fn(block, arg) for each valid block, in address order, until fn
 * returns non-zero (the walk then stops and returns that value). Returns
 * 0 at the end of the heap, -1 when a block is corrupt or the heap is not
 * initialised; stats (may be 0) gets the totals of the blocks walked. */
int heap_walk(int (*fn)(const struct heap_block *b, void *arg), void *arg,
              struct heap_stats *stats);

/* Walks the heap without printing; returns 0, or -1 if it is corrupt or
 * not initialised (stats->corrupt says which). */
int  heap_stats(struct heap_stats *stats);

void heap_map(int fd);

/* allocate_init and allocate, counting the brk system calls they make as
 * far as the caller can see them: 1 for allocate_init's brk(0) when it
 * starts the heap, plus 1 for every allocate after which current_break
 * has moved. A brk the kernel refused leaves no trace and is not counted
 * (docs/allocator.md compares the count with qemu-i386 -strace). */
extern unsigned brk_calls_seen;
void  counted_allocate_init(void);
void *counted_allocate(unsigned size);

#endif
