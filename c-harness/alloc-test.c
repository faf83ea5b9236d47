/* alloc-test.c — the allocator contract, one named case per property.
 *
 *   build/alloc-test              run every case, in order
 *   build/alloc-test ID...        run only these cases (still in order)
 *   build/alloc-test --list       print the case IDs and what they check
 *
 * Written against allocate_init, allocate, deallocate, heap_begin and
 * current_break only (plus the header layout every variant keeps), so the
 * same program tests the exercise variants too. The cases share one heap,
 * in one process, so their order matters: "before-init" must come first.
 * The closing line is "N passed, N failed"; the exit status is 1 if any
 * case failed. tests/alloc.bats and tests/errata.bats run it.
 */
#include "rt.h"
#include "alloc.h"
#include "heapmap.h"

/* call_checked (callcheck.s): call fn(arg) with canaries in the callee-
 * saved registers; returns which of them (and DF) did not survive. */
unsigned call_checked(void *fn, unsigned arg, unsigned *result);
#define BAD_EBX 0x01
#define BAD_ESI 0x02
#define BAD_EDI 0x04
#define BAD_EBP 0x08
#define BAD_ESP 0x10
#define BAD_DF  0x20

static uintptr_t round8(unsigned n)
{
    return (n + (ALIGNMENT - 1)) & ~(uintptr_t)(ALIGNMENT - 1);
}

static uintptr_t hb(void) { return (uintptr_t)heap_begin; }
static uintptr_t cb(void) { return (uintptr_t)current_break; }

/* Every allocator call in the cases goes through these: the register
 * check runs on each one, and growth of the break is counted. A broken
 * register promise is reported where it happens. */
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

/* Reports broken register promises by name:
 *   [FAIL] got 0x1, expected 0x0 (allocate(4096), growing: broke %ebx, ...)
 */
static void reg_fail(const char *call, unsigned bad, int line)
{
    static const char *const names[] = {
        " %ebx", " %esi", " %edi", " %ebp", " %esp", " DF set"
    };
    static char msg[160];
    unsigned i, n = 0;
    const char *p;

    for (p = call; *p && n < 100; p++)
        msg[n++] = *p;
    for (p = ": broke"; *p; p++)
        msg[n++] = *p;
    for (i = 0; i < 6; i++)
        if (bad & (1u << i))
            for (p = names[i]; *p; p++)
                msg[n++] = *p;
    msg[n] = 0;
    t_fail(msg, bad, 0, __FILE__, line);
}

#define CHECK_CALL(call, bad) do {                                      \
        unsigned b_ = (bad);                                            \
        if (b_) {                                                       \
            reg_fail(call, b_, __LINE__);                               \
            return;                                                     \
        }                                                               \
    } while (0)

#define CHECK_REGS() CHECK_CALL("an allocator call in this case", reg_trouble)

/* A pattern that differs per block (tag) and per byte, so a block that
 * overlaps another or is handed out twice shows up as wrong bytes. */
static void fill(void *p, unsigned n, unsigned tag)
{
    uint8_t *b = p;
    for (unsigned i = 0; i < n; i++)
        b[i] = (uint8_t)(tag * 31 + i * 7 + 1);
}

/* Returns the index of the first wrong byte, or n if all are right. */
static unsigned intact(const void *p, unsigned n, unsigned tag)
{
    const uint8_t *b = p;
    for (unsigned i = 0; i < n; i++)
        if (b[i] != (uint8_t)(tag * 31 + i * 7 + 1))
            return i;
    return n;
}

