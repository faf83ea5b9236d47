/* out.h — the trace driver's one buffered output (c-harness/trace/out.c):
 * the report, the --dump rows and the --svg picture all go through it.
 *
 * Everything written is kept in a 64 KiB buffer and written with write(2)
 * when it fills or at oflush(): put_* in rt.c write every piece, far too
 * slow for a picture of thousands of blocks. ofd is where it goes (1, or
 * the picture's file while it is written); oerr keeps the first failed
 * write's -errno, so the caller can tell a picture that was not written.
 */
#ifndef MEMKIT_TRACE_OUT_H
#define MEMKIT_TRACE_OUT_H

extern int ofd;                 /* where oflush writes; 1 by default */
extern long oerr;               /* the first failed write's -errno, or 0 */

void oflush(void);              /* write what is buffered to ofd */
void odrop(void);               /* forget what is buffered */
void os(const char *s);         /* a string */
void oc(char c);                /* one character */
void ou(unsigned v);            /* decimal */
void ox(unsigned v);            /* 0x and 8 hex digits */
void o_tenths(unsigned tenths); /* tenths / 10 as "12.3" */

/* n / d for a 64-bit n whose quotient fits in 32 bits; ~0u when it would
 * not fit (or d is 0). */
unsigned div64(unsigned long long n, unsigned d);
/* a / b in tenths of a percent, rounded; 0 when b is 0. */
unsigned tenths_pct(unsigned a, unsigned b);

#endif
