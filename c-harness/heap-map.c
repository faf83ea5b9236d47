/* heap-map.c — the heap map after each step of a sequence of calls.
 *
 *   build/heap-map          run the kit's fixed sequence (below)
 *   build/heap-map STEP...  run your own sequence, one step per argument:
 *                             aN  allocate N bytes (N decimal or 0x hex)
 *                             fK  deallocate the K-th allocation (1-based)
 *                             i   call allocate_init
 *                           allocate_init runs first, as step 1, unless
 *                           the steps contain an `i` of their own (then
 *                           allocate before allocate_init can be tried).
 *   build/heap-map --corrupt-flag | --corrupt-size
 *                           build three blocks, damage the second header,
 *                           print the map: the walk must stop, not fault
 *
 * After each step it prints what the step did, with a caption computed
 * by comparing the heap's blocks before and after the call: a free block
 * reused whole, a split (and the free remainder it left), free blocks
 * merged, the break grown, a 0 returned. Nothing in a caption is written
 * for a particular allocator, so the same program explains the reference
 * (asm/alloc.s) and any allocator built with ALLOC=.
 *
 * The fixed sequence shows the base allocator's behaviour the chapter
 * describes: growth with brk, first-fit reuse of a freed block, no
 * splitting (a 24-byte request keeps a whole 32-byte block), no
 * coalescing (two adjacent free blocks stay two, so a request that would
 * fit in both together grows the heap), and rounding to 8 bytes.
 * tests/heap-map.bats pins the offset/size/state columns of its output
 * for the reference; tests/variants.bats the captions for the kit's
 * variants.
 */
#include "rt.h"
#include "alloc.h"
#include "heapmap.h"
#include "layout.h"

/* The allocator's block layout, when it exports one (c-harness/layout.h);
 * the book's when it does not. Used only to compare the heap before and
 * after a step; heap_map prints the map itself. */
extern const struct memkit_layout memkit_layout __attribute__((weak));
static const struct memkit_layout book_layout = MEMKIT_LAYOUT_BOOK;

#define USAGE "usage: heap-map [STEP...] | --corrupt-flag | --corrupt-size\n" \
              "  STEP: aN allocate N bytes, fK deallocate the K-th " \
              "allocation, i allocate_init\n"
#define MAX_BLOCKS 256          /* a snapshot larger than this: no caption */
#define MAX_STEPS  200          /* command-line steps */
#define ALIGN_UP(n) (((n) + ALIGNMENT - 1) & ~(ALIGNMENT - 1))

/* ------------------------------------------------------------ snapshots */

struct block {
    unsigned off;               /* block start - heap_begin */
    unsigned total;             /* header + payload + footer bytes */
    unsigned payload;           /* payload bytes */
    int      free;
};

/* The heap's blocks at one moment. ok is 0 when the heap was not
 * initialised, did not walk cleanly, or had more than MAX_BLOCKS blocks:
 * such a snapshot explains nothing. */
struct snap {
    char    *begin, *brk;
    unsigned n;
    int      ok;
    struct block b[MAX_BLOCKS];
};

static const struct memkit_layout *layout(void)
{
    if (&memkit_layout && memkit_layout.magic == MEMKIT_LAYOUT_MAGIC)
        return &memkit_layout;
    return &book_layout;
}

static unsigned word_at(uintptr_t a)
{
    return *(const unsigned *)a;
}

/* Walks the blocks from heap_begin + first to current_break - tail, each
 * checked to end inside the heap before it is read further, so a damaged
 * heap stops the walk instead of faulting. */
static void take(struct snap *s)
{
    const struct memkit_layout *L = layout();
    uintptr_t h, end;

    s->begin = heap_begin;
    s->brk = current_break;
    s->n = 0;
    s->ok = 0;
    if (!heap_begin || current_break < heap_begin)
        return;
    h = (uintptr_t)heap_begin + L->first;
    end = (uintptr_t)current_break - L->tail;
    if (end < (uintptr_t)heap_begin || h > end)
        return;
    while (h < end) {
        unsigned room = end - h, w, total, state;
        struct block *b;

        if (s->n == MAX_BLOCKS || room < L->header + L->footer ||
            room - 4 < L->size_off || room - 4 < L->state_off)
            return;
        w = word_at(h + L->size_off) & L->size_mask;
        if (L->size_kind == SIZE_PAYLOAD)
            total = w > room - L->header - L->footer
                  ? 0 : L->header + w + L->footer;
        else if (L->size_kind == SIZE_BLOCK)
            total = w;
        else
            total = w < 32 ? 1u << w : 0;
        if (total < L->header + L->footer || total > room)
            return;
        state = word_at(h + L->state_off) & L->state_mask;
        if (state != L->state_free && state != L->state_used)
            return;
        b = &s->b[s->n++];
        b->off = h - (uintptr_t)heap_begin;
        b->total = total;
        b->payload = total - L->header - L->footer;
        b->free = state == L->state_free;
        h += total;
    }
    s->ok = 1;
}

