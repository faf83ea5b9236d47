/* alloc-test.c — the allocator contract: what any allocator with the
 * book's ABI must do, and what this one says it does.
 *
 *   alloc-test                 run the cases this allocator is held to
 *   alloc-test ID...           run only these cases, in this order,
 *                              declared or not
 *   alloc-test --list          the cases a plain run runs: ID  what
 *   alloc-test --list-all      every case, and the property it needs
 *   alloc-test --props         the properties the allocator declares
 *   alloc-test --timeout S ... give each case S seconds (default 10)
 *   alloc-test --no-fork ID... run the cases in this one process, one
 *                              heap for all: for gdb and for traces
 *                              (qemu-i386 -strace), where one process's
 *                              lines are easier to read
 *
 * Two kinds of case. Universal ones hold for every allocator: unique,
 * aligned, non-overlapping payloads that keep their bytes, deallocate(0),
 * no wrap on huge sizes, a refused brk returning 0 with the heap still
 * usable, callee-saved registers and DF kept, allocate_init starting the
 * heap at the break and harmless twice, freed memory used again. Declared
 * ones hold only for an allocator that promises them in memkit_props
 * (layout.h): auto-init, splits, coalesces, first-fit, book-header.
 * Without auto-init, the reference's behaviour is checked instead:
 * allocate before allocate_init returns 0 and never calls brk.
 *
 * Each case runs in a process of its own (fork), with a fresh heap, an
 * alarm and nothing shared: a case that crashes or never returns is that
 * case's [FAIL], with the signal named, and the next case still runs.
 * The closing line is "N passed, N failed"; the exit status is 1 if any
 * case failed, 2 for a usage error or a memkit_props the kit cannot read.
 * tests/alloc.bats, tests/check.bats and tests/errata.bats run it;
 * make check (tools/check.sh) is the student's way in.
 */
#include "rt.h"
#include "alloc.h"
#include "heapmap.h"
#include "layout.h"

/* call_checked (callcheck.s): call fn(arg) with canaries in the callee-
 * saved registers; returns which of them (and DF) did not survive. */
unsigned call_checked(void *fn, unsigned arg, unsigned *result);
#define BAD_EBX 0x01
#define BAD_ESI 0x02
#define BAD_EDI 0x04
#define BAD_EBP 0x08
#define BAD_ESP 0x10
#define BAD_DF  0x20

/* The allocator's declaration; weak, so an allocator without one links
 * and reads as MEMKIT_PROPS_DEFAULT. */
extern const char memkit_props[] __attribute__((weak));
/* Optional too (layout.h): the allocator's own consistency check. */
int heap_check(void) __attribute__((weak));

/* ------------------------------------------------------- properties */

#define P_AUTO_INIT   0x01
#define P_SPLITS      0x02
#define P_COALESCES   0x04
#define P_FIRST_FIT   0x08
#define P_BOOK_HEADER 0x10

static const struct prop {
    const char *name;
    unsigned bit;
} props[] = {
    { "auto-init",   P_AUTO_INIT },
    { "splits",      P_SPLITS },
    { "coalesces",   P_COALESCES },
    { "first-fit",   P_FIRST_FIT },
    { "book-header", P_BOOK_HEADER },
};
#define NPROPS (sizeof props / sizeof props[0])

static unsigned declared;               /* P_* bits of memkit_props */

static const char *props_text(void)
{
    return memkit_props ? memkit_props : MEMKIT_PROPS_DEFAULT;
}

/* Reads the declaration into `declared`. A name the kit does not know is
 * an error, not a property switched off: prints it and returns -1. */
static int read_props(void)
{
    const char *s = props_text();
    declared = 0;
    while (*s) {
        const char *w;
        unsigned n, i;
        while (*s == ' ' || *s == '\t' || *s == ',')
            s++;
        if (!*s)
            break;
        for (w = s, n = 0; s[0] && s[0] != ' ' && s[0] != '\t'
                           && s[0] != ','; s++)
            n++;
        for (i = 0; i < NPROPS; i++)
            if (strlen(props[i].name) == n && memcmp(props[i].name, w, n) == 0)
                break;
        if (i == NPROPS) {
            put_str(2, "alloc-test: memkit_props names a property the kit "
                       "does not know: '");
            sys_write(2, w, n);
            put_str(2, "'\n  memkit_props: \"");
            put_str(2, props_text());
            put_str(2, "\"\n  known properties:");
            for (i = 0; i < NPROPS; i++) {
                put_char(2, ' ');
                put_str(2, props[i].name);
            }
            put_char(2, '\n');
            return -1;
        }
        declared |= props[i].bit;
    }
    return 0;
}

static const char *prop_name(unsigned bit)
{
    for (unsigned i = 0; i < NPROPS; i++)
        if (props[i].bit == bit)
            return props[i].name;
    return "?";
}

/* ------------------------------------------------------ messages */

/* say(fmt, ...) — a failure message in words, into one static buffer:
 * %u decimal, %x hex, %s a string. Only what the cases need. */
static char msg[400];

static const char *say(const char *fmt, ...)
{
    __builtin_va_list ap;
    unsigned n = 0;

    __builtin_va_start(ap, fmt);
    for (; *fmt && n < sizeof msg - 12; fmt++) {
        if (fmt[0] != '%' || !fmt[1]) {
            msg[n++] = *fmt;
            continue;
        }
        fmt++;
        if (*fmt == 's') {
            const char *s = __builtin_va_arg(ap, const char *);
            while (*s && n < sizeof msg - 12)
                msg[n++] = *s++;
        } else {
            unsigned v = __builtin_va_arg(ap, unsigned), base = 10, d = 0;
            char digits[12];
            if (*fmt == 'x') {
                base = 16;
                msg[n++] = '0';
                msg[n++] = 'x';
            }
            do {
                digits[d++] = "0123456789abcdef"[v % base];
                v /= base;
            } while (v);
            while (d)
                msg[n++] = digits[--d];
        }
    }
    __builtin_va_end(ap);
    msg[n] = 0;
    return msg;
}

/* EXPECT(got, expected, fmt, ...) — stop the case with
 *   [FAIL] got X, expected Y (what broke, in words, file:line)
 * unless got == expected. MUST(cond, fmt, ...) is the same for a
 * condition (got 0x0, expected 0x1). */
#define EXPECT(got, expected, ...) do {                                 \
        unsigned g_ = (unsigned)(got), e_ = (unsigned)(expected);       \
        if (g_ != e_) {                                                 \
            t_fail(say(__VA_ARGS__), g_, e_, __FILE__, __LINE__);       \
            return;                                                     \
        }                                                               \
    } while (0)

#define MUST(cond, ...) do {                                            \
        if (!(cond)) {                                                  \
            t_fail(say(__VA_ARGS__), 0, 1, __FILE__, __LINE__);         \
            return;                                                     \
        }                                                               \
    } while (0)

/* ------------------------------------------------------ the heap */

static uintptr_t round8(unsigned n)
{
    return (n + (ALIGNMENT - 1)) & ~(uintptr_t)(ALIGNMENT - 1);
}

static uintptr_t hb(void) { return (uintptr_t)heap_begin; }

/* The heap starts at the break brk(0) returned, rounded up to an 8-byte
 * boundary or a coarser one, up to a page (4096): an allocator may align
 * its heap to 16 or to a page, and that is still the break. Anything
 * else (the book's break + 1, rounded: erratum 1) is not. */
static int starts_at_break(uintptr_t brk0)
{
    uintptr_t a;
    for (a = ALIGNMENT; a <= 4096; a *= 2)
        if (hb() == ((brk0 + a - 1) & ~(a - 1)))
            return 1;
    return 0;
}
static uintptr_t cb(void) { return (uintptr_t)current_break; }

/* ------------------------------------ naming a block that is bad
 *
 * heap_corrupt_text(st): why a walk stopped, naming the block: "REASON:
 * the block at 0x... (heap_begin + 0x...), header words 0x... 0x..."
 * (only the words that lie below the break). One static buffer. */

