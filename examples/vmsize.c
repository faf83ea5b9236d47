/* vmsize.c — memory is promised before it is used: VmSize vs VmRSS.
 *
 *   build/vmsize [KIB]     KIB: how much to grow the heap (default 8192,
 *                          a multiple of 4, at most 262144)
 *
 * Prints the VmSize (virtual: every mapping's size) and VmRSS (resident:
 * pages in physical memory) lines of /proc/self/status three times: at
 * the start, after brk has grown the heap by KIB KiB, and after one byte
 * of every new page has been written. The brk makes VmSize grow at once
 * and VmRSS not at all: the kernel only records the new range. Each page
 * becomes resident at its first touch (a page fault the kernel answers
 * with a zeroed page), so VmRSS grows by KIB after the writes.
 *
 * Natively the lines are this process's. qemu-i386 does not emulate
 * /proc/self/status: a guest opening it reads qemu's own, so under qemu
 * VmSize is qemu's (it holds the guest's whole address space reserved and
 * does not move with brk) and VmRSS is qemu's resident memory, which does
 * still grow with the pages the guest touches. docs/concepts.md shows
 * both; tests/vmsize.bats checks the native run.
 *
 * Output: "== NAME" then "VmSize: N kB" and "VmRSS: N kB" lines.
 */
#include "rt.h"
#include "procfile.h"

#define DEFAULT_KIB 8192u
#define MAX_KIB     262144u     /* 256 MiB */
#define PAGE        4096u

/* Prints the VmSize and VmRSS lines of /proc/self/status. */
static void show(const char *when)
{
    static char buf[8192];
    long len;
    char *line, *nl;

    put_str(1, "== ");
    put_str(1, when);
    put_char(1, '\n');
    len = read_proc_file("/proc/self/status", buf, sizeof buf);
    if (sys_is_error(len)) {
        put_str(1, "(cannot open /proc/self/status)\n");
        return;
    }
    for (line = buf; *line; line = nl + 1) {
        for (nl = line; *nl && *nl != '\n'; nl++)
            ;
        if (memcmp(line, "VmSize:", 7) == 0 || memcmp(line, "VmRSS:", 6) == 0)
            sys_write(1, line, nl - line + 1);
        if (!*nl)
            break;
    }
}

int main(int argc, char **argv)
{
    unsigned kib = DEFAULT_KIB, off;
    uintptr_t start = sys_brk(0), want;
    volatile char *heap = (char *)start;

    if (argc > 2 || (argc == 2 && (parse_uint(argv[1], &kib) != 0 ||
                                   kib == 0 || kib % 4 || kib > MAX_KIB))) {
        put_str(2, "usage: vmsize [KIB]   (a multiple of 4, 4 to 262144)\n");
        return 2;
    }
    show("start");
    want = start + kib * 1024;
    if (sys_brk(want) != want) {
        put_str(2, "vmsize: brk refused to grow the heap\n");
        return 1;
    }
    put_str(1, "-- brk grew the heap by ");
    put_udec(1, kib);
    put_str(1, " KiB\n");
    show("after brk");
    for (off = 0; off < kib * 1024; off += PAGE)
        heap[off] = 1;
    put_str(1, "-- wrote one byte in each of its ");
    put_udec(1, kib / 4);
    put_str(1, " pages\n");
    show("after touching");
    return 0;
}