/* The block that starts at offset off from heap_begin, or 0. */
static const struct block *block_at(const struct snap *s, unsigned off)
{
    unsigned i;
    for (i = 0; i < s->n; i++)
        if (s->b[i].off == off)
            return &s->b[i];
    return 0;
}

/* The block whose payload starts at p, or 0. */
static const struct block *block_of(const struct snap *s, void *p)
{
    return block_at(s, (uintptr_t)p - (uintptr_t)s->begin - layout()->header);
}

/* The first free block, lowest address first, with room for n bytes. */
static const struct block *first_fit(const struct snap *s, unsigned n)
{
    unsigned i;
    for (i = 0; i < s->n; i++)
        if (s->b[i].free && s->b[i].payload >= n)
            return &s->b[i];
    return 0;
}

/* The largest number of adjacent free blocks that, merged into one block,
 * would have room for n bytes; 0 when no such run of two or more exists. */
static unsigned mergeable_run(const struct snap *s, unsigned n)
{
    const struct memkit_layout *L = layout();
    unsigned i, j, best = 0;

    for (i = 0; i < s->n; i = j + 1) {
        unsigned span = 0;
        for (j = i; j < s->n && s->b[j].free; j++) {
            span += s->b[j].total;
            if (j > i && span - L->header - L->footer >= n && j - i + 1 > best)
                best = j - i + 1;
        }
    }
    return best;
}

/* ------------------------------------------------------------- printing */

/* Names of the allocations so far, to say whose block a step reused. */
struct alloc {
    const char *name;           /* "b", or 0 for #K */
    unsigned    k;              /* 1-based number of the allocation */
    void       *p;              /* what allocate returned */
};
static struct alloc *allocs;    /* main's array of MAX_STEPS */
static unsigned nallocs;
static unsigned step;

/* say(fmt, ...) — prints fmt on stdout with its arguments put in:
 * %u unsigned, %x unsigned as +0x0018 (an offset), %s string, %w a count
 * in words ("two"), %a an allocation's name ("b" or "#2"). One function
 * for every caption keeps heap-map small (its size sets the initial
 * break, which the README's demo quotes). */
static void say(const char *fmt, ...)
{
    static const char *const words[] = {
        "zero", "one", "two", "three", "four", "five", "six", "seven",
        "eight", "nine", "ten",
    };
    __builtin_va_list ap;
    const struct alloc *a;
    unsigned v;

    __builtin_va_start(ap, fmt);
    for (; *fmt; fmt++) {
        if (*fmt != '%') {
            put_char(1, *fmt);
            continue;
        }
        switch (*++fmt) {
        case 's':
            put_str(1, __builtin_va_arg(ap, const char *));
            break;
        case 'x':
            put_char(1, '+');
            put_hex(1, __builtin_va_arg(ap, unsigned), 4);
            break;
        case 'w':
            v = __builtin_va_arg(ap, unsigned);
            if (v <= 10)
                put_str(1, words[v]);
            else
                put_udec(1, v);
            break;
        case 'a':
            a = __builtin_va_arg(ap, const struct alloc *);
            if (a->name)
                put_str(1, a->name);
            else
                say("#%u", a->k);
            break;
        default:                /* 'u' */
            put_udec(1, __builtin_va_arg(ap, unsigned));
        }
    }
    __builtin_va_end(ap);
}

static void title(const char *what)
{
    say("\n== step %u: %s", ++step, what);
}

/* "b's block", after the latest allocation whose payload was at the
 * start of blk; "the free block at +0x0018" when there was none. */
static void put_whose(const struct snap *s, const struct block *blk)
{
    unsigned i = nallocs;
    while (i-- > 0) {
        if (allocs[i].p && block_of(s, allocs[i].p) == blk) {
            say("%a's block", &allocs[i]);
            return;
        }
    }
    say("the free block at %x", blk->off);
}

static const char broken[] =
    "the heap no longer adds up after this call (the map shows where)";
static const char unknown[] =
    "(the heap could not be walked to explain this step)";

/* The caption of allocate(n), which returned p: what changed between the
 * snapshots before (b) and after (a). */
