# memkit.gdb — the gdb session script of memkit (see docs/gdb.md).
#
# tools/gdb-session.sh (what `make gdb` runs) starts gdb-multiarch with
#   -nx -iex 'set debuginfod enabled off' -x tools/gdb/memkit.py
#   -x tools/gdb/memkit.gdb -ex 'target remote SOCKET' -ex memkit-start
# gdb never auto-loads a project .gdbinit, so the kit names both files
# explicitly, each as one argument with its full path: a checkout whose
# path holds a space works (a `set directories` line would be split at it).
# memkit.py, loaded first, loads the package tools/gdb/memkit/, which
# defines heap, brk, owner, records, cframe, memkit and memkit-break.
#
# qemu-i386 -g stops the program before its first instruction, at the ELF
# entry point (_start), so memkit-start sets the breakpoints a student
# wants (allocate/deallocate, when linked) and shows where they are.

# Batch runs and transcripts must not stop to ask questions.
set pagination off
set confirm off
set width 0
set disassembly-flavor att

define memkit-start
  memkit-break
  echo \n
  info registers eax ebx ecx edx esi edi ebp esp eip
  echo \n
  # Show the next instruction after every step: `stepi` moves one
  # instruction, and the source line alone does not say which one.
  display/i $pc
  echo \nmemkit: stopped at the entry point. continue, stepi, heap, cframe;\n
  echo memkit: `memkit` lists the kit's commands, `layout regs` opens the TUI.\n
end
document memkit-start
Set the allocator breakpoints, show the registers and display the next
instruction on every stop. Runs once at the start of a `make gdb` session.
end
