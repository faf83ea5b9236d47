/* icount.c — a QEMU TCG plugin that counts the i386 instructions a
 * program executes: the kit's instruction counter. mk/plugin.mk builds
 * it, tools/icount runs it, and make bench, trace-bench, bench-seg and
 * bench-syscall count with it.
 *
 *   qemu-i386 -d plugin -plugin build/plugin/icount.so,open=0x8049000,\
 *       code=0x8049100-0x8049400 PROG ARGS...
 *
 * It is a shared object for the HOST (x86_64, aarch64), loaded by
 * qemu-user 7.2 or later (plugin API version 1). The declarations below
 * are the kit's own, written from QEMU's documented plugin API
 * (docs/devel/tcg-plugins.rst, include/qemu/qemu-plugin.h); nothing of
 * QEMU's source is needed to build it.
 *
 * Arguments (each NAME=VALUE, numbers in C syntax: 0x... or decimal):
 *   open=A         a window function whose entry is A: the window opens
 *                  when execution enters A and closes when the call it
 *                  was entered in returns (execution reaches the
 *                  instruction after that call), wherever the return
 *                  comes from: a tail call (`jmp f` at the end) is inside
 *                  the window, and A entered by a tail jump opens it
 *                  until its caller's caller gets control back, as with
 *                  callgrind's --toggle-collect. Up to MAX_WINDOWS entry
 *                  points; a window function called inside an open
 *                  window nests (a stack of return addresses). Without
 *                  any, the window is the whole run.
 *   func=A         a function whose calls are counted apart: how many
 *                  calls of A start inside the window, and the
 *                  instructions executed inside them (inclusive, as the
 *                  window: from the call to its return). Up to MAX_FUNCS.
 *   code=A-B       code of interest: [A, B). The "code" count is the
 *                  instructions inside the window whose address lies in
 *                  one of these ranges (e.g. the allocator's functions).
 *                  Up to MAX_RANGES.
 *
 * At exit it writes, through qemu_plugin_outs (qemu's log, stderr unless
 * -D FILE), lines the wrapper parses:
 *   icount: window N        instructions executed inside the window
 *   icount: code N          of those, the ones in the code ranges
 *   icount: opened N        how many times the window was entered
 *   icount: depth N         the window's depth at exit (0 if it closed)
 *   icount: func I C N      function I (the I-th func=, from 0): C calls,
 *                           N instructions inside them
 *   icount: jumped N        entries outside any call (only _start's code
 *                           can do that: such a window cannot know where
 *                           it ends, and is not opened; the wrapper
 *                           refuses the count)
 * and "icount: error ..." for a bad argument (qemu then refuses to load
 * the plugin and exits, which the wrapper reports).
 *
 * How the counting stays exact. At translation, each translation block
 * (TB) gets a record: its instruction count, how many of them lie in the
 * code ranges, whether it begins at a window entry and, when its last
 * instruction is a call, the address that call returns to. At execution
 * one callback per TB applies the record and keeps a shadow call stack:
 * a call pushes its return address, reaching the address on top pops it. This is exact because on x86
 * QEMU ends a TB at every call, jump, ret and `int`: a called function's
 * entry and a call's return address always start a TB, and a TB that
 * starts runs to its end (a fault inside it kills the program, which the
 * wrapper reports).
 *
 * `rep` string instructions: QEMU translates `rep movs` and friends as
 * one iteration followed by a jump back to the same instruction, which
 * starts a new TB holding just that instruction. So each iteration runs
 * a TB and is counted once, as callgrind counts it (tests/icount.bats
 * checks the number on a known loop).
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------- the plugin API (v1)
 * Only what this plugin calls, as QEMU documents it. The handles are
 * opaque; qemu_info_t is only passed through.
 */
typedef uint64_t qemu_plugin_id_t;
struct qemu_plugin_tb;
struct qemu_plugin_insn;
typedef struct qemu_info_t qemu_info_t;