static void explain_allocate(const struct snap *b, const struct snap *a,
                             unsigned n, void *p)
{
    const struct block *got, *was, *fit, *rest;
    unsigned need = n ? n : 1, run;

    if (!p) {
        say(a->begin ? "returns 0: the heap cannot grow that far"
                     : "returns 0: no heap (allocate_init has not run)");
        return;
    }
    if (!a->ok && (!b->begin || b->ok)) {
        say(broken);
        return;
    }
    if (!a->ok || (b->begin && !b->ok) || !(got = block_of(a, p))) {
        say(unknown);
        return;
    }
    if (!b->begin) {
        /* Started by allocate itself: compare with an empty heap. */
        say("allocate starts the heap itself (auto-init), "
            "the heap grows by %u bytes", a->brk - a->begin);
        return;
    }
    if (ALIGN_UP(n) != n && ALIGN_UP(n) != 0)
        say("rounded up to %u, ", ALIGN_UP(n));
    was = block_at(b, got->off);
    fit = first_fit(b, need);
    if (was && was->free) {
        say(was == fit ? "first fit " : "a later fit (not the first) ");
        if (got->total == was->total) {
            say("reuses ");
            put_whose(b, was);
            say(got->payload > ALIGN_UP(need) ? ", whole (no split)"
                                              : ", an exact fit");
        } else if (got->total < was->total) {
            rest = block_at(a, got->off + got->total);
            say("splits ");
            put_whose(b, was);
            say(": %u bytes used", got->payload);
            if (rest && rest->free)
                say(rest->payload < ALIGNMENT
                    ? ", a free remainder of %u bytes: too small to use "
                      "(a block needs a payload of at least 8)"
                    : ", a free remainder of %u bytes", rest->payload);
        } else {
            say("merges free neighbours into one block of %u bytes",
                got->payload);
        }
    } else if (got->off >= (unsigned)(b->brk - b->begin) || a->brk > b->brk) {
        run = mergeable_run(b, need);
        if (fit)
            say("a free block fits, yet the heap grows by %u bytes",
                a->brk - b->brk);
        else if (run)
            say("the %w free neighbours are not merged, so the heap grows",
                run);
        else
            say("nothing free fits, so the heap grows by %u bytes",
                a->brk - b->brk);
    } else {
        say("takes %u bytes at %x", got->payload, got->off);
    }
}

/* The caption of deallocate: the block freed, merged, or the heap shrunk. */
static void explain_deallocate(const struct snap *b, const struct snap *a,
                               void *p)
{
    const struct block *was;

    if (!p)
        say("deallocate(0) does nothing");
    else if (b->ok && !a->ok)
        say(broken);
    else if (!a->ok || !b->ok || !(was = block_of(b, p)))
        say(unknown);
    else if (a->brk < b->brk)
        say("the break moves down by %u bytes", b->brk - a->brk);
    else if (a->n < b->n)
        say(b->n - a->n == 1 ? "merged with one free neighbour"
                             : "merged with %w free neighbours", b->n - a->n);
    else
        say("its %u bytes are free, the break stays", was->payload);
}

/* Prints where a payload landed, relative to heap_begin like the map,
 * then the map. */
static void show(void *p)
{
    if (p)
        say(" -> payload %x\n", (uintptr_t)p - (uintptr_t)heap_begin);
    else
        say(" -> 0\n");
    heap_map(1);
}

/* One allocate step: "NAME = allocate(N)[: caption] -> payload +OFF".
 * name 0 with k 0 is an anonymous call ("allocate(40)"). */
static void *step_allocate(const char *name, unsigned k, unsigned n,
                           int caption)
{
    struct snap before, after;
    struct alloc *a = &allocs[nallocs < MAX_STEPS ? nallocs : MAX_STEPS - 1];
    char *began = heap_begin;
    void *p;

    take(&before);
    p = counted_allocate(n);
    if (!began && heap_begin)
        brk_calls_seen++;       /* the brk(0) of an auto-init */
    take(&after);

    a->name = name;
    a->k = k;
    a->p = p;
    title("");
    if (name || k)
        say("%a = ", a);
    say("allocate(%u)", n);
    if (caption) {
        say(": ");
        explain_allocate(&before, &after, n, p);
    }
    if (nallocs < MAX_STEPS)
        nallocs++;
    show(p);
    return p;
}

/* ---------------------------------------------------- the two sequences */

/* The kit's fixed sequence (output pinned by tests/fixtures/heap-map.expected
 * and quoted in the README and docs). Steps 7, 9 and 10 are captioned. */
