# mk/topics.mk — programs for the chapter's topics docs/concepts.md adds
# after the review questions (issue 20): the auxiliary vector and the
# vdso, overcommit and the limits that refuse it, copy-on-write after
# fork, and the same brk program for x86-64. Included by the Makefile
# before its rules section, like mk/concepts.mk.

# The auxiliary vector, [vdso] and [vvar].
EX_PROGS += $(BUILD)/auxv
$(BUILD)/auxv: $(HARNESS_RT) $(OBJ)/examples/auxv.o

# A huge brk and mmap succeed; touching is what costs; RLIMIT_AS refuses.
EX_PROGS += $(BUILD)/overcommit
$(BUILD)/overcommit: $(HARNESS_RT) $(OBJ)/examples/overcommit.o

# After fork, a write reaches only the writer's copy of the page.
EX_PROGS += $(BUILD)/cow
$(BUILD)/cow: $(HARNESS_RT) $(OBJ)/examples/cow.o

# examples/brk64.s: brk through `syscall` with register arguments, an
# x86-64 program (as --64, ld -m elf_x86_64); it runs under qemu-x86_64
# on any host. The Makefile's rules are i386 ones, so it has its own, and
# it is built only where the assembler can make x86-64 code (x86 hosts;
# i686 cross binutils usually can too): HAVE_AS64.
HAVE_AS64 := $(shell echo | $(AS) --64 -o /dev/null 2>/dev/null && echo yes)
# Its own directory, build/x86-64/: everything directly in build/ is i386.
ifeq ($(HAVE_AS64),yes)
all: $(BUILD)/x86-64/brk64
endif
$(BUILD)/x86-64/brk64: examples/brk64.s
	@mkdir -p $(@D)
	$(AS) --64 -g -o $(@D)/brk64.o $<
	$(LD) -m elf_x86_64 -static --fatal-warnings -o $@ $(@D)/brk64.o
	$(OBJDUMP) -d $@ > $@.lst

# examples/leaky.c: leaks for the preload library's MEMKIT_LEAKS=1 report
# (docs/preload.md). Ordinary hosted C against the 32-bit glibc, like the
# preload tests; -rdynamic so the report can name its functions.
ifeq ($(HAVE_MULTILIB),yes)
all: $(BUILD)/leaky
endif
$(BUILD)/leaky: examples/leaky.c | $(OBJ)/examples
	$(CC) -m32 -O2 -g -Wall -Wextra -fno-builtin-malloc -rdynamic -o $@ $<
	$(OBJDUMP) -d $@ > $@.lst

# The page cache: read and a second mapping share the file's pages.
EX_PROGS += $(BUILD)/pagecache
$(BUILD)/pagecache: $(HARNESS_RT) $(OBJ)/examples/pagecache.o

# A running process seen from outside: ps and pmap against what it says.
EX_PROGS += $(BUILD)/selfview
$(BUILD)/selfview: $(HARNESS_RT) $(OBJ)/examples/selfview.o

# alloca and a pointer to a local that outlives its frame (docs/gdb.md).
EX_PROGS += $(BUILD)/escape
$(BUILD)/escape: $(OBJ)/examples/escape.o

# Locality: the same sum row-wise and column-wise, counted by callgrind's
# cache simulation (tools/bench-locality.sh). Needs valgrind, which no
# bootstrap group installs (make bench counts with tools/icount), and an
# x86 host that runs i386 programs; so it is not part of make bench.
EX_PROGS += $(BUILD)/locality
$(BUILD)/locality: $(HARNESS_RT) $(OBJ)/examples/locality.o

.PHONY: bench-locality
bench-locality: $(BUILD)/locality
	@tools/bench-locality.sh
