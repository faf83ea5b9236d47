/* tracegen.c — writes the kit's synthetic allocation traces (docs/lab.md).
 *
 *   tracegen DIR       write every trace into DIR (and DIR/scale/)
 *   tracegen --scaling DIR   write the bounded-cost series into DIR:
 *                      scaling-R-Nk.rep for sizes R = 64 (8..64 bytes),
 *                      1024 (8..1024) and 64k (8..65536, log-uniform),
 *                      N = 1, 4, 16 and 64 thousand (1024 N) live blocks.
 *                      Up to 4 MB each, so make bench writes them into
 *                      build/traces/scaling/ instead of the repository.
 *
 * Freestanding i386 C, run under qemu-i386 like every kit program: the
 * traces depend on nothing but this file. Each trace has its own fixed
 * seed for a xorshift32 generator and integer-only arithmetic, so the
 * output is the same byte for byte on every machine (tests/traces.bats
 * regenerates them and compares with the committed files).
 *
 * Each file is written as the Records programs write their output
 * (asm/out-file.s, linked in): under a new name beside it, made with
 * O_EXCL, renamed into place once complete; a failed write keeps the old
 * file and the reason is printed (errno-text.s).
 */
#include "rt.h"

long output_open(const char *path);     /* fd, or -errno */
long output_commit(long fd);            /* 0, or -errno */
void output_discard(void);
const char *output_name(void);          /* the file (not) created */
const char *errno_text(long err);

/* ------------------------------------------------------------ random */

static unsigned rng;

static unsigned next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 17;
    rng ^= rng << 5;
    return rng;
}

/* Uniform in [lo, hi]. The modulo bias is below 1e-5 for these ranges. */
static unsigned between(unsigned lo, unsigned hi)
{
    return lo + next() % (hi - lo + 1);
}

/* ------------------------------------------------------- trace text */

#define MAX_TEXT (6u << 20)
#define MAX_IDS  (1u << 17)  /* the trace driver's limit too */

static char body[MAX_TEXT];
static unsigned blen, n_ops, n_ids, peak, live_bytes;
static unsigned sizes[MAX_IDS];
static unsigned char live[MAX_IDS];

static void put(const char *s)
{
    while (*s && blen < MAX_TEXT)
        body[blen++] = *s++;
}

static void putn(unsigned v)
{
    char b[12], *p = b + sizeof b;
    *--p = 0;
    do
        *--p = '0' + v % 10;
    while (v /= 10);
    put(p);
}

static void start(unsigned seed)
{
    unsigned i;
    rng = seed;
    blen = n_ops = n_ids = peak = live_bytes = 0;
    for (i = 0; i < MAX_IDS; i++)
        live[i] = 0;
}

/* a new id of `size` bytes; returns the id */
static unsigned a(unsigned size)
{
    unsigned id = n_ids++;
    put("a ");
    putn(id);
    put(" ");
    putn(size);
    put("\n");
    n_ops++;
    live[id] = 1;
    sizes[id] = size;
    live_bytes += size;
    if (live_bytes > peak)
        peak = live_bytes;
    return id;
}

static void f(unsigned id)
{
    put("f ");
    putn(id);
    put("\n");
    n_ops++;
    live[id] = 0;
    live_bytes -= sizes[id];
}

static void r(unsigned id, unsigned size)
{
    put("r ");
    putn(id);
    put(" ");
    putn(size);
    put("\n");
    n_ops++;
    live_bytes = live_bytes - sizes[id] + size;
    sizes[id] = size;
    if (live_bytes > peak)
        peak = live_bytes;
}

/* Frees every id still live, oldest first: every kit trace is balanced. */
static void free_rest(void)
{
    unsigned i;
    for (i = 0; i < n_ids; i++)
        if (live[i])
            f(i);
}

static int failed;

/* write_all — all n bytes, retrying short writes; 0, -errno, or 1 when
 * write makes no progress. */
static long write_all(long fd, const char *b, unsigned n)
{
    while (n) {
        long r = sys_write(fd, b, n);
        if (sys_is_error(r))
            return r;
        if (r == 0)
            return 1;
        b += r;
        n -= r;
    }
    return 0;
}

