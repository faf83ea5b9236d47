/* sbrk.c — sbrk over the raw brk system call (see sbrk.h). */
#include "rt.h"
#include "sbrk.h"

int sbrk_errno;

void *sbrk(long increment)
{
    unsigned long old = sys_brk(0), want;

    if (increment == 0)
        return (void *)old;
    /* The new break, refused before the kernel sees it if it would
     * wrap: above 4 GiB when growing, below 0 when shrinking. */
    if (increment > 0) {
        if ((unsigned long)increment > 0xFFFFFFFFul - old)
            goto fail;
    } else if ((unsigned long)-(increment + 1) + 1 > old) {
        /* the distance, as -(increment + 1) + 1: no overflow at LONG_MIN */
        goto fail;
    }
    want = old + (unsigned long)increment;
    /* Linux answers a refused brk with the break it keeps: compare. */
    if (sys_brk(want) != want)
        goto fail;
    return (void *)old;

fail:
    sbrk_errno = ENOMEM;
    return SBRK_FAILED;
}
