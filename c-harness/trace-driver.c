/* trace-driver.c — replay allocation traces against the linked allocator
 * and check every operation (docs/lab.md).
 *
 *   trace-driver [--svg FILE] [--dump] [--rows N] [--full] [--label TEXT]
 *                [--axis BYTES] [--timeout SECONDS] TRACE...
 *
 * --svg FILE draws the heap over the trace (docs/lab.md); --axis BYTES
 * makes its address axis at least that long, to compare two allocators
 * at one scale; --dump prints the same rows as text. FILE is replaced
 * only by a complete picture (asm/out-file.s): a failed write (a full
 * disk, `ulimit -f`) keeps the old FILE and exits 2.
 *   trace-driver --no-fork TRACE     one trace in this process: for a
 *                                    gdb or callgrind session
 *   trace-driver --bench TRACE       the trace's calls alone, in
 *                                    bench_replay(), no checks: what
 *                                    make bench counts with callgrind
 *   trace-driver --footprint TRACE   the trace's calls, every payload
 *                                    written in full, no checks: the
 *                                    peak of the pages the process
 *                                    holds (c-harness/footprint.h)
 *
 * A trace is the malloc-lab text format: four header lines (suggested
 * heap size, number of ids, number of operations, weight; the first and
 * the last are read but unused), then one operation per line:
 *
 *   a ID SIZE    allocate SIZE bytes for ID
 *   f ID         deallocate ID
 *   r ID SIZE    reallocate ID to SIZE bytes
 *
 * Every trace is parsed first; a bad one gets `FILE:LINE: reason` and is
 * not run. Each good trace runs in a child process of its own (fork), so
 * an allocator that crashes or loops fails that trace only. After every
 * operation the child checks, and stops at the first failure:
 *
 *   - the result is not 0, is 8-byte aligned (or, for a C library's
 *     malloc that exports memkit_align_c, as C promises: 4 for a 4-byte
 *     request), and its payload lies inside [heap_begin, current_break)
 *     as they are after the call (unless the allocator exports
 *     memkit_heap_anywhere: a malloc that takes memory with mmap as well,
 *     c-harness/glibc-shim.c; a payload outside is then counted, and the
 *     break says nothing of its heap: its utilization is "-");
 *   - the payload overlaps no live payload (a sorted array of the live
 *     payloads, binary search: the block before and the block after the
 *     new one are the only ones that can touch it);
 *   - the bytes of the payload it returned, and of the live payloads next
 *     to it in address order, still hold the pattern their ids wrote; a
 *     reallocated block keeps its old bytes;
 *   - heap_check(), when the allocator exports one, returns 0.
 *
 * Every live payload is verified in full every FULL_EVERY operations and
 * after the last one. FULL_EVERY is 1 (after every operation) unless the
 * trace is big: it is chosen so that the whole replay verifies at most
 * VERIFY_BUDGET bytes. When a full verification finds damage that the
 * last one (after operation m) did not, the trace is replayed again in a
 * fresh child with full verification after every operation from m on, so
 * the failure names the first operation after which the damage can be
 * seen (the allocator is deterministic: same calls, same heap). --full
 * verifies everything after every operation from the start.
 *
 * Exit status: 0 every trace passed, 1 an allocator failed a trace,
 * 2 bad usage, a bad trace file (the other traces still run), or a
 * picture that could not be written.
 */
#include "rt.h"
#include "layout.h"
#include "heapmap.h"
#include "footprint.h"

void  allocate_init(void);
void *allocate(unsigned size);
void  deallocate(void *p);
extern char *heap_begin;
extern char *current_break;

/* rt_sigaction(2) takes a fourth argument (%esi, the sigset size: qemu-i386
 * refuses anything but 8), beyond sys.h's three-argument wrappers; kept
 * here, like examples/touch.c keeps its own, so sys.h stays small. */
#define TD_SYS_rt_sigaction 174

struct td_sigaction {               /* the kernel's i386 struct sigaction */
    void (*handler)(int);
    unsigned long flags;
    void (*restorer)(void);
    unsigned long mask[2];
};

/* Installs handler for sig with no flags. The handler never returns (it
 * reports and exits), so no sigreturn trampoline is needed. */
static long catch_signal(int sig, void (*handler)(int))
{
    struct td_sigaction sa = { handler, 0, 0, { 0, 0 } };
    unsigned long r;
    __asm__ __volatile__ ("int $0x80" : "=a"(r)
                          : "a"(TD_SYS_rt_sigaction), "b"(sig), "c"(&sa),
                            "d"(0), "S"(sizeof sa.mask) : "memory");
    return r;
}

/* Optional exports (c-harness/layout.h): weak, so absent ones read as 0. */
extern void *reallocate(void *p, unsigned size) __attribute__((weak));
extern int   heap_check(void) __attribute__((weak));
/* Hosted shims only (glibc-shim.c): defined when payloads may come from
 * mmap, outside [heap_begin, current_break). Weak: absent, it is 0. */
extern const int memkit_heap_anywhere __attribute__((weak));
/* Hosted shims only: defined when the allocator promises C's alignment
 * (C17 7.22.3: suitable for any object that fits in the size asked for,
 * so a 4-byte request may get a 4-byte aligned payload) instead of the
 * kit's 8 bytes for every size. */
extern const int memkit_align_c __attribute__((weak));

#define MAX_OPS       (1u << 18)    /* operations per trace */
#define MAX_IDS       (1u << 17)    /* ids per trace */
#define MAX_FILE      (8u << 20)    /* bytes of one trace file */
#define MAX_ROWS      400           /* rows of the picture */
#define MAX_CELLS     (1u << 20)    /* blocks drawn, all rows together */
#define VERIFY_BUDGET (1u << 26)    /* bytes verified by sampled checks */
#define TIME_LIMIT    20            /* seconds a trace may run, default */
#define ALIGN         8

/* ------------------------------------------------------------ output */

/* One buffered output: put_* in rt.c write(2) every piece, far too slow
 * for a picture of thousands of blocks. */
static char obuf[1 << 16];
static unsigned olen;
static int ofd = 1;
static long oerr;               /* the first failed write's -errno */

static void oflush(void)
{
    unsigned done = 0;
    while (done < olen) {
        long r = sys_write(ofd, obuf + done, olen - done);
        if (sys_is_error(r) || r == 0) {
            if (!oerr)
                oerr = r ? r : -5;      /* no progress: EIO */
            break;
        }
        done += r;
    }
    olen = 0;
}

/* The picture is written as the Records programs write their output
 * (asm/out-file.s, linked in): a new file made with O_EXCL beside FILE,
 * renamed over it only when every byte is written and closed; a
 * non-regular FILE (/dev/null, a pipe) written in place; a read-only
 * FILE refused; SIGTERM removes the new file. errno_text (errno-text.s)
 * gives the reason. */
long output_open(const char *path);     /* fd, or -errno */
long output_commit(long fd);            /* 0, or -errno */
void output_discard(void);
const char *output_name(void);          /* the file (not) created */
const char *errno_text(long err);

static void os(const char *s)
{
    while (*s) {
        if (olen == sizeof obuf)
            oflush();
        obuf[olen++] = *s++;
    }
}

