# layout.py — the heap walk of the memkit gdb commands.
#
# heap, owner and heap --svg all see the allocator's blocks through
# layout_walk() here: the program's memkit_layout (c-harness/layout.h) or
# the book's 8-byte header when it has none, walked with the rules of
# c-harness/heapmap.c (the walk heap-map, alloc-test and the trace driver
# use), rule for rule and with the same words for a corrupt header. Only
# reads memory; every step advances and never passes the break, so a
# corrupt heap cannot make the walk loop.

import struct

from .inferior import (MemkitError, allocator_words, need_process,
                       read_bytes, symbol_address)

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


def heap_now():
    """(begin, brk, layout, source, blocks, problem) of the inferior."""
    need_process()
    begin, brk = allocator_words()
    lay, source = inferior_layout()
    blocks, problem = layout_walk(lay, begin, brk)
    return begin, brk, lay, source, blocks, problem
