/* heapmap.c — the heap map printer (see heapmap.h). */
#include "rt.h"
#include "alloc.h"
#include "heapmap.h"

/* The allocator's description of its blocks (layout.h). Weak: an
 * allocator that does not export it leaves the address 0. */
extern const struct memkit_layout memkit_layout __attribute__((weak));

static const struct memkit_layout book_layout = MEMKIT_LAYOUT_BOOK;
static const char *layout_error;

const struct memkit_layout *heap_layout(void)
{
    const struct memkit_layout *l = &memkit_layout;

    layout_error = 0;
    if (!l)
        return &book_layout;
    if (l->magic != MEMKIT_LAYOUT_MAGIC)
        layout_error = "memkit_layout does not start with the magic word"
                       " 0x314c4b4d";
    else if (l->kind != 0)
        layout_error = "memkit_layout kind is not 0 (blocks back to back)";
    else if (l->size_kind > SIZE_LOG2)
        layout_error = "memkit_layout size_kind is not 0, 1 or 2";
    else if (l->header > 4096 || l->footer > 4096 || l->first > 4096
             || l->tail > 4096 || l->size_off + 4 > l->header + l->footer
             || l->state_off + 4 > l->header + l->footer)
        layout_error = "memkit_layout words are out of range";
    return layout_error ? &book_layout : l;
}

const char *heap_layout_error(void)
{
    heap_layout();
    return layout_error;
}

static unsigned word_at(uintptr_t h, unsigned off)
{
    return *(const unsigned *)(h + off);
}

/* Reads the block at h, which lies in [first block, end). Returns 0 when
 * it is a block that ends at or before end, else the reason it is not.
 * Addresses are compared as unsigned numbers (a heap may be larger than
 * 2 GiB, beyond what a signed pointer difference holds), and sizes are
 * checked against the room left before end, so a huge size cannot wrap
 * around and a zero-length block cannot make the walk loop. */
static const char *read_block(const struct memkit_layout *l, uintptr_t h,
                              uintptr_t end, struct heap_block *b)
{
    unsigned room = end - h, over = l->header + l->footer;
    unsigned size, state;

    if (room < over)
        return "header runs past the break";
    state = word_at(h, l->state_off) & l->state_mask;
    size = word_at(h, l->size_off) & l->size_mask;
    if (state != l->state_free && state != l->state_used)
        return l->state_free == 1 && l->state_used == 0
               ? "flag is neither 0 nor 1" : "state is neither free nor used";
    switch (l->size_kind) {
    case SIZE_PAYLOAD:
        if (size > room - over)
            return "size runs past the break";
        b->len = over + size;
        break;
    case SIZE_BLOCK:
        if (size < over || size == 0)
            return "size is smaller than a header";
        if (size > room)
            return "size runs past the break";
        b->len = size;
        break;
    default:                                /* SIZE_LOG2 */
        if (size > 31 || (1u << size) > room)
            return "size runs past the break";
        if ((1u << size) < over || (1u << size) == 0)
            return "size is smaller than a header";
        b->len = 1u << size;
        break;
    }
    /* Back-to-back blocks with 8-byte aligned payloads all have lengths
     * that are multiples of 8; any other length is an overwritten size,
     * and the next header would be read at the wrong place. */
    if (b->len % 8)
        return "size is not a multiple of 8";
    b->start = (char *)h;
    b->payload = (char *)h + l->header;
    b->size = b->len - over;
    b->free = state == l->state_free;
    return 0;
}

int heap_walk(int (*fn)(const struct heap_block *b, void *arg), void *arg,
              struct heap_stats *stats)
{
    const struct memkit_layout *l = heap_layout();
    uintptr_t hb = (uintptr_t)heap_begin, end = (uintptr_t)current_break;
    uintptr_t h;
    struct heap_stats local, *s = stats ? stats : &local;
    struct heap_block b;
    int r;