static void emit(const char *dir, const char *name)
{
    static char path[4096], head[128];
    unsigned n = 0, i, h = 0;
    long fd, r = 0;

    for (i = 0; dir[i] && n < 3900; i++)
        path[n++] = dir[i];
    path[n++] = '/';
    for (i = 0; name[i] && n < 4000; i++)
        path[n++] = name[i];
    path[n] = 0;

    /* header: suggested heap size (peak payload), ids, ops, weight 1 */
    {
        unsigned vals[4] = { peak, n_ids, n_ops, 1 }, k;
        for (k = 0; k < 4; k++) {
            char b[12], *p = b + sizeof b;
            unsigned v = vals[k];
            *--p = 0;
            do
                *--p = '0' + v % 10;
            while (v /= 10);
            while (*p)
                head[h++] = *p++;
            head[h++] = '\n';
        }
    }
    fd = output_open(path);
    if (sys_is_error(fd)) {
        put_str(2, "tracegen: cannot write ");
        put_str(2, output_name());
        put_str(2, ": ");
        put_str(2, errno_text(fd));
        put_str(2, "\n");
        failed = 1;
        return;
    }
    /* r: 0 while all is well, else -errno or 1 (no progress). */
    if (blen == MAX_TEXT)
        r = -27;                            /* EFBIG: the text was cut */
    if (!r)
        r = write_all(fd, head, h);
    if (!r)
        r = write_all(fd, body, blen);
    if (!r)
        r = output_commit(fd);
    else {
        sys_close(fd);
        output_discard();
    }
    if (r) {
        put_str(2, "tracegen: cannot write ");
        put_str(2, path);
        put_str(2, ": ");
        put_str(2, sys_is_error(r) ? errno_text(r) : "write made no progress");
        put_str(2, "\n");
        failed = 1;
        return;
    }
    put_str(1, path);
    put_str(1, "\n");
}

/* ----------------------------------------------------------- traces */

/* The Records programs: read-records takes one 324-byte record buffer,
 * add-year-style copies keep a few records alive, and short name strings
 * (up to 40 bytes) come and go around them. */
static void records(void)
{
    unsigned kept[16], nk = 0, i, j;
    start(0x52454331);
    for (i = 0; i < 60; i++) {
        unsigned buf = a(324), names[3], nn = between(0, 3);
        for (j = 0; j < nn; j++)
            names[j] = a(between(4, 40));
        if (nk < 16 && next() % 3 == 0)
            kept[nk++] = a(324);            /* a record copied to keep */
        for (j = nn; j > 0; j--)
            f(names[j - 1]);
        f(buf);
        if (nk && next() % 4 == 0) {        /* drop a kept record */
            unsigned k = next() % nk;
            f(kept[k]);
            kept[k] = kept[--nk];
        }
    }
    free_rest();
}

/* Many small objects, sizes skewed to the small end: each doubling of the
 * size class is half as likely (8-15 bytes: 1/2, 16-31: 1/4, ...), like
 * the strings and list nodes of real programs. */
static unsigned skewed(void)
{
    unsigned cls = 3;
    while (cls < 9 && (next() & 1))
        cls++;
    return between(1u << cls, (2u << cls) - 1);
}

static void small_skewed(void)
{
    unsigned pool[300], n = 0, i;
    start(0x534b4557);
    for (i = 0; i < 900; i++) {
        if (n < 300 && (n < 20 || next() % 5 < 3)) {
            pool[n++] = a(skewed());
        } else {
            unsigned k = next() % n;
            f(pool[k]);
            pool[k] = pool[--n];
        }
    }
    free_rest();
}

/* Random small and large blocks with random lifetimes. */
static void mixed(void)
{
    unsigned pool[120], n = 0, i;
    start(0x4d495844);
    for (i = 0; i < 600; i++) {
        if (n < 120 && (n < 10 || next() % 2 == 0)) {
            pool[n++] = next() % 8 == 0 ? a(between(1024, 12288))
                                        : a(between(8, 128));
        } else {
            unsigned k = next() % n;
            f(pool[k]);
            pool[k] = pool[--n];
        }
    }
    free_rest();
}

/* Small and large blocks alternate; every large one is freed while its
 * small neighbours stay, then the requests ask for slightly more than a
 * freed hole: without coalescing no hole ever fits again. */
static void fragment(void)
{
    unsigned small[64], large[64], i, round;
    start(0x46524147);
    for (round = 0; round < 3; round++) {
        for (i = 0; i < 64; i++) {
            small[i] = a(16);
            large[i] = a(256 + 64 * round);
        }
        for (i = 0; i < 64; i++)
            f(large[i]);
        for (i = 0; i < 32; i++)
            large[i] = a(300 + 64 * round);
        for (i = 0; i < 32; i++)
            f(large[i]);
        for (i = 0; i < 64; i += 2)
            f(small[i]);
    }
    free_rest();
}

/* A stack: pushes and pops in last-in, first-out order, depth a random
 * walk, sizes from a few bytes to a few hundred. */
static void lifo(void)
{
    unsigned stack[200], depth = 0, i;
    start(0x4c49464f);
    for (i = 0; i < 800; i++) {
        if (depth < 200 && (depth == 0 || next() % 16 < 9))
            stack[depth++] = a(between(8, 400));
        else
            f(stack[--depth]);
    }
    while (depth)
        f(stack[--depth]);
}

