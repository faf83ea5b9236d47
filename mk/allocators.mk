# allocators.mk — the kit's own allocators, built by every `make`.
#
# asm/allocators/NAME.s are the kit's solutions to the chapter's exercises
# (docs/exercises.md) and the classic designs (docs/allocators.md). A plain
# `make` builds the programs of ALLOC_NAMES against each of them into
# build/alloc/NAME/, the same place `make ALLOC=NAME` uses, so the tests
# that show what each one does always find them. The one ALLOC= names
# already has its rules from the Makefile and is skipped here.
#
# Shared core files (asm/allocators/*.inc, reached with
# `.include "allocators/NAME.inc"` through -I asm) are prerequisites of
# every allocator object, so an edit to a core rebuilds all of them.
KIT_ALLOCATORS := $(basename $(notdir $(wildcard asm/allocators/*.s)))
KIT_ALLOC_OTHERS := $(filter-out $(ALLOC_TAG),$(KIT_ALLOCATORS))
ALLOC_INCS     := $(wildcard asm/allocators/*.inc)

define KIT_ALLOC_RULES
$(eval $(call ALLOC_LINKS,$(BUILD)/alloc/$(1),$(BUILD)/alloc/$(1)/obj/alloc.o))
KIT_ALLOC_PROGS += $(addprefix $(BUILD)/alloc/$(1)/,$(ALLOC_NAMES))

$(BUILD)/alloc/$(1)/obj/alloc.o: asm/allocators/$(1).s $(ASM_INCLUDES) \
                                 $(ALLOC_INCS)
	@mkdir -p $$(@D)
	$$(AS) $$(ASFLAGS) -o $$@ $$<
endef

$(foreach a,$(KIT_ALLOC_OTHERS),$(eval $(call KIT_ALLOC_RULES,$(a))))

# The allocator chosen with ALLOC= may include the core files too.
ifneq ($(ALLOC_TAG),ref)
$(ALLOC_OBJ): $(ALLOC_INCS)
endif

ALLOC_PROGS += $(KIT_ALLOC_PROGS)
