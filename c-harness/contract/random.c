/* random.c — the universal random sequence: 25000 allocate and
 * deallocate calls, with the rules the declared properties add.
 */
#include "contract.h"

#define RANDOM_OPS   25000
#define RANDOM_SLOTS 256
#define RANDOM_SEED  0x2545F491u

static struct slot {
    uint8_t *p;
    unsigned size;
    unsigned tag;
} slot[RANDOM_SLOTS];

/* What is checked after each call depends on what was declared: every
 * allocator keeps blocks intact, apart, aligned, inside the heap, and its
 * heap walkable, and its own heap_check() (if it exports one) content
 * every 1000 calls. A first-fit allocator must reuse when a free block fits;
 * one with the book's header that neither splits nor merges grows by
 * exactly one block at the old break when nothing fits (one that splits
 * may grow by more and place at the end of what it got). */
void random_ops(void)
{
    struct heap_stats s;
    unsigned op, i, tag = 0, grew = 0, reused = 0, freed = 0;
    int fits_rule = (declared & P_FIRST_FIT) != 0;
    int grow_rule = (declared & (P_FIRST_FIT | P_BOOK_HEADER))
                    == (P_FIRST_FIT | P_BOOK_HEADER)
                    && !(declared & (P_COALESCES | P_SPLITS));

    INIT();
    rng_state = RANDOM_SEED;
    for (op = 0; op < RANDOM_OPS; op++) {
        struct slot *sl = &slot[xorshift32() % RANDOM_SLOTS];

        if (sl->p) {
            EXPECT(pattern_intact(sl->p, sl->size, sl->tag), sl->size,
                   "random: "
                   "operation %u: a live %u-byte block lost a byte before "
                   "it was freed (got: first wrong byte)", op, sl->size);
            D(sl->p);
            sl->p = 0;
            freed++;
        } else {
            uint32_t r = xorshift32();
            /* mostly small requests, now and then up to 2 KiB */
            unsigned size = r % 16 == 0 ? (r >> 8) % 2049 : (r >> 8) % 97;
            unsigned need = size ? round8(size) : ALIGNMENT;
            uintptr_t brk_before = cb(), a;

            EXPECT(heap_stats(&s), 0, "random: operation %u: the heap no "
                   "longer walks with the allocator's layout: %s", op,
                   heap_corrupt_text(&s));
            EXPECT(s.tiny_free, 0, "random: operation %u: the heap holds "
                   "free blocks with a payload under 8 bytes, too small to "
                   "use (got: how many)", op);
            sl->p = A(size);
            sl->size = size;
            sl->tag = ++tag;
            a = (uintptr_t)sl->p;
            MUST(a != 0, "random: operation %u: allocate(%u) returned 0",
                 op, size);
            MUST(in_heap(sl->p, size), "random: operation %u: allocate(%u) "
                 "returned a misaligned payload or one outside the heap",
                 op, size);
            if (cb() == brk_before) {
                MUST(a < brk_before, "random: operation %u: allocate(%u) "
                     "returned memory past the break", op, size);
                reused++;
            } else {
                grew++;
            }
            if (fits_rule && s.largest_free >= need)
                EXPECT(cb(), brk_before, "random: operation %u: a free "
                       "block of %u bytes fitted allocate(%u), but the "
                       "break moved (first-fit)", op, s.largest_free, size);
            if (grow_rule && s.largest_free < need)
                EXPECT(a, brk_before + HEADER_SIZE, "random: operation %u: "
                       "nothing free fitted allocate(%u): the new block "
                       "should start at the old break", op, size);
            if (declared & P_BOOK_HEADER)
                MUST(header_of(sl->p)->size >= need, "random: operation %u: "
                     "the header of allocate(%u)'s block holds a smaller "
                     "size", op, size);
            for (i = 0; i < RANDOM_SLOTS; i++) {
                struct slot *o = &slot[i];
                if (o != sl && o->p)
                    MUST(disjoint(sl->p, size, o->p, o->size), "random: "
                         "operation %u: allocate(%u) overlaps a live "
                         "%u-byte block", op, size, o->size);
            }
            pattern_fill(sl->p, size, sl->tag);
        }
        if (op % 1000 == 999 && heap_check) {
            unsigned bad;
            reg_trouble |= call_checked((void *)heap_check, 0, &bad);
            EXPECT(bad, 0, "random: by operation %u the allocator's own "
                   "heap_check() finds its heap inconsistent", op);
        }
        if (op % 1000 == 999)
            for (i = 0; i < RANDOM_SLOTS; i++)
                if (slot[i].p)
                    EXPECT(pattern_intact(slot[i].p, slot[i].size,
                                          slot[i].tag),
                           slot[i].size, "random: by operation %u a live "
                           "%u-byte block lost a byte (got: first wrong "
                           "byte)", op, slot[i].size);
    }
    for (i = 0; i < RANDOM_SLOTS; i++) {
        if (!slot[i].p)
            continue;
        EXPECT(pattern_intact(slot[i].p, slot[i].size, slot[i].tag),
               slot[i].size,
               "random: at the end a live %u-byte block lost a byte (got: "
               "first wrong byte)", slot[i].size);
        D(slot[i].p);
        slot[i].p = 0;
        freed++;
    }
    EXPECT(heap_stats(&s), 0, "random: after freeing everything the heap "
           "no longer walks: %s", heap_corrupt_text(&s));
    EXPECT(s.used, 0, "random: every block was freed, but the heap walk "
           "still finds bytes in use");

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