static char why_buf[200];
static unsigned why_n;

static void why_str(const char *t)
{
    while (*t && why_n < sizeof why_buf - 1)
        why_buf[why_n++] = *t++;
}

static void why_hex(unsigned v)
{
    int i;
    why_str("0x");
    for (i = 28; i >= 0; i -= 4)
        if (why_n < sizeof why_buf - 1)
            why_buf[why_n++] = "0123456789abcdef"[(v >> i) & 15];
}

static const char *heap_corrupt_text(const struct heap_stats *s)
{
    uintptr_t at = (uintptr_t)s->corrupt_at, end = (uintptr_t)current_break;
    unsigned i;

    why_n = 0;
    why_str(s->corrupt ? s->corrupt : "the walk failed");
    if (at) {
        why_str(": the block at ");
        why_hex(at);
        why_str(" (heap_begin + ");
        why_hex(at - (uintptr_t)heap_begin);
        why_str(")");
        /* Only the words below the break: past it may not be mapped. */
        for (i = 0; i < 2 && at + 4 * i + 4 <= end && at + 4 * i + 4 > at;
             i++) {
            why_str(i ? " " : ", header words ");
            why_hex(((const unsigned *)at)[i]);
        }
    }
    why_buf[why_n] = 0;
    return why_buf;
}

/* Bytes a block costs besides its payload, from the allocator's layout. */
static unsigned overhead(void)
{
    const struct memkit_layout *l = heap_layout();
    return l->header + l->footer;
}

/* Every allocator call in the cases goes through these: each runs under
 * the register check (so a clobbered register cannot crash the harness)
 * and growth of the break is counted. Only the callee-saved case reports
 * what the check saw, so a broken register is one failure, not twenty. */
static unsigned reg_trouble;

static void *A(unsigned size)
{
    uintptr_t before = cb();
    unsigned p;
    reg_trouble |= call_checked((void *)allocate, size, &p);
    if (cb() != before)
        brk_calls_seen++;
    return (void *)p;
}

static void D(void *p)
{
    unsigned ignored;
    reg_trouble |= call_checked((void *)deallocate, (uintptr_t)p, &ignored);
}

static void INIT(void)
{
    uintptr_t before = hb();
    unsigned ignored;
    reg_trouble |= call_checked((void *)allocate_init, 0, &ignored);
    if (!before && hb())
        brk_calls_seen++;
}

/* p is a payload of n bytes: aligned and within [heap_begin, break),
 * after at least one header. */
static int in_heap(void *p, unsigned n)
{
    uintptr_t a = (uintptr_t)p;
    return a % ALIGNMENT == 0 && a >= hb() + heap_layout()->header
        && a <= cb() && n <= cb() - a;
}

/* Payloads p (n bytes asked for) and q (m bytes) share no byte. A block
 * asked for with 0 bytes still owns the 8 the allocator gave it. */
static int disjoint(const void *p, unsigned n, const void *q, unsigned m)
{
    uintptr_t a = (uintptr_t)p, b = (uintptr_t)q;
    unsigned na = n ? n : ALIGNMENT, nb = m ? m : ALIGNMENT;
    return a + na <= b || b + nb <= a;
}

/* ------------------------------------------------ limiting the heap
 *
 * To make brk fail at a modest size, lower the soft RLIMIT_DATA to what
 * the heap uses now plus 1 MiB. qemu-i386 accepts setrlimit(RLIMIT_DATA)
 * but does not apply it (and getrlimit then still reports the old value),
 * so under qemu only requests larger than its guest address space can
 * fail; natively both do. data_limited says which case we are in. Each
 * case runs in its own process, so a limit never outlives its case.
 */
static struct rlimit saved_limit;
static int data_limited;

static void limit_data(void)
{
    struct rlimit rl;
    data_limited = 0;
    if (sys_getrlimit(RLIMIT_DATA, &saved_limit) != 0)
        return;
    rl = saved_limit;
    rl.rlim_cur = (cb() - hb()) + (1u << 20);
    if (rl.rlim_max != RLIM_INFINITY && rl.rlim_cur > rl.rlim_max)
        return;
    if (sys_setrlimit(RLIMIT_DATA, &rl) != 0)
        return;
    if (sys_getrlimit(RLIMIT_DATA, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY
        && rl.rlim_cur == (cb() - hb()) + (1u << 20))
        data_limited = 1;
}

static void unlimit_data(void)
{
    if (data_limited)
        sys_setrlimit(RLIMIT_DATA, &saved_limit);
    data_limited = 0;
}

/* ------------------------------------------- cases: starting the heap */

static void before_init(void)
{
    uintptr_t brk0 = sys_brk(0);
    EXPECT(hb(), 0, "before-init: heap_begin should be 0 until "
           "allocate_init runs");
    EXPECT(A(16), 0, "before-init: allocate(16) before allocate_init "
           "should return 0 (declare auto-init if yours starts the heap)");
    EXPECT(A(0), 0, "before-init: allocate(0) before allocate_init "
           "should return 0");
    EXPECT(sys_brk(0), brk0, "before-init: allocate before allocate_init "
           "should not call brk");
    EXPECT(cb(), 0, "before-init: current_break should stay 0");
    D(0);
}

static void auto_init(void)
{
    uintptr_t brk0 = sys_brk(0);
    void *p, *q;

    EXPECT(hb(), 0, "auto-init: heap_begin should be 0 before the first "
           "call");
    p = A(16);
    MUST(p != 0, "auto-init: allocate(16) before allocate_init should "
         "start the heap and return a block; it returned 0");
    MUST(starts_at_break(brk0), "auto-init: the heap the first allocate "
         "starts should begin at the break brk(0) returned (%x), rounded up "
         "to a multiple of 8, 16, ... or 4096; heap_begin is %x", brk0,
         hb());
    brk0 = hb();
    MUST(in_heap(p, 16), "auto-init: the first block should be aligned "
         "and inside [heap_begin, current_break)");
    pattern_fill(p, 16, 3);
    INIT();
    EXPECT(hb(), brk0, "auto-init: a later allocate_init should "
           "keep the heap the first allocate started");
    EXPECT(pattern_intact(p, 16, 3), 16,
           "auto-init: a later allocate_init should "
           "keep the first block's bytes");
    q = A(32);
    MUST(q != 0 && in_heap(q, 32) && disjoint(p, 16, q, 32),
         "auto-init: a second allocate should return a new block beside "
         "the first");
    D(q);
    D(p);
}

static void init_at_break(void)
{
    uintptr_t brk0 = sys_brk(0);
    struct heap_stats s;

    INIT();
    /* brk(0) returns the first address past the data: the heap starts
     * there (rounded up to 8, or to 16 or a page by an allocator that
     * wants its heap aligned so). */
    MUST(starts_at_break(brk0), "init-at-break: heap_begin should be the "
         "break brk(0) returned (%x), rounded up to a multiple of 8, 16, ... "
         "or 4096; it is %x", brk0, hb());
    EXPECT(hb() % ALIGNMENT, 0, "init-at-break: heap_begin should be "
           "8-byte aligned");
    EXPECT(heap_stats(&s), 0, "init-at-break: the new heap should walk "
           "cleanly with the allocator's layout");
    EXPECT(s.blocks, 0, "init-at-break: a new heap should hold no block");
    EXPECT(sys_brk(0), cb(), "init-at-break: the kernel's break should be "
           "current_break");
}

static void init_twice(void)
{
    uintptr_t b, e;
    void *p, *q;

    INIT();
    p = A(40);
    MUST(p != 0, "init-twice: allocate(40) after allocate_init returned 0");
    pattern_fill(p, 40, 1);
    b = hb(), e = cb();
    INIT();
    EXPECT(hb(), b, "init-twice: a second allocate_init should keep "
           "heap_begin");
    EXPECT(cb(), e, "init-twice: a second allocate_init should keep "
           "current_break");
    EXPECT(pattern_intact(p, 40, 1), 40, "init-twice: a second allocate_init "
           "should keep the bytes of a live block (first wrong byte)");
    q = A(40);
    MUST(q != 0 && q != p, "init-twice: a block still in use was handed "
         "out again after the second allocate_init");
    D(q);
    D(p);
}

/* ------------------------------------------- cases: universal blocks */

/* A payload a request got: 8-byte aligned, inside the heap, or the case
 * fails. `how` says which path handed it out ("" on a growing heap). */
#define ALIGNED(q, n, how) do {                                         \
        MUST((q) != 0, "alignment: allocate(%u)%s returned 0", (n), how); \
        EXPECT((uintptr_t)(q) % ALIGNMENT, 0, "alignment: allocate(%u)%s " \
               "returned a payload that is not 8-byte aligned (got: "  \
               "address mod 8)", (n), how);                             \
        MUST(in_heap((q), (n)), "alignment: allocate(%u)%s returned a " \
             "payload outside [heap_begin, current_break)", (n), how);  \
    } while (0)

