/* checker.c — the allocator's heap_check is checked: each kind of
 * damage must make it non-zero. Any layout (heap-check-damage), the
 * boundary tags (checker), a free list (checker-list), a rover
 * (checker-rover).
 */
#include "contract.h"

/* heap_check must notice damage: each corruption is made, checked and
 * undone. Its words are found through memkit_layout, so the same case
 * serves every design; an allocator that declares free-lists also has
 * a free block's next link pointed at a used block. */
void heap_check_damage(void)
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

    if (declared & P_FREE_LISTS) {          /* next link at the payload */
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

/* A fresh heap with three 40-byte blocks side by side and a 16-byte
 * guard after them; 0 when an allocate failed. */
static int three_and_guard(void **a, void **b, void **c, void **g)
{
    allocate_init();
    *a = A(40);
    *b = A(40);
    *c = A(40);
    *g = A(16);
    return *a && *b && *c && *g;
}

/* heap_check is checked: each kind of damage makes it non-zero. */
void checker(void)
{
    const struct memkit_layout *L = &memkit_layout;
    void *a, *b, *c, *g;
    struct blk *bb;
    uintptr_t footer;

    CHECK(three_and_guard(&a, &b, &c, &g));
    D(a);
    CHECK_EQ(heap_check(), 0);
    CHECK_EQ(tag_walk(), 0);
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

/* free-lists: the free list is checked too. A free block's links sit
 * in its payload (next at +0, prev at +4). */
void checker_list(void)
{
    void *a, *b, *c, *g;
    uintptr_t pa;

    CHECK(three_and_guard(&a, &b, &c, &g));
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

/* next-fit: the rover must stay on a block start. After the
 * placement in b the rover is at the rest split off b; rewriting b's tags
 * to span the rest too keeps the heap well formed (blocks still tile it,
 * no free neighbours) but leaves the rover inside b. */
void checker_rover(void)
{
    const struct memkit_layout *L = &memkit_layout;
    void *a, *b, *c, *g, *r;
    struct blk *bb;
    unsigned saved_h, saved_f, whole, code;
    uintptr_t f;

    CHECK(three_and_guard(&a, &b, &c, &g));
    D(b);
    r = A(0);                               /* the front of b; rest free */
    CHECK_EQ(r, b);
    CHECK_EQ(tag_walk(), 0);
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
