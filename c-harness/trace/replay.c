/* replay.c — the trace's calls alone, for make bench (replay.h): the
 * instructions of the calls (bench_replay) and the pages held
 * (footprint_trace), the same for every allocator, the kit's and the C
 * libraries'.
 */
#include "rt.h"
#include "footprint.h"
#include "trace/out.h"
#include "trace/parse.h"
#include "trace/check.h"
#include "trace/replay.h"

/* ----------------------------------------------------------- bench
 *
 * make bench (tools/bench-all.sh) counts, with callgrind's
 * --toggle-collect=bench_replay, the instructions of the trace's calls
 * and nothing else: no pattern, no overlap search, no heap_check. The
 * loop around the calls costs the same few instructions for every
 * allocator. An allocator without reallocate pays for allocate, the copy
 * and deallocate, as a C program without realloc would. Built against
 * the C library (c-harness/glibc-shim.c, MEMKIT_HOSTED), the loop calls
 * malloc, realloc and free themselves (no wrapper, no PLT stub: the
 * shim's pointers to them), so only their instructions are counted. The
 * checked replay (trace/check.c) is what shows the allocator correct; this one
 * stops only at a NULL, loudly.
 */
#ifdef MEMKIT_HOSTED
/* The C library's (or a peer's) functions themselves, found by the shim
 * with dlsym in allocate_init: a call through the program's PLT would
 * count the stub's jump, and the loader's lazy binding on a first call,
 * as the allocator's. */
extern void *(*memkit_malloc)(__SIZE_TYPE__ n);
extern void *(*memkit_realloc)(void *p, __SIZE_TYPE__ n);
extern void  (*memkit_free)(void *p);
#define BENCH_ALLOC(n)          memkit_malloc(n)
#define BENCH_FREE(p)           memkit_free(p)
#define BENCH_REALLOC(p, n)     memkit_realloc((p), (n))
#define HAVE_REALLOC            1
#else
#define BENCH_ALLOC(n)          allocate(n)
#define BENCH_FREE(p)           deallocate(p)
#define BENCH_REALLOC(p, n)     reallocate((p), (n))
#define HAVE_REALLOC            (reallocate != 0)
#endif

/* realloc for an allocator without one: allocate, copy what is kept,
 * deallocate, as a C program without realloc would. Inlined: bench_replay
 * is counted as one function. */
static inline __attribute__((always_inline)) void *
realloc_by_hand(void *old, unsigned old_size, unsigned new_size)
{
    unsigned keep = old_size < new_size ? old_size : new_size;
    void *p = BENCH_ALLOC(new_size);
    if (p) {
        memcpy(p, old, keep);
        BENCH_FREE(old);
    }
    return p;
}

/* Returns 0, or the number of the operation that got NULL.
 *
 * Aligned so that its code never straddles a page: qemu's plugin counts
 * an instruction that crosses a page boundary twice (seen: glibc-fair's
 * count one higher when the link put `mov $ops+4,%ebp` across one), and
 * where the function lands must not change what tools/icount says. 1024
 * is enough while it is shorter than that (about 700 bytes now). */
__attribute__((noinline, aligned(1024))) unsigned bench_replay(void)
{
    unsigned k;

    for (k = 0; k < n_ops; k++) {
        const struct op *o = &ops[k];
        void *p, *old = (void *)addr[o->id];

        switch (o->kind) {
        case OP_A:
            p = BENCH_ALLOC(o->size);
            break;
        case OP_F:
            BENCH_FREE(old);
            p = 0;
            break;
        default:
            if (HAVE_REALLOC) {
                p = BENCH_REALLOC(old, o->size);
            } else if (old && !o->size) {   /* realloc(p, 0): free(p) */
                BENCH_FREE(old);
                p = 0;
            } else {
                p = realloc_by_hand(old, size[o->id], o->size);
            }
            size[o->id] = o->size;
            break;
        }
        if (o->kind != OP_F && !p && !(o->kind == OP_R && old && !o->size))
            return k + 1;
        addr[o->id] = (unsigned)p;
        if (o->kind == OP_A)
            size[o->id] = o->size;
    }
    return 0;
}

