/* rt.h — the memkit C harness runtime: printing, memory helpers, and the
 * test reporter. Implemented in c-harness/rt.c; link build/obj/c/start.o
 * and build/obj/c/rt.o (see sys.h).
 *
 * Output goes straight to a file descriptor with write(2): no buffering,
 * so output interleaves correctly with anything the allocator prints and
 * nothing is lost if the program faults.
 */
#ifndef MEMKIT_RT_H
#define MEMKIT_RT_H

#include "sys.h"

typedef unsigned int  size_t;
typedef unsigned int  uintptr_t;
typedef unsigned int  uint32_t;
typedef unsigned char uint8_t;

#define NULL ((void *)0)

/* gcc may emit calls to these even with -ffreestanding. */
void  *memset(void *dst, int c, size_t n);
void  *memcpy(void *dst, const void *src, size_t n);
int    memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int    strcmp(const char *a, const char *b);

/* Printing to a file descriptor. put_hex prints 0x and at least `digits`
 * hex digits (0 means as few as needed); put_udec_w right-aligns in
 * `width` columns. */
void put_str(int fd, const char *s);
void put_char(int fd, char c);
void put_udec(int fd, unsigned v);
void put_udec_w(int fd, unsigned v, int width);
void put_dec(int fd, int v);
void put_hex(int fd, unsigned v, int digits);

/* Parses a decimal or 0x-prefixed hex number; returns 0 on success. */
int parse_uint(const char *s, unsigned *out);

/* Test reporter, in the style of the Linux x86 selftests:
 *
 *   [RUN]  name
 *   [OK]   name
 *   [FAIL] got X, expected Y (what, file:line)
 *   ...
 *   N passed, N failed
 *
 * t_run starts a case; checks inside it call t_fail on the first failure;
 * t_end closes the case; t_summary prints the closing line and returns
 * the exit status (1 if any case failed).
 */
void t_run(const char *name);
void t_fail(const char *what, unsigned got, unsigned expected,
            const char *file, int line);
void t_failmsg(const char *what, const char *file, int line);
int  t_failed(void);            /* the current case has failed */
void t_end(void);
int  t_summary(void);

/* Inside a case function returning void: stop at the first failed check. */
#define CHECK_EQ(got, expected) do {                                    \
        unsigned g_ = (unsigned)(got), e_ = (unsigned)(expected);       \
        if (g_ != e_) {                                                 \
            t_fail(#got, g_, e_, __FILE__, __LINE__);                   \
            return;                                                     \
        }                                                               \
    } while (0)

#define CHECK(cond) do {                                                \
        if (!(cond)) {                                                  \
            t_fail(#cond, 0, 1, __FILE__, __LINE__);                    \
            return;                                                     \
        }                                                               \
    } while (0)

/* Test patterns for payloads: pattern_fill writes bytes that depend on
 * tag and on each byte's position, so a block that moved, or got a
 * neighbour's bytes, reads wrong. pattern_intact returns the index of
 * the first wrong byte, or n when all n are right. */
static inline void pattern_fill(void *p, unsigned n, unsigned tag)
{
    unsigned char *b = p;
    for (unsigned i = 0; i < n; i++)
        b[i] = (unsigned char)(tag * 31 + i * 7 + 1);
}

static inline unsigned pattern_intact(const void *p, unsigned n, unsigned tag)
{
    const unsigned char *b = p;
    for (unsigned i = 0; i < n; i++)
        if (b[i] != (unsigned char)(tag * 31 + i * 7 + 1))
            return i;
    return n;
}

#endif
