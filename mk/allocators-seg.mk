# mk/allocators-seg.mk — build segfit, buddy and bitmap (asm/allocators/)
# with their test programs on every `make`, whatever ALLOC says, so
# tests/allocators-seg.bats always finds them:
#
#   build/alloc/NAME/alloc-test       the common contract (c-harness)
#   build/alloc/NAME/alloc-seg-test   reallocate, heap_check, the design
#
# When ALLOC names one of them, the Makefile's own ALLOC rules build it
# (from the staged copy) and these rules stand aside for that one.
SEG_ALLOCS    := segfit buddy bitmap
SEG_PROGNAMES := alloc-test alloc-seg-test

define SEG_ALLOC_RULES
ifneq ($$(ALLOC_TAG),$(1))
$$(BUILD)/alloc/$(1)/obj/alloc.o: asm/allocators/$(1).s $$(ASM_INCLUDES)
	@mkdir -p $$(@D)
	$$(AS) $$(ASFLAGS) -I asm/allocators -o $$@ $$<
$$(BUILD)/alloc/$(1)/alloc-test: $$(HARNESS_RT) $$(OBJ)/c/alloc-test.o \
        $$(OBJ)/c/heapmap.o $$(OBJ)/c/callcheck.o \
        $$(BUILD)/alloc/$(1)/obj/alloc.o
$$(BUILD)/alloc/$(1)/alloc-seg-test: $$(HARNESS_RT) \
        $$(OBJ)/c/alloc-seg-test.o $$(OBJ)/c/seg-callcheck.o \
        $$(BUILD)/alloc/$(1)/obj/alloc.o
SEG_PROGS += $$(addprefix $$(BUILD)/alloc/$(1)/,$$(SEG_PROGNAMES))
endif
endef
$(foreach a,$(SEG_ALLOCS),$(eval $(call SEG_ALLOC_RULES,$(a))))

all: $(SEG_PROGS)

$(SEG_PROGS):
	@mkdir -p $(@D)
	$(LD) $(LDFLAGS) -o $@ $^
	$(OBJDUMP) -d $@ > $@.lst

# make bench-seg: callgrind instructions per allocate / deallocate of the
# three at 1000 and 16000 live blocks (tools/seg-callgrind.sh,
# docs/allocators-seg.md). Needs an x86 host.
.PHONY: bench-seg
bench-seg: $(SEG_PROGS)
	@tools/seg-callgrind.sh
