/* designs.c — promises of one design each: how the break grows
 * (grows-in-chunks, grows-exactly) and shrinks (trims), the buddy
 * system (buddies) and a chunk bitmap (chunk-bitmap).
 */
#include "contract.h"

/* bitmap.s: one bit per 16-byte chunk of the heap, 1 = used. */
extern unsigned chunk_map[] __attribute__((weak));
extern unsigned chunk_count __attribute__((weak));

/* 1000 allocations move the break far fewer than 1000 times: 512-byte
 * steps while the heap is below 32 KiB, then steps of 1/64 of it. */
void grows_in_chunks(void)
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

/* The growth policy: the break moves by exactly the shortfall, so a
 * heap filled from empty is exactly its blocks plus the prologue and the
 * epilogue; the price is one brk per growth. */
void grows_exactly(void)
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

/* A large block freed at the top gives its memory back: the break, as
 * the kernel reports it, moves down. */
void trims(void)
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

/* After blocks of many sizes are freed, every buddy pair has merged back:
 * the arena is one free block again. */
void buddy_merge(void)
{
    static void *p[300];
    struct census w;
    unsigned i;

    allocate_init();
    rng_state = 12345;
    for (i = 0; i < 300; i++) {
        p[i] = allocate(xorshift32() % 3000);
        CHECK(p[i] != 0);
    }
    census(&w);
    CHECK(!w.bad);
    CHECK(w.used_blocks == 300);
    for (i = 0; i < 300; i += 2)
        deallocate(p[i]);
    CHECK_EQ(heap_check(), 0);
    for (i = 1; i < 300; i += 2)
        deallocate(p[i]);
    CHECK_EQ(heap_check(), 0);
    census(&w);
    CHECK(!w.bad);
    CHECK_EQ(w.blocks, 1);
    CHECK_EQ(w.free_blocks, 1);
    CHECK_EQ(w.largest_free, cb() - hb());
    put_str(1, "       arena of ");
    put_udec(1, cb() - hb());
    put_str(1, " bytes is one free block again\n");
}

/* A block and its buddy: split from one, merge into one. */
void buddy_split(void)
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
void buddy_realloc(void)
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

static int bit(unsigned i)
{
    return (chunk_map[i / 32] >> (i % 32)) & 1;
}

/* A block of n bytes sets exactly the bits of its chunks; freeing it
 * clears exactly those. */
void bitmap_marks(void)
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
