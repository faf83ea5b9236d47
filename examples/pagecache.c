/* pagecache.c — a file's pages live in the kernel's page cache, shared.
 *
 *   build/pagecache FILE      FILE is created (or replaced) with 64 KiB
 *
 * The kernel keeps the contents of files in memory, in its page cache,
 * and serves every read and every mapping of the file from there. The
 * program shows it in four steps:
 *
 *   1. write FILE (16 pages), flush it to the disk (fdatasync) and ask
 *      the kernel to drop it from the cache (posix_fadvise DONTNEED);
 *      mincore(2) on a mapping of FILE, not touched, says which of its
 *      pages are in the page cache: none;
 *   2. read(2) the first 8 pages (read-ahead off, POSIX_FADV_RANDOM):
 *      now those 8 are in the cache, though the mapping was never
 *      touched: read copied them from the cache, into which it had to
 *      load them first;
 *   3. touch every page of the mapping: all 16 are in the cache, and they
 *      are the cache's pages, mapped (no copy);
 *   4. fork; the child maps FILE again, a mapping of its own, and touches
 *      it; /proc/self/smaps says its 64 KiB are Shared_Clean: the same
 *      physical pages the parent maps, the cache's.
 *
 * Steps 1 to 3 run under qemu-i386 too (its mincore asks the host kernel
 * about the same file pages); step 4 needs native i386: under qemu the
 * guest's /proc/self/smaps is qemu's own, with no entry at the guest's
 * address (tests/pagecache.bats).
 *
 * Output: "1. ...: N of 16 pages in the page cache", 2. and 3. the same,
 * "4. child's own mapping: Shared_Clean: N kB". Exit status 0, 1 on a
 * failed system call (named on stderr), 2 on bad usage.
 */
#include "rt.h"

#define SYS_mmap        90      /* old mmap: one pointer to 6 arguments */
#define SYS_lseek       19
#define SYS_munmap      91
#define SYS_fdatasync   148
#define SYS_mincore     218
#define SYS_fadvise64   250
#define PROT_READ       1
#define MAP_SHARED      1
#define POSIX_FADV_RANDOM   1
#define POSIX_FADV_DONTNEED 4
#define PAGE            4096u
#define PAGES           16u
#define FILE_SIZE       (PAGES * PAGE)

struct mmap_args {
    unsigned long addr, len, prot, flags, fd, offset;
};

static long sys5(long n, long a, long b, long c, long d, long e)
{
    long r;
    __asm__ __volatile__ ("int $0x80" : "=a"(r)
                          : "a"(n), "b"(a), "c"(b), "d"(c), "S"(d), "D"(e)
                          : "memory");
    return r;
}

static void die(const char *what)
{
    put_str(2, "pagecache: ");
    put_str(2, what);
    put_str(2, " failed\n");
    sys_exit(1);
}

static volatile char *map_file(long fd)
{
    struct mmap_args a = { 0, FILE_SIZE, PROT_READ, MAP_SHARED,
                           (unsigned long)fd, 0 };
    long r = __syscall1(SYS_mmap, (long)&a);
    if (sys_is_error(r))
        die("mmap");
    return (volatile char *)r;
}

/* How many of the mapping's pages are in the page cache (mincore). */
static unsigned cached(volatile char *m)
{
    unsigned char vec[PAGES];
    unsigned i, n = 0;
    if (sys_is_error(__syscall3(SYS_mincore, (long)m, FILE_SIZE, (long)vec)))
        die("mincore");
    for (i = 0; i < PAGES; i++)
        n += vec[i] & 1;
    return n;
}

static void report(const char *step, volatile char *m)
{
    put_str(1, step);
    put_str(1, ": ");
    put_udec(1, cached(m));
    put_str(1, " of 16 pages in the page cache\n");
}

static void touch(volatile char *m)
{
    unsigned i, sum = 0;
    for (i = 0; i < PAGES; i++)
        sum += m[i * PAGE];
    (void)sum;
}

/* The Shared_Clean line of the smaps entry that starts at M. */
static void shared_clean(volatile char *m)
{
    static char buf[65536];
    char start[12];
    long fd = sys_open("/proc/self/smaps", O_RDONLY, 0), n, len = 0;
    char *p, *nl, *entry = 0;
    unsigned v = (unsigned)(uintptr_t)m, k;

    if (sys_is_error(fd))
        die("open /proc/self/smaps");
    while (len < (long)sizeof buf - 1 &&
           (n = sys_read(fd, buf + len, sizeof buf - 1 - len)) > 0)
        len += n;
    sys_close(fd);
    buf[len] = 0;
    for (k = 0; k < 8; k++)             /* "%08x-" as smaps writes it */
        start[k] = "0123456789abcdef"[(v >> (28 - 4 * k)) & 15];
    start[8] = '-';
    for (p = buf; *p; p = nl + 1) {
        for (nl = p; *nl && *nl != '\n'; nl++)
            ;
        if (memcmp(p, start, 9) == 0)
            entry = p;
        else if (entry && memcmp(p, "Shared_Clean:", 13) == 0) {
            put_str(1, "4. child's own mapping: ");
            sys_write(1, p, nl - p + 1);
            return;
        }
        if (!*nl)
            break;
    }
    put_str(1, "4. child's own mapping: (no smaps entry found)\n");
}

int main(int argc, char **argv)
{
    static char page[PAGE];
    char buf[8 * PAGE];
    volatile char *m;
    long fd, pid;
    unsigned i;
    int status;

    if (argc != 2) {
        put_str(2, "usage: pagecache FILE   (FILE is replaced by 64 KiB)\n");
        return 2;
    }
    fd = sys_open(argv[1], O_RDWR | O_CREAT | O_TRUNC, 0644);
    if (sys_is_error(fd))
        die("open");
    for (i = 0; i < PAGES; i++) {
        memset(page, 'a' + (int)i, PAGE);
        if (sys_write(fd, page, PAGE) != (long)PAGE)
            die("write");
    }
    if (sys_is_error(__syscall1(SYS_fdatasync, fd)))
        die("fdatasync");
    if (sys_is_error(sys5(SYS_fadvise64, fd, 0, 0, FILE_SIZE,
                          POSIX_FADV_DONTNEED)))
        die("posix_fadvise");
    m = map_file(fd);
    report("1. written, flushed, dropped", m);
    /* No read-ahead: without this the kernel loads the pages after the
     * ones read too, expecting them to be read next. */
    if (sys_is_error(sys5(SYS_fadvise64, fd, 0, 0, FILE_SIZE,
                          POSIX_FADV_RANDOM)))
        die("posix_fadvise");
    if (__syscall3(SYS_lseek, fd, 0, 0 /* SEEK_SET */) != 0 ||
        sys_read(fd, buf, sizeof buf) != (long)sizeof buf)
        die("read");
    report("2. after read() of the first 8 pages", m);
    touch(m);
    report("3. after touching the whole mapping", m);
    pid = sys_fork();
    if (sys_is_error(pid))
        die("fork");
    if (pid == 0) {
        volatile char *own = map_file(fd);
        touch(own);
        shared_clean(own);
        sys_exit(0);
    }
    sys_waitpid(pid, &status, 0);
    __syscall2(SYS_munmap, (long)m, FILE_SIZE);
    sys_close(fd);
    return 0;
}