/* p is a payload of n bytes: aligned and within [heap_begin, break). */
static int in_heap(void *p, unsigned n)
{
    uintptr_t a = (uintptr_t)p;
    return a % ALIGNMENT == 0 && a >= hb() + HEADER_SIZE && a <= cb()
        && n <= cb() - a;
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
 * fail; natively both do. data_limited says which case we are in.
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

/* Also run after every case, so a case that stops at a failed check
 * does not leave the limit on for the next one. */
static void unlimit_data(void)
{
    if (data_limited)
        sys_setrlimit(RLIMIT_DATA, &saved_limit);
    data_limited = 0;
}

/* ------------------------------------------------------------- cases */

static void before_init(void)
{
    uintptr_t brk0 = sys_brk(0);
    CHECK_EQ(hb(), 0);
    CHECK_EQ(A(16), 0);
    CHECK_EQ(A(0), 0);
    CHECK_EQ(sys_brk(0), brk0);             /* nothing was asked of brk */
    CHECK_EQ(cb(), 0);
    D(0);
    CHECK_REGS();
}

static void init_at_break(void)
{
    uintptr_t brk0 = sys_brk(0);
    INIT();
    CHECK_CALL("allocate_init, starting the heap", reg_trouble);
    /* brk(0) returns the first address past the data: the heap starts
     * there (rounded up to 8, which a page-aligned break already is). */
    CHECK_EQ(hb(), round8(brk0));
    CHECK_EQ(hb() % ALIGNMENT, 0);
    CHECK_EQ(cb(), hb());                   /* empty heap */
    CHECK_EQ(sys_brk(0), cb());             /* and the kernel agrees */
}

static void init_twice(void)
{
    uintptr_t b, e;
    void *p, *q;

    INIT();
    p = A(40);
    CHECK(p != 0);
    fill(p, 40, 1);
    b = hb(), e = cb();
    INIT();
    CHECK_EQ(hb(), b);
    CHECK_EQ(cb(), e);
    CHECK_EQ(intact(p, 40, 1), 40);
    q = A(40);                              /* p is still in use */
    CHECK(q != 0);
    CHECK(q != p);
    D(q);
    D(p);
    CHECK_REGS();
}

static void header_layout(void)
{
    void *p;
    INIT();
    p = A(24);
    CHECK(p != 0);
    CHECK_EQ(header_of(p)->avail, UNAVAILABLE);
    CHECK(header_of(p)->size >= 24);
    CHECK_EQ(header_of(p)->size % ALIGNMENT, 0);
    D(p);
    CHECK_EQ(header_of(p)->avail, AVAILABLE);
    CHECK_REGS();
}

/* Odd sizes kept live side by side: if sizes were not rounded, the second
 * block of a run would start at an odd address. */
static void alignment(void)
{
    static void *p[72];
    unsigned n;

    INIT();
    CHECK_EQ(hb() % ALIGNMENT, 0);
    for (n = 1; n < 72; n++) {
        p[n] = A(n);
        CHECK(p[n] != 0);
        CHECK_EQ((uintptr_t)p[n] % ALIGNMENT, 0);
        CHECK(in_heap(p[n], n));
        fill(p[n], n, n);
    }
    for (n = 1; n < 72; n++) {
        CHECK_EQ(intact(p[n], n, n), n);
        D(p[n]);
    }
    CHECK_REGS();
}

static void zero_size(void)
{
    void *p, *q;
    INIT();
    p = A(0);
    q = A(0);
    CHECK(p != 0);
    CHECK(q != 0);
    CHECK(p != q);
    CHECK(in_heap(p, 8));
    CHECK(in_heap(q, 8));
    memset(p, 0xAA, 8);                     /* documented: an 8-byte block */
    memset(q, 0x55, 8);
    CHECK_EQ(((uint8_t *)p)[7], 0xAA);
    CHECK_EQ(((uint8_t *)q)[0], 0x55);
    D(p);
    D(q);
    CHECK_REGS();
}

/* Sizes stay at or below 512 here and in every case before first_fit, so
 * first_fit's 600-byte and larger requests have only its own blocks to
 * choose from. */
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
        CHECK(p[i] != 0);
        CHECK(in_heap(p[i], size[i]));
        fill(p[i], size[i], i);
    }
    for (i = 0; i < NLIVE; i++)
        for (j = i + 1; j < NLIVE; j++)
            CHECK(disjoint(p[i], size[i], p[j], size[j]));
    for (i = 0; i < NLIVE; i += 3) {        /* free a third ... */
        D(p[i]);
        p[i] = 0;
    }
    for (i = 0; i < NLIVE; i += 3) {        /* ... and take new blocks */
        size[i] = (i * 53) % 257;
        p[i] = A(size[i]);
        CHECK(p[i] != 0);
        fill(p[i], size[i], i + 100);
    }
    for (i = 0; i < NLIVE; i++) {
        unsigned tag = i % 3 == 0 ? i + 100 : i;
        CHECK_EQ(intact(p[i], size[i], tag), size[i]);
    }
    for (i = 0; i < NLIVE; i++)
        D(p[i]);
    CHECK_REGS();
}

