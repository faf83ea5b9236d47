/* alloc-seg-test.c — what segfit, buddy, bitmap and tlsf promise beyond
 * the common contract (asm/allocators/{segfit,buddy,bitmap,tlsf}.s).
 *
 *   build/alloc/TAG/alloc-seg-test ID...   run these cases, in order
 *   build/alloc/TAG/alloc-seg-test --list  the case IDs and what they check
 *   build/alloc/TAG/alloc-seg-test --bench N   the workload callgrind
 *                                          measures (below)
 *
 * Cases for any allocator that exports reallocate and heap_check:
 *   random, corrupt, realloc, callee-saved. Cases for one design: segfit-*, buddy-*,
 *   bitmap-*, tlsf-*. tests/allocators-seg.bats runs each allocator's cases.
 * Blocks are walked through the allocator's own memkit_layout
 * (c-harness/layout.h), so the checks see the heap as the heap tools do.
 * The closing line is "N passed, N failed"; exit status 1 on a failure.
 */
#include "rt.h"
#include "layout.h"
#include "datalimit.h"

void  allocate_init(void);
void *allocate(unsigned size);
void  deallocate(void *p);
extern char *heap_begin, *current_break;

extern const struct memkit_layout memkit_layout __attribute__((weak));
void *reallocate(void *p, unsigned size) __attribute__((weak));
int   heap_check(void) __attribute__((weak));
/* bitmap.s: one bit per 16-byte chunk of the heap, 1 = used. */
extern unsigned chunk_map[] __attribute__((weak));
extern unsigned chunk_count __attribute__((weak));

static uintptr_t hb(void) { return (uintptr_t)heap_begin; }
static uintptr_t cb(void) { return (uintptr_t)current_break; }

/* ------------------------------------------------ walking by the layout */

struct walk {
    unsigned blocks, free_blocks, used_blocks;
    uintptr_t largest_free_at;
    unsigned largest_free;          /* block bytes */
    int bad;                        /* the walk met a corrupt block */
};

static unsigned word_at(uintptr_t b, unsigned off)
{
    return *(const unsigned *)(b + off);
}

static unsigned block_bytes(uintptr_t b)
{
    const struct memkit_layout *l = &memkit_layout;
    unsigned w = word_at(b, l->size_off) & l->size_mask;
    if (l->size_kind == SIZE_LOG2)
        return w < 32 ? 1u << w : 0;
    if (l->size_kind == SIZE_PAYLOAD)
        return w + l->header + l->footer;
    return w;
}

static int block_free(uintptr_t b)
{
    const struct memkit_layout *l = &memkit_layout;
    return (word_at(b, l->state_off) & l->state_mask) == l->state_free;
}

static void walk_heap(struct walk *w)
{
    const struct memkit_layout *l = &memkit_layout;
    uintptr_t b = hb() + l->first, end = cb() - l->tail;

    memset(w, 0, sizeof *w);
    if (cb() == hb())
        return;
    while (b < end) {
        unsigned n = block_bytes(b);
        if (n == 0 || n > end - b) {
            w->bad = 1;
            return;
        }
        w->blocks++;
        if (block_free(b)) {
            w->free_blocks++;
            if (n > w->largest_free) {
                w->largest_free = n;
                w->largest_free_at = b;
            }
        } else {
            w->used_blocks++;
        }
        b += n;
    }
}

/* The break moves: counts how often it did across a run of calls. */
static unsigned moves;
static void *A(unsigned size)
{
    uintptr_t before = cb();
    void *p = allocate(size);
    if (cb() != before)
        moves++;
    return p;
}

static uint32_t rng_state;
static uint32_t xorshift32(void)
{
    uint32_t x = rng_state;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return rng_state = x;
}

/* ------------------------------------------------ any allocator */

#define OPS   100000
#define SLOTS 512
static struct { uint8_t *p; unsigned size, tag; } slot[SLOTS];

