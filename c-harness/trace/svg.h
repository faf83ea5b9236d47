/* svg.h — the heap over a trace, drawn from the rows the checked replay
 * took (trace/check.h), as an SVG picture or as text
 * (c-harness/trace/svg.c, docs/lab.md).
 *
 *   long write_svg(unsigned high);   0, or the -errno it failed with
 *   void dump_rows(void);            the rows as text on stdout (--dump)
 *
 * write_svg replaces svg_path only with a complete picture (asm/out-file.s:
 * a temporary file beside it, renamed when every byte is written); on a
 * failure it says why on stderr and the old file is kept. high is the
 * trace's high-water mark: the address axis reaches at least that, and at
 * least axis_min (--axis).
 */
#ifndef MEMKIT_TRACE_SVG_H
#define MEMKIT_TRACE_SVG_H

extern const char *svg_path;    /* --svg FILE, or 0: no picture */
extern const char *axis_label;  /* --label: the allocator's name */
extern unsigned axis_min;       /* --axis BYTES */

long write_svg(unsigned high);
void dump_rows(void);

#endif