enum qemu_plugin_cb_flags {
    QEMU_PLUGIN_CB_NO_REGS,             /* the callback reads no register */
    QEMU_PLUGIN_CB_R_REGS,
    QEMU_PLUGIN_CB_RW_REGS,
};

typedef void (*qemu_plugin_udata_cb_t)(qemu_plugin_id_t id, void *udata);
typedef void (*qemu_plugin_vcpu_udata_cb_t)(unsigned int vcpu, void *udata);
typedef void (*qemu_plugin_vcpu_tb_trans_cb_t)(qemu_plugin_id_t id,
                                               struct qemu_plugin_tb *tb);

void qemu_plugin_register_vcpu_tb_trans_cb(qemu_plugin_id_t id,
                                           qemu_plugin_vcpu_tb_trans_cb_t cb);
void qemu_plugin_register_vcpu_tb_exec_cb(struct qemu_plugin_tb *tb,
                                          qemu_plugin_vcpu_udata_cb_t cb,
                                          enum qemu_plugin_cb_flags flags,
                                          void *udata);
void qemu_plugin_register_atexit_cb(qemu_plugin_id_t id,
                                    qemu_plugin_udata_cb_t cb, void *udata);
size_t qemu_plugin_tb_n_insns(const struct qemu_plugin_tb *tb);
struct qemu_plugin_insn *qemu_plugin_tb_get_insn(const struct qemu_plugin_tb *tb,
                                                 size_t idx);
uint64_t qemu_plugin_insn_vaddr(const struct qemu_plugin_insn *insn);
const void *qemu_plugin_insn_data(const struct qemu_plugin_insn *insn);
size_t qemu_plugin_insn_size(const struct qemu_plugin_insn *insn);
void qemu_plugin_outs(const char *string);

#define EXPORT __attribute__((visibility("default")))

/* QEMU refuses a plugin without this symbol, or with a version it does
 * not implement: 1 is the API of QEMU 4.2 to 8.x. */
EXPORT int qemu_plugin_version = 1;

/* ------------------------------------------------------------ state */
#define MAX_WINDOWS 16
#define MAX_RANGES  64
#define MAX_FUNCS   16

struct range {
    uint64_t lo, hi;                    /* [lo, hi) */
};

static uint64_t windows[MAX_WINDOWS];       /* window entry points */
static int n_windows;
static struct range code[MAX_RANGES];       /* code of interest */
static int n_code;
static uint64_t funcs[MAX_FUNCS];           /* functions counted apart */
static int n_funcs;
static uint64_t func_calls[MAX_FUNCS];
static uint64_t func_count[MAX_FUNCS];
static uint64_t func_active[MAX_FUNCS];     /* its calls now running */

/* What one TB does when it runs: worked out once, at translation. */
struct tb_info {
    uint32_t n;                         /* instructions in the TB */
    uint32_t n_code;                    /* of them, in a code range */
    uint64_t start;                     /* its first instruction's address */
    uint64_t call_ret;                  /* ends with a call: where it returns */
    bool opens;                         /* begins at a window entry */
    int func;                           /* begins at funcs[func], or -1 */
};

/* Counters. The kit's programs are single-threaded (one vCPU), so plain
 * variables are enough; qemu-user runs TBs of one thread at a time. */
static uint64_t count_window;
static uint64_t count_code;
static uint64_t n_opened;
static uint64_t n_jumped;

/* The open windows: the return address of each call that opened one.
 * The window is open while depth > 0. */
#define MAX_DEPTH 4096
static uint64_t ret_stack[MAX_DEPTH];
static uint64_t depth;

/* The calls of funcs now running: return address and func index. */
static uint64_t fret_stack[MAX_DEPTH];
static int fid_stack[MAX_DEPTH];
static uint64_t fdepth;
static bool whole_run;                  /* no window function: count all */
static bool overflow;