static void first_fit(void)
{
    void *x, *guard, *z, *r;
    uintptr_t brk_before;

    INIT();
    x = A(1000);
    guard = A(16);
    z = A(1000);
    CHECK(x && guard && z);
    D(z);
    D(x);

    brk_before = cb();
    r = A(800);                             /* both fit: the first wins */
    CHECK_EQ(r, x);
    CHECK_EQ(cb(), brk_before);
    r = A(1000);                            /* same size: the other one */
    CHECK_EQ(r, z);
    CHECK_EQ(cb(), brk_before);
    CHECK_EQ(sys_brk(0), brk_before);

    D(x);
    D(z);
    D(guard);
    CHECK_REGS();
}

static void free_null(void)
{
    struct heap_stats before, after;
    void *p;
    uintptr_t brk_before;

    INIT();
    p = A(48);
    CHECK(p != 0);
    fill(p, 48, 7);
    CHECK_EQ(heap_stats(&before), 0);
    brk_before = cb();
    D(0);
    D(0);
    CHECK_EQ(heap_stats(&after), 0);
    CHECK_EQ(cb(), brk_before);
    CHECK_EQ(after.blocks, before.blocks);
    CHECK_EQ(after.used, before.used);
    CHECK_EQ(after.free, before.free);
    CHECK_EQ(intact(p, 48, 7), 48);
    D(p);
    CHECK_REGS();
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
        CHECK(p[i] != 0);
        fill(p[i], 100 + i * 50, i + 40);
    }
    brk_before = cb();
    limit_data();
    put_str(1, data_limited ? "       RLIMIT_DATA lowered: brk refuses past"
                              " 1 MiB more\n"
                            : "       RLIMIT_DATA not applied (qemu-i386):"
                              " only the 3 GiB request can fail\n");
    if (data_limited) {
        q = A(4u << 20);                    /* 4 MiB > the limit */
        CHECK_EQ(q, 0);
        CHECK_EQ(cb(), brk_before);
        CHECK_EQ(sys_brk(0), brk_before);
    }
    CHECK(brk_before + HEADER_SIZE + 0xC0000000u > brk_before); /* no wrap */
    q = A(0xC0000000u);                     /* 3 GiB: more than qemu holds */
    unlimit_data();
    CHECK_EQ(q, 0);
    CHECK_EQ(cb(), brk_before);             /* heap unchanged */
    CHECK_EQ(sys_brk(0), brk_before);

    q = A(16);                              /* and still usable */
    CHECK(q != 0);
    CHECK(in_heap(q, 16));
    for (i = 0; i < 4; i++)
        CHECK_EQ(intact(p[i], 100 + i * 50, i + 40), 100 + i * 50);
    D(q);
    for (i = 0; i < 4; i++)
        D(p[i]);
    CHECK_REGS();
}

/* Sizes at or above 2^31 are negative as signed ints: a signed compare
 * would find the free 16-byte block "big enough". */
