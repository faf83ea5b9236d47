/* stackgrow.c — the stack grows by itself; the heap only when asked.
 *
 *   build/stackgrow [DEPTH]    DEPTH: levels of recursion (default 256,
 *                              at most 1024), each with a 4 KiB local
 *
 * Grows the heap once with brk (so it has a mapping to show), then prints
 * the [stack] and [heap] lines of /proc/self/maps and the break three
 * times: at the start, at the deepest level of a recursion whose frames
 * hold FRAME_BYTES each, and after the recursion has returned. Nothing
 * asks the kernel for stack: the first touch of each page below the stack
 * mapping faults, and the kernel extends the mapping (up to the stack
 * size limit, ulimit -s). The break does not move: the heap grows only by
 * brk. Natively [stack] starts DEPTH x 4 KiB lower at the deepest point
 * and stays that low afterwards (the kernel does not give stack pages
 * back). qemu-i386 maps the guest's whole stack (8 MiB) before the
 * program starts, so under qemu the [stack] line never changes.
 *
 * Output: "== NAME" then the lines; tests/stackgrow.bats compares them.
 */
#include "rt.h"
#include "procfile.h"

#define DEFAULT_DEPTH 256u
#define MAX_DEPTH     1024u     /* 4 MiB: inside the usual 8 MiB limit */
#define FRAME_BYTES   4096u
#define HEAP_GROW     4096u

/* Prints the lines of /proc/self/maps for the stack and the heap. */
static void show(const char *when)
{
    static char buf[16384];
    long len;
    char *line, *nl;

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
        if (nl - line > 7 && (memcmp(nl - 7, "[stack]", 7) == 0 ||
                              memcmp(nl - 6, "[heap]", 6) == 0))
            sys_write(1, line, nl - line + 1);
        if (!*nl)
            break;
    }
}

/* Recurses `depth` levels, each with a FRAME_BYTES local it writes to
 * (so its pages are really touched), and shows the maps at the bottom.
 * Returns a sum of the locals so the compiler keeps every frame. */
static unsigned __attribute__((noinline)) dive(unsigned depth)
{
    volatile unsigned char local[FRAME_BYTES];
    unsigned i;

    for (i = 0; i < FRAME_BYTES; i += 512)
        local[i] = (unsigned char)depth;
    if (depth <= 1)
        show("at the deepest level");
    else
        local[0] += dive(depth - 1);
    return local[0];
}

int main(int argc, char **argv)
{
    unsigned depth = DEFAULT_DEPTH;
    uintptr_t start = sys_brk(0);

    if (argc > 2 || (argc == 2 && (parse_uint(argv[1], &depth) != 0 ||
                                   depth < 1 || depth > MAX_DEPTH))) {
        put_str(2, "usage: stackgrow [DEPTH]   (1 to 1024 levels)\n");
        return 2;
    }
    if (sys_brk(start + HEAP_GROW) != start + HEAP_GROW) {
        put_str(2, "stackgrow: brk refused to grow the heap\n");
        return 1;
    }
    put_str(1, "recursion: ");
    put_udec(1, depth);
    put_str(1, " levels x ");
    put_udec(1, FRAME_BYTES);
    put_str(1, " bytes\n");
    show("before");
    dive(depth);
    show("after returning");
    return 0;
}