/* 100000 random allocate / deallocate / reallocate calls; every block's
 * bytes checked when it is freed or resized; heap_check every 64 calls
 * and at the end, when everything is freed. */
static void random_ops(void)
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

/* heap_check must notice damage: each corruption is made, checked and
 * undone. Its words are found through memkit_layout, so the same case
 * serves every design. */
static void corrupt(void)
{
    const struct memkit_layout *l = &memkit_layout;
    void *p[6];
    unsigned i, *size_word, *state_word, saved, n;
    uintptr_t b;

    CHECK(heap_check && &memkit_layout);
    allocate_init();
    for (i = 0; i < 6; i++) {
        p[i] = allocate(24 + i * 40);
        CHECK(p[i] != 0);
    }
    deallocate(p[1]);
    deallocate(p[3]);
    CHECK_EQ(heap_check(), 0);

    b = (uintptr_t)p[2] - l->header;        /* a used block */
    size_word = (unsigned *)(b + l->size_off);
    state_word = (unsigned *)(b + l->state_off);

    saved = *size_word;                     /* its size grows */
    n = l->size_kind == SIZE_LOG2 ? 1 : (l->size_mask & -l->size_mask);
    *size_word = saved + n * (l->size_kind == SIZE_LOG2 ? 1 : 2);
    CHECK(heap_check() != 0);
    *size_word = saved;
    CHECK_EQ(heap_check(), 0);

    saved = *state_word;                    /* it claims to be free */
    *state_word = (saved & ~l->state_mask) | l->state_free;
    CHECK(heap_check() != 0);
    *state_word = saved;
    CHECK_EQ(heap_check(), 0);

    b = (uintptr_t)p[3] - l->header;        /* a free block... */
    state_word = (unsigned *)(b + l->state_off);
    saved = *state_word;                    /* ...claims to be used */
    *state_word = (saved & ~l->state_mask) | l->state_used;
    CHECK(heap_check() != 0);
    *state_word = saved;
    CHECK_EQ(heap_check(), 0);

    if (!chunk_map) {                       /* free lists: segfit, buddy */
        unsigned *link = (unsigned *)(b + l->header);  /* next free */
        saved = *link;                      /* points at a used block */
        *link = (uintptr_t)p[4] - l->header;
        CHECK(heap_check() != 0);
        *link = saved;
        CHECK_EQ(heap_check(), 0);
    }

    for (i = 0; i < 6; i++)
        if (i != 1 && i != 3)
            deallocate(p[i]);
    CHECK_EQ(heap_check(), 0);
}

/* A request of 3 GiB: brk refuses it natively too under the lowered
 * RLIMIT_DATA of datalimit.h. */
static void *realloc_limited(void *p, unsigned size)
{
    void *q;
    limit_data(cb() - hb());
    q = reallocate(p, size);
    unlimit_data();
    return q;
}

/* realloc's edge cases: NULL, size 0, an impossible size. */
static void realloc_edges(void)
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
        struct walk w;
        walk_heap(&w);
        CHECK_EQ(w.bad, 0);
        CHECK_EQ(w.used_blocks, 0);
    }
    p = reallocate(0, 0);                   /* = allocate(0): a block */
    CHECK(p != 0);
    deallocate(p);
}

/* reallocate and heap_check keep %ebx, %esi, %edi, %ebp, %esp and a
 * clear DF on every path (callcheck.s plants the canaries). */
unsigned call2_checked(void *fn, unsigned a, unsigned b, unsigned *result);

static void callee_saved(void)
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
    limit_data(cb() - hb());                                    /* brk */
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

/* ------------------------------------------------ segfit */

/* 1000 allocations move the break far fewer than 1000 times: 512-byte
 * steps while the heap is below 32 KiB, then steps of 1/64 of it. */