/* A buffer that grows by realloc while a neighbour allocated right after
 * it stays live (pinned): the buffer cannot grow in place and must move;
 * small allocations come and go between steps. */
static void realloc_pinned(void)
{
    unsigned buf, pin, sz = 16, i, tmp;
    start(0x5245414c);
    buf = a(sz);
    pin = a(24);
    for (i = 0; i < 40; i++) {
        sz += sz / 4 + 8;
        r(buf, sz);
        tmp = a(between(8, 64));
        if (i % 3 == 0)
            f(tmp);
    }
    (void)pin;
    for (i = 0; i < 30; i++)             /* and shrinks again */
        r(buf, sz -= sz / 8);
    free_rest();
}

/* The scaling series: N live blocks, then churn with N blocks still live
 * (free a random one, allocate another), then free everything. Cost per
 * operation of a first-fit allocator grows with N. */
static void scale(unsigned n)
{
    static unsigned pool[MAX_IDS];
    unsigned i;
    start(0x5343414c + n);
    for (i = 0; i < n; i++)
        pool[i] = a(between(8, 64));
    for (i = 0; i < 1000; i++) {
        unsigned k = next() % n;
        f(pool[k]);
        pool[k] = a(between(8, 64));
    }
    free_rest();
}

/* A size of range r: 0 uniform in 8..64, 1 uniform in 8..1024, 2 in
 * 8..65536 with its power of two uniform (2^3 .. 2^15) and the size
 * uniform inside it: as many requests below 64 bytes as in 4K..8K, a
 * mean near 7.5 KiB, so 64k live blocks still fit a 32-bit heap. */
static unsigned scaling_size(unsigned r)
{
    unsigned e;
    if (r == 0)
        return between(8, 64);
    if (r == 1)
        return between(8, 1024);
    e = between(3, 15);
    return between(1u << e, 2u << e);
}

/* The bounded-cost series: n live blocks, then n pairs of free a random
 * one and allocate another, then free everything. Every trace has the
 * same mix whatever n (a quarter filling, half churn with n blocks live,
 * a quarter emptying), so instructions per operation compare across n:
 * an allocator whose cost does not grow with the heap draws a flat line.
 * At n = 65536 that is 262144 operations and 131072 ids, the trace
 * driver's limits exactly. */
static void scaling(unsigned r, unsigned n)
{
    static unsigned pool[MAX_IDS];
    unsigned i;
    start(0x53434c47 + r * 0x10000 + n);
    for (i = 0; i < n; i++)
        pool[i] = a(scaling_size(r));
    for (i = 0; i < n; i++) {
        unsigned k = next() % n;
        f(pool[k]);
        pool[k] = a(scaling_size(r));
    }
    free_rest();
}

static int scaling_series(const char *dir)
{
    static const char *range[3] = { "64", "1024", "64k" };
    static const unsigned thousands[4] = { 1, 4, 16, 64 };
    unsigned r, k, i, n;
    for (r = 0; r < 3; r++)
        for (k = 0; k < 4; k++) {
            char name[40] = "scaling-";
            n = 8;
            for (i = 0; range[r][i]; i++)
                name[n++] = range[r][i];
            name[n++] = '-';
            if (thousands[k] >= 10)
                name[n++] = '0' + thousands[k] / 10;
            name[n++] = '0' + thousands[k] % 10;
            memcpy(name + n, "k.rep", 6);
            scaling(r, thousands[k] * 1024);
            emit(dir, name);
        }
    return failed;
}

int main(int argc, char **argv)
{
    static char sub[4096];
    unsigned n, k;

    if (argc == 3 && strcmp(argv[1], "--scaling") == 0)
        return scaling_series(argv[2]);
    if (argc != 2) {
        put_str(2, "usage: tracegen DIR   (writes DIR/*.rep, "
                   "DIR/scale/*.rep)\n"
                   "       tracegen --scaling DIR   (DIR/scaling-*.rep)\n");
        return 2;
    }
    records();
    emit(argv[1], "records.rep");
    small_skewed();
    emit(argv[1], "small-skewed.rep");
    mixed();
    emit(argv[1], "mixed.rep");
    fragment();
    emit(argv[1], "fragment.rep");
    lifo();
    emit(argv[1], "lifo.rep");
    realloc_pinned();
    emit(argv[1], "realloc-pinned.rep");

    for (n = 0; argv[1][n] && n < 4000; n++)
        sub[n] = argv[1][n];
    memcpy(sub + n, "/scale", 7);
    for (k = 1; k <= 16; k *= 2) {
        char name[16] = "scale-XXk.rep";
        scale(k * 1024);
        if (k < 10) {
            name[6] = '0' + k;
            memcpy(name + 7, "k.rep", 6);
        } else {
            name[6] = '0' + k / 10;
            name[7] = '0' + k % 10;
        }
        emit(sub, name);
    }
    return failed;
}
