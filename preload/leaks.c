/* leaks.c — MEMKIT_LEAKS=1: what is still allocated when the program ends.
 *
 *   MEMKIT_LEAKS=1 tools/preload-run PROG [ARGS...]
 *
 * With MEMKIT_LEAKS=1 in the program's environment, libmemkit.so keeps a
 * table of the live blocks: for each, its address, its size, the order it
 * was allocated in, and the return address of the call that allocated it
 * (the instruction after the call to malloc, calloc, realloc or an aligned
 * allocator, in the caller). When the program exits, the library's
 * destructor (the last one to run: the preloaded library was initialised
 * first) prints every block still in the table, oldest first, with the
 * return address resolved to FUNCTION+OFFSET by dladdr(3), then a summary:
 *
 *   memkit: leak: 24 bytes at 0x3f56c010, allocated from make_node+0x1e (leaky)
 *   memkit: leaks: 3 blocks, 72 bytes still allocated at exit
 *
 * dladdr can only name functions in a dynamic symbol table: a library's
 * exported ones, and a program's when it was linked with -rdynamic (else
 * the line gives the address and the file). The return address is found
 * with __builtin_return_address(0) in the entry point, so for the aligned
 * allocators (which share one helper) it may name the library itself.
 *
 * This is a leak checker that runs under qemu-i386, where valgrind's
 * memcheck cannot. Like the rest of the library it never allocates: the
 * table is static (TABLE_SIZE slots, open addressing with deleted
 * markers), and blocks that no longer fit are counted as untracked.
 * memkit.c calls mk_leak_note from its trace macro, under the lock.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define TABLE_SIZE  65536u          /* a power of two */
#define MAX_REPORT  50              /* leak lines printed at most */
#define DELETED     ((uintptr_t)1)  /* a slot whose block was freed */

struct slot {
    uintptr_t ptr;                  /* 0: empty, DELETED, or the payload */
    size_t size;
    unsigned seq;                   /* allocation order */
    uintptr_t ret;                  /* return address in the caller */
};

static struct slot table[TABLE_SIZE];
static unsigned next_seq, untracked;

/* -1: not decided yet (read once environ is set); 0 off; 1 on. Read by
 * memkit.c's trace macro, so the common case costs one compare. */
__attribute__((visibility("hidden"))) int mk_leak_on = -1;

extern char **environ;

static unsigned hash(uintptr_t p)
{
    return (unsigned)((p >> 4) * 2654435761u) & (TABLE_SIZE - 1);
}

static void remember(uintptr_t p, size_t size, uintptr_t ret)
{
    unsigned i = hash(p), n;
    for (n = 0; n < TABLE_SIZE; n++, i = (i + 1) & (TABLE_SIZE - 1))
        if (table[i].ptr == 0 || table[i].ptr == DELETED) {
            table[i].ptr = p;
            table[i].size = size;
            table[i].seq = next_seq++;
            table[i].ret = ret;
            return;
        }
    untracked++;
}

static void forget(uintptr_t p)
{
    unsigned i = hash(p), n;
    for (n = 0; n < TABLE_SIZE && table[i].ptr != 0;
         n++, i = (i + 1) & (TABLE_SIZE - 1))
        if (table[i].ptr == p) {
            table[i].ptr = DELETED;
            return;
        }
}

/* memkit.c's trace arguments, read as allocations and frees:
 * malloc(a) = r; calloc(a, b) = r; free(a); realloc(a, b) = r (a freed
 * when it moved or b is 0, kept when r is NULL); NAME(align a, size b) = r
 * for the aligned allocators. */
__attribute__((visibility("hidden")))
void mk_leak_note(void *ret, const char *name, int nargs, int ptr_a,
                  uintptr_t a, uintptr_t b, int has_result, const void *r)
{
    uintptr_t res = (uintptr_t)r;
    (void)nargs; (void)ptr_a; (void)has_result;
    if (mk_leak_on < 0) {
        const char *v;
        if (!environ)
            return;
        v = getenv("MEMKIT_LEAKS");
        mk_leak_on = v && v[0] == '1' && v[1] == '\0';
        if (!mk_leak_on)
            return;
    }
    if (strcmp(name, "free") == 0) {
        forget(a);
    } else if (strcmp(name, "realloc") == 0) {
        if (a && (res || b == 0))
            forget(a);
        if (res)
            remember(res, b, (uintptr_t)ret);
    } else if (res) {
        remember(res, strcmp(name, "calloc") == 0 ? a * b :
                      strcmp(name, "malloc") == 0 ? a : b, (uintptr_t)ret);
    }
}