/* Odd sizes kept live side by side: if sizes were not rounded, the second
 * block of a run would start at an odd address. Then the same on the two
 * other paths a payload comes from: a larger free block cut up (a split
 * that gets the rest's header wrong puts the next payload off by its
 * error) and freed blocks handed out again, larger ones first. */
static void alignment(void)
{
    static void *p[72], *q[32];
    static const char grown[] = "";
    static const char cut[] = " from a freed 1024-byte block";
    static const char again[] = " from freed blocks";
    void *big, *guard;
    unsigned n;

    INIT();
    for (n = 1; n < 72; n++) {
        p[n] = A(n);
        ALIGNED(p[n], n, grown);
        pattern_fill(p[n], n, n);
    }
    big = A(1024);
    guard = A(16);
    MUST(big && guard, "alignment: allocate(1024) and allocate(16) returned "
         "0");
    D(big);
    for (n = 1; n < 32; n++) {
        q[n] = A(n);
        ALIGNED(q[n], n, cut);
        pattern_fill(q[n], n, 100 + n);
    }
    for (n = 1; n < 72; n += 2)             /* free every odd size ... */
        D(p[n]);
    for (n = 71; n < 72; n -= 2) {          /* ... and ask again, big first */
        p[n] = A(n);
        ALIGNED(p[n], n, again);
        pattern_fill(p[n], n, n);
    }
    for (n = 1; n < 72; n++) {
        EXPECT(pattern_intact(p[n], n, n), n,
               "alignment: the %u-byte block lost "
               "a byte (got: first wrong byte)", n);
        D(p[n]);
    }
    for (n = 1; n < 32; n++) {
        EXPECT(pattern_intact(q[n], n, 100 + n), n,
               "alignment: the %u-byte block cut from a freed one lost "
               "a byte (got: first wrong byte)", n);
        D(q[n]);
    }
    D(guard);
}

static void zero_size(void)
{
    void *p, *q;
    INIT();
    p = A(0);
    q = A(0);
    MUST(p != 0 && q != 0, "zero-size: allocate(0) should return a block "
         "of its own, not 0");
    MUST(p != q, "zero-size: two allocate(0) returned the same pointer");
    MUST(in_heap(p, 8) && in_heap(q, 8), "zero-size: allocate(0) should "
         "return an aligned 8-byte block inside the heap");
    memset(p, 0xAA, 8);                     /* documented: an 8-byte block */
    memset(q, 0x55, 8);
    EXPECT(((uint8_t *)p)[7], 0xAA, "zero-size: the blocks of two "
           "allocate(0) overlap");
    EXPECT(((uint8_t *)q)[0], 0x55, "zero-size: the blocks of two "
           "allocate(0) overlap");
    D(p);
    D(q);
}

#define NLIVE 64
static void no_overlap(void)
{
    static void *p[NLIVE];
    static unsigned size[NLIVE];
    unsigned i, j;

    INIT();
    for (i = 0; i < NLIVE; i++) {
        size[i] = (i * 37) % 513;
        p[i] = A(size[i]);
        MUST(p[i] != 0, "no-overlap: allocate(%u) returned 0", size[i]);
        MUST(in_heap(p[i], size[i]), "no-overlap: allocate(%u) returned "
             "a payload outside the heap", size[i]);
        pattern_fill(p[i], size[i], i);
    }
    for (i = 0; i < NLIVE; i++)
        for (j = i + 1; j < NLIVE; j++)
            MUST(disjoint(p[i], size[i], p[j], size[j]), "no-overlap: "
                 "live blocks of %u and %u bytes overlap", size[i], size[j]);
    for (i = 0; i < NLIVE; i += 3) {        /* free a third ... */
        D(p[i]);
        p[i] = 0;
    }
    for (i = 0; i < NLIVE; i += 3) {        /* ... and take new blocks */
        size[i] = (i * 53) % 257;
        p[i] = A(size[i]);
        MUST(p[i] != 0, "no-overlap: allocate(%u) returned 0", size[i]);
        pattern_fill(p[i], size[i], i + 100);
    }
    for (i = 0; i < NLIVE; i++) {
        unsigned tag = i % 3 == 0 ? i + 100 : i;
        EXPECT(pattern_intact(p[i], size[i], tag), size[i],
               "no-overlap: a live "
               "%u-byte block lost a byte when others were freed and "
               "allocated (got: first wrong byte)", size[i]);
    }
    for (i = 0; i < NLIVE; i++)
        D(p[i]);
}

/* A block in the middle of the heap (a guard keeps it off the break)
 * is freed and the same size asked again: any allocator worth the name
 * uses that memory rather than growing. */
static void reuse(void)
{
    void *x, *guard, *r;
    uintptr_t brk_before;

    INIT();
    x = A(1000);
    guard = A(16);
    MUST(x && guard, "reuse: allocate(1000) and allocate(16) should "
         "succeed");
    D(x);
    brk_before = cb();
    r = A(1000);
    MUST(r != 0, "reuse: allocate(1000) after freeing a 1000-byte block "
         "returned 0");
    EXPECT(cb(), brk_before, "reuse: a 1000-byte request after a "
           "1000-byte block was freed should reuse it, not move the break");
    MUST(in_heap(r, 1000) && disjoint(r, 1000, guard, 16), "reuse: the "
         "reused block should be inside the heap and apart from the live "
         "one");
    D(r);
    D(guard);
}

static void free_null(void)
{
    struct heap_stats before, after;
    void *p;
    uintptr_t brk_before;

    INIT();
    p = A(48);
    MUST(p != 0, "free-null: allocate(48) returned 0");
    pattern_fill(p, 48, 7);
    EXPECT(heap_stats(&before), 0, "free-null: the heap walk failed before "
           "deallocate(0)");
    brk_before = cb();
    D(0);
    D(0);
    EXPECT(heap_stats(&after), 0, "free-null: deallocate(0) damaged the "
           "heap (its walk now fails)");
    EXPECT(cb(), brk_before, "free-null: deallocate(0) moved the break");
    EXPECT(after.blocks, before.blocks, "free-null: deallocate(0) changed "
           "the number of blocks");
    EXPECT(after.used, before.used, "free-null: deallocate(0) changed the "
           "bytes in use");
    EXPECT(after.free, before.free, "free-null: deallocate(0) changed the "
           "free bytes");
    EXPECT(pattern_intact(p, 48, 7), 48,
           "free-null: deallocate(0) changed a live "
           "block (got: first wrong byte)");
    D(p);
}

/* Large but representable requests: break + header + size stays below
 * 2^32, so a 0 result can only come from brk refusing (checked against
 * qemu-i386 -strace in tests/errata.bats). */
