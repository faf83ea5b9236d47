/* heap.c — the helpers every part of alloc-test shares (contract.h):
 * failure messages, the heap's bounds, the checked allocator calls, the
 * data limit and the walks that look at blocks.
 */
#include "contract.h"

/* ------------------------------------------------------ messages */

char msg[400];

const char *say(const char *fmt, ...)
{
    __builtin_va_list ap;
    unsigned n = 0;

    __builtin_va_start(ap, fmt);
    for (; *fmt && n < sizeof msg - 12; fmt++) {
        if (fmt[0] != '%' || !fmt[1]) {
            msg[n++] = *fmt;
            continue;
        }
        fmt++;
        if (*fmt == 's') {
            const char *s = __builtin_va_arg(ap, const char *);
            while (*s && n < sizeof msg - 12)
                msg[n++] = *s++;
        } else {
            unsigned v = __builtin_va_arg(ap, unsigned), base = 10, d = 0;
            char digits[12];
            if (*fmt == 'x') {
                base = 16;
                msg[n++] = '0';
                msg[n++] = 'x';
            }
            do {
                digits[d++] = "0123456789abcdef"[v % base];
                v /= base;
            } while (v);
            while (d)
                msg[n++] = digits[--d];
        }
    }
    __builtin_va_end(ap);
    msg[n] = 0;
    return msg;
}

void note(const char *what, unsigned v)
{
    put_str(1, "       ");
    put_str(1, what);
    put_udec(1, v);
    put_char(1, '\n');
}

/* xorshift32: the cases' pseudo-random numbers; each case seeds
 * rng_state itself (0 would stay 0). */
uint32_t rng_state;

uint32_t xorshift32(void)
{
    uint32_t x = rng_state;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return rng_state = x;
}

/* ------------------------------------------------------ the heap */


/* The heap starts at the break brk(0) returned, rounded up to an 8-byte
 * boundary or a coarser one, up to a page (4096): an allocator may align
 * its heap to 16 or to a page, and that is still the break. Anything
 * else (the book's break + 1, rounded: erratum 1) is not. */
int starts_at_break(uintptr_t brk0)
{
    uintptr_t a;
    for (a = ALIGNMENT; a <= 4096; a *= 2)
        if (hb() == ((brk0 + a - 1) & ~(a - 1)))
            return 1;
    return 0;
}

/* ------------------------------------ naming a block that is bad
 *
 * heap_corrupt_text(st): why a walk stopped, naming the block: "REASON:
 * the block at 0x... (heap_begin + 0x...), header words 0x... 0x..."
 * (only the words that lie below the break). One static buffer. */

static char why_buf[200];
static unsigned why_n;

static void why_str(const char *t)
{
    while (*t && why_n < sizeof why_buf - 1)
        why_buf[why_n++] = *t++;
}

static void why_hex(unsigned v)
{
    int i;
    why_str("0x");
    for (i = 28; i >= 0; i -= 4)
        if (why_n < sizeof why_buf - 1)
            why_buf[why_n++] = "0123456789abcdef"[(v >> i) & 15];
}

const char *heap_corrupt_text(const struct heap_stats *s)
{
    uintptr_t at = (uintptr_t)s->corrupt_at, end = (uintptr_t)current_break;
    unsigned i;

    why_n = 0;
    why_str(s->corrupt ? s->corrupt : "the walk failed");
    if (at) {
        why_str(": the block at ");
        why_hex(at);
        why_str(" (heap_begin + ");
        why_hex(at - (uintptr_t)heap_begin);
        why_str(")");
        /* Only the words below the break: past it may not be mapped. */
        for (i = 0; i < 2 && at + 4 * i + 4 <= end && at + 4 * i + 4 > at;
             i++) {
            why_str(i ? " " : ", header words ");
            why_hex(((const unsigned *)at)[i]);
        }
    }
    why_buf[why_n] = 0;
    return why_buf;
}

/* Bytes a block costs besides its payload, from the allocator's layout. */
unsigned overhead(void)
{
    const struct memkit_layout *l = heap_layout();
    return l->header + l->footer;
}

/* Every allocator call in the cases goes through these: each runs under
 * the register check (so a clobbered register cannot crash the harness)
 * and growth of the break is counted. Only the callee-saved case reports
 * what the check saw, so a broken register is one failure, not twenty. */
unsigned reg_trouble;
unsigned moves;                         /* the break moved, counted by A */

