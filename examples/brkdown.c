/* brkdown.c — giving memory back: the break goes up, then down again.
 *
 *   build/brkdown [KIB]    KIB: how much to grow the heap (default 64,
 *                          a multiple of 4, at most 65536)
 *
 * Shows the mappings of /proc/self/maps that overlap the heap range
 * [initial break, initial break + KIB KiB) three times: before growing
 * (none: nothing is mapped there yet), after brk has moved the break up
 * by KIB KiB and the pages were written (one mapping covers the range),
 * and after brk has moved the break back down to where it started (none
 * again: the kernel unmapped the pages, and their memory is free for
 * other processes). Lowering the break is the only way a brk heap returns
 * memory, and only from its top; the chapter's allocator never does it.
 *
 * Output: "== NAME", the break, then the overlapping maps lines or
 * "(no mapping)". The initial break is page aligned under qemu and
 * natively (the kernel starts the heap on a page).
 */
#include "rt.h"
#include "procfile.h"

#define DEFAULT_KIB 64u
#define MAX_KIB     65536u
#define PAGE        4096u

static uintptr_t lo, hi;        /* the heap range being watched */

/* Parses hex digits up to a character that is not one; *end after them. */
static uintptr_t hex(const char *s, const char **end)
{
    uintptr_t v = 0;

    for (;; s++) {
        if (*s >= '0' && *s <= '9')
            v = v * 16 + (*s - '0');
        else if (*s >= 'a' && *s <= 'f')
            v = v * 16 + (*s - 'a' + 10);
        else
            break;
    }
    *end = s;
    return v;
}

/* Prints the break and the maps lines overlapping [lo, hi). */
static void show(const char *when)
{
    static char buf[16384];
    long len;
    char *line, *nl;
    const char *p;
    uintptr_t start, end;
    int shown = 0;

    put_str(1, "== ");
    put_str(1, when);
    put_str(1, "\nbreak ");
    put_hex(1, sys_brk(0), 8);
    put_char(1, '\n');
    len = read_proc_file("/proc/self/maps", buf, sizeof buf);
    if (sys_is_error(len)) {
        put_str(1, "(cannot open /proc/self/maps)\n");
        return;
    }
    for (line = buf; *line; line = nl + 1) {
        for (nl = line; *nl && *nl != '\n'; nl++)
            ;
        start = hex(line, &p);
        end = *p == '-' ? hex(p + 1, &p) : 0;
        if (start < hi && end > lo) {
            sys_write(1, line, nl - line + 1);
            shown = 1;
        }
        if (!*nl)
            break;
    }
    if (!shown)
        put_str(1, "(no mapping)\n");
}

int main(int argc, char **argv)
{
    unsigned kib = DEFAULT_KIB, off;

    if (argc > 2 || (argc == 2 && (parse_uint(argv[1], &kib) != 0 ||
                                   kib == 0 || kib % 4 || kib > MAX_KIB))) {
        put_str(2, "usage: brkdown [KIB]   (a multiple of 4, 4 to 65536)\n");
        return 2;
    }
    lo = sys_brk(0);
    hi = lo + kib * 1024;
    put_str(1, "heap range ");
    put_hex(1, lo, 8);
    put_str(1, "-");
    put_hex(1, hi, 8);
    put_str(1, " (");
    put_udec(1, kib);
    put_str(1, " KiB above the initial break)\n");
    show("before");

    if (sys_brk(hi) != hi) {
        put_str(2, "brkdown: brk refused to grow the heap\n");
        return 1;
    }
    for (off = 0; off < kib * 1024; off += PAGE)
        ((volatile char *)lo)[off] = 1;
    show("after brk up");

    if (sys_brk(lo) != lo) {
        put_str(2, "brkdown: brk refused to lower the break\n");
        return 1;
    }
    show("after brk down");
    return 0;
}