static void brk_failure(void)
{
    static void *p[4];
    uintptr_t brk_before;
    unsigned i;
    void *q;

    INIT();
    for (i = 0; i < 4; i++) {
        p[i] = A(100 + i * 50);
        MUST(p[i] != 0, "brk-failure: allocate(%u) returned 0",
             100 + i * 50);
        pattern_fill(p[i], 100 + i * 50, i + 40);
    }
    brk_before = cb();
    limit_data();
    put_str(1, data_limited ? "       RLIMIT_DATA lowered: brk refuses past"
                              " 1 MiB more\n"
                            : "       RLIMIT_DATA not applied (qemu-i386):"
                              " only the 3 GiB request can fail\n");
    if (data_limited) {
        q = A(4u << 20);                    /* 4 MiB > the limit */
        EXPECT(q, 0, "brk-failure: allocate(4 MiB) past RLIMIT_DATA should "
               "return 0 when brk refuses");
        EXPECT(cb(), brk_before, "brk-failure: a refused brk should leave "
               "current_break as it was");
        EXPECT(sys_brk(0), brk_before, "brk-failure: a refused brk should "
               "leave the kernel's break as it was");
    }
    q = A(0xC0000000u);                     /* 3 GiB: more than qemu holds */
    unlimit_data();
    EXPECT(q, 0, "brk-failure: allocate(3 GiB) should return 0 when brk "
           "refuses (Linux returns the old break, not 0)");
    EXPECT(cb(), brk_before, "brk-failure: a refused brk should leave "
           "current_break as it was");
    EXPECT(sys_brk(0), brk_before, "brk-failure: a refused brk should "
           "leave the kernel's break as it was");

    q = A(16);                              /* and still usable */
    MUST(q != 0 && in_heap(q, 16), "brk-failure: after a refused brk, "
         "allocate(16) should still work");
    for (i = 0; i < 4; i++)
        EXPECT(pattern_intact(p[i], 100 + i * 50, i + 40), 100 + i * 50,
               "brk-failure: a live block lost a byte around the refused "
               "brk (got: first wrong byte)");
    D(q);
    for (i = 0; i < 4; i++)
        D(p[i]);
}

/* Sizes at or above 2^31 are negative as signed ints: a signed compare
 * would find the free 16-byte block "big enough". */
static void unsigned_size(void)
{
    static const unsigned big[] = { 0x80000000u, 0x9FFFFFF0u, 0xA0000000u };
    uintptr_t brk_before;
    void *small;
    unsigned i;

    INIT();
    small = A(16);
    MUST(small != 0, "unsigned-size: allocate(16) returned 0");
    D(small);                               /* a free block now exists */
    brk_before = cb();
    limit_data();                           /* natively 2 GiB could succeed */
    for (i = 0; i < sizeof big / sizeof big[0]; i++) {
        void *q = A(big[i]);
        unlimit_data();
        EXPECT(q, 0, "unsigned-size: allocate(%x) should return 0, not a "
               "small free block (sizes compare unsigned)", big[i]);
        EXPECT(cb(), brk_before, "unsigned-size: allocate(%x) moved the "
               "break", big[i]);
        limit_data();
    }
    unlimit_data();
    EXPECT(sys_brk(0), brk_before, "unsigned-size: the kernel's break "
           "moved");
}

static void size_overflow(void)
{
    unsigned sizes[6];
    uintptr_t brk_before;
    unsigned i;

    INIT();
    brk_before = cb();
    sizes[0] = 0xFFFFFFF8u;                 /* + header wraps */
    sizes[1] = 0xFFFFFFFFu;                 /* rounding wraps */
    sizes[2] = 0xFFFFFFF9u;                 /* rounding wraps */
    sizes[3] = 0xFFFFFFF0u;                 /* + header + break wraps */
    sizes[4] = 0u - brk_before;             /* break + size = 2^32 */
    sizes[5] = 0u - brk_before - HEADER_SIZE;   /* + 8 = 2^32 */
    for (i = 0; i < 6; i++) {
        EXPECT(A(sizes[i]), 0, "size-overflow: allocate(%x) should return "
               "0: its size arithmetic passes 2^32", sizes[i]);
        EXPECT(cb(), brk_before, "size-overflow: allocate(%x) moved "
               "current_break", sizes[i]);
        EXPECT(sys_brk(0), brk_before, "size-overflow: allocate(%x) moved "
               "the kernel's break", sizes[i]);
    }
}

/* Reports broken register promises by name:
 *   [FAIL] got 0x1, expected 0x0 (callee-saved: allocate(4096), growing,
 *          broke %ebx, ...)
 */
static void reg_fail(const char *call, unsigned bad, int line)
{
    static const char *const names[] = {
        " %ebx", " %esi", " %edi", " %ebp", " %esp", " DF (left set)"
    };
    char what[64];
    unsigned i, n = 0;

    for (i = 0; i < 6; i++)
        if (bad & (1u << i))
            for (const char *p = names[i]; *p && n < sizeof what - 1; p++)
                what[n++] = *p;
    what[n] = 0;
    t_fail(say("callee-saved: %s broke%s", call, what), bad, 0,
           __FILE__, line);
}

#define CHECK_CALL(call, bad) do {                                      \
        unsigned b_ = (bad);                                            \
        if (b_) {                                                       \
            reg_fail(call, b_, __LINE__);                               \
            return;                                                     \
        }                                                               \
    } while (0)

/* Every path through the three functions an allocator is likely to have,
 * each call through the check thunk; which register broke is reported
 * bit by bit. It starts in a fresh process, so the first call is an
 * allocate before allocate_init (0, or the auto-init path). */
static void callee_saved(void)
{
    unsigned r, bad;
    void *p, *q, *s;

    bad = call_checked((void *)allocate, 16, &r);
    CHECK_CALL("allocate(16) before allocate_init", bad);
    bad = call_checked((void *)allocate_init, 0, &r);
    CHECK_CALL("allocate_init", bad);
    bad = call_checked((void *)allocate_init, 0, &r);
    CHECK_CALL("allocate_init, heap already there", bad);
    bad = call_checked((void *)allocate, 4096, &r);
    CHECK_CALL("allocate(4096), growing", bad);
    MUST(r != 0, "callee-saved: allocate(4096) returned 0");
    p = (void *)r;
    bad = call_checked((void *)allocate, 16, &r);   /* keeps p off the end */
    CHECK_CALL("allocate(16), growing", bad);
    s = (void *)r;
    bad = call_checked((void *)deallocate, (uintptr_t)p, &r);
    CHECK_CALL("deallocate(p)", bad);
    bad = call_checked((void *)allocate, 4096, &r);
    CHECK_CALL("allocate(4096), reusing", bad);
    MUST(r != 0, "callee-saved: allocate(4096) returned 0");
    bad = call_checked((void *)deallocate, r, &r);
    CHECK_CALL("deallocate(p) again", bad);
    bad = call_checked((void *)allocate, 64, &r);   /* a split, if any */
    CHECK_CALL("allocate(64) from a free 4096-byte block", bad);
    q = (void *)r;
    bad = call_checked((void *)allocate, 64, &r);
    CHECK_CALL("allocate(64) again", bad);
    bad = call_checked((void *)deallocate, r, &r);  /* merges, if any */
    CHECK_CALL("deallocate of a block beside a free one", bad);
    bad = call_checked((void *)deallocate, (uintptr_t)q, &r);
    CHECK_CALL("deallocate of a block between free ones", bad);
    bad = call_checked((void *)allocate, 0, &r);
    CHECK_CALL("allocate(0)", bad);
    bad = call_checked((void *)deallocate, r, &r);
    CHECK_CALL("deallocate(allocate(0))", bad);
    bad = call_checked((void *)allocate, 0xFFFFFFFFu, &r);
    CHECK_CALL("allocate(0xFFFFFFFF), overflowing", bad);
    limit_data();
    bad = call_checked((void *)allocate, 0xC0000000u, &r);
    unlimit_data();
    CHECK_CALL("allocate(0xC0000000), brk refused", bad);
    bad = call_checked((void *)deallocate, 0, &r);
    CHECK_CALL("deallocate(0)", bad);
    bad = call_checked((void *)deallocate, (uintptr_t)s, &r);
    CHECK_CALL("deallocate of the last block", bad);
}

/* ------------------------------------------- cases: declared behaviour */

