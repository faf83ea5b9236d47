/* glibc-shim.c — a C library's malloc behind the kit's allocator ABI, so
 * the same trace driver measures it (make bench, mk/bench.mk,
 * mk/peers.mk).
 *
 *   void  allocate_init(void);           note sbrk(0) (MEMKIT_GLIBC_FAIR:
 *                                        mallopt first, see below)
 *   void *allocate(unsigned size);       malloc
 *   void  deallocate(void *p);           free
 *   void *reallocate(void *p, unsigned size);   realloc
 *   extern char *heap_begin, *current_break;
 *   extern const int memkit_heap_anywhere;      (not MEMKIT_GLIBC_FAIR)
 *   extern const int memkit_align_c;            C's alignment promise
 *
 * Unlike everything else in c-harness/, this file is hosted: it is built
 * with gcc -m32 against the i386 C library (gcc-multilib), and linked with
 * the freestanding trace driver's parts, c-harness/trace/replay.c compiled
 * with MEMKIT_HOSTED (mk/bench.mk's HOSTED_DRIVER_OBJS). malloc is
 * whichever the program is linked with: glibc's, or a Debian peer's
 * (jemalloc, mimalloc, tcmalloc) whose .so comes first on the link line
 * (mk/peers.mk). One object serves glibc's default row and every peer.
 *
 * Two builds:
 *
 *   default            the malloc as it comes, nothing tuned. It may take
 *                      memory with mmap (glibc: requests of 128 KiB and
 *                      more; the peers: all of it), outside the break's
 *                      heap, so the shim exports memkit_heap_anywhere and
 *                      the driver counts such payloads instead of failing
 *                      them (its brk-based utilization is then "-"; make
 *                      bench's footprint measure covers every row).
 *   MEMKIT_GLIBC_FAIR  glibc's malloc asked to keep no slack and to take
 *                      everything from the break: mallopt(M_TOP_PAD, 0)
 *                      (no 128 KiB pad each time the heap grows) and
 *                      mallopt(M_MMAP_MAX, 0) (no mmap). Every payload then
 *                      lies in [heap_begin, current_break), checked, and the
 *                      break's high-water is its heap, measured like the
 *                      kit's allocators (build/glibc-fair/trace-driver).
 *
 * current_break follows sbrk(0) after every call; the wrappers are not
 * what make bench counts: bench_replay calls malloc, realloc and free
 * directly, through memkit_malloc, memkit_realloc and memkit_free, the
 * functions themselves as dlsym finds them (not the program's PLT stubs,
 * whose jump, and the loader's binding on a first call, are no part of
 * the allocator). allocate_init also warms the malloc up, free(malloc(1)):
 * a malloc that sets itself up on its first call (jemalloc, glibc) does
 * so there, outside what is counted, as a kit allocator's allocate_init
 * is not counted either. Its pages still count in the footprint, which
 * is measured from before allocate_init.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <malloc.h>
#include <unistd.h>

char *heap_begin;
char *current_break;
void *(*memkit_malloc)(size_t n);
void *(*memkit_realloc)(void *p, size_t n);
void  (*memkit_free)(void *p);

#ifndef MEMKIT_GLIBC_FAIR
const int memkit_heap_anywhere = 1;
#endif
/* A C malloc promises alignment for any object that fits in the size
 * asked for, not 8 bytes for every size: mimalloc gives a 4-byte request
 * a 4-byte aligned payload on i386, as C allows. The driver checks that
 * promise (c-harness/trace/check.c, check_block). */
const int memkit_align_c = 1;

void allocate_init(void)
{
    if (heap_begin)
        return;
#ifdef MEMKIT_GLIBC_FAIR
    /* mallopt returns 0 when it refuses: then this is not the fair
     * build, and heap_begin stays 0 so the driver stops, naming it. */
    if (!mallopt(M_TOP_PAD, 0) || !mallopt(M_MMAP_MAX, 0)) {
        static const char msg[] = "glibc-shim: mallopt refused "
                                  "M_TOP_PAD 0 or M_MMAP_MAX 0\n";
        write(2, msg, sizeof msg - 1);
        return;
    }
#endif
    memkit_malloc = (void *(*)(size_t))dlsym(RTLD_DEFAULT, "malloc");
    memkit_realloc = (void *(*)(void *, size_t))dlsym(RTLD_DEFAULT, "realloc");
    memkit_free = (void (*)(void *))dlsym(RTLD_DEFAULT, "free");
    if (!memkit_malloc || !memkit_realloc || !memkit_free) {
        static const char msg[] = "glibc-shim: dlsym found no malloc, "
                                  "realloc or free\n";
        write(2, msg, sizeof msg - 1);
        return;
    }
    /* The heap starts before the warm-up's block, which is in it. */
    heap_begin = sbrk(0);
    memkit_free(memkit_malloc(1));
    current_break = sbrk(0);
}

void *allocate(unsigned size)
{
    void *p = malloc(size);
    current_break = sbrk(0);
    return p;
}

void deallocate(void *p)
{
    free(p);
    current_break = sbrk(0);
}

void *reallocate(void *p, unsigned size)
{
    void *q = realloc(p, size);
    current_break = sbrk(0);
    return q;
}
