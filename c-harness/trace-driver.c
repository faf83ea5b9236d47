/* trace-driver.c — replay allocation traces against the linked allocator
 * and check every operation (docs/lab.md).
 *
 *   trace-driver [--svg FILE] [--dump] [--rows N] [--full] [--label TEXT]
 *                [--axis BYTES] [--timeout SECONDS] TRACE...
 *
 * --svg FILE draws the heap over the trace (docs/lab.md); --axis BYTES
 * makes its address axis at least that long, to compare two allocators
 * at one scale; --dump prints the same rows as text. FILE is replaced
 * only by a complete picture (asm/out-file.s): a failed write (a full
 * disk, `ulimit -f`) keeps the old FILE and exits 2.
 *   trace-driver --no-fork TRACE     one trace in this process: for a
 *                                    gdb or callgrind session
 *   trace-driver --bench TRACE       the trace's calls alone, in
 *                                    bench_replay(), no checks: what
 *                                    make bench counts with callgrind
 *   trace-driver --footprint TRACE   the trace's calls, every payload
 *                                    written in full, no checks: the
 *                                    peak of the pages the process
 *                                    holds (c-harness/footprint.h)
 *
 * A trace is the malloc-lab text format: four header lines (suggested
 * heap size, number of ids, number of operations, weight; the first and
 * the last are read but unused), then one operation per line:
 *
 *   a ID SIZE    allocate SIZE bytes for ID
 *   f ID         deallocate ID
 *   r ID SIZE    reallocate ID to SIZE bytes
 *
 * Every trace is parsed first; a bad one gets `FILE:LINE: reason` and is
 * not run. Each good trace runs in a child process of its own (fork), so
 * an allocator that crashes or loops fails that trace only. After every
 * operation the child checks, and stops at the first failure:
 *
 *   - the result is not 0, is 8-byte aligned (or, for a C library's
 *     malloc that exports memkit_align_c, as C promises: 4 for a 4-byte
 *     request), and its payload lies inside [heap_begin, current_break)
 *     as they are after the call (unless the allocator exports
 *     memkit_heap_anywhere: a malloc that takes memory with mmap as well,
 *     c-harness/glibc-shim.c; a payload outside is then counted, and the
 *     break says nothing of its heap: its utilization is "-");
 *   - the payload overlaps no live payload (a sorted array of the live
 *     payloads, binary search: the block before and the block after the
 *     new one are the only ones that can touch it);
 *   - the bytes of the payload it returned, and of the live payloads next
 *     to it in address order, still hold the pattern their ids wrote; a
 *     reallocated block keeps its old bytes;
 *   - heap_check(), when the allocator exports one, returns 0.
 *
 * Every live payload is verified in full every FULL_EVERY operations and
 * after the last one. FULL_EVERY is 1 (after every operation) unless the
 * trace is big: it is chosen so that the whole replay verifies at most
 * VERIFY_BUDGET bytes. When a full verification finds damage that the
 * last one (after operation m) did not, the trace is replayed again in a
 * fresh child with full verification after every operation from m on, so
 * the failure names the first operation after which the damage can be
 * seen (the allocator is deterministic: same calls, same heap). --full
 * verifies everything after every operation from the start.
 *
 * Exit status: 0 every trace passed, 1 an allocator failed a trace,
 * 2 bad usage, a bad trace file (the other traces still run), or a
 * picture that could not be written.
 */
#include "rt.h"
#include "trace/out.h"
#include "trace/parse.h"
#include "trace/check.h"
#include "trace/replay.h"
#include "trace/svg.h"

#define VERIFY_BUDGET (1u << 26)    /* bytes verified by sampled checks */

/* ------------------------------------------------------------ main */

struct summary {
    const char *name;
    struct result r;
    int outcome;                /* 0 ok, 1 failed, 2 bad input */
};

static struct summary sums[256];