static void header_layout(void)
{
    void *p;
    INIT();
    p = A(24);
    MUST(p != 0, "header-layout: allocate(24) returned 0");
    EXPECT(header_of(p)->avail, UNAVAILABLE, "header-layout: the word at "
           "payload-8 should be the flag, 0 while the block is in use");
    MUST(header_of(p)->size >= 24, "header-layout: the word at payload-4 "
         "should be the payload size, at least the 24 bytes asked");
    EXPECT(header_of(p)->size % ALIGNMENT, 0, "header-layout: the size at "
           "payload-4 should be a multiple of 8");
    D(p);
    EXPECT(header_of(p)->avail, AVAILABLE, "header-layout: deallocate "
           "should set the flag at payload-8 to 1");
}

/* The free block holding address a: its extent [lo, hi). */
struct holder {
    uintptr_t a, lo, hi;
};

static int find_holder(const struct heap_block *b, void *arg)
{
    struct holder *h = arg;
    uintptr_t s = (uintptr_t)b->start;
    if (b->free && h->a >= s && h->a < s + b->len) {
        h->lo = s;
        h->hi = s + b->len;
        return 1;
    }
    return 0;
}

/* First fit is about which free block a request takes, not where in it
 * the payload lands: a split that places at the end of the block (CS:APP
 * 9.9) hands out its back half and is just as first fit. So each request
 * is judged by the free block that held it, found by the heap walk. */
static void first_fit(void)
{
    void *x, *guard, *z, *r;
    struct holder hx, hz;
    uintptr_t brk_before;

    INIT();
    x = A(1000);
    guard = A(16);
    z = A(1000);
    MUST(x && guard && z, "first-fit: allocate(1000), allocate(16), "
         "allocate(1000) should succeed");
    D(z);
    D(x);
    hx.a = (uintptr_t)x, hx.lo = hx.hi = 0;
    hz.a = (uintptr_t)z, hz.lo = hz.hi = 0;
    MUST(heap_walk(find_holder, &hx, 0) == 1
         && heap_walk(find_holder, &hz, 0) == 1, "first-fit: after "
         "deallocate, the heap walk should find the two freed 1000-byte "
         "blocks free");

    brk_before = cb();
    r = A(800);                             /* both fit: the first wins */
    MUST(r != 0, "first-fit: allocate(800) returned 0");
    EXPECT(cb(), brk_before, "first-fit: allocate(800) should reuse a free "
           "block, not move the break");
    MUST((uintptr_t)r >= hx.lo && (uintptr_t)r + 800 <= hx.hi,
         "first-fit: with two free 1000-byte blocks, allocate(800) should "
         "come from the lower one, [%x, %x); it returned %x", hx.lo, hx.hi,
         (uintptr_t)r);
    x = r;
    r = A(1000);                            /* same size: the other one */
    MUST(r != 0, "first-fit: allocate(1000) returned 0");
    EXPECT(cb(), brk_before, "first-fit: allocate(1000) should reuse the "
           "free block, not move the break");
    MUST((uintptr_t)r >= hz.lo && (uintptr_t)r + 1000 <= hz.hi,
         "first-fit: allocate(1000) should then come from the other free "
         "block, [%x, %x); it returned %x", hz.lo, hz.hi, (uintptr_t)r);
    D(x);
    D(r);
    D(guard);
}

#define SPLIT_BIG   256
#define SPLIT_SMALL 64

/* The blocks of the heap that lie in [lo, hi), walked in address order:
 * how many, how many are free, whether they tile it (each starts where
 * the last ended, the first at lo, the last ends at hi), the largest free
 * payload among them, and the state of the block holding `inside`. */
struct extent {
    uintptr_t lo, hi, inside;
    uintptr_t next;             /* where the next block should start */
    unsigned blocks, frees, largest_free, gap;
    unsigned smallest_free;     /* ~0u when there is no free block */
    int inside_free;            /* -1 when no block holds `inside` */
};

static int in_extent(const struct heap_block *b, void *arg)
{
    struct extent *e = arg;
    uintptr_t s = (uintptr_t)b->start, end = s + b->len;

    if (end <= e->lo || s >= e->hi)
        return 0;
    if (s != e->next || end > e->hi)
        e->gap = 1;
    e->next = end;
    e->blocks++;
    if (b->free) {
        e->frees++;
        if (b->size > e->largest_free)
            e->largest_free = b->size;
        if (b->size < e->smallest_free)
            e->smallest_free = b->size;
    }
    if (e->inside >= s && e->inside < end)
        e->inside_free = b->free;
    return 0;
}

static int walk_extent(struct extent *e, struct heap_stats *st)
{
    e->next = e->lo;
    e->blocks = e->frees = e->largest_free = e->gap = 0;
    e->smallest_free = ~0u;
    e->inside_free = -1;
    if (heap_walk(in_extent, e, st) != 0)
        return -1;
    if (e->next != e->hi)
        e->gap = 1;
    return 0;
}

/* The property, whatever the policy: a free block bigger than a request
 * is split rather than handed out whole. A 256-byte block is freed next
 * to a used guard; small requests follow until one is carved out of it
 * (a buddy or segregated allocator may serve the first ones from smaller
 * free blocks elsewhere, which is its right). Then the bytes of the old
 * free block must be exactly covered by blocks again (the allocated one
 * and at least one free remainder, every header inside it counted, no
 * gap), and the free space left there must serve a request as big as its
 * largest free payload without moving the break or touching its
 * neighbours. Sizes are the layout's, so a 4-byte header, a footer or
 * power-of-two blocks split as correctly as the book's header.
 *
 * Only one used block may lie there: the earlier small requests landed
 * elsewhere, so a second one is a remainder the split forgot to free.
 * The big block's payload is filled before it is freed, so a header the
 * split forgot to write reads as those bytes, never as zeros that happen
 * to look like a block. */
