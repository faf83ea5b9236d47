/* memkit.c — the C library entry points of libmemkit.so (docs/preload.md).
 *
 *   malloc free calloc realloc memalign posix_memalign aligned_alloc
 *   valloc pvalloc malloc_usable_size
 *
 * A thin layer over the assembly core (memkit-core.s): it checks the
 * arguments, sets errno, takes the lock around every call into the core,
 * reports bad frees, copies data when realloc has to move a block, and
 * writes the MEMKIT_TRACE lines. The block management is all in the core.
 *
 * Nothing here allocates: the trace lines and the error messages are
 * formatted into a buffer on the stack and written with write(2). Built
 * with -fno-builtin so the compiler cannot turn malloc + memset into a
 * call to calloc (which would call itself).
 *
 * free() holds the last QUARANTINE heap blocks back before they can be
 * handed out again, so free(p); q = malloc(n); free(p) is caught as a
 * double free (see release).
 */
#define _GNU_SOURCE                 /* secure_getenv */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define EXPORT __attribute__((visibility("default")))

/* memkit-core.s; hidden symbols, so these are direct calls. */
void mk_lock(void);
void mk_unlock(void);
void *mk_malloc(size_t size);
void *mk_memalign(size_t align, size_t size);
int mk_check(const void *p);
void mk_free(void *p);
void *mk_resize(void *p, size_t size);
size_t mk_usable(const void *p);

enum { MK_HEAP, MK_MAPPED, MK_INVALID, MK_FREED };  /* mk_check */
#define MK_FREED_BIT 8u             /* memkit-core.s FREED_BIT, in the */
#define MK_HDR_WORDS 1              /* header word just before a payload */
#define MK_MMAP_THRESHOLD 131072u   /* memkit-core.s MMAP_THRESHOLD */
#define MK_PAGE 4096u

extern char **environ;

/* ------------------------------------------------------------ output */

struct line { char buf[160]; unsigned len; };

static void put_str(struct line *l, const char *s)
{
    while (*s && l->len < sizeof l->buf - 1)
        l->buf[l->len++] = *s++;
}

static void put_dec(struct line *l, unsigned long v)
{
    char tmp[12];
    int n = 0;
    do tmp[n++] = (char)('0' + v % 10); while ((v /= 10) && n < 12);
    while (n && l->len < sizeof l->buf - 1)
        l->buf[l->len++] = tmp[--n];
}

static void put_ptr(struct line *l, const void *p)
{
    uintptr_t v = (uintptr_t)p;
    int shift;
    put_str(l, "0x");
    for (shift = 28; shift >= 0; shift -= 4)
        if (l->len < sizeof l->buf - 1)
            l->buf[l->len++] = "0123456789abcdef"[(v >> shift) & 15];
}

static void put_end(struct line *l)
{
    l->buf[l->len++] = '\n';
    (void)!write(2, l->buf, l->len);
}

/* ------------------------------------------------------------- trace */

/* -1: not decided yet. The environment is read on the first call made
 * once environ is set (the loader may allocate before it is), with
 * secure_getenv: a setuid or setgid program (AT_SECURE) is never made to
 * write a trace by whoever runs it. */
static int trace_on = -1;

static int tracing(void)
{
    if (trace_on < 0 && environ) {
        const char *v = secure_getenv("MEMKIT_TRACE");
        trace_on = v && v[0] == '1' && v[1] == '\0';
    }
    return trace_on > 0;
}

/* "memkit: NAME(A) = R", "memkit: NAME(A, B) = R", "memkit: free(P)".
 * nargs counts A and B; ptr_a says A is a pointer (realloc, free). */
static void trace_line(const char *name, int nargs, int ptr_a, uintptr_t a,
                       uintptr_t b, int has_result, const void *r)
{
    struct line l;
    l.len = 0;
    put_str(&l, "memkit: ");
    put_str(&l, name);
    put_str(&l, "(");
    if (ptr_a)
        put_ptr(&l, (const void *)a);
    else
        put_dec(&l, a);
    if (nargs > 1) {
        put_str(&l, ", ");
        put_dec(&l, b);
    }
    put_str(&l, ")");
    if (has_result) {
        put_str(&l, " = ");
        put_ptr(&l, r);
    }
    put_end(&l);
}

