/* check.h — the checked replay of a parsed trace (c-harness/trace/check.c):
 * every operation's result checked, the live payloads' bytes verified,
 * the heap walked, and the rows the picture draws taken on the way.
 *
 *   void checked_replay(void);      never returns
 *
 * Runs ops[0..n_ops) (trace/parse.h) against the linked allocator from
 * allocate_init on, and exits: 0 every check passed, 1 one failed (said
 * on stdout, `[FAIL] TRACE: op N (line L: ...): why`), 2 the picture
 * could not be written. The struct result goes to result_fd (a pipe to
 * the parent: run_child in trace-driver.c) first; with result_fd -1
 * (--no-fork) nobody reads it, and a passing trace says [OK] itself.
 */
#ifndef MEMKIT_TRACE_CHECK_H
#define MEMKIT_TRACE_CHECK_H

#include "trace/parse.h"

/* The allocator under test (asm/alloc.s or any other, c-harness/layout.h;
 * the hosted drivers' c-harness/glibc-shim.c). reallocate is optional:
 * weak, so an absent one reads as 0. */
void  allocate_init(void);
void *allocate(unsigned size);
void  deallocate(void *p);
extern void *reallocate(void *p, unsigned size) __attribute__((weak));
extern char *heap_begin;
extern char *current_break;

#define MAX_ROWS      400           /* rows of the picture */
#define MAX_CELLS     (1u << 20)    /* blocks drawn, all rows together */

/* Each id's payload and the size it asked for; 0 when it is not live.
 * The unchecked replays (trace/replay.h) keep their pointers here too. */
extern unsigned addr[MAX_IDS];
extern unsigned size[MAX_IDS];

/* What a child tells its parent, through a pipe, before it exits. Both
 * ends are the same program: the layout is read as it was written. */
struct result {
    unsigned status;            /* 0 ok, 1 failed, 3 damage in a window */
    unsigned ops;               /* operations done */
    unsigned peak;              /* peak live payload */
    unsigned high;              /* high-water: max break - initial break */
    unsigned brks;              /* times the break moved (+1 for init) */
    unsigned outside;           /* payloads outside the break's heap
                                 * (memkit_heap_anywhere only) */
    unsigned window_from;       /* status 3: last clean full check */
    unsigned window_to;         /* status 3: the op that found damage */
    long svg_err;               /* --svg: 0, or why the picture failed */
};

_Static_assert(sizeof(struct result) == 9 * 4,
               "struct result is read whole from the child's pipe");

/* The options the replay follows, set before it runs. */
extern int result_fd;           /* the parent's pipe, or -1 (--no-fork) */
extern int dump_wanted;         /* --dump: the rows as text at the end */
extern int want_rows;           /* take rows (for --svg or --dump) */
extern unsigned row_every;      /* a row after every row_every ops */
extern unsigned full_every;     /* verify every live byte this often */
extern unsigned full_from;      /* and after every op from this one */
extern unsigned time_limit;     /* seconds the whole trace may take */

/* --------------------------------------------------- the rows, drawn by
 * trace/svg.c: the heap walked after the ops row_every apart. */
struct cell {
    unsigned off;               /* block start - initial break */
    unsigned size;              /* whole block */
    unsigned short header, footer;
    unsigned char free;
    unsigned id;                /* the trace's id in it, or NO_ID */
    unsigned req;               /* the bytes that id asked for then */
};

#define NO_ID (~0u)

struct row {
    unsigned op;                /* op after which this row was taken */
    unsigned cell0, cells;      /* its cells in cell[] */
    unsigned brk;               /* break - initial break */
    unsigned live;              /* live payload now */
    unsigned peak, high;        /* so far, for utilization so far */
    unsigned first;             /* heap_begin + first - initial break */
    unsigned bad_at;            /* walk stopped here (offset) */
    const char *bad;            /* walk's reason, or 0 */
    const char *fail;           /* the check that failed, or 0 */
};

extern struct cell cell[MAX_CELLS];
extern struct row rows[MAX_ROWS + 2];
extern unsigned n_rows;
extern int rows_full;           /* more blocks than cell[] holds */

/* `[OK]   TRACE: N ops, peak P, heap H, util U%, brk B` */
void say_ok(const struct result *r);
__attribute__((noreturn)) void checked_replay(void);

#endif