static void unsigned_size(void)
{
    static const unsigned big[] = { 0x80000000u, 0x9FFFFFF0u, 0xA0000000u };
    struct heap_stats s;
    uintptr_t brk_before;
    void *small, *q;
    unsigned i;

    INIT();
    small = A(16);
    CHECK(small != 0);
    D(small);                               /* a free block now exists */
    CHECK_EQ(heap_stats(&s), 0);
    CHECK(s.largest_free >= 16);
    brk_before = cb();
    limit_data();                           /* natively 2 GiB could succeed */
    for (i = 0; i < sizeof big / sizeof big[0]; i++) {
        q = A(big[i]);
        CHECK_EQ(q, 0);
        CHECK_EQ(cb(), brk_before);
    }
    unlimit_data();
    CHECK_EQ(sys_brk(0), brk_before);
    CHECK_REGS();
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
    sizes[4] = 0u - brk_before;             /* break + 8 + size = 8 */
    sizes[5] = 0u - brk_before - HEADER_SIZE;   /* ... = 2^32 exactly */
    for (i = 0; i < 6; i++) {
        CHECK_EQ(A(sizes[i]), 0);
        CHECK_EQ(cb(), brk_before);
        CHECK_EQ(sys_brk(0), brk_before);
    }
    CHECK_REGS();
}

/* Every path through the three functions, each call through the check
 * thunk; which register broke is reported bit by bit. */
