/* overcommit.c — a huge request succeeds; memory is charged when touched.
 *
 *   build/overcommit          map 512 MiB and grow the heap by 512 MiB,
 *                             touch 1 MiB of the mapping
 *   build/overcommit limit    requests under lowered soft limits, one at
 *                             a time: RLIMIT_AS 256 MiB, then RLIMIT_DATA
 *                             64 MiB (natively only:
 *                             under qemu-i386 the limits would fall on
 *                             qemu itself)
 *
 * Linux hands out address space, not memory: an anonymous mmap or a brk
 * only records a range (overcommit, vm.overcommit_memory 0: refused only
 * when obviously more than RAM and swap). A page costs memory at its
 * first touch, a minor page fault that maps a zeroed page, so touching
 * 256 pages takes at least 256 faults (fewer only if the kernel maps
 * huge pages, which it does here only on request, madvise). What does
 * refuse a request is a limit: RLIMIT_AS caps all of the address space
 * (mmap and brk), RLIMIT_DATA the data segment and heap (brk, and
 * private writable mappings too since Linux 4.7).
 *
 * Output: one line per request: "mmap2(512 MiB): ok" or "refused
 * (errno 12)"; "brk(+512 MiB): ok" or "refused, the break stays";
 * "touched 256 pages: N minor page faults" (the process's own count,
 * getrusage; under qemu-i386 it is qemu's count). Exit status 0.
 */
#include "rt.h"

#define SYS_mmap        90      /* old mmap: one pointer to 6 arguments */
#define SYS_munmap      91
#define SYS_getrusage   77
#define RLIMIT_AS       9
#define PROT_READ       1
#define PROT_WRITE      2
#define MAP_PRIVATE     2
#define MAP_ANONYMOUS   0x20
#define MIB             (1024u * 1024u)
#define PAGE            4096u
#define TOUCH_PAGES     256u

struct mmap_args {
    unsigned long addr, len, prot, flags, fd, offset;
};

/* The fields of struct rusage up to ru_minflt (i386: longs). */
struct rusage_head {
    long utime_sec, utime_usec, stime_sec, stime_usec;
    long maxrss, ixrss, idrss, isrss, minflt;
    long rest[7];
};

static long map_anon(unsigned long len)
{
    struct mmap_args a = { 0, len, PROT_READ | PROT_WRITE,
                           MAP_PRIVATE | MAP_ANONYMOUS, (unsigned long)-1, 0 };
    return __syscall1(SYS_mmap, (long)&a);
}

static long minor_faults(void)
{
    struct rusage_head ru;
    __syscall2(SYS_getrusage, 0 /* RUSAGE_SELF */, (long)&ru);
    return ru.minflt;
}

/* mmap2 LEN MiB and say whether it worked; returns the mapping or 0. */
static char *try_map(unsigned mib)
{
    long r = map_anon((unsigned long)mib * MIB);
    put_str(1, "mmap2(");
    put_udec(1, mib);
    if (sys_is_error(r)) {
        put_str(1, " MiB): refused (errno ");
        put_udec(1, (unsigned)-r);
        put_str(1, ")\n");
        return 0;
    }
    put_str(1, " MiB): ok\n");
    return (char *)r;
}

/* Grow the break by MIB MiB and put it back; say whether it worked. */
static void try_brk(unsigned mib)
{
    unsigned long old = sys_brk(0), want = old + (unsigned long)mib * MIB;
    put_str(1, "brk(+");
    put_udec(1, mib);
    if (sys_brk(want) != want) {
        put_str(1, " MiB): refused, the break stays\n");
        return;
    }
    put_str(1, " MiB): ok\n");
    sys_brk(old);
}

/* Lowers the soft limit RESOURCE to MIB MiB (0: back to the hard limit),
 * so that each limit is shown on its own. */
static void set_limit(int resource, const char *name, unsigned mib)
{
    struct rlimit rl;
    sys_getrlimit(resource, &rl);
    rl.rlim_cur = mib ? (unsigned long)mib * MIB : rl.rlim_max;
    if (!mib) {
        sys_setrlimit(resource, &rl);
        return;
    }
    put_str(1, "== ");
    put_str(1, name);
    put_str(1, " lowered to ");
    put_udec(1, mib);
    put_str(1, sys_is_error(sys_setrlimit(resource, &rl)) ?
            " MiB: refused by setrlimit\n" : " MiB\n");
}

int main(int argc, char **argv)
{
    char *m;
    long before;
    unsigned i;

    if (argc > 2 || (argc == 2 && strcmp(argv[1], "limit") != 0)) {
        put_str(2, "usage: overcommit [limit]\n");
        return 2;
    }
    if (argc == 2) {
        set_limit(RLIMIT_AS, "RLIMIT_AS", 256);
        try_map(512);
        try_map(16);
        set_limit(RLIMIT_AS, "RLIMIT_AS", 0);
        set_limit(RLIMIT_DATA, "RLIMIT_DATA", 64);
        try_brk(512);
        try_brk(1);
        return 0;
    }
    put_str(1, "== ask for more than is used\n");
    m = try_map(512);
    try_brk(512);
    if (!m)
        return 1;
    before = minor_faults();
    for (i = 0; i < TOUCH_PAGES; i++)
        m[i * PAGE] = 1;
    put_str(1, "== touch ");
    put_udec(1, TOUCH_PAGES);
    put_str(1, " pages (1 MiB) of the mapping\ntouched ");
    put_udec(1, TOUCH_PAGES);
    put_str(1, " pages: ");
    put_udec(1, (unsigned)(minor_faults() - before));
    put_str(1, " minor page faults\n");
    __syscall2(SYS_munmap, (long)m, 512 * MIB);
    return 0;
}
