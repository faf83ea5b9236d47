/* auxv.c — the auxiliary vector, and the [vdso] and [vvar] mappings.
 *
 *   build/auxv
 *
 * Above argv and envp on the initial stack the kernel leaves one more
 * table, the auxiliary vector: (type, value) pairs of two words each,
 * ending with type 0 (AT_NULL). It tells the program, or its dynamic
 * loader, what only the kernel knows: the page size, where the program
 * headers were mapped, the entry point, where 16 random bytes are, and
 * the address of the [vdso], a small shared library the kernel maps
 * into every process so that calls like clock_gettime can run without
 * entering the kernel. [vvar] beside it holds the data those functions
 * read (the clock), mapped read-only.
 *
 * Prints each entry (type number, name, value in hex, what it means),
 * where the vector starts relative to envp, then the lines of
 * /proc/self/maps that are [vdso], [vvar] or [vvar_vclock]. qemu-i386
 * builds the vector itself; qemu 7.2 gives i386 guests no vdso, so under
 * qemu there is no AT_SYSINFO_EHDR entry and no [vdso] line.
 *
 * Output: "auxv at envp + N words (after envp's NULL)", then
 * "TYPE NAME 0xVALUE  meaning" lines, then "== maps: vdso and vvar".
 */
#include "rt.h"
#include "procfile.h"

#define AT_NULL 0

struct at_name {
    unsigned type;
    const char *name;
    const char *meaning;
};

static const struct at_name names[] = {
    { 3,  "AT_PHDR",         "program headers in memory" },
    { 4,  "AT_PHENT",        "size of one program header" },
    { 5,  "AT_PHNUM",        "number of program headers" },
    { 6,  "AT_PAGESZ",       "page size" },
    { 7,  "AT_BASE",         "dynamic loader's base (0: static)" },
    { 8,  "AT_FLAGS",        "flags" },
    { 9,  "AT_ENTRY",        "the program's entry point (_start)" },
    { 11, "AT_UID",          "real user id" },
    { 12, "AT_EUID",         "effective user id" },
    { 13, "AT_GID",          "real group id" },
    { 14, "AT_EGID",         "effective group id" },
    { 15, "AT_PLATFORM",     "address of the platform string" },
    { 16, "AT_HWCAP",        "CPU feature bits" },
    { 17, "AT_CLKTCK",       "clock ticks per second (times())" },
    { 23, "AT_SECURE",       "1 for setuid programs" },
    { 25, "AT_RANDOM",       "address of 16 random bytes" },
    { 26, "AT_HWCAP2",       "more CPU feature bits" },
    { 27, "AT_RSEQ_FEATURE_SIZE", "rseq: feature size" },
    { 28, "AT_RSEQ_ALIGN",   "rseq: alignment" },
    { 31, "AT_EXECFN",       "address of the program's path" },
    { 32, "AT_SYSINFO",      "vdso's system-call entry" },
    { 33, "AT_SYSINFO_EHDR", "vdso's ELF header ([vdso])" },
    { 51, "AT_MINSIGSTKSZ",  "smallest signal stack" },
};

/* Prints the lines of /proc/self/maps that end in [vdso] or [vvar...]. */
static void show_vdso_maps(void)
{
    static char buf[16384];
    long len;
    char *line, *nl, *p;

    put_str(1, "== maps: vdso and vvar\n");
    len = read_proc_file("/proc/self/maps", buf, sizeof buf);
    if (sys_is_error(len)) {
        put_str(1, "(cannot open /proc/self/maps)\n");
        return;
    }
    for (line = buf; *line; line = nl + 1) {
        for (nl = line; *nl && *nl != '\n'; nl++)
            ;
        for (p = line; p < nl && *p != '['; p++)
            ;
        if (nl - p >= 6 && (memcmp(p, "[vdso]", 6) == 0 ||
                            memcmp(p, "[vvar", 5) == 0))
            sys_write(1, line, nl - line + 1);
        if (!*nl)
            break;
    }
}

int main(int argc, char **argv, char **envp)
{
    char **e = envp;
    unsigned *av, i, k;

    (void)argc; (void)argv;
    while (*e)
        e++;
    av = (unsigned *)(e + 1);          /* right after envp's NULL */
    put_str(1, "auxv at envp + ");
    put_udec(1, (unsigned)(av - (unsigned *)envp));
    put_str(1, " words (after envp's NULL)\n");
    for (i = 0; av[i] != AT_NULL; i += 2) {
        const char *name = "?", *meaning = "";
        for (k = 0; k < sizeof names / sizeof names[0]; k++)
            if (names[k].type == av[i]) {
                name = names[k].name;
                meaning = names[k].meaning;
            }
        put_udec_w(1, av[i], 2);
        put_char(1, ' ');
        put_str(1, name);
        for (k = strlen(name); k < 16; k++)
            put_char(1, ' ');
        put_hex(1, av[i + 1], 8);
        put_str(1, "  ");
        put_str(1, meaning);
        put_char(1, '\n');
    }
    put_str(1, " 0 AT_NULL          end of the vector\n");
    show_vdso_maps();
    return 0;
}
