# bench.mk — make bench: every allocator, and the C library's malloc, over
# every kit trace (tools/bench-all.sh; the results in docs/allocators.md).
#
# build/glibc/trace-driver is the trace driver linked with the i386 C
# library's malloc, realloc and free instead of a kit allocator
# (c-harness/glibc-shim.c): trace-driver.c compiled with MEMKIT_HOSTED,
# linked by gcc -m32 against the C library (gcc-multilib), dynamically,
# like any program that calls malloc. Built only with gcc-multilib.
GLIBC_BUILD := $(BUILD)/glibc

ifeq ($(HAVE_MULTILIB),yes)
all: $(GLIBC_BUILD)/trace-driver
endif

$(OBJ)/c/trace-driver-hosted.o: c-harness/trace-driver.c \
                                $(wildcard c-harness/*.h) | $(OBJ)/c
	$(CC) $(CFLAGS) -DMEMKIT_HOSTED -c -o $@ $<

$(OBJ)/c/glibc-shim.o: c-harness/glibc-shim.c | $(OBJ)/c
	$(CC) -m32 -O2 -g -Wall -Wextra -fno-pie -c -o $@ $<

$(GLIBC_BUILD)/trace-driver: $(OBJ)/c/trace-driver-hosted.o \
        $(OBJ)/c/heapmap.o $(OBJ)/c/rt.o $(OBJ)/c/glibc-shim.o
	@mkdir -p $(@D)
	$(CC) -m32 -no-pie -o $@ $^
	$(OBJDUMP) -d $@ > $@.lst

# All allocators, and the plugin tools/icount counts with, are built by
# `all` (mk/allocators.mk, mk/plugin.mk). Runs on any host: every count
# is made under qemu-i386.
.PHONY: bench-all
bench-run: bench-all
bench-all: all
	@tools/bench-all.sh
