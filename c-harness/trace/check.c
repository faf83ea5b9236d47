/* check.c — the checked replay (check.h): after every operation of the
 * trace the result is checked (not 0, aligned, inside the heap, over no
 * live payload), the bytes every live id wrote are verified (near the
 * change at once, all of them every full_every ops), heap_check is
 * called, and the heap is walked for the picture's rows. The first
 * failure is said, drawn and ends the replay. The checks themselves are
 * listed in trace-driver.c's header and docs/lab.md.
 */
#include "rt.h"
#include "layout.h"
#include "heapmap.h"
#include "trace/out.h"
#include "trace/parse.h"
#include "trace/check.h"
#include "trace/svg.h"

#define TIME_LIMIT    20            /* seconds a trace may run, default */
#define ALIGN         8

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
extern int   heap_check(void) __attribute__((weak));
/* Hosted shims only (glibc-shim.c): defined when payloads may come from
 * mmap, outside [heap_begin, current_break). Weak: absent, it is 0. */
extern const int memkit_heap_anywhere __attribute__((weak));
/* Hosted shims only: defined when the allocator promises C's alignment
 * (C17 7.22.3: suitable for any object that fits in the size asked for,
 * so a 4-byte request may get a 4-byte aligned payload) instead of the
 * kit's 8 bytes for every size. */
extern const int memkit_align_c __attribute__((weak));

/* ------------------------------------------------------ the live set */

unsigned addr[MAX_IDS];             /* payload address of each live id */
unsigned size[MAX_IDS];             /* its requested size */
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

static struct result res;
static unsigned cur_op;         /* 1-based number of the running op */
static unsigned brk0, last_break;
unsigned full_every, full_from;
static unsigned last_full_ok;
int want_rows;
unsigned time_limit = TIME_LIMIT;

/* -------------------------------------------------------- the rows */

struct cell cell[MAX_CELLS];
static unsigned n_cells;
struct row rows[MAX_ROWS + 2];
unsigned n_rows, row_every;
static unsigned live_bytes;
int rows_full;

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

static void say_op(unsigned n)
{
    const struct op *o = &ops[n - 1];
    os("op ");
    ou(n);
    os(" (line ");
    ou(o->line);
    os(": ");
    os_op(o);
    os(")");
}

/* `[FAIL] TRACE: op N (line L: a ID SIZE): ` — what every failure of
 * the running op starts with. */
static void say_fail(void)
{
    os("[FAIL] ");
    os(trace_name);
    os(": ");
    if (cur_op)
        say_op(cur_op);
    else
        os("allocate_init");
    os(": ");
}

int result_fd, dump_wanted;

void say_ok(const struct result *r)
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
        res.svg_err = write_svg(res.high);
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

    say_fail();
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
                     : sig == 14 || sig == 27 ? "timed out after "
                     : "the allocator crashed with a signal";
    odrop();
    say_fail();
    os(name);
    if (sig == 27) {
        ou(time_limit);
        os(" s of CPU time (an allocator call that never returns?)");
    } else if (sig == 14) {
        ou(time_limit * 3 + 10);
        os(" s (a call that blocks and never returns?)");
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

void checked_replay(void)
{
    unsigned k;

    catch_signal(11, crashed);
    catch_signal(7, crashed);
    catch_signal(4, crashed);
    catch_signal(8, crashed);
    catch_signal(14, crashed);
    catch_signal(27, crashed);
    /* The limit is CPU time: a loaded machine cannot make a correct
     * replay time out. The alarm, three times longer and 10 s more,
     * stops one that blocks without computing. */
    sys_cpu_limit(time_limit);
    sys_alarm(time_limit * 3 + 10);

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
