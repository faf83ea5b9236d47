/* parse.h — the trace a driver replays, read from the malloc-lab text
 * format (c-harness/trace/parse.c; the format is in trace-driver.c's
 * header and docs/lab.md).
 *
 *   int parse(const char *path);
 *
 * Reads and checks the whole file, and fills ops[0..n_ops) with its
 * operations, each with its line in the file. A bad file gets one line on
 * stderr, `FILE:LINE: reason`, and -1; a good one 0. trace_name is path
 * from then on: every message about the trace names it.
 */
#ifndef MEMKIT_TRACE_PARSE_H
#define MEMKIT_TRACE_PARSE_H

#define MAX_OPS       (1u << 18)    /* operations per trace */
#define MAX_IDS       (1u << 17)    /* ids per trace */
#define MAX_FILE      (8u << 20)    /* bytes of one trace file */

enum { OP_A = 1, OP_F, OP_R };

struct op {
    unsigned kind : 2;          /* OP_A, OP_F or OP_R */
    unsigned id : 30;           /* below n_ids */
    unsigned size;              /* below 2^31; 0 for OP_F */
    unsigned line;              /* in the file, for the messages */
};

_Static_assert(sizeof(struct op) == 12, "an op is three words: kind and "
               "id share one (MAX_OPS of them in ops[])");

extern const char op_char[];    /* "?afr": each kind's letter */
extern struct op ops[MAX_OPS];
extern unsigned n_ops, n_ids;
extern unsigned trace_peak;     /* peak live payload, from the parse */
extern const char *trace_name;

int parse(const char *path);

/* Writes op as the trace has it, "a 3 16" or "f 3" (trace/out.h). */
void os_op(const struct op *o);

#endif
