/* selfview.c — a process that says what it uses, then waits to be looked at.
 *
 *   build/selfview         (tools/outside-view.sh starts it natively)
 *
 * Grows its heap by 4 MiB with brk, writes to the first 1 MiB of it (256
 * pages), prints its pid, the VmSize and VmRSS lines of /proc/self/status
 * and its heap's range, then "ready" and waits: it reads stdin until end
 * of file. Meanwhile tools/outside-view.sh looks at the same process from
 * outside with ps and pmap, and compares.
 *
 * Output: "pid N", "VmSize: N kB", "VmRSS: N kB", "heap 0xSTART-0xEND
 * (4096 KiB, 1024 KiB touched)", "ready". Exit status 0; 1 when brk
 * refuses.
 */
#include "rt.h"
#include "procfile.h"

#define GROW    (4096u * 1024u)
#define TOUCH   (1024u * 1024u)
#define PAGE    4096u

/* Prints the VmSize and VmRSS lines of /proc/self/status. */
static void show_status(void)
{
    static char buf[8192];
    long len;
    char *line, *nl;

    len = read_proc_file("/proc/self/status", buf, sizeof buf);
    if (sys_is_error(len))
        return;
    for (line = buf; *line; line = nl + 1) {
        for (nl = line; *nl && *nl != '\n'; nl++)
            ;
        if (memcmp(line, "VmSize:", 7) == 0 || memcmp(line, "VmRSS:", 6) == 0)
            sys_write(1, line, nl - line + 1);
        if (!*nl)
            break;
    }
}

int main(void)
{
    uintptr_t start = sys_brk(0);
    volatile char *heap = (char *)start;
    char c;
    unsigned off;

    if (sys_brk(start + GROW) != start + GROW) {
        put_str(2, "selfview: brk refused to grow the heap\n");
        return 1;
    }
    for (off = 0; off < TOUCH; off += PAGE)
        heap[off] = 1;
    put_str(1, "pid ");
    put_udec(1, (unsigned)sys_getpid());
    put_char(1, '\n');
    show_status();
    put_str(1, "heap ");
    put_hex(1, (unsigned)start, 8);
    put_char(1, '-');
    put_hex(1, (unsigned)(start + GROW), 8);
    put_str(1, " (4096 KiB, 1024 KiB touched)\nready\n");
    while (sys_read(0, &c, 1) > 0)
        ;
    return 0;
}