static void splits(void)
{
    struct holder h;
    struct extent e;
    struct heap_stats st;
    uintptr_t brk_before;
    void *p, *guard, *q = 0, *r, *chain = 0;
    unsigned n = 0, tries, rest;

    INIT();
    p = A(SPLIT_BIG);
    guard = A(16);
    MUST(p && guard, "splits: allocate(%u) and allocate(16) should succeed",
         SPLIT_BIG);
    pattern_fill(guard, 16, 9);
    pattern_fill(p, SPLIT_BIG, 8);
    D(p);
    h.a = (uintptr_t)p, h.lo = h.hi = 0;
    MUST(heap_walk(find_holder, &h, 0) == 1, "splits: after deallocate, "
         "the heap walk should find a free block holding the %u-byte "
         "block's payload", SPLIT_BIG);
    e.lo = h.lo, e.hi = h.hi, e.inside = 0;
    brk_before = cb();

    /* Each request served outside the block without growing the heap
     * takes at least SPLIT_SMALL bytes of what the heap held, so within
     * tries of them the block is used or the break moves. The requests
     * are chained through their first word, to be freed at the end. */
    tries = (brk_before - hb()) / SPLIT_SMALL + 1;
    while (n < tries) {
        void *s = A(SPLIT_SMALL);
        MUST(s != 0, "splits: allocate(%u) returned 0", SPLIT_SMALL);
        n++;
        if ((uintptr_t)s >= e.lo && (uintptr_t)s < e.hi) {
            q = s;
            break;
        }
        *(void **)s = chain, chain = s;
        if (cb() != brk_before)
            break;
    }
    MUST(q != 0, "splits: %u-byte requests should be carved out of the "
         "free %u-byte block before the heap grows; %u requests never "
         "used it", SPLIT_SMALL, SPLIT_BIG, n);
    MUST((uintptr_t)q + SPLIT_SMALL <= e.hi, "splits: the %u-byte block "
         "should lie inside the free block it was carved from", SPLIT_SMALL);
    pattern_fill(q, SPLIT_SMALL, 10);

    e.inside = (uintptr_t)q;
    EXPECT(walk_extent(&e, &st), 0, "splits: after the split the heap no "
           "longer walks: %s", heap_corrupt_text(&st));
    EXPECT(e.inside_free, 0, "splits: the block holding the %u-byte "
           "payload should be a used block", SPLIT_SMALL);
    EXPECT(e.blocks - e.frees, 1, "splits: the old free block should hold "
           "the %u-byte block and free blocks only (got: used blocks in it)",
           SPLIT_SMALL);
    MUST(e.frees > 0, "splits: after a %u-byte request reuses a %u-byte "
         "free block, the rest of it should be a free block; found none "
         "(it was handed out whole)", SPLIT_SMALL, SPLIT_BIG);
    EXPECT(e.gap, 0, "splits: the used block and the free remainder "
           "should cover the old block exactly, headers included (a gap "
           "or an overlap)");
    EXPECT(pattern_intact(guard, 16, 9), 16,
           "splits: the split wrote into the "
           "next block (got: first wrong byte of it)");
    MUST(e.smallest_free >= ALIGNMENT, "splits: allocate(%u) from a free "
         "%u-byte block left a free remainder of %u bytes: too small to "
         "use (a block needs a header and a payload of at least 8 bytes)",
         SPLIT_SMALL, SPLIT_BIG, e.smallest_free);

    rest = e.largest_free;
    r = A(rest);
    MUST(r != 0, "splits: allocate(%u) for the remainder returned 0", rest);
    EXPECT(cb(), brk_before, "splits: the %u-byte remainder should be "
           "reused without moving the break", rest);
    MUST(disjoint(q, SPLIT_SMALL, r, rest) && disjoint(guard, 16, r, rest),
         "splits: the remainder should not overlap the %u-byte block or "
         "its neighbour", SPLIT_SMALL);
    pattern_fill(r, rest, 11);
    EXPECT(pattern_intact(q, SPLIT_SMALL, 10), SPLIT_SMALL,
           "splits: filling the "
           "remainder changed the first part (got: first wrong byte)");
    EXPECT(pattern_intact(guard, 16, 9), 16, "splits: filling the remainder "
           "changed the next block (got: first wrong byte)");
    D(r);

    /* A request that leaves room for one header and nothing more: the
     * block is handed out whole, or split so that what stays free can
     * still hold a payload. A remainder of a bare header (0 bytes) or
     * a few bytes is no block: nothing can ever use it. */
    if (rest > overhead()) {
        unsigned want = rest - overhead();
        r = A(want);
        MUST(r != 0, "splits: allocate(%u) returned 0", want);
        EXPECT(walk_extent(&e, &st), 0, "splits: after allocate(%u) the "
               "heap no longer walks: %s", want,
               heap_corrupt_text(&st));
        MUST(e.smallest_free >= ALIGNMENT, "splits: allocate(%u) from a "
             "free %u-byte block left a free remainder of %u bytes: too "
             "small to use (a block needs a header and a payload of at "
             "least 8 bytes)", want, rest, e.smallest_free);
        D(r);
    }
    D(q);
    while (chain) {
        void *next = *(void **)chain;
        D(chain);
        chain = next;
    }
    D(guard);
}

/* The property, whatever the policy: two freed neighbours become one
 * free block. Seen in the heap walk right after the frees (the free
 * block holding the first payload reaches past the end of the second),
 * or, for an allocator that merges only when a request needs it, in the
 * request the size of both: it must then start where the first one did.
 * Either way that request is served without moving the break and without
 * touching the next block; where an allocator that merged at once puts
 * it is its own business (next fit, a segregated list, a wilderness). */
static void coalesces(void)
{
    unsigned both = SPLIT_SMALL * 2 + overhead();
    uintptr_t brk_before;
    void *a, *b, *guard, *c;
    struct heap_stats s;
    struct holder h;

    INIT();
    a = A(SPLIT_SMALL);
    b = A(SPLIT_SMALL);
    guard = A(16);
    MUST(a && b && guard, "coalesces: three allocations should succeed");
    MUST((uintptr_t)b > (uintptr_t)a, "coalesces: the second block should "
         "follow the first");
    pattern_fill(guard, 16, 12);
    D(b);
    D(a);
    h.a = (uintptr_t)a, h.lo = h.hi = 0;
    heap_walk(find_holder, &h, 0);          /* merged: h.hi past b */
    brk_before = cb();
    c = A(both);
    MUST(c != 0, "coalesces: allocate(%u) returned 0", both);
    EXPECT(cb(), brk_before, "coalesces: after two neighbouring %u-byte "
           "blocks are freed, a %u-byte request should fit in them merged, "
           "without moving the break", SPLIT_SMALL, both);
    if (h.hi < (uintptr_t)b + SPLIT_SMALL)  /* not merged on free */
        MUST((uintptr_t)c >= h.lo && (uintptr_t)c + both
             <= (uintptr_t)b + SPLIT_SMALL, "coalesces: the two freed "
             "neighbours are not one free block, so the %u-byte block "
             "should be made of them, [%x, %x); it is at %x", both, h.lo,
             (uintptr_t)b + SPLIT_SMALL, (uintptr_t)c);
    pattern_fill(c, both, 13);
    EXPECT(pattern_intact(guard, 16, 12), 16, "coalesces: the merged block "
           "overlaps the next one (got: first wrong byte of it)");
    EXPECT(heap_stats(&s), 0, "coalesces: after the merge the heap no "
           "longer walks: %s", heap_corrupt_text(&s));
    D(c);
    D(guard);
}

/* ------------------------------------------------ the random sequence */

#define RANDOM_OPS   100000
#define RANDOM_SLOTS 256
#define RANDOM_SEED  0x2545F491u

static uint32_t rng_state;

static uint32_t xorshift32(void)
{
    uint32_t x = rng_state;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return rng_state = x;
}

static struct slot {
    uint8_t *p;
    unsigned size;
    unsigned tag;
} slot[RANDOM_SLOTS];

/* What is checked after each call depends on what was declared: every
 * allocator keeps blocks intact, apart, aligned, inside the heap, and its
 * heap walkable, and its own heap_check() (if it exports one) content
 * every 1000 calls. A first-fit allocator must reuse when a free block fits;
 * one with the book's header that neither splits nor merges grows by
 * exactly one block at the old break when nothing fits (one that splits
 * may grow by more and place at the end of what it got). */