/* leaks.c: MEMKIT_LEAKS=1 keeps a table of the live blocks, fed with the
 * same arguments as the trace plus the caller's return address. */
extern int mk_leak_on;
void mk_leak_note(void *ret, const char *name, int nargs, int ptr_a,
                  uintptr_t a, uintptr_t b, int has_result, const void *r);

/* The common case, tracing and leak checking off, costs two compares in
 * the caller. */
#define trace(...) do {                                       \
        if (trace_on != 0 && tracing())                       \
            trace_line(__VA_ARGS__);                          \
        if (mk_leak_on != 0)                                  \
            mk_leak_note(__builtin_return_address(0), __VA_ARGS__); \
    } while (0)

/* Bad pointer: say so on stderr, then abort (SIGABRT, status 134). */
static void __attribute__((noreturn)) bad_pointer(const char *func, int how,
                                                  const void *p)
{
    struct line l;
    l.len = 0;
    mk_unlock();
    put_str(&l, "memkit: ");
    put_str(&l, func);
    put_str(&l, how == MK_FREED ? "(): double free of "
                                : "(): invalid pointer ");
    put_ptr(&l, p);
    put_end(&l);
    abort();
}

/* ------------------------------------------------------- quarantine */

/* The core hands the block freed last out first (a small request takes
 * the start of the merged free block). So free(p); q = malloc(n); free(p)
 * gave q == p, and the second free(p) freed q, a live block, unnoticed.
 * Instead, a freed heap block is held back: its header gets FREED_BIT
 * (to the core it is still in use: never merged, never handed out; to
 * mk_check it is freed), and it goes back to the core only after
 * QUARANTINE later frees. Until then freeing it again is reported as a
 * double free. A pointer freed, handed out again after more than
 * QUARANTINE other frees, then freed again, is still not told apart. A
 * mapped block is unmapped at once (a second free faults on it). */
#define QUARANTINE 16

static void *held[QUARANTINE];
static unsigned held_next;

/* release — the caller holds the lock; p passed mk_check as how. */
static void release(void *p, int how)
{
    void *old;
    if (how == MK_MAPPED) {
        mk_free(p);
        return;
    }
    ((size_t *)p)[-MK_HDR_WORDS] |= MK_FREED_BIT;
    old = held[held_next];
    held[held_next] = p;
    held_next = (held_next + 1) % QUARANTINE;
    if (old) {
        ((size_t *)old)[-MK_HDR_WORDS] &= ~(size_t)MK_FREED_BIT;
        mk_free(old);
    }
}

/* ------------------------------------------------------- entry points */

EXPORT void *malloc(size_t size)
{
    void *p;
    mk_lock();
    p = mk_malloc(size);
    trace("malloc", 1, 0, size, 0, 1, p);
    mk_unlock();
    if (!p)
        errno = ENOMEM;
    return p;
}

EXPORT void free(void *p)
{
    int how;
    if (!p)
        return;
    mk_lock();
    how = mk_check(p);
    if (how != MK_HEAP && how != MK_MAPPED)
        bad_pointer("free", how, p);
    release(p, how);
    trace("free", 1, 1, (uintptr_t)p, 0, 0, NULL);
    mk_unlock();
}

EXPORT void *calloc(size_t n, size_t size)
{
    void *p;
    size_t total;
    if (__builtin_mul_overflow(n, size, &total)) {
        errno = ENOMEM;
        return NULL;
    }
    mk_lock();
    p = mk_malloc(total);
    trace("calloc", 2, 0, n, size, 1, p);
    mk_unlock();
    if (!p) {
        errno = ENOMEM;
        return NULL;
    }
    /* A fresh mapping is already zero; a heap block may be reused. */
    if (total < MK_MMAP_THRESHOLD)
        memset(p, 0, total);
    return p;
}

