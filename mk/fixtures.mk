# fixtures.mk — the test allocators that are a few lines away from
# another one, made from their patches (tools/fixture-from-patch.sh):
# tests/fixtures/{broken,good,layouts}/NAME.patch becomes NAME.s beside
# it (not committed). docs/allocator.md.
FIXTURE_PATCHES := $(wildcard tests/fixtures/broken/*.patch \
                              tests/fixtures/good/*.patch \
                              tests/fixtures/layouts/*.patch)
FIXTURE_ALLOCS  := $(FIXTURE_PATCHES:.patch=.s)

all: $(FIXTURE_ALLOCS)

$(FIXTURE_ALLOCS): %.s: %.patch asm/alloc.s tools/fixture-from-patch.sh
	@tools/fixture-from-patch.sh $< $@

# Broken fixtures may be made from a correct one (good/NAME.s).
$(filter tests/fixtures/broken/%,$(FIXTURE_ALLOCS)): \
    $(filter tests/fixtures/good/%,$(FIXTURE_ALLOCS))

.PHONY: clean-fixtures
clean: clean-fixtures
clean-fixtures:
	rm -f $(FIXTURE_ALLOCS)
