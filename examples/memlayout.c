/* memlayout.c — a program that prints its own memory layout.
 *
 *   build/memlayout [GROW]     GROW: bytes to move the break by (default
 *                              10000; decimal or 0x hex)
 *
 * The chapter's picture "Memory Layout of a Linux Program", made real:
 * one line per landmark, lowest address first — code (.text), read-only
 * data, initialised data (.data), zero-initialised data (.bss), the
 * initial program break, then the stack with argc, argv and envp at its
 * top. Then /proc/self/maps (qemu-i386 emulates it for the guest), then
 * the heap is grown with brk(2) and the break printed again.
 *
 * Output lines are "name  address  what", so tests can check the order
 * (tests/memlayout.bats) without knowing any address. Explained, with a
 * real run, in docs/memory-layout.md.
 *
 * Freestanding like the rest of the C harness: c-harness/start.s calls
 * main(argc, argv, envp); printing comes from c-harness/rt.c.
 */
#include "rt.h"

/* The default linker script defines these at the ends of the sections:
 * etext after .text, edata after .data, end after .bss. Only their
 * addresses mean anything. */
extern char etext[], edata[], end[];

static const char greeting[] = "a string constant";     /* .rodata */
static int data_word = 42;                               /* .data */
static int bss_word;                                     /* .bss */

#define DEFAULT_GROW 10000u
#define TEXT_WIDTH   40         /* longest argv/envp string shown */

/* One landmark: "name           0x08049000  what". */
static void line(const char *name, const void *addr, const char *what)
{
    int pad = 15 - (int)strlen(name);

    put_str(1, name);
    while (pad-- > 0)
        put_char(1, ' ');
    put_hex(1, (uintptr_t)addr, 8);
    put_str(1, "  ");
    put_str(1, what);
}

/* A string from argv/envp, cut at TEXT_WIDTH characters. */
static void quoted(const char *s)
{
    size_t n = strlen(s);

    put_char(1, '"');
    sys_write(1, s, n > TEXT_WIDTH ? TEXT_WIDTH : n);
    put_str(1, n > TEXT_WIDTH ? "\"...\n" : "\"\n");
}

/* Copies /proc/self/maps to stdout; says so when it cannot be read. */
static void show_maps(void)
{
    char buf[512];
    long fd = sys_open("/proc/self/maps", O_RDONLY, 0);
    long n;

    if (sys_is_error(fd)) {
        put_str(1, "  (cannot open /proc/self/maps: errno ");
        put_udec(1, -fd);
        put_str(1, ")\n");
        return;
    }
    while ((n = sys_read(fd, buf, sizeof buf)) > 0)
        sys_write(1, buf, n);
    sys_close(fd);
}

int main(int argc, char **argv, char **envp)
{
    int local_word = 7;
    /* brk(0) first, before anything could move the break. */
    uintptr_t initial = sys_brk(0);
    uintptr_t esp, asked, got, now;
    unsigned grow = DEFAULT_GROW;

    if (argc > 2 || (argc == 2 && parse_uint(argv[1], &grow) != 0)) {
        put_str(2, "usage: memlayout [GROW]   "
                   "(GROW: bytes, decimal or 0x hex)\n");
        return 2;
    }
    __asm__ ("movl %%esp, %0" : "=r"(esp));

    put_str(1, "== layout, lowest address first\n");
    line("main", (void *)main, ".text: this function's code\n");
    line("etext", etext, "end of .text (linker symbol)\n");
    line("rodata", greeting, ".rodata: a string constant\n");
    line("data_word", &data_word, ".data: int data_word = 42\n");
    line("edata", edata, "end of .data (linker symbol)\n");
    line("bss_word", &bss_word, ".bss: int bss_word (zero)\n");
    line("end", end, "end of .bss (linker symbol)\n");
    line("initial_break", (void *)initial, "brk(0): the program break\n");
    line("esp", (void *)esp, "stack pointer in main\n");
    line("local_word", &local_word, "stack: a local variable of main\n");
    /* _start found argc at the initial %esp, with argv right above it. */
    line("argc", (int *)argv - 1, "stack: argc = ");
    put_udec(1, argc);
    put_char(1, '\n');
    line("argv", argv, "stack: argv[0] = ");
    quoted(argv[0]);
    line("envp", envp, "stack: envp[0] = ");
    if (envp[0])
        quoted(envp[0]);
    else
        put_str(1, "NULL (empty environment)\n");
    line("argv0_text", argv[0], "stack: the text of argv[0]\n");

    put_str(1, "\n== /proc/self/maps\n");
    show_maps();

    /* Grow the heap. asked cannot wrap: a GROW that would pass 4 GiB is
     * refused here, before the kernel sees it. */
    put_str(1, "\n== grow the heap by ");
    put_udec(1, grow);
    put_str(1, " bytes\n");
    if (grow > 0xffffffffu - initial) {
        put_str(1, "refused: the break would pass 4 GiB\n");
        return 1;
    }
    asked = initial + grow;
    got = sys_brk(asked);
    put_str(1, "brk(");
    put_hex(1, asked, 8);
    put_str(1, ") returned ");
    put_hex(1, got, 8);
    now = sys_brk(0);
    if (got != asked) {
        /* Linux answers a refused brk with the old break. */
        put_str(1, ": refused, the break stays at ");
        put_hex(1, now, 8);
        put_char(1, '\n');
        return 1;
    }
    put_str(1, "\n");
    line("new_break", (void *)now, "brk(0) after growing: moved by ");
    put_udec(1, now - initial);
    put_str(1, " bytes\n");

    put_str(1, "\n== /proc/self/maps after growing\n");
    show_maps();
    return 0;
}