/* realloc as glibc documents it: realloc(NULL, n) is malloc(n);
 * realloc(p, 0) frees p and returns NULL; on failure p is untouched and
 * NULL is returned with errno ENOMEM. */
EXPORT void *realloc(void *p, size_t size)
{
    void *q;
    size_t old;
    int how;

    if (!p) {
        mk_lock();
        q = mk_malloc(size);
        trace("realloc", 2, 1, 0, size, 1, q);
        mk_unlock();
        if (!q)
            errno = ENOMEM;
        return q;
    }
    mk_lock();
    how = mk_check(p);
    if (how != MK_HEAP && how != MK_MAPPED)
        bad_pointer("realloc", how, p);
    if (size == 0) {
        release(p, how);
        trace("realloc", 2, 1, (uintptr_t)p, 0, 1, NULL);
        mk_unlock();
        return NULL;
    }
    q = mk_resize(p, size);
    if (!q) {
        old = mk_usable(p);
        q = mk_malloc(size);
        if (q) {
            memcpy(q, p, old < size ? old : size);
            release(p, how);
        }
    }
    trace("realloc", 2, 1, (uintptr_t)p, size, 1, q);
    mk_unlock();
    if (!q)
        errno = ENOMEM;
    return q;
}

static int power_of_two(size_t a)
{
    return a && !(a & (a - 1));
}

/* The aligned allocators share this; name is only for the trace. */
static void *aligned(const char *name, size_t align, size_t size)
{
    void *p;
    mk_lock();
    p = mk_memalign(align, size);
    trace(name, 2, 0, align, size, 1, p);
    mk_unlock();
    if (!p)
        errno = ENOMEM;
    return p;
}

/* memalign: glibc rounds an alignment that is not a power of two up to
 * the next one; so does this. As glibc: EINVAL only for an alignment
 * above 2^31 (SIZE_MAX / 2 + 1); 2^31 itself is a request that cannot be
 * met, ENOMEM. */
EXPORT void *memalign(size_t align, size_t size)
{
    size_t a = 16;
    if (align > (size_t)1 << 31) {
        errno = EINVAL;
        return NULL;
    }
    while (a < align)
        a <<= 1;
    return aligned("memalign", a, size);
}

/* posix_memalign: EINVAL unless align is a power of two multiple of
 * sizeof(void *); returns the error, leaves errno alone. */
EXPORT int posix_memalign(void **out, size_t align, size_t size)
{
    int saved = errno;
    void *p;
    if (!power_of_two(align) || align % sizeof(void *))
        return EINVAL;
    p = aligned("posix_memalign", align < 16 ? 16 : align, size);
    errno = saved;
    if (!p)
        return ENOMEM;
    *out = p;
    return 0;
}

/* aligned_alloc: NULL with EINVAL unless align is a power of two. */
EXPORT void *aligned_alloc(size_t align, size_t size)
{
    if (!power_of_two(align)) {
        errno = EINVAL;
        return NULL;
    }
    return aligned("aligned_alloc", align < 16 ? 16 : align, size);
}

EXPORT void *valloc(size_t size)
{
    return aligned("valloc", MK_PAGE, size);
}

/* pvalloc: page-aligned, size rounded up to whole pages (no wrap). */
EXPORT void *pvalloc(size_t size)
{
    size_t rounded = (size + MK_PAGE - 1) & ~(size_t)(MK_PAGE - 1);
    if (rounded < size) {
        errno = ENOMEM;
        return NULL;
    }
    return aligned("pvalloc", MK_PAGE, rounded ? rounded : MK_PAGE);
}

EXPORT size_t malloc_usable_size(void *p)
{
    size_t n;
    int how;
    if (!p)
        return 0;
    mk_lock();
    how = mk_check(p);
    if (how != MK_HEAP && how != MK_MAPPED)
        bad_pointer("malloc_usable_size", how, p);
    n = mk_usable(p);
    mk_unlock();
    return n;
}