static void oc(char c)
{
    char s[2] = { c, 0 };
    os(s);
}

static void ou(unsigned v)
{
    char b[12], *p = b + sizeof b;
    *--p = 0;
    do
        *--p = '0' + v % 10;
    while (v /= 10);
    os(p);
}

static void ox(unsigned v)
{
    static const char hex[] = "0123456789abcdef";
    char b[11];
    int i;
    b[0] = '0';
    b[1] = 'x';
    for (i = 0; i < 8; i++)
        b[2 + i] = hex[(v >> (28 - 4 * i)) & 15];
    b[10] = 0;
    os(b);
}

/* v / 10 as "12.3" — fixed point with one decimal. */
static void o_tenths(unsigned tenths)
{
    ou(tenths / 10);
    oc('.');
    ou(tenths % 10);
}

/* n / d for a 64-bit n whose quotient fits in 32 bits (one divl: there
 * is no libgcc for __udivdi3); ~0u when it would not fit. */
static unsigned div64(unsigned long long n, unsigned d)
{
    unsigned hi = n >> 32, lo = (unsigned)n, q, r;
    if (!d || hi >= d)
        return ~0u;
    __asm__ ("divl %4" : "=a"(q), "=d"(r) : "a"(lo), "d"(hi), "rm"(d));
    (void)r;
    return q;
}

/* a / b in tenths of a percent, rounded. */
static unsigned tenths_pct(unsigned a, unsigned b)
{
    return b ? div64((unsigned long long)a * 1000 + b / 2, b) : 0;
}

/* --------------------------------------------------------- the trace */

enum { OP_A = 1, OP_F, OP_R };

struct op {
    unsigned kind : 2;
    unsigned id : 30;
    unsigned size;
    unsigned line;
};

static char text[MAX_FILE + 1];
static struct op ops[MAX_OPS];
static unsigned n_ops, n_ids;
static unsigned trace_peak;         /* peak live payload, from the parse */
static const char *trace_name;

/* Parse state for the error messages. */
static const char *pp;
static unsigned pline;

/* FILE:LINE: why, with % in why replaced by a and # by b. */
static int bad2(const char *why, unsigned a, unsigned b)
{
    oflush();
    put_str(2, trace_name);
    put_char(2, ':');
    put_udec(2, pline);
    put_str(2, ": ");
    for (; *why; why++) {
        if (*why == '%')
            put_udec(2, a);
        else if (*why == '#')
            put_udec(2, b);
        else
            put_char(2, *why);
    }
    put_char(2, '\n');
    return -1;
}

static int bad(const char *why, unsigned a)
{
    return bad2(why, a, 0);
}

static void skip_blanks(void)
{
    while (*pp == ' ' || *pp == '\t')
        pp++;
}

static int at_eol(void)
{
    skip_blanks();
    if (*pp == '\r')
        pp++;
    return *pp == '\n' || *pp == 0;
}

/* A decimal number below 2^31; 0 when it parsed. */
static int number(unsigned *out)
{
    unsigned v = 0;
    skip_blanks();
    if (*pp < '0' || *pp > '9')
        return -1;
    for (; *pp >= '0' && *pp <= '9'; pp++) {
        if (v > (0x7fffffffu - (*pp - '0')) / 10)
            return -1;
        v = v * 10 + (*pp - '0');
    }
    *out = v;
    if (*pp != ' ' && *pp != '\t' && *pp != '\r' && *pp != '\n' && *pp)
        return -1;
    return 0;
}

static void next_line(void)
{
    while (*pp && *pp != '\n')
        pp++;
    if (*pp == '\n')
        pp++;
    pline++;
}

static int read_file(const char *path, unsigned *len)
{
    long fd = sys_open(path, O_RDONLY, 0), r;
    unsigned n = 0;

    if (sys_is_error(fd)) {
        pline = 0;
        oflush();
        put_str(2, path);
        put_str(2, ": cannot open (errno ");
        put_udec(2, -fd);
        put_str(2, ")\n");
        return -1;
    }
    while ((r = sys_read(fd, text + n, MAX_FILE - n)) > 0)
        n += r;
    sys_close(fd);
    if (sys_is_error(r) || n == MAX_FILE) {
        put_str(2, path);
        put_str(2, sys_is_error(r) ? ": read error\n"
                                   : ": larger than the driver's 8 MiB\n");
        return -1;
    }
    text[n] = 0;
    *len = n;
    return 0;
}

/* live sizes while parsing, to reject frees of dead ids and find the peak */
static unsigned psize[MAX_IDS];
static unsigned char plive[MAX_IDS];

static int parse(const char *path)
{
    unsigned len, h[4], i, live = 0;

    trace_name = path;
    if (read_file(path, &len))
        return -1;
    for (i = 0; i < len; i++)
        if (text[i] == 0) {
            pline = 1;
            for (unsigned j = 0; j < i; j++)
                pline += text[j] == '\n';
            return bad("NUL byte: not a text trace", 0);
        }
    pp = text;
    pline = 1;
    for (i = 0; i < 4; i++, next_line()) {
        if (!*pp)
            return bad("file ends inside the 4-line header", 0);
        if (number(&h[i]) || !at_eol())
            return bad(i == 0 ? "header line 1 (suggested heap size) is not"
                              " a number"
                       : i == 1 ? "header line 2 (number of ids) is not a "
                                  "number"
                       : i == 2 ? "header line 3 (number of operations) is "
                                  "not a number"
                                : "header line 4 (weight) is not a number",
                       0);
    }
    n_ids = h[1];
    n_ops = h[2];
    if (n_ids > MAX_IDS) {
        pline = 2;
        return bad("% ids: more than the driver holds", n_ids);
    }
    if (n_ops > MAX_OPS) {
        pline = 3;
        return bad("% operations: more than the driver holds", n_ops);
    }
    for (i = 0; i < n_ids; i++)
        plive[i] = 0;
    trace_peak = 0;
    for (i = 0; *pp; next_line()) {
        struct op o;
        char c;

        skip_blanks();
        if (*pp == '\n' || (*pp == '\r' && pp[1] == '\n'))
            return bad("empty line", 0);
        if (i == n_ops)
            return bad2("operation % but the header says # operations",
                        n_ops + 1, n_ops);
        c = *pp++;
        if (c != 'a' && c != 'f' && c != 'r')
            return bad("unknown operation (not a, f or r)", 0);
        o.kind = c == 'a' ? OP_A : c == 'f' ? OP_F : OP_R;
        o.line = pline;
        if (*pp != ' ' && *pp != '\t')
            return bad("unknown operation (not a, f or r)", 0);
        {
            unsigned id = 0;
            if (number(&id))
                return bad("id is not a number", 0);
            if (id >= n_ids)
                return bad2("id % out of range: the header says # ids", id, n_ids);
            o.id = id;
        }
        o.size = 0;
        if (o.kind != OP_F && number(&o.size))
            return bad("size is not a number below 2^31", 0);
        if (!at_eol())
            return bad(o.kind == OP_F ? "extra text after f ID"
                                      : "extra text after the size", 0);
        switch (o.kind) {
        case OP_A:
            if (plive[o.id])
                return bad("a % while id % is still allocated", o.id);
            plive[o.id] = 1;
            psize[o.id] = o.size;
            live += o.size;
            break;
        case OP_F:
            if (!plive[o.id])
                return bad("f % but id % is not allocated (never, or "
                           "freed already)", o.id);
            plive[o.id] = 0;
            live -= psize[o.id];
            break;
        case OP_R:
            if (!plive[o.id])
                return bad("r % but id % is not allocated", o.id);
            live = live - psize[o.id] + o.size;
            psize[o.id] = o.size;
            break;
        }
        if (live > trace_peak)
            trace_peak = live;
        ops[i++] = o;
    }
    if (i < n_ops) {
        if (len && text[len - 1] != '\n')
            pline--;
        return bad2("file ends after % of # operations (truncated?)",
                    i, n_ops);
    }
    if (len && text[len - 1] != '\n') {
        pline--;
        return bad("last line has no newline (truncated?)", 0);
    }
    return 0;
}

