/* runner.c — alloc-test: the allocator contract, one program for any
 * allocator with the book's ABI (c-harness/contract/contract.h lists its
 * parts).
 *
 *   alloc-test                 run the cases this allocator is held to
 *   alloc-test ID...           run only these cases, in this order,
 *                              declared or not
 *   alloc-test --list          the cases a plain run runs: ID  what
 *   alloc-test --list-all      every case, and what it needs: a declared
 *                              property, an export, or neither
 *   alloc-test --props         the properties the allocator declares
 *   alloc-test --timeout S ... give each case S seconds (default 10)
 *   alloc-test --no-fork ID... run the cases in this one process, one
 *                              heap for all: for gdb and for traces
 *                              (qemu-i386 -strace), where one process's
 *                              lines are easier to read (a case that
 *                              expects a fresh heap may then fail)
 *   alloc-test --demo          print the heap while three neighbours are
 *                              freed and reused (modes.c)
 *   alloc-test --bench N       the workload tools/seg-bench.sh counts
 *
 * Every case checks one property (cases.c): a universal one, held by
 * every allocator, or one the allocator declares in memkit_props
 * (layout.h). A case may also need an export (reallocate, heap_check,
 * memkit_layout). The declaration and the exports alone decide what a
 * plain run runs; a case named on the command line runs whatever was
 * declared, and fails at once when an export it needs is missing.
 *
 * Each case runs in a process of its own (fork), with a fresh heap, a
 * CPU limit, an alarm and nothing shared: a case that crashes or never
 * returns is that case's [FAIL], with the signal named, and the next case
 * still runs. The closing line is "N passed, N failed"; the exit status
 * is 1 if any case failed, 2 for a usage error or a memkit_props the kit
 * cannot read. make check (tools/check.sh) is the student's way in.
 */
#include "contract.h"

unsigned declared;                      /* P_* bits of memkit_props */

int demo(void);                         /* modes.c */
int bench(const char *arg);

static const char *props_text(void)
{
    return memkit_props ? memkit_props : MEMKIT_PROPS_DEFAULT;
}

/* Reads the declaration into `declared`. A name the kit does not know is
 * an error, not a property switched off: prints it and returns -1. */
static int read_props(void)
{
    const char *s = props_text();
    declared = 0;
    while (*s) {
        const char *w;
        unsigned n, i;
        while (*s == ' ' || *s == '\t' || *s == ',')
            s++;
        if (!*s)
            break;
        for (w = s, n = 0; s[0] && s[0] != ' ' && s[0] != '\t'
                           && s[0] != ','; s++)
            n++;
        for (i = 0; i < nprops; i++)
            if (strlen(props[i].name) == n && memcmp(props[i].name, w, n) == 0)
                break;
        if (i == nprops) {
            put_str(2, "alloc-test: memkit_props names a property the kit "
                       "does not know: '");
            sys_write(2, w, n);
            put_str(2, "'\n  memkit_props: \"");
            put_str(2, props_text());
            put_str(2, "\"\n  known properties:");
            for (i = 0; i < nprops; i++) {
                put_char(2, ' ');
                put_str(2, props[i].name);
            }
            put_char(2, '\n');
            return -1;
        }
        declared |= props[i].bit;
    }
    return 0;
}

static const char *prop_name(unsigned bit)
{
    for (unsigned i = 0; i < nprops; i++)
        if (props[i].bit == bit)
            return props[i].name;
    return "?";
}

/* The exports of X_* bits missing from this allocator. */
static unsigned missing(unsigned exports)
{
    unsigned m = 0;
    if ((exports & X_REALLOCATE) && !reallocate)
        m |= X_REALLOCATE;
    if ((exports & X_HEAP_CHECK) && !heap_check)
        m |= X_HEAP_CHECK;
    if ((exports & X_LAYOUT) && !&memkit_layout)
        m |= X_LAYOUT;
    return m;
}

static const char *export_name(unsigned bit)
{
    return bit == X_REALLOCATE ? "reallocate"
         : bit == X_HEAP_CHECK ? "heap_check" : "memkit_layout";
}

static int applies(const struct test *t)
{
    return (!t->needs || (declared & t->needs))
        && !(declared & t->unless) && !missing(t->exports);
}

static const char *signal_name(unsigned sig)
{
    switch (sig) {
    case SIGILL:  return "SIGILL, an illegal instruction";
    case SIGTRAP: return "SIGTRAP";
    case SIGABRT: return "SIGABRT";
    case SIGBUS:  return "SIGBUS, a bad memory access";
    case SIGFPE:  return "SIGFPE, a division fault";
    case SIGKILL: return "SIGKILL";
    case SIGSEGV: return "SIGSEGV, a bad memory access";
    case SIGALRM: return "SIGALRM";
    case SIGPROF: return "SIGPROF";
    default:      return "a signal";
    }
}

static unsigned timeout = 10;           /* CPU seconds per case */
/* Once a case has timed out the allocator is known to loop: each later
 * case gets this much at most, so a looping allocator costs one timeout
 * and a second a case, not a timeout a case. The limit is CPU time
 * (sys_cpu_limit), so a correct case on a loaded machine, which waits
 * for a core rather than computing, never reaches it; a wall-clock
 * alarm of WALL_FACTOR times the limit, plus WALL_SLACK, still stops a
 * case that blocks without computing. */
