# memkit.py — loads the memkit gdb commands (the package memkit/ beside it).
#
# tools/gdb-session.sh passes this file to gdb-multiarch with -x (then
# tools/gdb/memkit.gdb, the session script). It finds the package through
# its own path (gdb sets __file__ to the path it was given), never the
# current directory, so a checkout under any path works (spaces, quotes),
# and calls memkit.register(), which defines:
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
# and the prologue unwinder. Where each part lives: memkit/__init__.py.

import os
import sys

_here = os.path.dirname(os.path.abspath(__file__))
# First on the path, so no other module called memkit is found instead.
sys.path[:] = [_here] + [p for p in sys.path if p != _here]
# Sourced again (after an edit), load the package afresh, as gdb reloaded
# the one file before the split.
for _name in [n for n in sys.modules
              if n == "memkit" or n.startswith("memkit.")]:
    del sys.modules[_name]
# Write no __pycache__ into the checkout: loading a script never did.
_write = sys.dont_write_bytecode
sys.dont_write_bytecode = True
try:
    import memkit
finally:
    sys.dont_write_bytecode = _write
memkit.register()
