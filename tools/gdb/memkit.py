# memkit.py — gdb commands for looking at memory in the memkit programs.
#
# Loaded by tools/gdb/memkit.gdb (which tools/gdb-session.sh passes to
# gdb-multiarch with -x). Pure gdb Python API, no GEF or pwndbg needed.
#
#   heap              walk the allocator's blocks from heap_begin to
#                     current_break, one line per block, then totals
#   brk               the allocator's view of the program break
#   heap --svg FILE   the heap as a picture, like the trace driver's
#   owner ADDR        which block (header/payload/footer) holds ADDR
#   records[/N] ADDR  decode N (default 1) 324-byte records at ADDR
#   cframe [NARGS]    the current cdecl stack frame: arguments at 8(%ebp)...,
#                     return address, saved %ebp, locals down to %esp
#   memkit            list these commands
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
# The blocks are read through the program's memkit_layout (the book's
# 8-byte header when it has none), with the C walk's rules, and a corrupt
# header stops the walk with the C walk's words (header runs past the
# break / flag is neither 0 nor 1 / size runs past the break / size is
# not a multiple of 8 ...), or "cannot read N bytes at ..." for a header
# gdb cannot read.
#
# Design rule: these commands only read memory. A corrupt heap or a wild
# address gets a one-line message and the command stops; it never loops
# (every step of the heap walk advances by at least one header and never
# passes current_break) and never raises a Python traceback.

import os
import struct
import stat
import tempfile

import gdb
import gdb.unwinder

# Allocator layout (asm/alloc.s). Each block is an 8-byte header followed
# by its payload; the next header is at header + HEADER_SIZE + size.
#
#   header +0  available flag   AVAILABLE (1) = free, UNAVAILABLE (0) = used
#   header +4  payload size     bytes, a multiple of 8
#   header +8  payload          what allocate() returned
HDR_AVAIL_OFFSET = 0
HDR_SIZE_OFFSET = 4
HEADER_SIZE = 8
AVAILABLE = 1
UNAVAILABLE = 0

# Record layout (asm/record-def.s): three NUL-padded text fields and a
# 32-bit little-endian age.
RECORD_FIELDS = (("firstname", 0, 40), ("lastname", 40, 40),
                 ("address", 80, 240))
RECORD_AGE = 320
RECORD_SIZE = 324


class MemkitError(Exception):
    """A message for the user; the command prints it and stops."""


def symbol_address(name):
    """Address of a global symbol, or None when the program has none."""
    try:
        return int(gdb.parse_and_eval("(unsigned int)&%s" % name))
    except gdb.error:
        return None


def read_bytes(addr, count):
    try:
        return bytes(gdb.selected_inferior().read_memory(addr, count))
    except gdb.MemoryError:
        raise MemkitError("cannot read %d bytes at 0x%08x" % (count, addr))


def read_u32(addr):
    return struct.unpack("<I", read_bytes(addr, 4))[0]


def register(name):
    return int(gdb.parse_and_eval("(unsigned int)$%s" % name))


def describe_code(addr):
    """'function+offset' for a code address, or '' when unknown."""
    # Assembly has no DWARF functions; ask for the nearest ELF symbol.
    try:
        text = gdb.execute("info symbol 0x%x" % addr, to_string=True)
    except gdb.error:
        return ""
    if text.startswith("No symbol"):
        return ""
    # "allocate + 12 in section .text" -> "allocate+12"
    return text.split(" in section")[0].replace(" + ", "+").strip()


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


def need_process():
    if gdb.selected_inferior().pid == 0:
        raise MemkitError("the program is not running (start it first)")


# ------------------------------------------------------------------ heap

# Each read_memory is a round trip to qemu's gdbstub (about 0.15 ms), so
# the walk reads the heap HEAP_CHUNK bytes at a time rather than 4 bytes
# per field, which took seconds for a heap of 10,000 blocks.
HEAP_CHUNK = 64 * 1024
PAGE_SIZE = 4096


class HeapReader:
    """Reads block headers in [begin, end) through a cache of one chunk."""

    def __init__(self, end):
        self.end = end
        self.base = 0
        self.data = b""

    def word(self, addr, off, need):
        """The 32-bit word at addr + off, where the need bytes from addr
        (addr + need <= end) hold the block's header words."""
        if not self.base <= addr <= self.base + len(self.data) - need:
            self.fill(addr, need)
        return struct.unpack_from("<I", self.data, addr - self.base + off)[0]

    def fill(self, addr, need):
        # A chunk that reaches an unmapped page fails as a whole: then try
        # up to the end of addr's page, then the header alone, which raises
        # MemkitError when even that cannot be read.
        # (A header of a corrupt heap may straddle the page end: never
        # read fewer than its need bytes.)
        page_end = (addr | (PAGE_SIZE - 1)) + 1
        for size in (max(min(HEAP_CHUNK, self.end - addr), need),
                     max(min(page_end, self.end) - addr, need),
                     need):
            try:
                self.data, self.base = read_bytes(addr, size), addr
                return
            except MemkitError:
                if size == need:
                    raise


