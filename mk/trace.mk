# trace.mk — the trace driver's traces and pictures (docs/lab.md).
#
#   make traces                 regenerate tests/traces/ with build/tracegen
#   make check-traces [ALLOC=]  replay tests/traces/*.rep (make check does too)
#   make check-scale  [ALLOC=]  replay the scaling series tests/traces/scale/
#   make trace-bench [ALLOC=]   utilization and instructions per request
#   make heapviz [ALLOC=] TRACE=tests/traces/fragment.rep [OUT=FILE.svg]
#                [AXIS=BYTES]   the heap over a trace as an SVG picture
#
# build/trace-driver itself is linked like every program that uses an
# allocator (ALLOC_NAMES in the Makefile); tracegen links no allocator.

TRACES       := tests/traces
TRACE        ?= $(TRACES)/fragment.rep
HEAPVIZ_DIR  := $(BUILD)/heapviz
OUT          ?= $(HEAPVIZ_DIR)/$(basename $(notdir $(TRACE)))-$(ALLOC_TAG).svg
RUN_I386     := tools/run-i386
SCALE_TRACES := $(foreach n,1 2 4 8 16,$(TRACES)/scale/scale-$(n)k.rep)

all: $(BUILD)/tracegen

$(BUILD)/tracegen: $(HARNESS_RT) $(OBJ)/c/tracegen.o
	$(LD) $(LDFLAGS) -o $@ $^
	$(OBJDUMP) -d $@ > $@.lst

.PHONY: traces check-traces check-scale heapviz

traces: $(BUILD)/tracegen
	mkdir -p $(TRACES)/scale
	$(RUN_I386) $(BUILD)/tracegen $(TRACES)

check-traces: $(ABUILD)/trace-driver
	MEMKIT_TIMEOUT=600 $(RUN_I386) $(ABUILD)/trace-driver $(sort $(wildcard $(TRACES)/*.rep))

check-scale: $(ABUILD)/trace-driver
	MEMKIT_TIMEOUT=600 $(RUN_I386) $(ABUILD)/trace-driver $(SCALE_TRACES)

heapviz: $(ABUILD)/trace-driver
	@mkdir -p $(HEAPVIZ_DIR)
	MEMKIT_TIMEOUT=600 $(RUN_I386) $(ABUILD)/trace-driver --label '$(ALLOC_TAG)' \
	    $(if $(AXIS),--axis '$(AXIS)') --svg '$(OUT)' '$(TRACE)'
	@echo 'heapviz: wrote $(OUT)'

# make trace-bench: utilization next to instructions per request for every
# kit trace (tools/icount, any host; tools/trace-bench.sh).
.PHONY: trace-bench
trace-bench: $(ABUILD)/trace-driver $(PLUGIN)
	@MEMKIT_DRIVER='$(ABUILD)/trace-driver' tools/trace-bench.sh
