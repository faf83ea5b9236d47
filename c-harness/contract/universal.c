/* universal.c — what every allocator with the book's ABI does with
 * blocks: aligned, unique, non-overlapping payloads that keep their bytes,
 * allocate(0), freed memory used again, deallocate(0), a refused brk, huge
 * sizes that never wrap, and the callee-saved registers.
 */
#include "contract.h"

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
void alignment(void)
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

void zero_size(void)
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
void no_overlap(void)
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
void reuse(void)
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

void free_null(void)
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
void brk_failure(void)
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
void unsigned_size(void)
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

void size_overflow(void)
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
void callee_saved(void)
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
