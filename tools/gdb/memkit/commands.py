# commands.py — the memkit gdb commands a student types.
#
#   heap              walk the allocator's blocks from heap_begin to
#                     current_break, one line per block, then totals
#   heap --svg FILE   the heap as a picture (svg.py)
#   owner ADDR        which block (header/payload/footer) holds ADDR
#   brk               the allocator's view of the program break
#   records[/N] ADDR  decode N (default 1) 324-byte records at ADDR
#   cframe [NARGS]    the current cdecl stack frame: arguments at 8(%ebp)...,
#                     return address, saved %ebp, locals down to %esp
#   memkit            list these commands
#   memkit-break      break on allocate/deallocate when linked in
#
# The heap display has the same shape as the C heap map printer in
# c-harness/, so docs and tests read alike:
#
#   heap: begin 0x080d5000  break 0x080d5068  (104 bytes, 3 blocks)
#     offset   header      payload     size  state
#     +0x0000  0x080d5000  0x080d5008    16  used
#     ...
#   totals: used 48, free 32, headers 24, largest free 32
#
# heap and owner see the blocks through layout.py's walk (heapmap.c's
# rules); a corrupt header stops the walk with the C walk's words (header
# runs past the break / flag is neither 0 nor 1 / size runs past the
# break / size is not a multiple of 8 ...), or "cannot read N bytes at
# ..." for a header gdb cannot read.
#
# Design rule: these commands only read memory. A corrupt heap or a wild
# address gets a one-line message and the command stops; it never loops
# and never raises a Python traceback.

import struct

import gdb

from .inferior import (MemkitError, allocator_words, describe_code,
                       need_process, read_bytes, read_u32, register,
                       symbol_address)
from .layout import heap_now, inferior_layout, layout_walk
from .svg import heap_svg_command
from .unwind import MOV_ESP_EBP, PUSH_EBP, after_call

# Record layout (asm/record-def.s): three NUL-padded text fields and a
# 32-bit little-endian age.
RECORD_FIELDS = (("firstname", 0, 40), ("lastname", 40, 40),
                 ("address", 80, 240))
RECORD_AGE = 320
RECORD_SIZE = 324


# ------------------------------------------------------------------ heap

def heap_lines(begin, brk, lay):
    """heap-map's lines (c-harness/heapmap.c heap_map) for this heap."""
    if begin == 0:
        return ["heap: not initialised (heap_begin is 0)"]
    if brk < begin:
        return ["heap: corrupt header at 0x%08x: current_break 0x%08x is "
                "below heap_begin; stopping" % (begin, brk)]
    blocks, problem = layout_walk(lay, begin, brk)
    lines = ["heap: begin 0x%08x  break 0x%08x  (%d bytes, %d block%s)"
             % (begin, brk, brk - begin, len(blocks),
                "" if len(blocks) == 1 else "s"),
             "  offset   header      payload     size  state"]
    used = free = largest = 0
    headers = lay["first"] + lay["tail"]
    for b in blocks:
        payload = b["size"] - b["header"] - b["footer"]
        lines.append("  +0x%04x  0x%08x  0x%08x  %4d  %s"
                     % (b["start"] - begin, b["start"],
                        b["start"] + b["header"], payload,
                        "free" if b["free"] else "used"))
        headers += b["size"] - payload
        if b["free"]:
            free += payload
            largest = max(largest, payload)
        else:
            used += payload
    if problem:
        lines.append("heap: corrupt header at 0x%08x: %s; stopping" % problem)
        return lines
    lines.append("totals: used %d, free %d, headers %d, largest free %d"
                 % (used, free, headers, largest))
    return lines


