# mk/allocators-seg.mk — measuring segfit, buddy, bitmap and tlsf.
#
# mk/allocators.mk builds every asm/allocators/NAME.s, with every program
# of ALLOC_NAMES (alloc-test among them), into build/alloc/NAME/ on
# every `make`; tests/allocators-seg.bats runs them from there.
# (those of the four that are there: a course handout may withhold them)
SEG_ALLOCS := $(basename $(notdir $(wildcard $(foreach a,segfit buddy bitmap tlsf,asm/allocators/$(a).s))))

# make bench-seg: instructions per allocate / deallocate (tools/icount) of the
# four at 1000 and 16000 live blocks (tools/seg-bench.sh,
# docs/allocators-seg.md). Any host: counted under qemu-i386.
.PHONY: bench-seg
bench-seg: $(foreach a,$(SEG_ALLOCS),$(BUILD)/alloc/$(a)/alloc-test) $(PLUGIN)
	@tools/seg-bench.sh
