/* faults.c — the misuses libmemkit.so detects, one per run.
 *
 *   t-faults double      free the same block twice
 *   t-faults reuse       free a block, allocate the same size, free the
 *                        first pointer again
 *   t-faults misaligned  free a pointer one byte into a block
 *   t-faults static      free the address of a global array
 *   t-faults calloc      calloc(65536, 65537): the product overflows
 *   t-faults memalign    memalign(2^31, 16) and memalign(2^31 + 1, 16)
 *
 * The first four should never return: the allocator reports and aborts
 * (glibc's malloc says "free(): double free detected ..." and aborts too).
 * calloc and memalign print what they got (the same as glibc's) and exit 0.
 */
#include <errno.h>
#include <malloc.h>
/* The misuses are the point: keep gcc from warning about them. */
#pragma GCC diagnostic ignored "-Wuse-after-free"
#pragma GCC diagnostic ignored "-Wfree-nonheap-object"
#pragma GCC diagnostic ignored "-Walloc-size-larger-than="
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char global[64] __attribute__((aligned(16)));

int main(int argc, char **argv)
{
    const char *what = argc > 1 ? argv[1] : "";
    char *p = malloc(40), *q = malloc(40);

    if (!p || !q)
        return 2;
    strcpy(p, "first");
    strcpy(q, "second");
    if (!strcmp(what, "double")) {
        free(p);
        free(p);
    } else if (!strcmp(what, "reuse")) {
        char *r;
        free(p);
        r = malloc(40);
        if (!r)
            return 2;
        strcpy(r, "reused");
        free(p);
        printf("t-faults: %s, then %s\n", r == p ? "same block" : "another block", r);
    } else if (!strcmp(what, "misaligned")) {
        free(p + 1);
    } else if (!strcmp(what, "static")) {
        free(global);
    } else if (!strcmp(what, "calloc")) {
        void *r;
        errno = 0;
        r = calloc(65536, 65537);
        printf("calloc(65536, 65537) = %s, errno %s\n",
               r ? "a pointer" : "NULL", errno == ENOMEM ? "ENOMEM" : "?");
        return r != NULL;
    } else if (!strcmp(what, "memalign")) {
        size_t big = (size_t)1 << 31;
        void *r;
        errno = 0;
        r = memalign(big, 16);
        printf("memalign(2^31, 16) = %s, errno %s\n", r ? "a pointer" : "NULL",
               errno == ENOMEM ? "ENOMEM" : errno == EINVAL ? "EINVAL" : "?");
        errno = 0;
        r = memalign(big + 1, 16);
        printf("memalign(2^31 + 1, 16) = %s, errno %s\n", r ? "a pointer" : "NULL",
               errno == ENOMEM ? "ENOMEM" : errno == EINVAL ? "EINVAL" : "?");
        return 0;
    } else {
        fprintf(stderr, "usage: t-faults double|reuse|misaligned|static|calloc|memalign\n");
        return 2;
    }
    printf("t-faults: %s was not detected\n", what);
    return 0;
}
