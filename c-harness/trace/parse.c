/* parse.c — reads a trace in the malloc-lab text format (parse.h): the
 * four header lines, then one operation a line, every one checked before
 * the trace is run, every error naming its file and line.
 */
#include "rt.h"
#include "trace/out.h"
#include "trace/parse.h"

static char text[MAX_FILE + 1];
const char op_char[] = "?afr";
struct op ops[MAX_OPS];
unsigned n_ops, n_ids;
unsigned trace_peak;
const char *trace_name;

/* Parse state for the error messages. */
static const char *pp;
static unsigned pline;

/* FILE:LINE: why, with % in why replaced by a and # by b. */
static int bad2(const char *why, unsigned a, unsigned b)
{
    oflush();
    put_str(2, trace_name);
    put_char(2, ':');
    put_udec(2, pline);
    put_str(2, ": ");
    for (; *why; why++) {
        if (*why == '%')
            put_udec(2, a);
        else if (*why == '#')
            put_udec(2, b);
        else
            put_char(2, *why);
    }
    put_char(2, '\n');
    return -1;
}

static int bad(const char *why, unsigned a)
{
    return bad2(why, a, 0);
}

static void skip_blanks(void)
{
    while (*pp == ' ' || *pp == '\t')
        pp++;
}

static int at_eol(void)
{
    skip_blanks();
    if (*pp == '\r')
        pp++;
    return *pp == '\n' || *pp == 0;
}

/* A decimal number below 2^31; 0 when it parsed. */
static int number(unsigned *out)
{
    unsigned v = 0;
    skip_blanks();
    if (*pp < '0' || *pp > '9')
        return -1;
    for (; *pp >= '0' && *pp <= '9'; pp++) {
        if (v > (0x7fffffffu - (*pp - '0')) / 10)
            return -1;
        v = v * 10 + (*pp - '0');
    }
    *out = v;
    if (*pp != ' ' && *pp != '\t' && *pp != '\r' && *pp != '\n' && *pp)
        return -1;
    return 0;
}

static void next_line(void)
{
    while (*pp && *pp != '\n')
        pp++;
    if (*pp == '\n')
        pp++;
    pline++;
}

static int read_file(const char *path, unsigned *len)
{
    long fd = sys_open(path, O_RDONLY, 0), r;
    unsigned n = 0;

    if (sys_is_error(fd)) {
        pline = 0;
        oflush();
        put_str(2, path);
        put_str(2, ": cannot open (errno ");
        put_udec(2, -fd);
        put_str(2, ")\n");
        return -1;
    }
    while ((r = sys_read(fd, text + n, MAX_FILE - n)) > 0)
        n += r;
    sys_close(fd);
    if (sys_is_error(r) || n == MAX_FILE) {
        put_str(2, path);
        put_str(2, sys_is_error(r) ? ": read error\n"
                                   : ": larger than the driver's 8 MiB\n");
        return -1;
    }
    text[n] = 0;
    *len = n;
    return 0;
}

/* live sizes while parsing, to reject frees of dead ids and find the peak */
static unsigned psize[MAX_IDS];
static unsigned char plive[MAX_IDS];

void os_op(const struct op *o)
{
    oc(op_char[o->kind]);
    oc(' ');
    ou(o->id);
    if (o->kind != OP_F) {
        oc(' ');
        ou(o->size);
    }
}

int parse(const char *path)
{
    unsigned len, h[4], i, live = 0;

    trace_name = path;
    if (read_file(path, &len))
        return -1;
    for (i = 0; i < len; i++)
        if (text[i] == 0) {
            pline = 1;
            for (unsigned j = 0; j < i; j++)
                pline += text[j] == '\n';
            return bad("NUL byte: not a text trace", 0);
        }
    pp = text;
    pline = 1;
    for (i = 0; i < 4; i++, next_line()) {
        if (!*pp)
            return bad("file ends inside the 4-line header", 0);
        if (number(&h[i]) || !at_eol())
            return bad(i == 0 ? "header line 1 (suggested heap size) is not"
                              " a number"
                       : i == 1 ? "header line 2 (number of ids) is not a "
                                  "number"
                       : i == 2 ? "header line 3 (number of operations) is "
                                  "not a number"
                                : "header line 4 (weight) is not a number",
                       0);
    }
    n_ids = h[1];
    n_ops = h[2];
    if (n_ids > MAX_IDS) {
        pline = 2;
        return bad("% ids: more than the driver holds", n_ids);
    }
    if (n_ops > MAX_OPS) {
        pline = 3;
        return bad("% operations: more than the driver holds", n_ops);
    }
    for (i = 0; i < n_ids; i++)
        plive[i] = 0;
    trace_peak = 0;
    for (i = 0; *pp; next_line()) {
        struct op o;
        char c;

        skip_blanks();
        if (*pp == '\n' || (*pp == '\r' && pp[1] == '\n'))
            return bad("empty line", 0);
        if (i == n_ops)
            return bad2("operation % but the header says # operations",
                        n_ops + 1, n_ops);
        c = *pp++;
        if (c != 'a' && c != 'f' && c != 'r')
            return bad("unknown operation (not a, f or r)", 0);
        o.kind = c == 'a' ? OP_A : c == 'f' ? OP_F : OP_R;
        o.line = pline;
        if (*pp != ' ' && *pp != '\t')
            return bad("unknown operation (not a, f or r)", 0);
        {
            unsigned id = 0;
            if (number(&id))
                return bad("id is not a number", 0);
            if (id >= n_ids)
                return bad2("id % out of range: the header says # ids", id, n_ids);
            o.id = id;
        }
        o.size = 0;
        if (o.kind != OP_F && number(&o.size))
            return bad("size is not a number below 2^31", 0);
        if (!at_eol())
            return bad(o.kind == OP_F ? "extra text after f ID"
                                      : "extra text after the size", 0);
        switch (o.kind) {
        case OP_A:
            if (plive[o.id])
                return bad("a % while id % is still allocated", o.id);
            plive[o.id] = 1;
            psize[o.id] = o.size;
            live += o.size;
            break;
        case OP_F:
            if (!plive[o.id])
                return bad("f % but id % is not allocated (never, or "
                           "freed already)", o.id);
            plive[o.id] = 0;
            live -= psize[o.id];
            break;
        case OP_R:
            if (!plive[o.id])
                return bad("r % but id % is not allocated", o.id);
            live = live - psize[o.id] + o.size;
            psize[o.id] = o.size;
            break;
        }
        if (live > trace_peak)
            trace_peak = live;
        ops[i++] = o;
    }
    if (i < n_ops) {
        if (len && text[len - 1] != '\n')
            pline--;
        return bad2("file ends after % of # operations (truncated?)",
                    i, n_ops);
    }
    if (len && text[len - 1] != '\n') {
        pline--;
        return bad("last line has no newline (truncated?)", 0);
    }
    return 0;
}
