/* fit.c — which free block a request takes: first-fit, best-fit,
 * next-fit, lifo, good-fit (a segregated fit that never walks a list)
 * and the designated remainder. Each holds for its own policy only:
 * run against another policy (alloc-test ID) it fails, which is how
 * tests/allocators.bats shows that they tell the policies apart.
 */
#include "contract.h"

/* First fit is about which free block a request takes, not where in it
 * the payload lands: a split that places at the end of the block (CS:APP
 * 9.9) hands out its back half and is just as first fit. So each request
 * is judged by the free block that held it, found by the heap walk. */
void first_fit(void)
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
void first_fit_policy(void)
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
void best_fit(void)
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
void next_fit(void)
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
void lifo(void)
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

/* Good fit: a request is never served by a block smaller than it, and
 * no list is walked. Free blocks of 1008 and 592 bytes (guards between):
 * the 592 is in the list of 592..607-byte blocks, so a 600-byte block
 * comes from the first list whose every block fits, the 1008's. Then a
 * free 600-byte block, alone in that list: a 600-byte request finds no
 * list that is sure to fit and takes the head of its own, which does. */
void good_fit(void)
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
void remainder(void)
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
