/* tags.c — how blocks are cut and joined: book-header, splits and
 * coalesces (any design), boundary-tags (a size tag at both ends of a
 * block, walked through memkit_layout) and coalesces-at-once.
 */
#include "contract.h"

void header_layout(void)
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
void splits(void)
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
void coalesces(void)
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

/* The optional exports exist and the walk through memkit_layout finds
 * the blocks allocate returned, used, big enough. */
void layout(void)
{
    struct blk *b;
    void *p, *q;

    CHECK(memkit_props != 0);
    CHECK(&memkit_layout != 0);
    CHECK(heap_check != 0);
    CHECK(reallocate != 0);
    CHECK_EQ(memkit_layout.magic, MEMKIT_LAYOUT_MAGIC);
    allocate_init();
    CHECK_EQ(heap_check(), 0);
    p = A(24);
    q = A(100);
    CHECK(p && q);
    CHECK_EQ(tag_walk(), 0);
    CHECK_EQ(nblk, 2);
    b = block_of(p);
    CHECK(b && !b->free);
    CHECK(b->size >= 24 + memkit_layout.header + memkit_layout.footer);
    b = block_of(q);
    CHECK(b && !b->free);
    CHECK(b->size >= 100 + memkit_layout.header + memkit_layout.footer);
    CHECK_EQ(heap_check(), 0);
}

/* A small request takes the front of a big free block; the rest stays a
 * free block right after it, and the break does not move. */
void split_front(void)
{
    struct blk *b;
    unsigned big;
    uintptr_t brk0;
    void *a, *g, *r;

    allocate_init();
    a = A(1000);
    g = A(16);
    CHECK(a && g);
    CHECK_EQ(tag_walk(), 0);
    big = block_of(a)->size;
    D(a);
    brk0 = cb();
    r = A(100);
    CHECK_EQ(r, a);
    CHECK_EQ(cb(), brk0);
    CHECK_EQ(tag_walk(), 0);
    b = block_of(r);
    CHECK(b && !b->free);
    CHECK(b->size < big);
    CHECK(b[1].free);                       /* the rest, right after */
    CHECK_EQ(b[0].size + b[1].size, big);
    CHECK_EQ(b[2].payload, (uintptr_t)g);   /* then the guard */
    note("split: ", big);
    CHECK_EQ(heap_check(), 0);
}

/* Three blocks a b c then a guard; frees in the given order (of a, b and
 * maybe c) must end in ONE free block spanning exactly what the freed
 * blocks spanned, followed by the first block still in use. */
static void merge(const char *order)
{
    void *p[3], *g;
    unsigned size[3], span, i;
    uintptr_t brk0;
    struct blk *b;

    allocate_init();
    for (i = 0; i < 3; i++)
        p[i] = A(40 + 8 * i);
    g = A(16);
    CHECK(p[0] && p[1] && p[2] && g);
    CHECK_EQ(tag_walk(), 0);
    for (i = 0; i < 3; i++)
        size[i] = block_of(p[i])->size;
    span = 0;
    for (const char *o = order; *o; o++) {
        i = (unsigned)(*o - 'a');
        D(p[i]);
        span += size[i];
    }
    CHECK_EQ(heap_check(), 0);
    CHECK_EQ(tag_walk(), 0);
    /* a was freed in every order: the merged block starts at a's block
     * (other free blocks, such as the rest of a chunk the heap grew by,
     * are the allocator's business) */
    b = block_of(p[0]);
    CHECK(b != 0 && b->free);
    CHECK_EQ(b->size, span);
    /* it ends where the first block still in use begins */
    CHECK_EQ(b[1].payload, (uintptr_t)(strlen(order) == 3 ? g : p[2]));
    if (strlen(order) == 3) {
        /* the merged block serves a request none of the three could */
        brk0 = cb();
        CHECK_EQ(A(span - memkit_layout.header - memkit_layout.footer),
                 p[0]);
        CHECK_EQ(cb(), brk0);
        CHECK_EQ(heap_check(), 0);
    }
}

