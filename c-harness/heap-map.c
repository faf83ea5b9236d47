/* heap-map.c — the heap map after each step of a fixed sequence.
 *
 *   build/heap-map          run the sequence, printing the map each step
 *   build/heap-map --corrupt-flag | --corrupt-size
 *                           build three blocks, damage the second header,
 *                           print the map: the walk must stop, not fault
 *
 * The sequence shows the base allocator's behaviour the chapter describes:
 * growth with brk, first-fit reuse of a freed block, no splitting (a
 * 24-byte request keeps a whole 32-byte block), no coalescing (two
 * adjacent free blocks stay two, so a request that would fit in both
 * together grows the heap), and rounding to 8 bytes.
 * tests/heap-map.bats pins the offset/size/state columns of this output.
 */
#include "rt.h"
#include "alloc.h"
#include "heapmap.h"

static unsigned step;

static void title(const char *what)
{
    put_str(1, "\n== step ");
    put_udec(1, ++step);
    put_str(1, ": ");
    put_str(1, what);
}

/* Prints where a payload landed, relative to heap_begin like the map. */
static void *show(void *p)
{
    put_str(1, " -> ");
    if (p) {
        put_str(1, "payload +");
        put_hex(1, (uintptr_t)p - (uintptr_t)heap_begin, 4);
    } else {
        put_str(1, "0");
    }
    put_char(1, '\n');
    heap_map(1);
    return p;
}

/* Damages the middle one of three blocks the way a buffer overrun from
 * the block before it would, then prints the map. */
static int corrupt(const char *how)
{
    void *a, *b, *c;
    allocate_init();
    a = allocate(16);
    b = allocate(32);
    c = allocate(32);
    if (!a || !b || !c)
        return 1;
    if (strcmp(how, "--corrupt-flag") == 0)
        header_of(b)->avail = 0x41414141;           /* "AAAA" */
    else if (strcmp(how, "--corrupt-size") == 0)
        header_of(b)->size = 0x00100000;            /* 1 MiB: past the break */
    else {
        put_str(2, "usage: heap-map [--corrupt-flag | --corrupt-size]\n");
        return 2;
    }
    heap_map(1);
    return 0;
}

int main(int argc, char **argv, char **envp)
{
    void *a, *b, *c, *d;
    (void)envp;

    if (argc > 2) {
        put_str(2, "usage: heap-map [--corrupt-flag | --corrupt-size]\n");
        return 2;
    }
    if (argc == 2)
        return corrupt(argv[1]);

    title("before allocate_init\n");
    heap_map(1);

    title("allocate_init()\n");
    counted_allocate_init();
    heap_map(1);

    title("a = allocate(16)");
    a = show(counted_allocate(16));
    title("b = allocate(32)");
    b = show(counted_allocate(32));
    title("c = allocate(32)");
    c = show(counted_allocate(32));

    title("deallocate(b)\n");
    deallocate(b);
    heap_map(1);

    title("d = allocate(24): first fit reuses b's block, whole (no split)");
    d = show(counted_allocate(24));

    title("deallocate(a); deallocate(d)\n");
    deallocate(a);
    deallocate(d);
    heap_map(1);

    title("allocate(40): the two free neighbours are not merged, so the "
          "heap grows");
    show(counted_allocate(40));

    title("allocate(5): rounded up to 8, takes the first free block (16)");
    show(counted_allocate(5));

    (void)c;
    put_str(1, "\nbrk calls seen: ");
    put_udec(1, brk_calls_seen);
    put_str(1, " (1 by allocate_init, 1 per allocate that moved the break)\n");
    return 0;
}
