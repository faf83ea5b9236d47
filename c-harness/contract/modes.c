/* modes.c — what alloc-test does besides running cases:
 *
 *   alloc-test --demo     print the heap while three neighbours are
 *                         freed and reused (docs/allocators.md)
 *   alloc-test --bench N  the workload tools/seg-bench.sh counts
 */
#include "contract.h"

/* Prints the heap as the layout describes it, one line per block. */
static void print_heap(const char *title)
{
    put_str(1, title);
    put_char(1, '\n');
    if (tag_walk() < 0) {
        put_str(1, "  (the walk through memkit_layout failed)\n");
        return;
    }
    put_str(1, "  offset   size  state\n");
    for (unsigned i = 0; i < nblk; i++) {
        put_str(1, "  +");
        put_hex(1, blk[i].start - (uintptr_t)heap_begin, 4);
        put_udec_w(1, blk[i].size, 7);
        put_str(1, blk[i].free ? "  free\n" : "  used\n");
    }
    put_str(1, "  heap_check() = ");
    put_dec(1, heap_check());
    put_char(1, '\n');
}

/* alloc-test --demo: split and merge, step by step (docs/allocators.md
 * shows the output). */
int demo(void)
{
    void *a, *b, *c, *g, *r;
    allocate_init();
    a = A(40);
    b = A(40);
    c = A(40);
    g = A(16);
    if (!a || !b || !c || !g)
        return 1;
    print_heap("a b c = allocate(40) x 3, guard = allocate(16)");
    D(a);
    D(c);
    print_heap("deallocate(a), deallocate(c): two free blocks");
    D(b);
    print_heap("deallocate(b): merges both ways, one free block");
    r = A(16);
    print_heap(r == a ? "allocate(16) takes its front, splits off the rest"
                      : "allocate(16) takes part of it");
    return 0;
}

/* ------------------------------------------------ measuring
 *
 * alloc-test --bench N: N live blocks of 1..256 random bytes, then
 * BENCH_PAIRS times: free a random one of them and allocate a new block
 * of a random size in its place. Only seg_bench() is measured
 * (valgrind --tool=callgrind --toggle-collect=seg_bench); the cost of
 * allocate and deallocate alone is their inclusive count in it, divided
 * by BENCH_PAIRS calls each (docs/allocators-seg.md).
 */
#define BENCH_PAIRS 10000
#define BENCH_MAX   16384
static void *bench_live[BENCH_MAX];
static unsigned bench_size[BENCH_MAX];

__attribute__((noinline)) void seg_bench(unsigned n)
{
    unsigned i;
    for (i = 0; i < BENCH_PAIRS; i++) {
        unsigned k = xorshift32() % n;
        deallocate(bench_live[k]);
        bench_size[k] = 1 + xorshift32() % 256;
        bench_live[k] = allocate(bench_size[k]);
    }
}

int bench(const char *arg)
{
    unsigned n, i, live;
    if (parse_uint(arg, &n) != 0 || n < 1 || n > BENCH_MAX) {
        put_str(2, "alloc-test: --bench N takes 1..16384\n");
        return 2;
    }
    allocate_init();
    rng_state = 0x2545F491u;
    for (i = 0; i < n; i++) {
        bench_size[i] = 1 + xorshift32() % 256;
        bench_live[i] = allocate(bench_size[i]);
        if (!bench_live[i])
            return 1;
    }
    sys_getpid();                           /* marks the region in -strace */
    seg_bench(n);
    sys_getpid();
    for (i = 0, live = 0; i < n; i++) {
        if (!bench_live[i])
            return 1;
        live += bench_size[i];
    }
    put_str(1, "bench: ");
    put_udec(1, n);
    put_str(1, " live blocks, ");
    put_udec(1, BENCH_PAIRS);
    put_str(1, " deallocate + allocate pairs, live ");
    put_udec(1, live);
    put_str(1, " bytes, heap ");
    put_udec(1, cb() - hb());
    put_str(1, " bytes\n");
    return heap_check && heap_check() != 0;
}