# c-harness/layout.h: an allocator may export memkit_layout, 13 words that
# say how its blocks are laid out; without it, the book's. heap, owner and
# heap --svg all walk with layout_walk() below, which follows
# c-harness/heapmap.c (the walk heap-map, alloc-test and the trace driver
# use) rule for rule and reason for reason: one description of each
# allocator's blocks, read the same way by every tool.
LAYOUT_MAGIC = 0x314c4b4d
LAYOUT_FIELDS = ("magic", "kind", "first", "tail", "header", "footer",
                 "size_off", "size_mask", "size_kind", "state_off",
                 "state_mask", "state_free", "state_used")
BOOK_LAYOUT = dict(zip(LAYOUT_FIELDS, (LAYOUT_MAGIC, 0, 0, 0, HEADER_SIZE,
                                       0, HDR_SIZE_OFFSET, 0xffffffff, 0,
                                       HDR_AVAIL_OFFSET, 0xffffffff,
                                       AVAILABLE, UNAVAILABLE)))
SIZE_PAYLOAD, SIZE_BLOCK, SIZE_LOG2 = 0, 1, 2


def layout_error(lay):
    """Why heapmap.c's heap_layout() would refuse lay, or None."""
    if lay["magic"] != LAYOUT_MAGIC:
        return ("memkit_layout does not start with the magic word"
                " 0x314c4b4d")
    if lay["kind"] != 0:
        return "memkit_layout kind is not 0 (blocks back to back)"
    if lay["size_kind"] > SIZE_LOG2:
        return "memkit_layout size_kind is not 0, 1 or 2"
    over = lay["header"] + lay["footer"]
    if (max(lay["header"], lay["footer"], lay["first"], lay["tail"]) > 4096
            or lay["size_off"] + 4 > over or lay["state_off"] + 4 > over):
        return "memkit_layout words are out of range"
    return None


def inferior_layout():
    """(layout dict, where it came from): the program's memkit_layout, or
    the book's when it has none or one heapmap.c would refuse."""
    at = symbol_address("memkit_layout")
    if at is None:
        return BOOK_LAYOUT, "the book's layout (no memkit_layout)"
    lay = dict(zip(LAYOUT_FIELDS, struct.unpack("<13I", read_bytes(at, 52))))
    why = layout_error(lay)
    if why:
        return BOOK_LAYOUT, "the book's layout (%s)" % why
    return lay, "memkit_layout"


def read_block(lay, mem, at, last):
    """(length, free) of the block at at, or a reason it is not one:
    heapmap.c's read_block()."""
    over = lay["header"] + lay["footer"]
    room = last - at
    if room < over:
        return "header runs past the break"
    state = mem.word(at, lay["state_off"], over) & lay["state_mask"]
    size = mem.word(at, lay["size_off"], over) & lay["size_mask"]
    if state not in (lay["state_free"], lay["state_used"]):
        if lay["state_free"] == AVAILABLE and lay["state_used"] == UNAVAILABLE:
            return "flag is neither 0 nor 1"
        return "state is neither free nor used"
    if lay["size_kind"] == SIZE_PAYLOAD:
        if size > room - over:
            return "size runs past the break"
        length = over + size
    elif lay["size_kind"] == SIZE_BLOCK:
        if size < over or size == 0:
            return "size is smaller than a header"
        if size > room:
            return "size runs past the break"
        length = size
    else:
        if size > 31 or (1 << size) > room:
            return "size runs past the break"
        if (1 << size) < over:
            return "size is smaller than a header"
        length = 1 << size
    if length % 8:
        return "size is not a multiple of 8"
    return length, state == lay["state_free"]