void *A(unsigned size)
{
    uintptr_t before = cb();
    unsigned p;
    reg_trouble |= call_checked((void *)allocate, size, &p);
    if (cb() != before)
        brk_calls_seen++, moves++;
    return (void *)p;
}

void D(void *p)
{
    unsigned ignored;
    reg_trouble |= call_checked((void *)deallocate, (uintptr_t)p, &ignored);
}

void INIT(void)
{
    uintptr_t before = hb();
    unsigned ignored;
    reg_trouble |= call_checked((void *)allocate_init, 0, &ignored);
    if (!before && hb())
        brk_calls_seen++;
}

/* p is a payload of n bytes: aligned and within [heap_begin, break),
 * after at least one header. */
int in_heap(void *p, unsigned n)
{
    uintptr_t a = (uintptr_t)p;
    return a % ALIGNMENT == 0 && a >= hb() + heap_layout()->header
        && a <= cb() && n <= cb() - a;
}

/* Payloads p (n bytes asked for) and q (m bytes) share no byte. A block
 * asked for with 0 bytes still owns the 8 the allocator gave it. */
int disjoint(const void *p, unsigned n, const void *q, unsigned m)
{
    uintptr_t a = (uintptr_t)p, b = (uintptr_t)q;
    unsigned na = n ? n : ALIGNMENT, nb = m ? m : ALIGNMENT;
    return a + na <= b || b + nb <= a;
}

/* ------------------------------------------------ limiting the heap
 *
 * To make brk fail at a modest size, lower the soft RLIMIT_DATA to what
 * the heap uses now plus 1 MiB. qemu-i386 accepts setrlimit(RLIMIT_DATA)
 * but does not apply it (and getrlimit then still reports the old value),
 * so under qemu only requests larger than its guest address space can
 * fail; natively both do. data_limited says which case we are in. Each
 * case runs in its own process, so a limit never outlives its case.
 */
static struct rlimit saved_limit;
int data_limited;

void limit_data(void)
{
    struct rlimit rl;
    data_limited = 0;
    if (sys_getrlimit(RLIMIT_DATA, &saved_limit) != 0)
        return;
    rl = saved_limit;
    rl.rlim_cur = (cb() - hb()) + (1u << 20);
    if (rl.rlim_max != RLIM_INFINITY && rl.rlim_cur > rl.rlim_max)
        return;
    if (sys_setrlimit(RLIMIT_DATA, &rl) != 0)
        return;
    if (sys_getrlimit(RLIMIT_DATA, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY
        && rl.rlim_cur == (cb() - hb()) + (1u << 20))
        data_limited = 1;
}

void unlimit_data(void)
{
    if (data_limited)
        sys_setrlimit(RLIMIT_DATA, &saved_limit);
    data_limited = 0;
}


int find_holder(const struct heap_block *b, void *arg)
{
    struct holder *h = arg;
    uintptr_t s = (uintptr_t)b->start;
    if (b->free && h->a >= s && h->a < s + b->len) {
        h->lo = s;
        h->hi = s + b->len;
        return 1;
    }
    return 0;
}

/* ---------------------------------------- the heap as an array of blocks */

struct blk blk[MAX_BLOCKS];
unsigned nblk;

/* Walks the heap into blk[]; returns 0, or -1 if a block is malformed,
 * runs past the end, or there are more than MAX_BLOCKS. */
int tag_walk(void)
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
struct blk *block_of(const void *p)
{
    for (unsigned i = 0; i < nblk; i++)
        if (blk[i].payload == (uintptr_t)p)
            return &blk[i];
    return 0;
}

unsigned free_blocks(void)
{
    unsigned n = 0;
    for (unsigned i = 0; i < nblk; i++)
        n += blk[i].free;
    return n;
}

/* ---------------------------------------------------- a census of blocks */

unsigned block_bytes(uintptr_t b)
{
    const struct memkit_layout *l = &memkit_layout;
    unsigned w = word_at(b + l->size_off) & l->size_mask;
    if (l->size_kind == SIZE_LOG2)
        return w < 32 ? 1u << w : 0;
    if (l->size_kind == SIZE_PAYLOAD)
        return w + l->header + l->footer;
    return w;
}

static int block_free(uintptr_t b)
{
    const struct memkit_layout *l = &memkit_layout;
    return (word_at(b + l->state_off) & l->state_mask) == l->state_free;
}

void census(struct census *w)
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