static void segfit_chunks(void)
{
    static void *p[1000];
    unsigned i;

    allocate_init();
    moves = 0;
    for (i = 0; i < 1000; i++) {
        p[i] = A(32);
        CHECK(p[i] != 0);
    }
    put_str(1, "       1000 x allocate(32): the break moved ");
    put_udec(1, moves);
    put_str(1, " times\n");
    CHECK(moves <= 80);
    CHECK_EQ(sys_brk(0), cb());
    for (i = 0; i < 1000; i++)
        deallocate(p[i]);
    CHECK_EQ(heap_check(), 0);
}

/* A large block freed at the top gives its memory back: the break, as
 * the kernel reports it, moves down. */
static void segfit_trim(void)
{
    void *small, *big;
    uintptr_t before, grown;

    allocate_init();
    small = allocate(64);
    CHECK(small != 0);
    before = sys_brk(0);
    big = allocate(1u << 20);
    CHECK(big != 0);
    grown = sys_brk(0);
    CHECK(grown >= before + (1u << 20));
    deallocate(big);
    CHECK(sys_brk(0) < grown);
    CHECK(sys_brk(0) <= before + 128 * 1024);
    CHECK_EQ(sys_brk(0), cb());
    put_str(1, "       break ");
    put_hex(1, grown, 8);
    put_str(1, " -> ");
    put_hex(1, sys_brk(0), 8);
    put_str(1, " after freeing the 1 MiB top block\n");
    deallocate(small);
    CHECK_EQ(heap_check(), 0);
}

/* reallocate grows in place into a free neighbour and into the top. */
static void segfit_realloc(void)
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

/* Freeing the middle one of three freed neighbours merges all three:
 * upward into the one above, downward into the one below. */
static void segfit_coalesce(void)
{
    uint8_t *a, *b, *c, *guard, *q;
    struct walk before, after;

    allocate_init();
    a = allocate(40);
    b = allocate(40);
    c = allocate(40);
    guard = allocate(40);
    CHECK(a && b && c && guard);
    walk_heap(&before);
    deallocate(a);
    deallocate(c);
    deallocate(b);                          /* joins a below, c above */
    walk_heap(&after);
    CHECK(!after.bad);
    CHECK_EQ(after.blocks, before.blocks - 2);
    CHECK_EQ(heap_check(), 0);
    q = allocate(3 * 40 + 8);               /* needs all three */
    CHECK_EQ(q, a);
    deallocate(q);
    deallocate(guard);
    CHECK_EQ(heap_check(), 0);
}

/* ------------------------------------------------ buddy */

/* After blocks of many sizes are freed, every buddy pair has merged back:
 * the arena is one free block again. */
static void buddy_merge(void)
{
    static void *p[300];
    struct walk w;
    unsigned i;

    allocate_init();
    rng_state = 12345;
    for (i = 0; i < 300; i++) {
        p[i] = allocate(xorshift32() % 3000);
        CHECK(p[i] != 0);
    }
    walk_heap(&w);
    CHECK(!w.bad);
    CHECK(w.used_blocks == 300);
    for (i = 0; i < 300; i += 2)
        deallocate(p[i]);
    CHECK_EQ(heap_check(), 0);
    for (i = 1; i < 300; i += 2)
        deallocate(p[i]);
    CHECK_EQ(heap_check(), 0);
    walk_heap(&w);
    CHECK(!w.bad);
    CHECK_EQ(w.blocks, 1);
    CHECK_EQ(w.free_blocks, 1);
    CHECK_EQ(w.largest_free, cb() - hb());
    put_str(1, "       arena of ");
    put_udec(1, cb() - hb());
    put_str(1, " bytes is one free block again\n");
}

/* A block and its buddy: split from one, merge into one. */
static void buddy_split(void)
{
    void *a, *b;
    uintptr_t ba, bb, size;

    allocate_init();
    a = allocate(100);                      /* 128-byte blocks */
    b = allocate(100);
    CHECK(a && b);
    ba = (uintptr_t)a - memkit_layout.header;
    bb = (uintptr_t)b - memkit_layout.header;
    size = block_bytes(ba);
    CHECK_EQ(size, 128);
    CHECK_EQ(block_bytes(bb), 128);
    CHECK_EQ((ba - hb()) ^ size, bb - hb());  /* buddies by address */
    deallocate(a);
    deallocate(b);
    CHECK_EQ(heap_check(), 0);
}