static int fixed_sequence(void)
{
    void *a, *b, *d;

    title("before allocate_init\n");
    heap_map(1);

    title("allocate_init()\n");
    counted_allocate_init();
    heap_map(1);

    a = step_allocate("a", 1, 16, 0);
    b = step_allocate("b", 2, 32, 0);
    step_allocate("c", 3, 32, 0);

    title("deallocate(b)\n");
    deallocate(b);
    heap_map(1);

    d = step_allocate("d", 4, 24, 1);

    title("deallocate(a); deallocate(d)\n");
    deallocate(a);
    deallocate(d);
    heap_map(1);

    step_allocate(0, 0, 40, 1);
    step_allocate(0, 0, 5, 1);
    return 0;
}

struct op {
    char     kind;              /* 'a', 'f' or 'i' */
    unsigned n;                 /* bytes for 'a', allocation number for 'f' */
};

static int bad_step(unsigned i, const char *arg, const char *why)
{
    put_str(2, "heap-map: step ");
    put_udec(2, i + 1);
    put_str(2, " '");
    put_str(2, arg);
    put_str(2, "': ");
    put_str(2, why);
    put_char(2, '\n');
    put_str(2, USAGE);
    return 2;
}

/* Checks every step before running any, so a bad one prints nothing
 * but the usage and exits 2. */
static int parse_steps(int argc, char **argv, struct op *ops, int *has_init)
{
    unsigned i, allocated = 0, j;

    *has_init = 0;
    if (argc - 1 > MAX_STEPS)
        return bad_step(MAX_STEPS, argv[MAX_STEPS + 1], "too many steps");
    for (i = 0; i < (unsigned)argc - 1; i++) {
        const char *s = argv[i + 1];
        ops[i].kind = s[0];
        if (s[0] == 'i' && s[1] == '\0') {
            *has_init = 1;
        } else if (s[0] == 'a') {
            if (parse_uint(s + 1, &ops[i].n))
                return bad_step(i, s, "aN needs a byte count N "
                                "(decimal or 0x hex, below 2^32)");
            allocated++;
        } else if (s[0] == 'f') {
            if (parse_uint(s + 1, &ops[i].n) || ops[i].n == 0)
                return bad_step(i, s, "fK needs an allocation number K "
                                "from 1");
            if (ops[i].n > allocated)
                return bad_step(i, s, "there is no such allocation yet");
            for (j = 0; j < i; j++)
                if (ops[j].kind == 'f' && ops[j].n == ops[i].n)
                    return bad_step(i, s, "that allocation is already "
                                    "freed");
        } else {
            return bad_step(i, s, "a step is aN, fK or i");
        }
    }
    return 0;
}

static int step_sequence(int argc, char **argv)
{
    struct op ops[MAX_STEPS];
    struct snap before, after;
    unsigned i, n = argc - 1;
    int has_init, r;

    r = parse_steps(argc, argv, ops, &has_init);
    if (r)
        return r;
    if (!has_init) {
        title("allocate_init()\n");
        counted_allocate_init();
        heap_map(1);
    }
    for (i = 0; i < n; i++) {
        if (ops[i].kind == 'i') {
            title("allocate_init()\n");
            counted_allocate_init();
            heap_map(1);
        } else if (ops[i].kind == 'a') {
            step_allocate(0, nallocs + 1, ops[i].n, 1);
        } else {
            struct alloc *a = &allocs[ops[i].n - 1];
            take(&before);
            deallocate(a->p);
            take(&after);
            title("");
            say("deallocate(%a): ", a);
            explain_deallocate(&before, &after, a->p);
            say("\n");
            heap_map(1);
        }
    }
    return 0;
}

/* Damages the middle one of three blocks the way a buffer overrun from
 * the block before it would, then prints the map. */
static int corrupt(const char *how)
{
    void *a, *b, *c;
    allocate_init();
    a = allocate(16);
    b = allocate(32);
    c = allocate(32);
    if (!a || !b || !c)
        return 1;
    if (strcmp(how, "--corrupt-flag") == 0)
        header_of(b)->avail = 0x41414141;           /* "AAAA" */
    else
        header_of(b)->size = 0x00100000;            /* 1 MiB: past the break */
    heap_map(1);
    return 0;
}

int main(int argc, char **argv, char **envp)
{
    struct alloc table[MAX_STEPS];
    int r;
    (void)envp;

    allocs = table;

    if (argc >= 2 && argv[1][0] == '-') {
        if (argc == 2 && (strcmp(argv[1], "--corrupt-flag") == 0 ||
                          strcmp(argv[1], "--corrupt-size") == 0))
            return corrupt(argv[1]);
        put_str(2, USAGE);
        return 2;
    }
    r = argc >= 2 ? step_sequence(argc, argv) : fixed_sequence();
    if (r)
        return r;
    put_str(1, "\nbrk calls seen: ");
    put_udec(1, brk_calls_seen);
    put_str(1, " (1 by allocate_init, 1 per allocate that moved the break)\n");
    return 0;
}
