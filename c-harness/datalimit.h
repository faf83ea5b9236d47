/* datalimit.h — make brk refuse a big request natively, as it does under
 * qemu-i386.
 *
 * A request of 3 GiB fails under qemu-i386 (its guest address space is
 * full long before), but natively a 32-bit process on a 64-bit kernel may
 * get it. limit_data(heap_bytes) lowers the soft RLIMIT_DATA to the
 * heap's size plus 1 MiB, so brk refuses anything bigger natively too;
 * qemu accepts the call and does not apply it. unlimit_data() puts the
 * old limit back. Returns/data_limited: 1 when the kernel took the lower
 * limit (it reads back as set).
 */
#ifndef MEMKIT_DATALIMIT_H
#define MEMKIT_DATALIMIT_H

#include "sys.h"

static struct rlimit saved_data_limit;
static int data_limited;

static inline int limit_data(unsigned heap_bytes)
{
    struct rlimit rl;
    data_limited = 0;
    if (sys_getrlimit(RLIMIT_DATA, &saved_data_limit) != 0)
        return 0;
    rl = saved_data_limit;
    rl.rlim_cur = heap_bytes + (1u << 20);
    if (rl.rlim_max != RLIM_INFINITY && rl.rlim_cur > rl.rlim_max)
        return 0;
    if (sys_setrlimit(RLIMIT_DATA, &rl) != 0)
        return 0;
    if (sys_getrlimit(RLIMIT_DATA, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY
        && rl.rlim_cur == heap_bytes + (1u << 20))
        data_limited = 1;
    return data_limited;
}

static inline void unlimit_data(void)
{
    if (data_limited)
        sys_setrlimit(RLIMIT_DATA, &saved_data_limit);
    data_limited = 0;
}

#endif