static const char *base(const char *p)
{
    const char *b = p;
    for (; *p; p++)
        if (*p == '/')
            b = p + 1;
    return b;
}

/* Runs the parsed trace in a child; returns its result. */
static int run_child(struct result *out, unsigned from, int dump)
{
    int fds[2], st = 0;
    long pid, n;

    oflush();
    if (sys_is_error(sys_pipe(fds)))
        return -1;
    pid = sys_fork();
    if (sys_is_error(pid))
        return -1;
    if (pid == 0) {
        sys_close(fds[0]);
        result_fd = fds[1];
        full_from = from;
        if (from)
            full_every = 1;
        dump_wanted = dump;
        checked_replay();
    }
    sys_close(fds[1]);
    memset(out, 0, sizeof *out);
    n = sys_read(fds[0], out, sizeof *out);
    sys_waitpid(pid, &st, 0);
    sys_close(fds[0]);
    if (n != sizeof *out) {
        out->status = 1;
        os("[FAIL] ");
        os(trace_name);
        if (st & 0x7f) {
            os(": killed by signal ");
            ou(st & 0x7f);
            os(" before it could say which operation\n");
        } else {
            os(": the process exited ");
            ou((st >> 8) & 0xff);
            os(" before the case finished (the allocator ended the "
               "program: a call to exit?)\n");
        }
    }
    return 0;
}

static void usage(void)
{
    put_str(2, "usage: trace-driver [--svg FILE] [--dump] [--rows N] "
               "[--full] [--label TEXT] [--axis BYTES] [--timeout S] "
               "TRACE...\n"
               "       trace-driver --no-fork TRACE\n"
               "       trace-driver --bench TRACE\n"
               "       trace-driver --footprint TRACE\n");
    sys_exit(2);
}

/* What the options ask of every trace. */
static int full, dump, nofork;
static unsigned max_rows = 40;

/* Parses and runs one trace (a child, and a second one with full checks
 * when damage showed between two sampled checks), saying [RUN] and, for a
 * trace that passed, [OK]; its result and outcome go to *s. */
static void run_trace(struct summary *s, const char *path)
{
    s->name = path;
    os("[RUN]  ");
    os(path);
    oc('\n');
    if (parse(path)) {
        s->outcome = 2;
        os("[FAIL] ");
        os(path);
        os(": bad trace file (see the error above)\n");
        return;
    }
    trace_name = path;
    {
        unsigned long long work = (unsigned long long)n_ops * trace_peak;
        full_every = full ? 1 : div64(work, VERIFY_BUDGET) + 1;
    }
    row_every = n_ops / (max_rows - 1) + 1;
    if (nofork) {
        /* The replay exits with its status; nothing comes back. */
        result_fd = -1;
        dump_wanted = dump;
        checked_replay();
    }
    run_child(&s->r, 0, dump);
    if (s->r.status == 3) {
        unsigned from = s->r.window_from, to = s->r.window_to;
        os("       damage found after op ");
        ou(to);
        os(", not after op ");
        ou(from);
        os(": replaying with full checks from op ");
        ou(from + 1);
        oc('\n');
        run_child(&s->r, from, dump);
        if (s->r.status == 0 || s->r.status == 3) {
            os("[FAIL] ");
            os(trace_name);
            os(": live bytes changed between op ");
            ou(from + 1);
            os(" and op ");
            ou(to);
            os(" (the replay did not repeat it: not deterministic)\n");
            s->r.status = 1;
        }
    }
    if (s->r.status) {
        s->outcome = 1;
        return;
    }
    say_ok(&s->r);
}

/* The table after the traces: one line each, the mean utilization, and
 * `N passed, N failed`. */