int bench_trace(void)
{
    unsigned bad;

    allocate_init();
    if (!heap_begin) {
        put_str(2, "trace-driver: heap_begin is still 0 after "
                   "allocate_init\n");
        return 1;
    }
    bad = bench_replay();
    if (bad) {
        put_str(2, "trace-driver: --bench: op ");
        put_udec(2, bad);
        put_str(2, " of ");
        put_str(2, trace_name);
        put_str(2, " got NULL\n");
        return 1;
    }
    os("bench: ");
    ou(n_ops);
    os(" ops replayed\n");
    oflush();
    return 0;
}

/* ------------------------------------------------------- footprint
 *
 * make bench's one measure of memory for every allocator, the kit's (brk)
 * and the C libraries' (brk and mmap) alike: the peak number of pages the
 * process holds (c-harness/footprint.h: resident anonymous pages, less
 * the driver's own arrays and stack) over the trace, less those it held
 * before allocate_init. Every payload is written in full, as a program
 * writes the memory it asks for: a page the allocator took but nobody
 * touched is not held.
 *
 * Holding only grows inside allocate and reallocate and only shrinks
 * inside deallocate and reallocate, so its peak is seen by a measure
 * before each run of deallocates or reallocates (after the last op of
 * each run of allocates), after every reallocate and after the last op.
 * An allocator that gives memory back inside allocate (a trim on the way)
 * could hold more in the middle of a run than at its end: not measured.
 */
static unsigned fp_base, fp_peak;

static int fp_sample(void)
{
    unsigned n;
    if (fp_resident(&n))
        return -1;
    if (n > fp_base && n - fp_base > fp_peak)
        fp_peak = n - fp_base;
    return 0;
}

int footprint_trace(void)
{
    unsigned k, pages;

    if (fp_resident(&fp_base)) {
        put_str(2, "trace-driver: --footprint: cannot read "
                   "/proc/self/maps or mincore failed\n");
        return 1;
    }
    fp_peak = 0;
    allocate_init();
    if (!heap_begin) {
        put_str(2, "trace-driver: heap_begin is still 0 after "
                   "allocate_init\n");
        return 1;
    }
    for (k = 0; k < n_ops; k++) {
        const struct op *o = &ops[k];
        void *p = 0, *old = (void *)addr[o->id];

        switch (o->kind) {
        case OP_A:
            p = BENCH_ALLOC(o->size);
            break;
        case OP_F:
            BENCH_FREE(old);
            break;
        default:
            if (HAVE_REALLOC) {
                p = BENCH_REALLOC(old, o->size);
            } else {
                p = realloc_by_hand(old, size[o->id], o->size);
            }
            break;
        }
        if (o->kind != OP_F) {
            if (!p) {
                put_str(2, "trace-driver: --footprint: op ");
                put_udec(2, k + 1);
                put_str(2, " of ");
                put_str(2, trace_name);
                put_str(2, " got NULL\n");
                return 1;
            }
            memset(p, 0xa5, o->size);
            addr[o->id] = (unsigned)p;
            size[o->id] = o->size;
        }
        if ((o->kind == OP_R || k + 1 == n_ops || ops[k + 1].kind != OP_A)
            && fp_sample()) {
            put_str(2, "trace-driver: --footprint: the measure failed "
                       "after op ");
            put_udec(2, k + 1);
            put_str(2, "\n");
            return 1;
        }
    }
    pages = fp_peak;
    os("footprint: ");
    ou(n_ops);
    os(" ops, peak payload ");
    ou(trace_peak);
    os(", peak held ");
    ou(pages * FP_PAGE);
    os(" (");
    ou(pages);
    os(pages == 1 ? " page; " : " pages; ");
    ou(fp_base);
    os(" before allocate_init), util ");
    if (pages) {
        o_tenths(tenths_pct(trace_peak, pages * FP_PAGE));
        os("%\n");
    } else {
        os("-\n");
    }
    oflush();
    return 0;
}
