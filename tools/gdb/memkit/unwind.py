# unwind.py — the prologue unwinder of the memkit gdb session.
#
# gdb's i386 unwinder takes any frame for the outermost one while %ebp is
# 0, as it is in a kit program's _start, so on a breakpoint at allocate
# (before its pushl %ebp; movl %esp,%ebp) `finish` and `bt` failed.
# PrologueUnwinder reads such a frame from %esp instead. The instruction
# shapes it looks for (PUSH_EBP, MOV_ESP_EBP, after_call) are cframe's
# too (commands.py).

import gdb
import gdb.unwinder

from .inferior import MemkitError, read_bytes, read_u32

PUSH_EBP = b"\x55"                  # pushl %ebp
MOV_ESP_EBP = (b"\x89\xe5", b"\x8b\xec")  # movl %esp,%ebp (two encodings)


class _FrameId:
    def __init__(self, sp, pc):
        self.sp = sp
        self.pc = pc


def after_call(ret):
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
        if not after_call(ret):
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
