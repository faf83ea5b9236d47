/* realloc.c — reallocate, for an allocator that exports it: realloc's
 * rules (any design), and where a block grows: reallocate-in-place and
 * reallocate-at-top.
 */
#include "contract.h"

/* A request of 3 GiB: brk refuses it natively too under the lowered
 * RLIMIT_DATA of limit_data() (heap.c). */
static void *realloc_limited(void *p, unsigned size)
{
    void *q;
    limit_data();
    q = reallocate(p, size);
    unlimit_data();
    return q;
}

/* realloc's edge cases: NULL, size 0, an impossible size. */
void realloc_edges(void)
{
    uint8_t *p, *q;

    CHECK(reallocate != 0);
    allocate_init();
    p = reallocate(0, 40);                  /* = allocate(40) */
    CHECK(p != 0);
    pattern_fill(p, 40, 5);
    q = reallocate(p, 0xFFFFFFF0u);         /* cannot fit: p untouched */
    CHECK_EQ(q, 0);
    CHECK_EQ(pattern_intact(p, 40, 5), 40);
    q = realloc_limited(p, 0xC0000000u);   /* brk refuses */
    CHECK_EQ(q, 0);
    CHECK_EQ(pattern_intact(p, 40, 5), 40);
    q = reallocate(p, 3000);                /* grows, keeps the bytes */
    CHECK(q != 0);
    CHECK_EQ(pattern_intact(q, 40, 5), 40);
    p = reallocate(q, 10);                  /* shrinks, keeps 10 bytes */
    CHECK(p != 0);
    CHECK_EQ(pattern_intact(p, 10, 5), 10);
    /* The kit's one rule (docs/lab.md), glibc's: reallocate(p, 0) frees
     * p and returns 0. p was the only block in use: none is left. */
    CHECK_EQ(reallocate(p, 0), 0);
    CHECK_EQ(heap_check(), 0);
    if (&memkit_layout) {
        struct census w;
        census(&w);
        CHECK_EQ(w.bad, 0);
        CHECK_EQ(w.used_blocks, 0);
    }
    p = reallocate(0, 0);                   /* = allocate(0): a block */
    CHECK(p != 0);
    deallocate(p);
}

void realloc_callee_saved(void)
{
    unsigned r, p, q, guard, bad;

    CHECK(reallocate && heap_check);
    allocate_init();
    CHECK_EQ(call2_checked((void *)reallocate, 0, 40, &p), 0);  /* NULL */
    CHECK(p != 0);
    CHECK_EQ(call2_checked((void *)reallocate, p, 20, &r), 0);  /* shrink */
    CHECK_EQ(r, p);
    CHECK_EQ(call2_checked((void *)reallocate, p, 600, &r), 0); /* grow */
    CHECK(r != 0);
    p = r;
    guard = (uintptr_t)allocate(16);
    CHECK(guard != 0);
    CHECK_EQ(call2_checked((void *)reallocate, p, 5000, &r), 0); /* move */
    CHECK(r != 0);
    p = r;
    CHECK_EQ(call2_checked((void *)reallocate, p, 0xFFFFFFF0u, &r), 0);
    CHECK_EQ(r, 0);                                             /* fails */
    limit_data();                                    /* brk */
    bad = call2_checked((void *)reallocate, p, 0xC0000000u, &r);
    unlimit_data();
    CHECK_EQ(bad, 0);
    CHECK_EQ(r, 0);
    CHECK_EQ(call2_checked((void *)heap_check, 0, 0, &r), 0);
    CHECK_EQ(r, 0);
    CHECK_EQ(call2_checked((void *)reallocate, p, 0, &q), 0);   /* free */
    CHECK_EQ(q, 0);
    deallocate((void *)guard);
    CHECK_EQ(call2_checked((void *)heap_check, 0, 0, &r), 0);
    CHECK_EQ(r, 0);
}

#define OPS   100000
#define SLOTS 512
static struct { uint8_t *p; unsigned size, tag; } slot[SLOTS];

/* 100000 random allocate / deallocate / reallocate calls; every block's
 * bytes checked when it is freed or resized; heap_check every 64 calls
 * and at the end, when everything is freed. */
