# bench.mk — make bench: every allocator, and the C library's malloc, over
# every kit trace (tools/bench-all.sh; the results in docs/allocators.md).
#
# build/glibc/trace-driver is the trace driver linked with the i386 C
# library's malloc, realloc and free instead of a kit allocator
# (c-harness/glibc-shim.c): the driver's parts with c-harness/trace/replay.c
# compiled with MEMKIT_HOSTED (its bench_replay calls malloc itself),
# linked by gcc -m32 against the C library (gcc-multilib), dynamically,
# like any program that calls malloc. glibc as it comes, nothing tuned.
# build/glibc-fair/trace-driver is the same with the shim built with
# MEMKIT_GLIBC_FAIR: mallopt(M_TOP_PAD, 0) and mallopt(M_MMAP_MAX, 0), so
# its heap is all in the break and keeps no 128 KiB pad. Built only with
# gcc-multilib. The Debian peers link the same objects (mk/peers.mk).
GLIBC_BUILD := $(BUILD)/glibc
GLIBC_FAIR_BUILD := $(BUILD)/glibc-fair
HOSTED_DRIVER_OBJS := $(patsubst $(OBJ)/c/trace/replay.o,\
                        $(OBJ)/c/trace/replay-hosted.o,$(DRIVER_PARTS)) \
                      $(OBJ)/c/rt.o

ifeq ($(HAVE_MULTILIB),yes)
all: $(GLIBC_BUILD)/trace-driver $(GLIBC_FAIR_BUILD)/trace-driver
endif

$(OBJ)/c/trace/replay-hosted.o: c-harness/trace/replay.c \
                                $(wildcard c-harness/*.h) \
                                $(wildcard c-harness/trace/*.h) | $(OBJ)/c/trace
	$(CC) $(CFLAGS) -DMEMKIT_HOSTED -c -o $@ $<

$(OBJ)/c/glibc-shim.o: c-harness/glibc-shim.c | $(OBJ)/c
	$(CC) -m32 -O2 -g -Wall -Wextra -fno-pie -c -o $@ $<

$(OBJ)/c/glibc-shim-fair.o: c-harness/glibc-shim.c | $(OBJ)/c
	$(CC) -m32 -O2 -g -Wall -Wextra -fno-pie -DMEMKIT_GLIBC_FAIR -c -o $@ $<

$(GLIBC_BUILD)/trace-driver: $(HOSTED_DRIVER_OBJS) $(OBJ)/c/glibc-shim.o
$(GLIBC_FAIR_BUILD)/trace-driver: $(HOSTED_DRIVER_OBJS) \
                                  $(OBJ)/c/glibc-shim-fair.o
$(GLIBC_BUILD)/trace-driver $(GLIBC_FAIR_BUILD)/trace-driver:
	@mkdir -p $(@D)
	$(CC) -m32 -no-pie -o $@ $^
	$(OBJDUMP) -d $@ > $@.lst

# All allocators, and the plugin tools/icount counts with, are built by
# `all` (mk/allocators.mk, mk/plugin.mk), the Debian peers by `peers`
# (mk/peers.mk). Runs on any host: every count is made under qemu-i386.
.PHONY: bench-all
bench-run: bench-all
bench-all: all peers scaling-traces
	@tools/bench-all.sh