def layout_walk(lay, begin, brk):
    """(blocks, problem): blocks as dicts start/size (the whole block)/
    header/footer/free, in address order; problem None or (address,
    reason) where the walk stopped. Never reads at or past the break and
    always advances, so a corrupt heap cannot make it loop."""
    if begin == 0:
        return [], (0, "not initialised")
    if brk == begin:            # nothing laid down yet, not even a prologue
        return [], None
    if brk < begin or brk - begin < lay["first"] + lay["tail"]:
        return [], (begin, "current_break is below heap_begin")
    last = brk - lay["tail"]
    mem = HeapReader(last)
    blocks = []
    at = begin + lay["first"]
    while at < last:
        try:
            got = read_block(lay, mem, at, last)
        except MemkitError as e:
            return blocks, (at, str(e))
        if isinstance(got, str):
            return blocks, (at, got)
        length, free = got
        blocks.append(dict(start=at, size=length, header=lay["header"],
                           footer=lay["footer"], free=free))
        at += length
    return blocks, None


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


def allocator_words():
    """(heap_begin, current_break) read from the program's .data."""
    begin_at = symbol_address("heap_begin")
    break_at = symbol_address("current_break")
    if begin_at is None or break_at is None:
        raise MemkitError("this program has no allocator (no heap_begin/"
                          "current_break symbols; link asm/alloc.o)")
    return read_u32(begin_at), read_u32(break_at)


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
        if arg.strip():                 # heap --svg FILE (heap_svg below)
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

PUSH_EBP = b"\x55"                  # pushl %ebp
MOV_ESP_EBP = (b"\x89\xe5", b"\x8b\xec")  # movl %esp,%ebp (two encodings)
RET = (0xc3, 0xc2)                  # ret, ret $n


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
        if _after_call(ret):
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


# --------------------------------------------------------------- unwinder

class _FrameId:
    def __init__(self, sp, pc):
        self.sp = sp
        self.pc = pc


def _after_call(ret):
    """True when ret is the address just after a call instruction."""
    try:
        code = read_bytes(ret - 6, 6)
    except MemkitError:
        return False
    return (code[1] == 0xe8                            # call rel32
            or (code[4] == 0xff and (code[5] & 0x38) == 0x10)  # call *%reg
            or (code[3] == 0xff and (code[4] & 0x38) == 0x10)  # call *d8(%r)
            or (code[0] == 0xff and (code[1] & 0x38) == 0x10))  # call *d32


class PrologueUnwinder(gdb.unwinder.Unwinder):
    """Unwind a function stopped on its first two instructions.

At `pushl %ebp` the return address is at 0(%esp); after it, at 4(%esp)
with the caller's %ebp at 0(%esp). gdb's own i386 unwinder treats any
frame as outermost while %ebp is 0, and a kit program's _start runs with
%ebp = 0, so without this `finish` and `bt` fail on a breakpoint at
allocate. Only frames whose return address follows a call instruction are
claimed, so _start (entered by the kernel, not called) stays outermost."""

    def __init__(self):
        super().__init__("memkit-prologue")

    def __call__(self, pending):
        try:
            pc = int(pending.read_register("eip"))
            esp_val = pending.read_register("esp")
            esp = int(esp_val)
            code = read_bytes(pc - 1, 4)
        except (MemkitError, gdb.error, ValueError):
            return None
        if code[1:2] == PUSH_EBP and code[2:4] in MOV_ESP_EBP:
            start, ret_at, caller_ebp = pc, esp, None   # %ebp unchanged
        elif code[0:1] == PUSH_EBP and code[1:3] in MOV_ESP_EBP:
            start, ret_at, caller_ebp = pc - 1, esp + 4, esp
        else:
            return None
        try:
            ret = read_u32(ret_at)
            if caller_ebp is not None:
                caller_ebp = read_u32(caller_ebp)
        except MemkitError:
            return None
        if not _after_call(ret):
            return None
        ptr = esp_val.type
        info = pending.create_unwind_info(_FrameId(gdb.Value(ret_at + 4)
                                                   .cast(ptr),
                                                   gdb.Value(start)
                                                   .cast(ptr)))
        info.add_saved_register("eip", gdb.Value(ret).cast(ptr))
        info.add_saved_register("esp", gdb.Value(ret_at + 4).cast(ptr))
        if caller_ebp is None:
            info.add_saved_register("ebp", pending.read_register("ebp"))
        else:
            info.add_saved_register("ebp", gdb.Value(caller_ebp).cast(ptr))
        return info


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


# ------------------------------------------------- owner and heap --svg

def heap_now():
    """(begin, brk, layout, source, blocks, problem) of the inferior."""
    need_process()
    begin, brk = allocator_words()
    lay, source = inferior_layout()
    blocks, problem = layout_walk(lay, begin, brk)
    return begin, brk, lay, source, blocks, problem


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


gdb.unwinder.register_unwinder(None, PrologueUnwinder(), replace=True)
HeapCommand()
BrkCommand()
RecordsCommand()
CframeCommand()
MemkitBreakCommand()
MemkitCommand()
OwnerCommand()
