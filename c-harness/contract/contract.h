/* contract.h — what the parts of alloc-test share: the case table's
 * type, the properties an allocator can declare, and the helpers the
 * cases use (c-harness/contract/heap.c).
 *
 * alloc-test is one program in parts:
 *
 *   runner.c     options, memkit_props, one process per case, the summary
 *   cases.c      the property table and the case table: which case
 *                checks which property, and which exports it needs
 *   heap.c       the helpers below
 *   init.c universal.c random.c      the universal cases
 *   fit.c tags.c realloc.c checker.c designs.c   declared properties
 *   modes.c      --demo and --bench N, which run no case
 *
 * A case is one small function: it starts the heap itself (INIT), and
 * stops at its first failed check (EXPECT / MUST, or CHECK / CHECK_EQ of
 * rt.h), which prints [FAIL] got X, expected Y. The runner gives it a
 * process of its own, so it always starts from an empty heap.
 */
#ifndef MEMKIT_CONTRACT_H
#define MEMKIT_CONTRACT_H

#include "rt.h"
#include "alloc.h"
#include "heapmap.h"
#include "layout.h"

/* ------------------------------------------------------ properties
 *
 * One bit per property a memkit_props string may name (cases.c names
 * them and says what each promises; docs/allocator.md has the table). */
enum {
    P_AUTO_INIT          = 1u << 0,
    P_SPLITS             = 1u << 1,
    P_COALESCES          = 1u << 2,
    P_FIRST_FIT          = 1u << 3,
    P_BOOK_HEADER        = 1u << 4,
    P_BEST_FIT           = 1u << 5,
    P_NEXT_FIT           = 1u << 6,
    P_LIFO               = 1u << 7,
    P_GOOD_FIT           = 1u << 8,
    P_REMAINDER          = 1u << 9,
    P_BOUNDARY_TAGS      = 1u << 10,
    P_COALESCES_AT_ONCE  = 1u << 11,
    P_FREE_LISTS         = 1u << 12,
    P_REALLOC_IN_PLACE   = 1u << 13,
    P_REALLOC_AT_TOP     = 1u << 14,
    P_GROWS_IN_CHUNKS    = 1u << 15,
    P_GROWS_EXACTLY      = 1u << 16,
    P_TRIMS              = 1u << 17,
    P_BUDDIES            = 1u << 18,
    P_CHUNK_BITMAP       = 1u << 19,
};

/* What a case needs the allocator to export (layout.h), besides the
 * book's ABI: a plain run leaves a case out when one is missing. */
enum {
    X_REALLOCATE = 1u << 0,
    X_HEAP_CHECK = 1u << 1,
    X_LAYOUT     = 1u << 2,
};

struct prop {
    const char *name;
    unsigned bit;
    const char *promise;
};

/* needs: the property the case checks (0: universal); unless: the
 * property that replaces it (before-init is the contract of an allocator
 * without auto-init); exports: X_* bits. A plain run runs a case when
 * needs is 0 or declared, unless is not declared, and every export is
 * there. */
struct test {
    const char *id;
    const char *name;
    void (*fn)(void);
    unsigned needs, unless, exports;
};

extern const struct prop props[];
extern const unsigned nprops;
extern const struct test tests[];
extern const unsigned ntests;

extern unsigned declared;               /* P_* bits of memkit_props */

/* The allocator's optional exports (layout.h); weak: 0 when missing. */
extern const char memkit_props[] __attribute__((weak));
extern const struct memkit_layout memkit_layout __attribute__((weak));
void *reallocate(void *p, unsigned size) __attribute__((weak));
int   heap_check(void) __attribute__((weak));

/* call_checked / call2_checked (callcheck.s): call fn(arg) or fn(a, b)
 * with canaries in the callee-saved registers; return which of them (and
 * DF) did not survive. */
unsigned call_checked(void *fn, unsigned arg, unsigned *result);
unsigned call2_checked(void *fn, unsigned a, unsigned b, unsigned *result);
#define BAD_EBX 0x01
#define BAD_ESI 0x02
#define BAD_EDI 0x04
#define BAD_EBP 0x08
#define BAD_ESP 0x10
#define BAD_DF  0x20

