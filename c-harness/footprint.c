/* footprint.c — resident pages of the process's anonymous mappings, for
 * the footprint measure of make bench (footprint.h says what is counted
 * and why). Freestanding like the rest of c-harness/: sys.h system calls
 * only, so the static trace drivers and the hosted ones (glibc, the
 * Debian peers) measure with the same code.
 *
 * One call reads /proc/self/maps whole into a static buffer, then walks
 * its lines; for each counted mapping it asks mincore(2) which pages are
 * resident, VEC_PAGES pages per call. The buffers are static, so they lie
 * in [__bss_start, _end) and are not counted themselves.
 */
#include "rt.h"
#include "footprint.h"

#define FP_SYS_mincore 218          /* i386 */
#define MAPS_MAX   (1u << 18)       /* bytes of /proc/self/maps read */
#define VEC_PAGES  (1u << 16)       /* pages asked of mincore at once */

extern char __bss_start[], _end[];  /* the program's static data (ld) */

static char maps[MAPS_MAX];
static unsigned char vec[VEC_PAGES];

static long sys_mincore(unsigned start, unsigned len, unsigned char *v)
{
    return __syscall3(FP_SYS_mincore, (long)start, (long)len, (long)v);
}

/* Resident pages in [s, e), both page-aligned; -1 when mincore fails. */
static long resident(unsigned long long s, unsigned long long e)
{
    long n = 0;

    while (s < e) {
        unsigned long long k = (e - s) / FP_PAGE, i;
        if (k > VEC_PAGES)
            k = VEC_PAGES;
        if (sys_is_error(sys_mincore((unsigned)s, (unsigned)(k * FP_PAGE),
                                     vec)))
            return -1;
        for (i = 0; i < k; i++)
            n += vec[i] & 1;
        s += k * FP_PAGE;
    }
    return n;
}

/* A hexadecimal field ending at a non-hex character. */
static const char *hex(const char *p, unsigned long long *v)
{
    *v = 0;
    for (;; p++) {
        unsigned d;
        if (*p >= '0' && *p <= '9')
            d = *p - '0';
        else if (*p >= 'a' && *p <= 'f')
            d = *p - 'a' + 10;
        else
            return p;
        *v = (*v << 4) | d;
    }
}

static const char *skip_field(const char *p)
{
    while (*p == ' ')
        p++;
    while (*p && *p != ' ' && *p != '\n')
        p++;
    return p;
}

/* The name field is empty, [heap] or [anon:...]: memory that belongs to
 * no file. [stack], [vvar], [vdso] and [vsyscall] are not the heap. */
static int anonymous_name(const char *p)
{
    while (*p == ' ')
        p++;
    if (*p == '\n' || *p == 0)
        return 1;
    return !memcmp(p, "[heap]", 6) || !memcmp(p, "[anon", 5);
}

int fp_resident(unsigned *pages)
{
    unsigned long long lo_bss, hi_bss, brk_end;
    unsigned n = 0;
    long fd, r;
    const char *p;

    fd = sys_open("/proc/self/maps", O_RDONLY, 0);
    if (sys_is_error(fd))
        return -1;
    while ((r = sys_read(fd, maps + n, MAPS_MAX - 1 - n)) > 0)
        n += r;
    sys_close(fd);
    if (sys_is_error(r) || n == MAPS_MAX - 1)
        return -1;
    maps[n] = 0;

    lo_bss = (unsigned)__bss_start & ~(FP_PAGE - 1);
    hi_bss = ((unsigned long long)(unsigned)_end + FP_PAGE - 1)
             & ~(unsigned long long)(FP_PAGE - 1);
    brk_end = ((unsigned long long)sys_brk(0) + FP_PAGE - 1)
              & ~(unsigned long long)(FP_PAGE - 1);

    n = 0;
    for (p = maps; *p; ) {
        unsigned long long s, e, inode;
        const char *line = p;
        int none;

        p = hex(p, &s);
        if (*p != '-')
            return -1;
        p = hex(p + 1, &e);
        while (*p == ' ')
            p++;
        none = !memcmp(p, "---", 3);    /* no access: a guard, a reserve */
        p = skip_field(p);              /* perms */
        p = skip_field(p);              /* offset */
        p = skip_field(p);              /* device */
        while (*p == ' ')
            p++;
        for (inode = 0; *p >= '0' && *p <= '9'; p++)
            inode = inode * 10 + (*p - '0');
        if (p == line || e <= s)
            return -1;
        if (inode == 0 && !none && anonymous_name(p)) {
            /* The break's mapping stops at the break: what lies above
             * it was given back (qemu-i386 keeps it mapped). */
            if (s < brk_end && brk_end <= e && brk_end > 0)
                e = brk_end;
            /* Less the program's own static data. */
            if (s < lo_bss) {
                r = resident(s, e < lo_bss ? e : lo_bss);
                if (r < 0)
                    return -1;
                n += r;
            }
            if (e > hi_bss) {
                r = resident(s > hi_bss ? s : hi_bss, e);
                if (r < 0)
                    return -1;
                n += r;
            }
        }
        while (*p && *p != '\n')
            p++;
        if (*p == '\n')
            p++;
    }
    *pages = n;
    return 0;
}