/* The shadow call stack: the return address of every call still
 * running. Calls nested deeper than MAX_CALLS are an error. */
#define MAX_CALLS (1 << 16)
static uint64_t calls[MAX_CALLS];
static uint64_t ncalls;

static bool in_ranges(const struct range *r, int n, uint64_t a)
{
    int i;

    for (i = 0; i < n; i++)
        if (a >= r[i].lo && a < r[i].hi)
            return true;
    return false;
}

/* is_call — a near call: `call rel32` (E8) or `call *r/m` (FF /2),
 * after any prefixes (glibc's `call *%gs:0x10` has a segment prefix). */
static bool is_call(struct qemu_plugin_insn *insn)
{
    const uint8_t *b = qemu_plugin_insn_data(insn);
    size_t n = qemu_plugin_insn_size(insn), i = 0;

    while (i < n && (b[i] == 0x26 || b[i] == 0x2e || b[i] == 0x36 ||
                     b[i] == 0x3e || b[i] == 0x64 || b[i] == 0x65 ||
                     b[i] == 0x66 || b[i] == 0x67 || b[i] == 0xf2 ||
                     b[i] == 0xf3))
        i++;
    if (i < n && b[i] == 0xe8)
        return true;
    return i + 1 < n && b[i] == 0xff && ((b[i + 1] >> 3) & 7) == 2;
}

/* ---------------------------------------------------------- callbacks */
static void tb_exec(unsigned int vcpu, void *udata)
{
    const struct tb_info *t = udata;

    (void)vcpu;
    /* Back at the return address of the innermost open window's call:
     * that call has returned, and this TB is outside it. */
    while (ncalls > 0 && t->start == calls[ncalls - 1])
        ncalls--;
    while (depth > 0 && t->start == ret_stack[depth - 1])
        depth--;
    while (fdepth > 0 && t->start == fret_stack[fdepth - 1])
        func_active[fid_stack[--fdepth]]--;
    /* Entered by a call, calls[ncalls - 1] is that call's return; by a
     * tail jump, the return of the call it jumped from: either way where
     * this function's work ends. A jump back to the entry from inside
     * the function (a loop whose head is the first instruction) finds
     * that frame already open and opens nothing. */
    if (t->opens && !(depth > 0 && ncalls > 0 &&
                      ret_stack[depth - 1] == calls[ncalls - 1])) {
        if (ncalls == 0) {
            n_jumped++;
        } else if (depth == MAX_DEPTH) {
            overflow = true;
        } else {
            ret_stack[depth++] = calls[ncalls - 1];
            n_opened++;
        }
    }
    if (t->func >= 0 && ncalls > 0 && (depth > 0 || whole_run) &&
        !(fdepth > 0 && fid_stack[fdepth - 1] == t->func &&
          fret_stack[fdepth - 1] == calls[ncalls - 1])) {
        if (fdepth == MAX_DEPTH) {
            overflow = true;
        } else {
            fret_stack[fdepth] = calls[ncalls - 1];
            fid_stack[fdepth++] = t->func;
            func_active[t->func]++;
            func_calls[t->func]++;
        }
    }
    if (depth > 0 || whole_run) {
        int f;

        count_window += t->n;
        count_code += t->n_code;
        for (f = 0; f < n_funcs; f++)
            if (func_active[f] > 0)
                func_count[f] += t->n;
    }
    if (t->call_ret) {
        if (ncalls == MAX_CALLS)
            overflow = true;
        else
            calls[ncalls++] = t->call_ret;
    }
}

