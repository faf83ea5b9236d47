/* syscall-cost.c — a system call costs more than a function call.
 *
 *   build/syscall-cost brk N     N calls of brk(0), timed
 *   build/syscall-cost call N    N calls of a plain function, timed
 *
 * Prints one line, "brk N NS" or "call N NS": N iterations took NS
 * nanoseconds (CLOCK_MONOTONIC; N at most 10000000, the loop at most
 * about 4 s, since NS is 32 bits wide: there is no 64-bit division in a
 * freestanding i386 program). tools/bench-syscall.sh (make bench) runs
 * both, natively and under qemu-i386, divides, and counts the user-mode
 * instructions of each loop with callgrind: loop_brk and loop_call are
 * separate functions so --toggle-collect can count each alone.
 *
 * brk(0) changes nothing, so the loop measures only the trip into the
 * kernel and back: the int $0x80, the kernel's entry and exit, and the
 * few instructions of brk itself.
 */
#include "rt.h"

#define SYS_clock_gettime 265
#define CLOCK_MONOTONIC   1
#define MAX_N             10000000u

struct k_timespec {
    long sec;
    long nsec;
};

/* A function the compiler must really call: noipa keeps gcc from looking
 * inside it (and from deleting or inlining the calls). */
__attribute__((noipa)) unsigned plain(unsigned x)
{
    return x + 1;
}

__attribute__((noipa)) unsigned loop_call(unsigned n)
{
    unsigned i, acc = 0;

    for (i = 0; i < n; i++)
        acc = plain(acc);
    return acc;
}

__attribute__((noipa)) unsigned loop_brk(unsigned n)
{
    unsigned i, acc = 0;

    for (i = 0; i < n; i++)
        acc += sys_brk(0) & 1;
    return acc;
}

static unsigned long now_ns_since(const struct k_timespec *t0)
{
    struct k_timespec t;

    __syscall2(SYS_clock_gettime, CLOCK_MONOTONIC, (long)&t);
    return (unsigned long)(t.sec - t0->sec) * 1000000000ul +
           (unsigned long)(t.nsec - t0->nsec);
}

int main(int argc, char **argv)
{
    struct k_timespec t0;
    unsigned n;
    unsigned long ns;
    int brk;

    if (argc != 3 || (strcmp(argv[1], "brk") && strcmp(argv[1], "call")) ||
        parse_uint(argv[2], &n) != 0 || n == 0 || n > MAX_N) {
        put_str(2, "usage: syscall-cost brk|call N   (1 <= N <= 10000000)\n");
        return 2;
    }
    brk = argv[1][0] == 'b';
    if (sys_is_error(__syscall2(SYS_clock_gettime, CLOCK_MONOTONIC,
                                (long)&t0))) {
        put_str(2, "syscall-cost: clock_gettime failed\n");
        return 1;
    }
    if (brk)
        loop_brk(n);
    else
        loop_call(n);
    ns = now_ns_since(&t0);
    put_str(1, argv[1]);
    put_char(1, ' ');
    put_udec(1, n);
    put_char(1, ' ');
    put_udec(1, ns);
    put_char(1, '\n');
    return 0;
}