    memset(s, 0, sizeof *s);
    if (!hb) {
        s->corrupt = "not initialised";
        return -1;
    }
    if (end == hb)                  /* nothing laid down yet: no block, */
        return 0;                   /* not even a prologue */
    if (end < hb || end - hb < l->first + l->tail) {
        s->corrupt = "current_break is below heap_begin";
        s->corrupt_at = (char *)hb;
        return -1;
    }
    s->headers = l->first + l->tail;
    end -= l->tail;
    for (h = hb + l->first; h < end; h += b.len) {
        const char *why = read_block(l, h, end, &b);
        if (why) {
            s->corrupt = why;
            s->corrupt_at = (char *)h;
            return -1;
        }
        s->blocks++;
        s->headers += b.len - b.size;
        if (b.free) {
            s->free += b.size;
            if (b.size > s->largest_free)
                s->largest_free = b.size;
            if (b.size < 8)
                s->tiny_free++;
        } else {
            s->used += b.size;
        }
        if (fn && (r = fn(&b, arg)) != 0)
            return r;
    }
    return 0;
}

struct print_arg {
    int fd;
};

static int print_block(const struct heap_block *b, void *arg)
{
    int fd = ((struct print_arg *)arg)->fd;
    unsigned off = (uintptr_t)b->start - (uintptr_t)heap_begin;

    put_str(fd, "  +");
    put_hex(fd, off, 4);
    put_str(fd, "  ");
    put_hex(fd, (unsigned)b->start, 8);
    put_str(fd, "  ");
    put_hex(fd, (unsigned)b->payload, 8);
    put_str(fd, "  ");
    put_udec_w(fd, b->size, 4);
    put_str(fd, b->free ? "  free\n" : "  used\n");
    return 0;
}

int heap_stats(struct heap_stats *s)
{
    return heap_walk(0, 0, s) ? -1 : 0;
}

void heap_map(int fd)
{
    struct heap_stats s;
    struct print_arg pa;

    if (!heap_begin) {
        put_str(fd, "heap: not initialised (heap_begin is 0)\n");
        return;
    }
    if (current_break < heap_begin) {
        put_str(fd, "heap: corrupt header at ");
        put_hex(fd, (unsigned)heap_begin, 8);
        put_str(fd, ": current_break ");
        put_hex(fd, (unsigned)current_break, 8);
        put_str(fd, " is below heap_begin; stopping\n");
        return;
    }
    /* First pass counts the blocks for the title line. */
    heap_walk(0, 0, &s);
    put_str(fd, "heap: begin ");
    put_hex(fd, (unsigned)heap_begin, 8);
    put_str(fd, "  break ");
    put_hex(fd, (unsigned)current_break, 8);
    put_str(fd, "  (");
    put_udec(fd, (uintptr_t)current_break - (uintptr_t)heap_begin);
    put_str(fd, " bytes, ");
    put_udec(fd, s.blocks);
    put_str(fd, s.blocks == 1 ? " block)\n" : " blocks)\n");
    put_str(fd, "  offset   header      payload     size  state\n");

    pa.fd = fd;
    if (heap_walk(print_block, &pa, &s) < 0) {
        put_str(fd, "heap: corrupt header at ");
        put_hex(fd, (unsigned)s.corrupt_at, 8);
        put_str(fd, ": ");
        put_str(fd, s.corrupt);
        put_str(fd, "; stopping\n");
        return;
    }
    put_str(fd, "totals: used ");
    put_udec(fd, s.used);
    put_str(fd, ", free ");
    put_udec(fd, s.free);
    put_str(fd, ", headers ");
    put_udec(fd, s.headers);
    put_str(fd, ", largest free ");
    put_udec(fd, s.largest_free);
    put_char(fd, '\n');
}

/* ------------------------------------------------- counting brk calls */

unsigned brk_calls_seen;

void counted_allocate_init(void)
{
    char *before = heap_begin;
    allocate_init();
    if (!before && heap_begin)
        brk_calls_seen++;
}

void *counted_allocate(unsigned size)
{
    char *before = current_break;
    void *p = allocate(size);
    if (current_break != before)
        brk_calls_seen++;
    return p;
}