static void print_summary(unsigned n_sums)
{
    unsigned i, mean_sum = 0, mean_n = 0;
    os("\ntrace                             ops     peak     heap    util"
       "  brk\n");
    for (i = 0; i < n_sums; i++) {
        const struct summary *s = &sums[i];
        const char *b = base(s->name);
        unsigned k;
        os(b);
        for (k = strlen(b); k < 28; k++)
            oc(' ');
        if (s->outcome) {
            os(s->outcome == 2 ? "   bad trace file\n" : "   FAILED\n");
            continue;
        }
        for (k = 0; k < 3; k++) {
            unsigned v = k == 0 ? s->r.ops : k == 1 ? s->r.peak : s->r.high;
            char b2[12], *p = b2 + sizeof b2;
            *--p = 0;
            do
                *--p = '0' + v % 10;
            while (v /= 10);
            for (unsigned w = strlen(p); w < 9; w++)
                oc(' ');
            os(p);
        }
        if (s->r.outside) {
            os("       -");             /* payloads outside the heap */
        } else {
            unsigned t = tenths_pct(s->r.peak, s->r.high);
            os(t < 100 ? "    " : t < 1000 ? "   " : "  ");
            o_tenths(t);
            os("%");
            mean_sum += t;
            mean_n++;
        }
        os("  ");
        ou(s->r.brks);
        oc('\n');
    }
    if (mean_n) {
        os("mean utilization over ");
        ou(mean_n);
        os(mean_n == 1 ? " trace: " : " traces: ");
        o_tenths((mean_sum + mean_n / 2) / mean_n);
        os("%\n");
    }
    {
        unsigned ok = 0, bad_n = 0;
        for (i = 0; i < n_sums; i++) {
            if (sums[i].outcome == 0)
                ok++;
            else
                bad_n++;
        }
        ou(ok);
        os(" passed, ");
        ou(bad_n);
        os(" failed\n");
    }
}

int main(int argc, char **argv)
{
    int i, first = 1, status = 0, bench_only = 0, foot_only = 0;
    int svg_status = 0;

    for (; first < argc && argv[first][0] == '-'; first++) {
        const char *a = argv[first];
        if (!strcmp(a, "--svg") && first + 1 < argc)
            svg_path = argv[++first];
        else if (!strcmp(a, "--dump"))
            dump = 1;
        else if (!strcmp(a, "--full"))
            full = 1;
        else if (!strcmp(a, "--timeout") && first + 1 < argc) {
            if (parse_uint(argv[++first], &time_limit) || !time_limit)
                usage();
        } else if (!strcmp(a, "--no-fork"))
            nofork = 1;
        else if (!strcmp(a, "--bench"))
            bench_only = 1;
        else if (!strcmp(a, "--footprint"))
            foot_only = 1;
        else if (!strcmp(a, "--axis") && first + 1 < argc) {
            if (parse_uint(argv[++first], &axis_min))
                usage();
        } else if (!strcmp(a, "--label") && first + 1 < argc)
            axis_label = argv[++first];
        else if (!strcmp(a, "--rows") && first + 1 < argc) {
            if (parse_uint(argv[++first], &max_rows) || max_rows < 2 ||
                max_rows > MAX_ROWS)
                usage();
        } else
            usage();
    }
    if (first == argc || argc - first > 256)
        usage();
    if ((svg_path || dump || nofork || bench_only || foot_only) &&
        argc - first != 1) {
        put_str(2, "trace-driver: --svg, --dump, --no-fork, --bench and "
                   "--footprint take one trace\n");
        return 2;
    }
    if (bench_only || foot_only) {
        trace_name = argv[first];
        if (parse(argv[first]))
            return 2;
        return bench_only ? bench_trace() : footprint_trace();
    }
    if (svg_path || dump)
        want_rows = 1;

    for (i = first; i < argc; i++) {
        struct summary *s = &sums[i - first];
        run_trace(s, argv[i]);
        if (s->outcome == 2)
            status = 2;
        else if (s->outcome == 1 && !status)
            status = 1;
        if (s->r.svg_err)
            svg_status = 2;     /* the picture asked for is not there */
    }
    print_summary(argc - first);
    oflush();
    return svg_status ? svg_status : status;
}
