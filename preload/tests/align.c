/* align.c — alignment and the documented corner cases of every function.
 *
 * malloc and calloc: 16-byte aligned (the i386 glibc's guarantee);
 * memalign, posix_memalign, aligned_alloc: every power of two from 16 to
 * 1 MiB; valloc and pvalloc: a page. Every block is written end to end
 * and malloc_usable_size must cover the request. Then the corner cases:
 * realloc(NULL, n), realloc(p, 0), failed requests (NULL, errno ENOMEM,
 * the old block intact), posix_memalign's EINVAL, and a program that moves
 * the break itself (sbrk) between allocations.
 *
 * Output in the kit's [RUN]/[OK]/[FAIL] style; it is the same with
 * glibc's malloc and with libmemkit.so. Exit 1 if anything failed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#pragma GCC diagnostic ignored "-Walloc-size-larger-than="
#pragma GCC diagnostic ignored "-Wuse-after-free"  /* failed realloc */

static int passed, failed, ok;

static void check(int cond, const char *what, size_t a, size_t b)
{
    if (!cond && ok) {
        printf("[FAIL] %s (%zu, %zu)\n", what, a, b);
        ok = 0;
    }
}

static void begin(const char *name)
{
    printf("[RUN]\t%s\n", name);
    ok = 1;
}

static void end(const char *name)
{
    if (ok) {
        printf("[OK]\t%s\n", name);
        passed++;
    } else {
        failed++;
    }
}

/* p must be aligned to align, writable for size bytes, and usable for at
 * least size. */
static void block(void *p, size_t align, size_t size, const char *what)
{
    check(p != NULL, what, align, size);
    if (!p)
        return;
    check((uintptr_t)p % align == 0, what, align, size);
    check(malloc_usable_size(p) >= size, what, align, size);
    memset(p, 0xa5, size);
}

static const size_t sizes[] = { 0, 1, 12, 13, 16, 100, 1000, 5000, 131071,
                                131072, 300000 };
#define NSIZES (sizeof sizes / sizeof sizes[0])

int main(void)
{
    size_t i, a;
    void *p, *q;

    begin("malloc and calloc return 16-byte aligned blocks");
    for (i = 0; i < NSIZES; i++) {
        p = malloc(sizes[i]);
        block(p, 16, sizes[i], "malloc");
        q = calloc(1, sizes[i]);
        block(q, 16, sizes[i], "calloc");
        free(p);
        free(q);
    }
    end("malloc and calloc return 16-byte aligned blocks");

    begin("realloc keeps the contents and the 16-byte alignment");
    p = malloc(1);
    memset(p, 7, 1);
    for (i = 1; i < NSIZES; i++) {
        q = realloc(p, sizes[i]);
        check(q && ((unsigned char *)q)[0] == 7, "realloc keeps", i, 0);
        block(q, 16, sizes[i], "realloc");
        if (q)
            ((unsigned char *)q)[0] = 7;
        p = q;
    }
    free(p);
    end("realloc keeps the contents and the 16-byte alignment");

    begin("memalign, posix_memalign and aligned_alloc align to 16 .. 1 MiB");
    for (a = 16; a <= 1u << 20; a <<= 1)
        for (i = 0; i < NSIZES; i += 2) {
            p = memalign(a, sizes[i]);
            block(p, a, sizes[i], "memalign");
            q = NULL;
            check(posix_memalign(&q, a, sizes[i]) == 0, "posix_memalign", a,
                  sizes[i]);
            block(q, a, sizes[i], "posix_memalign");
            free(q);
            q = aligned_alloc(a, sizes[i]);
            block(q, a, sizes[i], "aligned_alloc");
            free(q);
            free(p);
        }
    end("memalign, posix_memalign and aligned_alloc align to 16 .. 1 MiB");

    begin("valloc and pvalloc return page-aligned blocks");
    for (i = 0; i < NSIZES; i++) {
        p = valloc(sizes[i]);
        block(p, 4096, sizes[i], "valloc");
        q = pvalloc(sizes[i]);
        /* pvalloc(0) rounds to 0 pages: glibc then gives a small block */
        block(q, 4096, (sizes[i] + 4095) & ~4095u, "pvalloc");
        free(p);
        free(q);
    }
    end("valloc and pvalloc return page-aligned blocks");

    begin("realloc(NULL, n) allocates and realloc(p, 0) frees, returning NULL");
    p = realloc(NULL, 40);
    block(p, 16, 40, "realloc(NULL, 40)");
    q = realloc(p, 0);
    check(q == NULL, "realloc(p, 0) is NULL", 0, 0);
    check(malloc_usable_size(NULL) == 0, "malloc_usable_size(NULL)", 0, 0);
    free(NULL);
    end("realloc(NULL, n) allocates and realloc(p, 0) frees, returning NULL");

    begin("impossible requests return NULL with errno ENOMEM");
    errno = 0;
    check(malloc(SIZE_MAX) == NULL && errno == ENOMEM, "malloc(SIZE_MAX)",
          0, 0);
    errno = 0;
    check(malloc(SIZE_MAX - 4) == NULL && errno == ENOMEM, "malloc(max-4)",
          0, 0);
    errno = 0;
    check(calloc(SIZE_MAX / 2, 3) == NULL && errno == ENOMEM, "calloc", 0, 0);
    errno = 0;
    check(memalign(64, SIZE_MAX - 10) == NULL && errno == ENOMEM,
          "memalign", 0, 0);
    p = malloc(100);
    strcpy(p, "still here");
    errno = 0;
    check(realloc(p, SIZE_MAX - 100) == NULL && errno == ENOMEM, "realloc",
          0, 0);
    check(strcmp(p, "still here") == 0, "realloc failure keeps the block",
          0, 0);
    free(p);
    end("impossible requests return NULL with errno ENOMEM");

    begin("posix_memalign refuses an alignment that is not a power of two");
    q = NULL;
    check(posix_memalign(&q, 24, 10) == EINVAL && q == NULL, "24", 0, 0);
    check(posix_memalign(&q, 2, 10) == EINVAL && q == NULL, "2", 0, 0);
    end("posix_memalign refuses an alignment that is not a power of two");

    /* glibc's sbrk keeps its own copy of the break: an allocator that
     * moved the break in between would be cut back by the next sbrk. */
    begin("blocks stay intact when the program moves the break itself");
    {
        enum { N = 400, GRAB = 4096 };
        static char *blk[N], *own[N / 100];
        int j, k, bad = 0, grabs = 0;
        for (j = 0; j < N; j++) {
            blk[j] = malloc(2000 + j);
            if (!blk[j])
                bad++;
            else
                memset(blk[j], j, 2000 + j);
            if (j % 100 == 50) {
                char *b = sbrk(GRAB);
                check(b != (char *)-1, "sbrk", j, 0);
                if (b != (char *)-1) {
                    memset(b, 0x5a, GRAB);
                    own[grabs++] = b;
                }
            }
        }
        for (j = 0; j < N; j++)
            if (blk[j]) {
                for (k = 0; k < 2000 + j; k++)
                    bad += blk[j][k] != (char)j;
                free(blk[j]);
            }
        for (j = 0; j < grabs; j++)
            for (k = 0; k < GRAB; k++)
                bad += own[j][k] != 0x5a;
        check(bad == 0, "contents after sbrk", (size_t)bad, 0);
        p = malloc(100000);
        block(p, 16, 100000, "malloc after sbrk");
        free(p);
    }
    end("blocks stay intact when the program moves the break itself");

    printf("%d passed, %d failed\n", passed, failed);
    return failed != 0;
}
