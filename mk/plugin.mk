# plugin.mk — the kit's instruction counter: a QEMU TCG plugin
# (plugin/icount.c) that tools/icount loads into qemu-i386. Every
# benchmark counts with it, on any host (docs/allocators.md).
#
# It is a shared object for the HOST, not an i386 program: built by the
# host's own C compiler (gcc on x86_64 and on aarch64; never -m32 and
# never the i686 cross gcc), because qemu-i386 itself is a host program
# and dlopen()s it.
# (PLUGIN, its path, is set in the Makefile: the other mk/*.mk name it.)
HOSTCC      ?= gcc
PLUGIN_CFLAGS := -std=c11 -O2 -g -Wall -Wextra -fPIC -shared \
                 -fvisibility=hidden

all: $(PLUGIN)

$(PLUGIN): plugin/icount.c
	@mkdir -p $(@D)
	$(HOSTCC) $(PLUGIN_CFLAGS) -o $@ $<

.PHONY: plugin
plugin: $(PLUGIN)
