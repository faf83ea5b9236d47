/* heapmap.c — the heap map printer (see heapmap.h). */
#include "rt.h"
#include "alloc.h"
#include "heapmap.h"

/* Checks the header at h, which lies in [heap_begin, current_break).
 * Returns 0 when it describes a block that ends at or before the break,
 * else the reason it does not. Addresses are compared as unsigned numbers
 * (a heap may be larger than 2 GiB, beyond what a signed pointer
 * difference holds), and sizes are checked against the room left before
 * the break, so a huge size cannot wrap around. */
static const char *bad_header(uintptr_t h, uintptr_t end)
{
    const struct block_header *b = (const struct block_header *)h;
    unsigned room = end - h;

    if (room < HEADER_SIZE)
        return "header runs past the break";
    if (b->avail != AVAILABLE && b->avail != UNAVAILABLE)
        return "flag is neither 0 nor 1";
    if (b->size > room - HEADER_SIZE)
        return "size runs past the break";
    return 0;
}

/* Walks the blocks; calls line() for each valid one if it is not 0. */
static int walk(struct heap_stats *s, int fd,
                void (*line)(int fd, const char *h))
{
    uintptr_t h = (uintptr_t)heap_begin, end = (uintptr_t)current_break;

    memset(s, 0, sizeof *s);
    if (!h) {
        s->corrupt = "not initialised";
        return -1;
    }
    for (; h < end; h += HEADER_SIZE + ((struct block_header *)h)->size) {
        const struct block_header *b = (const struct block_header *)h;
        const char *why = bad_header(h, end);
        if (why) {
            s->corrupt = why;
            s->corrupt_at = (char *)h;
            return -1;
        }
        s->blocks++;
        s->headers += HEADER_SIZE;
        if (b->avail == AVAILABLE) {
            s->free += b->size;
            if (b->size > s->largest_free)
                s->largest_free = b->size;
        } else {
            s->used += b->size;
        }
        if (line)
            line(fd, (const char *)h);
    }
    return 0;
}

int heap_stats(struct heap_stats *s)
{
    return walk(s, 0, 0);
}

static void print_block(int fd, const char *h)
{
    const struct block_header *b = (const struct block_header *)h;
    unsigned off = (uintptr_t)h - (uintptr_t)heap_begin;

    put_str(fd, "  +");
    put_hex(fd, off, 4);
    put_str(fd, "  ");
    put_hex(fd, (unsigned)h, 8);
    put_str(fd, "  ");
    put_hex(fd, (unsigned)h + HEADER_SIZE, 8);
    put_str(fd, "  ");
    put_udec_w(fd, b->size, 4);
    put_str(fd, b->avail == AVAILABLE ? "  free\n" : "  used\n");
}

void heap_map(int fd)
{
    struct heap_stats s;

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
    walk(&s, fd, 0);
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

    if (walk(&s, fd, print_block) < 0) {
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
