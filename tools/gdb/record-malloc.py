# record-malloc.py — record a host program's malloc/calloc/realloc/free
# calls as a malloc-lab trace (tools/record-trace.sh runs this; see
# docs/lab.md, "A trace from a real program").
#
# gdb stops on glibc's four entry points, reads the arguments from the
# x86-64 argument registers (%rdi, %rsi) and the result from %rax at the
# return (a FinishBreakpoint), and turns addresses into trace ids: a new
# id for every block the program gets, the same id through a realloc.
# Calls from outside libc.so (the dynamic loader's own early allocator)
# are not the program's and are skipped, as are free(NULL), a free of an
# address never seen allocated and a failed allocation (NULL result).
# When the program exits, the trace is written to $MEMKIT_TRACE_OUT
# (beside it first, then renamed into place). Blocks the program never
# frees stay live at the end, as they did in the program.

import os

import gdb

OUT = os.environ["MEMKIT_TRACE_OUT"]
ops = []            # (kind, id, size)
ids = {}            # address -> id of the live block there
next_id = [0]


def reg(name):
    return int(gdb.parse_and_eval("(unsigned long)$%s" % name))


def new_block(addr, size):
    if addr == 0:
        return
    ids[addr] = next_id[0]
    ops.append(("a", next_id[0], size))
    next_id[0] += 1


class Returned(gdb.FinishBreakpoint):
    """Stops where the allocation function returns; %rax is the block."""

    def __init__(self, kind, size, old=0):
        super().__init__(gdb.newest_frame(), internal=True)
        self.kind, self.size, self.old = kind, size, old

    def stop(self):
        addr = reg("rax")
        if self.kind == "realloc" and self.old in ids:
            if self.size == 0:                  # realloc(p, 0) frees p
                ops.append(("f", ids.pop(self.old), 0))
            elif addr:
                i = ids.pop(self.old)
                ids[addr] = i
                ops.append(("r", i, self.size))
        else:
            new_block(addr, self.size)
        return False

    def out_of_scope(self):
        pass


class Entry(gdb.Breakpoint):
    def __init__(self, name):
        super().__init__(name, internal=True)
        self.name = name

    def stop(self):
        if "libc.so" not in (gdb.solib_name(reg("rip")) or ""):
            return False
        if self.name == "malloc":
            Returned("malloc", reg("rdi"))
        elif self.name == "calloc":
            Returned("calloc", reg("rdi") * reg("rsi"))
        elif self.name == "realloc":
            Returned("realloc", reg("rsi"), reg("rdi"))
        elif reg("rdi") in ids:                 # free
            ops.append(("f", ids.pop(reg("rdi")), 0))
        return False


def write_trace(event):
    live = peak = 0
    sizes = {}
    for kind, i, size in ops:
        live += size - sizes.get(i, 0) if kind != "f" else -sizes[i]
        sizes[i] = size if kind != "f" else 0
        peak = max(peak, live)
    part = OUT + ".part"
    with open(part, "w") as out:
        out.write("%d\n%d\n%d\n1\n" % (peak, next_id[0], len(ops)))
        for kind, i, size in ops:
            out.write("f %d\n" % i if kind == "f" else
                      "%s %d %d\n" % (kind, i, size))
    os.rename(part, OUT)


gdb.execute("set breakpoint pending on")
for name in ("malloc", "calloc", "realloc", "free"):
    Entry(name)
gdb.events.exited.connect(write_trace)