static void random_ops(void)
{
    struct heap_stats s;
    unsigned op, i, tag = 0, grew = 0, reused = 0, freed = 0;
    int fits_rule = (declared & P_FIRST_FIT) != 0;
    int grow_rule = (declared & (P_FIRST_FIT | P_BOOK_HEADER))
                    == (P_FIRST_FIT | P_BOOK_HEADER)
                    && !(declared & (P_COALESCES | P_SPLITS));

    INIT();
    rng_state = RANDOM_SEED;
    for (op = 0; op < RANDOM_OPS; op++) {
        struct slot *sl = &slot[xorshift32() % RANDOM_SLOTS];

        if (sl->p) {
            EXPECT(pattern_intact(sl->p, sl->size, sl->tag), sl->size,
                   "random: "
                   "operation %u: a live %u-byte block lost a byte before "
                   "it was freed (got: first wrong byte)", op, sl->size);
            D(sl->p);
            sl->p = 0;
            freed++;
        } else {
            uint32_t r = xorshift32();
            /* mostly small requests, now and then up to 2 KiB */
            unsigned size = r % 16 == 0 ? (r >> 8) % 2049 : (r >> 8) % 97;
            unsigned need = size ? round8(size) : ALIGNMENT;
            uintptr_t brk_before = cb(), a;

            EXPECT(heap_stats(&s), 0, "random: operation %u: the heap no "
                   "longer walks with the allocator's layout: %s", op,
                   heap_corrupt_text(&s));
            EXPECT(s.tiny_free, 0, "random: operation %u: the heap holds "
                   "free blocks with a payload under 8 bytes, too small to "
                   "use (got: how many)", op);
            sl->p = A(size);
            sl->size = size;
            sl->tag = ++tag;
            a = (uintptr_t)sl->p;
            MUST(a != 0, "random: operation %u: allocate(%u) returned 0",
                 op, size);
            MUST(in_heap(sl->p, size), "random: operation %u: allocate(%u) "
                 "returned a misaligned payload or one outside the heap",
                 op, size);
            if (cb() == brk_before) {
                MUST(a < brk_before, "random: operation %u: allocate(%u) "
                     "returned memory past the break", op, size);
                reused++;
            } else {
                grew++;
            }
            if (fits_rule && s.largest_free >= need)
                EXPECT(cb(), brk_before, "random: operation %u: a free "
                       "block of %u bytes fitted allocate(%u), but the "
                       "break moved (first-fit)", op, s.largest_free, size);
            if (grow_rule && s.largest_free < need)
                EXPECT(a, brk_before + HEADER_SIZE, "random: operation %u: "
                       "nothing free fitted allocate(%u): the new block "
                       "should start at the old break", op, size);
            if (declared & P_BOOK_HEADER)
                MUST(header_of(sl->p)->size >= need, "random: operation %u: "
                     "the header of allocate(%u)'s block holds a smaller "
                     "size", op, size);
            for (i = 0; i < RANDOM_SLOTS; i++) {
                struct slot *o = &slot[i];
                if (o != sl && o->p)
                    MUST(disjoint(sl->p, size, o->p, o->size), "random: "
                         "operation %u: allocate(%u) overlaps a live "
                         "%u-byte block", op, size, o->size);
            }
            pattern_fill(sl->p, size, sl->tag);
        }
        if (op % 1000 == 999 && heap_check) {
            unsigned bad;
            reg_trouble |= call_checked((void *)heap_check, 0, &bad);
            EXPECT(bad, 0, "random: by operation %u the allocator's own "
                   "heap_check() finds its heap inconsistent", op);
        }
        if (op % 1000 == 999)
            for (i = 0; i < RANDOM_SLOTS; i++)
                if (slot[i].p)
                    EXPECT(pattern_intact(slot[i].p, slot[i].size,
                                          slot[i].tag),
                           slot[i].size, "random: by operation %u a live "
                           "%u-byte block lost a byte (got: first wrong "
                           "byte)", op, slot[i].size);
    }
    for (i = 0; i < RANDOM_SLOTS; i++) {
        if (!slot[i].p)
            continue;
        EXPECT(pattern_intact(slot[i].p, slot[i].size, slot[i].tag),
               slot[i].size,
               "random: at the end a live %u-byte block lost a byte (got: "
               "first wrong byte)", slot[i].size);
        D(slot[i].p);
        slot[i].p = 0;
        freed++;
    }
    EXPECT(heap_stats(&s), 0, "random: after freeing everything the heap "
           "no longer walks: %s", heap_corrupt_text(&s));
    EXPECT(s.used, 0, "random: every block was freed, but the heap walk "
           "still finds bytes in use");

    put_str(1, "       ");
    put_udec(1, RANDOM_OPS);
    put_str(1, " operations (seed ");
    put_hex(1, RANDOM_SEED, 8);
    put_str(1, "): ");
    put_udec(1, grew);
    put_str(1, " grew the heap, ");
    put_udec(1, reused);
    put_str(1, " reused a block, ");
    put_udec(1, freed);
    put_str(1, " frees; heap ");
    put_udec(1, cb() - hb());
    put_str(1, " bytes in ");
    put_udec(1, s.blocks);
    put_str(1, " blocks\n");
}

/* ------------------------------------------------------------- driver */

/* needs: the property a case checks (0: every allocator); unless: the
 * property that replaces it (before-init is the contract of an allocator
 * without auto-init). A plain run runs a case when needs is declared
 * (or 0) and unless is not. */
static const struct test {
    const char *id;
    const char *name;
    void (*fn)(void);
    unsigned needs, unless;
} tests[] = {
    { "before-init",   "allocate before allocate_init returns 0 and leaves "
                       "the break alone", before_init, 0, P_AUTO_INIT },
    { "auto-init",     "allocate before allocate_init starts the heap at "
                       "the break and works", auto_init, P_AUTO_INIT, 0 },
    { "init-at-break", "allocate_init starts an empty, aligned heap at the "
                       "break brk(0) returns", init_at_break, 0, 0 },
    { "init-twice",    "a second allocate_init keeps the heap and its "
                       "blocks", init_twice, 0, 0 },
    { "header-layout", "a block's header holds the flag at +0 and the size "
                       "at +4", header_layout, P_BOOK_HEADER, 0 },
    { "alignment",     "every payload is 8-byte aligned and inside "
                       "[heap_begin, current_break)", alignment, 0, 0 },
    { "zero-size",     "allocate(0) returns a unique pointer to an 8-byte "
                       "block", zero_size, 0, 0 },
    { "no-overlap",    "live blocks never overlap and keep their bytes "
                       "across later calls", no_overlap, 0, 0 },
    { "reuse",         "a freed block's memory serves a later request of "
                       "its size without moving the break", reuse, 0, 0 },
    { "first-fit",     "a request takes the first free block that fits, "
                       "without moving the break", first_fit, P_FIRST_FIT,
                       0 },
    { "splits",        "a larger free block is split: the rest is a free "
                       "block, its header counted, reusable", splits,
                       P_SPLITS, 0 },
    { "coalesces",     "freed neighbours merge: a request the size of both "
                       "fits without moving the break", coalesces,
                       P_COALESCES, 0 },
    { "free-null",     "deallocate(0) changes nothing", free_null, 0, 0 },
    { "brk-failure",   "allocate returns 0 when brk refuses to grow the "
                       "heap, and the heap stays usable", brk_failure, 0, 0 },
    { "unsigned-size", "a request of 2 GiB or more never gets a small free "
                       "block", unsigned_size, 0, 0 },
    { "size-overflow", "sizes whose rounding or header would wrap return 0 "
                       "without moving the break", size_overflow, 0, 0 },
    { "callee-saved",  "every path preserves %ebx, %esi, %edi, %ebp, %esp "
                       "and leaves DF clear", callee_saved, 0, 0 },
    { "random",        "100000 random calls keep every block intact and "
                       "end with all freed", random_ops, 0, 0 },
};
#define NTESTS (sizeof tests / sizeof tests[0])

static int applies(const struct test *t)
{
    return (!t->needs || (declared & t->needs))
        && !(declared & t->unless);
}

static const char *signal_name(unsigned sig)
{
    switch (sig) {
    case SIGILL:  return "SIGILL, an illegal instruction";
    case SIGTRAP: return "SIGTRAP";
    case SIGABRT: return "SIGABRT";
    case SIGBUS:  return "SIGBUS, a bad memory access";
    case SIGFPE:  return "SIGFPE, a division fault";
    case SIGKILL: return "SIGKILL";
    case SIGSEGV: return "SIGSEGV, a bad memory access";
    case SIGALRM: return "SIGALRM";
    case SIGPROF: return "SIGPROF";
    default:      return "a signal";
    }
}

static unsigned timeout = 10;           /* CPU seconds per case */
/* Once a case has timed out the allocator is known to loop: each later
 * case gets this much at most, so a looping allocator costs one timeout
 * and a second a case, not a timeout a case. The limit is CPU time
 * (sys_cpu_limit), so a correct case on a loaded machine, which waits
 * for a core rather than computing, never reaches it; a wall-clock
 * alarm of WALL_FACTOR times the limit, plus WALL_SLACK, still stops a
 * case that blocks without computing. */
#define TIMEOUT_AFTER_LOOP 1
#define WALL_FACTOR 3
#define WALL_SLACK 10
static int no_fork;                     /* --no-fork: all in this process */
static unsigned passed, failed;

/* --no-fork: the case runs here, on the heap the cases before it left;
 * a crash ends the whole program. */
static void run_here(const struct test *t)
{
    static char label[200];
    unsigned n = 0;
    const char *p;

    for (p = t->id; *p && n < 60; p++)
        label[n++] = *p;
    label[n++] = ':';
    label[n++] = ' ';
    for (p = t->name; *p && n < sizeof label - 1; p++)
        label[n++] = *p;
    label[n] = 0;
    t_run(label);
    t->fn();
    unlimit_data();
    t_end();
    if (t_failed())
        failed++;
    else
        passed++;
}

