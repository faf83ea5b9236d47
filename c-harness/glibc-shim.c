/* glibc-shim.c — the C library's malloc behind the kit's allocator ABI,
 * so the same trace driver measures it (make bench, mk/bench.mk).
 *
 *   void  allocate_init(void);           mallopt(M_MMAP_MAX, 0), note sbrk(0)
 *   void *allocate(unsigned size);       malloc
 *   void  deallocate(void *p);           free
 *   void *reallocate(void *p, unsigned size);   realloc
 *   extern char *heap_begin, *current_break;
 *
 * Unlike everything else in c-harness/, this file is hosted: it is built
 * with gcc -m32 against the i386 C library (gcc-multilib), and linked with
 * the freestanding trace-driver.o compiled with MEMKIT_HOSTED.
 *
 * The driver checks that every payload lies in [heap_begin, current_break)
 * and measures the heap as the break's high-water mark, so glibc's malloc
 * is asked to take all its memory from brk: M_MMAP_MAX 0 turns off its
 * mmap of requests above 128 KiB (M_MMAP_THRESHOLD). Everything else is
 * glibc's default, its 128 KiB top pad (M_TOP_PAD) and trimming included.
 * current_break follows sbrk(0) after every call; the wrappers are not
 * what make bench counts (bench_replay calls malloc, realloc and free
 * directly).
 */
#include <malloc.h>
#include <unistd.h>

char *heap_begin;
char *current_break;

void allocate_init(void)
{
    if (heap_begin)
        return;
    mallopt(M_MMAP_MAX, 0);
    heap_begin = sbrk(0);
    current_break = heap_begin;
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
