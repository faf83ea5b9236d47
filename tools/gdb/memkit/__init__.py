# memkit/__init__.py — the memkit gdb commands, one module per concern.
#
# tools/gdb/memkit.py (the file gdb-session.sh gives gdb with -x) puts
# tools/gdb on sys.path and calls register(). The modules:
#
#   inferior.py  reading the stopped program: memory, symbols, registers,
#                heap_begin and current_break; MemkitError
#   layout.py    the heap walk: memkit_layout or the book's header, read
#                with c-harness/heapmap.c's rules
#   commands.py  heap, owner, brk, records, cframe, memkit, memkit-break
#   svg.py       heap --svg FILE: the picture and its atomic write
#   unwind.py    the unwinder for a function stopped before its prologue
#
# Pure gdb Python API, no GEF or pwndbg needed.

import gdb.unwinder

from . import commands, unwind


def register():
    """Define the commands and the unwinder in this gdb. Run again (the
    loader sourced a second time), the new ones replace the old."""
    gdb.unwinder.register_unwinder(None, unwind.PrologueUnwinder(),
                                   replace=True)
    commands.HeapCommand()
    commands.BrkCommand()
    commands.RecordsCommand()
    commands.CframeCommand()
    commands.MemkitBreakCommand()
    commands.MemkitCommand()
    commands.OwnerCommand()
