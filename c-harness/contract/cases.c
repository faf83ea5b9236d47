/* cases.c — the contract as two lists a teacher can review: the
 * properties an allocator may declare in memkit_props (layout.h), each
 * with its promise, and every case with the property it checks (0: all
 * allocators) and the exports it needs. docs/allocator.md prints both.
 */
#include "contract.h"

const struct prop props[] = {
    { "auto-init",           P_AUTO_INIT,
      "allocate before allocate_init starts the heap itself" },
    { "splits",              P_SPLITS,
      "a free block bigger than a request is split; the rest stays free" },
    { "coalesces",           P_COALESCES,
      "freed neighbours merge into one free block (at once or on demand)" },
    { "first-fit",           P_FIRST_FIT,
      "a request takes the lowest free block that fits" },
    { "book-header",         P_BOOK_HEADER,
      "the book's 8-byte header: flag at payload-8, size at payload-4" },
    { "best-fit",            P_BEST_FIT,
      "a request takes the smallest free block that fits" },
    { "next-fit",            P_NEXT_FIT,
      "the search resumes after the last placement and wraps; heap_check "
      "watches the rover" },
    { "lifo",                P_LIFO,
      "a request takes the most recently freed block that fits" },
    { "good-fit",            P_GOOD_FIT,
      "a request takes the head of a size class whose every block fits, "
      "never walking a list" },
    { "remainder",           P_REMAINDER,
      "small requests are cut one after another from one designated "
      "remainder" },
    { "boundary-tags",       P_BOUNDARY_TAGS,
      "blocks carry size tags at both ends, a request takes the front of "
      "a free block, and heap_check reports a damaged tag" },
    { "coalesces-at-once",   P_COALESCES_AT_ONCE,
      "deallocate merges a block with its free neighbours before it "
      "returns, and a heap freed of everything is one free block" },
    { "free-lists",          P_FREE_LISTS,
      "free blocks are linked through their payload (next at +0, prev at "
      "+4), and heap_check follows the links" },
    { "reallocate-in-place", P_REALLOC_IN_PLACE,
      "reallocate grows into a free next block and shrinks where the "
      "block is; it moves only when there is no room" },
    { "reallocate-at-top",   P_REALLOC_AT_TOP,
      "reallocate grows the last block in place by moving the break" },
    { "grows-in-chunks",     P_GROWS_IN_CHUNKS,
      "the break grows in chunks: 1000 small allocations move it at most "
      "80 times" },
    { "grows-exactly",       P_GROWS_EXACTLY,
      "the break moves by exactly the shortfall: no slack, one brk per "
      "growth" },
    { "trims",               P_TRIMS,
      "freeing a large block at the top moves the break down" },
    { "buddies",             P_BUDDIES,
      "blocks are powers of two, split into buddies by address and merged "
      "back when both are free" },
    { "chunk-bitmap",        P_CHUNK_BITMAP,
      "chunk_map has one bit per 16-byte chunk: exactly a block's bits are "
      "set while it is in use" },
};
const unsigned nprops = sizeof props / sizeof props[0];

/* The case functions, in the files named. */
void before_init(void), auto_init(void), init_at_break(void),
     init_twice(void);                                          /* init.c */
void alignment(void), zero_size(void), no_overlap(void), reuse(void),
     free_null(void), brk_failure(void), unsigned_size(void),
     size_overflow(void), callee_saved(void);              /* universal.c */
void random_ops(void);                                        /* random.c */
void first_fit(void), first_fit_policy(void), best_fit(void),
     next_fit(void), lifo(void), good_fit(void), remainder(void); /* fit.c */
void header_layout(void), splits(void), coalesces(void), layout(void),
     split_front(void), merge_forward(void), merge_backward(void),
     merge_both(void), merge_three(void), random_merges(void); /* tags.c */
void realloc_edges(void), realloc_callee_saved(void), realloc_random(void),
     realloc_in_place(void), in_place_callee_saved(void),
     realloc_at_top(void);                                   /* realloc.c */
void heap_check_damage(void), checker(void), checker_list(void),
     checker_rover(void);                                    /* checker.c */
