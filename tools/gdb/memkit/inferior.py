# inferior.py — reading the stopped program for the memkit gdb commands.
#
# Every command reads the program through these few functions: its memory
# (read_bytes, read_u32), symbols (symbol_address, describe_code),
# registers, and the allocator's two words heap_begin and current_break.
# A read that fails raises MemkitError, whose text the command prints as
# its one-line answer (no Python traceback reaches the user).

import struct

import gdb


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


def need_process():
    if gdb.selected_inferior().pid == 0:
        raise MemkitError("the program is not running (start it first)")


def allocator_words():
    """(heap_begin, current_break) read from the program's .data."""
    begin_at = symbol_address("heap_begin")
    break_at = symbol_address("current_break")
    if begin_at is None or break_at is None:
        raise MemkitError("this program has no allocator (no heap_begin/"
                          "current_break symbols; link asm/alloc.o)")
    return read_u32(begin_at), read_u32(break_at)
