/* svg.c — the heap over a trace as a picture (svg.h): one row per step,
 * each block of the walk a rectangle on an address axis from the initial
 * break to the high-water mark, the bytes asked for, the slack, headers
 * and footers, free blocks, the break and a failed check each in a colour
 * of their own; and the same rows as text for --dump.
 */
#include "rt.h"
#include "trace/out.h"
#include "trace/parse.h"
#include "trace/check.h"
#include "trace/svg.h"

/* The picture is written as the Records programs write their output
 * (asm/out-file.s, linked in): a new file made with O_EXCL beside FILE,
 * renamed over it only when every byte is written and closed; a
 * non-regular FILE (/dev/null, a pipe) written in place; a read-only
 * FILE refused; SIGTERM removes the new file. errno_text (errno-text.s)
 * gives the reason. */
long output_open(const char *path);     /* fd, or -errno */
long output_commit(long fd);            /* 0, or -errno */
void output_discard(void);
const char *output_name(void);          /* the file (not) created */
const char *errno_text(long err);

/* --------------------------------------------------------- picture */

#define X0      250             /* left edge of the address axis */
#define AXIS    900             /* its width in pixels */
#define ROW_H   16
#define TOP     78

const char *svg_path;
const char *axis_label = "allocator";
unsigned axis_min;                      /* --axis: draw at least this far */
static unsigned axis_end;

static void num_px(unsigned long long v)    /* tenths of a pixel as "12.3" */
{
    ou((unsigned)v / 10);
    oc('.');
    ou((unsigned)v % 10);
}

static unsigned long long px(unsigned off)      /* offset -> tenths of px */
{
    return (unsigned long long)X0 * 10 +
           div64((unsigned long long)off * AXIS * 10, axis_end ? axis_end : 1);
}

static void rect(unsigned long long x, unsigned long long w, unsigned y,
                 unsigned h, const char *cls)
{
    os("<rect class=\"");
    os(cls);
    os("\" x=\"");
    num_px(x);
    os("\" y=\"");
    ou(y);
    os("\" width=\"");
    num_px(w);
    os("\" height=\"");
    ou(h);
    os("\"");
}

static void xml_text(const char *s)
{
    for (; *s; s++) {
        if (*s == '<')
            os("&lt;");
        else if (*s == '>')
            os("&gt;");
        else if (*s == '&')
            os("&amp;");
        else if (*s == '"')
            os("&quot;");
        else if ((unsigned char)*s >= 32 && (unsigned char)*s < 127)
            oc(*s);
    }
}

static void draw_row(unsigned r_i, unsigned y)
{
    const struct row *r = &rows[r_i];
    unsigned c;

    if (r->fail || r->bad)
        rect(0, (X0 + AXIS + 150) * 10, y - 2, ROW_H, "failrow"), os("/>\n");
    os("<text class=\"op");
    if (r->fail)
        os(" failed");
    os("\" x=\"8\" y=\"");
    ou(y + 10);
    os("\">");
    if (r->op == 0) {
        os("allocate_init");
    } else {
        const struct op *o = &ops[r->op - 1];
        ou(r->op);
        os(": ");
        os_op(o);
    }
    if (r->fail) {
        os(" FAILED: ");
        xml_text(r->fail);
    }
    os("</text>\n");
    for (c = r->cell0; c < r->cell0 + r->cells; c++) {
        const struct cell *b = &cell[c];
        unsigned long long x = px(b->off), xe = px(b->off + b->size);
        unsigned long long xh = px(b->off + b->header);
        unsigned long long xf = px(b->off + b->size - b->footer);
        os("<g data-row=\"");
        ou(r_i);
        os("\" data-off=\"");
        ou(b->off);
        os("\" data-size=\"");
        ou(b->size);
        os("\" data-state=\"");
        os(b->free ? "free" : "used");
        os("\">");
        rect(x, xh - x, y, ROW_H - 4, "hdr");
        os("/>");
        {
            /* A used block's payload: the bytes its id asked for, then
             * the rest (rounding, or a bigger free block reused whole)
             * in a lighter blue: internal fragmentation. */
            unsigned pay = b->size - b->header - b->footer, req = pay;
            unsigned long long xr;
            if (!b->free && b->id != NO_ID && b->req < pay)
                req = b->req;
            xr = px(b->off + b->header + req);
            rect(xh, xr - xh, y, ROW_H - 4, b->free ? "free" : "used");
            os("><title>+");
            ou(b->off);
            os(": ");
            if (b->free) {
                ou(pay);
                os(" bytes free");
            } else {
                if (b->id != NO_ID) {
                    os("id ");
                    ou(b->id);
                    os(", ");
                    ou(req);
                    os(" of ");
                }
                ou(pay);
                os(" bytes used");
            }
            os("</title></rect>");
            if (req < pay)
                rect(xr, xf - xr, y, ROW_H - 4, "slack"), os("/>");
        }
        if (b->footer)
            rect(xf, xe - xf, y, ROW_H - 4, "hdr"), os("/>");
        os("</g>\n");
    }
    if (r->bad) {
        rect(px(r->bad_at), px(r->brk) - px(r->bad_at), y, ROW_H - 4,
             "corrupt");
        os("><title>");
        xml_text(r->bad);
        os("</title></rect>\n");
    }
    rect(px(r->brk), 20, y - 2, ROW_H, "brk");
    os("/>\n<text class=\"util\" x=\"");
    ou(X0 + AXIS + 8);
    os("\" y=\"");
    ou(y + 10);
    os("\">");
    if (r->high) {
        o_tenths(tenths_pct(r->peak, r->high));
        os("%");
    } else {
        os("-");
    }
    os("</text>\n");
}