/* The line a case the child could not report for ends with. */
static void parent_fail(const struct test *t, const char *what, unsigned got,
                        unsigned expected, int line)
{
    static char w[sizeof msg];
    unsigned n = 0;
    while (what[n] && n < sizeof w - 1) {       /* what may be msg itself */
        w[n] = what[n];
        n++;
    }
    w[n] = 0;
    t_fail(say("%s: %s", t->id, w), got, expected, __FILE__, line);
    failed++;
}

/* What a child sends up its pipe when its case has run to its end: its
 * brk count and a word that says it got there. A child that exits with
 * no record did not finish its case, whatever its exit status: an
 * allocator that calls exit(0) must not read as a pass. */
#define CASE_DONE 0x454e4f44u           /* "DONE" */
struct case_end {
    unsigned brk_seen;
    unsigned done;
};

/* Runs one case in a child process. The child prints [RUN] and the
 * case's own [FAIL] or [OK], and sends its case_end up a pipe; the parent
 * reads how it ended from waitpid and reports what the child could not. */
static void run_case(const struct test *t)
{
    int fds[2], status = 0;
    long pid;
    struct case_end end = { 0, 0 };
    int finished;

    if (no_fork) {
        run_here(t);
        return;
    }

    if (sys_pipe(fds) != 0) {
        t_run(t->id);
        parent_fail(t, "could not make a pipe", 0, 0, __LINE__);
        return;
    }
    pid = sys_fork();
    if (sys_is_error(pid)) {
        sys_close(fds[0]);
        sys_close(fds[1]);
        t_run(t->id);
        parent_fail(t, "could not fork a process for the case", -pid, 0,
                    __LINE__);
        return;
    }
    if (pid == 0) {
        sys_cpu_limit(timeout);
        sys_alarm(timeout * WALL_FACTOR + WALL_SLACK);
        reg_trouble = 0;
        brk_calls_seen = 0;             /* this case's own, sent up below */
        run_here(t);
        end.brk_seen = brk_calls_seen;
        end.done = CASE_DONE;
        sys_write(fds[1], &end, sizeof end);
        sys_exit(t_failed() ? 1 : 0);
    }
    /* waitpid is the parent's only system call while the child runs:
     * under qemu-i386 -strace the two processes' lines would interleave,
     * and the tests read the child's brk calls from that trace. */
    while (sys_waitpid(pid, &status, 0) == -4)     /* EINTR */
        ;
    sys_close(fds[1]);              /* so the read below cannot block */
    finished = sys_read(fds[0], &end, sizeof end) == sizeof end
               && end.done == CASE_DONE;
    if (finished)
        brk_calls_seen += end.brk_seen;
    sys_close(fds[0]);

    if (WIFEXITED(status) && !finished) {
        parent_fail(t, say("the process exited %u before the case finished "
                           "(the allocator ended the program: a call to "
                           "exit?)", WEXITSTATUS(status)),
                    0, 1, __LINE__);
    } else if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
        passed++;
    } else if (WIFEXITED(status) && WEXITSTATUS(status) == 1) {
        failed++;                       /* the case printed its [FAIL] */
    } else if (WIFSIGNALED(status) && WTERMSIG(status) == SIGPROF) {
        parent_fail(t, say("timed out after %u s of CPU time: an allocator "
                           "call that never returns (a loop that does not "
                           "end?)", timeout), timeout, 0, __LINE__);
        if (timeout > TIMEOUT_AFTER_LOOP)
            timeout = TIMEOUT_AFTER_LOOP;
    } else if (WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM) {
        parent_fail(t, say("timed out after %u s: a call that blocks and "
                           "never returns",
                           timeout * WALL_FACTOR + WALL_SLACK),
                    timeout, 0, __LINE__);
        if (timeout > TIMEOUT_AFTER_LOOP)
            timeout = TIMEOUT_AFTER_LOOP;
    } else if (WIFSIGNALED(status)) {
        parent_fail(t, say("crashed with signal %u (%s) inside the "
                           "allocator or on memory it returned",
                           WTERMSIG(status), signal_name(WTERMSIG(status))),
                    WTERMSIG(status), 0, __LINE__);
    } else {
        parent_fail(t, "the case's process ended with an unexpected exit "
                    "status (got)", WEXITSTATUS(status), 0, __LINE__);
    }
}

static void usage(void)
{
    put_str(2, "usage: alloc-test [--timeout SECONDS] [--no-fork] [ID...] | "
               "--list | --list-all | --props\n");
}

int main(int argc, char **argv, char **envp)
{
    unsigned i;
    int j;
    (void)envp;

    argc--, argv++;
    for (;;) {
        if (argc >= 2 && strcmp(argv[0], "--timeout") == 0) {
            if (parse_uint(argv[1], &timeout) != 0 || timeout == 0) {
                usage();
                return 2;
            }
            argc -= 2, argv += 2;
        } else if (argc >= 1 && strcmp(argv[0], "--no-fork") == 0) {
            no_fork = 1;
            argc--, argv++;
        } else {
            break;
        }
    }
    if (read_props() != 0)
        return 2;
    if (heap_layout_error()) {              /* a layout the walk cannot use */
        put_str(2, "alloc-test: ");
        put_str(2, heap_layout_error());
        put_str(2, " (c-harness/layout.h describes it)\n");
        return 2;
    }
    if (argc == 1 && strcmp(argv[0], "--props") == 0) {
        for (i = 0; i < NPROPS; i++)
            if (declared & props[i].bit) {
                put_str(1, props[i].name);
                put_char(1, '\n');
            }
        return 0;
    }
    if (argc == 1 && (strcmp(argv[0], "--list") == 0
                      || strcmp(argv[0], "--list-all") == 0)) {
        int all = argv[0][6] == '-';
        for (i = 0; i < NTESTS; i++) {
            if (!all && !applies(&tests[i]))
                continue;
            put_str(1, tests[i].id);
            put_str(1, "  ");
            put_str(1, tests[i].name);
            if (all && (tests[i].needs || tests[i].unless)) {
                put_str(1, tests[i].needs ? " [needs " : " [unless ");
                put_str(1, prop_name(tests[i].needs ? tests[i].needs
                                                    : tests[i].unless));
                put_char(1, ']');
            }
            put_char(1, '\n');
        }
        return 0;
    }
    for (j = 0; j < argc; j++) {
        for (i = 0; i < NTESTS && strcmp(argv[j], tests[i].id) != 0; i++)
            ;
        if (i == NTESTS) {
            if (argv[j][0] == '-')
                usage();
            else {
                put_str(2, "alloc-test: no case '");
                put_str(2, argv[j]);
                put_str(2, "' (alloc-test --list-all shows them)\n");
            }
            return 2;
        }
    }

    put_str(1, "declared: ");
    put_str(1, props_text());
    put_str(1, memkit_props ? "\n" : "  (no memkit_props: the book's)\n");
    if (argc) {                             /* these, in the order given */
        for (j = 0; j < argc; j++)
            for (i = 0; i < NTESTS; i++)
                if (strcmp(argv[j], tests[i].id) == 0)
                    run_case(&tests[i]);
    } else {
        for (i = 0; i < NTESTS; i++)
            if (applies(&tests[i]))
                run_case(&tests[i]);
    }
    put_str(1, "brk calls seen: ");
    put_udec(1, brk_calls_seen);
    put_str(1, no_fork ? " (1 by allocate_init, 1 per allocate that "
                         "moved the break; refused ones leave no trace)\n"
                       : " (1 by each case's allocate_init, 1 per allocate "
                         "that moved the break; refused ones leave no "
                         "trace)\n");
    put_udec(1, passed);
    put_str(1, " passed, ");
    put_udec(1, failed);
    put_str(1, " failed\n");
    return failed ? 1 : 0;
}
