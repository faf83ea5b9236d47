# fixtures.mk — the test allocators that are a few lines away from
# another one, made from their patches (tools/fixture-from-patch.sh):
# tests/fixtures/{broken,good,layouts}/NAME.patch becomes NAME.s beside
# it (not committed). docs/allocator.md.
FIXTURE_PATCHES := $(wildcard tests/fixtures/broken/*.patch \
                              tests/fixtures/good/*.patch \
                              tests/fixtures/layouts/*.patch)
# The broken splits patch the split answer: without it (a course handout
# may withhold tests/fixtures/good/, course/withhold) they are not made.
ifeq ($(wildcard tests/fixtures/good/split.patch),)
FIXTURE_PATCHES := $(filter-out tests/fixtures/broken/split-%,$(FIXTURE_PATCHES))
endif
FIXTURE_ALLOCS  := $(FIXTURE_PATCHES:.patch=.s)

all: $(FIXTURE_ALLOCS)

$(FIXTURE_ALLOCS): %.s: %.patch asm/alloc.s tools/fixture-from-patch.sh
	@tools/fixture-from-patch.sh $< $@

# One is a twin of a kit allocator (withheld with it, course/withhold).
tests/fixtures/broken/bestfit-lie.s: asm/allocators/coalesce.s

# Broken fixtures may be made from a correct one (good/NAME.s).
$(filter tests/fixtures/broken/%,$(FIXTURE_ALLOCS)): \
    $(filter tests/fixtures/good/%,$(FIXTURE_ALLOCS))

.PHONY: clean-fixtures
clean: clean-fixtures
clean-fixtures:
	rm -f $(FIXTURE_ALLOCS)