/* ------------------------------------------------------ messages */

/* say(fmt, ...) — a failure message in words, into one static buffer:
 * %u decimal, %x hex, %s a string. */
extern char msg[400];
const char *say(const char *fmt, ...);

/* EXPECT(got, expected, fmt, ...) — stop the case with
 *   [FAIL] got X, expected Y (what broke, in words, file:line)
 * unless got == expected. MUST(cond, fmt, ...) is the same for a
 * condition (got 0x0, expected 0x1). */
#define EXPECT(got, expected, ...) do {                                 \
        unsigned g_ = (unsigned)(got), e_ = (unsigned)(expected);       \
        if (g_ != e_) {                                                 \
            t_fail(say(__VA_ARGS__), g_, e_, __FILE__, __LINE__);       \
            return;                                                     \
        }                                                               \
    } while (0)

#define MUST(cond, ...) do {                                            \
        if (!(cond)) {                                                  \
            t_fail(say(__VA_ARGS__), 0, 1, __FILE__, __LINE__);         \
            return;                                                     \
        }                                                               \
    } while (0)

/* note("what: ", v) — an indented line of figures under a case. */
void note(const char *what, unsigned v);

/* xorshift32() — the next pseudo-random number after rng_state, which
 * each case that uses it seeds first. */
extern uint32_t rng_state;
uint32_t xorshift32(void);

/* ------------------------------------------------------ the heap */

static inline uintptr_t hb(void) { return (uintptr_t)heap_begin; }
static inline uintptr_t cb(void) { return (uintptr_t)current_break; }
static inline uintptr_t round8(unsigned n)
{
    return (n + (ALIGNMENT - 1)) & ~(uintptr_t)(ALIGNMENT - 1);
}

int starts_at_break(uintptr_t brk0);
const char *heap_corrupt_text(const struct heap_stats *s);
unsigned overhead(void);                /* header + footer of a block */
int in_heap(void *p, unsigned n);
int disjoint(const void *p, unsigned n, const void *q, unsigned m);

/* Every allocator call of the cases goes through these: under the
 * register check (reg_trouble collects what broke), counting the moves
 * of the break (moves, and brk_calls_seen of heapmap.h). */
extern unsigned reg_trouble;
extern unsigned moves;
void *A(unsigned size);
void  D(void *p);
void  INIT(void);

/* Lowers the soft RLIMIT_DATA to the heap plus 1 MiB, so that brk
 * refuses a big request natively too (qemu-i386 takes the call and does
 * not apply it: data_limited says which). The runner puts the limit
 * back after every case. */
extern int data_limited;
void limit_data(void);
void unlimit_data(void);

/* The free block holding address a: its extent [lo, hi). */
struct holder {
    uintptr_t a, lo, hi;
};
int find_holder(const struct heap_block *b, void *arg);

/* ---------------------------------------- the heap as an array of blocks
 *
 * tag_walk() walks a heap of SIZE_BLOCK blocks (header, payload, maybe a
 * footer: the boundary-tag designs) through memkit_layout into blk[],
 * so a case can look at neighbours: b[1] is the block after b. Returns
 * 0, or -1 if a block is malformed, runs past the end, or there are more
 * than MAX_BLOCKS. */
struct blk {
    uintptr_t start;            /* block start */
    uintptr_t payload;          /* start + layout header */
    unsigned size;              /* whole block bytes */
    int free;
};
#define MAX_BLOCKS 64
extern struct blk blk[MAX_BLOCKS];
extern unsigned nblk;
int tag_walk(void);
struct blk *block_of(const void *p);    /* the block whose payload is p */
unsigned free_blocks(void);
static inline unsigned word_at(uintptr_t a) { return *(const unsigned *)a; }

/* census(&c): how many blocks, free and used, any layout (a buddy's
 * SIZE_LOG2 too), and the largest free one. */
struct census {
    unsigned blocks, free_blocks, used_blocks;
    uintptr_t largest_free_at;
    unsigned largest_free;      /* block bytes */
    int bad;                    /* the walk met a corrupt block */
};
void census(struct census *c);
unsigned block_bytes(uintptr_t b);      /* whole bytes of the block at b */

#endif