/* ------------------------------------------------------------ report */

struct out { char buf[256]; unsigned len; };

static void out_str(struct out *o, const char *s)
{
    while (*s && o->len < sizeof o->buf - 1)
        o->buf[o->len++] = *s++;
}

static void out_num(struct out *o, unsigned long v, unsigned base, int width)
{
    char tmp[12];
    int n = 0;
    do tmp[n++] = "0123456789abcdef"[v % base]; while ((v /= base) && n < 12);
    while (n < width)
        tmp[n++] = '0';
    while (n && o->len < sizeof o->buf - 1)
        o->buf[o->len++] = tmp[--n];
}

static void out_end(struct out *o)
{
    o->buf[o->len++] = '\n';
    (void)!write(2, o->buf, o->len);
}

/* "FUNCTION+0xOFF (FILE)", or "0xADDR (FILE)" without a symbol. */
static void out_where(struct out *o, uintptr_t ret)
{
    Dl_info info;
    const char *file;
    if (!dladdr((void *)ret, &info) || !info.dli_fname) {
        out_str(o, "0x");
        out_num(o, ret, 16, 8);
        return;
    }
    file = strrchr(info.dli_fname, '/');
    file = file ? file + 1 : info.dli_fname;
    if (info.dli_sname && info.dli_saddr) {
        out_str(o, info.dli_sname);
        out_str(o, "+0x");
        out_num(o, ret - (uintptr_t)info.dli_saddr, 16, 0);
    } else {
        out_str(o, "0x");
        out_num(o, ret, 16, 8);
    }
    out_str(o, " (");
    out_str(o, *file ? file : "the program");
    out_str(o, ")");
}

__attribute__((destructor)) static void report(void)
{
    static unsigned order[MAX_REPORT];
    unsigned i, k, n = 0, blocks = 0;
    unsigned long bytes = 0;
    struct out o;

    if (mk_leak_on != 1)
        return;
    /* the MAX_REPORT oldest live blocks, in allocation order */
    for (i = 0; i < TABLE_SIZE; i++) {
        if (table[i].ptr == 0 || table[i].ptr == DELETED)
            continue;
        blocks++;
        bytes += table[i].size;
        for (k = n; k > 0 && table[order[k - 1]].seq > table[i].seq; k--)
            if (k < MAX_REPORT)
                order[k] = order[k - 1];
        if (k < MAX_REPORT) {
            order[k] = i;
            if (n < MAX_REPORT)
                n++;
        }
    }
    for (k = 0; k < n; k++) {
        struct slot *s = &table[order[k]];
        o.len = 0;
        out_str(&o, "memkit: leak: ");
        out_num(&o, s->size, 10, 0);
        out_str(&o, " bytes at 0x");
        out_num(&o, s->ptr, 16, 8);
        out_str(&o, ", allocated from ");
        out_where(&o, s->ret);
        out_end(&o);
    }
    o.len = 0;
    if (blocks > n) {
        out_str(&o, "memkit: leaks: (only the oldest ");
        out_num(&o, n, 10, 0);
        out_str(&o, " shown)");
        out_end(&o);
        o.len = 0;
    }
    out_str(&o, "memkit: leaks: ");
    out_num(&o, blocks, 10, 0);
    out_str(&o, blocks == 1 ? " block, " : " blocks, ");
    out_num(&o, bytes, 10, 0);
    out_str(&o, " bytes still allocated at exit");
    if (untracked) {
        out_str(&o, " (and ");
        out_num(&o, untracked, 10, 0);
        out_str(&o, " blocks the table had no room for)");
    }
    out_end(&o);
}