/* say why FILE (the picture, or its temporary name) was not written;
 * returns err, which the result tells the parent, which exits non-zero. */
static long svg_failed(const char *file, long err)
{
    put_str(2, "trace-driver: cannot write the picture ");
    put_str(2, file);
    put_str(2, ": ");
    put_str(2, errno_text(err));
    put_str(2, " (the old file, if any, is kept)\n");
    return err;
}

long write_svg(unsigned high)
{
    unsigned i, y, h;
    long fd, r;

    oflush();
    fd = output_open(svg_path);
    if (sys_is_error(fd)) {
        return svg_failed(output_name(), fd);
    }
    ofd = fd;
    oerr = 0;
    axis_end = high > axis_min ? high : axis_min;
    for (i = 0; i < n_rows; i++)
        if (rows[i].brk > axis_end)
            axis_end = rows[i].brk;
    h = TOP + n_rows * ROW_H + 40;
    os("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
       "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"");
    ou(X0 + AXIS + 200);
    os("\" height=\"");
    ou(h);
    os("\" viewBox=\"0 0 ");
    ou(X0 + AXIS + 200);
    oc(' ');
    ou(h);
    os("\" font-family=\"monospace\" font-size=\"11\">\n"
       "<style>\n"
       ".used{fill:#3b7dd8}.slack{fill:#a8c3ec}.free{fill:#c9e7c0}"
       ".hdr{fill:#555}"
       ".brk{fill:#d33}.corrupt{fill:#f00}.failrow{fill:#fdd}"
       ".failed{fill:#c00;font-weight:bold}.util{fill:#333}"
       ".axis{stroke:#999}\n"
       "</style>\n<text x=\"8\" y=\"16\" font-size=\"13\">heap over ");
    xml_text(trace_name);
    os(" (");
    xml_text(axis_label);
    os("): one row per step, newest at the bottom</text>\n"
       "<text x=\"8\" y=\"32\">address axis: initial break (+0) to "
       "high-water (+");
    ou(axis_end);
    os(" bytes); the red tick is the break</text>\n");
    /* legend */
    y = 42;
    rect(80, 120, y, 10, "used"), os("/>");
    os("<text x=\"22\" y=\""), ou(y + 9), os("\">used</text>\n");
    rect(700, 120, y, 10, "free"), os("/>");
    os("<text x=\"84\" y=\""), ou(y + 9), os("\">free</text>\n");
    rect(1300, 60, y, 10, "hdr"), os("/>");
    os("<text x=\"138\" y=\""), ou(y + 9), os("\">header/footer</text>\n");
    rect(2600, 20, y, 10, "brk"), os("/>");
    os("<text x=\"264\" y=\""), ou(y + 9), os("\">break</text>\n");
    rect(3200, 120, y, 10, "corrupt"), os("/>");
    os("<text x=\"336\" y=\""), ou(y + 9),
        os("\">failed check / corrupt block</text>\n");
    rect(5500, 120, y, 10, "slack"), os("/>");
    os("<text x=\"566\" y=\""), ou(y + 9),
        os("\">used block, beyond the bytes asked for</text>\n");
    os("<text x=\"8\" y=\"");
    ou(TOP - 6);
    os("\">op</text><text x=\"");
    ou(X0);
    os("\" y=\"");
    ou(TOP - 6);
    os("\">+0</text><text x=\"");
    ou(X0 + AXIS - 60);
    os("\" y=\"");
    ou(TOP - 6);
    os("\">+");
    ou(axis_end);
    os("</text><text x=\"");
    ou(X0 + AXIS + 8);
    os("\" y=\"");
    ou(TOP - 6);
    os("\">util so far</text>\n");
    for (i = 0; i < n_rows; i++)
        draw_row(i, TOP + i * ROW_H);
    if (rows_full)
        os("<text x=\"8\" y=\""), ou(h - 10),
            os("\">(more blocks than the picture holds: rows cut)</text>\n");
    os("</svg>\n");
    oflush();
    ofd = 1;
    if (oerr) {
        sys_close(fd);
        output_discard();
        return svg_failed(svg_path, oerr);
    }
    r = output_commit(fd);
    if (r)
        return svg_failed(svg_path, r);
    return 0;
}

void dump_rows(void)
{
    unsigned i, c;
    for (i = 0; i < n_rows; i++) {
        const struct row *r = &rows[i];
        os("row ");
        ou(i);
        os(" op ");
        ou(r->op);
        os(" break +");
        ou(r->brk);
        os(" blocks ");
        ou(r->cells);
        if (r->bad)
            os(" corrupt"), os(" at +"), ou(r->bad_at);
        oc('\n');
        for (c = r->cell0; c < r->cell0 + r->cells; c++) {
            os("block ");
            ou(i);
            os(" +");
            ou(cell[c].off);
            oc(' ');
            ou(cell[c].size);
            os(cell[c].free ? " free\n" : " used\n");
        }
    }
}