/* b freed, then a: a merges with the free block after it. */
void merge_forward(void) { merge("ba"); }
/* a freed, then b: b merges with the free block before it. */
void merge_backward(void) { merge("ab"); }
/* a and c freed, then b: b merges both ways at once. */
void merge_both(void) { merge("acb"); }

/* Freeing the middle one of three freed neighbours merges all three:
 * upward into the one above, downward into the one below. */
void merge_three(void)
{
    uint8_t *a, *b, *c, *guard, *q;
    struct census before, after;

    allocate_init();
    a = allocate(40);
    b = allocate(40);
    c = allocate(40);
    guard = allocate(40);
    CHECK(a && b && c && guard);
    census(&before);
    deallocate(a);
    deallocate(c);
    deallocate(b);                          /* joins a below, c above */
    census(&after);
    CHECK(!after.bad);
    CHECK_EQ(after.blocks, before.blocks - 2);
    CHECK_EQ(heap_check(), 0);
    q = allocate(3 * 40 + 8);               /* needs all three */
    CHECK_EQ(q, a);
    deallocate(q);
    deallocate(guard);
    CHECK_EQ(heap_check(), 0);
}

/* 100000 random allocate / deallocate / reallocate calls: every block
 * keeps its bytes and heap_check stays 0 throughout. */
#define RANDOM_OPS   100000
#define RANDOM_SLOTS 256

static struct slot { uint8_t *p; unsigned size, tag; } slot[RANDOM_SLOTS];

void random_merges(void)
{
    unsigned op, i, tag = 0, reallocs = 0, moved = 0, checks = 0;
    unsigned live = 0, peak = 0;            /* payload bytes asked for */

    allocate_init();
    rng_state = 0x2545F491u;
    for (op = 0; op < RANDOM_OPS; op++) {
        struct slot *sl = &slot[xorshift32() % RANDOM_SLOTS];
        uint32_t r = xorshift32();
        unsigned size = r % 16 == 0 ? (r >> 8) % 2049 : (r >> 8) % 97;

        if (sl->p && r % 3 == 0) {
            unsigned keep = size < sl->size ? size : sl->size;
            uint8_t *q = reallocate(sl->p, size);
            if (size == 0) {
                CHECK_EQ(q, 0);
                live -= sl->size;
                sl->p = 0;
            } else {
                CHECK(q != 0);
                CHECK_EQ(pattern_intact(q, keep, sl->tag), keep);
                moved += q != sl->p;
                live += size - sl->size;
                sl->p = q;
                sl->size = size;
                sl->tag = ++tag;
                pattern_fill(q, size, sl->tag);
            }
            reallocs++;
        } else if (sl->p) {
            CHECK_EQ(pattern_intact(sl->p, sl->size, sl->tag), sl->size);
            D(sl->p);
            live -= sl->size;
            sl->p = 0;
        } else {
            sl->p = A(size);
            CHECK(sl->p != 0);
            CHECK_EQ((uintptr_t)sl->p % 8, 0);
            sl->size = size;
            sl->tag = ++tag;
            pattern_fill(sl->p, size, sl->tag);
            live += size;
        }
        if (live > peak)
            peak = live;
        CHECK_EQ(heap_check(), 0);
        checks++;
    }
    for (i = 0; i < RANDOM_SLOTS; i++) {
        if (!slot[i].p)
            continue;
        CHECK_EQ(pattern_intact(slot[i].p, slot[i].size, slot[i].tag), slot[i].size);
        D(slot[i].p);
        slot[i].p = 0;
    }
    CHECK_EQ(heap_check(), 0);
    CHECK_EQ(tag_walk(), 0);                    /* all freed: one free block */
    CHECK_EQ(nblk, 1);
    CHECK_EQ(free_blocks(), 1);
    note("reallocate calls: ", reallocs);
    note("of them moved: ", moved);
    note("heap_check calls returning 0: ", checks + 1);
    /* The break never moves down, so the heap now is its peak: how well
     * the policy packed the most that was ever live at once. */
    note("peak bytes live: ", peak);
    note("heap bytes: ", cb() - (uintptr_t)heap_begin);
    note("peak live / heap, %: ",
         peak * 100u / (cb() - (uintptr_t)heap_begin));
}
