# mk/concepts.mk — the programs behind docs/concepts.md and docs/review.md:
# one small program or target per "Know the Concepts" question of the
# chapter (issue 12). Included by the Makefile before its rules section,
# so the programs added to EX_PROGS / C_PROGS here get the Makefile's
# link rule (ld, then an objdump listing next to the binary).

# Freestanding C on the harness runtime.
EX_PROGS += $(BUILD)/touch
$(BUILD)/touch: $(HARNESS_RT) $(OBJ)/examples/touch.o

# Two running copies, one address, two values: make twins.
EX_PROGS += $(BUILD)/twin
$(BUILD)/twin: $(HARNESS_RT) $(OBJ)/examples/twin.o

.PHONY: twins
twins: $(BUILD)/twin
	@tools/twins.sh

# The stack grows by itself, the heap only with brk (docs/concepts.md).
EX_PROGS += $(BUILD)/stackgrow
$(BUILD)/stackgrow: $(HARNESS_RT) $(OBJ)/examples/stackgrow.o

# The book-style recursive factorial, for the gdb session in docs/concepts.md.
EX_PROGS += $(BUILD)/factorial
$(BUILD)/factorial: $(OBJ)/examples/factorial.o

# The C library's malloc over brk and mmap2: dynamically linked like
# hello-dynamic (HAVE_MULTILIB and DYN_PROGS come from the Makefile).
# (`all: $(DYN_PROGS)` was read before this file, so name it for all here.)
ifeq ($(HAVE_MULTILIB),yes)
DYN_PROGS += $(BUILD)/malloc-trace
all: $(BUILD)/malloc-trace
endif

$(BUILD)/malloc-trace: examples/malloc-trace.c | $(OBJ)/examples
	$(CC) -m32 -O2 -g -Wall -Wextra -o $@ $<
	$(OBJDUMP) -d $@ > $@.lst

# read-records with mmap2 instead of read: same helpers, no allocator.
EX_PROGS += $(BUILD)/map-records
$(BUILD)/map-records: $(OBJ)/examples/map-records.o $(RECORD_ERR)

# Virtual vs resident size around a brk and the first touch of its pages.
EX_PROGS += $(BUILD)/vmsize
$(BUILD)/vmsize: $(HARNESS_RT) $(OBJ)/examples/vmsize.o

# Lowering the break gives the heap's top pages back to the kernel.
EX_PROGS += $(BUILD)/brkdown
$(BUILD)/brkdown: $(HARNESS_RT) $(OBJ)/examples/brkdown.o

# make bench also measures a system call against a function call
# (tools/bench-syscall.sh); tools/bench.sh itself is left alone.
EX_PROGS += $(BUILD)/syscall-cost
$(BUILD)/syscall-cost: $(HARNESS_RT) $(OBJ)/examples/syscall-cost.o

.PHONY: bench-syscall
bench-run: bench-syscall
bench-syscall: $(BUILD)/syscall-cost $(PLUGIN)
	@tools/bench-syscall.sh

# sbrk for the C harness (c-harness/sbrk.c) and its contract test.
C_PROGS += $(BUILD)/sbrk-test
$(BUILD)/sbrk-test: $(HARNESS_RT) $(OBJ)/c/sbrk-test.o $(OBJ)/c/sbrk.o

# Reference counting over allocate/deallocate (c-harness/refcount.c).
C_PROGS += $(BUILD)/refcount-test
$(BUILD)/refcount-test: $(HARNESS_RT) $(OBJ)/c/refcount-test.o \
                        $(OBJ)/c/refcount.o $(OBJ)/asm/alloc.o

# The chapter's 7-byte movl, assembled; its bytes are in build/instr-bytes.lst.
EX_PROGS += $(BUILD)/instr-bytes
$(BUILD)/instr-bytes: $(OBJ)/examples/instr-bytes.o