/* A lower half whose upper buddy is free grows in place; an upper half
 * has to move. */
static void buddy_realloc(void)
{
    uint8_t *a, *b, *q;

    allocate_init();
    a = allocate(100);                      /* offset 0, 128 bytes */
    CHECK(a != 0);
    pattern_fill(a, 100, 3);
    q = reallocate(a, 400);                 /* takes 128 + 256 above */
    CHECK_EQ(q, a);
    CHECK_EQ(block_bytes((uintptr_t)a - memkit_layout.header), 512);
    CHECK_EQ(pattern_intact(a, 100, 3), 100);
    b = allocate(100);                      /* 512 + 0: a lower half */
    CHECK(b != 0);
    q = allocate(100);                      /* its upper buddy, used */
    CHECK(q != 0);
    pattern_fill(q, 100, 4);
    CHECK_EQ(((uintptr_t)q - hb()) & 128, 128);
    b = reallocate(q, 200);                 /* an upper half: moves */
    CHECK(b != 0 && b != q);
    CHECK_EQ(pattern_intact(b, 100, 4), 100);
    CHECK_EQ(heap_check(), 0);
}

/* ------------------------------------------------ bitmap */

static int bit(unsigned i)
{
    return (chunk_map[i / 32] >> (i % 32)) & 1;
}

/* A block of n bytes sets exactly the bits of its chunks; freeing it
 * clears exactly those. */
static void bitmap_marks(void)
{
    static const unsigned sizes[] = { 1, 8, 9, 24, 25, 100, 600, 5000 };
    void *p[8];
    unsigned i, j, first[8], count[8], used = 0;

    CHECK(chunk_map && &chunk_count);
    allocate_init();
    for (i = 0; i < 8; i++) {
        p[i] = allocate(sizes[i]);
        CHECK(p[i] != 0);
        first[i] = ((uintptr_t)p[i] - memkit_layout.header - hb()) / 16;
        count[i] = (sizes[i] + memkit_layout.header + 15) / 16;
        used += count[i];
    }
    for (i = 0; i < 8; i++)
        for (j = 0; j < count[i]; j++)
            CHECK(bit(first[i] + j));
    for (i = 0, j = 0; i < chunk_count; i++)
        j += bit(i);
    CHECK_EQ(j, used);                      /* and no other bit */
    deallocate(p[5]);
    for (j = 0; j < count[5]; j++)
        CHECK(!bit(first[5] + j));
    CHECK(bit(first[4]));
    CHECK(bit(first[6]));
    for (i = 0, j = 0; i < chunk_count; i++)
        j += bit(i);
    CHECK_EQ(j, used - count[5]);
    p[5] = allocate(sizes[5]);              /* first fit: the same run */
    CHECK_EQ(((uintptr_t)p[5] - memkit_layout.header - hb()) / 16,
             first[5]);
    for (i = 0; i < 8; i++)
        deallocate(p[i]);
    for (i = 0, j = 0; i < chunk_count; i++)
        j += bit(i);
    CHECK_EQ(j, 0);
    CHECK_EQ(heap_check(), 0);
}

/* ------------------------------------------------ tlsf */

/* Good fit: a request is never served by a block smaller than it, and
 * no list is walked. Free blocks of 1008 and 592 bytes (guards between):
 * the 592 is in the list of 592..607-byte blocks, so a 600-byte block
 * comes from the first list whose every block fits, the 1008's. Then a
 * free 600-byte block, alone in that list: a 600-byte request finds no
 * list that is sure to fit and takes the head of its own, which does. */