void realloc_random(void)
{
    unsigned op, i, tag = 0, reallocs = 0, in_place = 0;

    CHECK(heap_check && reallocate && &memkit_layout);
    allocate_init();
    rng_state = 0x9E3779B9u;
    for (op = 0; op < OPS; op++) {
        unsigned k = xorshift32() % SLOTS, r = xorshift32();
        unsigned size = r % 8 == 0 ? (r >> 8) % 4097 : (r >> 8) % 129;
        if (slot[k].p && r % 3 == 0) {
            unsigned keep = slot[k].size < size ? slot[k].size : size;
            uint8_t *q;
            CHECK_EQ(pattern_intact(slot[k].p, slot[k].size, slot[k].tag),
                     slot[k].size);
            q = reallocate(slot[k].p, size);
            if (size == 0) {
                CHECK_EQ(q, 0);
                slot[k].p = 0;
                continue;
            }
            CHECK(q != 0);
            CHECK_EQ((uintptr_t)q % 8, 0);
            CHECK_EQ(pattern_intact(q, keep, slot[k].tag), keep);
            reallocs++;
            in_place += q == slot[k].p;
            slot[k].p = q;
            slot[k].size = size;
            slot[k].tag = ++tag;
            pattern_fill(q, size, tag);
        } else if (slot[k].p) {
            CHECK_EQ(pattern_intact(slot[k].p, slot[k].size, slot[k].tag),
                     slot[k].size);
            deallocate(slot[k].p);
            slot[k].p = 0;
        } else {
            slot[k].p = allocate(size);
            CHECK(slot[k].p != 0);
            CHECK_EQ((uintptr_t)slot[k].p % 8, 0);
            slot[k].size = size;
            slot[k].tag = ++tag;
            pattern_fill(slot[k].p, size, tag);
        }
        if (op % 64 == 0)
            CHECK_EQ(heap_check(), 0);
    }
    CHECK_EQ(heap_check(), 0);
    for (i = 0; i < SLOTS; i++) {
        if (slot[i].p) {
            CHECK_EQ(pattern_intact(slot[i].p, slot[i].size, slot[i].tag),
                     slot[i].size);
            deallocate(slot[i].p);
            slot[i].p = 0;
        }
    }
    CHECK_EQ(heap_check(), 0);
    put_str(1, "       ");
    put_udec(1, OPS);
    put_str(1, " calls, ");
    put_udec(1, reallocs);
    put_str(1, " reallocate (");
    put_udec(1, in_place);
    put_str(1, " in place), heap_check 0\n");
}

/* reallocate keeps realloc's promises. */
void realloc_in_place(void)
{
    void *p, *n, *g, *q, *r, *p2, *g2;
    struct blk *b;

    allocate_init();
    q = reallocate(0, 40);                  /* NULL: allocate */
    CHECK(q != 0);
    CHECK_EQ(tag_walk(), 0);
    CHECK(block_of(q) && !block_of(q)->free);

    p = A(40);
    n = A(200);
    g = A(16);
    CHECK(p && n && g);
    pattern_fill(p, 40, 1);
    D(n);
    r = reallocate(p, 150);                 /* the free next block: grow */
    CHECK_EQ(r, p);
    CHECK_EQ(pattern_intact(p, 40, 1), 40);
    CHECK_EQ(heap_check(), 0);
    CHECK_EQ(tag_walk(), 0);
    b = block_of(p);
    CHECK(b && !b->free && b->size >= 150 + 8);

    r = reallocate(p, 8);                   /* shrink: stays, rest freed */
    CHECK_EQ(r, p);
    CHECK_EQ(pattern_intact(p, 8, 1), 8);
    CHECK_EQ(heap_check(), 0);
    CHECK_EQ(tag_walk(), 0);
    b = block_of(p);
    CHECK(b[1].free);                       /* rest merged with the next */
    CHECK_EQ(b[2].payload, (uintptr_t)g);

    p2 = A(40);
    g2 = A(16);
    CHECK(p2 && g2);
    pattern_fill(p2, 40, 2);
    r = reallocate(p2, 400);                /* no room: moves */
    CHECK(r != 0 && r != p2);
    CHECK_EQ(pattern_intact(r, 40, 2), 40);
    CHECK_EQ(tag_walk(), 0);
    CHECK(block_of(p2)->free);              /* the old block was freed */
    CHECK_EQ(heap_check(), 0);

    CHECK_EQ(reallocate(r, 0xFFFFFFF0u), 0);        /* size wraps */
    limit_data();
    CHECK_EQ(reallocate(r, 0xC0000000u), 0);        /* brk refuses */
    unlimit_data();
    CHECK_EQ(pattern_intact(r, 40, 2), 40);
    CHECK_EQ(tag_walk(), 0);
    CHECK(!block_of(r)->free);              /* still the caller's */
    CHECK_EQ(heap_check(), 0);

    CHECK_EQ(reallocate(r, 0), 0);          /* size 0: deallocate */
    CHECK_EQ(tag_walk(), 0);
    CHECK(block_of(r) == 0 || block_of(r)->free);
    CHECK_EQ(heap_check(), 0);
}

