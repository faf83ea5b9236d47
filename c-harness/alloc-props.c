/* alloc-props.c — what the boundary-tag allocators (asm/allocators/
 * coalesce.s, bestfit.s, nextfit.s, explicit.s) add to the contract:
 * split, merge in both directions, their fit policy, reallocate, and a
 * heap_check that really finds damage.
 *
 *   build/alloc/NAME/alloc-props ID...   run these cases, in this order
 *   build/alloc/NAME/alloc-props --list  print the case IDs
 *   build/alloc/NAME/alloc-props --demo  print the heap while three
 *                                        neighbours are freed and reused
 *
 * Unlike alloc-test it needs more than the book's ABI: the allocator's
 * memkit_layout (the heap is walked through it, never through a copy of
 * the allocator's constants), heap_check and reallocate. Each case
 * starts from the heap the cases before it left, so tests/allocators.bats
 * runs one case per process. The policy cases (first-fit, best-fit,
 * next-fit, lifo) each hold for one policy only: running one against another
 * policy fails, which is how the bats file shows they discriminate.
 */
#include "rt.h"
#include "layout.h"
#include "datalimit.h"

void  allocate_init(void);
void *allocate(unsigned size);
void  deallocate(void *p);
extern char *heap_begin;
extern char *current_break;

/* Optional exports (layout.h): 0 when the allocator lacks them. */
extern const char memkit_props[] __attribute__((weak));
extern const struct memkit_layout memkit_layout __attribute__((weak));
void *reallocate(void *p, unsigned size) __attribute__((weak));
int   heap_check(void) __attribute__((weak));

/* call_checked / call2_checked (callcheck.s): call fn(arg) or fn(a, b)
 * with canaries in the callee-saved registers; return which of them (and
 * DF) did not survive. */
unsigned call_checked(void *fn, unsigned arg, unsigned *result);
unsigned call2_checked(void *fn, unsigned a, unsigned b, unsigned *result);

#define A(n)    allocate(n)
#define D(p)    deallocate(p)

static uintptr_t cb(void) { return (uintptr_t)current_break; }

/* ------------------------------------------- the heap, through the layout */

struct blk {
    uintptr_t start;            /* block start */
    uintptr_t payload;          /* start + layout header */
    unsigned size;              /* whole block bytes */
    int free;
};

#define MAX_BLOCKS 64
static struct blk blk[MAX_BLOCKS];
static unsigned nblk;

static unsigned word_at(uintptr_t a) { return *(const unsigned *)a; }

/* Walks the heap into blk[]; returns 0, or -1 if a block is malformed,
 * runs past the end, or there are more than MAX_BLOCKS. */
static int walk(void)
{
    const struct memkit_layout *L = &memkit_layout;
    uintptr_t a, end;

    nblk = 0;
    if (!L || L->magic != MEMKIT_LAYOUT_MAGIC || L->size_kind != SIZE_BLOCK)
        return -1;
    if (cb() == (uintptr_t)heap_begin)
        return 0;                           /* empty heap: no blocks */
    a = (uintptr_t)heap_begin + L->first;
    end = cb() - L->tail;
    while (a < end) {
        unsigned size = word_at(a + L->size_off) & L->size_mask;
        unsigned st = word_at(a + L->state_off) & L->state_mask;
        if (nblk == MAX_BLOCKS || size == 0 || size > end - a)
            return -1;
        if (st != L->state_free && st != L->state_used)
            return -1;
        blk[nblk].start = a;
        blk[nblk].payload = a + L->header;
        blk[nblk].size = size;
        blk[nblk].free = st == L->state_free;
        nblk++;
        a += size;
    }
    return a == end ? 0 : -1;
}

/* The walked block whose payload is p, or 0. */
static struct blk *block_of(const void *p)
{
    for (unsigned i = 0; i < nblk; i++)
        if (blk[i].payload == (uintptr_t)p)
            return &blk[i];
    return 0;
}

static unsigned free_blocks(void)
{
    unsigned n = 0;
    for (unsigned i = 0; i < nblk; i++)
        n += blk[i].free;
    return n;
}

static void note(const char *what, unsigned v)
{
    put_str(1, "       ");
    put_str(1, what);
    put_udec(1, v);
    put_char(1, '\n');
}