/* ------------------------------------------------------ the live set */

static unsigned addr[MAX_IDS];      /* payload address of each live id */
static unsigned size[MAX_IDS];      /* its requested size */
static unsigned char live[MAX_IDS];
static unsigned sorted[MAX_IDS];    /* live ids by address */
static unsigned n_live;

static unsigned span(unsigned id)
{
    return size[id] ? size[id] : 1;     /* a 0-byte block still has a place */
}

/* First index whose payload starts at or above a. */
static unsigned lower(unsigned a)
{
    unsigned lo = 0, hi = n_live;
    while (lo < hi) {
        unsigned mid = lo + (hi - lo) / 2;
        if (addr[sorted[mid]] < a)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* The live id that [a, a+len) overlaps, or -1. The live payloads are
 * disjoint, so sorted by start they are sorted by end too: only the one
 * before index lower(a) can reach past a, only the one at it can start
 * below a+len. That covers a new block inside an old one and the
 * reverse. */
static long overlapping(unsigned a, unsigned len)
{
    unsigned i = lower(a);
    if (i > 0 && addr[sorted[i - 1]] + span(sorted[i - 1]) > a)
        return sorted[i - 1];
    if (i < n_live && addr[sorted[i]] - a < len)
        return sorted[i];
    return -1;
}

static void insert(unsigned id)
{
    unsigned i = lower(addr[id]), j;
    for (j = n_live; j > i; j--)
        sorted[j] = sorted[j - 1];
    sorted[i] = id;
    n_live++;
    live[id] = 1;
}

static unsigned unlink_live(unsigned id)
{
    unsigned i = lower(addr[id]), j;
    for (j = i; j + 1 < n_live; j++)
        sorted[j] = sorted[j + 1];
    n_live--;
    live[id] = 0;
    return i;
}

/* --------------------------------------------------------- patterns */

/* The pattern of id: word k of its payload. Bytes past the last whole
 * word take the low bytes of the next word. */
static unsigned pat(unsigned id, unsigned k)
{
    unsigned x = (id + 1) * 0x9e3779b1u + k * 0x85ebca77u;
    return x ^ (x >> 15);
}

static void fill(unsigned id)
{
    unsigned *w = (unsigned *)addr[id], n = size[id] / 4, k, t;
    unsigned char *b;
    for (k = 0; k < n; k++)
        w[k] = pat(id, k);
    t = pat(id, n);
    b = (unsigned char *)(w + n);
    for (k = 0; k < size[id] % 4; k++)
        b[k] = t >> (8 * k);
}

/* Offset of the first byte of id's first `len` bytes that differs from
 * its pattern, or -1. */
static long damaged(unsigned id, unsigned len)
{
    const unsigned *w = (const unsigned *)addr[id];
    const unsigned char *b;
    unsigned n = len / 4, k, t;
    for (k = 0; k < n; k++)
        if (w[k] != pat(id, k)) {
            unsigned d = w[k] ^ pat(id, k), off = 4 * k;
            while (!(d & 0xff)) {
                d >>= 8;
                off++;
            }
            return off;
        }
    t = pat(id, n);
    b = (const unsigned char *)(w + n);
    for (k = 0; k < len % 4; k++)
        if (b[k] != (unsigned char)(t >> (8 * k)))
            return 4 * n + k;
    return -1;
}

/* ---------------------------------------------------------- results */

/* What a child tells its parent, through a pipe, before it exits. */
struct result {
    unsigned status;            /* 0 ok, 1 failed, 3 damage in a window */
    unsigned ops;               /* operations done */
    unsigned peak;              /* peak live payload */
    unsigned high;              /* high-water: max break - initial break */
    unsigned brks;              /* times the break moved (+1 for init) */
    unsigned outside;           /* payloads outside the break's heap
                                 * (memkit_heap_anywhere only) */
    unsigned window_from;       /* status 3: last clean full check */
    unsigned window_to;         /* status 3: the op that found damage */
    long svg_err;               /* --svg: 0, or why the picture failed */
};

static struct result res;
static unsigned cur_op;         /* 1-based number of the running op */
static unsigned brk0, last_break;
static unsigned full_every, full_from, last_full_ok;
static int want_rows;
static unsigned time_limit = TIME_LIMIT;

/* -------------------------------------------------------- the rows */

struct cell {
    unsigned off;               /* block start - initial break */
    unsigned size;              /* whole block */
    unsigned short header, footer;
    unsigned char free;
    unsigned id;                /* the trace's id in it, or NO_ID */
    unsigned req;               /* the bytes that id asked for then */
};

#define NO_ID (~0u)

struct row {
    unsigned op;                /* op after which this row was taken */
    unsigned cell0, cells;      /* its cells in cell[] */
    unsigned brk;               /* break - initial break */
    unsigned live;              /* live payload now */
    unsigned peak, high;        /* so far, for utilization so far */
    unsigned first;             /* heap_begin + first - initial break */
    unsigned bad_at;            /* walk stopped here (offset) */
    const char *bad;            /* walk's reason, or 0 */
    const char *fail;           /* the check that failed, or 0 */
};

static struct cell cell[MAX_CELLS];
static unsigned n_cells;
static struct row rows[MAX_ROWS + 2];
static unsigned n_rows, row_every, max_rows = 40;
static unsigned live_bytes;
static int rows_full;

static int add_cell(const struct heap_block *b, void *arg)
{
    (void)arg;
    if (n_cells == MAX_CELLS) {
        rows_full = 1;
        return 0;
    }
    cell[n_cells].off = (unsigned)b->start - brk0;
    cell[n_cells].size = b->len;
    cell[n_cells].header = b->payload - b->start;
    cell[n_cells].footer = b->len - b->size - (b->payload - b->start);
    cell[n_cells].free = b->free;
    cell[n_cells].id = NO_ID;
    cell[n_cells].req = 0;
    if (!b->free) {             /* which live id the payload belongs to */
        unsigned p = (unsigned)b->payload, i = lower(p);
        if (i < n_live && addr[sorted[i]] == p) {
            cell[n_cells].id = sorted[i];
            /* Its size now: the id may be freed and asked again with
             * another size before the picture is drawn. */
            cell[n_cells].req = size[sorted[i]];
        }
    }
    n_cells++;
    return 0;
}

static void take_row(const char *fail)
{
    struct row *r;
    struct heap_stats st;
    const struct memkit_layout *l = heap_layout();

    if (!want_rows || n_rows == MAX_ROWS + 2)
        return;
    r = &rows[n_rows++];
    r->op = cur_op;
    r->cell0 = n_cells;
    r->brk = (unsigned)current_break - brk0;
    r->live = live_bytes;
    r->peak = res.peak;
    r->high = res.high;
    r->first = (unsigned)heap_begin + l->first - brk0;
    r->fail = fail;
    heap_walk(add_cell, 0, &st);
    r->bad = st.corrupt;
    r->bad_at = (unsigned)st.corrupt_at - brk0;
    r->cells = n_cells - r->cell0;
}

/* ---------------------------------------------------------- failing */

static const char op_char[] = "?afr";

static void say_op(unsigned n)
{
    const struct op *o = &ops[n - 1];
    os("op ");
    ou(n);
    os(" (line ");
    ou(o->line);
    os(": ");
    oc(op_char[o->kind]);
    oc(' ');
    ou(o->id);
    if (o->kind != OP_F) {
        oc(' ');
        ou(o->size);
    }
    os(")");
}

static int result_fd, dump_wanted;
static const char *svg_path;
static void write_svg(void);
static void dump_rows(void);

static void say_ok(const struct result *r)
{
    os("[OK]   ");
    os(trace_name);
    os(": ");
    ou(r->ops);
    os(" ops, peak ");
    ou(r->peak);
    os(", heap ");
    ou(r->high);
    if (r->outside) {
        /* Not every payload was in the break's heap: no utilization. */
        os(" (the break's; ");
        ou(r->outside);
        os(" payloads outside it), util -");
    } else {
        os(", util ");
        o_tenths(tenths_pct(r->peak, r->high));
        os("%");
    }
    os(", brk ");
    ou(r->brks);
    oc('\n');
}

static __attribute__((noreturn)) void finish(unsigned status)
{
    res.status = status;
    res.ops = cur_op;
    if (result_fd < 0 && status == 0)
        say_ok(&res);               /* --no-fork: nobody else will */
    if (dump_wanted)
        dump_rows();
    if (svg_path)
        write_svg();
    oflush();
    sys_write(result_fd, &res, sizeof res);
    sys_exit(res.svg_err ? 2 : status == 0 ? 0 : 1);
}

/* The first failure of the trace: say what, draw it, stop. */
static __attribute__((noreturn)) void fail(const char *what, const char *a,
                                           unsigned v, const char *b)
{
    static char why[160];
    unsigned n = 0;
    const char *s;

    os("[FAIL] ");
    os(trace_name);
    os(": ");
    if (cur_op)
        say_op(cur_op);
    else
        os("allocate_init");
    os(": ");
    os(what);
    if (a) {
        os(a);
        ox(v);
        os(b);
    }
    os("\n");
    for (s = what; *s && n < sizeof why - 1; s++)
        why[n++] = *s;
    why[n] = 0;
    take_row(why);
    finish(1);
}

static void crashed(int sig)
{
    const char *name = sig == 11 ? "the allocator crashed with SIGSEGV"
                     : sig == 7 ? "the allocator crashed with SIGBUS"
                     : sig == 4 ? "the allocator crashed with SIGILL"
                     : sig == 8 ? "the allocator crashed with SIGFPE"
                     : sig == 14 ? "timed out after "
                     : "the allocator crashed with a signal";
    olen = 0;
    os("[FAIL] ");
    os(trace_name);
    os(": ");
    if (cur_op)
        say_op(cur_op);
    else
        os("allocate_init");
    os(": ");
    os(name);
    if (sig == 14) {
        ou(time_limit);
        os(" s (an allocator call that never returns?)");
    }
    os("\n");
    /* No picture: the heap may be what crashed. */
    svg_path = 0;
    want_rows = 0;
    finish(1);
}

/* --------------------------------------------------------- checking */

static void check_block(unsigned id, const char *who)
{
    unsigned a = addr[id];
    long other;

    if (!a)
        fail(who[0] == 'a' ? "allocate returned 0 (NULL)"
                           : "reallocate returned 0 (NULL)", 0, 0, 0);
    if (a % ALIGN) {
        /* C's promise: the largest power of two up to the size, <= 8. */
        unsigned need = ALIGN;
        if (&memkit_align_c)
            while (need > 1 && need > size[id])
                need /= 2;
        if (a % need)
            fail(need == ALIGN ? "payload is not 8-byte aligned: "
                               : "payload is less aligned than C promises"
                                 " for its size: ", "", a, "");
    }
    if (a < (unsigned)heap_begin || a > (unsigned)current_break ||
        span(id) > (unsigned)current_break - a) {
        if (!&memkit_heap_anywhere)
            fail("payload lies outside [heap_begin, current_break): ",
                 "at ", a, "");
        res.outside++;
    }
    other = overlapping(a, span(id));
    if (other >= 0) {
        static char msg[] = "payload overlaps live id ";
        char buf[12], *p = buf + sizeof buf;
        unsigned v = other;
        *--p = 0;
        do
            *--p = '0' + v % 10;
        while (v /= 10);
        {
            static char whole[64];
            unsigned n = 0, i;
            for (i = 0; msg[i]; i++)
                whole[n++] = msg[i];
            for (i = 0; p[i]; i++)
                whole[n++] = p[i];
            whole[n++] = ' ';
            whole[n] = 0;
            fail(whole, "at ", addr[other], "");
        }
    }
}

static void window(void);

/* Checks the first len bytes of id. Found damage is this op's fault only
 * when every live byte was checked after the previous op; otherwise the
 * parent replays to find the op (window). exact: the bytes were checked
 * during this op, so the damage is this op's. */
static void verify_as(unsigned id, unsigned len, int exact)
{
    long off = damaged(id, len);
    if (off >= 0) {
        if (!exact && full_every > 1 && !full_from)
            window();
        static char whole[64];
        const char *m = "bytes of live id ";
        unsigned n = 0, i, v = id;
        char buf[12], *p = buf + sizeof buf;
        *--p = 0;
        do
            *--p = '0' + v % 10;
        while (v /= 10);
        for (i = 0; m[i]; i++)
            whole[n++] = m[i];
        for (i = 0; p[i]; i++)
            whole[n++] = p[i];
        m = " changed: first bad byte ";
        for (i = 0; m[i]; i++)
            whole[n++] = m[i];
        whole[n] = 0;
        fail(whole, "at ", addr[id] + off, "");
    }
}

static void verify(unsigned id, unsigned len)
{
    verify_as(id, len, 0);
}

static void verify_near(unsigned i)
{
    if (i > 0)
        verify(sorted[i - 1], size[sorted[i - 1]]);
    if (i < n_live)
        verify(sorted[i], size[sorted[i]]);
    if (i + 1 < n_live)
        verify(sorted[i + 1], size[sorted[i + 1]]);
}

static int all_intact(void)
{
    unsigned i;
    for (i = 0; i < n_live; i++)
        if (damaged(sorted[i], size[sorted[i]]) >= 0)
            return 0;
    return 1;
}

static void verify_all(void)
{
    unsigned i;
    for (i = 0; i < n_live; i++)
        verify(sorted[i], size[sorted[i]]);
}

static void after_op(void)
{
    unsigned brk = (unsigned)current_break;

    if (brk != last_break) {
        res.brks++;
        last_break = brk;
    }
    if (brk - brk0 > res.high && brk > brk0)
        res.high = brk - brk0;
    if (live_bytes > res.peak)
        res.peak = live_bytes;
    if (heap_check) {
        int r = heap_check();
        if (r)
            fail("heap_check returned non-zero: ", "", r, "");
    }
    if (cur_op > full_from && (full_every == 1 || cur_op % full_every == 0
                               || cur_op == n_ops)) {
        if (full_every == 1)
            verify_all();               /* names the damaged block */
        else if (!all_intact())
            window();
        last_full_ok = cur_op;
    }
    if (want_rows && (cur_op % row_every == 0 || cur_op == n_ops))
        take_row(0);
}

/* Damage since the last full check: the parent replays the trace with
 * full checks from there to find the first op after which it shows. */
static void window(void)
{
    if (result_fd < 0) {                /* --no-fork: no replay */
        os("[FAIL] ");
        os(trace_name);
        os(": live bytes changed between op ");
        ou(last_full_ok + 1);
        os(" and op ");
        ou(cur_op);
        os(" (run with --full to name the op)\n");
        finish(1);
    }
    res.window_from = last_full_ok;
    res.window_to = cur_op;
    svg_path = 0;
    want_rows = 0;
    finish(3);
}

static void replay(void)
{
    unsigned k;

    catch_signal(11, crashed);
    catch_signal(7, crashed);
    catch_signal(4, crashed);
    catch_signal(8, crashed);
    catch_signal(14, crashed);
    sys_alarm(time_limit);

    brk0 = sys_brk(0);
    cur_op = 0;
    allocate_init();
    if (!heap_begin)
        fail("heap_begin is still 0 after allocate_init", 0, 0, 0);
    last_break = (unsigned)current_break;
    res.brks = 1;                   /* allocate_init's brk(0) */
    if (last_break > brk0)
        res.high = last_break - brk0;
    if (want_rows)
        take_row(0);

    for (k = 0; k < n_ops; k++) {
        const struct op *o = &ops[k];
        unsigned id = o->id, i;

        cur_op = k + 1;
        switch (o->kind) {
        case OP_A:
            addr[id] = (unsigned)allocate(o->size);
            size[id] = o->size;
            check_block(id, "allocate");
            fill(id);
            insert(id);
            live_bytes += o->size;
            verify_near(lower(addr[id]));
            break;
        case OP_F:
            if (!addr[id]) {            /* NULL since its r ID 0: free(0) */
                deallocate(0);
                break;
            }
            verify(id, size[id]);
            i = unlink_live(id);
            deallocate((void *)addr[id]);
            live_bytes -= size[id];
            verify_near(i);
            break;
        case OP_R: {
            /* C's realloc, as glibc does it (docs/lab.md): realloc(0, n)
             * is malloc(n); realloc(p, 0) frees p and returns 0, and the
             * id then holds NULL until it is allocated again. */
            unsigned old = addr[id], old_size = old ? size[id] : 0, keep, p;
            keep = old_size < o->size ? old_size : o->size;
            if (old) {
                verify(id, old_size);
                i = unlink_live(id);
            }
            if (reallocate) {
                p = (unsigned)reallocate((void *)old, o->size);
            } else if (old && !o->size) {
                deallocate((void *)old);
                p = 0;
            } else {
                p = (unsigned)allocate(o->size);
                if (p && old)
                    memcpy((void *)p, (void *)old, keep);
                if (p && old)
                    deallocate((void *)old);
            }
            if (old && !o->size) {
                addr[id] = 0;
                size[id] = 0;
                live_bytes -= old_size;
                if (p)
                    fail("reallocate(p, 0) returned a block ", "at ", p,
                         ": it should free p and return 0, as glibc's "
                         "realloc does (docs/lab.md)");
                if (n_live)
                    verify_near(i < n_live ? i : n_live - 1);
                break;
            }
            addr[id] = p;
            size[id] = o->size;
            check_block(id, reallocate ? "reallocate" : "allocate");
            if (damaged(id, keep) >= 0) {
                addr[id] = p;
                size[id] = keep;
                verify_as(id, keep, 1); /* fails, naming the byte */
            }
            size[id] = o->size;
            fill(id);
            insert(id);
            live_bytes = live_bytes - old_size + o->size;
            verify_near(lower(p));
            if (old && old != p && n_live)
                verify_near(lower(old) < n_live ? lower(old) : n_live - 1);
            break;
        }
        }
        after_op();
    }
    finish(0);
}

/* ----------------------------------------------------------- bench
 *
 * make bench (tools/bench-all.sh) counts, with callgrind's
 * --toggle-collect=bench_replay, the instructions of the trace's calls
 * and nothing else: no pattern, no overlap search, no heap_check. The
 * loop around the calls costs the same few instructions for every
 * allocator. An allocator without reallocate pays for allocate, the copy
 * and deallocate, as a C program without realloc would. Built against
 * the C library (c-harness/glibc-shim.c, MEMKIT_HOSTED), the loop calls
 * malloc, realloc and free themselves (no wrapper, no PLT stub: the
 * shim's pointers to them), so only their instructions are counted. The
 * checked replay above is what shows the allocator correct; this one
 * stops only at a NULL, loudly.
 */
#ifdef MEMKIT_HOSTED
/* The C library's (or a peer's) functions themselves, found by the shim
 * with dlsym in allocate_init: a call through the program's PLT would
 * count the stub's jump, and the loader's lazy binding on a first call,
 * as the allocator's. */
extern void *(*memkit_malloc)(__SIZE_TYPE__ n);
extern void *(*memkit_realloc)(void *p, __SIZE_TYPE__ n);
extern void  (*memkit_free)(void *p);
#define BENCH_ALLOC(n)          memkit_malloc(n)
#define BENCH_FREE(p)           memkit_free(p)
#define BENCH_REALLOC(p, n)     memkit_realloc((p), (n))
#define HAVE_REALLOC            1
#else
#define BENCH_ALLOC(n)          allocate(n)
#define BENCH_FREE(p)           deallocate(p)
#define BENCH_REALLOC(p, n)     reallocate((p), (n))
#define HAVE_REALLOC            (reallocate != 0)
#endif

/* Returns 0, or the number of the operation that got NULL. */
__attribute__((noinline)) unsigned bench_replay(void)
{
    unsigned k;

    for (k = 0; k < n_ops; k++) {
        const struct op *o = &ops[k];
        void *p, *old = (void *)addr[o->id];

        switch (o->kind) {
        case OP_A:
            p = BENCH_ALLOC(o->size);
            break;
        case OP_F:
            BENCH_FREE(old);
            p = 0;
            break;
        default:
            if (HAVE_REALLOC) {
                p = BENCH_REALLOC(old, o->size);
            } else if (old && !o->size) {   /* realloc(p, 0): free(p) */
                BENCH_FREE(old);
                p = 0;
            } else {
                unsigned keep = size[o->id] < o->size ? size[o->id]
                                                      : o->size;
                p = BENCH_ALLOC(o->size);
                if (p) {
                    memcpy(p, old, keep);
                    BENCH_FREE(old);
                }
            }
            size[o->id] = o->size;
            break;
        }
        if (o->kind != OP_F && !p && !(o->kind == OP_R && old && !o->size))
            return k + 1;
        addr[o->id] = (unsigned)p;
        if (o->kind == OP_A)
            size[o->id] = o->size;
    }
    return 0;
}

static int bench(void)
{
    unsigned bad;

    allocate_init();
    if (!heap_begin) {
        put_str(2, "trace-driver: heap_begin is still 0 after "
                   "allocate_init\n");
        return 1;
    }
    bad = bench_replay();
    if (bad) {
        put_str(2, "trace-driver: --bench: op ");
        put_udec(2, bad);
        put_str(2, " of ");
        put_str(2, trace_name);
        put_str(2, " got NULL\n");
        return 1;
    }
    os("bench: ");
    ou(n_ops);
    os(" ops replayed\n");
    oflush();
    return 0;
}

/* --------------------------------------------------------- picture */

#define X0      250             /* left edge of the address axis */
#define AXIS    900             /* its width in pixels */
#define ROW_H   16
#define TOP     78

static const char *axis_label;
static unsigned axis_end, axis_min;     /* --axis: draw at least this far */

static void num_px(unsigned long long v)    /* tenths of a pixel as "12.3" */
{
    ou((unsigned)v / 10);
    oc('.');
    ou((unsigned)v % 10);
}

static unsigned long long px(unsigned off)      /* offset -> tenths of px */
{
    return (unsigned long long)X0 * 10 +
           div64((unsigned long long)off * AXIS * 10, axis_end ? axis_end : 1);
}

static void rect(unsigned long long x, unsigned long long w, unsigned y,
                 unsigned h, const char *cls)
{
    os("<rect class=\"");
    os(cls);
    os("\" x=\"");
    num_px(x);
    os("\" y=\"");
    ou(y);
    os("\" width=\"");
    num_px(w);
    os("\" height=\"");
    ou(h);
    os("\"");
}

static void xml_text(const char *s)
{
    for (; *s; s++) {
        if (*s == '<')
            os("&lt;");
        else if (*s == '>')
            os("&gt;");
        else if (*s == '&')
            os("&amp;");
        else if (*s == '"')
            os("&quot;");
        else if ((unsigned char)*s >= 32 && (unsigned char)*s < 127)
            oc(*s);
    }
}

static void draw_row(unsigned r_i, unsigned y)
{
    const struct row *r = &rows[r_i];
    unsigned c;

    if (r->fail || r->bad)
        rect(0, (X0 + AXIS + 150) * 10, y - 2, ROW_H, "failrow"), os("/>\n");
    os("<text class=\"op");
    if (r->fail)
        os(" failed");
    os("\" x=\"8\" y=\"");
    ou(y + 10);
    os("\">");
    if (r->op == 0) {
        os("allocate_init");
    } else {
        const struct op *o = &ops[r->op - 1];
        ou(r->op);
        os(": ");
        oc(op_char[o->kind]);
        oc(' ');
        ou(o->id);
        if (o->kind != OP_F) {
            oc(' ');
            ou(o->size);
        }
    }
    if (r->fail) {
        os(" FAILED: ");
        xml_text(r->fail);
    }
    os("</text>\n");
    for (c = r->cell0; c < r->cell0 + r->cells; c++) {
        const struct cell *b = &cell[c];
        unsigned long long x = px(b->off), xe = px(b->off + b->size);
        unsigned long long xh = px(b->off + b->header);
        unsigned long long xf = px(b->off + b->size - b->footer);
        os("<g data-row=\"");
        ou(r_i);
        os("\" data-off=\"");
        ou(b->off);
        os("\" data-size=\"");
        ou(b->size);
        os("\" data-state=\"");
        os(b->free ? "free" : "used");
        os("\">");
        rect(x, xh - x, y, ROW_H - 4, "hdr");
        os("/>");
        {
            /* A used block's payload: the bytes its id asked for, then
             * the rest (rounding, or a bigger free block reused whole)
             * in a lighter blue: internal fragmentation. */
            unsigned pay = b->size - b->header - b->footer, req = pay;
            unsigned long long xr;
            if (!b->free && b->id != NO_ID && b->req < pay)
                req = b->req;
            xr = px(b->off + b->header + req);
            rect(xh, xr - xh, y, ROW_H - 4, b->free ? "free" : "used");
            os("><title>+");
            ou(b->off);
            os(": ");
            if (b->free) {
                ou(pay);
                os(" bytes free");
            } else {
                if (b->id != NO_ID) {
                    os("id ");
                    ou(b->id);
                    os(", ");
                    ou(req);
                    os(" of ");
                }
                ou(pay);
                os(" bytes used");
            }
            os("</title></rect>");
            if (req < pay)
                rect(xr, xf - xr, y, ROW_H - 4, "slack"), os("/>");
        }
        if (b->footer)
            rect(xf, xe - xf, y, ROW_H - 4, "hdr"), os("/>");
        os("</g>\n");
    }
    if (r->bad) {
        rect(px(r->bad_at), px(r->brk) - px(r->bad_at), y, ROW_H - 4,
             "corrupt");
        os("><title>");
        xml_text(r->bad);
        os("</title></rect>\n");
    }
    rect(px(r->brk), 20, y - 2, ROW_H, "brk");
    os("/>\n<text class=\"util\" x=\"");
    ou(X0 + AXIS + 8);
    os("\" y=\"");
    ou(y + 10);
    os("\">");
    if (r->high) {
        o_tenths(tenths_pct(r->peak, r->high));
        os("%");
    } else {
        os("-");
    }
    os("</text>\n");
}

/* say why FILE (the picture, or its temporary name) was not written;
 * the result tells the parent, which exits non-zero. */
static void svg_failed(const char *file, long err)
{
    put_str(2, "trace-driver: cannot write the picture ");
    put_str(2, file);
    put_str(2, ": ");
    put_str(2, errno_text(err));
    put_str(2, " (the old file, if any, is kept)\n");
    res.svg_err = err;
}

static void write_svg(void)
{
    unsigned i, y, h;
    long fd, r;

    oflush();
    fd = output_open(svg_path);
    if (sys_is_error(fd)) {
        svg_failed(output_name(), fd);
        return;
    }
    ofd = fd;
    oerr = 0;
    axis_end = res.high > axis_min ? res.high : axis_min;
    for (i = 0; i < n_rows; i++)
        if (rows[i].brk > axis_end)
            axis_end = rows[i].brk;
    h = TOP + n_rows * ROW_H + 40;
    os("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
       "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"");
    ou(X0 + AXIS + 200);
    os("\" height=\"");
    ou(h);
    os("\" viewBox=\"0 0 ");
    ou(X0 + AXIS + 200);
    oc(' ');
    ou(h);
    os("\" font-family=\"monospace\" font-size=\"11\">\n"
       "<style>\n"
       ".used{fill:#3b7dd8}.slack{fill:#a8c3ec}.free{fill:#c9e7c0}"
       ".hdr{fill:#555}"
       ".brk{fill:#d33}.corrupt{fill:#f00}.failrow{fill:#fdd}"
       ".failed{fill:#c00;font-weight:bold}.util{fill:#333}"
       ".axis{stroke:#999}\n"
       "</style>\n<text x=\"8\" y=\"16\" font-size=\"13\">heap over ");
    xml_text(trace_name);
    os(" (");
    xml_text(axis_label);
    os("): one row per step, newest at the bottom</text>\n"
       "<text x=\"8\" y=\"32\">address axis: initial break (+0) to "
       "high-water (+");
    ou(axis_end);
    os(" bytes); the red tick is the break</text>\n");
    /* legend */
    y = 42;
    rect(80, 120, y, 10, "used"), os("/>");
    os("<text x=\"22\" y=\""), ou(y + 9), os("\">used</text>\n");
    rect(700, 120, y, 10, "free"), os("/>");
    os("<text x=\"84\" y=\""), ou(y + 9), os("\">free</text>\n");
    rect(1300, 60, y, 10, "hdr"), os("/>");
    os("<text x=\"138\" y=\""), ou(y + 9), os("\">header/footer</text>\n");
    rect(2600, 20, y, 10, "brk"), os("/>");
    os("<text x=\"264\" y=\""), ou(y + 9), os("\">break</text>\n");
    rect(3200, 120, y, 10, "corrupt"), os("/>");
    os("<text x=\"336\" y=\""), ou(y + 9),
        os("\">failed check / corrupt block</text>\n");
    rect(5500, 120, y, 10, "slack"), os("/>");
    os("<text x=\"566\" y=\""), ou(y + 9),
        os("\">used block, beyond the bytes asked for</text>\n");
    os("<text x=\"8\" y=\"");
    ou(TOP - 6);
    os("\">op</text><text x=\"");
    ou(X0);
    os("\" y=\"");
    ou(TOP - 6);
    os("\">+0</text><text x=\"");
    ou(X0 + AXIS - 60);
    os("\" y=\"");
    ou(TOP - 6);
    os("\">+");
    ou(axis_end);
    os("</text><text x=\"");
    ou(X0 + AXIS + 8);
    os("\" y=\"");
    ou(TOP - 6);
    os("\">util so far</text>\n");
    for (i = 0; i < n_rows; i++)
        draw_row(i, TOP + i * ROW_H);
    if (rows_full)
        os("<text x=\"8\" y=\""), ou(h - 10),
            os("\">(more blocks than the picture holds: rows cut)</text>\n");
    os("</svg>\n");
    oflush();
    ofd = 1;
    if (oerr) {
        sys_close(fd);
        output_discard();
        svg_failed(svg_path, oerr);
        return;
    }
    r = output_commit(fd);
    if (r)
        svg_failed(svg_path, r);
}

static void dump_rows(void)
{
    unsigned i, c;
    for (i = 0; i < n_rows; i++) {
        const struct row *r = &rows[i];
        os("row ");
        ou(i);
        os(" op ");
        ou(r->op);
        os(" break +");
        ou(r->brk);
        os(" blocks ");
        ou(r->cells);
        if (r->bad)
            os(" corrupt"), os(" at +"), ou(r->bad_at);
        oc('\n');
        for (c = r->cell0; c < r->cell0 + r->cells; c++) {
            os("block ");
            ou(i);
            os(" +");
            ou(cell[c].off);
            oc(' ');
            ou(cell[c].size);
            os(cell[c].free ? " free\n" : " used\n");
        }
    }
}

/* ------------------------------------------------------- footprint
 *
 * make bench's one measure of memory for every allocator, the kit's (brk)
 * and the C libraries' (brk and mmap) alike: the peak number of pages the
 * process holds (c-harness/footprint.h: resident anonymous pages, less
 * the driver's own arrays and stack) over the trace, less those it held
 * before allocate_init. Every payload is written in full, as a program
 * writes the memory it asks for: a page the allocator took but nobody
 * touched is not held.
 *
 * Holding only grows inside allocate and reallocate and only shrinks
 * inside deallocate and reallocate, so its peak is seen by a measure
 * before each run of deallocates or reallocates (after the last op of
 * each run of allocates), after every reallocate and after the last op.
 * An allocator that gives memory back inside allocate (a trim on the way)
 * could hold more in the middle of a run than at its end: not measured.
 */
static unsigned fp_base, fp_peak;

static int fp_sample(void)
{
    unsigned n;
    if (fp_resident(&n))
        return -1;
    if (n > fp_base && n - fp_base > fp_peak)
        fp_peak = n - fp_base;
    return 0;
}

static int footprint(void)
{
    unsigned k, pages;

    if (fp_resident(&fp_base)) {
        put_str(2, "trace-driver: --footprint: cannot read "
                   "/proc/self/maps or mincore failed\n");
        return 1;
    }
    fp_peak = 0;
    allocate_init();
    if (!heap_begin) {
        put_str(2, "trace-driver: heap_begin is still 0 after "
                   "allocate_init\n");
        return 1;
    }
    for (k = 0; k < n_ops; k++) {
        const struct op *o = &ops[k];
        void *p = 0, *old = (void *)addr[o->id];

        switch (o->kind) {
        case OP_A:
            p = BENCH_ALLOC(o->size);
            break;
        case OP_F:
            BENCH_FREE(old);
            break;
        default:
            if (HAVE_REALLOC) {
                p = BENCH_REALLOC(old, o->size);
            } else {
                unsigned keep = size[o->id] < o->size ? size[o->id]
                                                      : o->size;
                p = BENCH_ALLOC(o->size);
                if (p) {
                    memcpy(p, old, keep);
                    BENCH_FREE(old);
                }
            }
            break;
        }
        if (o->kind != OP_F) {
            if (!p) {
                put_str(2, "trace-driver: --footprint: op ");
                put_udec(2, k + 1);
                put_str(2, " of ");
                put_str(2, trace_name);
                put_str(2, " got NULL\n");
                return 1;
            }
            memset(p, 0xa5, o->size);
            addr[o->id] = (unsigned)p;
            size[o->id] = o->size;
        }
        if ((o->kind == OP_R || k + 1 == n_ops || ops[k + 1].kind != OP_A)
            && fp_sample()) {
            put_str(2, "trace-driver: --footprint: the measure failed "
                       "after op ");
            put_udec(2, k + 1);
            put_str(2, "\n");
            return 1;
        }
    }
    pages = fp_peak;
    os("footprint: ");
    ou(n_ops);
    os(" ops, peak payload ");
    ou(trace_peak);
    os(", peak held ");
    ou(pages * FP_PAGE);
    os(" (");
    ou(pages);
    os(pages == 1 ? " page; " : " pages; ");
    ou(fp_base);
    os(" before allocate_init), util ");
    if (pages) {
        o_tenths(tenths_pct(trace_peak, pages * FP_PAGE));
        os("%\n");
    } else {
        os("-\n");
    }
    oflush();
    return 0;
}

/* ------------------------------------------------------------ main */

struct summary {
    const char *name;
    struct result r;
    int outcome;                /* 0 ok, 1 failed, 2 bad input */
};

static struct summary sums[256];

static const char *base(const char *p)
{
    const char *b = p;
    for (; *p; p++)
        if (*p == '/')
            b = p + 1;
    return b;
}

/* Runs the parsed trace in a child; returns its result. */
static int run_child(struct result *out, unsigned from, int dump)
{
    int fds[2], st = 0;
    long pid, n;

    oflush();
    if (sys_is_error(sys_pipe(fds)))
        return -1;
    pid = sys_fork();
    if (sys_is_error(pid))
        return -1;
    if (pid == 0) {
        sys_close(fds[0]);
        result_fd = fds[1];
        full_from = from;
        if (from)
            full_every = 1;
        dump_wanted = dump;
        replay();
    }
    sys_close(fds[1]);
    memset(out, 0, sizeof *out);
    n = sys_read(fds[0], out, sizeof *out);
    sys_waitpid(pid, &st, 0);
    sys_close(fds[0]);
    if (n != sizeof *out) {
        out->status = 1;
        os("[FAIL] ");
        os(trace_name);
        if (st & 0x7f) {
            os(": killed by signal ");
            ou(st & 0x7f);
            os(" before it could say which operation\n");
        } else {
            os(": the process exited ");
            ou((st >> 8) & 0xff);
            os(" before the case finished (the allocator ended the "
               "program: a call to exit?)\n");
        }
    }
    return 0;
}

static void usage(void)
{
    put_str(2, "usage: trace-driver [--svg FILE] [--dump] [--rows N] "
               "[--full] [--label TEXT] [--axis BYTES] [--timeout S] "
               "TRACE...\n"
               "       trace-driver --no-fork TRACE\n"
               "       trace-driver --bench TRACE\n"
               "       trace-driver --footprint TRACE\n");
    sys_exit(2);
}

int main(int argc, char **argv)
{
    int i, first = 1, status = 0, dump = 0, full = 0, nofork = 0;
    int bench_only = 0, foot_only = 0, svg_status = 0;
    unsigned n_sums = 0, mean_sum = 0, mean_n = 0;

    axis_label = "allocator";
    for (; first < argc && argv[first][0] == '-'; first++) {
        const char *a = argv[first];
        if (!strcmp(a, "--svg") && first + 1 < argc)
            svg_path = argv[++first];
        else if (!strcmp(a, "--dump"))
            dump = 1;
        else if (!strcmp(a, "--full"))
            full = 1;
        else if (!strcmp(a, "--timeout") && first + 1 < argc) {
            if (parse_uint(argv[++first], &time_limit) || !time_limit)
                usage();
        } else if (!strcmp(a, "--no-fork"))
            nofork = 1;
        else if (!strcmp(a, "--bench"))
            bench_only = 1;
        else if (!strcmp(a, "--footprint"))
            foot_only = 1;
        else if (!strcmp(a, "--axis") && first + 1 < argc) {
            if (parse_uint(argv[++first], &axis_min))
                usage();
        } else if (!strcmp(a, "--label") && first + 1 < argc)
            axis_label = argv[++first];
        else if (!strcmp(a, "--rows") && first + 1 < argc) {
            if (parse_uint(argv[++first], &max_rows) || max_rows < 2 ||
                max_rows > MAX_ROWS)
                usage();
        } else
            usage();
    }
    if (first == argc || argc - first > 256)
        usage();
    if ((svg_path || dump || nofork || bench_only || foot_only) &&
        argc - first != 1) {
        put_str(2, "trace-driver: --svg, --dump, --no-fork, --bench and "
                   "--footprint take one trace\n");
        return 2;
    }
    if (bench_only || foot_only) {
        trace_name = argv[first];
        if (parse(argv[first]))
            return 2;
        return bench_only ? bench() : footprint();
    }
    if (svg_path || dump)
        want_rows = 1;

    for (i = first; i < argc; i++) {
        struct summary *s = &sums[n_sums++];
        s->name = argv[i];
        os("[RUN]  ");
        os(argv[i]);
        oc('\n');
        if (parse(argv[i])) {
            s->outcome = 2;
            status = 2;
            os("[FAIL] ");
            os(argv[i]);
            os(": bad trace file (see the error above)\n");
            continue;
        }
        trace_name = argv[i];
        {
            unsigned long long work = (unsigned long long)n_ops * trace_peak;
            full_every = full ? 1 : div64(work, VERIFY_BUDGET) + 1;
        }
        row_every = n_ops / (max_rows - 1) + 1;
        if (nofork) {
            /* The replay exits with its status; nothing comes back. */
            result_fd = -1;
            dump_wanted = dump;
            replay();
        }
        run_child(&s->r, 0, dump);
        if (s->r.status == 3) {
            unsigned from = s->r.window_from, to = s->r.window_to;
            os("       damage found after op ");
            ou(to);
            os(", not after op ");
            ou(from);
            os(": replaying with full checks from op ");
            ou(from + 1);
            oc('\n');
            run_child(&s->r, from, dump);
            if (s->r.status == 0 || s->r.status == 3) {
                os("[FAIL] ");
                os(trace_name);
                os(": live bytes changed between op ");
                ou(from + 1);
                os(" and op ");
                ou(to);
                os(" (the replay did not repeat it: not deterministic)\n");
                s->r.status = 1;
            }
        }
        if (s->r.svg_err)
            svg_status = 2;     /* the picture asked for is not there */
        if (s->r.status) {
            s->outcome = 1;
            if (!status)
                status = 1;
            continue;
        }
        say_ok(&s->r);
    }

    os("\ntrace                             ops     peak     heap    util"
       "  brk\n");
    for (i = 0; i < (int)n_sums; i++) {
        const struct summary *s = &sums[i];
        const char *b = base(s->name);
        unsigned k;
        os(b);
        for (k = strlen(b); k < 28; k++)
            oc(' ');
        if (s->outcome) {
            os(s->outcome == 2 ? "   bad trace file\n" : "   FAILED\n");
            continue;
        }
        for (k = 0; k < 3; k++) {
            unsigned v = k == 0 ? s->r.ops : k == 1 ? s->r.peak : s->r.high;
            char b2[12], *p = b2 + sizeof b2;
            *--p = 0;
            do
                *--p = '0' + v % 10;
            while (v /= 10);
            for (unsigned w = strlen(p); w < 9; w++)
                oc(' ');
            os(p);
        }
        if (s->r.outside) {
            os("       -");             /* payloads outside the heap */
        } else {
            unsigned t = tenths_pct(s->r.peak, s->r.high);
            os(t < 100 ? "    " : t < 1000 ? "   " : "  ");
            o_tenths(t);
            os("%");
            mean_sum += t;
            mean_n++;
        }
        os("  ");
        ou(s->r.brks);
        oc('\n');
    }
    if (mean_n) {
        os("mean utilization over ");
        ou(mean_n);
        os(mean_n == 1 ? " trace: " : " traces: ");
        o_tenths((mean_sum + mean_n / 2) / mean_n);
        os("%\n");
    }
    {
        unsigned ok = 0, bad_n = 0;
        for (i = 0; i < (int)n_sums; i++) {
            if (sums[i].outcome == 0)
                ok++;
            else
                bad_n++;
        }
        ou(ok);
        os(" passed, ");
        ou(bad_n);
        os(" failed\n");
    }
    oflush();
    return svg_status ? svg_status : status;
}
