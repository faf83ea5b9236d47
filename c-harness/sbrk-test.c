/* sbrk-test.c — the contract of c-harness/sbrk.c, case by case.
 *
 *   build/sbrk-test        [RUN]/[OK]/[FAIL] lines, then "N passed, N failed"
 *
 * Each case compares sbrk's answer with what the raw system call says
 * the break is (sys_brk(0)). Run by tests/sbrk.bats under qemu-i386 and
 * natively.
 */
#include "rt.h"
#include "sbrk.h"

static unsigned long start;     /* the break when main began */

static void zero_reads_the_break(void)
{
    unsigned long before = sys_brk(0);

    CHECK_EQ((uintptr_t)sbrk(0), before);
    CHECK_EQ(sys_brk(0), before);
}

static void grow_returns_the_old_break(void)
{
    unsigned long before = sys_brk(0);
    char *p = sbrk(100);

    CHECK_EQ((uintptr_t)p, before);
    CHECK_EQ(sys_brk(0), before + 100);
    p[0] = 'a';                 /* the new bytes are usable */
    p[99] = 'z';
    CHECK_EQ(p[0] + p[99], 'a' + 'z');
}

static void negative_lowers_the_break(void)
{
    unsigned long before = sys_brk(0);

    CHECK_EQ((uintptr_t)sbrk(4096), before);
    CHECK_EQ((uintptr_t)sbrk(-4096), before + 4096);   /* still the old one */
    CHECK_EQ(sys_brk(0), before);
}

static void sees_a_raw_brk(void)
{
    unsigned long before = sys_brk(0);

    CHECK_EQ(sys_brk(before + 64), before + 64);       /* behind sbrk's back */
    CHECK_EQ((uintptr_t)sbrk(0), before + 64);
    CHECK_EQ((uintptr_t)sbrk(-64), before + 64);
    CHECK_EQ(sys_brk(0), before);
}

static void below_the_heap_fails(void)
{
    unsigned long before = sys_brk(0);

    sbrk_errno = 0;
    CHECK_EQ((uintptr_t)sbrk(-(long)(before - start) - 4096),
             (uintptr_t)SBRK_FAILED);
    CHECK_EQ(sbrk_errno, ENOMEM);
    CHECK_EQ(sys_brk(0), before);
}

static void wrapping_fails_without_a_call(void)
{
    unsigned long before = sys_brk(0);

    sbrk_errno = 0;
    CHECK_EQ((uintptr_t)sbrk(-(long)before - 1), (uintptr_t)SBRK_FAILED);
    CHECK_EQ(sbrk_errno, ENOMEM);
    sbrk_errno = 0;
    CHECK_EQ((uintptr_t)sbrk(-0x7FFFFFFFL - 1), (uintptr_t)SBRK_FAILED);
    CHECK_EQ(sbrk_errno, ENOMEM);
    CHECK_EQ(sys_brk(0), before);
}

/* 2 GiB more: past qemu's guest space, and natively past a data limit
 * lowered to 1 MiB above what the program uses now. */
static void refused_growth_fails(void)
{
    unsigned long before = sys_brk(0);
    struct rlimit saved, rl;
    int limited = sys_getrlimit(RLIMIT_DATA, &saved) == 0;
    void *r;

    if (limited) {
        rl = saved;
        rl.rlim_cur = (before - start) + (1ul << 20) + 65536;
        limited = rl.rlim_cur <= rl.rlim_max &&
                  sys_setrlimit(RLIMIT_DATA, &rl) == 0;
    }
    sbrk_errno = 0;
    r = sbrk(0x7FFFFFFFL);
    if (limited)
        sys_setrlimit(RLIMIT_DATA, &saved);
    CHECK_EQ((uintptr_t)r, (uintptr_t)SBRK_FAILED);
    CHECK_EQ(sbrk_errno, ENOMEM);
    CHECK_EQ(sys_brk(0), before);
}

static const struct {
    const char *name;
    void (*run)(void);
} cases[] = {
    { "sbrk(0) returns the break and leaves it", zero_reads_the_break },
    { "sbrk(100) returns the old break and moves it up 100 bytes",
      grow_returns_the_old_break },
    { "sbrk(-4096) returns the old break and lowers it",
      negative_lowers_the_break },
    { "sbrk sees a break moved by the raw system call",
      sees_a_raw_brk },
    { "sbrk below the start of the heap fails with (void *)-1 and ENOMEM",
      below_the_heap_fails },
    { "sbrk that would wrap below 0 fails and makes no change",
      wrapping_fails_without_a_call },
    { "sbrk the kernel refuses fails with (void *)-1, the break unchanged",
      refused_growth_fails },
};

int main(void)
{
    unsigned i;

    start = sys_brk(0);
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        t_run(cases[i].name);
        cases[i].run();
        t_end();
    }
    return t_summary();
}