/* Prints the heap as the layout describes it, one line per block. */
static void print_heap(const char *title)
{
    put_str(1, title);
    put_char(1, '\n');
    if (walk() < 0) {
        put_str(1, "  (the walk through memkit_layout failed)\n");
        return;
    }
    put_str(1, "  offset   size  state\n");
    for (unsigned i = 0; i < nblk; i++) {
        put_str(1, "  +");
        put_hex(1, blk[i].start - (uintptr_t)heap_begin, 4);
        put_udec_w(1, blk[i].size, 7);
        put_str(1, blk[i].free ? "  free\n" : "  used\n");
    }
    put_str(1, "  heap_check() = ");
    put_dec(1, heap_check());
    put_char(1, '\n');
}

/* alloc-props --demo: split and merge, step by step (docs/allocators.md
 * shows the output). */
static int demo(void)
{
    void *a, *b, *c, *g, *r;
    allocate_init();
    a = A(40);
    b = A(40);
    c = A(40);
    g = A(16);
    if (!a || !b || !c || !g)
        return 1;
    print_heap("a b c = allocate(40) x 3, guard = allocate(16)");
    D(a);
    D(c);
    print_heap("deallocate(a), deallocate(c): two free blocks");
    D(b);
    print_heap("deallocate(b): merges both ways, one free block");
    r = A(16);
    print_heap(r == a ? "allocate(16) takes its front, splits off the rest"
                      : "allocate(16) takes part of it");
    return 0;
}

/* ------------------------------------------------------------- cases */

/* The optional exports exist and the walk through memkit_layout finds
 * the blocks allocate returned, used, big enough. */
