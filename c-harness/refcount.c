/* refcount.c — reference counting over allocate/deallocate (refcount.h). */
#include "rt.h"
#include "alloc.h"
#include "refcount.h"

_Static_assert(RC_HEADER % ALIGNMENT == 0,
               "the rc header must keep the object aligned");

static unsigned *count_of(const void *obj)
{
    return (unsigned *)((char *)obj - RC_HEADER);
}

void *rc_new(unsigned size)
{
    char *block;

    if (size > 0xFFFFFFFFu - RC_HEADER)
        return NULL;            /* size + RC_HEADER would wrap */
    block = allocate(size + RC_HEADER);
    if (!block)
        return NULL;
    *(unsigned *)block = 1;     /* the caller is the first owner */
    return block + RC_HEADER;
}

void *rc_retain(void *obj)
{
    if (!obj || *count_of(obj) == 0xFFFFFFFFu)
        return NULL;
    ++*count_of(obj);
    return obj;
}

void rc_release(void *obj)
{
    if (!obj)
        return;
    if (--*count_of(obj) == 0)
        deallocate(count_of(obj));
}

unsigned rc_count(const void *obj)
{
    return *count_of(obj);
}
