/* init.c — starting the heap: universal cases, and auto-init for an
 * allocator that declares it. Without auto-init, the reference's
 * behaviour is checked instead (before-init): allocate before
 * allocate_init returns 0 and never calls brk.
 */
#include "contract.h"

void before_init(void)
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

void auto_init(void)
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

void init_at_break(void)
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

void init_twice(void)
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