#define TIMEOUT_AFTER_LOOP 1
#define WALL_FACTOR 3
#define WALL_SLACK 10
static int no_fork;                     /* --no-fork: all in this process */
static unsigned passed, failed;

/* --no-fork: the case runs here, on the heap the cases before it left;
 * a crash ends the whole program. */
static void run_here(const struct test *t)
{
    static char label[200];
    unsigned n = 0;
    const char *p;

    for (p = t->id; *p && n < 60; p++)
        label[n++] = *p;
    label[n++] = ':';
    label[n++] = ' ';
    for (p = t->name; *p && n < sizeof label - 1; p++)
        label[n++] = *p;
    label[n] = 0;
    t_run(label);
    t->fn();
    unlimit_data();
    t_end();
    if (t_failed())
        failed++;
    else
        passed++;
}

/* The line a case the child could not report for ends with. */
static void parent_fail(const struct test *t, const char *what, unsigned got,
                        unsigned expected, int line)
{
    static char w[sizeof msg];
    unsigned n = 0;
    while (what[n] && n < sizeof w - 1) {       /* what may be msg itself */
        w[n] = what[n];
        n++;
    }
    w[n] = 0;
    t_fail(say("%s: %s", t->id, w), got, expected, __FILE__, line);
    failed++;
}

/* What a child sends up its pipe when its case has run to its end: its
 * brk count and a word that says it got there. A child that exits with
 * no record did not finish its case, whatever its exit status: an
 * allocator that calls exit(0) must not read as a pass. */
#define CASE_DONE 0x454e4f44u           /* "DONE" */
struct case_end {
    unsigned brk_seen;
    unsigned done;
};

/* Runs one case in a child process. The child prints [RUN] and the
 * case's own [FAIL] or [OK], and sends its case_end up a pipe; the parent
 * reads how it ended from waitpid and reports what the child could not. */
static void run_case(const struct test *t)
{
    int fds[2], status = 0;
    long pid;
    struct case_end end = { 0, 0 };
    int finished;

    if (missing(t->exports)) {              /* it would only crash */
        unsigned bit, m = missing(t->exports);
        for (bit = 1; !(m & bit); bit <<= 1)
            ;
        t_run(t->id);
        parent_fail(t, say("the case needs %s, which the allocator does "
                           "not export", export_name(bit)), 0, 1, __LINE__);
        return;
    }
    if (no_fork) {
        run_here(t);
        return;
    }

    if (sys_pipe(fds) != 0) {
        t_run(t->id);
        parent_fail(t, "could not make a pipe", 0, 0, __LINE__);
        return;
    }
    pid = sys_fork();
    if (sys_is_error(pid)) {
        sys_close(fds[0]);
        sys_close(fds[1]);
        t_run(t->id);
        parent_fail(t, "could not fork a process for the case", -pid, 0,
                    __LINE__);
        return;
    }
    if (pid == 0) {
        sys_cpu_limit(timeout);
        sys_alarm(timeout * WALL_FACTOR + WALL_SLACK);
        reg_trouble = 0;
        brk_calls_seen = 0;             /* this case's own, sent up below */
        run_here(t);
        end.brk_seen = brk_calls_seen;
        end.done = CASE_DONE;
        sys_write(fds[1], &end, sizeof end);
        sys_exit(t_failed() ? 1 : 0);
    }
    /* waitpid is the parent's only system call while the child runs:
     * under qemu-i386 -strace the two processes' lines would interleave,
     * and the tests read the child's brk calls from that trace. */
    while (sys_waitpid(pid, &status, 0) == -4)     /* EINTR */
        ;
    sys_close(fds[1]);              /* so the read below cannot block */
    finished = sys_read(fds[0], &end, sizeof end) == sizeof end
               && end.done == CASE_DONE;
    if (finished)
        brk_calls_seen += end.brk_seen;
    sys_close(fds[0]);

    if (WIFEXITED(status) && !finished) {
        parent_fail(t, say("the process exited %u before the case finished "
                           "(the allocator ended the program: a call to "
                           "exit?)", WEXITSTATUS(status)),
                    0, 1, __LINE__);
    } else if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
        passed++;
    } else if (WIFEXITED(status) && WEXITSTATUS(status) == 1) {
        failed++;                       /* the case printed its [FAIL] */
    } else if (WIFSIGNALED(status) && WTERMSIG(status) == SIGPROF) {
        parent_fail(t, say("timed out after %u s of CPU time: an allocator "
                           "call that never returns (a loop that does not "
                           "end?)", timeout), timeout, 0, __LINE__);
        if (timeout > TIMEOUT_AFTER_LOOP)
            timeout = TIMEOUT_AFTER_LOOP;
    } else if (WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM) {
        parent_fail(t, say("timed out after %u s: a call that blocks and "
                           "never returns",
                           timeout * WALL_FACTOR + WALL_SLACK),
                    timeout, 0, __LINE__);
        if (timeout > TIMEOUT_AFTER_LOOP)
            timeout = TIMEOUT_AFTER_LOOP;
    } else if (WIFSIGNALED(status)) {
        parent_fail(t, say("crashed with signal %u (%s) inside the "
                           "allocator or on memory it returned",
                           WTERMSIG(status), signal_name(WTERMSIG(status))),
                    WTERMSIG(status), 0, __LINE__);
    } else {
        parent_fail(t, "the case's process ended with an unexpected exit "
                    "status (got)", WEXITSTATUS(status), 0, __LINE__);
    }
}