void grows_in_chunks(void), grows_exactly(void), trims(void),
     buddy_merge(void), buddy_split(void), buddy_realloc(void),
     bitmap_marks(void);                                     /* designs.c */

#define R_ X_REALLOCATE
#define H_ X_HEAP_CHECK
#define L_ X_LAYOUT

const struct test tests[] = {
    /* ---- universal: every allocator (init.c, universal.c, random.c) */
    { "before-init",   "allocate before allocate_init returns 0 and leaves "
                       "the break alone", before_init, 0, P_AUTO_INIT, 0 },
    { "auto-init",     "allocate before allocate_init starts the heap at "
                       "the break and works", auto_init, P_AUTO_INIT, 0, 0 },
    { "init-at-break", "allocate_init starts an empty, aligned heap at the "
                       "break brk(0) returns", init_at_break, 0, 0, 0 },
    { "init-twice",    "a second allocate_init keeps the heap and its "
                       "blocks", init_twice, 0, 0, 0 },
    { "header-layout", "a block's header holds the flag at +0 and the size "
                       "at +4", header_layout, P_BOOK_HEADER, 0, 0 },
    { "alignment",     "every payload is 8-byte aligned and inside "
                       "[heap_begin, current_break)", alignment, 0, 0, 0 },
    { "zero-size",     "allocate(0) returns a unique pointer to an 8-byte "
                       "block", zero_size, 0, 0, 0 },
    { "no-overlap",    "live blocks never overlap and keep their bytes "
                       "across later calls", no_overlap, 0, 0, 0 },
    { "reuse",         "a freed block's memory serves a later request of "
                       "its size without moving the break", reuse, 0, 0, 0 },
    { "first-fit",     "a request takes the first free block that fits, "
                       "without moving the break", first_fit, P_FIRST_FIT,
                       0, 0 },
    { "splits",        "a larger free block is split: the rest is a free "
                       "block, its header counted, reusable", splits,
                       P_SPLITS, 0, 0 },
    { "coalesces",     "freed neighbours merge: a request the size of both "
                       "fits without moving the break", coalesces,
                       P_COALESCES, 0, 0 },
    { "free-null",     "deallocate(0) changes nothing", free_null, 0, 0, 0 },
    { "brk-failure",   "allocate returns 0 when brk refuses to grow the "
                       "heap, and the heap stays usable", brk_failure,
                       0, 0, 0 },
    { "unsigned-size", "a request of 2 GiB or more never gets a small free "
                       "block", unsigned_size, 0, 0, 0 },
    { "size-overflow", "sizes whose rounding or header would wrap return 0 "
                       "without moving the break", size_overflow, 0, 0, 0 },
    { "callee-saved",  "every path preserves %ebx, %esi, %edi, %ebp, %esp "
                       "and leaves DF clear", callee_saved, 0, 0, 0 },
    { "random",        "25000 random calls keep every block intact and "
                       "end with all freed", random_ops, 0, 0, 0 },

    /* ---- universal for what the allocator exports (realloc.c,
     * checker.c) */
    { "realloc-edges", "reallocate handles NULL, size 0 and impossible "
                       "sizes like realloc", realloc_edges, 0, 0, R_ | H_ },
    { "realloc-callee-saved", "reallocate and heap_check preserve %ebx, "
                       "%esi, %edi, %ebp, %esp and DF",
                       realloc_callee_saved, 0, 0, R_ | H_ },
    { "realloc-random", "100000 random calls with reallocate: blocks "
                       "intact, heap_check 0", realloc_random, 0, 0,
                       R_ | H_ },
    { "heap-check-damage", "heap_check reports a changed size and a "
                       "flipped state (and, with free-lists, a bad link)",
                       heap_check_damage, 0, 0, H_ | L_ },

    /* ---- which block a request takes (fit.c) */
    { "first-fit-policy", "the lowest free block that fits is taken, even "
                       "below the rest of a split one", first_fit_policy,
                       P_FIRST_FIT, 0, H_ },
    { "best-fit",      "the smallest free block that fits is taken",
                       best_fit, P_BEST_FIT, 0, H_ },
    { "next-fit",      "the search resumes after the last placement and "
                       "wraps", next_fit, P_NEXT_FIT, 0, H_ },
    { "lifo",          "the most recently freed block that fits is taken",
                       lifo, P_LIFO, 0, H_ },
    { "good-fit",      "a request takes the head of a list whose every "
                       "block fits, else its own list's head if it fits",
                       good_fit, P_GOOD_FIT, 0, H_ },
    { "remainder",     "small requests are cut one after another from the "
                       "designated remainder", remainder, P_REMAINDER, 0,
                       H_ },

    /* ---- boundary tags and merging at once (tags.c, checker.c) */
    { "layout",        "the walk through memkit_layout finds exactly the "
                       "blocks allocate returned", layout, P_BOUNDARY_TAGS,
                       0, R_ | H_ | L_ },
    { "split-front",   "a small request splits a big free block at its "
                       "front and the rest stays free", split_front,
                       P_BOUNDARY_TAGS, 0, H_ | L_ },
    { "checker",       "heap_check reports damaged tags and adjacent free "
                       "blocks", checker, P_BOUNDARY_TAGS, 0, H_ | L_ },
    { "merge-forward", "a freed block merges with the free block after it",
                       merge_forward, P_COALESCES_AT_ONCE, 0, H_ | L_ },
    { "merge-backward", "a freed block merges with the free block before "
                       "it", merge_backward, P_COALESCES_AT_ONCE, 0,
                       H_ | L_ },
    { "merge-both",    "freeing the middle of three makes one free block",
                       merge_both, P_COALESCES_AT_ONCE, 0, H_ | L_ },
    { "merge-three",   "freeing the middle of three freed neighbours merges "
                       "all three, and they serve one request", merge_three,
                       P_COALESCES_AT_ONCE, 0, H_ | L_ },
    { "random-merges", "100000 random calls with reallocate, heap_check 0 "
                       "after each, one free block at the end",
                       random_merges, P_COALESCES_AT_ONCE, 0, R_ | H_ | L_ },
    { "checker-list",  "heap_check reports a damaged free list",
                       checker_list, P_FREE_LISTS, 0, H_ },
    { "checker-rover", "heap_check reports a rover that is not on a block "
                       "start", checker_rover, P_NEXT_FIT, 0, H_ | L_ },

    /* ---- where reallocate grows a block (realloc.c) */
    { "realloc-in-place", "reallocate grows in place, shrinks in place, "
                       "moves, frees and fails as realloc does",
                       realloc_in_place, P_REALLOC_IN_PLACE, 0,
                       R_ | H_ | L_ },
    { "in-place-callee-saved", "every path of reallocate and heap_check "
                       "keeps the callee-saved registers and DF",
                       in_place_callee_saved, P_REALLOC_IN_PLACE, 0,
                       R_ | H_ | L_ },
    { "realloc-at-top", "reallocate grows in place into a free neighbour "
                       "and into the top", realloc_at_top, P_REALLOC_AT_TOP,
                       0, R_ | H_ },

    /* ---- one design each (designs.c) */
    { "grows-in-chunks", "the break grows in chunks, not once per "
                       "allocation", grows_in_chunks, P_GROWS_IN_CHUNKS, 0,
                       H_ },
    { "grows-exactly", "the break moves by exactly the shortfall",
                       grows_exactly, P_GROWS_EXACTLY, 0, H_ },
    { "trims",         "freeing a large top block moves the break down",
                       trims, P_TRIMS, 0, H_ },
    { "buddy-split",   "two small blocks split from one are buddies by "
                       "address", buddy_split, P_BUDDIES, 0, H_ | L_ },
    { "buddy-merge",   "freeing every block merges the arena back into one "
                       "free block", buddy_merge, P_BUDDIES, 0, H_ | L_ },
    { "buddy-realloc", "reallocate grows a lower half in place by taking "
                       "its free buddies", buddy_realloc, P_BUDDIES, 0,
                       R_ | H_ | L_ },
    { "bitmap-marks",  "allocate sets and deallocate clears exactly a "
                       "block's chunk bits", bitmap_marks, P_CHUNK_BITMAP,
                       0, H_ | L_ },
};
const unsigned ntests = sizeof tests / sizeof tests[0];