static void tb_trans(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
    size_t i, n = qemu_plugin_tb_n_insns(tb);
    struct tb_info *t;
    struct qemu_plugin_insn *insn;
    uint64_t a;

    (void)id;
    if (n == 0)
        return;
    /* One record per translation, never freed: a program translates a
     * bounded amount of code, and QEMU may still run an old TB. */
    t = calloc(1, sizeof *t);
    if (!t) {
        qemu_plugin_outs("icount: error: out of memory\n");
        abort();
    }
    t->n = n;
    for (i = 0; i < n; i++) {
        insn = qemu_plugin_tb_get_insn(tb, i);
        a = qemu_plugin_insn_vaddr(insn);
        if (in_ranges(code, n_code, a))
            t->n_code++;
        if (i == 0) {
            int w;
            t->start = a;
            t->func = -1;
            for (w = 0; w < n_funcs; w++)
                if (a == funcs[w])
                    t->func = w;
            for (w = 0; w < n_windows; w++)
                if (a == windows[w])
                    t->opens = true;
        }
        if (i == n - 1 && is_call(insn))
            t->call_ret = a + qemu_plugin_insn_size(insn);
    }
    qemu_plugin_register_vcpu_tb_exec_cb(tb, tb_exec, QEMU_PLUGIN_CB_NO_REGS, t);
}

static void at_exit(qemu_plugin_id_t id, void *udata)
{
    char line[300];
    int f;

    (void)id;
    (void)udata;
    for (f = 0; f < n_funcs; f++) {
        snprintf(line, sizeof line,
                 "icount: func %d %" PRIu64 " %" PRIu64 "\n",
                 f, func_calls[f], func_count[f]);
        qemu_plugin_outs(line);
    }
    snprintf(line, sizeof line,
             "icount: window %" PRIu64 "\n"
             "icount: code %" PRIu64 "\n"
             "icount: opened %" PRIu64 "\n"
             "icount: depth %" PRIu64 "\n"
             "icount: jumped %" PRIu64 "\n"
             "%s",
             count_window, count_code, n_opened, depth, n_jumped,
             overflow ? "icount: error: calls nested deeper than the plugin follows\n" : "");
    qemu_plugin_outs(line);
}

/* ---------------------------------------------------------- arguments */
static int bad(const char *arg, const char *why)
{
    char line[300];

    snprintf(line, sizeof line, "icount: error: argument '%s': %s\n", arg, why);
    qemu_plugin_outs(line);
    return -1;
}

/* number — parse all of S as an unsigned number; false if it is not one. */
static bool number(const char *s, char **end, uint64_t *v)
{
    if (*s < '0' || *s > '9')
        return false;
    *v = strtoull(s, end, 0);
    return true;
}

EXPORT int qemu_plugin_install(qemu_plugin_id_t id, const qemu_info_t *info,
                               int argc, char **argv)
{
    int i;
    char *e;
    uint64_t v, w;

    (void)info;
    for (i = 0; i < argc; i++) {
        const char *a = argv[i];

        if (!strncmp(a, "open=", 5)) {
            if (n_windows == MAX_WINDOWS)
                return bad(a, "too many windows");
            if (!number(a + 5, &e, &v) || *e)
                return bad(a, "not a number");
            windows[n_windows++] = v;
        } else if (!strncmp(a, "func=", 5)) {
            if (n_funcs == MAX_FUNCS)
                return bad(a, "too many functions");
            if (!number(a + 5, &e, &v) || *e)
                return bad(a, "not a number");
            funcs[n_funcs++] = v;
        } else if (!strncmp(a, "code=", 5)) {
            if (n_code == MAX_RANGES)
                return bad(a, "too many code ranges");
            if (!number(a + 5, &e, &v) || *e != '-' ||
                !number(e + 1, &e, &w) || *e || w <= v)
                return bad(a, "not a range LO-HI with LO < HI");
            code[n_code].lo = v;
            code[n_code++].hi = w;
        } else {
            return bad(a, "unknown (open=, func=, code=)");
        }
    }
    whole_run = n_windows == 0;
    qemu_plugin_register_vcpu_tb_trans_cb(id, tb_trans);
    qemu_plugin_register_atexit_cb(id, at_exit, NULL);
    return 0;
}
