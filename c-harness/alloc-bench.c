/* alloc-bench.c — workloads for `make bench` (tools/bench.sh).
 *
 *   build/alloc-bench search N   N used blocks, then one free block at the
 *                                end: the measured allocate walks N blocks
 *                                and reuses the free one (no brk)
 *   build/alloc-bench grow N     N used blocks: the measured allocate walks
 *                                them all and then moves the break
 *   build/alloc-bench free N     N used blocks: the measured deallocate
 *                                frees the middle one
 *   build/alloc-bench growth N   from an empty heap, N allocate(16) calls
 *                                are measured together: one brk each
 *   build/alloc-bench frag       the cost in bytes of no split and no
 *                                coalesce, on a fixed workload
 *
 * Only the work inside bench_measure() counts: tools/bench.sh runs this
 * under callgrind with --toggle-collect=bench_measure, so setting up the
 * N blocks is not in the numbers, and counts its brk calls in a trace.
 * Each run prints what it set up, so the script can check the workload
 * did what it says.
 */
#include "rt.h"
#include "alloc.h"
#include "heapmap.h"

#define BLOCK 16                /* size of every set-up block */
#define MAX_N 100000

static void *blocks[MAX_N + 1];

enum op { OP_ALLOCATE, OP_DEALLOCATE, OP_GROWTH };

/* The measured region. noinline keeps it a function callgrind can toggle
 * on; the volatile result keeps the calls from being optimised away.
 * measure() brackets it with getpid() calls, which do nothing but mark
 * the region in a system call trace (tools/bench.sh counts the brk calls
 * between the two marks in qemu-i386 -strace output). */
static volatile unsigned sink;

__attribute__((noinline)) void bench_measure(enum op op, unsigned arg)
{
    unsigned i;
    switch (op) {
    case OP_ALLOCATE:
        sink = (uintptr_t)allocate(arg);
        break;
    case OP_DEALLOCATE:
        deallocate(blocks[arg]);
        break;
    case OP_GROWTH:
        for (i = 0; i < arg; i++)
            sink = (uintptr_t)allocate(BLOCK);
        break;
    }
}

static void measure(enum op op, unsigned arg)
{
    sys_getpid();
    bench_measure(op, arg);
    sys_getpid();
}

static int setup_used(unsigned n)
{
    unsigned i;
    for (i = 0; i < n; i++) {
        blocks[i] = allocate(BLOCK);
        if (!blocks[i]) {
            put_str(2, "alloc-bench: allocate failed while setting up\n");
            return -1;
        }
    }
    return 0;
}

static void report(const char *what, unsigned n)
{
    struct heap_stats s;
    heap_stats(&s);
    put_str(1, what);
    put_str(1, ": ");
    put_udec(1, n);
    put_str(1, " used blocks before; heap now ");
    put_udec(1, s.blocks);
    put_str(1, " blocks, ");
    put_udec(1, current_break - heap_begin);
    put_str(1, " bytes\n");
}

/* ------------------------------------------------------- fragmentation
 *
 * Phase 1: 1000 blocks of random sizes 1..256. Phase 2: free every other
 * one. Phase 3: 500 requests of 257..512 bytes: none fits a freed block,
 * and freed neighbours are never merged, so the heap grows for each.
 * Phase 4: free everything, then 2000 requests of 1..32 bytes: each takes
 * the first free block, whatever its size, and keeps all of it.
 */
static uint32_t rng = 0x1234567u;

static uint32_t xorshift32(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 17;
    rng ^= rng << 5;
    return rng;
}

static void *live[2000];
static unsigned asked[2000];

static void frag_line(const char *phase, unsigned requested)
{
    struct heap_stats s;
    unsigned heap = current_break - heap_begin;
    heap_stats(&s);
    put_str(1, phase);
    put_str(1, "  requested ");
    put_udec_w(1, requested, 7);
    put_str(1, "  heap ");
    put_udec_w(1, heap, 7);
    put_str(1, "  used ");
    put_udec_w(1, s.used, 7);
    put_str(1, "  free ");
    put_udec_w(1, s.free, 7);
    put_str(1, "  headers ");
    put_udec_w(1, s.headers, 6);
    put_str(1, "  requested/heap ");
    put_udec_w(1, heap ? (requested * 100u) / heap : 0, 3);
    put_str(1, "%\n");
}

static int frag(void)
{
    unsigned i, requested = 0;

    for (i = 0; i < 1000; i++) {
        asked[i] = 1 + xorshift32() % 256;
        live[i] = allocate(asked[i]);
        if (!live[i])
            return 1;
        requested += asked[i];
    }
    frag_line("1 1000 x 1..256 bytes      ", requested);
    for (i = 0; i < 1000; i += 2) {
        deallocate(live[i]);
        requested -= asked[i];
        live[i] = 0;
    }
    frag_line("2 every other one freed    ", requested);
    for (i = 0; i < 1000; i += 2) {
        asked[i] = 257 + xorshift32() % 256;
        live[i] = allocate(asked[i]);
        if (!live[i])
            return 1;
        requested += asked[i];
    }
    frag_line("3 500 x 257..512 bytes     ", requested);
    for (i = 0; i < 1000; i++)
        deallocate(live[i]);
    requested = 0;
    for (i = 0; i < 2000; i++) {
        asked[i] = 1 + xorshift32() % 32;
        live[i] = allocate(asked[i]);
        if (!live[i])
            return 1;
        requested += asked[i];
    }
    frag_line("4 all freed, 2000 x 1..32  ", requested);
    return 0;
}

static void usage(void)
{
    put_str(2, "usage: alloc-bench search|grow|free|growth N  |  "
               "alloc-bench frag\n");
}

int main(int argc, char **argv, char **envp)
{
    unsigned n = 0;
    (void)envp;

    allocate_init();
    if (argc == 2 && strcmp(argv[1], "frag") == 0)
        return frag();
    if (argc != 3 || parse_uint(argv[2], &n) != 0 || n < 1 || n > MAX_N) {
        usage();
        return 2;
    }
    if (strcmp(argv[1], "search") == 0) {
        if (setup_used(n + 1) < 0)
            return 1;
        deallocate(blocks[n]);              /* the one free block, last */
        measure(OP_ALLOCATE, BLOCK);
        if (sink != (uintptr_t)blocks[n])
            return 1;                       /* it must be the reused one */
        report("search", n);
    } else if (strcmp(argv[1], "grow") == 0) {
        if (setup_used(n) < 0)
            return 1;
        measure(OP_ALLOCATE, BLOCK);
        if (!sink)
            return 1;
        report("grow", n);
    } else if (strcmp(argv[1], "free") == 0) {
        if (setup_used(n) < 0)
            return 1;
        measure(OP_DEALLOCATE, n / 2);
        report("free", n);
    } else if (strcmp(argv[1], "growth") == 0) {
        measure(OP_GROWTH, n);
        report("growth", 0);
    } else {
        usage();
        return 2;
    }
    return 0;
}