/* --list-all: " [needs PROPERTY, EXPORT...]" or " [unless PROPERTY]"
 * after a case that is not run for every allocator. */
static void put_needs(const struct test *t)
{
    const char *sep = " [needs ";
    unsigned bit;

    if (t->unless) {
        put_str(1, " [unless ");
        put_str(1, prop_name(t->unless));
        sep = ", needs ";
    }
    if (t->needs) {
        put_str(1, sep);
        put_str(1, prop_name(t->needs));
        sep = ", ";
    }
    for (bit = 1; bit <= X_LAYOUT; bit <<= 1)
        if (t->exports & bit) {
            put_str(1, sep);
            put_str(1, export_name(bit));
            sep = ", ";
        }
    if (t->needs || t->unless || t->exports)
        put_char(1, ']');
}

static void usage(void)
{
    put_str(2, "usage: alloc-test [--timeout SECONDS] [--no-fork] [ID...] | "
               "--list | --list-all | --props | --demo | --bench N\n");
}

int main(int argc, char **argv, char **envp)
{
    unsigned i;
    int j;
    (void)envp;

    argc--, argv++;
    for (;;) {
        if (argc >= 2 && strcmp(argv[0], "--timeout") == 0) {
            if (parse_uint(argv[1], &timeout) != 0 || timeout == 0) {
                usage();
                return 2;
            }
            argc -= 2, argv += 2;
        } else if (argc >= 1 && strcmp(argv[0], "--no-fork") == 0) {
            no_fork = 1;
            argc--, argv++;
        } else {
            break;
        }
    }
    if (read_props() != 0)
        return 2;
    if (heap_layout_error()) {              /* a layout the walk cannot use */
        put_str(2, "alloc-test: ");
        put_str(2, heap_layout_error());
        put_str(2, " (c-harness/layout.h describes it)\n");
        return 2;
    }
    if (argc == 1 && strcmp(argv[0], "--demo") == 0) {
        if (!heap_check || !&memkit_layout) {
            put_str(2, "alloc-test: --demo walks the heap through "
                       "memkit_layout and calls heap_check: this allocator "
                       "exports no such thing\n");
            return 2;
        }
        return demo();
    }
    if (argc == 2 && strcmp(argv[0], "--bench") == 0)
        return bench(argv[1]);
    if (argc == 1 && strcmp(argv[0], "--props") == 0) {
        for (i = 0; i < nprops; i++)
            if (declared & props[i].bit) {
                put_str(1, props[i].name);
                put_char(1, '\n');
            }
        return 0;
    }
    if (argc == 1 && (strcmp(argv[0], "--list") == 0
                      || strcmp(argv[0], "--list-all") == 0)) {
        int all = argv[0][6] == '-';
        for (i = 0; i < ntests; i++) {
            if (!all && !applies(&tests[i]))
                continue;
            put_str(1, tests[i].id);
            put_str(1, "  ");
            put_str(1, tests[i].name);
            if (all)
                put_needs(&tests[i]);
            put_char(1, '\n');
        }
        return 0;
    }
    for (j = 0; j < argc; j++) {
        for (i = 0; i < ntests && strcmp(argv[j], tests[i].id) != 0; i++)
            ;
        if (i == ntests) {
            if (argv[j][0] == '-')
                usage();
            else {
                put_str(2, "alloc-test: no case '");
                put_str(2, argv[j]);
                put_str(2, "' (alloc-test --list-all shows them)\n");
            }
            return 2;
        }
    }

    put_str(1, "declared: ");
    put_str(1, props_text());
    put_str(1, memkit_props ? "\n" : "  (no memkit_props: the book's)\n");
    if (argc) {                             /* these, in the order given */
        for (j = 0; j < argc; j++)
            for (i = 0; i < ntests; i++)
                if (strcmp(argv[j], tests[i].id) == 0)
                    run_case(&tests[i]);
    } else {
        for (i = 0; i < ntests; i++)
            if (applies(&tests[i]))
                run_case(&tests[i]);
    }
    put_str(1, "brk calls seen: ");
    put_udec(1, brk_calls_seen);
    put_str(1, no_fork ? " (1 by allocate_init, 1 per allocate that "
                         "moved the break; refused ones leave no trace)\n"
                       : " (1 by each case's allocate_init, 1 per allocate "
                         "that moved the break; refused ones leave no "
                         "trace)\n");
    put_udec(1, passed);
    put_str(1, " passed, ");
    put_udec(1, failed);
    put_str(1, " failed\n");
    return failed ? 1 : 0;
}
