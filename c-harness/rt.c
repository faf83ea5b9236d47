/* rt.c — the memkit C harness runtime (see rt.h). */
#include "rt.h"

void *memset(void *dst, int c, size_t n)
{
    unsigned char *d = dst;
    while (n--)
        *d++ = (unsigned char)c;
    return dst;
}

void *memcpy(void *dst, const void *src, size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;
    while (n--)
        *d++ = *s++;
    return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
    const unsigned char *p = a, *q = b;
    for (; n; n--, p++, q++)
        if (*p != *q)
            return *p - *q;
    return 0;
}

size_t strlen(const char *s)
{
    const char *p = s;
    while (*p)
        p++;
    return p - s;
}

int strcmp(const char *a, const char *b)
{
    while (*a && *a == *b)
        a++, b++;
    return (unsigned char)*a - (unsigned char)*b;
}

void put_str(int fd, const char *s)
{
    sys_write(fd, s, strlen(s));
}

void put_char(int fd, char c)
{
    sys_write(fd, &c, 1);
}

/* Digits are produced backwards into the end of a buffer. Only 32-bit
 * division: there is no libgcc for 64-bit helpers. */
void put_udec_w(int fd, unsigned v, int width)
{
    char buf[16];
    char *p = buf + sizeof buf;
    do {
        *--p = '0' + v % 10;
        v /= 10;
    } while (v);
    while (buf + sizeof buf - p < width && p > buf)
        *--p = ' ';
    sys_write(fd, p, buf + sizeof buf - p);
}

void put_udec(int fd, unsigned v)
{
    put_udec_w(fd, v, 0);
}

void put_dec(int fd, int v)
{
    if (v < 0) {
        put_char(fd, '-');
        put_udec(fd, -(unsigned)v);
    } else {
        put_udec(fd, v);
    }
}

void put_hex(int fd, unsigned v, int digits)
{
    char buf[12];
    char *p = buf + sizeof buf;
    int n = 0;
    do {
        *--p = "0123456789abcdef"[v & 15];
        v >>= 4;
        n++;
    } while (v || n < digits);
    *--p = 'x';
    *--p = '0';
    sys_write(fd, p, buf + sizeof buf - p);
}

int parse_uint(const char *s, unsigned *out)
{
    unsigned v = 0, base = 10, d;
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        base = 16;
        s += 2;
    }
    if (!*s)
        return -1;
    for (; *s; s++) {
        if (*s >= '0' && *s <= '9')
            d = *s - '0';
        else if (base == 16 && *s >= 'a' && *s <= 'f')
            d = *s - 'a' + 10;
        else if (base == 16 && *s >= 'A' && *s <= 'F')
            d = *s - 'A' + 10;
        else
            return -1;
        if (v > (0xFFFFFFFFu - d) / base)
            return -1;              /* would not fit in 32 bits */
        v = v * base + d;
    }
    *out = v;
    return 0;
}

/* ---------------------------------------------------------- reporter */

static const char *case_name;
static int case_failed;
static unsigned passed, failed;

void t_run(const char *name)
{
    case_name = name;
    case_failed = 0;
    put_str(1, "[RUN]  ");
    put_str(1, name);
    put_char(1, '\n');
}

static void fail_where(const char *what, const char *file, int line)
{
    put_str(1, " (");
    put_str(1, what);
    put_str(1, ", ");
    put_str(1, file);
    put_char(1, ':');
    put_dec(1, line);
    put_str(1, ")\n");
}

void t_fail(const char *what, unsigned got, unsigned expected,
            const char *file, int line)
{
    case_failed = 1;
    put_str(1, "[FAIL] got ");
    put_hex(1, got, 0);
    put_str(1, ", expected ");
    put_hex(1, expected, 0);
    fail_where(what, file, line);
}

void t_failmsg(const char *what, const char *file, int line)
{
    case_failed = 1;
    put_str(1, "[FAIL]");
    fail_where(what, file, line);
}

int t_failed(void)
{
    return case_failed;
}

void t_end(void)
{
    if (case_failed) {
        failed++;
    } else {
        passed++;
        put_str(1, "[OK]   ");
        put_str(1, case_name);
        put_char(1, '\n');
    }
}

int t_summary(void)
{
    put_udec(1, passed);
    put_str(1, " passed, ");
    put_udec(1, failed);
    put_str(1, " failed\n");
    return failed ? 1 : 0;
}