static void callee_saved(void)
{
    unsigned r, bad;
    void *p;

    INIT();
    bad = call_checked((void *)allocate_init, 0, &r);
    CHECK_CALL("allocate_init, heap already there", bad);
    bad = call_checked((void *)allocate, 4096, &r);
    CHECK_CALL("allocate(4096), growing", bad);
    CHECK(r != 0);
    p = (void *)r;
    bad = call_checked((void *)deallocate, (uintptr_t)p, &r);
    CHECK_CALL("deallocate(p)", bad);
    bad = call_checked((void *)allocate, 4096, &r);
    CHECK_CALL("allocate(4096), reusing", bad);
    CHECK_EQ(r, (uintptr_t)p);
    bad = call_checked((void *)allocate, 0, &r);
    CHECK_CALL("allocate(0)", bad);
    bad = call_checked((void *)deallocate, r, &r);
    CHECK_CALL("deallocate(allocate(0))", bad);
    bad = call_checked((void *)allocate, 0xFFFFFFFFu, &r);
    CHECK_CALL("allocate(0xFFFFFFFF), overflowing", bad);
    CHECK_EQ(r, 0);
    limit_data();
    bad = call_checked((void *)allocate, 0xC0000000u, &r);
    unlimit_data();
    CHECK_CALL("allocate(0xC0000000), brk refused", bad);
    CHECK_EQ(r, 0);
    bad = call_checked((void *)deallocate, 0, &r);
    CHECK_CALL("deallocate(0)", bad);
    bad = call_checked((void *)deallocate, (uintptr_t)p, &r);
    CHECK_CALL("deallocate(p)", bad);
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

static void random_ops(void)
{
    struct heap_stats s;
    unsigned op, i, tag = 0, grew = 0, reused = 0, freed = 0;

    INIT();
    rng_state = RANDOM_SEED;
    for (op = 0; op < RANDOM_OPS; op++) {
        struct slot *sl = &slot[xorshift32() % RANDOM_SLOTS];

        if (sl->p) {
            CHECK_EQ(intact(sl->p, sl->size, sl->tag), sl->size);
            D(sl->p);
            sl->p = 0;
            freed++;
        } else {
            uint32_t r = xorshift32();
            /* mostly small requests, now and then up to 2 KiB */
            unsigned size = r % 16 == 0 ? (r >> 8) % 2049 : (r >> 8) % 97;
            uintptr_t brk_before = cb(), a;

            CHECK_EQ(heap_stats(&s), 0);
            sl->p = A(size);
            sl->size = size;
            sl->tag = ++tag;
            a = (uintptr_t)sl->p;
            CHECK(a != 0);
            CHECK(in_heap(sl->p, size));
            if (s.largest_free >= round8(size)) {
                /* something free fits: it must be reused */
                CHECK_EQ(cb(), brk_before);
                CHECK(a < brk_before);
                CHECK(header_of(sl->p)->size >= round8(size));
                reused++;
            } else {
                /* nothing fits: one new block at the old break */
                CHECK_EQ(a, brk_before + HEADER_SIZE);
                CHECK(cb() >= a + size);
                grew++;
            }
            for (i = 0; i < RANDOM_SLOTS; i++) {
                struct slot *o = &slot[i];
                if (o != sl && o->p)
                    CHECK(disjoint(sl->p, size, o->p, o->size));
            }
            fill(sl->p, size, sl->tag);
        }
        if (op % 1000 == 999)
            for (i = 0; i < RANDOM_SLOTS; i++)
                if (slot[i].p)
                    CHECK_EQ(intact(slot[i].p, slot[i].size, slot[i].tag),
                             slot[i].size);
        if (reg_trouble)
            break;
    }
    CHECK_REGS();
    for (i = 0; i < RANDOM_SLOTS; i++) {
        if (!slot[i].p)
            continue;
        CHECK_EQ(intact(slot[i].p, slot[i].size, slot[i].tag), slot[i].size);
        D(slot[i].p);
        slot[i].p = 0;
        freed++;
    }
    CHECK_EQ(heap_stats(&s), 0);
    CHECK_EQ(s.used, 0);                    /* every block freed */
    CHECK_REGS();

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

static const struct test {
    const char *id;
    const char *name;
    void (*fn)(void);
} tests[] = {
    { "before-init",   "allocate before allocate_init returns 0 and leaves "
                       "the break alone", before_init },
    { "init-at-break", "allocate_init starts an empty, aligned heap at the "
                       "break brk(0) returns", init_at_break },
    { "init-twice",    "a second allocate_init keeps the heap and its "
                       "blocks", init_twice },
    { "header-layout", "a block's header holds the flag at +0 and the size "
                       "at +4", header_layout },
    { "alignment",     "every payload is 8-byte aligned and inside "
                       "[heap_begin, current_break)", alignment },
    { "zero-size",     "allocate(0) returns a unique pointer to an 8-byte "
                       "block", zero_size },
    { "no-overlap",    "live blocks never overlap and keep their bytes "
                       "across later calls", no_overlap },
    { "first-fit",     "a freed block is reused by a request that fits, "
                       "first one first, without moving the break",
                       first_fit },
    { "free-null",     "deallocate(0) changes nothing", free_null },
    { "brk-failure",   "allocate returns 0 when brk refuses to grow the "
                       "heap, and the heap stays usable", brk_failure },
    { "unsigned-size", "a request of 2 GiB or more never gets a small free "
                       "block", unsigned_size },
    { "size-overflow", "sizes whose rounding or header would wrap return 0 "
                       "without moving the break", size_overflow },
    { "callee-saved",  "every path preserves %ebx, %esi, %edi, %ebp, %esp "
                       "and leaves DF clear", callee_saved },
    { "random",        "100000 random calls keep every block intact and "
                       "end with all freed", random_ops },
};
#define NTESTS (sizeof tests / sizeof tests[0])

static int wanted(const struct test *t, int argc, char **argv)
{
    if (argc < 2)
        return 1;
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], t->id) == 0)
            return 1;
    return 0;
}

int main(int argc, char **argv, char **envp)
{
    unsigned i;
    int j;
    (void)envp;

    if (argc == 2 && strcmp(argv[1], "--list") == 0) {
        for (i = 0; i < NTESTS; i++) {
            put_str(1, tests[i].id);
            put_str(1, "  ");
            put_str(1, tests[i].name);
            put_char(1, '\n');
        }
        return 0;
    }
    for (j = 1; j < argc; j++) {
        for (i = 0; i < NTESTS && strcmp(argv[j], tests[i].id) != 0; i++)
            ;
        if (i == NTESTS) {
            put_str(2, "alloc-test: no case '");
            put_str(2, argv[j]);
            put_str(2, "' (alloc-test --list shows them)\n");
            return 2;
        }
    }

    for (i = 0; i < NTESTS; i++) {
        if (!wanted(&tests[i], argc, argv))
            continue;
        reg_trouble = 0;
        t_run(tests[i].name);
        tests[i].fn();
        unlimit_data();
        t_end();
    }
    put_str(1, "brk calls seen: ");
    put_udec(1, brk_calls_seen);
    put_str(1, " (1 by allocate_init, 1 per allocate that moved the "
               "break; refused ones leave no trace)\n");
    return t_summary();
}