static void layout(void)
{
    struct blk *b;
    void *p, *q;

    CHECK(memkit_props != 0);
    CHECK(&memkit_layout != 0);
    CHECK(heap_check != 0);
    CHECK(reallocate != 0);
    CHECK_EQ(memkit_layout.magic, MEMKIT_LAYOUT_MAGIC);
    put_str(1, "       props: ");
    put_str(1, memkit_props);
    put_char(1, '\n');
    allocate_init();
    CHECK_EQ(heap_check(), 0);
    p = A(24);
    q = A(100);
    CHECK(p && q);
    CHECK_EQ(walk(), 0);
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
static void split(void)
{
    struct blk *b;
    unsigned big;
    uintptr_t brk0;
    void *a, *g, *r;

    allocate_init();
    a = A(1000);
    g = A(16);
    CHECK(a && g);
    CHECK_EQ(walk(), 0);
    big = block_of(a)->size;
    D(a);
    brk0 = cb();
    r = A(100);
    CHECK_EQ(r, a);
    CHECK_EQ(cb(), brk0);
    CHECK_EQ(walk(), 0);
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
 * blocks spanned. */
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
    CHECK_EQ(walk(), 0);
    for (i = 0; i < 3; i++)
        size[i] = block_of(p[i])->size;
    span = 0;
    for (const char *o = order; *o; o++) {
        i = (unsigned)(*o - 'a');
        D(p[i]);
        span += size[i];
    }
    CHECK_EQ(heap_check(), 0);
    CHECK_EQ(walk(), 0);
    CHECK_EQ(free_blocks(), 1);
    b = &blk[0];
    while (!b->free)
        b++;
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
static void merge_forward(void) { merge("ba"); }
/* a freed, then b: b merges with the free block before it. */
static void merge_backward(void) { merge("ab"); }
/* a and c freed, then b: b merges both ways at once. */
static void merge_both(void) { merge("acb"); }

/* Free blocks, low to high, with used guards between them:
 *   s (64)  a (600)  b (600)  c (200)
 * The last placement before the policy cases is the guard after c. */
static void *s_, *a_, *b_, *c_, *g1_;

static int policy_setup(void)
{
    void *g0, *g2, *g3;
    allocate_init();
    s_ = A(64);  g0 = A(16);
    a_ = A(600); g1_ = A(16);
    b_ = A(600); g2 = A(16);
    c_ = A(200); g3 = A(16);
    if (!s_ || !g0 || !a_ || !g1_ || !b_ || !g2 || !c_ || !g3)
        return -1;
    D(s_);
    D(a_);
    D(b_);
    D(c_);
    return 0;
}

/* First fit: the lowest block that fits, wherever the last one went. */
static void first_fit(void)
{
    uintptr_t brk0;
    CHECK_EQ(policy_setup(), 0);
    brk0 = cb();
    CHECK_EQ(A(150), a_);                   /* s too small; a is lowest */
    CHECK_EQ(A(16), s_);                    /* s is lower than a's rest */
    CHECK_EQ(cb(), brk0);
    CHECK_EQ(heap_check(), 0);
}

/* Best fit: the smallest block that fits. */
static void best_fit(void)
{
    uintptr_t brk0;
    CHECK_EQ(policy_setup(), 0);
    brk0 = cb();
    CHECK_EQ(A(150), c_);                   /* 200 beats 600 */
    CHECK_EQ(A(56), s_);                    /* 64 fits; c's rest does not */
    CHECK_EQ(cb(), brk0);
    CHECK_EQ(heap_check(), 0);
}

/* Next fit: the search resumes after the last placement and wraps. */
static void next_fit(void)
{
    uintptr_t brk0, r2, r4;
    CHECK_EQ(policy_setup(), 0);
    brk0 = cb();
    /* The rover is past the last guard: the search wraps to the start,
     * where s is too small and a fits. */
    CHECK_EQ(A(150), a_);
    /* It resumes in a's rest, not back at s. */
    r2 = (uintptr_t)A(16);
    CHECK(r2 > (uintptr_t)a_ && r2 < (uintptr_t)g1_);
    /* a's rest is now too small for 500: on to b. */
    CHECK_EQ(A(500), b_);
    /* Above the rover only b's 100-odd bytes and c's 200 are free; 300
     * fits only in a's rest, below: it wraps instead of growing. */
    r4 = (uintptr_t)A(300);
    CHECK(r4 > r2 && r4 < (uintptr_t)g1_);
    CHECK_EQ(cb(), brk0);
    CHECK_EQ(heap_check(), 0);
}

/* A LIFO free list: the most recently freed block that fits. The list
 * is c b a s (c freed last); c is too small for 250, b is next. The rest
 * of b goes back on the front, so it serves the next request, although
 * s is lower (first fit) and smaller (best fit). */
static void lifo(void)
{
    uintptr_t brk0, r2;
    CHECK_EQ(policy_setup(), 0);
    brk0 = cb();
    CHECK_EQ(A(250), b_);
    r2 = (uintptr_t)A(16);
    CHECK(r2 > (uintptr_t)b_ && r2 < (uintptr_t)c_);
    CHECK_EQ(cb(), brk0);
    CHECK_EQ(heap_check(), 0);
}

/* reallocate keeps realloc's promises. */
static void realloc_rules(void)
{
    void *p, *n, *g, *q, *r, *p2, *g2;
    struct blk *b;

    allocate_init();
    q = reallocate(0, 40);                  /* NULL: allocate */
    CHECK(q != 0);
    CHECK_EQ(walk(), 0);
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
    CHECK_EQ(walk(), 0);
    b = block_of(p);
    CHECK(b && !b->free && b->size >= 150 + 8);

    r = reallocate(p, 8);                   /* shrink: stays, rest freed */
    CHECK_EQ(r, p);
    CHECK_EQ(pattern_intact(p, 8, 1), 8);
    CHECK_EQ(heap_check(), 0);
    CHECK_EQ(walk(), 0);
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
    CHECK_EQ(walk(), 0);
    CHECK(block_of(p2)->free);              /* the old block was freed */
    CHECK_EQ(heap_check(), 0);

    CHECK_EQ(reallocate(r, 0xFFFFFFF0u), 0);        /* size wraps */
    limit_data(cb() - (uintptr_t)heap_begin);
    CHECK_EQ(reallocate(r, 0xC0000000u), 0);        /* brk refuses */
    unlimit_data();
    CHECK_EQ(pattern_intact(r, 40, 2), 40);
    CHECK_EQ(walk(), 0);
    CHECK(!block_of(r)->free);              /* still the caller's */
    CHECK_EQ(heap_check(), 0);

    CHECK_EQ(reallocate(r, 0), 0);          /* size 0: deallocate */
    CHECK_EQ(walk(), 0);
    CHECK(block_of(r) == 0 || block_of(r)->free);
    CHECK_EQ(heap_check(), 0);
}

/* 100000 random allocate / deallocate / reallocate calls: every block
 * keeps its bytes and heap_check stays 0 throughout. */
#define RANDOM_OPS   100000
#define RANDOM_SLOTS 256

static uint32_t rng = 0x2545F491u;
static uint32_t xorshift32(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 17;
    rng ^= rng << 5;
    return rng;
}

static struct slot { uint8_t *p; unsigned size, tag; } slot[RANDOM_SLOTS];

static void random_ops(void)
{
    unsigned op, i, tag = 0, reallocs = 0, moved = 0, checks = 0;
    unsigned live = 0, peak = 0;            /* payload bytes asked for */

    allocate_init();
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
    CHECK_EQ(walk(), 0);                    /* all freed: one free block */
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

/* Damage one word, expect heap_check to say so, put it back. */
static unsigned damage(uintptr_t at, unsigned value, const char *what)
{
    unsigned saved = word_at(at), code;
    *(unsigned *)at = value;
    code = (unsigned)heap_check();
    *(unsigned *)at = saved;
    put_str(1, "       ");
    put_str(1, what);
    put_str(1, ": heap_check() = ");
    put_udec(1, code);
    put_char(1, '\n');
    return code;
}

/* heap_check is checked: each kind of damage makes it non-zero. */
static void checker(void)
{
    const struct memkit_layout *L = &memkit_layout;
    void *a, *b, *c, *g;
    struct blk *bb;
    uintptr_t footer;

    allocate_init();
    a = A(40);
    b = A(40);
    c = A(40);
    g = A(16);
    CHECK(a && b && c && g);
    D(a);
    CHECK_EQ(heap_check(), 0);
    CHECK_EQ(walk(), 0);
    bb = block_of(b);
    footer = bb->start + bb->size - L->footer;

    CHECK(damage(footer, word_at(footer) ^ 0x10, "b's footer size") != 0);
    CHECK(damage(footer, word_at(footer) ^ L->state_mask,
                 "b's footer state") != 0);
    CHECK(damage(bb->start + L->size_off, 0x100000 | L->state_used,
                 "b's size past the break") != 0);
    CHECK(damage(bb->start + L->state_off,
                 word_at(bb->start + L->state_off) | 2,
                 "a stray bit in b's header") != 0);
    CHECK(damage((uintptr_t)heap_begin + L->first - 4, 0,
                 "the word before the first block (prologue)") != 0);
    CHECK(damage(cb() - L->tail, 0x41414141, "the tail (epilogue)") != 0);
    CHECK_EQ(heap_check(), 0);              /* all put back */

    /* The heap bounds themselves. */
    {
        char *hb0 = heap_begin, *cb0 = current_break;
        unsigned code;
        current_break = hb0 - 8;
        code = (unsigned)heap_check();
        current_break = cb0;
        note("current_break below heap_begin: heap_check() = ", code);
        CHECK(code != 0);
        heap_begin = hb0 + 4;
        code = (unsigned)heap_check();
        heap_begin = hb0;
        note("heap_begin not 8-byte aligned: heap_check() = ", code);
        CHECK(code != 0);
    }
    CHECK_EQ(heap_check(), 0);

    /* b marked free in both tags, beside the free a: never allowed. */
    {
        unsigned tag = word_at(bb->start);
        unsigned freed = (tag & ~L->state_mask) | L->state_free;
        *(unsigned *)bb->start = freed;
        *(unsigned *)footer = freed;
        put_str(1, "       two free blocks side by side: heap_check() = ");
        put_udec(1, (unsigned)heap_check());
        put_char(1, '\n');
        CHECK(heap_check() != 0);
        *(unsigned *)bb->start = tag;
        *(unsigned *)footer = tag;
    }
    CHECK_EQ(heap_check(), 0);
}

/* explicit.s only: the free list is checked too. A free block's links
 * sit in its payload (next at +0, prev at +4). */
static void checker_list(void)
{
    void *a, *b, *c, *g;
    uintptr_t pa;

    allocate_init();
    a = A(40);
    b = A(40);
    c = A(40);
    g = A(16);
    CHECK(a && b && c && g);
    D(a);
    D(c);
    CHECK_EQ(heap_check(), 0);
    /* LIFO: the list is c then a */
    pa = (uintptr_t)a;
    CHECK(damage(pa + 4, 0x1234, "a's prev link") != 0);
    CHECK(damage(pa + 0, (uintptr_t)b - 4, "a's next link to a used block")
          != 0);
    CHECK(damage((uintptr_t)c, 0, "list cut after c") != 0);
    CHECK_EQ(heap_check(), 0);
}

/* nextfit.s only: its rover must stay on a block start. After the
 * placement in b the rover is at the rest split off b; rewriting b's tags
 * to span the rest too keeps the heap well formed (blocks still tile it,
 * no free neighbours) but leaves the rover inside b. */
static void checker_rover(void)
{
    const struct memkit_layout *L = &memkit_layout;
    void *a, *b, *c, *g, *r;
    struct blk *bb;
    unsigned saved_h, saved_f, whole, code;
    uintptr_t f;

    allocate_init();
    a = A(40);
    b = A(40);
    c = A(40);
    g = A(16);
    CHECK(a && b && c && g);
    D(b);
    r = A(0);                               /* the front of b; rest free */
    CHECK_EQ(r, b);
    CHECK_EQ(walk(), 0);
    bb = block_of(b);
    CHECK(bb[1].free);
    whole = bb[0].size + bb[1].size;
    f = bb->start + whole - L->footer;
    saved_h = word_at(bb->start);
    saved_f = word_at(f);
    *(unsigned *)bb->start = whole | L->state_used;
    *(unsigned *)f = whole | L->state_used;
    code = (unsigned)heap_check();
    note("the rover inside a block: heap_check() = ", code);
    *(unsigned *)bb->start = saved_h;
    *(unsigned *)f = saved_f;
    CHECK(code != 0);
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

static void callee_saved(void)
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
    limit_data(cb() - (uintptr_t)heap_begin);
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

/* ------------------------------------------------------------- driver */

static const struct test {
    const char *id;
    const char *name;
    void (*fn)(void);
} tests[] = {
    { "layout",         "the exports exist and the layout walk finds the "
                        "blocks allocate returned", layout },
    { "split",          "a small request splits a big free block and the "
                        "rest stays free", split },
    { "merge-forward",  "a freed block merges with the free block after "
                        "it", merge_forward },
    { "merge-backward", "a freed block merges with the free block before "
                        "it", merge_backward },
    { "merge-both",     "freeing the middle of three makes one free "
                        "block", merge_both },
    { "first-fit",      "the lowest free block that fits is taken",
                        first_fit },
    { "best-fit",       "the smallest free block that fits is taken",
                        best_fit },
    { "next-fit",       "the search resumes after the last placement and "
                        "wraps", next_fit },
    { "lifo",           "the most recently freed block that fits is "
                        "taken", lifo },
    { "realloc",        "reallocate grows in place, shrinks in place, "
                        "moves, frees and fails as realloc does",
                        realloc_rules },
    { "random",         "100000 random calls with reallocate keep every "
                        "block and heap_check at 0", random_ops },
    { "callee-saved",   "every path of reallocate and heap_check keeps "
                        "the callee-saved registers and DF", callee_saved },
    { "checker",        "heap_check reports damaged tags and adjacent free "
                        "blocks", checker },
    { "checker-list",   "heap_check reports a damaged free list",
                        checker_list },
    { "checker-rover",  "heap_check reports a rover that is not on a block "
                        "start", checker_rover },
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
    if (argc == 2 && strcmp(argv[1], "--demo") == 0) {
        if (!heap_check || !&memkit_layout)
            return 1;
        return demo();
    }
    if (argc < 2) {
        put_str(2, "usage: alloc-props ID... | --list | --demo\n");
        return 2;
    }
    for (j = 1; j < argc; j++) {
        for (i = 0; i < NTESTS && strcmp(argv[j], tests[i].id) != 0; i++)
            ;
        if (i == NTESTS) {
            put_str(2, "alloc-props: no case '");
            put_str(2, argv[j]);
            put_str(2, "' (alloc-props --list shows them)\n");
            return 2;
        }
        /* Without the optional exports every case would fault. */
        if (!heap_check || !reallocate || !&memkit_layout) {
            t_run(tests[i].name);
            t_failmsg("the allocator exports no heap_check, reallocate "
                      "or memkit_layout", __FILE__, __LINE__);
            t_end();
            continue;
        }
        t_run(tests[i].name);
        tests[i].fn();
        t_end();
    }
    return t_summary();
}