class HeapCommand(gdb.Command):
    """Show the blocks of the program's allocator.

Usage: heap
       heap --svg FILE   the heap as a picture (see `help owner`)

Reads heap_begin and current_break, then walks the blocks from heap_begin
to current_break with the allocator's memkit_layout (c-harness/layout.h;
the book's 8-byte header when the program has none): one line per block
with its offset from heap_begin, header address, payload address (what
allocate returned), payload size and state (used/free), then a totals
line, as build/heap-map prints them. Stops with a "corrupt header"
message on a header whose state is neither free nor used, whose size
runs past the break or is not a multiple of 8, or that cannot be read."""

    def __init__(self):
        super().__init__("heap", gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        if arg.strip():                 # heap --svg FILE (svg.py)
            heap_svg_command(arg)
            return
        try:
            need_process()
            begin, brk = allocator_words()
            lay, _ = inferior_layout()
            gdb.write("\n".join(heap_lines(begin, brk, lay)) + "\n")
        except MemkitError as e:
            gdb.write("heap: %s\n" % e)


# ------------------------------------------------------------------- brk

class BrkCommand(gdb.Command):
    """Show the program break as the memkit allocator sees it.

Usage: brk

Prints heap_begin (the break when allocate_init ran), current_break (the
break now: alloc.s makes every brk call, so it is the kernel's break too)
and the end of .bss (&_end), below which the initial break never is.
gdb cannot ask qemu's kernel for the break itself without running a
system call in the program; use `make strace ONLY=brk` to see each call."""

    def __init__(self):
        super().__init__("brk", gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        try:
            need_process()
            end = symbol_address("_end")
            if end is None:
                end = symbol_address("end")
            end_text = "0x%08x" % end if end is not None else "unknown"
            try:
                begin, brk = allocator_words()
            except MemkitError as e:
                gdb.write("brk: %s\n     end of .bss (&_end) %s\n"
                          % (e, end_text))
                return
            if begin == 0:
                gdb.write("brk: allocator not initialised (heap_begin is 0)"
                          "\n     end of .bss (&_end) %s; the first brk(0) "
                          "returns the initial break, at or above it\n"
                          % end_text)
                return
            gdb.write("brk: heap_begin 0x%08x  current_break 0x%08x  "
                      "(heap %d bytes)\n     end of .bss (&_end) %s\n"
                      % (begin, brk, brk - begin, end_text))
        except MemkitError as e:
            gdb.write("brk: %s\n" % e)


# --------------------------------------------------------------- records

def field_text(raw):
    """Decode a NUL-padded field; say so when it has no NUL at all."""
    text, nul, _ = raw.partition(b"\0")
    shown = "".join(chr(b) if 32 <= b < 127 and b != 0x22 and b != 0x5c
                    else {0x0a: "\\n", 0x09: "\\t", 0x22: '\\"',
                          0x5c: "\\\\"}.get(b, "\\x%02x" % b)
                    for b in text)
    note = "" if nul else "  (fills the field, no NUL)"
    return '"%s"%s' % (shown, note)


class RecordsCommand(gdb.Command):
    """Decode 324-byte records (asm/record-def.s) at an address.

Usage: records[/COUNT] ADDRESS

ADDRESS is any gdb expression: a register ($eax), a pointer in memory
(*(int *)($esp + 4)), a symbol's value ((int)record_buffer_ptr) or a
number. COUNT records (default 1, like x/COUNT) are decoded one after
another: first name, last name, address (40, 40 and 240 bytes,
NUL-padded) and the 32-bit age at offset 320."""

    def __init__(self):
        super().__init__("records", gdb.COMMAND_DATA, gdb.COMPLETE_EXPRESSION)

    def invoke(self, arg, from_tty):
        arg = arg.strip()
        count = 1
        if arg.startswith("/"):
            spec, _, arg = arg[1:].partition(" ")
            if not spec.isdigit():
                gdb.write("records: COUNT after / must be a number\n")
                return
            count = int(spec)
        if not arg.strip():
            gdb.write("usage: records[/COUNT] ADDRESS\n")
            return
        try:
            addr = int(gdb.parse_and_eval("(unsigned int)(%s)" % arg))
        except gdb.error as e:
            gdb.write("records: %s\n" % e)
            return
        if not 1 <= count <= 1000:
            gdb.write("records: COUNT must be between 1 and 1000\n")
            return
        for i in range(count):
            at = addr + i * RECORD_SIZE
            try:
                raw = read_bytes(at, RECORD_SIZE)
            except MemkitError as e:
                gdb.write("records: %s\n" % e)
                return
            gdb.write("record at 0x%08x (%d bytes)\n" % (at, RECORD_SIZE))
            for name, off, size in RECORD_FIELDS:
                text = field_text(raw[off:off + size])
                gdb.write("  %-10s %s\n" % (name, text))
            age = struct.unpack("<I", raw[RECORD_AGE:RECORD_AGE + 4])[0]
            gdb.write("  %-10s %d\n" % ("age", age))


# ---------------------------------------------------------------- cframe

# How many stack arguments the kit's allocator functions take (their C
# prototypes in asm/alloc.s). Other functions show DEFAULT_ARGS unless
# the user says `cframe N`.
KNOWN_ARGS = {"allocate_init": 0, "allocate": 1, "deallocate": 1}
DEFAULT_ARGS = 2

RET = (0xc3, 0xc2)                  # ret, ret $n
# (pushl %ebp and movl %esp,%ebp: PUSH_EBP and MOV_ESP_EBP in unwind.py)


def annotate(value, esp):
    """A short guess at what a word is: ' = 324', ' = &name', ' (heap)'."""
    if value < 0x10000:
        return " = %d" % value
    if value >= 0xffff0000:
        return " = %d" % (value - (1 << 32))
    sym = describe_code(value)
    if sym:
        return " = &%s" % sym
    try:
        begin, brk = allocator_words()
        if begin <= value < brk:
            return " (heap)"
    except MemkitError:             # no allocator, or unreadable words
        pass
    if esp <= value < esp + 0x100000:
        return " (stack)"
    return ""


class CframeCommand(gdb.Command):
    """Show the current cdecl stack frame, highest address first.

Usage: cframe [NARGS]

For a function that starts with `pushl %ebp; movl %esp,%ebp`:

    12(%ebp)  argument 2
     8(%ebp)  argument 1
     4(%ebp)  return address (pushed by call)
     0(%ebp)  saved %ebp (the caller's frame pointer)
    -4(%ebp)  locals and saved registers, down to %esp

At the first instruction of a function (before pushl %ebp) and at its ret,
the frame is shown relative to %esp instead. NARGS defaults to the
function's argument count for the allocator (allocate 1, deallocate 1,
allocate_init 0) and to 2 otherwise. (gdb's own `frame` command is left
alone; this one is `cframe`.)"""

    def __init__(self):
        super().__init__("cframe", gdb.COMMAND_STACK)

    def invoke(self, arg, from_tty):
        try:
            need_process()
            self.show(arg)
        except (MemkitError, gdb.error) as e:
            gdb.write("cframe: %s\n" % e)

    def show(self, arg):
        pc, esp, ebp = register("eip"), register("esp"), register("ebp")
        where = describe_code(pc) or "0x%08x" % pc
        func = where.split("+")[0]
        try:
            start = int(gdb.parse_and_eval("(unsigned int)&%s" % func))
        except gdb.error:
            start = pc
        nargs = KNOWN_ARGS.get(func, DEFAULT_ARGS)
        if arg.strip():
            nargs = int(gdb.parse_and_eval(arg))
            if not 0 <= nargs <= 16:
                raise MemkitError("NARGS must be between 0 and 16")
        if func == "_start":
            self.show_entry(pc == start, esp, ebp)
            return
        code = read_bytes(start, 3)
        has_prologue = (code[:1] == PUSH_EBP and code[1:3] in MOV_ESP_EBP)
        at_ret = read_bytes(pc, 1)[0] in RET

        # Where the return address is, and what base the offsets use.
        rows = []
        if has_prologue and pc >= start + 3 and not at_ret:
            base, base_name, ret_at = ebp, "%ebp", ebp + 4
            state = "prologue done: %ebp points at the saved %ebp"
        elif has_prologue and pc == start + 1:
            base, base_name, ret_at = esp, "%esp", esp + 4
            state = "pushl %ebp done, movl %esp,%ebp not yet"
        else:
            base, base_name, ret_at = esp, "%esp", esp
            if pc == start:
                state = "at the first instruction: call just pushed the " \
                        "return address"
            elif at_ret:
                state = "at ret: the frame is gone, ret pops the return " \
                        "address"
            else:
                state = "no pushl %ebp/movl %esp,%ebp prologue: offsets " \
                        "are from %esp (return address assumed at 0(%esp))"

        for i in range(nargs, 0, -1):
            at = ret_at + 4 * i
            value = read_u32(at)
            rows.append((at, value,
                         "argument %d%s" % (i, annotate(value, esp))))
        ret = read_u32(ret_at)
        if after_call(ret):
            rows.append((ret_at, ret, "return address -> %s"
                         % (describe_code(ret) or "?")))
        else:
            rows.append((ret_at, ret, "return address? (no call "
                         "instruction before it: not a cdecl frame)"))
        if base_name == "%ebp" or ret_at > esp:
            saved_at = ret_at - 4
            rows.append((saved_at, read_u32(saved_at),
                         "saved %ebp (caller's frame pointer)"))
            low = saved_at - 4
        else:
            low = ret_at - 4
        # Locals and saved registers, down to %esp (at most 16 words).
        count = 0
        while low >= esp and count < 16:
            rows.append((low, read_u32(low), "local or saved register"))
            low -= 4
            count += 1
        if low >= esp:
            rows.append((None, None, "... %d more bytes down to %%esp"
                         % (low + 4 - esp)))

        gdb.write("cframe: %s  (%s)\n" % (where, state))
        gdb.write("  %%esp 0x%08x  %%ebp 0x%08x\n" % (esp, ebp))
        gdb.write("  address     offset      value       meaning\n")
        for at, value, meaning in rows:
            if at is None:
                gdb.write("  %s\n" % meaning)
                continue
            off = "%+d(%s)" % (at - base, base_name)
            mark = "  <- %esp" if at == esp else ""
            gdb.write("  0x%08x  %-10s  0x%08x  %s%s\n"
                      % (at, off, value, meaning, mark))


    def show_entry(self, at_entry, esp, ebp):
        """_start has no caller: the kernel left argc and argv on the stack."""
        if not at_entry:
            gdb.write("cframe: _start is the entry point: nothing called it, "
                      "so it has no arguments,\n  return address or saved "
                      "%%ebp. If it copied %%esp to %%ebp first, as the\n  "
                      "book's programs do, x/4wx $ebp shows argc and argv "
                      "(%%ebp = 0x%08x).\n" % ebp)
            return
        argc = read_u32(esp)
        gdb.write("cframe: _start  (the entry point: the kernel, not a "
                  "call, left this stack)\n")
        gdb.write("  %%esp 0x%08x  %%ebp 0x%08x\n" % (esp, ebp))
        gdb.write("  address     offset      value       meaning\n")
        shown = min(argc, 4)
        for i in range(shown, -1, -1):
            at = esp + 4 + 4 * i
            value = read_u32(at)
            what = "argv[%d] = NULL" % i if i == argc else "argv[%d]" % i
            gdb.write("  0x%08x  %-10s  0x%08x  %s\n"
                      % (at, "+%d(%%esp)" % (at - esp), value, what))
        gdb.write("  0x%08x  %-10s  0x%08x  argc = %d  <- %%esp\n"
                  % (esp, "+0(%esp)", argc, argc))


class MemkitCommand(gdb.Command):
    """List the memkit gdb commands.

Usage: memkit"""

    def __init__(self):
        super().__init__("memkit", gdb.COMMAND_SUPPORT)

    def invoke(self, arg, from_tty):
        gdb.write(
            "memkit commands (help NAME for details):\n"
            "  heap              blocks of asm/alloc.s up to current_break\n"
            "  heap --svg FILE   the heap as an SVG picture\n"
            "  owner ADDR        which block holds ADDR\n"
            "  brk               the program break as the allocator sees it\n"
            "  records[/N] ADDR  decode N 324-byte records at ADDR\n"
            "  cframe [NARGS]    the current cdecl stack frame\n"
            "  memkit-break      break on allocate/deallocate if linked in\n"
            "gdb itself: stepi/nexti, step, finish, info registers,\n"
            "  x/8wx $esp, layout regs (TUI; Ctrl-x a leaves it)\n")


class MemkitBreakCommand(gdb.Command):
    """Break on allocate and deallocate when the program links alloc.s.

Usage: memkit-break

Run by memkit-start at the beginning of every `make gdb` session. A
program without the allocator (write-records, for example) gets no
breakpoints and no error."""

    def __init__(self):
        super().__init__("memkit-break", gdb.COMMAND_BREAKPOINTS)

    def invoke(self, arg, from_tty):
        have = {b.location for b in gdb.breakpoints()}
        names = [n for n in ("allocate", "deallocate")
                 if symbol_address(n) is not None]
        for name in names:
            if name not in have:
                gdb.Breakpoint(name)
        if not names:
            gdb.write("memkit: no allocator in this program, "
                      "no breakpoints set\n")


# ----------------------------------------------------------------- owner

def owner_text(addr, begin, brk, lay, blocks, problem):
    """One sentence: which part of the heap holds addr."""
    a = "0x%08x" % addr
    if begin == 0:
        return "%s: the heap is not initialised (heap_begin is 0)" % a
    if addr < begin:
        return ("%s: outside the heap, heap_begin-%d (heap_begin is 0x%08x)"
                % (a, begin - addr, begin))
    if addr >= brk:
        return ("%s: outside the heap, current_break+%d (the break is "
                "0x%08x)" % (a, addr - brk, brk))
    if addr < begin + lay["first"]:
        return ("%s: before the first block (the allocator's prologue, "
                "heap_begin+%d)" % (a, addr - begin))
    for b in blocks:
        start, end = b["start"], b["start"] + b["size"]
        if not start <= addr < end:
            continue
        payload = start + b["header"]
        psize = b["size"] - b["header"] - b["footer"]
        where = ("%s block at 0x%08x (%d-byte payload)"
                 % ("free" if b["free"] else "used", start, psize))
        if addr < payload:
            part, off = "header", addr - start
        elif addr < payload + psize:
            part = "free space" if b["free"] else "payload"
            off = addr - payload
        else:
            part, off = "footer", addr - payload - psize
        return "%s: %s+%d in %s" % (a, part, off, where)
    if problem and addr >= problem[0]:
        return ("%s: cannot tell: the heap walk stopped at 0x%08x (%s), "
                "before reaching it" % (a, problem[0], problem[1]))
    if addr >= brk - lay["tail"]:
        return ("%s: after the last block (the allocator's epilogue, "
                "current_break-%d)" % (a, brk - addr))
    return "%s: in no block" % a


class OwnerCommand(gdb.Command):
    """Say which block of the heap holds an address.

Usage: owner ADDRESS

ADDRESS is any gdb expression ($eax, a pointer variable, a number). The
answer is one line: outside the heap (below heap_begin, or at or past
current_break), or the header, the payload (free space for a free block)
or the footer of a block, with the block's start, state and payload, and
the offset into that part. The blocks are walked with the allocator's
memkit_layout when the program has one (c-harness/layout.h), else with
the book's 8-byte header. A walk that stops at a corrupt header answers
"cannot tell" for addresses past it."""

    def __init__(self):
        super().__init__("owner", gdb.COMMAND_DATA, gdb.COMPLETE_EXPRESSION)

    def invoke(self, arg, from_tty):
        if not arg.strip():
            gdb.write("usage: owner ADDRESS\n")
            return
        try:
            addr = int(gdb.parse_and_eval("(unsigned int)(%s)" % arg))
            begin, brk, lay, _, blocks, problem = heap_now()
            gdb.write(owner_text(addr, begin, brk, lay, blocks, problem)
                      + "\n")
        except (MemkitError, gdb.error) as e:
            gdb.write("owner: %s\n" % e)
