/* layoutwalk.c — the generic heap walk (see layoutwalk.h). */
#include "rt.h"
#include "layoutwalk.h"

extern const struct memkit_layout memkit_layout __attribute__((weak));

static const struct memkit_layout book = MEMKIT_LAYOUT_BOOK;

const struct memkit_layout *lw_layout(void)
{
    return &memkit_layout ? &memkit_layout : &book;
}

/* Block size from the size word, or 0 when it cannot be one. All sums
 * are checked against room (bytes left before the end), so a huge size
 * word cannot wrap around. */
static unsigned block_size(const struct memkit_layout *l, unsigned word,
                           unsigned room)
{
    unsigned v = word & l->size_mask, over = l->header + l->footer;

    switch (l->size_kind) {
    case SIZE_PAYLOAD:
        if (v > room || over > room - v)
            return 0;
        return v + over;
    case SIZE_BLOCK:
        return v;
    case SIZE_LOG2:
        return v < 32 ? 1u << v : 0;
    }
    return 0;
}

const char *lw_walk(const struct memkit_layout *l, unsigned begin,
                    unsigned end, void (*fn)(const struct lw_block *, void *),
                    void *arg, unsigned *stop_at)
{
    unsigned at, last, need;

    *stop_at = begin;
    if (l->magic != MEMKIT_LAYOUT_MAGIC)
        return "memkit_layout has the wrong magic";
    if (l->kind != 0)
        return "memkit_layout kind is not 0 (blocks back to back)";
    if (!begin)
        return "not initialised";
    if (end == begin)
        return 0;       /* empty: an allocator may lay its prologue and
                           epilogue down with its first block */
    if (end < begin || l->first > end - begin ||
        l->tail > end - begin - l->first)
        return "current_break is below the first block";
    last = end - l->tail;
    need = l->size_off + 4 > l->state_off + 4 ? l->size_off + 4
                                              : l->state_off + 4;
    if (need < l->header)
        need = l->header;
    for (at = begin + l->first; at < last; ) {
        struct lw_block b;
        unsigned room = last - at, state;

        *stop_at = at;
        if (room < need)
            return "header runs past the break";
        b.size = block_size(l, *(const unsigned *)(at + l->size_off), room);
        if (b.size < l->header + l->footer || b.size == 0)
            return "size is smaller than a header";
        if (b.size > room)
            return "size runs past the break";
        state = *(const unsigned *)(at + l->state_off) & l->state_mask;
        if (state == l->state_free)
            b.free = 1;
        else if (state == l->state_used)
            b.free = 0;
        else
            return "state is neither free nor used";
        b.start = at;
        b.header = l->header;
        b.footer = l->footer;
        fn(&b, arg);
        at += b.size;
    }
    *stop_at = last;
    return 0;
}
