/* faults.c — the misuses libmemkit.so detects, one per run.
 *
 *   t-faults double      free the same block twice
 *   t-faults misaligned  free a pointer one byte into a block
 *   t-faults static      free the address of a global array
 *   t-faults calloc      calloc(65536, 65537): the product overflows
 *
 * The first three should never return: the allocator reports and aborts
 * (glibc's malloc says "free(): double free detected ..." and aborts too).
 * calloc prints what it got and exits 0.
 */
#include <errno.h>
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
    } else {
        fprintf(stderr, "usage: t-faults double|misaligned|static|calloc\n");
        return 2;
    }
    printf("t-faults: %s was not detected\n", what);
    return 0;
}