/* Every path through reallocate, and heap_check on a good and a damaged
 * heap, keeps %ebx %esi %edi %ebp %esp and leaves DF clear (the moving
 * path copies with rep movsl through %esi and %edi). Each failure names
 * the path; the value is the BAD_* bits of callcheck.s. */
static unsigned R(void *p, unsigned size, const char *path, unsigned *bad)
{
    unsigned r, b;
    b = call2_checked((void *)reallocate, (uintptr_t)p, size, &r);
    if (b && !*bad) {
        put_str(1, "       broken by reallocate: ");
        put_str(1, path);
        put_char(1, '\n');
    }
    *bad |= b;
    return r;
}

void in_place_callee_saved(void)
{
    unsigned bad = 0, r;
    void *p, *n, *g, *q;
    uintptr_t hdr;

    allocate_init();
    p = (void *)R(0, 40, "reallocate(0, 40)", &bad);
    CHECK(p != 0);
    n = A(200);
    g = A(16);
    CHECK(n && g);
    D(n);
    CHECK_EQ(R(p, 150, "grow in place", &bad), (uintptr_t)p);
    CHECK_EQ(R(p, 8, "shrink in place", &bad), (uintptr_t)p);
    q = (void *)R(p, 4000, "move (rep movsl)", &bad);
    CHECK(q != 0 && q != p);
    CHECK_EQ(R(q, 0xFFFFFFFFu, "size that wraps", &bad), 0);
    limit_data();
    CHECK_EQ(R(q, 0xC0000000u, "brk refused", &bad), 0);
    unlimit_data();
    CHECK_EQ(R(q, 0, "size 0 frees", &bad), 0);
    CHECK_EQ(bad, 0);

    bad = call_checked((void *)heap_check, 0, &r);
    CHECK_EQ(bad, 0);
    CHECK_EQ(r, 0);
    hdr = (uintptr_t)g - memkit_layout.header + memkit_layout.size_off;
    *(unsigned *)hdr ^= 0x10;               /* a damaged size */
    bad = call_checked((void *)heap_check, 0, &r);
    *(unsigned *)hdr ^= 0x10;
    CHECK_EQ(bad, 0);
    CHECK(r != 0);
}

/* reallocate grows in place into a free neighbour and into the top. */
void realloc_at_top(void)
{
    uint8_t *a, *b, *c, *q;
    uintptr_t brk_before;

    allocate_init();
    a = allocate(100);
    b = allocate(100);
    c = allocate(100);
    CHECK(a && b && c);
    pattern_fill(a, 100, 1);
    deallocate(b);
    q = reallocate(a, 180);                 /* b's space is free */
    CHECK_EQ(q, a);
    CHECK_EQ(pattern_intact(a, 100, 1), 100);
    CHECK_EQ(heap_check(), 0);

    pattern_fill(c, 100, 2);                        /* c is the last block */
    brk_before = cb();
    q = reallocate(c, 200000);              /* past the top: brk */
    CHECK_EQ(q, c);
    CHECK(cb() > brk_before);
    CHECK_EQ(pattern_intact(c, 100, 2), 100);
    CHECK_EQ(heap_check(), 0);
    deallocate(a);
    deallocate(c);
    CHECK_EQ(heap_check(), 0);
}
