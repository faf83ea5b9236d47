# peers.mk — the allocators make bench compares the kit's with, beyond
# glibc (mk/bench.mk): real ones from Debian's i386 packages, and the
# footprint measure's calibration allocator (docs/allocators.md).
#
#   make peers     fetch jemalloc, mimalloc and tcmalloc-minimal into
#                  build/peers/debs (never installed system-wide) and link
#                  the hosted trace driver with each: build/peers/NAME/
#                  trace-driver, or build/peers/NAME/unavailable saying why
#                  (tools/peers.sh). Needs the network once; `make bench`
#                  runs it.
#
# build/peers/pagealloc/trace-driver is the static trace driver linked with
# tests/fixtures/pagealloc.c, an allocator whose every block is a mapping
# of its own: the pages it holds are known, so tests/peers.bats checks the
# footprint measure (c-harness/footprint.c) against it. Built by `all`.
PEERS_BUILD := $(BUILD)/peers

# pagealloc4 (-DPA_HEADER=4) puts payloads 4 bytes into their pages: the
# broken input of the trace driver's check of C's alignment promise.
# Built only where tests/ is (a copy of the kit without it still builds).
PAGEALLOCS := $(if $(wildcard tests/fixtures/pagealloc.c),pagealloc pagealloc4)

all: $(PAGEALLOCS:%=$(PEERS_BUILD)/%/trace-driver)

$(OBJ)/fixtures/pagealloc.o: tests/fixtures/pagealloc.c \
                             $(wildcard c-harness/*.h)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -c -o $@ $<

$(OBJ)/fixtures/pagealloc4.o: tests/fixtures/pagealloc.c \
                              $(wildcard c-harness/*.h)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -DPA_HEADER=4u -c -o $@ $<

$(PAGEALLOCS:%=$(PEERS_BUILD)/%/trace-driver): $(PEERS_BUILD)/%/trace-driver: \
        $(HARNESS_RT) $(DRIVER_PARTS) \
        $(OBJ)/fixtures/%.o
	@mkdir -p $(@D)
	$(LD) $(LDFLAGS) -o $@ $^
	$(OBJDUMP) -d $@ > $@.lst

.PHONY: peers
ifeq ($(HAVE_MULTILIB),yes)
peers: $(HOSTED_DRIVER_OBJS) $(OBJ)/c/glibc-shim.o
	@CC='$(CC)' tools/peers.sh '$(PEERS_BUILD)' $^
else
peers:
	@tools/peers.sh --unavailable '$(PEERS_BUILD)' \
	    'no hosted trace driver to link: $(CC) -m32 finds no i386 C library (gcc-multilib)'
endif
