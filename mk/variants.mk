# variants.mk — the kit's own allocators, built by every `make`.
#
# asm/allocators/NAME.s are the kit's solutions to the chapter's exercises
# (docs/exercises.md). A plain `make` builds the programs of ALLOC_NAMES
# against each of them into build/alloc/NAME/, the same place
# `make ALLOC=NAME` uses, so the tests that show what a variant does
# (tests/variants.bats, tests/heap-map.bats) always find them. The variant
# that ALLOC= names already has its rules from the Makefile.
KIT_VARIANTS := $(filter-out $(ALLOC_TAG),\
                  $(basename $(notdir $(wildcard asm/allocators/*.s))))

define VARIANT_RULES
$(eval $(call ALLOC_LINKS,$(BUILD)/alloc/$(1),$(BUILD)/alloc/$(1)/obj/alloc.o))
VARIANT_PROGS += $(addprefix $(BUILD)/alloc/$(1)/,$(ALLOC_NAMES))

$(BUILD)/alloc/$(1)/obj/alloc.o: asm/allocators/$(1).s $(ASM_INCLUDES)
	@mkdir -p $$(@D)
	$$(AS) $$(ASFLAGS) -o $$@ $$<
endef

$(foreach v,$(KIT_VARIANTS),$(eval $(call VARIANT_RULES,$(v))))

ALLOC_PROGS += $(VARIANT_PROGS)