static void tlsf_goodfit(void)
{
    uint8_t *a, *c, *x, *g1, *g2, *g3, *p, *q;

    allocate_init();
    a = allocate(1004);                     /* block 1008 */
    g1 = allocate(16);
    c = allocate(588);                      /* block 592 */
    g2 = allocate(16);
    CHECK(a && g1 && c && g2);
    deallocate(c);
    deallocate(a);
    CHECK_EQ(heap_check(), 0);
    p = allocate(596);                      /* block 600 */
    CHECK_EQ(p, a);
    CHECK_EQ(heap_check(), 0);

    x = allocate(596);                      /* block 600 */
    g3 = allocate(1000);                    /* from the top, above x */
    CHECK(x && g3);
    deallocate(x);
    q = allocate(596);
    CHECK_EQ(q, x);
    CHECK_EQ(heap_check(), 0);
    deallocate(p);
    deallocate(q);
    deallocate(g1);
    deallocate(g2);
    deallocate(g3);
    CHECK_EQ(heap_check(), 0);
}

/* The designated remainder: the rest of a block split for a small
 * request serves the next small requests, one after the other in
 * address order, and a block freed next to it joins it again. */
static void tlsf_remainder(void)
{
    uint8_t *big, *g, *p, *q, *r, *s;

    allocate_init();
    big = allocate(2000);
    g = allocate(16);
    CHECK(big && g);
    deallocate(big);
    p = allocate(40);                       /* block 48: splits big */
    q = allocate(40);
    r = allocate(100);                      /* block 104 */
    CHECK_EQ(p, big);
    CHECK_EQ(q, p + 48);
    CHECK_EQ(r, q + 48);
    CHECK_EQ(heap_check(), 0);
    deallocate(r);                          /* back into the remainder */
    s = allocate(100);
    CHECK_EQ(s, r);
    CHECK_EQ(heap_check(), 0);
    deallocate(s);
    deallocate(q);
    deallocate(p);
    deallocate(g);
    CHECK_EQ(heap_check(), 0);
}

/* The growth policy: the break moves by exactly the shortfall, so a
 * heap filled from empty is exactly its blocks plus the prologue and the
 * epilogue; the price is one brk per growth. */
static void tlsf_exact_growth(void)
{
    static void *p[1000];
    unsigned i;

    allocate_init();
    moves = 0;
    for (i = 0; i < 1000; i++) {
        p[i] = A(32);                       /* block 40 */
        CHECK(p[i] != 0);
    }
    put_str(1, "       1000 x allocate(32): heap ");
    put_udec(1, cb() - hb());
    put_str(1, " bytes, the break moved ");
    put_udec(1, moves);
    put_str(1, " times\n");
    CHECK_EQ(cb() - hb(), 4 + 1000 * 40 + 4);
    CHECK_EQ(moves, 1000);
    CHECK_EQ(sys_brk(0), cb());
    for (i = 0; i < 1000; i++)
        deallocate(p[i]);
    CHECK_EQ(heap_check(), 0);
}

/* ------------------------------------------------ measuring
 *
 * alloc-seg-test --bench N: N live blocks of 1..256 random bytes, then
 * BENCH_PAIRS times: free a random one of them and allocate a new block
 * of a random size in its place. Only seg_bench() is measured
 * (valgrind --tool=callgrind --toggle-collect=seg_bench); the cost of
 * allocate and deallocate alone is their inclusive count in it, divided
 * by BENCH_PAIRS calls each (docs/allocators-seg.md).
 */
#define BENCH_PAIRS 10000
#define BENCH_MAX   16384
static void *bench_live[BENCH_MAX];
static unsigned bench_size[BENCH_MAX];

__attribute__((noinline)) void seg_bench(unsigned n)
{
    unsigned i;
    for (i = 0; i < BENCH_PAIRS; i++) {
        unsigned k = xorshift32() % n;
        deallocate(bench_live[k]);
        bench_size[k] = 1 + xorshift32() % 256;
        bench_live[k] = allocate(bench_size[k]);
    }
}

