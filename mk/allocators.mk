# allocators.mk — build the kit's allocator variants (asm/allocators/) on
# every `make`, each into build/alloc/NAME/ with every program of
# ALLOC_NAMES, so tests/allocators.bats can test them all at once.
#
# KIT_ALLOCATORS lists them; append to it to add one. The one chosen with
# ALLOC= (if any) already has its rules from the Makefile and is skipped
# here. Their shared core files (asm/allocators/*.inc) are prerequisites
# of every variant object, so an edit to the core rebuilds all of them.

KIT_ALLOCATORS += coalesce bestfit nextfit explicit
ALLOC_INCS     := $(wildcard asm/allocators/*.inc)

KIT_ALLOC_OTHERS := $(filter-out $(ALLOC_TAG),$(KIT_ALLOCATORS))
KIT_ALLOC_DIRS   := $(addprefix $(BUILD)/alloc/,$(KIT_ALLOC_OTHERS))
KIT_ALLOC_PROGS  := $(foreach d,$(KIT_ALLOC_DIRS),\
                        $(addprefix $(d)/,$(ALLOC_NAMES)))

$(foreach d,$(KIT_ALLOC_DIRS),\
    $(eval $(call ALLOC_LINKS,$(d),$(d)/obj/alloc.o)))

# Staged like ALLOC= does it (tools/alloc-resolve), then assembled with
# the variant's own directory after -I asm.
$(addsuffix /alloc.s,$(KIT_ALLOC_DIRS)): $(BUILD)/alloc/%/alloc.s: FORCE
	@tools/alloc-resolve --stage '$*' '$(@D)'

$(addsuffix /obj/alloc.o,$(KIT_ALLOC_DIRS)): $(BUILD)/alloc/%/obj/alloc.o: \
		$(BUILD)/alloc/%/alloc.s $(ASM_INCLUDES) $(ALLOC_INCS)
	@mkdir -p $(@D)
	$(AS) $(ASFLAGS) -I "$$(cat $(BUILD)/alloc/$*/srcdir)" -o $@ $<

# The allocator chosen with ALLOC= includes the core files too.
ifneq ($(ALLOC_TAG),ref)
$(ALLOC_OBJ): $(ALLOC_INCS)
endif

$(KIT_ALLOC_PROGS):
	$(LD) $(LDFLAGS) -o $@ $^
	$(OBJDUMP) -d $@ > $@.lst

all: $(KIT_ALLOC_PROGS)
