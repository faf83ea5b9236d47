# svg.py — `heap --svg FILE`: the heap as a picture, written safely.
#
# heap_svg() draws the blocks layout_walk() found as one row of the trace
# driver's picture (its classes and data- attributes), from heap_begin to
# the break, with the corrupt header marked where the walk stopped.
# write_atomic() writes it the way the kit writes every output
# (docs/safety.md): a new file made with O_EXCL beside the old one and
# renamed over it only when complete, so a failed write keeps the old
# picture; a read-only file is refused; a device (/dev/null) or a pipe is
# written in place.

import os
import stat
import tempfile

import gdb

from .inferior import MemkitError, describe_code, register
from .layout import heap_now


def svg_escape(text):
    return (text.replace("&", "&amp;").replace("<", "&lt;")
            .replace(">", "&gt;").replace('"', "&quot;"))


def write_atomic(path, text):
    """Write text to path the way the kit writes every output
    (docs/safety.md): a regular or missing path gets a new file made with
    O_EXCL beside it (tempfile.mkstemp, never a name planted there), with
    the old file's mode, renamed over it when complete; a read-only one
    is refused; anything else (/dev/null, a pipe) is written in place.
    Returns None, or (file, reason) for the error message."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        st = None
    except OSError as e:
        return (path, e.strerror)
    if st is not None and not stat.S_ISREG(st.st_mode):
        try:
            with open(path, "w") as f:
                f.write(text)
        except OSError as e:
            return (path, e.strerror)
        return None
    if st is not None and (not os.access(path, os.W_OK)
                           or not st.st_mode & 0o222):
        return (path, "Permission denied (it is read-only)")
    folder = os.path.dirname(path) or "."
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".heap-svg.")
    except OSError as e:
        return (folder, e.strerror)
    try:
        with os.fdopen(fd, "w") as f:
            f.write(text)
        if st is not None:
            os.chmod(tmp, stat.S_IMODE(st.st_mode))
        else:
            mask = os.umask(0)
            os.umask(mask)
            os.chmod(tmp, 0o666 & ~mask)
        os.replace(tmp, path)
    except OSError as e:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        return (path, e.strerror)
    return None


def heap_svg(begin, brk, source, blocks, problem, label):
    """The heap as one row of the trace driver's picture (its classes and
    data- attributes), axis from heap_begin to the break."""
    x0, axis, w = 250, 900, 1350
    span = max(brk - begin, 1)

    def px(off):
        return x0 + off * axis / span
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="120" '
           'viewBox="0 0 %d 120" font-family="monospace" font-size="11">'
           % (w, w),
           "<style>.used{fill:#3b7dd8}.free{fill:#c9e7c0}.hdr{fill:#555}"
           ".brk{fill:#d33}.corrupt{fill:#f00}.failrow{fill:#fdd}"
           ".util{fill:#333}</style>",
           '<text x="8" y="16" font-size="13">heap at %s (%s)</text>'
           % (svg_escape(label), svg_escape(source)),
           '<text x="8" y="32">address axis: heap_begin 0x%08x (+0) to '
           'the break 0x%08x (+%d); the red tick is the break</text>'
           % (begin, brk, brk - begin)]
    y = 60
    if problem:
        out.append('<rect class="failrow" x="0" y="%d" width="%d" '
                   'height="16"/>' % (y - 2, w))
    out.append('<text class="op" x="8" y="%d">now</text>' % (y + 10))
    for b in blocks:
        off = b["start"] - begin
        xs, xh = px(off), px(off + b["header"])
        xf, xe = px(off + b["size"] - b["footer"]), px(off + b["size"])
        state = "free" if b["free"] else "used"
        row = ['<g data-row="0" data-off="%d" data-size="%d" '
               'data-state="%s">' % (off, b["size"], state),
               '<rect class="hdr" x="%.1f" y="%d" width="%.1f" '
               'height="12"/>' % (xs, y, xh - xs),
               '<rect class="%s" x="%.1f" y="%d" width="%.1f" height="12">'
               '<title>+%d: %d bytes %s</title></rect>'
               % (state, xh, y, xf - xh, off,
                  b["size"] - b["header"] - b["footer"], state)]
        if b["footer"]:
            row.append('<rect class="hdr" x="%.1f" y="%d" width="%.1f" '
                       'height="12"/>' % (xf, y, xe - xf))
        row.append("</g>")
        out.append("".join(row))
    if problem and begin <= problem[0] <= brk:
        off = problem[0] - begin
        out.append('<rect class="corrupt" x="%.1f" y="%d" width="%.1f" '
                   'height="12"><title>%s</title></rect>'
                   % (px(off), y, px(brk - begin) - px(off),
                      svg_escape(problem[1])))
        out.append('<text class="op" x="8" y="%d" fill="#c00">corrupt at '
                   '+%d: %s</text>' % (y + 30, off, svg_escape(problem[1])))
    out.append('<rect class="brk" x="%.1f" y="%d" width="2" height="16"/>'
               % (px(brk - begin), y - 2))
    used = sum(b["size"] - b["header"] - b["footer"]
               for b in blocks if not b["free"])
    out.append('<text class="util" x="%d" y="%d">used %d of %d</text>'
               % (x0 + axis + 8, y + 10, used, brk - begin))
    out.append("</svg>")
    return "\n".join(out) + "\n"


def heap_svg_command(arg):
    """heap --svg FILE: write the picture beside FILE, then rename."""
    parts = arg.strip().split(None, 1)
    if parts[0] != "--svg" or len(parts) != 2:
        gdb.write("usage: heap [--svg FILE]\n")
        return
    path = parts[1].strip()
    if len(path) >= 2 and path[0] == path[-1] and path[0] in "'\"":
        path = path[1:-1]
    try:
        begin, brk, _, source, blocks, problem = heap_now()
    except MemkitError as e:
        gdb.write("heap: %s\n" % e)
        return
    if begin == 0:
        gdb.write("heap: not initialised (heap_begin is 0); no picture\n")
        return
    if brk < begin:
        gdb.write("heap: current_break is below heap_begin; no picture\n")
        return
    svg = heap_svg(begin, brk, source, blocks, problem,
                   describe_code(register("eip")) or "?")
    err = write_atomic(path, svg)
    if err:
        gdb.write("heap: cannot write %s: %s\n" % err)
        return
    gdb.write("heap: wrote %s (%d blocks%s)\n"
              % (path, len(blocks),
                 ", walk stopped at 0x%08x: %s" % problem if problem
                 else ""))
