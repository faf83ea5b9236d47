# mk/preload.mk — libmemkit.so, the kit's allocator as malloc for real
# i386 programs (LD_PRELOAD), and its test programs. docs/preload.md.
#
#   make preload    build/preload/libmemkit.so and build/preload/t-*
#
# The library is a hosted i386 shared object (gcc -m32 from gcc-multilib):
# the assembly core preload/memkit-core.s, position-independent, plus the
# C entry points preload/memkit.c. The link fails on a text relocation
# (-z text), and tools/check-textrel (readelf -d) fails the build if one ever
# slips through another way: qemu-i386 cannot load such a library.

PRELOAD_DIR   := $(BUILD)/preload
PRELOAD_LIB   := $(PRELOAD_DIR)/libmemkit.so
PRELOAD_TESTS := $(patsubst preload/tests/%.c,$(PRELOAD_DIR)/t-%,\
                   $(wildcard preload/tests/*.c))

PRELOAD_CFLAGS := -m32 -march=i686 -std=gnu11 -O2 -g -Wall -Wextra \
                  -fPIC -fvisibility=hidden -fno-builtin \
                  -fno-stack-protector -fcf-protection=none

.PHONY: preload
preload: $(PRELOAD_LIB) $(PRELOAD_TESTS)

$(PRELOAD_DIR)/memkit-core.o: preload/memkit-core.s | $(PRELOAD_DIR)
	$(AS) $(ASFLAGS) -o $@ $<

$(PRELOAD_DIR)/memkit.o: preload/memkit.c | $(PRELOAD_DIR)
	$(CC) $(PRELOAD_CFLAGS) -c -o $@ $<

# MEMKIT_LEAKS=1: the live-block table and the report at exit.
$(PRELOAD_DIR)/leaks.o: preload/leaks.c | $(PRELOAD_DIR)
	$(CC) $(PRELOAD_CFLAGS) -c -o $@ $<

# Link to a temporary name, check, then rename: a library with TEXTREL
# never appears under the real name.
$(PRELOAD_LIB): $(PRELOAD_DIR)/memkit-core.o $(PRELOAD_DIR)/memkit.o \
                $(PRELOAD_DIR)/leaks.o
	$(CC) -m32 -shared -Wl,-z,text -Wl,-z,defs -Wl,--fatal-warnings \
	    -Wl,-soname,libmemkit.so -o $@.tmp $^
	tools/check-textrel $@.tmp || { rm -f $@.tmp; exit 1; }
	$(OBJDUMP) -d $@.tmp > $@.lst
	mv $@.tmp $@

# The i386 test programs: ordinary hosted C against the 32-bit glibc.
$(PRELOAD_DIR)/t-%: preload/tests/%.c | $(PRELOAD_DIR)
	$(CC) -m32 -O2 -g -Wall -Wextra -fno-builtin-malloc -pthread -o $@ $<

$(PRELOAD_DIR):
	mkdir -p $@

# `make` (and so `make test`) builds it too where gcc-multilib is there.
ifeq ($(HAVE_MULTILIB),yes)
all: preload
endif

# make preload-bench: instructions per call (tools/icount), glibc's malloc
# against libmemkit.so, and peak memory (tools/preload-bench; any host,
# the peak memory only where the kernel runs i386 programs natively).
.PHONY: preload-bench
preload-bench: preload $(PLUGIN)
	@tools/preload-bench

# make leaks-compare: MEMKIT_LEAKS=1 under qemu-i386 against valgrind's
# memcheck natively, on build/leaky and Debian's libc6:i386
# (tools/leaks-compare, docs/preload.md). Needs valgrind and native i386;
# says why and exits 2 where either is missing.
.PHONY: leaks-compare
leaks-compare: $(PRELOAD_LIB) $(BUILD)/leaky
	@tools/leaks-compare