static int bench(const char *arg)
{
    unsigned n, i, live;
    if (parse_uint(arg, &n) != 0 || n < 1 || n > BENCH_MAX) {
        put_str(2, "alloc-seg-test: --bench N takes 1..16384\n");
        return 2;
    }
    allocate_init();
    rng_state = 0x2545F491u;
    for (i = 0; i < n; i++) {
        bench_size[i] = 1 + xorshift32() % 256;
        bench_live[i] = allocate(bench_size[i]);
        if (!bench_live[i])
            return 1;
    }
    sys_getpid();                           /* marks the region in -strace */
    seg_bench(n);
    sys_getpid();
    for (i = 0, live = 0; i < n; i++) {
        if (!bench_live[i])
            return 1;
        live += bench_size[i];
    }
    put_str(1, "bench: ");
    put_udec(1, n);
    put_str(1, " live blocks, ");
    put_udec(1, BENCH_PAIRS);
    put_str(1, " deallocate + allocate pairs, live ");
    put_udec(1, live);
    put_str(1, " bytes, heap ");
    put_udec(1, cb() - hb());
    put_str(1, " bytes\n");
    return heap_check && heap_check() != 0;
}

/* ------------------------------------------------ the cases */

struct test { const char *id, *name; void (*fn)(void); };
static const struct test tests[] = {
    { "random",  "100000 random calls with reallocate: blocks intact, "
                 "heap_check 0", random_ops },
    { "corrupt", "heap_check reports a changed size, a flipped state and "
                 "(with free lists) a bad link", corrupt },
    { "realloc", "reallocate handles NULL, size 0 and impossible sizes "
                 "like realloc", realloc_edges },
    { "callee-saved", "reallocate and heap_check preserve %ebx, %esi, %edi, "
                      "%ebp, %esp and DF", callee_saved },
    { "segfit-chunks", "the break grows in chunks, not once per "
                       "allocation", segfit_chunks },
    { "segfit-trim", "freeing a large top block moves the break down",
      segfit_trim },
    { "segfit-realloc", "reallocate grows in place into a free neighbour "
                        "and into the top", segfit_realloc },
    { "segfit-coalesce", "a freed block merges with free neighbours in "
                         "both directions", segfit_coalesce },
    { "buddy-merge", "freeing every block merges the arena back into one "
                     "free block", buddy_merge },
    { "buddy-split", "two small blocks split from one are buddies by "
                     "address", buddy_split },
    { "buddy-realloc", "reallocate grows a lower half in place by taking "
                       "its free buddies", buddy_realloc },
    { "tlsf-goodfit", "a request takes the head of a list whose every "
                      "block fits, else its own list's head if it fits",
      tlsf_goodfit },
    { "tlsf-remainder", "small requests are cut one after another from "
                        "the designated remainder", tlsf_remainder },
    { "tlsf-growth", "the break moves by exactly the shortfall",
      tlsf_exact_growth },
    { "tlsf-trim", "freeing a large top block moves the break down",
      segfit_trim },
    { "tlsf-realloc", "reallocate grows in place into a free neighbour "
                      "and into the top", segfit_realloc },
    { "tlsf-coalesce", "a freed block merges with free neighbours in "
                       "both directions", segfit_coalesce },
    { "bitmap-marks", "allocate sets and deallocate clears exactly a "
                      "block's chunk bits", bitmap_marks },
};
#define NTESTS (sizeof tests / sizeof tests[0])

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
    if (argc == 3 && strcmp(argv[1], "--bench") == 0)
        return bench(argv[2]);
    if (argc < 2) {
        put_str(2, "usage: alloc-seg-test ID... | --list | --bench N\n");
        return 2;
    }
    for (j = 1; j < argc; j++) {
        for (i = 0; i < NTESTS && strcmp(argv[j], tests[i].id) != 0; i++)
            ;
        if (i == NTESTS) {
            put_str(2, "alloc-seg-test: no case '");
            put_str(2, argv[j]);
            put_str(2, "' (alloc-seg-test --list shows them)\n");
            return 2;
        }
        t_run(tests[i].name);
        tests[i].fn();
        t_end();
    }
    return t_summary();
}
