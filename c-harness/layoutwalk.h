/* layoutwalk.h — walk any allocator's heap through its memkit_layout.
 *
 * The trace driver's picture of the heap comes from here: the blocks from
 * heap_begin + first up to current_break - tail, decoded with the layout
 * the allocator exports (c-harness/layout.h), or the book's layout when it
 * exports none (memkit_layout is weak). The walk never reads at or past
 * the end it is given and always advances, so a corrupt heap stops it
 * with a reason instead of a loop or a fault. An empty heap (the break
 * still at heap_begin) has no blocks, even for a layout with a prologue:
 * allocators lay theirs down with the first block.
 */
#ifndef MEMKIT_LAYOUTWALK_H
#define MEMKIT_LAYOUTWALK_H

#include "layout.h"

struct lw_block {
    unsigned start;             /* block start (its header) */
    unsigned size;              /* whole block: header + payload + footer */
    unsigned header, footer;    /* bytes of each (from the layout) */
    int      free;              /* 1 free, 0 used */
};

/* The layout in force: the allocator's memkit_layout, or the book's. */
const struct memkit_layout *lw_layout(void);

/* Walks [begin + first, end - tail) and calls fn for each valid block.
 * Returns 0 when the walk reached the end, else a reason the block at
 * *stop_at is not a valid one (the walk stopped there). */
const char *lw_walk(const struct memkit_layout *l, unsigned begin,
                    unsigned end, void (*fn)(const struct lw_block *, void *),
                    void *arg, unsigned *stop_at);

#endif
