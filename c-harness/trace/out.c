/* out.c — the trace driver's buffered output (c-harness/trace/out.h):
 * one buffer for the report, the --dump rows and the --svg picture, and
 * the number formats they print.
 */
#include "sys.h"
#include "trace/out.h"

static char obuf[1 << 16];
static unsigned olen;
int ofd = 1;
long oerr;                      /* the first failed write's -errno */

void oflush(void)
{
    unsigned done = 0;
    while (done < olen) {
        long r = sys_write(ofd, obuf + done, olen - done);
        if (sys_is_error(r) || r == 0) {
            if (!oerr)
                oerr = r ? r : -5;      /* no progress: EIO */
            break;
        }
        done += r;
    }
    olen = 0;
}

void odrop(void)
{
    olen = 0;
}

void os(const char *s)
{
    while (*s) {
        if (olen == sizeof obuf)
            oflush();
        obuf[olen++] = *s++;
    }
}

void oc(char c)
{
    char s[2] = { c, 0 };
    os(s);
}

void ou(unsigned v)
{
    char b[12], *p = b + sizeof b;
    *--p = 0;
    do
        *--p = '0' + v % 10;
    while (v /= 10);
    os(p);
}

void ox(unsigned v)
{
    static const char hex[] = "0123456789abcdef";
    char b[11];
    int i;
    b[0] = '0';
    b[1] = 'x';
    for (i = 0; i < 8; i++)
        b[2 + i] = hex[(v >> (28 - 4 * i)) & 15];
    b[10] = 0;
    os(b);
}

/* v / 10 as "12.3" — fixed point with one decimal. */
void o_tenths(unsigned tenths)
{
    ou(tenths / 10);
    oc('.');
    ou(tenths % 10);
}

/* n / d for a 64-bit n whose quotient fits in 32 bits (one divl: there
 * is no libgcc for __udivdi3); ~0u when it would not fit. */
unsigned div64(unsigned long long n, unsigned d)
{
    unsigned hi = n >> 32, lo = (unsigned)n, q, r;
    if (!d || hi >= d)
        return ~0u;
    __asm__ ("divl %4" : "=a"(q), "=d"(r) : "a"(lo), "d"(hi), "rm"(d));
    (void)r;
    return q;
}

/* a / b in tenths of a percent, rounded. */
unsigned tenths_pct(unsigned a, unsigned b)
{
    return b ? div64((unsigned long long)a * 1000 + b / 2, b) : 0;
}
